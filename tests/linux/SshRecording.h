#pragma once

// Shared by tst_linux_ssh_recording (live scp / sftp / rsync between two network namespaces) and
// tst_linux_inference (the committed capture of such a run, tests/fixtures/linux/recorded-*):
// the client-side audit log written for the recorded commands, and the checks of the case.

#include <cstdint>
#include <string>
#include <vector>

namespace tt::store {
class CaseStore;
}

namespace sshrec {

inline constexpr const char *kClientHost = "tt-ssh-cli";
inline constexpr const char *kServerHost = "tt-ssh-srv";
inline constexpr const char *kClientIp = "10.213.0.1";
inline constexpr const char *kServerIp = "10.213.0.2";

struct ClientCommand {
    int64_t startUs = 0;
    int64_t pid = 0;
    std::vector<std::string> argv;
};

// The record_ssh.sh client.tsv ("start_us<TAB>pid<TAB>argv joined by 0x1f" per line).
std::vector<ClientCommand> readClientTsv(const std::string &text);

// A raw audit log (node=kClientHost) as auditd with an execve + connect rule set would write it
// for these commands: each command's SYSCALL / EXECVE / CWD / PATH / PROCTITLE / EOE, the ssh
// child it spawns (pid + 1, 3 ms later) and that child's connect() to kServerIp:22. Hand-written:
// auditd cannot run in the test's container.
std::string clientAuditLog(const std::vector<ClientCommand> &commands, int64_t shellPid, const std::string &cwd);

// Asserts (QTest) the sshd events and the four transfers of a recorded run in the case.
void checkRecordedCase(tt::store::CaseStore &cs);

} // namespace sshrec
