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

class CaseSnapshot {
public:
    // Reads the rows of scope (the whole case by default) through the repository.
    void load(store::InferenceRepository &repo, const store::InferenceScope &scope);

    ByHost<ProcessInfo> processes;
    ByHost<FileCreateInfo> fileCreates;
    ByHost<FileCreateInfo> fileReads; // whole-file reads a server logged sending (sftp-server close)
    ByHost<FileCreateInfo> fileStreams; // Sysmon 15: the hash of the file a stream was added to
    ByHost<FileCreateInfo> fileWrites; // 4663 with WriteData / AppendData (object access auditing)
    ByHost<ShareInfo> shares; // 5140 and write-bit 5145
    ByHost<LogonInfo> logons; // successful network (3), RDP (10 / rdp-*) and ssh (sshd / auditd) logons
    ByHost<NetInfo> connections; // SMB (445 / 139) and RDP (3389) connections
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

private:
    // Sorted vectors rather than hash maps: 16 and 32 bytes a process instead of a node, a bucket
    // and (for the guid) a "host|GUID" key string each. The guid views point into processes.
    struct GuidEntry {
        int64_t host = 0;
        std::string_view guid;
        const ProcessInfo *p = nullptr;
    };
    std::vector<std::pair<int64_t, const ProcessInfo *>> m_procById; // by id
    std::vector<GuidEntry> m_procByGuid; // by (host, guid), the first process of a key first
};

} // namespace tt::inference
