#pragma once

// The normalised rows the rules read, loaded once per run and indexed by host and time. Rules
// correlate many rows against many (sessions around writes, processes around files), which is
// cheaper on sorted vectors in memory than as per-row SQL look-ups; only the rows that can matter
// are loaded (writes, not all share checks; SMB / RDP connections, not all traffic).

#include "store/WindowsActivity.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::inference {

struct ProcessInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    bool sysmon = false;
    bool esxiShell = false; // a line of ESXi's shell.log (origin 'esxi-shell')
    std::string guid, image, cmd, parentGuid, parentImage, logonId, hashes;
    int64_t pid = -1, parentPid = -1, account = 0;
};

struct FileCreateInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    std::string path, image, guid, hashes;
    int64_t pid = -1, account = 0;
};

struct ShareInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    int code = 0;
    std::string share, sharePath, rel, accessList, ip, logonId;
    int64_t mask = 0, port = -1, account = 0;
};

struct LogonInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    int64_t endTs = 0; // 0: no end seen
    std::string origin, logonId, ip, workstation;
    int type = 0;
    int64_t account = 0, port = -1;
};

struct NetInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    int initiated = -1;
    std::string srcIp, srcName, dstIp, dstName, image, guid, protocol;
    int64_t srcPort = -1, dstPort = -1;
};

struct ServiceInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    std::string origin, name, imagePath;
    int64_t account = 0;
};

// Rows of one kind grouped per host, each group sorted by (ts, event).
template<typename T> class ByHost {
public:
    void add(T row) { m_rows[row.host].push_back(std::move(row)); }
    void finish();
    // Rows of host with lo <= ts <= hi, as a [begin, end) pair of pointers.
    std::pair<const T *, const T *> range(int64_t host, int64_t lo, int64_t hi) const;
    const std::vector<T> &of(int64_t host) const;
    const std::unordered_map<int64_t, std::vector<T>> &all() const { return m_rows; }
    std::vector<int64_t> hosts() const; // sorted, for deterministic iteration
    size_t size() const;

private:
    std::unordered_map<int64_t, std::vector<T>> m_rows;
};

class CaseSnapshot {
public:
    void load(sql::Db &db);

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
    ByHost<store::ScheduledTaskRow> scheduledTasks;

    const ProcessInfo *processById(int64_t id) const;
    // Same host, Sysmon ProcessGuid (preferred) or pid alive at ts.
    const ProcessInfo *processByGuid(int64_t host, const std::string &guid) const;
    const ProcessInfo *processByPid(int64_t host, int64_t pid, int64_t ts) const;
    // The parent of p (by guid, else by pid before p started).
    const ProcessInfo *parentOf(const ProcessInfo &p) const;

private:
    std::unordered_map<int64_t, const ProcessInfo *> m_procById;
    std::unordered_map<std::string, const ProcessInfo *> m_procByGuid; // "host|GUID"
};

} // namespace tt::inference
