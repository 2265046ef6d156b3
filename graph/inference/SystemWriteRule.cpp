#include "inference/SystemWriteRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SessionLinker.h"
#include "inference/SmbMountRule.h"
#include "inference/SmbSessions.h"
#include "inference/WinPath.h"
#include "store/HostName.h"

#include <cstdlib>

namespace tt::inference {

bool SystemWriteRule::isSystemWriter(const FileCreateInfo &f)
{
    if (WinPath::key(f.image) == "system")
        return true;
    return (f.image.empty() && f.pid == 4) || isMacSmbServer(f);
}

bool SystemWriteRule::isMacSmbServer(const FileCreateInfo &f)
{
    return f.image == "/usr/sbin/smbd";
}

bool SystemWriteRule::namesUncPath(const ProcessInfo &p)
{
    return p.cmd.find("\\\\") != std::string::npos;
}

bool SystemWriteRule::isLocalNoise(const std::string &path)
{
    // Files the kernel itself writes: ETW real-time backups, registry hive logs and transaction
    // logs, the page / swap files. None of them arrive over SMB.
    static const char *const kExt[] = {".etl", ".blf", ".regtrans-ms", ".log1", ".log2", ".evtx", ".sys.tmp"};
    for (const char *e : kExt)
        if (WinPath::endsWithI(path, e))
            return true;
    static const char *const kPrefix[] = {"C:\\pagefile.sys", "C:\\swapfile.sys", "C:\\hiberfil.sys",
        "C:\\Windows\\System32\\config\\", "C:\\System Volume Information\\", "C:\\$"};
    for (const char *p : kPrefix)
        if (WinPath::startsWithI(path, p))
            return true;
    return false;
}

bool SystemWriteRule::writtenThroughLoopback(RuleContext &ctx, const FileCreateInfo &f) const
{
    const std::string file = WinPath::key(WinPath::fileName(f.path));
    // A local command that writes through \\127.0.0.1\C$\... naming this file (wmiexec-style
    // output redirection, backup jobs). Only commands naming a UNC path can: a host without one
    // is not read.
    auto [pb, pe] = ctx.snap.processes.mayHave(f.host, ProcessRows::kUncCommand)
        ? ctx.snap.processes.range(f.host, f.ts - 2 * 60 * InferenceConfig::kSec, f.ts + ctx.cfg.sameHostSlack)
        : std::pair<const ProcessInfo *, const ProcessInfo *> {nullptr, nullptr};
    const std::string self = ctx.hosts.name(f.host);
    for (const ProcessInfo *p = pb; p != pe; ++p) {
        if (p->cmd.empty() || !WinPath::containsI(p->cmd, file))
            continue;
        for (size_t pos = p->cmd.find("\\\\"); pos != std::string::npos; pos = p->cmd.find("\\\\", pos + 2)) {
            const auto unc = WinPath::parseUnc(std::string_view(p->cmd).substr(pos));
            if (!unc)
                continue;
            const store::HostName hn = store::normaliseHostName(unc->host);
            const bool local = WinPath::isLoopbackHost(unc->host) || (hn.valid && !hn.isIp && hn.key == self)
                || (hn.valid && hn.isIp && ctx.hosts.isSelf(f.host, hn.key, f.ts));
            if (local && WinPath::containsI(unc->rest, file))
                return true;
        }
    }
    // A loopback SMB session (or share access) is the closest one to the write.
    int64_t nearestLocal = -1, nearestRemote = -1;
    for (const SmbSessions::Start *s : ctx.smb.startsOn(f.host, f.ts - ctx.cfg.skew, f.ts + ctx.cfg.sameHostSlack)) {
        const int64_t d = std::llabs(s->ts - f.ts);
        int64_t &slot = s->loopback ? nearestLocal : nearestRemote;
        if (slot < 0 || d < slot)
            slot = d;
    }
    return nearestLocal >= 0 && (nearestRemote < 0 || nearestLocal < nearestRemote);
}

void SystemWriteRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    SessionLinker linker(ctx);
    for (int64_t host : ctx.snap.fileCreates.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        for (const FileCreateInfo &f : ctx.snap.fileCreates.of(host)) {
            if (!isSystemWriter(f) || isLocalNoise(f.path) || WinPath::parseUnc(f.path))
                continue;
            const bool mac = isMacSmbServer(f);
            if (mac && SmbMountRule::volumeHousekeeping(f.path))
                continue; // what a Mac client writes on every share it browses
            if (writtenThroughLoopback(ctx, f))
                continue;
            Candidate c;
            c.dstHost = host;
            c.fileName = std::string(WinPath::fileName(f.path));
            c.dstPath = f.path;
            // Remote writes as System come through admin shares in nearly all lateral movement;
            // a 5145 merged in later names the share for certain. A Mac has no admin shares.
            c.method = mac ? Method::SmbShare : Method::SmbAdminShare;
            c.methodRank = 1;
            c.direction = Direction::Push;
            c.firstTs = c.lastTs = f.ts;
            c.lo = f.ts - ctx.cfg.sameHostSlack;
            c.hi = f.ts + ctx.cfg.sameHostSlack;
            c.clockHost = host;
            c.hashes = f.hashes;
            c.addEvidence(f.event, role::kDstCreate, name());
            c.addRule(name());
            // Who was writing: a write-bit 5145 on this path names the session exactly.
            const ShareInfo *share = nullptr;
            auto [sb, se] = ctx.snap.shares.range(host, f.ts - ctx.cfg.skew, f.ts + ctx.cfg.sameHostSlack);
            const std::string pathKey = WinPath::key(f.path);
            for (const ShareInfo *s = sb; s != se; ++s) {
                if (s->code != 5145 || s->ip.empty() || ctx.hosts.isSelf(host, s->ip, s->ts))
                    continue;
                const std::string root = WinPath::stripNtPrefix(s->sharePath);
                if (!root.empty() && WinPath::key(WinPath::join(root, s->rel)) == pathKey)
                    share = s;
            }
            if (share) {
                c.session = share->logonId;
                linker.link(c, share->ip, share->port, share->logonId, f.ts, f.source, name());
                out.push_back(std::move(c));
                continue;
            }
            // Else the latest remote session that started before the write.
            const SmbSessions::Start *best = nullptr;
            for (const SmbSessions::Start *s :
                ctx.smb.startsOn(host, f.ts - ctx.cfg.smbLookback, f.ts + ctx.cfg.sameHostSlack))
                if (!s->loopback && (!best || s->ts >= best->ts))
                    best = s;
            if (best) {
                linker.link(c, best->ip, best->port, best->logonId, f.ts, f.source, name());
                c.addEvidence(best->event, best->role, name());
            } else {
                // smbd creates files only for SMB clients: the arrival stands, its source unknown.
                // System also writes for itself: kept only if a service install corroborates it.
                c.needsCorroboration = !mac;
            }
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
