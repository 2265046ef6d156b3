#pragma once

#include "workbench/FilterState.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <cstdint>
#include <vector>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
class Stmt;
} // namespace sql

// Hosts and host-to-host edges (transfers aggregated per source and destination) under a
// filter: what the transfer graph draws. Runs on a worker thread with its own connection.
struct GraphHost {
    int64_t id = 0;
    QString name;
    QString fqdn;
    QString addresses;
    bool ipOnly = false;
    bool domainController = false;
    bool firstSource = false; // root of the deepest chain of transfers in view
    bool executedTransferred = false; // ran a file that was transferred to it
    bool unknownSource = false; // an unknown source (UnknownSources.h): id < 0, no host row
    QString detail; // unknown sources: what groups its transfers (tooltip)
    int sent = 0;
    int received = 0;
    // Aggregation (query/GraphAggregation.h): the group a host belongs to ("" when none); a group
    // node (id <= kGroupHostBase) also lists the hosts it stands for and every transfer touching them.
    QString groupKey;
    QString groupName; // as shown: the subnet, the domain or the analyst's name
    bool namedGroup = false; // the group is one of the analyst's
    bool fan = false; // the group is a deployment fan (GraphAggregation.h): one push to many hosts
    int fanApart = 0; // a fan: destinations of its push drawn on their own (they have other transfers)
    int64_t fanFirstTs = 0; // a fan: its transfers' time span
    int64_t fanLastTs = 0;
    QVector<qint64> members;
    QVector<qint64> groupTransfers;
    int internalTransfers = 0; // a group node: transfers between two of its members
    bool isGroup() const { return !members.isEmpty(); }
};

// One transfer of an edge with what its confidence is made of (the edge tooltip's reasons).
struct EdgeTransferScore {
    qint64 id = 0;
    QString file;
    double confidence = 0;
    bool hasSource = false; // a source host or address: the no-source cap does not apply
    std::vector<std::string> roles; // distinct evidence roles, sorted
};

struct GraphEdge {
    int64_t id = 0; // stable within one result: 1-based index
    int64_t source = 0;
    int64_t target = 0;
    int count = 0; // transfers
    int files = 0; // distinct file names
    QStringList methods;
    double minConfidence = 1;
    double maxConfidence = 0;
    bool executed = false;
    int64_t firstTs = 0;
    int64_t lastTs = 0;
    int hop = 0; // depth along the chain of transfers that first reached its target (0: not first)
    int reverse = 0; // of count, transfers from target to source (edges bundled per pair of groups)
    int benign = 0; // of count, benign-admin candidates (deployment tools): all benign = drawn muted
    bool allBenign() const { return count > 0 && benign == count; }
    bool fan = false; // to or from a deployment fan node (GraphAggregation.h)
    QVector<qint64> transferIds;
    QStringList transferKeys; // transfers.key of each, same order (annotations refer to these)
    // The kStrongest most confident transfers (confidence, then id), roles filled by queryGraph.
    static constexpr int kStrongest = 3;
    std::vector<EdgeTransferScore> strongest;
    void keepStrongest(EdgeTransferScore s); // insert in order, keep kStrongest
};

// A benign-admin candidate (a deployment tool's transfer) as deployment fans are found from
// (query/GraphAggregation.h: foldDeploymentFans).
struct BenignPush {
    qint64 id = 0;
    int64_t source = 0;
    int64_t target = 0;
    QString tool; // transfers.benign_tool ("sccm", "pdq", ...)
    QString file;
    int64_t ts = 0; // first_ts
};

struct GraphData {
    std::vector<GraphHost> hosts;
    std::vector<GraphEdge> edges;
    std::vector<BenignPush> benignPushes; // every benign-admin transfer in view, in time order
    int64_t transfersInView = 0;
    int64_t transfersTotal = 0;
    QString error;
};

// Transfers whose source is known by nothing at all (no host row) come from unknown sources:
// negative node ids, one per distinct unknown source (query/UnknownSources.h).
inline constexpr int64_t kUnknownSourceHost = -1;

// Every transfer of the case, whatever the filter.
int64_t countTransfers(sql::Db &db);
int64_t countTransfers(store::CaseStore &store);

GraphData queryGraph(sql::Db &db, const FilterState &filter);
GraphData queryGraph(store::CaseStore &store, const FilterState &filter);

// The WHERE clause (over `transfers t`) and its bound values for a filter; shared by every
// query that lists transfers so that all views agree on what "in view" means.
struct TransferFilterSql {
    QString where; // starts with "1=1"
    std::vector<QVariant> binds;
};
TransferFilterSql transferFilterSql(const FilterState &filter);
// Binds the filter's values to a statement, from parameter `first` on; returns the next index.
int bindTransferFilter(sql::Stmt &st, const TransferFilterSql &f, int first = 1);

} // namespace tt
