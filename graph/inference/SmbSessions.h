#pragma once

// SMB sessions seen from both ends, for the rules that need to know who was connected when a
// file appeared: inbound session starts on a destination (Sysmon 3 to 445 / 139, 4624 type 3,
// 5140) and outbound connections on sources (Sysmon 3 from the same address and port).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt::store {
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

    void build(const CaseSnapshot &snap, const HostResolver &hosts);
    // Session starts on host with lo <= ts <= hi, sorted by time.
    std::vector<const Start *> startsOn(int64_t host, int64_t lo, int64_t hi) const;
    // The 4624 of a logon id on host, the latest not after ts + slack.
    const LogonInfo *logonOf(int64_t host, const std::string &logonId, int64_t ts, int64_t slack) const;
    // An outbound Sysmon 3 on some other host from ip:port to an SMB port, within window of ts.
    const NetInfo *outboundFrom(const std::string &ip, int64_t port, int64_t ts, int64_t window) const;

private:
    std::unordered_map<int64_t, std::vector<Start>> m_starts;
    std::unordered_map<std::string, std::vector<const LogonInfo *>> m_logons; // "host|logonid"
    std::unordered_map<std::string, std::vector<const NetInfo *>> m_outbound; // "ip|port"
};

} // namespace tt::inference
