#include "inference/RdpRedirectionRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SourceCommandRule.h"
#include "inference/WinPath.h"
#include "store/HostName.h"

namespace tt::inference {

namespace {
bool isTsclient(std::string_view path)
{
    const auto u = WinPath::parseUnc(path);
    return u && WinPath::key(u->host) == "tsclient";
}

// \\tsclient\C\temp\a.exe -> C:\temp\a.exe on the client.
std::string clientPath(std::string_view path)
{
    const auto u = WinPath::parseUnc(path);
    if (!u || u->share.size() != 1)
        return {};
    return WinPath::join(std::string(1, u->share[0]) + ":\\", u->rest);
}

bool absolute(const std::string &p)
{
    return p.size() > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/');
}
} // namespace

RdpRedirectionRule::Peer RdpRedirectionRule::serverPeer(
    RuleContext &ctx, int64_t host, int64_t ts, const std::string &logonId, int64_t account) const
{
    Peer byLogon, byAccount, latestLogon, latestConn;
    int64_t tLogon = 0, tAccount = 0, tConn = 0;
    auto [lb, le] = ctx.snap.logons.range(host, ts - ctx.cfg.rdpLookback, ts + ctx.cfg.skew);
    for (const LogonInfo *l = lb; l != le; ++l) {
        const bool rdp = l->type == 10 || l->origin.rfind("rdp-", 0) == 0;
        if (!rdp || l->ip.empty() || ctx.hosts.isSelf(host, l->ip, l->ts))
            continue;
        const Peer p {store::normaliseIp(l->ip), l->event, l->source};
        if (!logonId.empty() && l->logonId == logonId)
            byLogon = p;
        if (account && ctx.accounts.canonical(l->account) == account && l->ts >= tAccount) {
            byAccount = p;
            tAccount = l->ts;
        }
        if (l->ts >= tLogon) {
            latestLogon = p;
            tLogon = l->ts;
        }
    }
    auto [nb, ne] = ctx.snap.connections.range(host, ts - ctx.cfg.rdpLookback, ts + ctx.cfg.skew);
    for (const NetInfo *n = nb; n != ne; ++n) {
        if (n->initiated != 0)
            continue;
        const bool swapped = n->srcPort == 3389 && n->dstPort != 3389;
        if (n->dstPort != 3389 && !swapped)
            continue;
        const std::string ip = store::normaliseIp(swapped ? n->dstIp : n->srcIp);
        if (ctx.hosts.isSelf(host, ip, n->ts) || n->ts < tConn)
            continue;
        latestConn = Peer {ip, n->event, n->source};
        tConn = n->ts;
    }
    if (!byLogon.ip.empty())
        return byLogon;
    if (!byAccount.ip.empty())
        return byAccount;
    return tConn >= tLogon && !latestConn.ip.empty() ? latestConn : latestLogon;
}

RdpRedirectionRule::Peer RdpRedirectionRule::clientPeer(
    RuleContext &ctx, int64_t host, int64_t ts, const std::string &guid) const
{
    Peer best;
    int64_t tBest = 0;
    bool sameProcess = false;
    auto [nb, ne] = ctx.snap.connections.range(host, ts - ctx.cfg.rdpLookback, ts + ctx.cfg.skew);
    for (const NetInfo *n = nb; n != ne; ++n) {
        if (n->initiated != 1 || n->dstPort != 3389 || ctx.hosts.isSelf(host, n->dstIp, n->ts))
            continue;
        const bool same = !guid.empty() && n->guid == guid;
        if ((same && !sameProcess) || (same == sameProcess && n->ts >= tBest)) {
            best = Peer {store::normaliseIp(n->dstIp), n->event, n->source};
            tBest = n->ts;
            sameProcess = same;
        }
    }
    return best;
}

bool RdpRedirectionRule::touchesClientDrive(const ProcessInfo &p)
{
    return isTsclient(p.image) || (!p.cmd.empty() && WinPath::containsI(p.cmd, "\\\\tsclient\\"));
}

void RdpRedirectionRule::fromProcess(RuleContext &ctx, const ProcessInfo &p, std::vector<Candidate> &out)
{
    const int64_t acct = ctx.accounts.canonical(p.account);
    const bool person = acct && !ctx.accounts.isServiceIdentity(acct);
    auto base = [&](Direction dir) {
        Candidate c;
        c.method = Method::RdpTsclient;
        c.methodRank = 2;
        c.direction = dir;
        c.account = person ? acct : 0;
        c.firstTs = c.lastTs = p.ts;
        c.clockHost = p.host;
        c.addRule(name());
        return c;
    };
    // Only processes that touch the client's drive need the RDP peer: the look-up scans the
    // host's logons and connections of the last 24 h, which for every process of a busy host
    // (an ESXi shell log of 200 000 commands) was most of the inference time.
    if (!touchesClientDrive(p))
        return;
    const bool fromClient = isTsclient(p.image);
    const Peer peer = serverPeer(ctx, p.host, p.ts, p.logonId, person ? acct : 0);
    const int64_t peerHost = peer.ip.empty() ? 0 : ctx.hosts.forAddress(peer.ip, p.ts, peer.source);
    if (fromClient) {
        // Run straight from the client's drive: the bytes crossed, nothing was stored.
        Candidate c = base(Direction::Pull);
        c.srcHost = peerHost;
        c.srcIp = peer.ip;
        c.dstHost = p.host;
        c.fileName = std::string(WinPath::fileName(p.image));
        c.srcPath = clientPath(p.image);
        c.lo = p.ts - ctx.cfg.sameHostSlack;
        c.hi = p.ts + ctx.cfg.sameHostSlack;
        c.executed = true;
        c.dstProcess = p.id;
        // The process is both the fetch (the loader read the image from the client's drive over
        // the RDP channel, as a copy command would) and the run.
        c.addEvidence(p.event, role::kDstCommand, name());
        c.addEvidence(p.event, role::kDstExec, name());
        c.addEvidence(peer.event, role::kRdpSession, name());
        out.push_back(std::move(c));
        return;
    }
    if (p.cmd.empty() || !WinPath::containsI(p.cmd, "\\\\tsclient\\"))
        return;
    for (const ParsedMove &m : CommandParser::parse(p.cmd)) {
        if (WinPath::key(m.host) != "tsclient")
            continue;
        Candidate c = base(m.push ? Direction::Push : Direction::Pull);
        // Pull: client -> this server. Push: this server -> the client's drive.
        c.srcHost = m.push ? p.host : peerHost;
        c.dstHost = m.push ? peerHost : p.host;
        if (!c.dstHost)
            continue;
        c.srcIp = m.push ? std::string() : peer.ip;
        c.fileName = m.fileName;
        const std::string client = clientPath("\\\\tsclient\\" + m.share + '\\' + m.remotePath);
        c.srcPath = m.push ? (absolute(m.localPath) ? m.localPath : std::string()) : client;
        c.dstPath = m.push ? client : (absolute(m.localPath) ? m.localPath : std::string());
        c.lo = p.ts - ctx.cfg.sameHostSlack;
        c.hi = p.ts + ctx.cfg.commandToWrite;
        if (m.push)
            c.srcProcess = p.id;
        SourceCommandRule::attachChain(ctx, c, p, m.push ? role::kSrcCommand : role::kDstCommand,
            m.push ? role::kSrcParent : role::kDstParent, name());
        c.addEvidence(peer.event, role::kRdpSession, name());
        // The copy landing on this server.
        if (!m.push && !c.dstPath.empty()) {
            auto [b, e]
                = ctx.snap.fileCreates.range(p.host, p.ts - ctx.cfg.sameHostSlack, p.ts + ctx.cfg.commandToWrite);
            for (const FileCreateInfo *f = b; f != e; ++f)
                if (WinPath::equal(f->path, c.dstPath)) {
                    c.addEvidence(f->event, role::kDstCreate, name());
                    c.hashes = f->hashes;
                    c.lastTs = std::max(c.lastTs, f->ts);
                    break;
                }
        }
        out.push_back(std::move(c));
    }
}

bool RdpRedirectionRule::mayCrossDrive(const FileCreateInfo &f)
{
    return isTsclient(f.path) || WinPath::endsWithI(f.image, "\\mstsc.exe");
}

void RdpRedirectionRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.processes.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.processes.mayHave(host, ProcessRows::kClientDrive))
            continue; // read before: no process touches a client's drive (fromProcess adds nothing)
        for (const ProcessInfo &p : ctx.snap.processes.of(host))
            fromProcess(ctx, p, out);
    }
    for (int64_t host : ctx.snap.fileCreates.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.fileCreates.mayHave(host, CaseSnapshot::kClientDriveFile))
            continue;
        for (const FileCreateInfo &f : ctx.snap.fileCreates.of(host)) {
            const bool toClientDrive = isTsclient(f.path);
            const bool byClient = WinPath::endsWithI(f.image, "\\mstsc.exe");
            if (!toClientDrive && !byClient)
                continue;
            // mstsc's own files: connection settings and the bitmap cache.
            if (byClient
                && (WinPath::containsI(f.path, "\\Terminal Server Client\\") || WinPath::endsWithI(f.path, ".rdp")
                    || WinPath::endsWithI(f.path, ".bmc")))
                continue;
            Candidate c;
            c.method = Method::RdpTsclient;
            c.methodRank = 2;
            c.direction = Direction::Push;
            c.firstTs = c.lastTs = f.ts;
            c.lo = f.ts - ctx.cfg.sameHostSlack;
            c.hi = f.ts + ctx.cfg.sameHostSlack;
            c.clockHost = host;
            c.hashes = f.hashes;
            c.fileName = std::string(WinPath::fileName(f.path));
            c.addRule(name());
            c.addEvidence(f.event, byClient ? role::kDstRedirectWrite : role::kDstCreate, name());
            const int64_t acct = ctx.accounts.canonical(f.account);
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            if (toClientDrive) {
                // A process in the RDP session on this server wrote into the client's drive.
                const ProcessInfo *p = ctx.snap.processByGuid(host, f.guid);
                const Peer peer = serverPeer(ctx, host, f.ts, p ? p->logonId : std::string(), c.account);
                if (peer.ip.empty())
                    continue;
                c.srcHost = host;
                c.dstHost = ctx.hosts.forAddress(peer.ip, f.ts, peer.source);
                c.dstPath = clientPath(f.path);
                c.clockHost = host;
                c.addEvidence(peer.event, role::kRdpSession, name());
                if (p)
                    c.srcProcess = p->id;
            } else {
                // mstsc (the RDP client) writing a local file: the server pushed it into this
                // client's redirected drive. The server is mstsc's 3389 peer, when logged.
                const Peer peer = clientPeer(ctx, host, f.ts, f.guid);
                c.dstHost = host;
                c.dstPath = f.path;
                if (!peer.ip.empty()) {
                    c.srcIp = peer.ip;
                    c.srcHost = ctx.hosts.forAddress(peer.ip, f.ts, peer.source);
                    c.addEvidence(peer.event, role::kRdpSession, name());
                }
            }
            if (c.dstHost && c.dstHost != c.srcHost)
                out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
