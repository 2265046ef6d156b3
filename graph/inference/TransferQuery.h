#pragma once

// The read side of inference for the CLI (`transfertrace transfers`) and the views: transfers
// with their hosts, account and evidence counts, filtered.

#include <cstdint>
#include <string>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::inference {

struct TransferFilter {
    double minConfidence = 0;
    std::string host; // matches source or destination: name, FQDN, any spelling, or address
    std::string account; // DOMAIN\user, user@domain or user (case-insensitive), any linked spelling
};

struct TransferRow {
    int64_t id = 0;
    int64_t srcHostId = 0, dstHostId = 0, accountId = 0; // 0 when unknown
    std::string source; // host name, else the address, else empty
    std::string sourceIp;
    std::string destination;
    std::string file, path, srcPath;
    std::string method, direction;
    std::string account; // DOMAIN\user of the canonical account
    int64_t firstTs = 0, lastTs = 0; // UTC microseconds
    double confidence = 0;
    std::string confidenceLabel;
    bool executed = false;
    std::string hashes, rules;
    int evidence = 0; // evidence links
    int srcEvidence = 0; // of them seen on the source (src-*)
    int dstEvidence = 0; // on the destination (dst-*, rdp-session)
    // What raised (each kind of evidence and its weight) or lowered (the no-source cap) the score.
    std::vector<std::string> reasons;
    // A benign deployment tool moved it (DeploymentToolRule): its id and what recognised it;
    // empty when not. Filled by the callers that show it (models/query/BenignLabelQuery).
    std::string benignTool, benignReason;
};

std::vector<TransferRow> listTransfers(sql::Db &db, const TransferFilter &filter);

} // namespace tt::inference
