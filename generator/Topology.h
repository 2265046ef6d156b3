#pragma once

// The invented domain: hosts (name, FQDN, IP in one /16, role, local time zone, clock skew,
// collector port, well-known process ids) and accounts (users, IT admins, service accounts,
// a domain admin). Deterministic for a seed.

#include <cstdint>
#include <string>
#include <vector>

namespace tt::gen {

enum class HostRole : uint8_t { DomainController, Server, AdminStation, Workstation, Linux };

struct Host {
    int index = 0;
    std::string name; // WS-FIN-07
    std::string fqdn; // WS-FIN-07.halcyon.lan
    std::string ip; // 10.42.16.23
    std::string serverKind; // FS, SQL, APP, WSUS, ADM, DC, or empty for workstations
    HostRole role = HostRole::Workstation;
    int tzMinutes = 0; // local = UTC + tzMinutes
    int64_t skewUs = 0; // host clock = true UTC + skewUs
    std::string guidPrefix; // Sysmon ProcessGuid Data1 (8 hex)
    std::string machineSid; // S-1-5-21-... for local accounts
    uint32_t sysmonPid = 0, lsassPid = 0, servicesPid = 0, scmThread = 0;
    int collectorPort = 0;
    int primaryUser = -1; // account index of the workstation's user
    double weight = 1.0; // share of background volume
    // DHCP leases (enterprise mode): from this true-UTC time on, the host holds this address;
    // empty: ip all the time. Sorted by time, the first one from the recording's start.
    struct Lease {
        int64_t fromUs;
        std::string ip;
    };
    std::vector<Lease> leases;
    int image = -1; // cloned image (enterprise mode): hosts of one image share machineSid
    bool vpn = false; // a remote user's laptop on the VPN pool (enterprise mode): its leases are pool addresses
    // The address the host holds at true UTC us.
    const std::string &ipAt(int64_t us) const
    {
        for (size_t i = leases.size(); i-- > 0;)
            if (leases[i].fromUs <= us)
                return leases[i].ip;
        return ip;
    }
};

// LocalAdmin: the one local administrator name of the cloned images (enterprise mode); its
// domain is the host's own name and its SID the host's machine SID + "-500", so the same
// name and SID stand for a different account on every host of an image.
enum class AccountKind : uint8_t { User, ItAdmin, Service, DomainAdmin, LocalAdmin };

struct Account {
    std::string sam; // mreyes
    std::string sid; // empty for LocalAdmin (per host: Topology::localSid)
    AccountKind kind = AccountKind::User;
    bool privileged() const { return kind != AccountKind::User; }
};

class Topology {
public:
    // hosts Windows machines (indices 0..hosts-1), then linuxHosts Linux servers (web, build, db ...).
    // enterprise: workstations cloned from a few images (shared machine SID, one local admin
    // name), and with days > 1 DHCP churn: half of the office workstations take another's
    // address every day (the day boundary in true UTC).
    Topology(int hosts, uint64_t seed, int linuxHosts = 0, bool enterprise = false, int days = 1);

    const std::vector<Host> &hosts() const { return m_hosts; }
    const std::vector<Account> &accounts() const { return m_accounts; }
    const Host &host(int i) const { return m_hosts[static_cast<size_t>(i)]; }
    const Account &account(int i) const { return m_accounts[static_cast<size_t>(i)]; }
    const std::string &netbios() const { return m_netbios; } // HALCYON
    const std::string &dnsDomain() const { return m_dns; } // halcyon.lan
    const std::string &dnsUpper() const { return m_dnsUpper; } // HALCYON.LAN
    const std::string &domainSid() const { return m_domainSid; }
    const std::string &collector() const { return m_collector; }
    int64_t startUs() const { return m_startUs; } // 00:00 local (main zone) of the first day, in UTC
    int mainTzMinutes() const { return m_mainTz; }

    std::vector<int> indicesOf(HostRole role) const;
    int windowsCount() const { return m_windows; }
    bool isLinux(int i) const { return i >= m_windows; }
    std::vector<int> accountsOf(AccountKind kind) const;
    int dc() const { return m_dc; }
    // The machine account name of a host: "WS-FIN-07$"
    static std::string machineAccount(const Host &h) { return h.name + '$'; }
    std::string machineSidOf(const Host &h) const;
    bool enterprise() const { return m_enterprise; }
    // The local admin account (enterprise mode), -1 otherwise.
    int localAdmin() const { return m_localAdmin; }
    // How an account is spelled on host h: DOMAIN\sam, HOST\sam for the local admin.
    std::string domainOf(int account, const Host &h) const;
    std::string sidOf(int account, const Host &h) const;
    // Hosts whose address changes during the recording (enterprise mode, days > 1; the VPN
    // laptops, whose pool address changes every day).
    std::vector<int> churned() const;
    // Enterprise mode: the jump servers admins hop through (PREFIX-JMP01..), the software
    // deployment server (PREFIX-PDQ01, -1 otherwise), the VPN pool's addresses (in pool order)
    // and the laptops holding them (every laptop takes a pool address each day at 06:00 main-zone
    // time, reshuffled, so one address is a different laptop on each day).
    const std::vector<int> &jumpServers() const { return m_jump; }
    int deployServer() const { return m_deploy; }
    const std::vector<std::string> &vpnPool() const { return m_vpnPool; }
    std::vector<int> vpnLaptops() const;
    // The VPN laptop holding pool address `ip` at true UTC us, -1 when none.
    int vpnHolder(const std::string &ip, int64_t us) const;
    // When the VPN pool is reshuffled on day d (d >= 1): 06:00 in the main zone.
    int64_t vpnSwitchUs(int day) const { return m_startUs + day * 86400000000LL + 6 * 3600000000LL; }

private:
    void addHost(
        const std::string &name, HostRole role, const std::string &kind, const std::string &ip, int tz, uint64_t &rs);

    std::vector<Host> m_hosts;
    std::vector<Account> m_accounts;
    std::string m_netbios, m_dns, m_dnsUpper, m_domainSid, m_collector;
    int64_t m_startUs = 0;
    int m_mainTz = -300;
    int m_dc = 0;
    int m_windows = 0;
    bool m_enterprise = false;
    int m_localAdmin = -1;
    std::vector<int> m_jump;
    int m_deploy = -1;
    std::vector<std::string> m_vpnPool;
};

} // namespace tt::gen
