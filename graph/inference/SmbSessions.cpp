#include "inference/SmbSessions.h"

#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/WinPath.h"
#include "store/HostName.h"
#include "store/InferenceRepository.h"

#include <algorithm>
#include <cstdlib>

namespace tt::inference {

namespace {
bool smbPort(int64_t p)
{
    return p == 445 || p == 139;
}
} // namespace

void SmbSessions::build(const CaseSnapshot &snap, const HostResolver &hosts, store::InferenceRepository &repo,
    const store::InferenceScope &scope, size_t budgetBytes)
{
    m_snap = &snap;
    m_hosts = &hosts;
    m_budget = budgetBytes;
    repo.loadOutboundSmb(scope, [this](int64_t host, int64_t event, int64_t ts, std::string_view ip, int64_t port) {
        const auto id = m_ips.try_emplace(store::normaliseIp(ip), uint32_t(m_ips.size())).first->second;
        m_outbound.push_back({id, port, {host, event, ts}});
    });
    m_outbound.shrink_to_fit();
    std::stable_sort(m_outbound.begin(), m_outbound.end(),
        [](const OutboundRow &a, const OutboundRow &b) { return a.ip != b.ip ? a.ip < b.ip : a.port < b.port; });
}

const std::vector<SmbSessions::Start> &SmbSessions::startsOf(int64_t host) const
{
    if (auto it = m_starts.find(host); it != m_starts.end())
        return it->second;
    std::vector<Start> &v = m_starts[host];
    auto add = [&](Start s) {
        s.loopback = m_hosts->isSelf(host, s.ip, s.ts);
        m_startBytes += sizeof(Start) + s.ip.capacity() + s.logonId.capacity();
        v.push_back(std::move(s));
    };
    for (const NetInfo &n : m_snap->connections.of(host)) {
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
        add(std::move(s));
    }
    // A network logon (4624 type 3) or a share connection (5140) from an address: a start with
    // its logon id and account (LogonInfo and ShareInfo name these fields alike).
    auto fromLogonRecord = [&](const auto &r, const char *role) {
        Start s;
        s.ts = r.ts;
        s.event = r.event;
        s.source = r.source;
        s.ip = store::normaliseIp(r.ip);
        s.port = r.port;
        s.logonId = r.logonId;
        s.account = r.account;
        s.role = role;
        add(std::move(s));
    };
    for (const LogonInfo &l : m_snap->logons.of(host))
        if (l.type == 3 && !l.ip.empty())
            fromLogonRecord(l, "dst-logon");
    for (const ShareInfo &sh : m_snap->shares.of(host))
        if (sh.code == 5140 && !sh.ip.empty())
            fromLogonRecord(sh, "dst-share");
    std::stable_sort(v.begin(), v.end(),
        [](const Start &a, const Start &b) { return a.ts != b.ts ? a.ts < b.ts : a.event < b.event; });
    return v;
}

void SmbSessions::trim() const
{
    if (m_startBytes > m_budget) {
        m_starts.clear();
        m_startBytes = 0;
    }
}

std::vector<const SmbSessions::Start *> SmbSessions::startsOn(int64_t host, int64_t lo, int64_t hi) const
{
    std::vector<const Start *> out;
    const std::vector<Start> &v = startsOf(host);
    auto b = std::lower_bound(v.begin(), v.end(), lo, [](const Start &s, int64_t t) { return s.ts < t; });
    for (; b != v.end() && b->ts <= hi; ++b)
        out.push_back(&*b);
    return out;
}

const LogonInfo *SmbSessions::logonOf(int64_t host, const std::string &logonId, int64_t ts, int64_t slack) const
{
    if (logonId.empty() || logonId == "0x0" || logonId == "0x3e7" || logonId == "0x3e4" || logonId == "0x3e5")
        return nullptr;
    const LogonInfo *best = nullptr;
    for (const LogonInfo &l : m_snap->logons.of(host))
        if (l.logonId == logonId && l.ts <= ts + slack && (!best || l.ts > best->ts))
            best = &l;
    return best;
}

const SmbSessions::Outbound *SmbSessions::outboundFrom(
    const std::string &ip, int64_t port, int64_t ts, int64_t window) const
{
    if (ip.empty() || port <= 0)
        return nullptr;
    auto id = m_ips.find(store::normaliseIp(ip));
    if (id == m_ips.end())
        return nullptr;
    const auto [b, e] = std::equal_range(m_outbound.begin(), m_outbound.end(), OutboundRow {id->second, port, {}},
        [](const OutboundRow &x, const OutboundRow &y) { return x.ip != y.ip ? x.ip < y.ip : x.port < y.port; });
    const Outbound *best = nullptr;
    for (auto it = b; it != e; ++it) {
        const Outbound &n = it->out;
        if (std::llabs(n.ts - ts) <= window && (!best || std::llabs(n.ts - ts) < std::llabs(best->ts - ts)))
            best = &n;
    }
    return best;
}

} // namespace tt::inference
