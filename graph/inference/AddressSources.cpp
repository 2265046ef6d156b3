#include "inference/AddressSources.h"

#include "inference/HostResolver.h"
#include "inference/RuleContext.h"

namespace tt::inference {

void resolveAddressSources(RuleContext &ctx, std::vector<Candidate> &transfers, const char *rule)
{
    for (Candidate &t : transfers) {
        if (t.srcHost || t.srcIp.empty())
            continue;
        bool mine = false;
        for (const std::string &r : t.rules)
            mine = mine || r == rule;
        if (mine)
            t.srcHost = ctx.hosts.forAddress(t.srcIp, t.firstTs, 0);
    }
}

} // namespace tt::inference
