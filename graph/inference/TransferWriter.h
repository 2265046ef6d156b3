#pragma once

#include "inference/Candidate.h"

#include <cstdint>
#include <vector>

namespace tt::store {
class CaseStore;
}

namespace tt::inference {

// Replaces the case's transfers and transfer_evidence with the given ones, in a fixed order
// (first time, destination, file, source), so the same case always gets the same rows and ids.
// Written through store/TransferRepository in batches.
class TransferWriter {
public:
    explicit TransferWriter(store::CaseStore &cs)
        : m_cs(cs)
    {
    }
    void replaceAll(std::vector<Candidate> &transfers, const std::vector<double> &scores);
    // Incremental inference (issue 12): removes the transfers with the given ids, writes the given
    // ones (transfers[i] with scores[i] for i in add), then renumbers every transfer into the
    // order replaceAll gives, so the case holds the rows and ids a whole run would write.
    void replaceSome(const std::vector<int64_t> &removeIds, const std::vector<Candidate> &transfers,
        const std::vector<double> &scores, const std::vector<size_t> &add);

private:
    store::CaseStore &m_cs;
};

} // namespace tt::inference
