#include "inference/ShareReadPull.h"

#include "inference/AccountResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"
#include "store/WindowsActivity.h"

namespace tt::inference {

Candidate shareReadPull(const RuleContext &ctx, int64_t server, const store::ShareReadRow &r,
    const std::string &shareShort, const char *rule)
{
    Candidate c;
    c.srcHost = server;
    const std::string root = WinPath::shareRoot(shareShort, r.sharePath);
    c.srcPath = root.empty() ? std::string() : WinPath::join(root, r.rel);
    c.fileName = std::string(WinPath::fileName(r.rel));
    c.method = WinPath::isAdminShare(shareShort) ? Method::SmbAdminShare : Method::SmbShare;
    c.methodRank = 2;
    c.direction = Direction::Pull;
    const int64_t acct = ctx.accounts.canonical(r.account);
    if (acct && !ctx.accounts.isServiceIdentity(acct))
        c.account = acct;
    c.seenAt(r.ts, server, ctx.cfg.sameHostSlack);
    c.addRule(rule);
    c.addEvidence(r.event, role::kSrcRead, rule);
    return c;
}

} // namespace tt::inference
