#pragma once

#include "inference/Rule.h"

#include <cstdint>
#include <set>
#include <string>

namespace tt::store {
struct ProcessInfo;
struct FileCreateInfo;
struct LogonInfo;
} // namespace tt::store

namespace tt::inference {

using store::LogonInfo;
using store::ProcessInfo;

// Rule "ssh-transfer": files moved over SSH (scp, sftp, rsync -e ssh), from both ends.
// - Source side: a command line `scp f user@host:path`, `rsync -e ssh ...`, `sftp -b batch host`,
//   `sftp host:file` (CommandParser); the other end resolved by name / address; on that host the
//   sshd login of the session (Accepted ... from the source, same account, within the window),
//   its session start and the server process (auditd `scp -t`, `rsync --server`, sftp-server).
// - Destination side: sftp-server's own log of a file opened for writing (`open "P" flags
//   WRITE,CREATE...`), and auditd server processes naming a file (`scp -t /tmp/x.bin`,
//   `scp -f FILE` and `rsync --server --sender` when the file leaves this host), each tied to the
//   sshd / audit login of their session (audit `ses`, else the latest login of the same account,
//   else the latest login), whose source address is the other end.
// Methods 'scp', 'sftp', 'rsync'. See docs/inference.md.
class SshTransferRule : public Rule {
public:
    const char *name() const override { return "ssh-transfer"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
    // An sshd-side candidate known only by the peer's address gets an (IP-only) host once the
    // merge had its chance to join it with the named source.
    void refine(RuleContext &ctx, std::vector<Candidate> &transfers) override;

    // The sshd / audit login on host that a process of (account, logonId) at ts belongs to.
    // A process serverSide() looks at (an scp / rsync server receiving or sending): a host
    // without one is not read for it (ProcessRows::kSshServer).
    static bool mayBeServer(const ProcessInfo &p);
    // A file create or read the rule looks at: by sftp-server / internal-sftp (a file marker).
    static bool bySftpServer(const store::FileCreateInfo &f);
    static const LogonInfo *loginFor(
        RuleContext &ctx, int64_t host, int64_t ts, int64_t account, const std::string &logonId);

private:
    void sourceSide(RuleContext &ctx, std::vector<Candidate> &out);
    void serverSide(RuleContext &ctx, std::vector<Candidate> &out);
    void sftpWrites(RuleContext &ctx, std::vector<Candidate> &out);
    // sftp-server closing a file it only read (a download): a pull by the session's peer.
    void sftpReads(RuleContext &ctx, std::vector<Candidate> &out);

    std::set<int64_t> m_claimedServers; // server processes already tied to a source-side command
};

} // namespace tt::inference
