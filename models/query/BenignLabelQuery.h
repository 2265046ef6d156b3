#pragma once

// Reads the benign deployment-tool labels of a case's transfers (store/BenignLabelStore.h).

#include "store/BenignLabelStore.h"

#include <cstdint>
#include <functional>
#include <unordered_map>

namespace tt {

// Transfer id -> its label, for the labelled transfers only.
std::unordered_map<int64_t, store::BenignLabel> queryBenignLabels(sql::Db &db);

// Sets benignTool / benignReason of each row (proj(row): an object with id, benignTool and
// benignReason, e.g. inference::TransferRow) from the case.
template<typename Rows, typename Proj = std::identity> void attachBenignLabels(sql::Db &db, Rows &rows, Proj proj = {})
{
    const auto labels = queryBenignLabels(db);
    if (labels.empty())
        return;
    for (auto &item : rows) {
        auto &r = proj(item);
        if (auto it = labels.find(r.id); it != labels.end()) {
            r.benignTool = it->second.tool;
            r.benignReason = it->second.reason;
        }
    }
}

} // namespace tt
