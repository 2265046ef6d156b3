#include "inference/ScheduledTaskRule.h"

#include "inference/CaseSnapshot.h"
#include "inference/RuleContext.h"
#include "inference/SmbSessions.h"
#include "inference/WinPath.h"
#include "store/HostName.h"

namespace tt::inference {

void ScheduledTaskRule::refine(RuleContext &ctx, std::vector<Candidate> &transfers)
{
    for (Candidate &t : transfers) {
        if (t.dstPath.empty() || t.direction != Direction::Push || ctx.snap.scheduledTasks.of(t.dstHost).empty())
            continue;
        const std::string path = WinPath::key(t.dstPath);
        auto [b, e] = ctx.snap.scheduledTasks.range(
            t.dstHost, t.firstTs - ctx.cfg.sameHostSlack, t.lastTs + ctx.cfg.serviceWindow);
        for (const store::ScheduledTaskRow *task = b; task != e; ++task) {
            bool names = false;
            for (const std::string &action : task->actions)
                names = names || WinPath::key(WinPath::expandEnv(action)).find(path) != std::string::npos;
            if (!names)
                continue;
            // Created by the session that wrote the file: its logon id, or a logon from its address.
            const LogonInfo *l = ctx.smb.logonOf(t.dstHost, task->logonId, task->ts, ctx.cfg.sameHostSlack);
            const bool sameSession = !t.session.empty() && task->logonId == t.session;
            const bool sameAddress = l && !t.srcIp.empty() && store::normaliseIp(l->ip) == t.srcIp;
            if (!sameSession && !sameAddress)
                continue;
            t.addEvidence(task->event, role::kDstTask, name());
            if (l)
                t.addEvidence(l->event, role::kDstLogon, name());
            t.addRule(name());
            t.corroborated = true;
        }
    }
}

} // namespace tt::inference
