#pragma once

#include "inference/Rule.h"

#include <string_view>

namespace tt::inference {

// Rule "smb-output-read": a remote-execution tool reading its command output back over SMB.
// Impacket atexec (`cmd.exe /C cmd > C:\Windows\Temp\<8 letters>.tmp`, read as
// ADMIN$\Temp\X.tmp), wmiexec / dcomexec (`cmd.exe /Q /c cmd 1> \\127.0.0.1\ADMIN$\__<epoch>`,
// read as ADMIN$\__<epoch>) and smbexec (`... > \\127.0.0.1\C$\__output`, read as C$\__output)
// write the result on the target and the attacker's SMB session reads it (5145 ReadData): the file
// moves from the target to the reader, a pull. A read is claimed only when the file is such an
// output (see role src-output); other reads stay out (docs/inference.md, "Pulls: what counts").
class OutputReadRule : public Rule {
public:
    const char *name() const override { return "smb-output-read"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // Impacket's fixed output names, relative to the share read: ADMIN$ `Temp\<8 letters>.tmp`,
    // ADMIN$ `__<digits>[.<digits>]`, C$ `__output`.
    static bool toolOutputName(std::string_view shareShort, std::string_view rel);
    // Does cmd redirect (`>`, `1>`, `2>`) into a file named leaf (case-insensitive)?
    static bool redirectsInto(std::string_view cmd, std::string_view leaf);
};

} // namespace tt::inference
