#include "inference/SshTransferRule.h"

#include "inference/AccountResolver.h"
#include "inference/AddressSources.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/SourceCommandRule.h"
#include "inference/WinPath.h"
#include "store/EntityRepository.h"
#include "store/InferenceRepository.h"

#include <unordered_map>

namespace tt::inference {

namespace {

constexpr int64_t kLoginLookback = 24LL * 3600 * 1000000; // a session may be this old when it moves a file

bool isSshLogin(const LogonInfo &l)
{
    return l.origin == "sshd" || l.origin == "auditd";
}

std::string upper(std::string_view s)
{
    std::string o(s);
    for (char &c : o)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 32);
    return o;
}

bool looksLikeFile(std::string_view name)
{
    const auto dot = name.rfind('.');
    return !name.empty() && dot != std::string_view::npos && dot > 0 && dot + 1 < name.size()
        && name.find_first_of("*?") == std::string_view::npos;
}

// The server end of an SSH file copy, from the process's own command line.
struct Server {
    enum Kind { None, Receive, Send, Sftp } kind = None;
    Method method = Method::Scp;
    std::string path;
};

// Whether word occurs in s when the quote characters of s are left out.
bool holdsSkippingQuotes(std::string_view s, std::string_view word)
{
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != word[0])
            continue;
        size_t j = i + 1, k = 1;
        while (k < word.size() && j < s.size()) {
            if (s[j] == '"' || s[j] == '\'')
                ++j;
            else if (s[j] == word[k])
                ++j, ++k;
            else
                break;
        }
        if (k == word.size())
            return true;
    }
    return false;
}

Server serverOf(const ProcessInfo &p)
{
    Server s;
    const std::vector<std::string> t = CommandParser::tokenize(p.cmd);
    std::string verb(WinPath::fileName(t.empty() ? std::string_view(p.image) : std::string_view(t[0])));
    if (verb == "sftp-server" || verb == "internal-sftp" || WinPath::fileName(p.image) == "sftp-server") {
        s.kind = Server::Sftp;
        s.method = Method::Sftp;
        return s;
    }
    if (t.size() < 2)
        return s;
    if (verb == "scp") {
        bool to = false, from = false;
        for (size_t i = 1; i < t.size(); ++i) {
            if (t[i] == "-t")
                to = true;
            else if (t[i] == "-f")
                from = true;
            else if (!t[i].empty() && t[i][0] == '-' && t[i].find_first_not_of("-rpdvqtf") == std::string::npos) {
                to = to || t[i].find('t') != std::string::npos;
                from = from || t[i].find('f') != std::string::npos;
            }
        }
        if (to == from)
            return s;
        s.kind = to ? Server::Receive : Server::Send;
        s.method = Method::Scp;
        s.path = t.back().empty() || t.back()[0] == '-' ? std::string() : t.back();
        return s;
    }
    if (verb == "rsync") {
        bool server = false, sender = false;
        for (const std::string &a : t) {
            server = server || a == "--server";
            sender = sender || a == "--sender";
        }
        if (!server)
            return s;
        s.kind = sender ? Server::Send : Server::Receive;
        s.method = Method::Rsync;
        s.path = t.back().empty() || t.back()[0] == '-' || t.back() == "." ? std::string() : t.back();
    }
    return s;
}

Method methodOf(const std::string &tool)
{
    if (tool == "rsync")
        return Method::Rsync;
    if (tool == "sftp")
        return Method::Sftp;
    return Method::Scp;
}

bool absolutePath(const std::string &p)
{
    return (p.size() > 1 && p[0] == '/') || (p.size() > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'));
}

// "root" of root@10.0.0.2:/tmp/ in the command line that named host.
std::string userFor(const std::string &cmd, const std::string &host)
{
    for (const std::string &t : CommandParser::tokenize(cmd)) {
        const auto at = t.find('@');
        if (at == std::string::npos || at == 0 || t.compare(at + 1, host.size(), host) != 0)
            continue;
        if (t.find("://") != std::string::npos)
            continue;
        return t.substr(0, at);
    }
    return {};
}

class AccountNames {
public:
    explicit AccountNames(store::EntityRepository &entities)
        : m_entities(entities)
    {
    }
    const std::string &upperName(int64_t id)
    {
        auto it = m_names.find(id);
        if (it != m_names.end())
            return it->second;
        return m_names.emplace(id, id ? m_entities.accountNameKey(id) : std::string()).first->second;
    }

private:
    store::EntityRepository &m_entities;
    std::unordered_map<int64_t, std::string> m_names;
};

} // namespace

const LogonInfo *SshTransferRule::loginFor(
    RuleContext &ctx, int64_t host, int64_t ts, int64_t account, const std::string &logonId)
{
    const LogonInfo *byLogon = nullptr, *byAccount = nullptr, *latest = nullptr;
    const int64_t acct = account ? ctx.accounts.canonical(account) : 0;
    auto [b, e] = ctx.snap.logons.range(host, ts - kLoginLookback, ts + ctx.cfg.sameHostSlack);
    for (const LogonInfo *l = b; l != e; ++l) {
        if (!isSshLogin(*l) || l->ip.empty() || ctx.hosts.isSelf(host, l->ip, l->ts))
            continue;
        if (!logonId.empty() && l->origin == "auditd" && l->logonId == logonId)
            byLogon = l;
        if (l->endTs && l->endTs < ts)
            continue; // over before the process
        if (acct && ctx.accounts.canonical(l->account) == acct)
            byAccount = l;
        latest = l;
    }
    return byLogon ? byLogon : byAccount ? byAccount : latest;
}

bool SshTransferRule::bySftpServer(const FileCreateInfo &f)
{
    const std::string_view img = WinPath::fileName(f.image);
    return img == "sftp-server" || img == "internal-sftp";
}

bool SshTransferRule::mayBeServer(const ProcessInfo &p)
{
    if (p.cmd.empty())
        return false;
    // A receiving or sending server is a command whose verb is scp or rsync. tokenize() only drops
    // quotes and splits, so a token holds one of the words only when the command line does with
    // nothing but quotes inside it. Saves tokenizing every command line of a host as it is read.
    if (!holdsSkippingQuotes(p.cmd, "scp") && !holdsSkippingQuotes(p.cmd, "rsync"))
        return false;
    const Server s = serverOf(p);
    return s.kind == Server::Receive || s.kind == Server::Send;
}

void SshTransferRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    m_claimedServers.clear();
    sourceSide(ctx, out);
    serverSide(ctx, out);
    sftpWrites(ctx, out);
    sftpReads(ctx, out);
}

void SshTransferRule::sourceSide(RuleContext &ctx, std::vector<Candidate> &out)
{
    AccountNames names(ctx.entities);
    for (int64_t host : ctx.snap.processes.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.processes.mayHave(host, ProcessRows::kMayMoveFiles))
            continue; // read before: no command line that may move a file
        for (const ProcessInfo &p : ctx.snap.processes.of(host)) {
            if (p.cmd.empty() || !CommandParser::mayMoveFiles(p.cmd))
                continue;
            for (const ParsedMove &m : CommandParser::parse(p.cmd)) {
                if (m.kind != ParsedMove::Kind::Ssh || WinPath::isLoopbackHost(m.host))
                    continue;
                const int64_t remote = ctx.hosts.byName(m.host, p.ts, p.source);
                if (!remote || remote == host)
                    continue;
                const std::string user = upper(userFor(p.cmd, m.host));
                // The session on the other end: the ssh login from elsewhere nearest to the
                // command's start (a client logs in within moments), of the named account when
                // the command names one.
                const LogonInfo *login = nullptr;
                {
                    auto [b, e] = ctx.snap.logons.range(remote, p.ts - ctx.cfg.skew, p.ts + ctx.cfg.commandToWrite);
                    int64_t best = 0;
                    for (const LogonInfo *l = b; l != e; ++l) {
                        if (!isSshLogin(*l) || l->ip.empty() || ctx.hosts.isSelf(remote, l->ip, l->ts)
                            || (!user.empty() && names.upperName(l->account) != user))
                            continue;
                        const int64_t d = l->ts > p.ts ? l->ts - p.ts : p.ts - l->ts;
                        if (!login || d < best) {
                            login = l;
                            best = d;
                        }
                    }
                }
                // The server process of that session (auditd on the other end).
                const ProcessInfo *server = nullptr;
                {
                    const int64_t from = login ? login->ts - ctx.cfg.sameHostSlack : p.ts - ctx.cfg.skew;
                    auto [b, e] = ctx.snap.processes.range(remote, from, from + ctx.cfg.commandToWrite);
                    for (const ProcessInfo *q = b; q != e && !server; ++q) {
                        if (m_claimedServers.count(q->id))
                            continue;
                        const Server s = serverOf(*q);
                        const bool fits
                            = s.kind == Server::Sftp || (m.push ? s.kind == Server::Receive : s.kind == Server::Send);
                        if (!fits)
                            continue;
                        if (login && login->origin == "auditd" && !q->logonId.empty() && q->logonId != login->logonId)
                            continue;
                        server = q;
                    }
                }
                if (server)
                    m_claimedServers.insert(server->id);
                // The client's own connection to the other end (audit connect(), Sysmon 3):
                // from this host, shortly after the command, to an address of the remote host.
                int64_t connectEvent = 0;
                for (const store::OutboundConnectionRow &c :
                    ctx.repo.outboundConnections(host, p.ts - ctx.cfg.sameHostSlack, p.ts + ctx.cfg.commandToWrite)) {
                    if (c.dstIp == m.host || ctx.hosts.byIp(c.dstIp, c.ts, p.source) == remote
                        || (login && ctx.hosts.byIp(c.dstIp, c.ts, login->source) == remote)) {
                        connectEvent = c.event;
                        break;
                    }
                }
                auto make = [&](const std::string &fileName, const std::string &remotePath, int64_t createEvent) {
                    Candidate c;
                    c.fileName = fileName;
                    c.method = methodOf(m.tool);
                    c.methodRank = 2;
                    c.direction = m.push ? Direction::Push : Direction::Pull;
                    c.srcHost = m.push ? host : remote;
                    c.dstHost = m.push ? remote : host;
                    const std::string local = absolutePath(m.localPath) ? m.localPath : std::string();
                    const std::string far = absolutePath(remotePath) ? remotePath : std::string();
                    c.srcPath = m.push ? local : far;
                    c.dstPath = m.push ? far : local;
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
                    SourceCommandRule::attachChain(ctx, c, p, m.push ? role::kSrcCommand : role::kDstCommand,
                        m.push ? role::kSrcParent : role::kDstParent, name());
                    if (login) {
                        // The credential the file moved under: the account of the ssh login.
                        if (const int64_t la = ctx.accounts.canonical(login->account);
                            la && !ctx.accounts.isServiceIdentity(la))
                            c.account = la;
                        c.addEvidence(login->event, m.push ? role::kDstLogon : role::kSrcConnect, name());
                        if (m.push)
                            c.srcIp = login->ip; // the source as the destination saw it
                        c.firstTs = std::min(c.firstTs, login->ts);
                        c.lastTs = std::max(c.lastTs, login->ts);
                    }
                    if (server) {
                        c.addEvidence(server->event, m.push ? role::kDstCommand : role::kSrcCommand, name());
                        if (const ProcessInfo *parent = ctx.snap.parentOf(*server))
                            c.addEvidence(parent->event, m.push ? role::kDstParent : role::kSrcParent, name());
                    }
                    if (createEvent)
                        c.addEvidence(createEvent, role::kDstCreate, name());
                    if (connectEvent)
                        c.addEvidence(connectEvent, m.push ? role::kSrcConnect : role::kDstConnect, name());
                    out.push_back(std::move(c));
                };
                if (!m.fileName.empty()) {
                    make(m.fileName, m.remotePath, 0);
                    continue;
                }
                // sftp -b batch / interactive: the files are those sftp-server wrote in the session.
                if (!login)
                    continue;
                auto [b, e] = ctx.snap.fileCreates.range(
                    remote, login->ts, login->endTs ? login->endTs : login->ts + ctx.cfg.commandToWrite);
                for (const FileCreateInfo *f = b; f != e; ++f) {
                    const std::string_view img = WinPath::fileName(f->image);
                    if (img != "sftp-server" && img != "internal-sftp")
                        continue;
                    make(std::string(WinPath::fileName(f->path)), f->path, f->event);
                }
            }
        }
    }
}

void SshTransferRule::serverSide(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.processes.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.processes.mayHave(host, ProcessRows::kSshServer))
            continue; // read before: no scp / rsync server process
        for (const ProcessInfo &p : ctx.snap.processes.of(host)) {
            if (m_claimedServers.count(p.id) || p.cmd.empty())
                continue;
            const Server s = serverOf(p);
            if ((s.kind != Server::Receive && s.kind != Server::Send) || !looksLikeFile(WinPath::fileName(s.path)))
                continue; // a folder target: the file names are not known on this side
            const LogonInfo *login = loginFor(ctx, host, p.ts, p.account, p.logonId);
            Candidate c;
            c.fileName = std::string(WinPath::fileName(s.path));
            c.method = s.method;
            c.methodRank = 1;
            const int64_t acct = ctx.accounts.canonical(p.account);
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            c.firstTs = c.lastTs = p.ts;
            c.lo = p.ts - ctx.cfg.sameHostSlack;
            c.hi = p.ts + ctx.cfg.commandToWrite;
            c.clockHost = host;
            c.addRule(name());
            if (s.kind == Server::Receive) {
                c.direction = Direction::Push;
                c.dstHost = host;
                c.dstPath = absolutePath(s.path) ? s.path : std::string();
                SourceCommandRule::attachChain(ctx, c, p, role::kDstCommand, role::kDstParent, name());
                if (login) {
                    c.srcIp = login->ip;
                    c.addEvidence(login->event, role::kDstLogon, name());
                }
            } else {
                // The file leaves this host to the session's peer, which fetched it.
                if (!login)
                    continue;
                c.direction = Direction::Pull;
                c.srcHost = host;
                c.srcPath = absolutePath(s.path) ? s.path : std::string();
                c.dstHost = ctx.hosts.forAddress(login->ip, login->ts, login->source);
                if (!c.dstHost || c.dstHost == host)
                    continue;
                SourceCommandRule::attachChain(ctx, c, p, role::kSrcCommand, role::kSrcParent, name());
                c.addEvidence(login->event, role::kSrcConnect, name());
            }
            if (login)
                c.firstTs = std::min(c.firstTs, login->ts);
            out.push_back(std::move(c));
        }
    }
}

void SshTransferRule::sftpWrites(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.fileCreates.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.fileCreates.mayHave(host, CaseSnapshot::kSftpServerFile))
            continue;
        for (const FileCreateInfo &f : ctx.snap.fileCreates.of(host)) {
            if (!bySftpServer(f))
                continue;
            const std::string_view leaf = WinPath::fileName(f.path);
            if (leaf.empty())
                continue;
            Candidate c;
            c.fileName = std::string(leaf);
            c.dstPath = f.path;
            c.dstHost = host;
            c.method = Method::Sftp;
            c.methodRank = 1; // scp since OpenSSH 9.0 speaks SFTP too: a source command knows better
            c.direction = Direction::Push;
            c.firstTs = c.lastTs = f.ts;
            c.lo = f.ts - ctx.cfg.sameHostSlack;
            c.hi = f.ts + ctx.cfg.sameHostSlack;
            c.clockHost = host;
            c.addRule(name());
            c.addEvidence(f.event, role::kDstCreate, name());
            if (const LogonInfo *login = loginFor(ctx, host, f.ts, 0, {})) {
                c.srcIp = login->ip;
                c.addEvidence(login->event, role::kDstLogon, name());
                const int64_t acct = ctx.accounts.canonical(login->account);
                if (acct && !ctx.accounts.isServiceIdentity(acct))
                    c.account = acct;
                c.firstTs = login->ts;
            }
            out.push_back(std::move(c));
        }
    }
}

void SshTransferRule::sftpReads(RuleContext &ctx, std::vector<Candidate> &out)
{
    // sftp `get`, and scp downloads since OpenSSH 9.0 (SFTP underneath): the file left this
    // server for the session's peer, which fetched it.
    for (int64_t host : ctx.snap.fileReads.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.fileReads.mayHave(host, CaseSnapshot::kSftpServerFile))
            continue;
        for (const FileCreateInfo &f : ctx.snap.fileReads.of(host)) {
            const std::string_view leaf = WinPath::fileName(f.path);
            if (!bySftpServer(f) || leaf.empty())
                continue;
            const LogonInfo *login = loginFor(ctx, host, f.ts, 0, {});
            if (!login)
                continue;
            Candidate c;
            c.dstHost = ctx.hosts.forAddress(login->ip, login->ts, login->source);
            if (!c.dstHost || c.dstHost == host)
                continue;
            c.srcHost = host;
            c.srcPath = f.path;
            c.fileName = std::string(leaf);
            c.method = Method::Sftp;
            c.methodRank = 1;
            c.direction = Direction::Pull;
            c.firstTs = login->ts;
            c.lastTs = f.ts;
            c.lo = f.ts - ctx.cfg.sameHostSlack;
            c.hi = f.ts + ctx.cfg.sameHostSlack;
            c.clockHost = host;
            c.addRule(name());
            c.addEvidence(f.event, role::kSrcRead, name());
            c.addEvidence(login->event, role::kSrcConnect, name());
            const int64_t acct = ctx.accounts.canonical(login->account);
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            out.push_back(std::move(c));
        }
    }
}

void SshTransferRule::refine(RuleContext &ctx, std::vector<Candidate> &transfers)
{
    resolveAddressSources(ctx, transfers, name());
}

} // namespace tt::inference
