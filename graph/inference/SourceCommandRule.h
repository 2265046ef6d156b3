#pragma once

#include "inference/Rule.h"

namespace tt::store {
struct ProcessInfo;
} // namespace tt::store

namespace tt::inference {

using store::ProcessInfo;

// Rule "source-command": Sysmon 1 / 4688 command lines that move a file to or from another
// machine (see CommandParser): copy / xcopy / robocopy / move and PowerShell cmdlets to
// \\host\share\..., PsExec -c, scp / pscp / rsync, smbclient put / get, curl -T, bitsadmin /
// certutil pulls from internal hosts. The host comes from the arguments; the process, its parent
// chain and the source file's creation are attached. \\tsclient paths belong to the RDP rule.
class SourceCommandRule : public Rule {
public:
    // A command line that may move files (ProcessRows::kMayMoveFiles: hosts without one are not
    // read by this rule or by ssh-transfer's source side).
    static bool mayMatch(const ProcessInfo &p);
    const char *name() const override { return "source-command"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // Adds the process and up to three ancestors as evidence.
    static void attachChain(
        RuleContext &ctx, Candidate &c, const ProcessInfo &p, const char *self, const char *parent, const char *rule);
};

} // namespace tt::inference
