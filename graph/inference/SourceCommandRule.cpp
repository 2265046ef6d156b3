#include "inference/SourceCommandRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"

namespace tt::inference {

namespace {
bool absolute(const std::string &p)
{
    return (p.size() > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
        || (p.size() > 1 && p[0] == '/' && p[1] != '/');
}

} // namespace

void SourceCommandRule::attachChain(
    RuleContext &ctx, Candidate &c, const ProcessInfo &p, const char *self, const char *parent, const char *rule)
{
    c.addEvidence(p.event, self, rule);
    const ProcessInfo *cur = &p;
    for (int depth = 0; depth < 3; ++depth) {
        cur = ctx.snap.parentOf(*cur);
        if (!cur)
            break;
        c.addEvidence(cur->event, parent, rule);
    }
}

bool SourceCommandRule::mayMatch(const ProcessInfo &p)
{
    return !p.cmd.empty() && CommandParser::mayMoveFiles(p.cmd);
}

void SourceCommandRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.processes.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.processes.mayHave(host, ProcessRows::kMayMoveFiles))
            continue; // read before: no command line that may move a file
        for (const ProcessInfo &p : ctx.snap.processes.of(host)) {
            if (p.cmd.empty() || !CommandParser::mayMoveFiles(p.cmd))
                continue;
            for (const ParsedMove &m : CommandParser::parse(p.cmd)) {
                if (WinPath::key(m.host) == "tsclient" || WinPath::isLoopbackHost(m.host)
                    || WinPath::isHypervisorShareHost(m.host))
                    continue;
                if (m.kind == ParsedMove::Kind::Ssh)
                    continue; // scp / sftp / rsync: rule "ssh-transfer" (both ends of the session)
                const int64_t remote = m.kind == ParsedMove::Kind::Http ? ctx.hosts.internal(m.host, p.ts, p.source)
                                                                        : ctx.hosts.byName(m.host, p.ts, p.source);
                if (!remote || remote == host)
                    continue;
                Candidate c;
                c.fileName = m.fileName;
                c.direction = m.push ? Direction::Push : Direction::Pull;
                c.srcHost = m.push ? host : remote;
                c.dstHost = m.push ? remote : host;
                const std::string root = WinPath::shareRoot(m.share);
                const std::string remoteLocal = root.empty() ? std::string() : WinPath::join(root, m.remotePath);
                if (m.push) {
                    c.dstPath = remoteLocal;
                    c.srcPath = absolute(m.localPath) ? m.localPath : std::string();
                } else {
                    c.dstPath = absolute(m.localPath) ? m.localPath : std::string();
                    c.srcPath = remoteLocal;
                }
                if (m.kind == ParsedMove::Kind::Share || m.kind == ParsedMove::Kind::Smbclient)
                    c.method = WinPath::isAdminShare(m.share) ? Method::SmbAdminShare : Method::SmbShare;
                else
                    c.method = m.kind == ParsedMove::Kind::Http ? Method::Http : Method::Other;
                c.methodRank = 2;
                const int64_t acct = ctx.accounts.canonical(p.account);
                if (acct && !ctx.accounts.isServiceIdentity(acct))
                    c.account = acct;
                if (m.push)
                    c.srcProcess = p.id;
                c.firstTs = c.lastTs = p.ts;
                c.lo = p.ts - ctx.cfg.sameHostSlack;
                c.hi = p.ts + ctx.cfg.commandToWrite;
                c.clockHost = host;
                c.addRule(name());
                attachChain(ctx, c, p, m.push ? role::kSrcCommand : role::kDstCommand,
                    m.push ? role::kSrcParent : role::kDstParent, name());
                // The file on the source before it left (the stage copy), with its hashes.
                if (m.push && !c.srcPath.empty()) {
                    auto [b, e]
                        = ctx.snap.fileCreates.range(host, p.ts - ctx.cfg.execWindow, p.ts + ctx.cfg.sameHostSlack);
                    const std::string k = WinPath::key(c.srcPath);
                    for (const FileCreateInfo *f = e; f != b;) {
                        --f;
                        if (WinPath::key(f->path) == k) {
                            c.addEvidence(f->event, role::kSrcFile, name());
                            if (c.hashes.empty())
                                c.hashes = f->hashes;
                            break;
                        }
                    }
                }
                out.push_back(std::move(c));
            }
        }
    }
}

} // namespace tt::inference
