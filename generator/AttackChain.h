#pragma once

// The attacker: a phishing foothold on a workstation (payload pulled from outside), credential
// theft, then `hops` lateral tool transfers, rotating among copy to C$ (then WMI execution),
// robocopy / xcopy to ADMIN$ (then a scheduled task), PsExec-style service binaries through
// ADMIN$ (7045 + 4697), and RDP with \\tsclient drive redirection. Each dropped tool runs and
// becomes the next hop's source; the account used changes along the way.

#include "Scenario.h"

namespace tt::gen {

class AttackChain {
public:
    explicit AttackChain(Scenario &s)
        : m_s(s)
    {
    }
    void run();

private:
    struct Foothold {
        int host;
        Proc implant;
    };
    Foothold foothold(int64_t us, int host);
    // Each returns the implant started on dst.
    Proc hopCopyWmi(int64_t us, int src, const Proc &implant, int dst, int account, int hop);
    Proc hopAdminShareTask(int64_t us, int src, const Proc &implant, int dst, int account, int hop);
    Proc hopPsexec(int64_t us, int src, const Proc &implant, int dst, int account, int hop);
    Proc hopRdp(int64_t us, int src, const Proc &implant, int dst, int account, int hop);
    void beacon(int host, int64_t us, const Proc &implant, bool recon);
    void explicitCreds(int src, int64_t us, const Proc &p, int dst, int account);
    std::string toolName();
    int newTransfer(int src, int dst, const std::string &path, int account, const std::string &method,
        const std::string &share, int hop);

    Scenario &m_s;
    std::string m_c2Ip, m_c2Name;
};

} // namespace tt::gen
