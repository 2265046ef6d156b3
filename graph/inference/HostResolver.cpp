#include "inference/HostResolver.h"

#include "inference/CaseSnapshot.h"
#include "store/EntityRepository.h"
#include "store/HostName.h"

#include <algorithm>
#include <cstdlib>

namespace tt::inference {

namespace {
// A NetBIOS broadcast the host sent about its own name.
constexpr std::string_view kWeakBinding = "zeek-netbios";
} // namespace

bool HostResolver::isWeakBinding(std::string_view how)
{
    return how == kWeakBinding;
}

HostResolver::HostResolver(store::EntityRepository &entities)
    : m_entities(entities)
{
}

void HostResolver::load(const CaseSnapshot &snap)
{
    loadBindings();
    // One host's connections at a time (HostRows): the cache is trimmed between hosts.
    for (int64_t host : snap.connections.hosts()) {
        snap.connections.trim();
        for (const NetInfo &n : snap.connections.of(host))
            addPeerName(host, n);
    }
    snap.connections.trim();
}

void HostResolver::load(const ByHost<NetInfo> &connections)
{
    loadBindings();
    for (int64_t host : connections.hosts())
        for (const NetInfo &n : connections.of(host))
            addPeerName(host, n);
}

void HostResolver::loadBindings()
{
    for (store::HostEntityRow &h : m_entities.hosts())
        m_hosts[h.id] = {std::move(h.name), h.ipOnly};
    for (const store::AddressBindingRow &b : m_entities.addressBindings())
        m_byIp[store::normaliseIp(b.address)].push_back(
            Mapping {b.host, b.source, b.firstTs, b.lastTs, b.count, isWeakBinding(b.how) ? 1 : 0, {}});
    // Two named hosts holding one address at overlapping times: DHCP churn inside a recording,
    // cloned VMs, or a wrong record. Both bindings are kept; byIp() picks per time and source.
    // Weak bindings never make a conflict.
    m_entities.rewriteAddressConflicts(kWeakBinding);
}

// Sysmon 3 names the remote end (reverse DNS on the logging host): a weaker mapping, used when
// the telemetry of the peer itself is not in the case.
void HostResolver::addPeerName(int64_t host, const NetInfo &n)
{
    // The remote end is the one that is not local; unknown for ambiguous inbound records.
    std::string ip, name;
    switch (store::localEndOfConnection(n.initiated, n.protocol, n.srcPort, n.dstPort)) {
    case store::LocalEnd::Source:
        ip = n.dstIp;
        name = n.dstName;
        break;
    case store::LocalEnd::Destination:
        ip = n.srcIp;
        name = n.srcName;
        break;
    case store::LocalEnd::Unknown:
        break;
    }
    if (name.empty() || store::isUninformativeIp(ip))
        return;
    const store::HostName hn = store::normaliseHostName(name);
    if (!hn.valid || hn.isIp)
        return;
    auto hit = m_hosts.find(host);
    if (hit != m_hosts.end() && hit->second.first == hn.key)
        return; // its own name
    const int64_t peer = findNamedHost(name);
    if (peer == host)
        return;
    auto &v = m_byIp[store::normaliseIp(ip)];
    auto same = std::find_if(v.begin(), v.end(),
        [&](const Mapping &m) { return m.rank == 1 && m.source == n.source && m.peerName == hn.key; });
    if (same == v.end()) {
        v.push_back(Mapping {peer, n.source, n.ts, n.ts, 1, 1, hn.key});
    } else {
        same->first = std::min(same->first, n.ts);
        same->last = std::max(same->last, n.ts);
        ++same->count;
    }
}

int64_t HostResolver::byIp(std::string_view rawIp, int64_t ts, int64_t source)
{
    const std::string ip = store::normaliseIp(rawIp);
    if (store::isUninformativeIp(ip))
        return 0;
    auto it = m_byIp.find(ip);
    if (it == m_byIp.end())
        return 0;
    auto better = [&](const Mapping &a, const Mapping *b) {
        if (!b)
            return true;
        // Same recording first, then the binding valid at ts, then the host's own telemetry over a peer's reverse DNS,
        // then the most sightings; the host id breaks ties so the answer does not depend on order.
        const bool as = a.source == source, bs = b->source == source;
        if (as != bs)
            return as;
        // The binding valid at that time over one only within the tolerance (DHCP churn).
        const bool ain = ts >= a.first && ts <= a.last, bin = ts >= b->first && ts <= b->last;
        if (ain != bin)
            return ain;
        if (a.rank != b->rank)
            return a.rank < b->rank;
        if (a.count != b->count)
            return a.count > b->count;
        return a.host < b->host;
    };
    Mapping *pick = nullptr;
    for (Mapping &m : it->second)
        if (ts >= m.first - kAddressToleranceUs && ts <= m.last + kAddressToleranceUs && better(m, pick))
            pick = &m;
    if (pick && !pick->host)
        pick->host = ensureNamedHost(pick->peerName);
    return pick ? pick->host : 0;
}

int64_t HostResolver::byName(std::string_view raw, int64_t ts, int64_t source)
{
    const store::HostName hn = store::normaliseHostName(raw);
    if (!hn.valid)
        return 0;
    if (hn.isIp)
        return forAddress(hn.key, ts, source);
    return ensureNamedHost(raw);
}

int64_t HostResolver::internal(std::string_view raw, int64_t ts, int64_t source)
{
    const store::HostName hn = store::normaliseHostName(raw);
    if (!hn.valid)
        return 0;
    if (!hn.isIp)
        return findNamedHost(raw);
    if (int64_t h = byIp(hn.key, ts, source))
        return h;
    const std::string &ip = hn.key;
    const bool priv = ip.rfind("10.", 0) == 0 || ip.rfind("192.168.", 0) == 0
        || (ip.rfind("172.", 0) == 0 &&
            [&] {
                const int second = std::atoi(ip.c_str() + 4);
                return second >= 16 && second <= 31;
            }())
        || ip.rfind("fd", 0) == 0 || ip.rfind("fc", 0) == 0;
    return priv ? ensureIpHost(ip) : 0;
}

int64_t HostResolver::forAddress(std::string_view rawIp, int64_t ts, int64_t source)
{
    const std::string ip = store::normaliseIp(rawIp);
    if (store::isUninformativeIp(ip))
        return 0;
    if (int64_t h = byIp(ip, ts, source))
        return h;
    return ensureIpHost(ip);
}

bool HostResolver::hasAddress(int64_t host, std::string_view rawIp, int64_t ts) const
{
    const std::string ip = store::normaliseIp(rawIp);
    auto it = m_byIp.find(ip);
    if (it == m_byIp.end())
        return false;
    for (const Mapping &m : it->second)
        if (m.host == host && ts >= m.first - kAddressToleranceUs && ts <= m.last + kAddressToleranceUs)
            return true;
    return false;
}

bool HostResolver::isSelf(int64_t host, std::string_view ip, int64_t ts) const
{
    return store::isUninformativeIp(ip) || hasAddress(host, ip, ts);
}

bool HostResolver::isIpOnly(int64_t host) const
{
    auto it = m_hosts.find(host);
    return it != m_hosts.end() && it->second.second;
}

std::string HostResolver::name(int64_t host) const
{
    auto it = m_hosts.find(host);
    return it == m_hosts.end() ? std::string() : it->second.first;
}

int64_t HostResolver::findNamedHost(std::string_view raw)
{
    const store::HostName hn = store::normaliseHostName(raw);
    if (!hn.valid || hn.isIp)
        return 0;
    if (auto it = m_nameCache.find(hn.key); it != m_nameCache.end())
        return it->second;
    for (const std::string &n : {hn.key, hn.fqdn}) {
        if (n.empty())
            continue;
        if (const int64_t id = m_entities.hostIdByName(n)) {
            m_nameCache.emplace(hn.key, id);
            return id;
        }
    }
    return 0;
}

int64_t HostResolver::ensureNamedHost(std::string_view raw)
{
    const store::HostName hn = store::normaliseHostName(raw);
    if (!hn.valid)
        return 0;
    if (hn.isIp)
        return ensureIpHost(hn.key);
    int64_t id = findNamedHost(raw);
    if (id)
        return id;
    // A machine named only by others (a UNC path, a peer's reverse DNS): still an entity.
    id = m_entities.ensureNamedHost(hn.key, hn.fqdn);
    m_hosts[id] = {hn.key, false};
    m_nameCache.emplace(hn.key, id);
    return id;
}

int64_t HostResolver::ensureIpHost(const std::string &ip)
{
    if (auto it = m_nameCache.find(ip); it != m_nameCache.end())
        return it->second;
    int64_t id = m_entities.hostIdByEntityName(ip);
    if (!id) {
        id = m_entities.createIpHost(ip);
        m_hosts[id] = {ip, true};
    }
    m_nameCache.emplace(ip, id);
    return id;
}

} // namespace tt::inference
