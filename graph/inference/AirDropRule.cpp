#include "inference/AirDropRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "store/MacActivity.h"

namespace tt::inference {

namespace {
constexpr int64_t kAcceptWindowUs = 10LL * 60 * 1000000; // ask -> the file lands (the user accepts)

std::string_view leafOf(std::string_view path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool isSharingd(std::string_view image)
{
    return image.size() >= 9 && image.substr(image.size() - 9) == "/sharingd";
}
} // namespace

void AirDropRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.airDrops.hosts()) {
        for (const store::AirDropRow &a : ctx.snap.airDrops.of(host)) {
            int64_t sender = ctx.hosts.byName(a.sender, a.ts, a.source);
            if (sender == host)
                continue; // the Mac's own name: it is the sender's log, not a receipt
            for (const std::string &file : a.files) {
                const std::string_view leaf = leafOf(file);
                if (leaf.empty())
                    continue;
                Candidate c;
                c.direction = Direction::Push;
                c.srcHost = sender;
                c.dstHost = host;
                c.fileName = std::string(leaf);
                c.method = Method::Airdrop;
                c.methodRank = 2;
                c.seenAt(a.ts, host, ctx.cfg.sameHostSlack);
                c.addRule(name());
                c.addEvidence(a.event, role::kDstCommand, name());
                // sharingd writes the accepted file (into ~/Downloads by default).
                const auto [b, e] = ctx.snap.fileCreates.range(host, a.ts, a.ts + kAcceptWindowUs);
                for (const FileCreateInfo *f = b; f != e; ++f) {
                    if (leafOf(f->path) != leaf)
                        continue;
                    const ProcessInfo *p = ctx.snap.processByPid(host, f->pid, f->ts);
                    if (!(p && isSharingd(p->image)) && !isSharingd(f->image))
                        continue;
                    c.dstPath = f->path;
                    c.seenAt(f->ts, host, ctx.cfg.sameHostSlack);
                    c.addEvidence(f->event, role::kDstCreate, name());
                    if (const int64_t acct = ctx.accounts.canonical(f->account);
                        acct && !ctx.accounts.isServiceIdentity(acct))
                        c.account = acct;
                    break;
                }
                out.push_back(std::move(c));
            }
        }
    }
}

} // namespace tt::inference
