#pragma once

// The scripted part of a recording: the attacker chain, benign admin transfers and placed
// look-alikes. Holds per-host event lists (sorted before writing) and the labelled transfers,
// and offers the primitive actions (process start, SMB session, share write, service install)
// that AttackChain and AdminActivity compose, each logged at both ends as Windows does.

#include "Event.h"
#include "EventFactory.h"
#include "HostContext.h"
#include "NetFlow.h"
#include "PlatformHost.h"
#include "Transfer.h"

#include <memory>
#include <string>
#include <vector>

namespace tt::gen {

class Scenario {
public:
    // linuxBudget: background records per Linux host (audit events + auth lines), about.
    // deployment: add DeploymentActivity (and LinuxActivity's Ansible pushes) after everything else.
    Scenario(const Topology &topo, uint64_t seed, int64_t startUs, int64_t endUs, int days, int hops,
        int64_t linuxBudget = 0, bool deployment = false, bool procedures = false, bool platforms = false);

    const Topology &topo() const { return m_topo; }
    std::vector<Event> &events(int host) { return m_events[static_cast<size_t>(host)]; }
    const std::vector<Transfer> &transfers() const { return m_transfers; }
    const std::vector<std::string> &notes() const { return m_notes; }
    int64_t eventCount() const;
    int hops() const { return m_hops; }
    bool deployment() const { return m_deployment; }
    // Linux hosts' records (index = host index), sorted; the sensor's flows.
    std::vector<LinuxRecord> &linuxRecords(int host) { return m_linux[static_cast<size_t>(host)]; }
    std::vector<NetFlow> &flows() { return m_flows; }
    int addFlow(NetFlow f);
    NetFlow &flow(int i) { return m_flows[static_cast<size_t>(i)]; }
    void putLinux(int host, LinuxRecord &&r);

    // Where the attacker has an implant (foothold first, then each hop's destination), and when
    // the Windows part of the chain ended: the Linux part starts from there.
    struct Pivot {
        int host;
        Proc implant;
        int64_t us;
    };
    std::vector<Pivot> pivots;
    int64_t attackEndUs = 0;
    // ESXi hosts and Macs (Options::platforms), with their rendered logs.
    std::vector<PlatformHost> platformHosts;

    // --- primitives used by AttackChain / AdminActivity ---
    HostContext &ctx(int host) { return *m_ctx[static_cast<size_t>(host)]; }
    EventFactory &f(int host) { return *m_factories[static_cast<size_t>(host)]; }
    Rng &rng() { return m_rng; }
    int64_t startUs() const { return m_startUs; }
    int64_t endUs() const { return m_endUs; }
    int days() const { return m_days; }

    // Adds an event to a host's list; tag = transfer index for evidence (or -1).
    void put(int host, Event &&e, int tag = -1, Trap trap = Trap::None);
    int addTransfer(Transfer t);
    Transfer &transfer(int i) { return m_transfers[static_cast<size_t>(i)]; }
    void note(std::string s) { m_notes.push_back(std::move(s)); }

    // Sysmon 1 + 4688 for child started by parent on host.
    Proc start(int host, int64_t us, const Proc &parent, std::string image, std::string cmd, int tag = -1,
        const Proc *asUser = nullptr);
    void stop(int host, int64_t us, const Proc &p);

    struct Session {
        Logon logon; // the destination's 4624
        std::string srcPort;
        int flow = -1; // the sensor's view of the session (-1: not on the wire)
    };
    // An SMB (port 445) session from src to dst as account: src DNS + Sysmon 3 by System,
    // dst Sysmon 3 inbound, 4624 type 3 and 4672 when privileged. byIp selects NTLM.
    Session smbSession(int src, int dst, int64_t us, int account, bool byIp, int tag, const Proc *srcProc);
    // 5140 + 5145 (create, then WriteData) + Sysmon 11 by System on dst, for a write through share.
    void shareWrite(int dst, int64_t us, const Session &s, const std::string &share, const std::string &localPath,
        const std::string &rel, const std::string &fullPath, int tag, Trap trap = Trap::None);
    void logoff(int dst, int64_t us, const Session &s, int tag = -1);
    // 7045 (with the installing account as its user) + 4697 on dst for a service the session installs.
    void installService(int dst, int64_t us, const Session &s, int account, const std::string &name,
        const std::string &imagePath, int tag);
    std::string randomName(int minLen, int maxLen, bool mixedCase = false);
    std::string ephemeralPort();
    std::string account(int account) const; // DOMAIN\sam

private:
    const Topology &m_topo;
    Rng m_rng;
    int64_t m_startUs, m_endUs;
    int m_days;
    int m_hops;
    bool m_deployment;
    bool m_procedures;
    uint64_t m_seq = uint64_t(1) << 62;
    std::vector<std::unique_ptr<HostContext>> m_ctx;
    std::vector<std::unique_ptr<EventFactory>> m_factories;
    std::vector<std::vector<Event>> m_events;
    std::vector<Transfer> m_transfers;
    std::vector<std::vector<LinuxRecord>> m_linux;
    std::vector<NetFlow> m_flows;
    std::vector<std::string> m_notes;
};

} // namespace tt::gen
