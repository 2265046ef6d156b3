#include "inference/SmbShareWriteRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SessionLinker.h"
#include "inference/SmbMountRule.h"
#include "inference/WinPath.h"
#include "store/HostName.h"

#include <algorithm>
#include <map>

namespace tt::inference {

namespace {
bool asksWrite(const ShareInfo &s)
{
    if (s.mask & 0x6)
        return true;
    return s.accessList.find("%%4417") != std::string::npos || s.accessList.find("%%4418") != std::string::npos;
}
} // namespace

void SmbShareWriteRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    SessionLinker linker(ctx);
    for (int64_t host : ctx.snap.shares.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        const auto &rows = ctx.snap.shares.of(host);
        // Relative targets written in a session: a target that is the parent folder of another
        // is a directory (WriteData on a folder means "add file"), not a file.
        std::map<std::string, std::vector<const ShareInfo *>> bySession; // logon|ip -> writes
        for (const ShareInfo &s : rows) {
            if (s.code != 5145 || !asksWrite(s) || s.rel.empty())
                continue;
            const std::string shareShort = WinPath::shareShortName(s.share);
            if (WinPath::isIpcShare(shareShort))
                continue;
            // What a Mac client writes on every SMB share it browses (.DS_Store, AppleDouble
            // ._name, .TemporaryItems/...): never a tool.
            std::string posixRel = "/" + s.rel;
            std::replace(posixRel.begin(), posixRel.end(), '\\', '/');
            if (SmbMountRule::volumeHousekeeping(posixRel))
                continue;
            const std::string ip = store::normaliseIp(s.ip);
            // Loopback or the host's own address: a local copy through a share, not a transfer.
            if (ctx.hosts.isSelf(host, ip, s.ts))
                continue;
            bySession[s.logonId + '|' + ip].push_back(&s);
        }
        for (const auto &[session, writes] : bySession) {
            std::map<std::string, bool> isDir;
            for (const ShareInfo *w : writes)
                isDir[WinPath::key(w->rel)];
            for (const ShareInfo *w : writes) {
                const std::string k = WinPath::key(w->rel);
                for (auto &[other, dir] : isDir)
                    if (other.size() > k.size() + 1 && other.compare(0, k.size(), k) == 0 && other[k.size()] == '\\')
                        isDir[k] = true;
            }
            Candidate *cur = nullptr;
            std::string curKey;
            for (const ShareInfo *w : writes) {
                const std::string k = WinPath::key(w->rel);
                if (isDir[k])
                    continue;
                if (cur && curKey == k && w->ts - cur->lastTs <= ctx.cfg.sessionGap) {
                    cur->lastTs = w->ts;
                    cur->hi = w->ts + ctx.cfg.sameHostSlack;
                    cur->addEvidence(w->event, role::kDstWrite, name());
                    continue;
                }
                Candidate c;
                const std::string shareShort = WinPath::shareShortName(w->share);
                c.dstHost = host;
                c.fileName = std::string(WinPath::fileName(w->rel));
                const std::string root = WinPath::shareRoot(shareShort, w->sharePath);
                c.dstPath = root.empty() ? std::string() : WinPath::join(root, w->rel);
                c.method = WinPath::isAdminShare(shareShort) ? Method::SmbAdminShare : Method::SmbShare;
                c.methodRank = 2;
                c.direction = Direction::Push;
                c.account = w->account ? ctx.accounts.canonical(w->account) : 0;
                c.firstTs = c.lastTs = w->ts;
                c.lo = w->ts - ctx.cfg.sameHostSlack;
                c.hi = w->ts + ctx.cfg.sameHostSlack;
                c.clockHost = host;
                c.session = w->logonId;
                c.addEvidence(w->event, role::kDstWrite, name());
                c.addRule(name());
                linker.link(c, w->ip, w->port, w->logonId, w->ts, w->source, name());
                out.push_back(std::move(c));
                cur = &out.back();
                curKey = k;
            }
        }
    }
}

} // namespace tt::inference
