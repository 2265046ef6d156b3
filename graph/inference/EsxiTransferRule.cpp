#include "inference/EsxiTransferRule.h"

#include "inference/AccountResolver.h"
#include "inference/AddressSources.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"

#include <set>
#include <string>

namespace tt::inference {

namespace {

constexpr int64_t kLoginLookback = 24LL * 3600 * 1000000;

bool inDropFolder(const std::string &path)
{
    for (const char *dir : {"/tmp/", "/var/tmp/", "/scratch/", "/vmfs/volumes/", "/dev/shm/"})
        if (path.rfind(dir, 0) == 0 && path.size() > std::char_traits<char>::length(dir))
            return true;
    return false;
}

// chmod +x / u+x / a+x / 7xx / 5xx FILE...: the absolute files made executable.
std::vector<std::string> chmodTargets(const std::vector<std::string> &t)
{
    std::vector<std::string> out;
    if (t.size() < 3 || WinPath::fileName(t[0]) != "chmod")
        return out;
    const std::string &mode = t[1];
    const bool exec = mode.find("+x") != std::string::npos
        || (mode.size() >= 3 && mode.find_first_not_of("01234567") == std::string::npos
            && ((mode[mode.size() - 3] - '0') & 1));
    if (!exec)
        return out;
    for (size_t i = 2; i < t.size(); ++i)
        if (!t[i].empty() && t[i][0] == '/')
            out.push_back(t[i]);
    return out;
}

// Commands that change no file's content (their arguments cannot be where a file came from),
// unless their output is redirected into one.
bool onlyReads(const std::vector<std::string> &t)
{
    if (t.empty())
        return true;
    for (const std::string &a : t)
        if (a.find('>') != std::string::npos)
            return false;
    static const char *const kReaders[]
        = {"chmod", "chown", "chgrp", "ls", "stat", "file", "md5sum", "sha1sum", "sha256sum", "rm", "cat", "head",
            "tail", "less", "more", "strings", "hexdump", "xxd", "nohup", "sh", "ash", "bash", "cd"};
    const std::string_view verb = WinPath::fileName(t[0]);
    for (const char *r : kReaders)
        if (verb == r)
            return true;
    return false;
}

// "sh /tmp/x.sh", "nohup /tmp/x &", "python /vmfs/volumes/ds/x.py": the absolute file an
// interpreter (or nohup) runs.
std::string scriptRun(const std::vector<std::string> &t)
{
    static const char *const kRunners[] = {"sh", "ash", "bash", "python", "python3", "nohup", "busybox"};
    size_t i = 0;
    while (i + 1 < t.size()) {
        const std::string_view verb = WinPath::fileName(t[i]);
        bool runner = false;
        for (const char *r : kRunners)
            runner = runner || verb == r;
        if (!runner)
            break;
        ++i;
    }
    if (i == 0 || i >= t.size() || t[i].empty() || t[i][0] != '/')
        return {};
    return t[i];
}

void setAccount(RuleContext &ctx, Candidate &c, int64_t account)
{
    const int64_t acct = ctx.accounts.canonical(account);
    if (acct && !ctx.accounts.isServiceIdentity(acct))
        c.account = acct;
}

} // namespace

const LogonInfo *EsxiTransferRule::latestLogin(
    RuleContext &ctx, int64_t host, int64_t ts, const char *origin, int64_t account)
{
    const LogonInfo *byAccount = nullptr, *latest = nullptr;
    const int64_t acct = account ? ctx.accounts.canonical(account) : 0;
    auto [b, e] = ctx.snap.logons.range(host, ts - kLoginLookback, ts + ctx.cfg.sameHostSlack);
    for (const LogonInfo *l = b; l != e; ++l) {
        if (l->origin != origin || l->ip.empty() || ctx.hosts.isSelf(host, l->ip, l->ts))
            continue;
        if (acct && ctx.accounts.canonical(l->account) == acct)
            byAccount = l;
        latest = l;
    }
    return byAccount ? byAccount : latest;
}

void EsxiTransferRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    datastore(ctx, out);
    landedOverSsh(ctx, out);
}

bool EsxiTransferRule::byHostd(const FileCreateInfo &f)
{
    return f.image == "hostd";
}

void EsxiTransferRule::datastore(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (const bool upload : {true, false}) {
        const HostRows<FileCreateInfo> &files = upload ? ctx.snap.fileCreates : ctx.snap.fileReads;
        for (int64_t host : files.hosts()) {
            ctx.snap.processes.trim(); // nothing of the previous host is held
            if (!files.mayHave(host, CaseSnapshot::kHostdFile))
                continue;
            for (const FileCreateInfo &f : files.of(host)) {
                const std::string_view leaf = WinPath::fileName(f.path);
                if (!byHostd(f) || leaf.empty())
                    continue;
                // The request's own session (same event) when it named its client, else the
                // latest Host Client / API login.
                const LogonInfo *login = latestLogin(ctx, host, f.ts, "hostd", f.account);
                Candidate c;
                c.fileName = std::string(leaf);
                c.method = Method::Http;
                c.methodRank = 2; // hostd's HTTP file service: the method is certain
                c.firstTs = login ? std::min(login->ts, f.ts) : f.ts;
                c.lastTs = f.ts;
                c.lo = f.ts - ctx.cfg.sameHostSlack;
                c.hi = f.ts + ctx.cfg.sameHostSlack;
                c.clockHost = host;
                c.addRule(name());
                setAccount(ctx, c, f.account);
                if (upload) {
                    c.direction = Direction::Push;
                    c.dstHost = host;
                    c.dstPath = f.path;
                    c.addEvidence(f.event, role::kDstCreate, name());
                    if (login) {
                        c.srcIp = login->ip;
                        if (login->event != f.event)
                            c.addEvidence(login->event, role::kDstLogon, name());
                    }
                } else {
                    if (!login)
                        continue; // a download to nobody known
                    c.direction = Direction::Pull;
                    c.srcHost = host;
                    c.srcPath = f.path;
                    c.dstHost = ctx.hosts.forAddress(login->ip, login->ts, login->source);
                    if (!c.dstHost || c.dstHost == host)
                        continue;
                    c.addEvidence(f.event, role::kSrcRead, name());
                    if (login->event != f.event)
                        c.addEvidence(login->event, role::kSrcConnect, name());
                }
                if (!c.account && login)
                    setAccount(ctx, c, login->account);
                out.push_back(std::move(c));
            }
        }
    }
}

void EsxiTransferRule::landedOverSsh(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.processes.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        if (!ctx.snap.processes.mayHave(host, ProcessRows::kEsxiShell))
            continue; // read before: no ESXi shell command, nothing landed
        std::set<std::string> named; // file names earlier commands on this host mentioned
        std::set<std::string> done; // paths already claimed
        for (const ProcessInfo &p : ctx.snap.processes.of(host)) {
            const std::vector<std::string> t = CommandParser::tokenize(p.cmd);
            std::vector<std::pair<std::string, bool>> targets; // path, executed
            if (p.esxiShell) {
                if (!p.image.empty() && p.image[0] == '/')
                    targets.emplace_back(p.image, true);
                if (const std::string script = scriptRun(t); !script.empty())
                    targets.emplace_back(script, true);
                for (const std::string &c : chmodTargets(t))
                    targets.emplace_back(c, false);
            }
            for (const auto &[path, executed] : targets) {
                const std::string leaf(WinPath::fileName(path));
                if (!inDropFolder(path) || named.count(WinPath::key(leaf)) || done.count(path))
                    continue;
                // Created here by an upload or a logged sftp write: other rules have it.
                bool created = false;
                auto [fb, fe] = ctx.snap.fileCreates.range(host, p.ts - kLoginLookback, p.ts);
                for (const FileCreateInfo *f = fb; f != fe && !created; ++f)
                    created = f->path == path;
                if (created)
                    continue;
                const LogonInfo *login = latestLogin(ctx, host, p.ts, "sshd", p.account);
                if (!login || login->ts > p.ts)
                    continue;
                done.insert(path);
                // The file arrived after the first login from that address in the lookback.
                int64_t first = login->ts;
                auto [lb, le] = ctx.snap.logons.range(host, p.ts - kLoginLookback, login->ts);
                for (const LogonInfo *l = lb; l != le; ++l)
                    if (l->origin == "sshd" && l->ip == login->ip)
                        first = std::min(first, l->ts);
                Candidate c;
                c.fileName = leaf;
                c.dstPath = path;
                c.dstHost = host;
                c.srcIp = login->ip;
                c.method = Method::Scp;
                c.methodRank = 0; // scp or sftp: the ESXi side cannot tell
                c.direction = Direction::Push;
                c.firstTs = login->ts;
                c.lastTs = p.ts;
                c.lo = first - ctx.cfg.sameHostSlack;
                c.hi = p.ts + ctx.cfg.sameHostSlack;
                c.clockHost = host;
                c.addRule(name());
                setAccount(ctx, c, login->account);
                c.addEvidence(login->event, role::kDstLogon, name());
                c.addEvidence(p.event, executed ? role::kDstExec : role::kDstCommand, name());
                out.push_back(std::move(c));
            }
            // What this command may have written: the names it mentions, unless it only looks at
            // or runs files (chmod +x x, ls, ./x): the program itself is never its own output.
            if (!onlyReads(t))
                for (size_t i = 1; i < t.size(); ++i)
                    if (const std::string_view leaf = WinPath::fileName(t[i]); !leaf.empty())
                        named.insert(WinPath::key(leaf));
        }
    }
}

void EsxiTransferRule::refine(RuleContext &ctx, std::vector<Candidate> &transfers)
{
    resolveAddressSources(ctx, transfers, name());
}

} // namespace tt::inference
