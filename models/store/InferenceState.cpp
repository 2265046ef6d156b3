#include "store/InferenceState.h"

#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <string_view>

namespace tt::store {

namespace {
void setState(sql::Db &db, std::string_view state)
{
    auto st = db.cached(
        "INSERT INTO case_info(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st->bind(1, std::string_view(kInferenceStateKey)).bind(2, state);
    st->exec();
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

void lockCaseWriters(sql::Db &db)
{
    if (!db.isPostgres())
        return;
    // The connection's search_path is the case's schema (PgDb::open): one lock per case.
    db.exec("SELECT pg_advisory_xact_lock(hashtext('transfertrace writer ' || current_schema()))");
}

} // namespace tt::store
