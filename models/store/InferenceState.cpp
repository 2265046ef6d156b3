#include "store/InferenceState.h"

#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <string_view>

namespace tt::store {

namespace {
void setState(sql::Db &db, std::string_view state)
{
    auto st = db.prepare(
        "INSERT INTO case_info(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, std::string_view(kInferenceStateKey)).bind(2, state);
    st.exec();
}
} // namespace

void markInferencePending(sql::Db &db)
{
    setState(db, "pending");
}

void markInferenceDone(sql::Db &db)
{
    setState(db, "done");
}

bool inferencePending(sql::Db &db)
{
    auto st = db.prepare("SELECT value FROM case_info WHERE key = ?");
    st.bind(1, std::string_view(kInferenceStateKey));
    return st.step() && st.text(0) == "pending";
}

bool inferencePending(CaseStore &store)
{
    return inferencePending(store.db());
}

} // namespace tt::store
