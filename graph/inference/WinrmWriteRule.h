#pragma once

#include "inference/Rule.h"

#include <string_view>

namespace tt::store {
struct FileCreateInfo;
} // namespace tt::store

namespace tt::inference {

// Rule "winrm-write": a file written on this host by wsmprovhost.exe, the process that runs a
// PowerShell remoting / WinRM session (Copy-Item -ToSession from another machine lands this way):
// Sysmon 11 by wsmprovhost.exe -> its process (Sysmon 1 / 4688) -> the network logon of its logon
// id (4624 type 3), whose address is the source; the session's WinRM-Operational 91 (shell
// created) is session evidence like that logon. What every remoting session writes for itself
// (the script-policy test files, CLR usage logs, PowerShell caches and transcripts) is no transfer.
class WinrmWriteRule : public Rule {
public:
    const char *name() const override { return "winrm-write"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // Files PowerShell writes in every session (never a transferred file).
    static bool sessionHousekeeping(std::string_view path);
    // A file create the rule looks at: by wsmprovhost.exe (a file marker).
    static bool byWsmprovhost(const store::FileCreateInfo &f);

private:
    // The latest WinRM-Operational 91 ("Creating WSMan shell on server", a PowerShell endpoint) on
    // host in the 24 h before ts, of the same account when both are known; 0 when none.
    static int64_t shellCreated(RuleContext &ctx, int64_t host, int64_t ts, int64_t account);
};

} // namespace tt::inference
