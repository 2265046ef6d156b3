#include "inference/SmbSessions.h"

#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/WinPath.h"
#include "store/HostName.h"

#include <algorithm>
#include <cstdlib>

namespace tt::inference {

namespace {
bool smbPort(int64_t p)
{
    return p == 445 || p == 139;
}
} // namespace

void SmbSessions::build(const CaseSnapshot &snap, const HostResolver &hosts)
{
    auto add = [&](int64_t host, Start s) {
        s.loopback = hosts.isSelf(host, s.ip, s.ts);
        m_starts[host].push_back(std::move(s));
    };
    for (int64_t host : snap.connections.hosts())
        for (const NetInfo &n : snap.connections.of(host)) {
            if (n.initiated == 1) {
                if (smbPort(n.dstPort) && !n.srcIp.empty() && n.srcPort > 0)
                    m_outbound[store::normaliseIp(n.srcIp) + '|' + std::to_string(n.srcPort)].push_back(&n);
                continue;
            }
            if (n.initiated != 0)
                continue;
            // Older Sysmon swaps the ends of inbound connections (local side first, SourcePort 445).
            const bool swapped = smbPort(n.srcPort) && !smbPort(n.dstPort);
            if (!smbPort(n.dstPort) && !swapped)
                continue;
            Start s;
            s.ts = n.ts;
            s.event = n.event;
            s.source = n.source;
            s.ip = store::normaliseIp(swapped ? n.dstIp : n.srcIp);
            s.port = swapped ? n.dstPort : n.srcPort;
            s.role = "dst-connect";
            add(host, std::move(s));
        }
    for (int64_t host : snap.logons.hosts())
        for (const LogonInfo &l : snap.logons.of(host)) {
            if (!l.logonId.empty())
                m_logons[std::to_string(host) + '|' + l.logonId].push_back(&l);
            if (l.type != 3 || l.ip.empty())
                continue;
            Start s;
            s.ts = l.ts;
            s.event = l.event;
            s.source = l.source;
            s.ip = store::normaliseIp(l.ip);
            s.port = l.port;
            s.logonId = l.logonId;
            s.account = l.account;
            s.role = "dst-logon";
            add(host, std::move(s));
        }
    for (int64_t host : snap.shares.hosts())
        for (const ShareInfo &sh : snap.shares.of(host)) {
            if (sh.code != 5140 || sh.ip.empty())
                continue;
            Start s;
            s.ts = sh.ts;
            s.event = sh.event;
            s.source = sh.source;
            s.ip = store::normaliseIp(sh.ip);
            s.port = sh.port;
            s.logonId = sh.logonId;
            s.account = sh.account;
            s.role = "dst-share";
            add(host, std::move(s));
        }
    for (auto &[host, v] : m_starts)
        std::stable_sort(v.begin(), v.end(),
            [](const Start &a, const Start &b) { return a.ts != b.ts ? a.ts < b.ts : a.event < b.event; });
}

std::vector<const SmbSessions::Start *> SmbSessions::startsOn(int64_t host, int64_t lo, int64_t hi) const
{
    std::vector<const Start *> out;
    auto it = m_starts.find(host);
    if (it == m_starts.end())
        return out;
    const auto &v = it->second;
    auto b = std::lower_bound(v.begin(), v.end(), lo, [](const Start &s, int64_t t) { return s.ts < t; });
    for (; b != v.end() && b->ts <= hi; ++b)
        out.push_back(&*b);
    return out;
}

const LogonInfo *SmbSessions::logonOf(int64_t host, const std::string &logonId, int64_t ts, int64_t slack) const
{
    if (logonId.empty() || logonId == "0x0" || logonId == "0x3e7" || logonId == "0x3e4" || logonId == "0x3e5")
        return nullptr;
    auto it = m_logons.find(std::to_string(host) + '|' + logonId);
    if (it == m_logons.end())
        return nullptr;
    const LogonInfo *best = nullptr;
    for (const LogonInfo *l : it->second)
        if (l->ts <= ts + slack && (!best || l->ts > best->ts))
            best = l;
    return best;
}

const NetInfo *SmbSessions::outboundFrom(const std::string &ip, int64_t port, int64_t ts, int64_t window) const
{
    if (ip.empty() || port <= 0)
        return nullptr;
    auto it = m_outbound.find(store::normaliseIp(ip) + '|' + std::to_string(port));
    if (it == m_outbound.end())
        return nullptr;
    const NetInfo *best = nullptr;
    for (const NetInfo *n : it->second)
        if (std::llabs(n->ts - ts) <= window && (!best || std::llabs(n->ts - ts) < std::llabs(best->ts - ts)))
            best = n;
    return best;
}

} // namespace tt::inference
