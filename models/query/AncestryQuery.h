#pragma once

#include "workbench/FilterState.h"

#include <QByteArray>
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
} // namespace sql

// Process ancestry, transfer evidence and decoded event payloads for the ancestry panel, the
// events / evidence table and the details pane. Plain functions over one connection: callers
// run them on a worker thread with a connection of its own (STYLE.md).

struct ProcessInfo {
    int64_t id = 0; // processes.id
    int64_t hostId = 0;
    QString host;
    int64_t pid = -1; // -1: unknown
    QString guid;
    QString image;
    QString commandLine;
    int64_t accountId = 0; // canonical (account_links), as transfers.account_id and account pivots use
    QString account; // DOMAIN\name as this process logged it, or the name alone
    QString logonId;
    int64_t startTs = 0; // 0: unknown
    int64_t endTs = 0;
    QString origin; // sysmon1 | 4688
    int64_t event = 0; // the creating event
    QString parentGuid;
    int64_t parentPid = -1;
    QString parentImage;
};

struct ProcessChain {
    std::vector<ProcessInfo> chain; // root first, the asked-for process last; empty if unknown
    bool cycle = false; // the data loops back on itself: the walk stopped there
    bool truncated = false; // stopped after kMaxAncestryDepth levels
    QString error;
};

inline constexpr int kMaxAncestryDepth = 64;
inline constexpr int kMaxChildren = 1000;

bool queryProcess(sql::Db &db, int64_t processId, ProcessInfo &out);
bool queryProcess(store::CaseStore &store, int64_t processId, ProcessInfo &out);
// The parent of a process: by GUID on the same host where the child names one and it is
// known; otherwise by PID on the same host, the latest process with that PID started no later
// than the child and not ended before it. False when none is known.
bool queryParent(sql::Db &db, const ProcessInfo &child, ProcessInfo &parent);
ProcessChain queryAncestry(sql::Db &db, int64_t processId);
ProcessChain queryAncestry(store::CaseStore &store, int64_t processId);
// Children in start order: GUID children, and PID children whose resolved parent is this
// process (the same rule as queryParent, so a reused PID never adopts another's children).
std::vector<ProcessInfo> queryChildren(sql::Db &db, int64_t processId);
std::vector<ProcessInfo> queryChildren(store::CaseStore &store, int64_t processId);

struct TransferSides {
    int64_t transferId = 0;
    int64_t srcProcessId = 0; // 0: unknown
    int64_t dstProcessId = 0;
    QString srcHost;
    QString dstHost;
    QString fileName;
    ProcessChain pushedBy; // the source process that pushed the file
    ProcessChain executedBy; // the destination process that executed it
    QString error;
};
TransferSides queryTransferAncestry(sql::Db &db, int64_t transferId);
TransferSides queryTransferAncestry(store::CaseStore &store, int64_t transferId);

// The process an event is about: the one it created, or the one that acted (file, network,
// DNS events name the process by GUID). 0 when none.
int64_t queryProcessForEvent(store::CaseStore &store, int64_t eventId);

// One row of the events / evidence table. The cheap columns come with the list; the rest
// (host, channel, summary from the decoded payload) is fetched per window of rows.
struct EvidenceKey {
    int64_t event = 0;
    int64_t transferId = 0; // 0: not evidence of a transfer (a process's own events)
    int64_t ts = 0;
    QString role;
    QString rule;
};
struct EvidenceDetail {
    int64_t event = 0;
    int64_t hostId = 0;
    QString host;
    QString channel;
    int eventId = 0;
    QString summary; // one line
    // For the row's pivots: the event's account, and for a process start its image and parent.
    int64_t accountId = 0;
    QString account;
    QString image;
    QString parentImage;
};

struct EvidenceScope {
    enum class Kind { None, Transfers, Host, Process };
    Kind kind = Kind::None;
    QVector<qint64> transfers; // Transfers: those of them `filter` keeps
    qint64 host = 0; // Host: the evidence of its transfers in view under `filter`, one row an event
    qint64 process = 0; // Process: its own events (start, end, file, network, DNS, children)
    FilterState filter;
};
struct EvidenceList {
    std::vector<EvidenceKey> rows; // in time order
    bool capped = false; // more than kMaxEvidenceRows
    QString error;
};
inline constexpr int kMaxEvidenceRows = 500000;
EvidenceList queryEvidence(store::CaseStore &store, const EvidenceScope &scope);
std::vector<EvidenceDetail> queryEvidenceDetails(store::CaseStore &store, const QVector<qint64> &eventIds);

struct EventField {
    QString name;
    QString value;
};
struct EventDetails {
    int64_t id = 0;
    int64_t ts = 0;
    QString host;
    QString channel;
    QString provider;
    int eventId = 0;
    QString source; // the file it came from
    int64_t position = 0;
    int format = 0; // payload_format
    QString raw; // the stored payload, decoded, as text
    std::vector<EventField> fields;
    QString error;
};
EventDetails queryEventDetails(store::CaseStore &store, int64_t eventId);

// The stored payload as a flat name / value list: format 1 (rendered JSON: System + EventData
// pairs) and 2 (an original JSON line, nested objects flattened as a.b) with QJsonDocument,
// format 3 (Windows event XML) with QXmlStreamReader. A parse error adds one "(error)" field.
std::vector<EventField> parsePayloadFields(int format, const QByteArray &payload);
// A one-line summary of the fields that say what happened (image, command line, path, ...).
QString summarizeFields(const std::vector<EventField> &fields, int maxChars = 300);

} // namespace tt
