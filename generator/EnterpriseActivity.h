#pragma once

// Enterprise shapes of lateral tool transfer beside the identity problems of Topology's
// enterprise mode (issue 10 item 6):
// - jump servers: IT admins RDP into PREFIX-JMP0N from the admin station, then copy tools to
//   servers and workstations over C$ and run PsExec from there (benign-admin, source = the jump
//   server), after pulling the day's tool from the file server's Software share (a pull:
//   `copy \\FS\Software\...` on the jump server, 5145 ReadData on the file server, the sensor's
//   SMB::FILE_READ);
// - VPN laptops: every day the laptops holding the VPN pool's first two addresses push a support
//   bundle to the file server's Support share from Explorer (no command line names the server:
//   the source is known only from the pool address, which another laptop held the day before);
// - a software-deployment server (PDQ-like, PREFIX-PDQ01) pushing one package to hundreds of
//   workstations, eight at a time (runner service + package per host, labelled benign-admin
//   with `deployment` = pdq), with a push landing on each attacker hop's Windows destination
//   one second before the hop.
// Runs last (Scenario), only in enterprise mode.

#include "Scenario.h"

namespace tt::gen {

class EnterpriseActivity {
public:
    explicit EnterpriseActivity(Scenario &s)
        : m_s(s)
    {
    }
    void run();

    // Most workstations the deployment server pushes to.
    static constexpr size_t kMaxFanTargets = 400;

private:
    void jumpDay(int day, int jump, int from, const std::vector<int> &targets, size_t &next);
    void rdpLogon(int64_t us, int src, int dst, int account);
    void laptopPush(int64_t us, int laptop, int server);
    // The jump server copies a tool from the file server's Software share (pull, source = server).
    void toolPull(int64_t us, int jump, int server, int account, const std::string &file);
    void deploymentFan();

    Scenario &m_s;
};

} // namespace tt::gen
