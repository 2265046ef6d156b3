#pragma once

#include "inference/Candidate.h"

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

private:
    store::CaseStore &m_cs;
};

} // namespace tt::inference
