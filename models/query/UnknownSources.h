#pragma once

// Transfers whose source host is unknown (no host row: neither a name nor an address came with
// the evidence) are grouped into "unknown sources", each drawn as its own node. Two such
// transfers share an unknown source when an analyst would take them for one pusher: the same
// destination host, the same account, the same source address (usually none), and no more
// than kUnknownSourceGapUs between one transfer and the next (one working session). Unrelated
// transfers (other hosts, other accounts, or a year apart) never share a node. The grouping
// runs over the whole case, not the filter, so a node keeps its id and name under any pivot.
// The graph, the DOT export and the report all use it (docs/inference.md, "Unknown sources").

#include "query/TransferRecordQuery.h"

#include <QHash>
#include <QString>

#include <cstdint>
#include <vector>

namespace tt {
namespace sql {
class Db;
}
namespace store {
class CaseStore;
}

inline constexpr int64_t kUnknownSourceGapUs = 8LL * 3600 * 1000000;

struct UnknownSource {
    int64_t nodeId = 0; // negative: -1, -2, ... (never a hosts.id)
    QString name; // "unknown → DST 2019-03-02" (+ " #2" when that is taken)
    QString detail; // destination, account, address, time span and count, for tooltips
    int64_t dstHost = 0;
    int64_t firstTs = 0, lastTs = 0;
    int transfers = 0;
};

struct UnknownSources {
    std::vector<UnknownSource> sources;
    QHash<qint64, qint64> nodeOfTransfer; // transfers.id -> nodeId
    const UnknownSource *forTransfer(qint64 transferId) const;
    const UnknownSource *byNode(qint64 nodeId) const;
};

// Throws sql errors.
UnknownSources queryUnknownSources(sql::Db &db);

// The one name every surface prints for a source the logs do not name (the graph's node, the
// timeline, the transfers table, `transfers`, CSV / JSON exports, the report): the unknown
// source's name, or "unknown source" when there is none (a transfer newer than the grouping).
QString unknownSourceName(const UnknownSource *source);

// Rows of the transfer reader as the surfaces print them: every row without a source host gets
// its unknown source's name (unknownSourceName) as its source; its address stays in sourceIp.
// Throws sql errors.
void nameUnknownSources(sql::Db &db, const std::vector<TransferRecord *> &rows);
void nameUnknownSources(sql::Db &db, std::vector<TransferRecord> &rows);
void nameUnknownSources(store::CaseStore &cs, std::vector<TransferRecord> &rows);

} // namespace tt
