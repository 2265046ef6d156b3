#pragma once

// Inference's reads and writes of the normalised tables, behind named functions (issue 13): the
// rules in graph/inference decide, this reads their input and writes what they concluded. Loads
// hand rows to a sink one at a time (nothing is held twice) and take a scope, so a later
// streaming inference (issue 12) can read a host set or a time window instead of the whole case,
// and another backend can sit behind the same calls.

#include "store/InferenceRows.h"
#include "store/MacActivity.h"
#include "store/Rows.h"
#include "store/WindowsActivity.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace tt::sql {
class Transaction;
}

namespace tt::store {

class CaseStore;

// Which rows a load reads: the whole case by default.
struct InferenceScope {
    std::vector<int64_t> hosts; // empty: every host
    int64_t fromTs = kNoValue, toTs = kNoValue; // inclusive bounds; kNoValue: open
    // false: loadProcesses leaves ProcessInfo::hashes empty (read one with processHashes()); the
    // Sysmon Hashes text was the largest string of a loaded process and one rule reads it, for the
    // few processes that ran a transferred file.
    bool processHashes = true;
};

template<typename Row> using RowSink = std::function<void(Row &&)>;

class InferenceRepository {
public:
    explicit InferenceRepository(CaseStore &cs);

    // False for a case made before the transfer tables existed.
    bool hasTransferTables();
    int64_t eventCount();

    // Rows without a time cannot be correlated and are never read; each load is in id order.
    void loadProcesses(const InferenceScope &scope, const RowSink<ProcessInfo> &sink);
    // The Sysmon hashes of one process (process_hashes; empty: none or no such process).
    std::string processHashes(int64_t processId);
    // For loading processes one host at a time (issue 12, bounded memory): the hosts with
    // processes loadProcesses(scope) would read, ascending, with their counts; the host of one
    // process (0: no such process); the processes of one event, ascending.
    std::vector<std::pair<int64_t, int64_t>> processCountsByHost(const InferenceScope &scope);
    int64_t processHost(int64_t processId);
    // One process as loadProcesses (without hashes) reads it; false: none with a time.
    bool loadProcess(int64_t processId, ProcessInfo &out);
    std::vector<int64_t> processIdsOfEvent(int64_t event);
    // The text of the processes loadProcesses(scope) would read, in one pass in table order (no
    // join, no sort): sink sees one reused row with host, image, cmd and esxiShell set and every
    // other field unset. For per-host tests read once (inference's process markers).
    void scanProcessText(const InferenceScope &scope, const std::function<void(const ProcessInfo &)> &sink);
    // File creations, whole-file reads (a server logged sending: sftp-server close), Sysmon 15
    // streams (the hash of the file a stream was added to) and 4663 object accesses that wrote
    // (WriteData / AppendData; other accesses are not read), and modules a process mapped straight
    // from a share (Sysmon 7 with a UNC ImageLoaded: kind "image-load").
    enum class FileEventKind { Create, Read, Stream, Write, ImageLoad };
    static constexpr size_t kFileEventKinds = 5;
    void loadFileEvents(const InferenceScope &scope, const std::function<void(FileCreateInfo &&, FileEventKind)> &sink);
    // For reading the normalised rows one host at a time (issue 12, bounded memory): the hosts
    // with rows of a kind in scope, ascending, with their counts (file events: indexed by
    // FileEventKind).
    std::array<std::vector<std::pair<int64_t, int64_t>>, kFileEventKinds> fileEventCountsByHost(
        const InferenceScope &scope);
    std::vector<std::pair<int64_t, int64_t>> shareAccessCountsByHost(const InferenceScope &scope);
    std::vector<std::pair<int64_t, int64_t>> logonCountsByHost(const InferenceScope &scope);
    std::vector<std::pair<int64_t, int64_t>> smbRdpConnectionCountsByHost(const InferenceScope &scope);
    // The host of an event (0: none).
    int64_t eventHost(int64_t event);
    // Outbound SMB connections (initiated, to 445 / 139, with source address and port) as
    // (host, event, ts, source address, source port), in id order, each with the arguments of sink.
    void loadOutboundSmb(const InferenceScope &scope,
        const std::function<void(int64_t host, int64_t event, int64_t ts, std::string_view srcIp, int64_t srcPort)>
            &sink);
    // Remote-execution evidence (store/WindowsActivity): 5145 reads, scheduled tasks, BITS jobs,
    // PowerShell script blocks. Whole case (not yet scoped).
    std::vector<ShareReadRow> shareReads();
    std::vector<ScheduledTaskRow> scheduledTasks();
    std::vector<BitsJobRow> bitsJobs();
    std::vector<ScriptBlockRow> scriptBlocks();
    std::vector<RemotingRow> remotingRecords();
    std::vector<MountRow> mounts();
    std::vector<AirDropRow> airDropAsks();
    // 5140 (sessions opening shares) and 5145 that asked for WriteData / AppendData, plus the
    // IPC$ svcctl opens that follow a service binary drop.
    void loadShareAccesses(const InferenceScope &scope, const RowSink<ShareInfo> &sink);
    // Successful network (3), RDP (10 / rdp-*) and ssh (sshd / auditd) logons.
    void loadLogons(const InferenceScope &scope, const RowSink<LogonInfo> &sink);
    // SMB (445 / 139) and RDP (3389) connections.
    void loadSmbRdpConnections(const InferenceScope &scope, const RowSink<NetInfo> &sink);
    void loadServiceInstalls(const InferenceScope &scope, const RowSink<ServiceInfo> &sink);
    // Connections host initiated to a logged address within [fromTs, toTs], by time.
    std::vector<OutboundConnectionRow> outboundConnections(int64_t host, int64_t fromTs, int64_t toTs);

    // Host entities this run (or an earlier one) created for a source known only by an address
    // or a name in a path, which no transfer uses in the end: no events, no address evidence.
    void removeUnusedHosts();
    // case_info: the transfers are current (store/InferenceState.h).
    void markDone();

    // Incremental inference after an import (issue 12). A committed run records the last event
    // and account ids it covered (case_info, no schema change); -1 when no run of this build
    // recorded them. Events and accounts only ever get higher ids.
    struct CoveredIds {
        int64_t events = -1, accounts = -1;
    };
    CoveredIds coveredIds();
    bool serverCase(); // PostgreSQL: incremental runs not done there (yet)
    void setCoveredIds(const CoveredIds &ids);
    CoveredIds maxIds();
    // Per host, the events with id > afterEvent (ascending host; host 0: events without one).
    std::vector<NewEventSpan> newEventSpans(int64_t afterEvent);
    // True when an event with id > afterEvent has rows in the network sensor tables (net_*).
    bool networkRowsAfter(int64_t afterEvent);
    // Hosts with at least one event; transfers in the case.
    int64_t hostsWithEvents();
    int64_t transferCount();
    // Distinct (host, address, name) of logons (source IP, workstation), share accesses (source
    // IP) and SMB / RDP connections (both ends' addresses and names) with fromTs <= ts <= toTs.
    std::vector<PeerLinkRow> peerLinks(int64_t fromTs, int64_t toTs);
    // account_links as (account, canonical).
    std::vector<std::pair<int64_t, int64_t>> accountLinks();
    // Transfers with fromTs <= first_ts <= toTs that have an end in hosts or a source address in
    // addresses; transfers holding one of events as evidence; the evidence events of transfers.
    std::vector<int64_t> transfersTouching(
        const std::vector<int64_t> &hosts, const std::vector<std::string> &addresses, int64_t fromTs, int64_t toTs);
    std::vector<int64_t> transfersWithEvidence(const std::vector<int64_t> &events);
    std::vector<int64_t> evidenceEvents(const std::vector<int64_t> &transfers);
    // The hosts of events (those with one), and the source and destination hosts of transfers.
    std::vector<int64_t> hostsOfEvents(const std::vector<int64_t> &events);
    std::vector<int64_t> transferEnds(const std::vector<int64_t> &transfers);

    // One inference run is one write transaction: rolled back unless committed.
    class RunTransaction {
    public:
        explicit RunTransaction(CaseStore &cs);
        ~RunTransaction();
        RunTransaction(const RunTransaction &) = delete;
        RunTransaction &operator=(const RunTransaction &) = delete;
        void commit();

    private:
        std::unique_ptr<sql::Transaction> m_tx;
    };

    // While alive, the connection's page cache holds at most kib KiB (the previous size is
    // restored after). The snapshot loads read each table once in id order, so the case's 64 MiB
    // cache only kept pages that were not read again, on top of the snapshot itself.
    class PageCacheLimit {
    public:
        PageCacheLimit(CaseStore &cs, int64_t kib);
        ~PageCacheLimit();
        PageCacheLimit(const PageCacheLimit &) = delete;
        PageCacheLimit &operator=(const PageCacheLimit &) = delete;

    private:
        CaseStore &m_cs;
        int64_t m_previous = 0;
    };

    // While alive, every statement on the case checks flag now and then and fails (an exception)
    // once it is set.
    class Interrupter {
    public:
        Interrupter(CaseStore &cs, const std::atomic<bool> *flag);
        ~Interrupter();
        Interrupter(const Interrupter &) = delete;
        Interrupter &operator=(const Interrupter &) = delete;

    private:
        CaseStore &m_cs;
    };

private:
    CaseStore &m_cs;
};

} // namespace tt::store
