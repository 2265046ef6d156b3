#pragma once

#include "inference/Candidate.h"

#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::inference {

class HostResolver;

// Replaces the case's transfers and transfer_evidence with the given ones, in a fixed order
// (first time, destination, file, source), so the same case always gets the same rows and ids.
class TransferWriter {
public:
    explicit TransferWriter(sql::Db &db)
        : m_db(db)
    {
    }
    void replaceAll(std::vector<Candidate> &transfers, const std::vector<double> &scores);

private:
    sql::Db &m_db;
};

} // namespace tt::inference
