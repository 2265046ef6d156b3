#include "inference/ExecutionRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"
#include "store/InferenceRepository.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace tt::inference {

namespace {
bool runByHost(std::string_view path)
{
    static const char *const kExt[]
        = {".dll", ".ps1", ".bat", ".cmd", ".vbs", ".js", ".hta", ".xml", ".msi", ".cpl", ".ocx", ".sct", ".wsf"};
    for (const char *e : kExt)
        if (WinPath::endsWithI(path, e))
            return true;
    return false;
}

// Does cmd name path as something to run? rundll32 also accepts the DLL without its extension.
bool namesPath(const std::string &cmd, const std::string &path)
{
    if (WinPath::containsI(cmd, path))
        return true;
    if (WinPath::endsWithI(path, ".dll")) {
        const std::string stem = path.substr(0, path.size() - 4);
        return WinPath::containsI(cmd, stem + ",") || WinPath::containsI(cmd, stem + " ,");
    }
    return false;
}
} // namespace

void ExecutionRule::refine(RuleContext &ctx, std::vector<Candidate> &transfers)
{
    // Of the destination host being read (transfers are visited host by host): image ->
    // processes, in time order. Switching hosts drops it and lets the process cache trim.
    int64_t imagesHost = 0;
    std::unordered_map<std::string, std::vector<const ProcessInfo *>> byImage;
    auto imagesOf = [&](int64_t host) -> const std::unordered_map<std::string, std::vector<const ProcessInfo *>> & {
        if (host == imagesHost && host)
            return byImage;
        byImage.clear();
        ctx.snap.processes.trim();
        imagesHost = host;
        for (const ProcessInfo &p : ctx.snap.processes.of(host))
            if (!p.image.empty())
                byImage[WinPath::key(p.image)].push_back(&p);
        return byImage;
    };
    // The next write of the same path ends the window of the previous one.
    std::map<std::tuple<int64_t, std::string>, std::vector<size_t>> byPath;
    for (size_t i = 0; i < transfers.size(); ++i)
        if (!transfers[i].dstPath.empty())
            byPath[{transfers[i].dstHost, WinPath::key(transfers[i].dstPath)}].push_back(i);
    for (auto &[key, idx] : byPath) {
        std::sort(
            idx.begin(), idx.end(), [&](size_t a, size_t b) { return transfers[a].firstTs < transfers[b].firstTs; });
        for (size_t n = 0; n < idx.size(); ++n) {
            Candidate &t = transfers[idx[n]];
            if (t.executed)
                continue;
            const int64_t lo = t.firstTs - ctx.cfg.sameHostSlack;
            int64_t hi = t.firstTs + ctx.cfg.execWindow;
            if (n + 1 < idx.size())
                hi = std::min(hi, transfers[idx[n + 1]].firstTs - 1);
            const ProcessInfo *run = nullptr;
            const auto &images = imagesOf(t.dstHost);
            if (auto it = images.find(std::get<1>(key)); it != images.end())
                for (const ProcessInfo *p : it->second)
                    if (p->ts >= lo && p->ts <= hi
                        && (!run || p->ts < run->ts || (p->ts == run->ts && p->sysmon && !run->sysmon)))
                        run = p;
            if (!run && runByHost(t.dstPath)) {
                auto [b, e] = ctx.snap.processes.range(t.dstHost, lo, hi);
                for (const ProcessInfo *p = b; p != e && !run; ++p)
                    if (!p->cmd.empty() && namesPath(p->cmd, t.dstPath))
                        run = p;
            }
            if (!run)
                continue;
            t.executed = true;
            t.dstProcess = run->id;
            t.addEvidence(run->event, role::kDstExec, name());
            t.addRule(name());
            const int64_t acct = ctx.accounts.canonical(run->account);
            if (!t.account && acct && !ctx.accounts.isServiceIdentity(acct))
                t.account = acct;
            if (t.hashes.empty() && WinPath::equal(run->image, t.dstPath))
                t.hashes = run->hashes.empty() ? ctx.repo.processHashes(run->id) : run->hashes;
        }
    }
}

} // namespace tt::inference
