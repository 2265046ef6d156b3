#pragma once

// SMB sessions seen from both ends, for the rules that need to know who was connected when a
// file appeared: inbound session starts on a destination (Sysmon 3 to 445 / 139, 4624 type 3,
// 5140) and outbound connections on sources (Sysmon 3 from the same address and port).
//
// Bounded memory (issue 12): the starts of a host are made from its rows in the snapshot
// (CaseSnapshot's per-host caches) when first asked for and kept until trim() finds them over the
// budget; a logon id is looked up in the host's logons; only the outbound index spans the case,
// and holds ids and times, not rows.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt::store {
class InferenceRepository;
struct InferenceScope;
struct LogonInfo;
struct NetInfo;
} // namespace tt::store

namespace tt::inference {

class CaseSnapshot;
class HostResolver;
using store::LogonInfo;
using store::NetInfo;

class SmbSessions {
public:
    struct Start {
        int64_t ts = 0, event = 0, source = 0;
        std::string ip; // the remote end
        int64_t port = -1; // remote port when known
        std::string logonId;
        int64_t account = 0;
        const char *role = "";
        bool loopback = false;
    };
    // An outbound connection to an SMB port: the host that logged it, its event and time.
    struct Outbound {
        int64_t host = 0, event = 0, ts = 0;
    };

    // snap and hosts must outlive this; the outbound index is read from repo for scope (the
    // snapshot's).
    void build(const CaseSnapshot &snap, const HostResolver &hosts, store::InferenceRepository &repo,
        const store::InferenceScope &scope, size_t budgetBytes);
    // Session starts on host with lo <= ts <= hi, sorted by time; valid until trim().
    std::vector<const Start *> startsOn(int64_t host, int64_t lo, int64_t hi) const;
    // The 4624 of a logon id on host, the latest not after ts + slack; valid until the snapshot's
    // next trim.
    const LogonInfo *logonOf(int64_t host, const std::string &logonId, int64_t ts, int64_t slack) const;
    // An outbound Sysmon 3 on some other host from ip:port to an SMB port, within window of ts.
    const Outbound *outboundFrom(const std::string &ip, int64_t port, int64_t ts, int64_t window) const;
    // Drops the starts made so far when they hold more than the budget.
    void trim() const;

private:
    const std::vector<Start> &startsOf(int64_t host) const;

    struct OutboundRow {
        uint32_t ip = 0; // index into m_ips' ids
        int64_t port = 0;
        Outbound out;
    };
    const CaseSnapshot *m_snap = nullptr;
    const HostResolver *m_hosts = nullptr;
    size_t m_budget = 0;
    mutable std::unordered_map<int64_t, std::vector<Start>> m_starts;
    mutable size_t m_startBytes = 0;
    std::unordered_map<std::string, uint32_t> m_ips; // normalised source address -> id
    std::vector<OutboundRow> m_outbound; // by (ip, port), then in the order the snapshot gives
};

} // namespace tt::inference
