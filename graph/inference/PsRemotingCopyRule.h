#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "ps-remoting-copy": PowerShell copies through a remoting session, as the machine running
// the script logged them (PowerShell/Operational 4104 ScriptBlockText): `Copy-Item P -Destination
// D -ToSession $s` (push to the session's computer) / `-FromSession $s` (pull from it), the
// session's computer from `$s = New-PSSession -ComputerName HOST` in the same or an earlier block
// of this host (24 h), or inline `-ToSession (New-PSSession -ComputerName HOST)`. The receiving end
// (wsmprovhost.exe writing the file) is rule winrm-write; both merge into one transfer.
// The same copies from PowerShell module logging (4103: `CommandInvocation(Copy-Item)` with
// `ParameterBinding` Path / Destination / ToSession | FromSession = "[PSSession]NAME"), the
// session's computer from the runspace's New-PSSession 4103 (-Name NAME, else its only
// -ComputerName), else from WinRM-Operational 6 (the one computer this host opened sessions to in
// 24 h, failed sessions left out). WinRM 6 also resolves a 4104 session variable no block sets.
class PsRemotingCopyRule : public Rule {
public:
    const char *name() const override { return "ps-remoting-copy"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

private:
    void collectModuleLog(RuleContext &ctx, std::vector<Candidate> &out);
};

} // namespace tt::inference
