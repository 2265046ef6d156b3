#include "inference/WinrmWriteRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SmbSessions.h"
#include "inference/WinPath.h"
#include "store/HostName.h"
#include "store/WindowsActivity.h"

namespace tt::inference {

bool WinrmWriteRule::sessionHousekeeping(std::string_view path)
{
    const std::string_view leaf = WinPath::fileName(path);
    return WinPath::startsWithI(leaf, "__PSScriptPolicyTest_") || WinPath::startsWithI(leaf, "PowerShell_transcript.")
        || WinPath::containsI(path, "\\AppData\\Local\\Microsoft\\")
        || WinPath::containsI(path, "\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\");
}

int64_t WinrmWriteRule::shellCreated(RuleContext &ctx, int64_t host, int64_t ts, int64_t account)
{
    constexpr int64_t kSessionAge = 24LL * 3600 * 1000000;
    int64_t found = 0;
    for (const store::RemotingRow &r : ctx.snap.remoting.of(host)) {
        if (r.ts > ts + ctx.cfg.sameHostSlack)
            break;
        if (r.eventId != 91 || r.ts < ts - kSessionAge)
            continue;
        // PowerShell endpoints only (Microsoft.PowerShell, Microsoft.PowerShell32, JEA
        // configurations); winrs' cmd shell (.../windows/shell/cmd) writes through cmd.exe, not here.
        if (!r.text.empty() && !WinPath::containsI(r.text, "/powershell/"))
            continue;
        const int64_t shellAccount = ctx.accounts.canonical(r.account);
        if (account && shellAccount && shellAccount != account)
            continue;
        found = r.event; // the latest shell before the write
    }
    return found;
}

bool WinrmWriteRule::byWsmprovhost(const FileCreateInfo &f)
{
    return WinPath::equal(WinPath::fileName(f.image), "wsmprovhost.exe");
}

void WinrmWriteRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.fileCreates.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.fileCreates.mayHave(host, CaseSnapshot::kWinrmFile))
            continue;
        for (const FileCreateInfo &f : ctx.snap.fileCreates.of(host)) {
            if (!byWsmprovhost(f) || sessionHousekeeping(f.path))
                continue;
            const std::string_view leaf = WinPath::fileName(f.path);
            if (leaf.empty())
                continue;
            Candidate c;
            c.dstHost = host;
            c.dstPath = f.path;
            c.fileName = std::string(leaf);
            c.method = Method::Winrm;
            c.methodRank = 2;
            c.direction = Direction::Push;
            c.seenAt(f.ts, host, ctx.cfg.sameHostSlack);
            c.hashes = f.hashes;
            c.addRule(name());
            c.addEvidence(f.event, role::kDstCreate, name());
            int64_t acct = ctx.accounts.canonical(f.account);
            const ProcessInfo *p = ctx.snap.processByGuid(host, f.guid);
            if (!p)
                p = ctx.snap.processByPid(host, f.pid, f.ts);
            if (p && WinPath::equal(WinPath::fileName(p->image), "wsmprovhost.exe")) {
                // The remoting host of the session that received the file.
                c.addEvidence(p->event, role::kDstCommand, name());
                c.dstProcess = p->id;
                acct = acct ? acct : ctx.accounts.canonical(p->account);
                c.session = p->logonId;
                if (const LogonInfo *l = ctx.smb.logonOf(host, p->logonId, f.ts, ctx.cfg.sameHostSlack)) {
                    c.addEvidence(l->event, role::kDstLogon, name());
                    acct = acct ? acct : ctx.accounts.canonical(l->account);
                    const std::string ip = store::normaliseIp(l->ip);
                    if (!ip.empty() && !ctx.hosts.isSelf(host, ip, l->ts)) {
                        c.srcIp = ip;
                        c.srcHost = ctx.hosts.forAddress(ip, l->ts, l->source);
                    }
                }
            }
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            if (const int64_t shell = shellCreated(ctx, host, f.ts, c.account))
                c.addEvidence(shell, role::kDstLogon, name());
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
