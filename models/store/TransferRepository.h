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

    // Incremental inference (issue 12): removes the given transfers and their evidence; the
    // ordering columns of every transfer; gives transfers new ids (pairs of old -> new id, a
    // permutation of the existing ids), evidence following.
    void remove(const std::vector<int64_t> &ids);
    std::vector<TransferOrderRow> orderRows();
    void renumber(const std::vector<std::pair<int64_t, int64_t>> &oldToNew);

private:
    struct Statements;
    CaseStore &m_cs;
    std::unique_ptr<Statements> m_st; // prepared on the first append
};

} // namespace tt::store
