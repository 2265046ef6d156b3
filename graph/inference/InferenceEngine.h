#pragma once

// Transfer inference over a case: turns the normalised tables into transfers (host-to-host file
// moves) with evidence links, by the rules documented in docs/inference.md. run() recomputes all
// transfers in one transaction; the same case always yields the same rows in the same order.

#include "inference/InferenceConfig.h"

#include <cstdint>
#include <map>
#include <string>

namespace tt::sql {
class Db;
}

namespace tt::inference {

class InferenceEngine {
public:
    struct Result {
        int64_t events = 0; // events in the case
        size_t candidates = 0; // claims made by the rules before the merge
        size_t transfers = 0; // transfers written
        size_t accountLinks = 0; // account spellings linked to another
        std::map<std::string, size_t> candidatesByRule;
        std::map<std::string, size_t> transfersByRule; // transfers a rule contributed to
        std::map<std::string, size_t> transfersByMethod;
        std::map<std::string, size_t> transfersByLabel; // high / medium / low
        double seconds = 0;
        double loadSeconds = 0; // reading the case into memory
    };

    explicit InferenceEngine(sql::Db &db, InferenceConfig config = {})
        : m_db(db)
        , m_config(config)
    {
    }
    // Throws sql::Error, or std::runtime_error when the case predates the transfer tables.
    Result run();

private:
    sql::Db &m_db;
    InferenceConfig m_config;
};

} // namespace tt::inference
