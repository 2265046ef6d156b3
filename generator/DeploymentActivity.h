#pragma once

// Benign software deployment seen as lateral tool transfer (issue 14 item 5), labelled with the
// tool in the ground truth (`deployment`): an SCCM client push to several workstations (one of
// them at the moment an attacker hop reaches the same host), a PDQ Deploy run (runner service
// plus the package it runs), and a file a user saved into OneDrive on one workstation that the
// OneDrive client then creates on another (method cloud-sync, not a deployment). The Linux
// Ansible push is LinuxActivity's (it needs the audit / sshd writers).

#include "Scenario.h"

namespace tt::gen {

class DeploymentActivity {
public:
    explicit DeploymentActivity(Scenario &s)
        : m_s(s)
    {
    }
    void run();
    // PDQ Deploy: the runner service, then the package it runs (also EnterpriseActivity's fan).
    void pdqPush(int64_t us, int server, int dst, int account);

private:
    // One client push of ccmsetup.exe from the site server to dst (ADMIN$\ccmsetup + the service).
    void sccmPush(int64_t us, int site, int dst, int account);
    void oneDrivePair(int64_t us, int src, int dst);
    // The share write of a deployment tool's service binary and its install, started by services.exe.
    int serviceDrop(int64_t us, int src, int dst, int account, const Proc &srcProc, Transfer tr, const std::string &rel,
        const std::string &service, const std::string &imagePath, Proc *started);

    Scenario &m_s;
};

} // namespace tt::gen
