#pragma once

#include "workbench/FilterState.h"

#include <QString>
#include <QVector>

#include <cstdint>
#include <vector>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
}

// The transfers table (issue 11, item 1): which transfers it lists, in which order, and the
// columns of a page of them. The list is the workbench filter (the same WHERE as the graph)
// narrowed by the table's own column and text filters; sorting happens in SQL.
enum class TransferColumn {
    FirstTs,
    LastTs,
    Source,
    Destination,
    File,
    Path,
    Hash,
    Method,
    Direction,
    Account,
    SourceProcess,
    Executed,
    Confidence,
    Tags,
    Benign, // the deployment tool of a benign-admin candidate (DeploymentToolRule), else empty
    Count
};

struct TransferTableSpec {
    FilterState filter; // the workbench's
    TransferColumn sortColumn = TransferColumn::FirstTs;
    bool descending = false;
    // Column filters: method exact, the others case-insensitive substrings; empty = any.
    QString method, source, destination, account;
    int executed = -1; // -1 any, 0 not executed, 1 executed
    int benign = -1; // -1 any, 0 leave out benign-admin candidates, 1 only them
    QString text; // substring of file, paths, hash, hosts, source address, account or source process
    bool operator==(const TransferTableSpec &o) const = default;
};

struct TransferTableRow {
    qint64 id = 0;
    QString key; // transfers.key (annotations refer to it)
    qint64 srcHostId = 0, dstHostId = 0, accountId = 0; // 0 when unknown
    QString source, sourceIp, destination;
    QString file, path, srcPath, hashes;
    QString method, direction, account;
    QString sourceProcess, executingProcess; // images
    bool executed = false;
    double confidence = 0;
    QString confidenceLabel, rules;
    QString benignTool, benignReason; // empty when no deployment tool was recognised
    int srcEvidence = 0, dstEvidence = 0;
    int64_t firstTs = 0, lastTs = 0;
    std::vector<std::string> roles; // distinct evidence roles, sorted (what the score is made of)
};

// Ids of the transfers the table lists, in display order (ties broken by id).
QVector<qint64> queryTransferTableIds(store::CaseStore &store, const TransferTableSpec &spec);
// The rows of these transfers, in the order given (ids no longer in the case are left out).
std::vector<TransferTableRow> queryTransferTableRows(store::CaseStore &store, const QVector<qint64> &ids);
// "high (0.85): rules smb-share-write, execution-after-transfer; evidence 2 on the source, 3 on
// the destination" (plain text).
QString confidenceReasons(const TransferTableRow &r);

} // namespace tt
