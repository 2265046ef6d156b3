#include "inference/RemoteImageRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"
#include "store/HostName.h"
#include "store/ImageLoadBackfill.h"

#include <algorithm>
#include <optional>
#include <set>

namespace tt::inference {

namespace {
constexpr int64_t kDay = 86400LL * 1000000;

// One record of code mapped from a share on a host: a module load or a process start.
struct Sighting {
    int64_t ts = 0, event = 0, account = 0, source = 0;
    const std::string *path = nullptr;
    const std::string *guid = nullptr;
    const ProcessInfo *process = nullptr; // the process started from the share
    int64_t pid = -1;
    const std::string *hashes = nullptr;
};

struct Remote {
    std::string host; // as the path names it, WebDAV suffixes dropped
    WinPath::Unc unc;
    bool webdav = false;
};

std::optional<Remote> remoteOf(const std::string &path)
{
    auto unc = WinPath::parseUnc(path);
    if (!unc || unc->share.empty() || unc->rest.empty())
        return std::nullopt;
    Remote r;
    r.host = unc->host;
    // WebDAV through the mini-redirector: \\host@SSL@8443\DavWWWRoot\..., \\host@8080\...
    if (const auto at = r.host.find('@'); at != std::string::npos) {
        r.host.resize(at);
        r.webdav = true;
    }
    const std::string hostKey = WinPath::key(r.host);
    const std::string shareKey = WinPath::key(unc->share);
    if (r.host.empty() || hostKey == "tsclient" || WinPath::isLoopbackHost(r.host)
        || WinPath::isHypervisorShareHost(r.host) || WinPath::isIpcShare(shareKey) || shareKey == "sysvol"
        || shareKey == "netlogon")
        return std::nullopt;
    r.unc = std::move(*unc);
    return r;
}
} // namespace

bool RemoteImageRule::startsFromShare(const ProcessInfo &p)
{
    return !p.image.empty() && p.image.front() == '\\'
        && store::isUncImagePath(p.image.data(), p.image.data() + p.image.size())
        && !WinPath::startsWithI(p.image, "\\\\tsclient\\");
}

void RemoteImageRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    std::set<int64_t> hosts(ctx.snap.imageLoads.hosts().begin(), ctx.snap.imageLoads.hosts().end());
    for (int64_t h : ctx.snap.processes.hosts())
        if (ctx.snap.processes.mayHave(h, ProcessRows::kUncImage))
            hosts.insert(h);
    const size_t before = out.size(); // the candidates of the rules that ran before
    for (int64_t host : hosts) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        std::vector<Sighting> seen;
        for (const FileCreateInfo &f : ctx.snap.imageLoads.of(host))
            seen.push_back({f.ts, f.event, f.account, f.source, &f.path, &f.guid, nullptr, f.pid, &f.hashes});
        if (ctx.snap.processes.mayHave(host, ProcessRows::kUncImage))
            for (const ProcessInfo &p : ctx.snap.processes.of(host))
                if (startsFromShare(p))
                    seen.push_back({p.ts, p.event, p.account, p.source, &p.image, &p.guid, &p, p.pid, &p.hashes});
        std::stable_sort(seen.begin(), seen.end(),
            [](const Sighting &a, const Sighting &b) { return a.ts != b.ts ? a.ts < b.ts : a.event < b.event; });
        // One candidate per path while its loads keep coming within the session gap.
        std::vector<std::pair<std::string, size_t>> open; // path key -> index in out
        for (const Sighting &s : seen) {
            const auto remote = remoteOf(*s.path);
            if (!remote)
                continue;
            const int64_t src = ctx.hosts.byName(remote->host, s.ts, s.source);
            if (!src || src == host)
                continue;
            const store::HostName hn = store::normaliseHostName(remote->host);
            if (hn.isIp && ctx.hosts.isSelf(host, hn.key, s.ts))
                continue;
            // The loader's own file run back from the share it pushed it into (copy to \\srv\x,
            // then \\srv\x\tool.exe): that push is the transfer, not a pull (as for smb-read).
            const std::string_view leaf = WinPath::fileName(remote->unc.rest);
            const bool roundTrip = std::any_of(out.begin(), out.begin() + ptrdiff_t(before), [&](const Candidate &o) {
                return o.direction == Direction::Push && o.srcHost == host && o.dstHost == src && o.firstTs <= s.ts
                    && s.ts - o.lastTs <= kDay && WinPath::equal(o.fileName, leaf);
            });
            if (roundTrip)
                continue;
            const ProcessInfo *proc = s.process ? s.process : ctx.snap.processByGuid(host, *s.guid);
            if (!proc && s.pid >= 0)
                proc = ctx.snap.processByPid(host, s.pid, s.ts);
            const std::string key = WinPath::key(*s.path);
            auto it = std::find_if(open.begin(), open.end(), [&](const auto &o) { return o.first == key; });
            Candidate *c = nullptr;
            if (it != open.end() && s.ts - out[it->second].lastTs <= ctx.cfg.sessionGap) {
                c = &out[it->second];
                c->lastTs = std::max(c->lastTs, s.ts);
                c->hi = std::max(c->hi, s.ts + ctx.cfg.sameHostSlack);
            } else {
                Candidate n;
                n.srcHost = src;
                if (hn.isIp)
                    n.srcIp = hn.key;
                n.dstHost = host;
                n.fileName = std::string(leaf);
                const std::string root = WinPath::shareRoot(remote->unc.share);
                n.srcPath = root.empty() ? *s.path : WinPath::join(root, remote->unc.rest);
                n.method = remote->webdav                      ? Method::Http
                    : WinPath::isAdminShare(remote->unc.share) ? Method::SmbAdminShare
                                                               : Method::SmbShare;
                n.methodRank = 2;
                n.direction = Direction::Pull;
                n.executed = true;
                n.seenAt(s.ts, host, ctx.cfg.sameHostSlack);
                n.addRule(name());
                out.push_back(std::move(n));
                c = &out.back();
                if (it != open.end())
                    it->second = out.size() - 1;
                else
                    open.emplace_back(key, out.size() - 1);
            }
            if (s.process) {
                // The process is both the fetch (the loader read its image from the share) and the run.
                c->addEvidence(s.event, role::kDstCommand, name());
                c->addEvidence(s.event, role::kDstExec, name());
            } else {
                c->addEvidence(s.event, role::kDstImageLoad, name());
            }
            if (!c->dstProcess && proc)
                c->dstProcess = proc->id;
            if (c->hashes.empty() && s.hashes)
                c->hashes = *s.hashes;
            if (!c->account) {
                const int64_t acct = ctx.accounts.canonical(s.account ? s.account : proc ? proc->account : 0);
                if (acct && !ctx.accounts.isServiceIdentity(acct))
                    c->account = acct;
            }
        }
    }
}

} // namespace tt::inference
