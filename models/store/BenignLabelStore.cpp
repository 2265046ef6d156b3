#include "store/BenignLabelStore.h"

#include "store/Sqlite.h"

namespace tt::store {

void writeBenignLabels(sql::Db &db, const std::vector<BenignLabel> &labels)
{
    auto st = db.prepare("UPDATE transfers SET benign_tool = ?, benign_reason = ? WHERE id = ?");
    for (const BenignLabel &l : labels) {
        st.bind(1, std::string_view(l.tool)).bind(2, std::string_view(l.reason)).bind(3, l.transferId);
        st.exec();
    }
}

} // namespace tt::store
