#pragma once

// Host entity resolution for inference: names (NetBIOS, FQDN, machine account) through the
// case's host_names, addresses through host_addresses, which hold only within their evidence's
// time span (plus a tolerance of minutes) because addresses are reused between recordings. A
// machine seen only by address becomes an IP-only host labelled with the address; it merges with
// its named host as soon as a mapping links them (the next run resolves the address instead).

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::store {
class EntityRepository;
struct NetInfo;
} // namespace tt::store

namespace tt::inference {

class CaseSnapshot;
template<typename T> class ByHost;

class HostResolver {
public:
    // How far outside its first / last sighting an address mapping still holds.
    static constexpr int64_t kAddressToleranceUs = 15LL * 60 * 1000000;

    explicit HostResolver(store::EntityRepository &entities);
    // Loads host_addresses and adds the peer names Sysmon 3 reports (SourceHostname /
    // DestinationHostname) as time-bounded mappings of their own.
    void load(const CaseSnapshot &snap);
    // The same with the Sysmon 3 peer names of connections read apart (incremental inference
    // reads every connection for them: a mapping spans all its sightings, not the run's window).
    void load(const ByHost<store::NetInfo> &connections);

    // The host that held ip at ts, preferring mappings learned from the same source; 0 when none.
    int64_t byIp(std::string_view ip, int64_t ts, int64_t source);
    // A host named in a UNC path or a command line: a name (created when new) or an address
    // (resolved at ts, else an IP-only host). 0 for loopback names and junk.
    int64_t byName(std::string_view raw, int64_t ts, int64_t source);
    // Only hosts the case already knows by that name, or internal (private-range) addresses:
    // for URLs, where an unknown name is more likely the internet than a peer.
    int64_t internal(std::string_view raw, int64_t ts, int64_t source);
    // The host for a remote address: resolved, else an IP-only host (created when new).
    int64_t forAddress(std::string_view ip, int64_t ts, int64_t source);
    bool hasAddress(int64_t host, std::string_view ip, int64_t ts) const;
    // True when ip is one of host's own addresses around ts or a loopback address.
    bool isSelf(int64_t host, std::string_view ip, int64_t ts) const;
    bool isIpOnly(int64_t host) const;
    // Bindings that hold only where nothing stronger names the address (a NetBIOS broadcast the
    // host sent about its own name); they never make an address conflict.
    static bool isWeakBinding(std::string_view how);
    std::string name(int64_t host) const;

private:
    struct Mapping {
        int64_t host, source, first, last, count;
        int rank; // 0 telemetry of the host itself / logon, 1 a peer's reverse-DNS name or a weak binding
        std::string peerName; // rank 1: the host is created only when a rule needs it
    };
    void loadBindings();
    void addPeerName(int64_t host, const store::NetInfo &n);
    int64_t ensureNamedHost(std::string_view raw);
    int64_t findNamedHost(std::string_view raw);
    int64_t ensureIpHost(const std::string &ip);

    store::EntityRepository &m_entities;
    std::unordered_map<std::string, std::vector<Mapping>> m_byIp;
    std::unordered_map<std::string, int64_t> m_nameCache;
    std::unordered_map<int64_t, std::pair<std::string, bool>> m_hosts; // id -> (name, ip only)
};

} // namespace tt::inference
