#pragma once

// The Linux servers of the recording: audit (auditd raw log with node=) and auth.log (rsyslog
// RFC 3339 lines, sshd VERBOSE) records for background work (cron, admin shells, sudo, scanner
// noise), benign admin deployments (rsync / scp between servers, labelled benign-admin) and the
// attacker's SSH hops (a Windows jump host's OpenSSH scp.exe, then Linux -> Linux scp / rsync),
// each seen at both ends, plus the sensor's view of every SSH connection.

#include "GroundTruth.h"
#include "Scenario.h"

#include <string>
#include <vector>

namespace tt::gen {

class LinuxActivity {
public:
    LinuxActivity(Scenario &s, uint64_t seed, int64_t budgetPerHost);
    void run();

    // Writes one Linux host's <name>-audit.log and <name>-auth.log into dir.
    static void write(const Topology &topo, int host, uint64_t seed, const std::vector<LinuxRecord> &records,
        const std::string &dir, HostResult &res);

private:
    struct State {
        uint32_t pid = 0;
        uint32_t ses = 0;
    };
    struct Login {
        uint32_t sshdPid = 0, ses = 0, uid = 0;
        std::string user, fromIp;
        int fromPort = 0;
    };
    // The attacker's foothold on a Linux host: a process started from a session.
    struct Shell {
        int host = -1;
        uint32_t pid = 0, ses = 0, uid = 0;
    };

    uint32_t pid(int host, int step = 0);
    void audit(int host, int64_t us, uint16_t type, std::string text, int tag = -1);
    void auth(int host, int64_t us, uint16_t id, std::string text, int tag = -1, Channel ch = Channel::LinuxSshd);
    uint32_t exec(int host, int64_t us, uint32_t ppid, uint32_t pid, const Login &who, const std::string &exe,
        const std::vector<std::string> &argv, const std::string &cwd, int tag = -1);
    void connect(int host, int64_t us, uint32_t ppid, uint32_t pid, const Login &who, const std::string &exe,
        const std::string &ip, int port, int tag = -1);
    Login sshLogin(int host, int64_t us, const std::string &fromIp, int fromPort, const std::string &user, uint32_t uid,
        const std::string &kind, int tag = -1);
    void sshLogout(int host, int64_t us, const Login &l, int tag = -1);
    void sshFlow(int64_t us, const std::string &fromIp, int fromPort, const std::string &toIp, int64_t bytes, int tag);

    // A file pushed over SSH from src (Windows or Linux) to dst; returns the transfer index.
    int sshCopy(int src, int64_t us, const Proc *winParent, const Shell *linParent, int dst, const std::string &user,
        uint32_t uid, bool rsync, const std::string &localPath, const std::string &remotePath,
        Transfer::Category category, int hop, bool byName);
    Shell executeRemote(int dst, int64_t us, const std::string &fromIp, const std::string &path, int tag);

    void background(int host);
    void admin();
    void attack();
    // Ansible (only with Options::deployment): the first server pushes AnsiballZ modules to the others.
    void ansible();

    Scenario &m_s;
    const Topology &m_t;
    Rng m_rng;
    int64_t m_budget;
    std::vector<State> m_state;
    std::vector<int> m_linux;
};

} // namespace tt::gen
