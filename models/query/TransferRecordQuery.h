#pragma once

// The one reader of transfer rows (issue 13): `transfertrace transfers` (JSON / CSV), the
// exports and the workbench's transfers table all read a transfer through it, with the same
// columns and the same account and host spelling rules. What differs stays with the caller: the
// table picks and orders its ids itself (TransferTableQuery), the CLI filters here.

#include <cstdint>
#include <string>
#include <vector>

namespace tt {
namespace sql {
class Db;
}
namespace store {
class CaseStore;
}

struct TransferRecord {
    int64_t id = 0;
    std::string key; // transfers.key (annotations refer to it), may be empty
    int64_t srcHostId = 0, dstHostId = 0, accountId = 0; // 0 when unknown
    std::string source; // host name, else the address, else empty
    std::string sourceIp;
    std::string destination;
    std::string file, path, srcPath;
    std::string method, direction;
    std::string account; // DOMAIN\user of the canonical account
    std::string sourceProcess, executingProcess; // images, "" when unknown
    int64_t firstTs = 0, lastTs = 0; // UTC microseconds
    double confidence = 0;
    std::string confidenceLabel;
    bool executed = false;
    std::string hashes, rules;
    int evidence = 0; // evidence links
    int srcEvidence = 0; // of them seen on the source (src-*)
    int dstEvidence = 0; // on the destination (dst-*, rdp-session)
    std::vector<std::string> roles; // distinct evidence roles, sorted
    // A benign deployment tool moved it (inference DeploymentToolRule): its id ("sccm", "pdq", ...)
    // and what recognised it; empty when not.
    std::string benignTool, benignReason;
};

struct TransferRecordFilter {
    double minConfidence = 0;
    std::string host; // matches source or destination: name, FQDN, any spelling, or address
    std::string account; // DOMAIN\user, user@domain or user (case-insensitive), any linked spelling
};

// An account as the analyst spelt it: DOMAIN\user, user@dns.domain or user, upper-cased.
struct AccountSpelling {
    std::string domain, name;
};
AccountSpelling parseAccountSpelling(const std::string &spelling);

// Transfers matching filter, chronological (first time, then id).
std::vector<TransferRecord> readTransferRecords(sql::Db &db, const TransferRecordFilter &filter);
std::vector<TransferRecord> readTransferRecords(store::CaseStore &cs, const TransferRecordFilter &filter);
// These transfers in the order given (ids no longer in the case are left out).
std::vector<TransferRecord> readTransferRecordsById(sql::Db &db, const std::vector<int64_t> &ids);

} // namespace tt
