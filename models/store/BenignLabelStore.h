#pragma once

// Benign deployment-tool labels of transfers (schema v7: transfers.benign_tool / benign_reason),
// written by inference after the transfer rows.

#include <cstdint>
#include <string>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::store {

struct BenignLabel {
    int64_t transferId = 0;
    std::string tool; // "sccm", "pdq", "gpo", "intune", "ansible", "salt", "puppet", "chef"
    std::string reason; // what recognised it
};

// Sets the label of each listed transfer (the others keep NULL).
void writeBenignLabels(sql::Db &db, const std::vector<BenignLabel> &labels);

} // namespace tt::store
