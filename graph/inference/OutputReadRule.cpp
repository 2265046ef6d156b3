#include "inference/OutputReadRule.h"

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
bool allLetters(std::string_view s)
{
    for (char ch : s)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return false;
    return !s.empty();
}

// "__1619425227.894209", "__1556656511.61", "__1619090610"
bool epochName(std::string_view s)
{
    if (s.size() < 4 || s.substr(0, 2) != "__")
        return false;
    s.remove_prefix(2);
    int dots = 0;
    for (char ch : s) {
        if (ch == '.')
            ++dots;
        else if (ch < '0' || ch > '9')
            return false;
    }
    return dots <= 1 && s.front() != '.' && s.back() != '.';
}
} // namespace

bool OutputReadRule::toolOutputName(std::string_view shareShort, std::string_view rel)
{
    const std::string k = WinPath::key(rel);
    if (WinPath::key(shareShort) == "admin$") {
        // atexec: Temp\<8 random letters>.tmp; wmiexec / dcomexec: __<epoch seconds>.
        if (k.size() == 17 && k.compare(0, 5, "temp\\") == 0 && WinPath::endsWithI(k, ".tmp")
            && allLetters(std::string_view(k).substr(5, 8)))
            return true;
        return epochName(k);
    }
    return shareShort.size() == 2 && shareShort[1] == '$' && k == "__output"; // smbexec
}

bool OutputReadRule::redirectsInto(std::string_view cmd, std::string_view leaf)
{
    if (leaf.size() < 4)
        return false;
    const std::string c = WinPath::key(cmd);
    const std::string l = WinPath::key(leaf);
    for (size_t at = c.find(l); at != std::string::npos; at = c.find(l, at + 1)) {
        // The name must end there (not a prefix of a longer name) and follow a '>' on its way:
        // `> C:\Windows\Temp\X.tmp`, `1> \\127.0.0.1\ADMIN$\__N`, `^> \\127.0.0.1\C$\__output`.
        const size_t end = at + l.size();
        if (end < c.size() && c[end] != ' ' && c[end] != '"' && c[end] != '&')
            continue;
        if (at > 0 && c[at - 1] != '\\' && c[at - 1] != ' ' && c[at - 1] != '"' && c[at - 1] != '>')
            continue;
        const size_t gt = c.rfind('>', at);
        if (gt == std::string::npos)
            continue;
        // Nothing but a path between the '>' and the name.
        const std::string_view between = std::string_view(c).substr(gt + 1, at - gt - 1);
        size_t words = 0;
        for (size_t i = 0; i < between.size(); ++i)
            if (between[i] != ' ' && (i == 0 || between[i - 1] == ' '))
                ++words;
        if (words <= 1)
            return true;
    }
    return false;
}

void OutputReadRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.shareReads.hosts()) {
        ctx.snap.processes.trim(); // nothing of the previous host is held
        Candidate *cur = nullptr;
        std::string curKey;
        for (const store::ShareReadRow &r : ctx.snap.shareReads.of(host)) {
            const std::string shareShort = WinPath::shareShortName(r.share);
            if (r.rel.empty() || WinPath::isIpcShare(shareShort))
                continue;
            const std::string ip = store::normaliseIp(r.ip);
            if (ip.empty() || ctx.hosts.isSelf(host, ip, r.ts))
                continue; // a local read through a share (the tool's own loopback write, a backup)
            const std::string key = r.logonId + '|' + ip + '|' + WinPath::key(r.rel);
            if (cur && curKey == key && r.ts - cur->lastTs <= ctx.cfg.sessionGap) {
                cur->lastTs = r.ts;
                cur->hi = r.ts + ctx.cfg.sameHostSlack;
                cur->addEvidence(r.event, role::kSrcRead, name());
                continue;
            }
            // Is the file a command's output on this host? The command ran shortly before the
            // read (atexec polls for seconds, wmiexec at once).
            const std::string_view leaf = WinPath::fileName(r.rel);
            const int64_t lo = r.ts - ctx.cfg.commandToWrite;
            const int64_t hi = r.ts + ctx.cfg.sameHostSlack;
            std::vector<int64_t> outputs;
            auto [pb, pe] = ctx.snap.processes.range(host, lo, hi);
            for (const ProcessInfo *p = pb; p != pe; ++p)
                if (redirectsInto(p->cmd, leaf))
                    outputs.push_back(p->event);
            // smbexec's service is the command itself (7045 ImagePath / 4697 ServiceFileName).
            auto [vb, ve] = ctx.snap.services.range(host, lo, hi);
            for (const ServiceInfo *v = vb; v != ve; ++v)
                if (redirectsInto(v->imagePath, leaf))
                    outputs.push_back(v->event);
            auto [sb, se] = ctx.snap.shares.range(host, lo, hi);
            for (const ShareInfo *s = sb; s != se; ++s)
                if (s->code == 5145 && WinPath::equal(s->rel, r.rel)
                    && ctx.hosts.isSelf(host, store::normaliseIp(s->ip), s->ts))
                    outputs.push_back(s->event);
            const bool named = toolOutputName(shareShort, r.rel);
            if (outputs.empty() && !named)
                continue;
            const int64_t reader = ctx.hosts.forAddress(ip, r.ts, r.source);
            if (!reader || reader == host)
                continue;
            Candidate c = shareReadPull(ctx, host, r, shareShort, name());
            c.dstHost = reader;
            for (int64_t e : outputs)
                c.addEvidence(e, role::kSrcOutput, name());
            if (outputs.empty()) // only the tool's fixed name says what the file is
                c.addEvidence(r.event, role::kSrcOutput, name());
            if (const LogonInfo *l = ctx.smb.logonOf(host, r.logonId, r.ts, ctx.cfg.sameHostSlack))
                c.addEvidence(l->event, role::kSrcConnect, name());
            out.push_back(std::move(c));
            cur = &out.back();
            curKey = key;
        }
    }
}

} // namespace tt::inference
