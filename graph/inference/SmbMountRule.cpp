#include "inference/SmbMountRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "store/MacActivity.h"

namespace tt::inference {

namespace {
std::string_view leafOf(std::string_view path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool under(std::string_view path, const std::string &mountOn)
{
    return path.size() > mountOn.size() + 1 && path.compare(0, mountOn.size(), mountOn) == 0
        && path[mountOn.size()] == '/';
}

// The smbfs mount holding `path` on host at ts (the longest mount point; a later unmount of it
// ends it); nullptr when none.
const store::MountRow *activeMount(
    const RuleContext &ctx, int64_t host, int64_t ts, std::string_view path, bool pathUnderMount)
{
    const store::MountRow *best = nullptr;
    for (const store::MountRow &m : ctx.snap.mounts.of(host)) {
        if (m.ts > ts)
            break;
        if (pathUnderMount && !under(path, m.mountOn))
            continue;
        if (!pathUnderMount && path != m.mountOn)
            continue;
        if (m.unmount) {
            if (best && best->mountOn == m.mountOn)
                best = nullptr;
            continue;
        }
        if (m.fstype != "smbfs")
            continue;
        if (!best || m.mountOn.size() >= best->mountOn.size())
            best = &m;
    }
    return best;
}

// "\\server\share\dir\file" for a path under the mount point.
std::string uncOf(const store::SmbMountSource &src, const std::string &mountOn, std::string_view path)
{
    std::string rel(path.substr(mountOn.size()));
    for (char &ch : rel)
        if (ch == '/')
            ch = '\\';
    return "\\\\" + src.server + "\\" + src.share + rel;
}

Method methodOf(const store::SmbMountSource &src)
{
    return !src.share.empty() && src.share.back() == '$' ? Method::SmbAdminShare : Method::SmbShare;
}
} // namespace

bool SmbMountRule::volumeHousekeeping(std::string_view path)
{
    const std::string_view leaf = leafOf(path);
    if (leaf == ".DS_Store" || leaf.substr(0, 2) == "._" || leaf == ".localized")
        return true;
    for (const char *dir :
        {"/.TemporaryItems/", "/.Trashes/", "/.Spotlight-V100/", "/.fseventsd/", "/.DocumentRevisions-V100/"})
        if (path.find(dir) != std::string_view::npos)
            return true;
    return false;
}

void SmbMountRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.mounts.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        for (const FileCreateInfo &f : ctx.snap.fileCreates.of(host)) {
            if (f.path.empty() || f.path[0] != '/' || volumeHousekeeping(f.path))
                continue;
            const std::string_view leaf = leafOf(f.path);
            if (leaf.empty())
                continue;
            const ProcessInfo *p = ctx.snap.processByPid(host, f.pid, f.ts);
            // Push: the Mac created the file on the server's volume.
            const store::MountRow *m = activeMount(ctx, host, f.ts, f.path, true);
            std::string remotePath; // the file's path under the mount (pull)
            if (!m && p && !p->cmd.empty()) {
                // Pull: the creating process copied a file of that name from under a mount point.
                for (const std::string &arg : CommandParser::tokenize(p->cmd)) {
                    if (arg.empty() || arg[0] != '/' || leafOf(arg) != leaf)
                        continue;
                    for (const store::MountRow &cand : ctx.snap.mounts.of(host)) {
                        if (cand.ts > f.ts)
                            break;
                        if (under(arg, cand.mountOn)) {
                            const store::MountRow *live = activeMount(ctx, host, f.ts, arg, true);
                            if (live) {
                                m = live;
                                remotePath = arg;
                            }
                        }
                    }
                    if (m)
                        break;
                }
            }
            if (!m)
                continue;
            const store::SmbMountSource src = store::parseSmbMountFrom(m->mountFrom);
            if (src.server.empty())
                continue;
            const int64_t server = ctx.hosts.byName(src.server, m->ts, m->source);
            if (!server || server == host)
                continue;
            const bool push = remotePath.empty();
            Candidate c;
            c.direction = push ? Direction::Push : Direction::Pull;
            c.srcHost = push ? host : server;
            c.dstHost = push ? server : host;
            c.fileName = std::string(leaf);
            c.dstPath = push ? uncOf(src, m->mountOn, f.path) : f.path;
            c.srcPath = push ? std::string() : uncOf(src, m->mountOn, remotePath);
            if (push && p) {
                // `cp ~/x.pkg /Volumes/share/` names the local original.
                for (const std::string &arg : CommandParser::tokenize(p->cmd))
                    if (!arg.empty() && arg[0] == '/' && leafOf(arg) == leaf && !under(arg, m->mountOn))
                        c.srcPath = arg;
            }
            c.method = methodOf(src);
            c.methodRank = 2;
            c.seenAt(f.ts, host, ctx.cfg.sameHostSlack);
            c.hashes = f.hashes;
            c.addRule(name());
            // The Mac's own create: the source wrote it (push) / the destination received it (pull).
            c.addEvidence(f.event, push ? role::kSrcCommand : role::kDstCreate, name());
            if (p) {
                c.addEvidence(p->event, push ? role::kSrcParent : role::kDstCommand, name());
                (push ? c.srcProcess : c.dstProcess) = p->id;
            }
            c.addEvidence(m->event, push ? role::kSrcConnect : role::kDstConnect, name());
            int64_t acct = ctx.accounts.canonical(f.account);
            if (!acct && p)
                acct = ctx.accounts.canonical(p->account);
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
