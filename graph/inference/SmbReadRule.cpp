#include "inference/SmbReadRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/ShareReadPull.h"
#include "inference/SmbSessions.h"
#include "inference/WinPath.h"
#include "store/HostName.h"

namespace tt::inference {

namespace {
constexpr int64_t kDay = 86400LL * 1000000;

// Shares a client reads for its own upkeep (group policy, logon scripts).
bool upkeepShare(const std::string &shareShort)
{
    const std::string k = WinPath::key(shareShort);
    return k == "sysvol" || k == "netlogon";
}
} // namespace

bool SmbReadRule::toolLike(std::string_view file)
{
    const auto dot = file.rfind('.');
    if (dot == std::string_view::npos)
        return false;
    const std::string ext = WinPath::key(file.substr(dot + 1));
    static const char *const kExt[] = {"exe", "dll", "sys", "scr", "com", "msi", "ps1", "psm1", "bat", "cmd", "vbs",
        "js", "hta", "wsf", "zip", "7z", "rar", "cab", "sh", "elf", "bin", "jar"};
    for (const char *e : kExt)
        if (ext == e)
            return true;
    return false;
}

void SmbReadRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.shareReads.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        Candidate *cur = nullptr;
        std::string curKey;
        for (const store::ShareReadRow &r : ctx.snap.shareReads.of(host)) {
            const std::string shareShort = WinPath::shareShortName(r.share);
            if (r.rel.empty() || WinPath::isIpcShare(shareShort) || upkeepShare(shareShort))
                continue;
            const std::string_view leaf = WinPath::fileName(r.rel);
            if (!toolLike(leaf))
                continue;
            const std::string ip = store::normaliseIp(r.ip);
            if (ip.empty() || ctx.hosts.isSelf(host, ip, r.ts))
                continue;
            const std::string key = r.logonId + '|' + ip + '|' + WinPath::key(r.rel);
            if (cur && curKey == key && r.ts - cur->lastTs <= ctx.cfg.sessionGap) {
                cur->lastTs = std::max(cur->lastTs, r.ts);
                cur->addEvidence(r.event, role::kSrcRead, name());
                continue;
            }
            // A file pushed into this share earlier and read back is the push's, not a pull.
            bool written = false;
            auto [sb, se] = ctx.snap.shares.range(host, r.ts - kDay, r.ts + ctx.cfg.sameHostSlack);
            for (const ShareInfo *s = sb; s != se && !written; ++s)
                written = s->code == 5145 && WinPath::equal(s->rel, r.rel);
            if (written)
                continue;
            // The reader's own records show the file arriving or running.
            const int64_t reader = ctx.hosts.byIp(ip, r.ts, 0);
            if (!reader || reader == host || ctx.hosts.isIpOnly(reader))
                continue;
            const int64_t lo = r.ts - ctx.cfg.skew, hi = r.ts + kArrival;
            const FileCreateInfo *arrival = nullptr;
            auto [fb, fe] = ctx.snap.fileCreates.range(reader, lo, hi);
            for (const FileCreateInfo *f = fb; f != fe && !arrival; ++f)
                if (WinPath::equal(WinPath::fileName(f->path), leaf))
                    arrival = f;
            const ProcessInfo *run = nullptr;
            auto [pb, pe] = ctx.snap.processes.range(reader, lo, hi);
            for (const ProcessInfo *p = pb; p != pe && !run; ++p)
                if (WinPath::equal(WinPath::fileName(p->image), leaf))
                    run = p;
            if (!arrival && !run)
                continue;
            Candidate c = shareReadPull(ctx, host, r, shareShort, name());
            c.dstHost = reader;
            if (arrival)
                c.dstPath = arrival->path;
            if (arrival)
                c.addEvidence(arrival->event, role::kDstCreate, name());
            if (run)
                c.addEvidence(run->event, role::kDstExec, name());
            if (const LogonInfo *l = ctx.smb.logonOf(host, r.logonId, r.ts, ctx.cfg.sameHostSlack))
                c.addEvidence(l->event, role::kSrcConnect, name());
            out.push_back(std::move(c));
            cur = &out.back();
            curKey = key;
        }
    }
}

} // namespace tt::inference
