#include "query/BenignLabelQuery.h"

#include "store/Sqlite.h"

namespace tt {

std::unordered_map<int64_t, store::BenignLabel> queryBenignLabels(sql::Db &db)
{
    std::unordered_map<int64_t, store::BenignLabel> out;
    auto st = db.prepare("SELECT id, benign_tool, coalesce(benign_reason, '') FROM transfers "
                         "WHERE benign_tool IS NOT NULL ORDER BY id");
    while (st.step()) {
        store::BenignLabel l;
        l.transferId = st.int64(0);
        l.tool = st.text(1);
        l.reason = st.text(2);
        out.emplace(l.transferId, std::move(l));
    }
    return out;
}

} // namespace tt
