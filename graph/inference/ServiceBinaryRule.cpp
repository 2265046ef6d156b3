#include "inference/ServiceBinaryRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"

#include <map>
#include <tuple>

namespace tt::inference {

namespace {
void markService(Candidate &t, int64_t event, const char *rule)
{
    t.method = Method::PsexecServiceBinary;
    t.methodRank = 3;
    t.corroborated = true;
    t.addEvidence(event, role::kDstService, rule);
    t.addRule(rule);
}
} // namespace

void ServiceBinaryRule::refine(RuleContext &ctx, std::vector<Candidate> &transfers)
{
    std::map<std::tuple<int64_t, std::string>, std::vector<size_t>> byPath;
    for (size_t i = 0; i < transfers.size(); ++i)
        if (!transfers[i].dstPath.empty())
            byPath[{transfers[i].dstHost, WinPath::key(transfers[i].dstPath)}].push_back(i);
    // 7045 / 4697 naming a transferred file: the latest transfer of that path before the install.
    for (int64_t host : ctx.snap.services.hosts())
        for (const ServiceInfo &s : ctx.snap.services.of(host)) {
            const std::string exe = WinPath::serviceExecutable(s.imagePath);
            if (exe.empty())
                continue;
            auto it = byPath.find({host, WinPath::key(exe)});
            if (it == byPath.end())
                continue;
            Candidate *best = nullptr;
            for (size_t i : it->second) {
                Candidate &t = transfers[i];
                if (t.firstTs >= s.ts - ctx.cfg.serviceWindow && t.firstTs <= s.ts + ctx.cfg.skew
                    && (!best || t.firstTs > best->firstTs))
                    best = &t;
            }
            if (!best)
                continue;
            markService(*best, s.event, name());
            const int64_t acct = ctx.accounts.canonical(s.account);
            if (!best->account && acct && !ctx.accounts.isServiceIdentity(acct))
                best->account = acct;
        }
    for (Candidate &t : transfers) {
        ctx.snap.processes.trim(); // nothing of the previous transfer is held
        // services.exe started the file: a service binary, whatever the install records say.
        if (const ProcessInfo *p = ctx.snap.processById(t.dstProcess);
            p && WinPath::endsWithI(p->parentImage, "\\services.exe") && WinPath::equal(p->image, t.dstPath)) {
            markService(t, p->event, name());
            continue;
        }
        if (t.method == Method::PsexecServiceBinary || !ctx.snap.services.of(t.dstHost).empty())
            continue;
        if (!WinPath::endsWithI(t.fileName, ".exe") || !WinPath::startsWithI(t.dstPath, "C:\\Windows\\"))
            continue;
        auto [b, e] = ctx.snap.shares.range(t.dstHost, t.firstTs, t.firstTs + 2 * 60 * InferenceConfig::kSec);
        for (const ShareInfo *s = b; s != e; ++s) {
            if (s->code != 5145 || WinPath::key(s->rel) != "svcctl")
                continue;
            const bool sameSession = !t.session.empty() && s->logonId == t.session;
            if (sameSession || (!t.srcIp.empty() && s->ip == t.srcIp)) {
                markService(t, s->event, name());
                break;
            }
        }
    }
}

} // namespace tt::inference
