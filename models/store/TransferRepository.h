#pragma once

// Writes inference's transfers (transfers, transfer_evidence). A run clears the old ones, appends
// the new ones in batches in the order it wants their ids, then finishes (stable keys). All of it
// inside the run's transaction (InferenceRepository::RunTransaction).

#include "store/InferenceRows.h"

#include <memory>
#include <vector>

namespace tt::store {

class CaseStore;

class TransferRepository {
public:
    explicit TransferRepository(CaseStore &cs);
    ~TransferRepository();
    TransferRepository(const TransferRepository &) = delete;
    TransferRepository &operator=(const TransferRepository &) = delete;

    void clear();
    // Rows get ids in the order given, after those of earlier batches.
    void append(const std::vector<TransferWriteRow> &batch);
    // Sets every transfer's stable key (transfers.key, what annotations refer to).
    void finish();

private:
    struct Statements;
    CaseStore &m_cs;
    std::unique_ptr<Statements> m_st; // prepared on the first append
};

} // namespace tt::store
