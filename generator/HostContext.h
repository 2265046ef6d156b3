#pragma once

// Per-host generation state: its random stream, process-id / ProcessGuid / logon-id allocators
// and the long-lived processes (started at boot, before the recording) that parent everything.

#include "Proc.h"
#include "Rng.h"
#include "Topology.h"

#include <string>
#include <unordered_map>

namespace tt::gen {

struct Logon {
    std::string sam; // TargetUserName
    std::string domain; // TargetDomainName (NETBIOS or DNS upper for Kerberos)
    std::string sid;
    std::string ip = "-"; // IpAddress
    std::string port = "-";
    std::string workstation = "-";
    std::string authPackage = "Kerberos";
    std::string logonGuid;
    uint64_t logonId = 0;
    int type = 3;
    bool privileged = false;
};

class HostContext {
public:
    // stream separates independent users of the same host (background vs scenario) so their
    // allocations never collide.
    HostContext(const Topology &topo, int host, uint64_t seed, int stream);

    const Topology &topo() const { return m_topo; }
    const Host &host() const { return m_host; }
    Rng &rng() { return m_rng; }

    uint32_t newPid();
    uint64_t newLogonId();
    std::string processGuid(int64_t startUs);
    std::string logonGuid(int64_t us, uint64_t logonId) const;
    const std::string &hashes(const std::string &image);

    // Long-lived processes.
    const Proc &system() const { return m_system; }
    const Proc &services() const { return m_services; }
    const Proc &svchostDcom() const { return m_svcDcom; }
    const Proc &svchostSchedule() const { return m_svcSchedule; }
    const Proc &svchostNetsvcs() const { return m_svcNetsvcs; }
    const Proc &svchostTerm() const { return m_svcTerm; }
    const Proc &defender() const { return m_defender; }
    const Proc &explorer() const { return m_explorer; } // of the host's primary user

    // A child process of parent, started at us, run as the parent's user unless asUser is set.
    Proc spawn(int64_t us, const Proc &parent, std::string image, std::string cmd, const Proc *asUser = nullptr);
    // A SYSTEM process / a process of an account's interactive (or network) logon.
    Proc systemProc(int64_t us, std::string image, std::string cmd);
    Proc userProc(
        int64_t us, int account, uint64_t logonId, int session, std::string image, std::string cmd, bool elevated);
    Logon logonFor(int account, int type, int64_t us, bool kerberos);
    Logon machineLogon(const Host &from, int64_t us);

private:
    const Topology &m_topo;
    const Host &m_host;
    Rng m_rng;
    uint32_t m_pidBase;
    uint32_t m_guidCounter;
    uint64_t m_logonCounter;
    std::string m_guidSuffix;
    std::unordered_map<std::string, std::string> m_hashes;
    Proc m_system, m_services, m_svcDcom, m_svcSchedule, m_svcNetsvcs, m_svcTerm, m_defender, m_explorer;
};

} // namespace tt::gen
