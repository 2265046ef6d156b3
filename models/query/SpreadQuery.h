#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
} // namespace sql

// Tool spread (issue 11, item 3): where one file went, in order. The transfers of the file are
// found by hash when the case has one for it (every copy sharing a hash value, renamed ones
// included; IMPHASH is not an identity), else by file name (case-insensitive unless the copy is
// a Linux one), and laid out as a tree: a chronological sweep over the hops makes a host a child
// of the host that first pushed the file to it; a source that had not received the file yet is a
// root (the first root is patient zero). Plain functions over one connection, run on a worker in
// the GUI (STYLE.md).

enum class SpreadMatch { None, Hash, Name };

struct SpreadHop {
    int64_t transferId = 0;
    int src = -1, dst = -1; // indexes into SpreadResult::nodes
    QString fileName, dstPath, srcPath;
    QString method, direction;
    QString account; // DOMAIN\user of the transfer's (canonical) account
    int64_t srcProcessId = 0;
    QString srcProcess; // image of the pushing process
    int64_t firstTs = 0, lastTs = 0; // UTC microseconds
    double confidence = 0;
    QString confidenceLabel;
    bool executed = false; // inference's execution rule linked a process on the destination
    int64_t dstProcessId = 0;
    QString dstProcess;
    int64_t execTs = 0;
    int64_t execEvent = 0; // the dst-exec evidence event
    QString hashes;
    bool byName = false; // under hash matching: a copy with no hash, taken by its name
    bool treeEdge = false; // the hop that first brought the file to its destination
};

struct SpreadNode {
    int64_t hostId = 0; // 0: unknown source
    // Host name; an unknown source is named as the graph names it (query/UnknownSources.h: one
    // per destination, account, address and session, "unknown → DST yyyy-mm-dd"), so unrelated
    // pushes from sources the logs do not name are never one node.
    QString name;
    int64_t unknownNode = 0; // an unknown source: its graph node id (< 0); 0 when a host or not grouped
    QString detail; // an unknown source: account, address, time span (the graph's tooltip)
    int parent = -1; // node index; -1 for a root
    int via = -1; // hop index that brought the file here; -1 for a root
    int depth = 0;
    std::vector<int> children; // in first-seen order
    int64_t firstSeen = 0; // first hop in or out of this host
    int inbound = 0; // hops of the file into this host
    bool received() const { return inbound > 0; }
    bool ran = false;
    QString ranHow; // "executed by IMAGE (transfer N)", "process IMAGE (same path)", ...
    int64_t ranTs = 0;
    int64_t ranProcessId = 0;
    int64_t ranEvent = 0;
};

// One spelling of the file: renamed copies share a hash under another name.
struct SpreadVariant {
    QString name;
    int transfers = 0;
    QStringList paths; // distinct destination paths, first seen first
    QStringList hashes; // distinct hashes fields
};

struct SpreadResult {
    QString query; // what was asked (a name, a path, a hash or "transfer N")
    SpreadMatch match = SpreadMatch::None;
    QString matchedOn; // the hash values, or the file name
    std::vector<SpreadHop> hops; // time order
    std::vector<SpreadNode> nodes; // roots first, in first-seen order; see order
    std::vector<int> order; // nodes depth-first (children by first seen): the tree as rows
    int patientZero = -1; // node index; -1 when nothing matched
    std::vector<SpreadVariant> variants;
    QStringList otherFiles; // same name, other hash: other files, asked for by their hash
    QString error;
    bool found() const { return !hops.empty(); }
    bool patientZeroUnknown() const { return patientZero >= 0 && nodes[size_t(patientZero)].hostId == 0; }
    std::vector<int> ranOn() const; // node indexes, tree order
    std::vector<int> receivedNeverRan() const; // node indexes, tree order
};

// `file`: a file name ("psexesvc.exe"), a path (its name is matched; copies at exactly that path
// seed the hash) or a hash (hex MD5 / SHA1 / SHA256, optionally "SHA256=..." ). Nothing matched:
// found() is false and error says so.
SpreadResult querySpread(sql::Db &db, const QString &file);
SpreadResult querySpread(store::CaseStore &store, const QString &file);
// The spread of the file one transfer carried (by its hash, else by its name).
SpreadResult querySpreadForTransfer(sql::Db &db, int64_t transferId);
SpreadResult querySpreadForTransfer(store::CaseStore &store, int64_t transferId);

QString spreadMatchName(SpreadMatch m); // "hash", "name", "none"

} // namespace tt
