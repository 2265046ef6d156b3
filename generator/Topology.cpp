#include "Topology.h"

#include "Options.h"
#include "Rng.h"
#include "TimeFormat.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <iterator>
#include <set>

namespace tt::gen {

namespace {

struct DomainName {
    const char *netbios, *dns, *prefix;
};
const DomainName kDomains[] = {
    {"HALCYON", "halcyon.lan", "HLC"},
    {"BRIARWOOD", "corp.briarwood.net", "BRW"},
    {"VANTORIA", "vantoria.local", "VTR"},
    {"OSTRALIS", "ad.ostralis.org", "OST"},
};
const char *const kDepts[] = {"FIN", "ENG", "HR", "OPS", "SLS", "MKT", "LEG", "RND"};
const char *const kFirst[]
    = {"maria", "tomas", "kofi", "ingrid", "ravi", "lucia", "daniel", "aiko", "samuel", "fatima", "oliver", "nadia",
        "pedro", "hannah", "yusuf", "elena", "marcus", "priya", "jonas", "chloe", "andre", "mei", "viktor", "grace"};
const char *const kLast[] = {"reyes", "okafor", "lindqvist", "patel", "moreau", "tanaka", "novak", "haddad", "schmidt",
    "obrien", "castillo", "kowalski", "nguyen", "brennan", "alvarez", "fischer", "mensah", "rossi", "larsen", "dubois",
    "hughes", "varga"};

std::string hex8(uint64_t v)
{
    static const char d[] = "0123456789abcdef";
    std::string s(8, '0');
    for (int i = 7; i >= 0; --i) {
        s[static_cast<size_t>(i)] = d[v & 15];
        v >>= 4;
    }
    return s;
}

std::string sidTail(Rng &r)
{
    return std::to_string(r.range(1000000000, 4294967295LL)) + '-' + std::to_string(r.range(1000000000, 4294967295LL))
        + '-' + std::to_string(r.range(1000000000, 4294967295LL));
}

// How many blocks (department numbers, /24 subnets) a name or address space needs so that
// `needed` items drawn at random always find a free slot. Up to minBlocks * perBlock items keep
// the historical size (same output for a seed); past it the space grows to at most half full, so
// the draw loops below stay short. A fixed space (8 departments x 60 numbers) was what made
// `gen --hosts 518` loop forever.
int blocksFor(int needed, int perBlock, int minBlocks)
{
    if (needed <= minBlocks * perBlock)
        return minBlocks;
    return (2 * needed + perBlock - 1) / perBlock;
}

// Workstation subnets: 10.N.16-23.x first, then 10.N.40-199.x (1 holds the servers, 30-39 the
// Linux servers, 200 and up the branch office).
int workstationSubnet(int block)
{
    return block < 8 ? 16 + block : 40 + (block - 8);
}

constexpr int kHostsPerSubnet = 241; // .10 .. .250

} // namespace

Topology::Topology(int hostCount, uint64_t seed, int linuxHosts, bool enterprise, int days)
    : m_enterprise(enterprise)
{
    hostCount = std::clamp(hostCount, 2, Options::kMaxHosts);
    Rng r(Rng::derive(seed, 0x7070));
    const DomainName &dn = kDomains[(seed - 1) % (sizeof kDomains / sizeof kDomains[0])];
    m_netbios = dn.netbios;
    m_dns = dn.dns;
    m_dnsUpper = m_dns;
    std::transform(m_dnsUpper.begin(), m_dnsUpper.end(), m_dnsUpper.begin(),
        [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    m_domainSid = "S-1-5-21-" + sidTail(r);
    m_collector = "wec01." + m_dns;
    // Monday 2023-11-13 00:00 in the main zone (UTC-5, New York in winter), shifted by seed weeks.
    const int64_t weeks = static_cast<int64_t>(seed % 20);
    m_startUs = (TimeFormat::daysFromCivil(2023, 11, 13) + weeks * 7) * 86400000000LL - m_mainTz * 60000000LL;

    const int net = 20 + static_cast<int>(r.below(200));
    const std::string base = "10." + std::to_string(net) + '.';
    const std::string prefix = dn.prefix;

    // Composition.
    const int dcs = hostCount >= 10 ? 2 : 1;
    std::vector<std::pair<std::string, std::string>> servers; // kind, name
    const char *const serverKinds[] = {"FS", "ADM", "SQL", "APP", "WSUS", "FS", "APP", "SQL", "BKP", "APP"};
    const int serverCount = hostCount >= 4 ? std::min<int>(10, (hostCount - dcs) / 3 + (hostCount >= 6)) : 0;
    int kindCount[16] = {};
    for (int i = 0; i < serverCount; ++i) {
        const std::string kind = serverKinds[i];
        const int n = ++kindCount[std::hash<std::string> {}(kind) % 16];
        servers.emplace_back(kind, prefix + '-' + kind + (n < 10 ? "0" : "") + std::to_string(n));
    }
    const int branch = hostCount >= 6 ? std::max(2, hostCount / 20) : 0;
    const int workstations = hostCount - dcs - serverCount;

    uint64_t rs = Rng::derive(seed, 0x5eed);
    for (int i = 0; i < dcs; ++i)
        addHost(prefix + "-DC0" + std::to_string(i + 1), HostRole::DomainController, "DC",
            base + "1." + std::to_string(5 + i), m_mainTz, rs);
    m_dc = 0;
    for (size_t i = 0; i < servers.size(); ++i)
        addHost(servers[i].second, servers[i].first == "ADM" ? HostRole::AdminStation : HostRole::Server,
            servers[i].first, base + "1." + std::to_string(20 + i * 3), m_mainTz, rs);
    // Random names and addresses, drawn until unused, from spaces sized for the counts.
    const int office = workstations - branch;
    const int officeNumbers = blocksFor(office, static_cast<int>(std::size(kDepts)), 60);
    const int branchNumbers = blocksFor(branch, 1, 60);
    const int officeSubnets = blocksFor(office, kHostsPerSubnet, 8);
    const int branchSubnets = blocksFor(branch, kHostsPerSubnet, 1);
    // Options::kMaxHosts keeps both inside the /16: 10.N.40-199 and 10.N.200-255.
    assert(workstationSubnet(officeSubnets - 1) < 200 && 200 + branchSubnets - 1 <= 255);
    std::set<std::string> used;
    for (int i = 0; i < workstations; ++i) {
        const bool isBranch = i >= office;
        std::string name;
        do {
            const int num = static_cast<int>(r.range(1, isBranch ? branchNumbers : officeNumbers));
            name = std::string(isBranch ? "BER-WS-" : std::string("WS-") + r.pick(kDepts) + '-') + (num < 10 ? "0" : "")
                + std::to_string(num);
        } while (!used.insert(name).second);
        std::string ip;
        do {
            // The host part is drawn first (the order this expression had before the fix, so
            // that small networks stay the same for a seed).
            const int64_t last = r.range(10, 9 + kHostsPerSubnet);
            const int subnet = isBranch ? 200 + (branchSubnets > 1 ? static_cast<int>(r.below(branchSubnets)) : 0)
                                        : workstationSubnet(static_cast<int>(r.below(officeSubnets)));
            ip = base + std::to_string(subnet) + '.' + std::to_string(last);
        } while (!used.insert(ip).second);
        addHost(name, HostRole::Workstation, std::string(), ip, isBranch ? 60 : m_mainTz, rs);
    }

    // Accounts: one user per workstation, IT admins, service accounts, a domain admin.
    std::set<std::string> names;
    auto addAccount = [&](std::string sam, AccountKind kind) {
        while (!names.insert(sam).second)
            sam += std::to_string(r.range(1, 9));
        m_accounts.push_back(
            {sam, m_domainSid + '-' + std::to_string(1100 + m_accounts.size() * 7 + r.below(7)), kind});
        return static_cast<int>(m_accounts.size()) - 1;
    };
    for (Host &h : m_hosts)
        if (h.role == HostRole::Workstation)
            h.primaryUser = addAccount(std::string(1, r.pick(kFirst)[0]) + r.pick(kLast), AccountKind::User);
    for (int i = 0; i < 3; ++i)
        addAccount(std::string("adm-") + r.pick(kFirst)[0] + r.pick(kLast), AccountKind::ItAdmin);
    addAccount("svc_backup", AccountKind::Service);
    addAccount("svc_deploy", AccountKind::Service);
    addAccount("svc_sql", AccountKind::Service);
    addAccount(std::string("da-") + r.pick(kFirst) + '.' + r.pick(kLast), AccountKind::DomainAdmin);
    for (Host &h : m_hosts)
        if (h.role != HostRole::Workstation)
            h.primaryUser = accountsOf(AccountKind::ItAdmin)[static_cast<size_t>(h.index) % 3];

    if (enterprise) {
        // Own stream, after everything above: the rest of the topology is the same with or without.
        Rng er(Rng::derive(seed, 0xc10e));
        // Jump servers and the deployment server: the last office workstations become servers
        // (their address in the server subnet, an IT admin as owner, never cloned or churned).
        {
            std::vector<int> office;
            for (const Host &h : m_hosts)
                if (h.role == HostRole::Workstation && h.tzMinutes == m_mainTz)
                    office.push_back(h.index);
            if (office.size() >= 12) {
                const auto itAdmins = accountsOf(AccountKind::ItAdmin);
                auto convert = [&](int i, const std::string &kind, int n, int octet) {
                    Host &h = m_hosts[static_cast<size_t>(i)];
                    h.name = prefix + '-' + kind + "0" + std::to_string(n);
                    h.fqdn = h.name + '.' + m_dns;
                    h.ip = base + "1." + std::to_string(octet);
                    h.role = HostRole::Server;
                    h.serverKind = kind;
                    h.weight = 1.5;
                    h.primaryUser = itAdmins[static_cast<size_t>(h.index) % itAdmins.size()];
                };
                const size_t k = office.size();
                convert(office[k - 1], "JMP", 1, 60);
                convert(office[k - 2], "JMP", 2, 61);
                convert(office[k - 3], "PDQ", 1, 64);
                m_jump = {office[k - 1], office[k - 2]};
                m_deploy = office[k - 3];
            }
        }
        // Workstations cloned from three images without sysprep: one machine SID per image.
        std::string images[3];
        for (std::string &sid : images)
            sid = "S-1-5-21-" + sidTail(er);
        int k = 0;
        for (Host &h : m_hosts)
            if (h.role == HostRole::Workstation) {
                h.image = k % 3;
                h.machineSid = images[k++ % 3];
            }
        // One local administrator name on every image (not a domain account: per host).
        m_accounts.push_back({"itlocal", std::string(), AccountKind::LocalAdmin});
        m_localAdmin = static_cast<int>(m_accounts.size()) - 1;
        // DHCP churn: every second office workstation takes the address of the next one in
        // that rotation each day, so one address is a different host every day.
        std::vector<int> rot;
        for (const Host &h : m_hosts)
            if (h.role == HostRole::Workstation && h.tzMinutes == m_mainTz && (h.index % 2) == 0)
                rot.push_back(h.index);
        if (days > 1 && rot.size() >= 2) {
            std::vector<std::string> orig;
            orig.reserve(rot.size());
            for (int i : rot)
                orig.push_back(m_hosts[static_cast<size_t>(i)].ip);
            for (int d = 1; d < days; ++d)
                for (size_t j = 0; j < rot.size(); ++j)
                    m_hosts[static_cast<size_t>(rot[j])].leases.push_back(
                        {m_startUs + d * 86400000000LL, orig[(j + static_cast<size_t>(d)) % rot.size()]});
        }
        // VPN pool: every 16th workstation's user works remotely from a laptop (odd office
        // indices, never in the DHCP rotation above) and gets a pool address (10.N.240.x ...)
        // from the VPN concentrator; the pool is reshuffled every morning, so an address is
        // another user's laptop the next day (the first address always changes hands).
        std::vector<int> laptops;
        for (const Host &h : m_hosts)
            if (h.role == HostRole::Workstation && h.tzMinutes == m_mainTz && (h.index % 2) == 1)
                laptops.push_back(h.index);
        const size_t nLaptops = std::min(laptops.size(), std::max<size_t>(3, static_cast<size_t>(workstations) / 16));
        laptops.resize(nLaptops);
        if (nLaptops >= 2) {
            for (size_t p = 0; p < nLaptops; ++p)
                m_vpnPool.push_back(
                    base + std::to_string(240 + p / kHostsPerSubnet) + '.' + std::to_string(10 + p % kHostsPerSubnet));
            std::vector<size_t> perm(nLaptops); // perm[p] = laptop holding pool address p
            for (size_t p = 0; p < nLaptops; ++p)
                perm[p] = p;
            auto assign = [&](int64_t fromUs, bool first) {
                for (size_t p = 0; p < nLaptops; ++p) {
                    Host &h = m_hosts[static_cast<size_t>(laptops[perm[p]])];
                    h.vpn = true;
                    if (first)
                        h.ip = m_vpnPool[p];
                    else
                        h.leases.push_back({fromUs, m_vpnPool[p]});
                }
            };
            for (size_t p = nLaptops; p > 1; --p)
                std::swap(perm[p - 1], perm[er.below(p)]);
            assign(m_startUs, true);
            for (int d = 1; d < days; ++d) {
                const size_t before = perm[0];
                for (size_t p = nLaptops; p > 1; --p)
                    std::swap(perm[p - 1], perm[er.below(p)]);
                if (perm[0] == before)
                    std::swap(perm[0], perm[1]);
                assign(vpnSwitchUs(d), false);
            }
        }
    }

    // Linux servers (own stream: the Windows part stays the same for a seed): a DMZ-ish server
    // subnet, clocks in UTC, no collector.
    m_windows = static_cast<int>(m_hosts.size());
    const char *const linuxKinds[] = {"web", "build", "db", "app", "git", "mon", "proxy", "ci"};
    uint64_t ls = Rng::derive(seed, 0x11a0c);
    int kindCount2[8] = {};
    for (int i = 0; i < std::clamp(linuxHosts, 0, 200); ++i) {
        const int k = i % 8;
        const int n = ++kindCount2[k];
        addHost(std::string(linuxKinds[k]) + (n < 10 ? "0" : "") + std::to_string(n), HostRole::Linux, "LNX",
            base + std::to_string(30 + i / 200) + '.' + std::to_string(10 + i % 200), 0, ls);
        // HostContext models every host's Windows-side processes; give it an owner too.
        m_hosts.back().primaryUser = accountsOf(AccountKind::ItAdmin)[static_cast<size_t>(i) % 3];
        m_hosts.back().weight = 0.5;
    }
}

void Topology::addHost(
    const std::string &name, HostRole role, const std::string &kind, const std::string &ip, int tz, uint64_t &rs)
{
    Rng r(Rng::splitmix(rs));
    Host h;
    h.index = static_cast<int>(m_hosts.size());
    h.name = name;
    h.fqdn = name + '.' + m_dns;
    h.ip = ip;
    h.role = role;
    h.serverKind = kind;
    h.tzMinutes = tz;
    h.skewUs = r.range(0, 8000) * 1000 + r.range(0, 999);
    h.guidPrefix = hex8(r.next());
    h.machineSid = "S-1-5-21-" + sidTail(r);
    h.sysmonPid = static_cast<uint32_t>(r.range(500, 1200)) * 4;
    h.lsassPid = static_cast<uint32_t>(r.range(150, 200)) * 4;
    h.servicesPid = h.lsassPid - 16;
    h.scmThread = static_cast<uint32_t>(r.range(100, 3000)) * 4;
    h.collectorPort = static_cast<int>(r.range(49700, 65000));
    h.weight = role == HostRole::DomainController ? 2.5 : role == HostRole::Workstation ? 1.0 : 1.5;
    m_hosts.push_back(std::move(h));
}

std::vector<int> Topology::indicesOf(HostRole role) const
{
    std::vector<int> out;
    for (const Host &h : m_hosts)
        if (h.role == role)
            out.push_back(h.index);
    return out;
}

std::vector<int> Topology::accountsOf(AccountKind kind) const
{
    std::vector<int> out;
    for (size_t i = 0; i < m_accounts.size(); ++i)
        if (m_accounts[i].kind == kind)
            out.push_back(static_cast<int>(i));
    return out;
}

std::string Topology::machineSidOf(const Host &h) const
{
    return m_domainSid + '-' + std::to_string(2000 + h.index * 3);
}

std::string Topology::domainOf(int account, const Host &h) const
{
    return account == m_localAdmin ? h.name : m_netbios;
}

std::string Topology::sidOf(int account, const Host &h) const
{
    return account == m_localAdmin ? h.machineSid + "-500" : this->account(account).sid;
}

std::vector<int> Topology::vpnLaptops() const
{
    std::vector<int> out;
    for (const Host &h : m_hosts)
        if (h.vpn)
            out.push_back(h.index);
    return out;
}

int Topology::vpnHolder(const std::string &ip, int64_t us) const
{
    for (const Host &h : m_hosts)
        if (h.vpn && h.ipAt(us) == ip)
            return h.index;
    return -1;
}

std::vector<int> Topology::churned() const
{
    std::vector<int> out;
    for (const Host &h : m_hosts)
        if (!h.leases.empty())
            out.push_back(h.index);
    return out;
}

} // namespace tt::gen
