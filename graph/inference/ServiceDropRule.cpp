#include "inference/ServiceDropRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/RuleContext.h"
#include "inference/SessionLinker.h"
#include "inference/SmbSessions.h"
#include "inference/SystemWriteRule.h"
#include "inference/WinPath.h"

namespace tt::inference {

namespace {
// Executables Windows itself keeps in the Windows directory: a service pointing at one of them
// runs a binary that was already there.
bool shippedInWindowsDir(std::string_view file)
{
    static const char *const kShipped[]
        = {"explorer.exe", "regedit.exe", "notepad.exe", "hh.exe", "write.exe", "winhlp32.exe", "helppane.exe",
            "splwow64.exe", "bfsvc.exe", "twunk_16.exe", "twunk_32.exe", "py.exe", "pyw.exe"};
    const std::string k = WinPath::key(file);
    for (const char *s : kShipped)
        if (k == s)
            return true;
    return false;
}

// "C:\Windows" or a drive root ("C:").
bool isDropDirectory(std::string_view dir)
{
    if (WinPath::equal(dir, "C:\\Windows"))
        return true;
    return dir.size() == 2 && dir[1] == ':';
}
} // namespace

std::string ServiceDropRule::dropPath(std::string_view imagePath)
{
    std::string_view raw = imagePath;
    while (!raw.empty() && (raw.front() == ' ' || raw.front() == '"'))
        raw.remove_prefix(1);
    // A bare name ("cmd.exe", "calc.exe") is found through the search path: no folder, no drop.
    const bool explicitFolder = WinPath::startsWithI(raw, "%systemroot%\\") || WinPath::startsWithI(raw, "%windir%\\")
        || WinPath::startsWithI(raw, "\\SystemRoot\\") || WinPath::startsWithI(raw, "\\\\")
        || (raw.size() > 2 && raw[1] == ':' && raw[2] == '\\');
    if (!explicitFolder || WinPath::startsWithI(raw, "%comspec%"))
        return {};
    std::string exe = WinPath::serviceExecutable(imagePath);
    if (const auto unc = WinPath::parseUnc(exe)) {
        // \\HOST\ADMIN$\x.exe, \\HOST\C$\x.exe: the share's root on the installing host.
        const std::string share = WinPath::shareShortName(unc->share);
        if (unc->rest.find('\\') != std::string::npos)
            return {};
        if (WinPath::equal(share, "ADMIN$"))
            exe = "C:\\Windows\\" + unc->rest;
        else if (share.size() == 2 && share[1] == '$')
            exe = std::string(1, share[0]) + ":\\" + unc->rest;
        else
            return {};
    }
    const std::string_view file = WinPath::fileName(exe);
    if (!WinPath::endsWithI(file, ".exe") || file.size() <= 4 || shippedInWindowsDir(file)
        || !isDropDirectory(WinPath::directory(exe)))
        return {};
    return exe;
}

void ServiceDropRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    SessionLinker linker(ctx);
    for (int64_t host : ctx.snap.services.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        for (const ServiceInfo &s : ctx.snap.services.of(host)) {
            const std::string path = dropPath(s.imagePath);
            if (path.empty())
                continue;
            const int64_t lo = s.ts - ctx.cfg.serviceWindow;
            // Written by a process of this host (not by System serving SMB): a local install.
            bool local = false;
            auto [fb, fe] = ctx.snap.fileCreates.range(host, lo, s.ts + ctx.cfg.sameHostSlack);
            for (const FileCreateInfo *f = fb; f != fe && !local; ++f)
                local = WinPath::equal(f->path, path) && !SystemWriteRule::isSystemWriter(*f);
            if (local)
                continue;
            Candidate c;
            c.dstHost = host;
            c.dstPath = path;
            c.fileName = std::string(WinPath::fileName(path));
            c.method = Method::PsexecServiceBinary;
            c.methodRank = 3;
            c.direction = Direction::Push;
            c.firstTs = c.lastTs = s.ts;
            // The copy precedes the install, by up to the service window.
            c.lo = lo;
            c.hi = s.ts + ctx.cfg.sameHostSlack;
            c.clockHost = host;
            c.corroborated = true;
            c.addEvidence(s.event, role::kDstService, name());
            c.addEvidence(s.event, role::kDstDropSite, name());
            c.addRule(name());
            // The System 7045 names no installer; the Security 4697 of the same install (same
            // service name and image path, logged with it) names the subject that installed it.
            int64_t installer = s.account;
            if (!installer) {
                auto [sb, se]
                    = ctx.snap.services.range(host, s.ts - ctx.cfg.sameHostSlack, s.ts + ctx.cfg.sameHostSlack);
                for (const ServiceInfo *o = sb; o != se && !installer; ++o)
                    if (o->account && o->origin == "4697" && WinPath::equal(o->name, s.name)
                        && WinPath::equal(o->imagePath, s.imagePath))
                        installer = o->account;
            }
            const int64_t acct = ctx.accounts.canonical(installer);
            const bool person = acct && !ctx.accounts.isServiceIdentity(acct);
            // Who copied it: the remote SMB session open at the install (the installer's own, for a
            // 4697 naming a person), the latest otherwise.
            const SmbSessions::Start *best = nullptr;
            for (const SmbSessions::Start *st : ctx.smb.startsOn(host, lo, s.ts + ctx.cfg.sameHostSlack)) {
                if (st->loopback)
                    continue;
                const bool sameAccount = person && ctx.accounts.canonical(st->account) == acct;
                const bool bestSame = best && person && ctx.accounts.canonical(best->account) == acct;
                if (!best || (sameAccount && !bestSame) || (sameAccount == bestSame && st->ts >= best->ts))
                    best = st;
            }
            if (best) {
                linker.link(c, best->ip, best->port, best->logonId, s.ts, s.source, name());
                c.addEvidence(best->event, best->role, name());
            }
            // The session open at the install, or else the installer, is who copied the file only as
            // far as nothing closer to the write itself (the share write, the sensor) says.
            if (!c.account && person)
                c.account = acct;
            c.accountFromInstaller = c.account != 0;
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
