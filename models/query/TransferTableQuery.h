#pragma once

#include "workbench/FilterState.h"

#include <QString>
#include <QVector>

#include <array>
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
// narrowed by the table's own column and text filters; sorting happens in memory by
// TransferSortKeys once they are read (in SQL before).
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

// Where every transfer of the case stands in each column's order, read once per data generation
// of the case (readTransferSortKeys), so that sorting any list of its transfers (any filter) is a
// permutation of ids in memory, not a query. A column's key is a dense rank: equal values tie;
// NULL and '' rank 0 (first ascending, last descending); text columns compare as SQLite's NOCASE
// (ASCII letters folded) or binary, as their display suggests; Source is the host name's rank, then
// the address (lower case); Tags / notes the tag names then the note.
struct TransferSortKeys {
    std::vector<int64_t> ids; // every transfer of the case, ascending
    std::array<std::vector<uint32_t>, size_t(TransferColumn::Count)> rank; // per column, aligned with ids
    bool has(TransferColumn c) const { return rank[size_t(c)].size() == ids.size(); }
    int64_t indexOf(int64_t id) const; // -1 when the transfer is not in the keys (newer data)
};
// Every column's keys; with `reuse`, a copy of it with the Tags / notes column read again (after an
// annotation changed).
TransferSortKeys readTransferSortKeys(store::CaseStore &store, const TransferSortKeys *reuse = nullptr);
// `ids` in the order of `column` (ties by id, in the same direction, so descending is exactly the
// reverse of ascending); ids the keys do not hold go after the others ascending (before them
// descending). The column must be in the keys (has()).
QVector<qint64> sortTransferIds(
    const TransferSortKeys &keys, const QVector<qint64> &ids, TransferColumn column, bool descending);

// Ids of the transfers the table lists, in display order (ties broken by id). With `keys` holding
// the sort column, the ids are read unsorted and sorted by the keys in memory, else SQL sorts.
QVector<qint64> queryTransferTableIds(
    store::CaseStore &store, const TransferTableSpec &spec, const TransferSortKeys *keys = nullptr);
// The rows of these transfers, in the order given (ids no longer in the case are left out).
std::vector<TransferTableRow> queryTransferTableRows(store::CaseStore &store, const QVector<qint64> &ids);
// "high (0.85): rules smb-share-write, execution-after-transfer; evidence 2 on the source, 3 on
// the destination" (plain text).
QString confidenceReasons(const TransferTableRow &r);

} // namespace tt
