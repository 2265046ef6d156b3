#pragma once

#include "inference/Rule.h"

#include <string>
#include <string_view>

namespace tt::inference {

// Rule "service-drop": a service install (System 7045 / Security 4697) whose binary lies where
// the remote service tools copy theirs before they install it: the root of ADMIN$ (Metasploit
// psexec `%SYSTEMROOT%\<8 letters>.exe`, Impacket psexec `%systemroot%\<8 letters>.exe`,
// Sysinternals PsExec `%SystemRoot%\PSEXESVC.exe`, RemCom, PAExec) or of a drive share (Impacket
// psexec falling back to C$: `C:\<8 letters>.exe`), also written as a UNC path (Cobalt Strike
// jump psexec: `\\HOST\ADMIN$\<7 alphanumerics>.exe`). The file arrived on this host; its source
// is the remote SMB session open when the service was installed, when the case holds one, else
// unknown. Not a drop: inline commands (%COMSPEC% /c ..., smbexec, psexec_psh), bare names found
// through the search path (cmd.exe), binaries Windows ships in its own folder, and a binary a
// local process wrote shortly before (a local `psexec -s`).
class ServiceDropRule : public Rule {
public:
    const char *name() const override { return "service-drop"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // The local path of a service ImagePath that names a binary in a drop location, else "".
    static std::string dropPath(std::string_view imagePath);
};

} // namespace tt::inference
