#pragma once

// The normalised rows the rules read (store/InferenceRows.h, through store/InferenceRepository),
// loaded once per run and indexed by host and time. Rules correlate many rows against many
// (sessions around writes, processes around files), which is cheaper on sorted vectors in memory
// than as per-row look-ups; only the rows that can matter are loaded (writes, not all share
// checks; SMB / RDP connections, not all traffic).

#include "store/InferenceRows.h"
#include "store/MacActivity.h"
#include "store/WindowsActivity.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::store {
class InferenceRepository;
struct InferenceScope;
} // namespace tt::store

namespace tt::inference {

using store::FileCreateInfo;
using store::LogonInfo;
using store::NetInfo;
using store::ProcessInfo;
using store::ServiceInfo;
using store::ShareInfo;

// Rows of one kind grouped per host, each group sorted by (ts, event). add() stages rows in
// fixed-size chunks in arrival order and finish() moves them into one exactly sized vector per
// host, freeing each chunk once drained: growing per-host vectors by doubling held up to twice the
// rows' bytes as slack, and three times while a vector reallocated (issue 12: the processes vector
// was the largest single allocation of a run).
template<typename T> class ByHost {
public:
    void add(T row);
    void finish();
    // Rows of host with lo <= ts <= hi, as a [begin, end) pair of pointers.
    std::pair<const T *, const T *> range(int64_t host, int64_t lo, int64_t hi) const;
    const std::vector<T> &of(int64_t host) const;
    const std::unordered_map<int64_t, std::vector<T>> &all() const { return m_rows; }
    std::vector<int64_t> hosts() const; // sorted, for deterministic iteration
    size_t size() const;

private:
    std::unordered_map<int64_t, std::vector<T>> m_rows;
    std::vector<std::vector<T>> m_staged; // rows added since the last finish(), in arrival order
};

// Rows of one kind read from the store one host at a time (issue 12: file events, logons, SMB /
// RDP connections and share accesses were loaded case-wide and grew with the case), as ProcessRows
// does for processes: of() / range() read a host when it is not cached, in the order ByHost gives
// (id order, then a stable sort by (ts, event)); what they return stays valid until the next
// trim(), which drops the least recently used hosts beyond the byte budget. hosts() are the hosts
// with rows in scope, ascending (one count query at attach()).
template<typename T> class HostRows {
public:
    using Loader = std::function<void(const store::InferenceScope &, const std::function<void(T &&)> &)>;
    // As ProcessRows' markers: bit i of a host's marks is set when marker i holds for one of its
    // rows, computed when the host is read and kept after it leaves the cache, so a rule that
    // needs only marked rows skips (does not read again) a host without any.
    using Marker = bool (*)(const T &);
    static constexpr unsigned kMaxMarkers = 8;
    void setMarker(unsigned bit, Marker m) { m_markers[bit] = m; }
    // False only when host was read and none of its rows holds marker bit.
    bool mayHave(int64_t host, unsigned bit) const;
    void attach(Loader loader, const std::vector<std::pair<int64_t, int64_t>> &countsByHost,
        const store::InferenceScope &scope, size_t budgetBytes);
    const std::vector<T> &of(int64_t host) const;
    std::pair<const T *, const T *> range(int64_t host, int64_t lo, int64_t hi) const;
    const std::vector<int64_t> &hosts() const { return m_hosts; }
    size_t size() const { return m_total; }
    // Takes rows of host read along with another kind's (one query reads a host's file events of
    // every kind), unless host is cached already; they stay until a trim drops them.
    void adopt(int64_t host, std::vector<T> &&rows) const;
    void trim() const;
    size_t peakBytes() const { return m_peakBytes; }
    size_t hostLoads() const { return m_loads; }

private:
    struct Host {
        std::vector<T> rows; // by (ts, event)
        size_t bytes = 0;
        uint64_t lastUse = 0;
    };
    Host &insert(int64_t host, std::vector<T> &&rows) const;
    Loader m_loader;
    Marker m_markers[kMaxMarkers] = {};
    mutable std::unordered_map<int64_t, unsigned> m_marks; // hosts read at least once
    int64_t m_fromTs = 0, m_toTs = 0;
    std::vector<int64_t> m_hosts;
    size_t m_total = 0, m_budget = 0;
    mutable std::unordered_map<int64_t, Host> m_cache;
    mutable size_t m_bytes = 0, m_peakBytes = 0, m_loads = 0;
    mutable uint64_t m_clock = 0;
};

// The processes of a run, read from the store one host at a time and kept in a cache of at most
// a byte budget (issue 12: process rows and their strings were most of a run's memory, and grew
// with the case). of() / range() / processBy*() load a host when it is not cached; what they
// return stays valid until the next trim(), which drops the least recently used hosts beyond the
// budget. Rules call trim() where they hold no process (between hosts of a scan, between rules),
// so a run touches every row in the same order as with the whole case in memory.
class ProcessRows {
public:
    // A marker is a test on one process; bit i of a host's marks is set when marker i holds for
    // one of its processes. Computed when a host is read (or by primeMarks()) and kept after it
    // leaves the cache, so a rule that needs only marked processes skips (does not read) a host
    // without any. A marker reads only host, image, cmd and esxiShell (what primeMarks() fills).
    using Marker = bool (*)(const ProcessInfo &);
    enum MarkerBit : unsigned {
        kMayMoveFiles = 0,
        kSshServer = 1,
        kEsxiShell = 2,
        kClientDrive = 3,
        kUncCommand = 4,
        kUncImage = 5,
        kMarkerCount = 6
    };
    void setMarker(MarkerBit bit, Marker m) { m_markers[bit] = m; }
    // The marks of every host at once, from one pass over the text of the processes in scope
    // (store order, no join, no sort): a host none of whose processes a rule needs is then never
    // read (in a generated 5 M-event case, 6 of 1 000 hosts hold a command that may move a file).
    void primeMarks();
    // False only when host's processes were tested and none of them holds marker bit.
    bool mayHave(int64_t host, MarkerBit bit) const;

    void attach(store::InferenceRepository &repo, const store::InferenceScope &scope, size_t budgetBytes);
    const std::vector<ProcessInfo> &of(int64_t host) const;
    std::pair<const ProcessInfo *, const ProcessInfo *> range(int64_t host, int64_t lo, int64_t hi) const;
    const std::vector<int64_t> &hosts() const { return m_hosts; } // hosts with processes, ascending
    size_t size() const { return m_total; }
    // Trims the cache, then runs the hooks (CaseSnapshot::load adds the trims of its per-host
    // rows, the engine SmbSessions'): the rules' trim points are where they hold no row of any
    // kind, so every per-host cache is trimmed there.
    void trim() const;
    void alsoTrim(std::function<void()> hook) { m_alsoTrim.push_back(std::move(hook)); }
    void setBudget(size_t bytes) { m_budget = bytes; }
    // Most bytes the cache held, hosts read from the store (a host read again counts again).
    size_t peakBytes() const { return m_peakBytes; }
    size_t hostLoads() const { return m_loads; }

    const ProcessInfo *byId(int64_t id) const;
    const ProcessInfo *byGuid(int64_t host, const std::string &guid) const;
    const ProcessInfo *byPid(int64_t host, int64_t pid, int64_t ts) const;
    // The lowest-id process of an event (nullptr: none).
    const ProcessInfo *byEvent(int64_t event) const;

private:
    struct Host {
        std::vector<ProcessInfo> rows; // by (ts, event)
        std::vector<std::pair<std::string_view, const ProcessInfo *>> byGuid; // the first of a guid first
        std::vector<std::pair<int64_t, const ProcessInfo *>> byId;
        size_t bytes = 0;
        uint64_t lastUse = 0;
    };
    const Host &load(int64_t host) const;

    store::InferenceRepository *m_repo = nullptr;
    std::vector<int64_t> m_scopeHosts;
    int64_t m_fromTs = 0, m_toTs = 0;
    std::vector<int64_t> m_hosts;
    size_t m_total = 0;
    Marker m_markers[kMarkerCount] = {};
    mutable std::unordered_map<int64_t, unsigned> m_marks; // hosts read at least once
    size_t m_budget = 0;
    mutable std::unordered_map<int64_t, Host> m_cache;
    mutable std::unordered_map<int64_t, std::unique_ptr<ProcessInfo>> m_single; // byId of uncached hosts
    mutable size_t m_bytes = 0, m_peakBytes = 0, m_loads = 0;
    mutable uint64_t m_clock = 0;
    std::vector<std::function<void()>> m_alsoTrim;
};

class CaseSnapshot {
public:
    // Processes cached beyond the host being read (ProcessRows): 64 MiB.
    static constexpr size_t kProcessCacheBytes = size_t(64) << 20;

    // Markers of file rows (HostRows::setMarker; the engine sets them from the rules' tests): the
    // rules that scan every host's file creates, reads or writes for a few rows skip the hosts
    // without any once those were read.
    enum FileMarker : unsigned { kClientDriveFile = 0, kSftpServerFile, kWinrmFile, kHostdFile, kSyncedFile };

    // File events, logons, SMB / RDP connections and share accesses cached beyond the host being
    // read (HostRows), per kind: 16 MiB.
    static constexpr size_t kRowCacheBytes = size_t(16) << 20;

    // Reads the rows of scope (the whole case by default) through the repository; processes by
    // processScope when given (incremental inference reads processes of its hosts at any time:
    // a parent may have started long before the window).
    void load(store::InferenceRepository &repo, const store::InferenceScope &scope,
        size_t processCacheBytes = kProcessCacheBytes, const store::InferenceScope *processScope = nullptr,
        size_t rowCacheBytes = kRowCacheBytes);
    // Of the per-host row caches other than processes: the most bytes held at once (summed over
    // the kinds' peaks) and the hosts read (a host read again counts again).
    size_t rowCachePeakBytes() const;
    size_t rowHostLoads() const;

    ProcessRows processes;
    HostRows<FileCreateInfo> fileCreates;
    HostRows<FileCreateInfo> fileReads; // whole-file reads a server logged sending (sftp-server close)
    HostRows<FileCreateInfo> fileStreams; // Sysmon 15: the hash of the file a stream was added to
    HostRows<FileCreateInfo> fileWrites; // 4663 with WriteData / AppendData (object access auditing)
    HostRows<FileCreateInfo> imageLoads; // Sysmon 7: a module mapped straight from a share (UNC path)
    HostRows<ShareInfo> shares; // 5140 and write-bit 5145
    HostRows<LogonInfo> logons; // successful network (3), RDP (10 / rdp-*) and ssh (sshd / auditd) logons
    HostRows<NetInfo> connections; // SMB (445 / 139) and RDP (3389) connections
    ByHost<ServiceInfo> services;
    // Remote-execution evidence (store/WindowsActivity): 5145 reads, BITS jobs, PowerShell text.
    ByHost<store::ShareReadRow> shareReads;
    ByHost<store::BitsJobRow> bitsJobs;
    ByHost<store::ScriptBlockRow> scriptBlocks;
    ByHost<store::RemotingRow> remoting; // PowerShell 4103 copies / sessions, WinRM 6 / 91 / 142
    ByHost<store::MountRow> mounts; // macOS eslogger mount / unmount (store/MacActivity)
    ByHost<store::AirDropRow> airDrops; // macOS sharingd AirDrop asks (store/MacActivity)
    ByHost<store::ScheduledTaskRow> scheduledTasks;

    const ProcessInfo *processById(int64_t id) const;
    // Same host, Sysmon ProcessGuid (preferred) or pid alive at ts.
    const ProcessInfo *processByGuid(int64_t host, const std::string &guid) const;
    const ProcessInfo *processByPid(int64_t host, int64_t pid, int64_t ts) const;
    // The parent of p (by guid, else by pid before p started).
    const ProcessInfo *parentOf(const ProcessInfo &p) const;
};

} // namespace tt::inference
