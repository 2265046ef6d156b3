#include "inference/BitsJobRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"

#include <map>

namespace tt::inference {

void BitsJobRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.bitsJobs.hosts()) {
        const auto &rows = ctx.snap.bitsJobs.of(host);
        // Job id -> its creation record (3) and owner.
        std::map<std::string, const store::BitsJobRow *> created;
        for (const store::BitsJobRow &r : rows)
            if (r.eventId == 3 && !r.jobId.empty())
                created.emplace(WinPath::key(r.jobId), &r);
        // One transfer per job and url: its 59 / 60 records in time order.
        std::map<std::string, std::vector<const store::BitsJobRow *>> transfers;
        for (const store::BitsJobRow &r : rows)
            if (r.eventId != 3 && !r.url.empty())
                transfers[WinPath::key(r.jobId) + '|' + r.url].push_back(&r);
        for (const auto &[key, recs] : transfers) {
            const store::BitsJobRow &first = *recs.front();
            const std::vector<ParsedMove> moves = CommandParser::parseRemoteName(first.url);
            if (moves.empty())
                continue;
            const ParsedMove &m = moves.front();
            const int64_t remote = m.kind == ParsedMove::Kind::Http ? ctx.hosts.internal(m.host, first.ts, first.source)
                                                                    : ctx.hosts.byName(m.host, first.ts, first.source);
            if (!remote || remote == host)
                continue; // the internet, or this machine
            // A job whose stop records moved nothing (failed, cancelled) moved no file.
            bool stopped = false, received = false;
            for (const store::BitsJobRow *r : recs)
                if (r->eventId == 60) {
                    stopped = true;
                    received = received
                        || (r->bytesTransferred > 0 && (r->bytesTotal <= 0 || r->bytesTransferred >= r->bytesTotal));
                }
            if (stopped && !received)
                continue;
            Candidate c;
            c.srcHost = remote;
            c.dstHost = host;
            c.fileName = m.fileName;
            if (const std::string root = WinPath::shareRoot(m.share); !root.empty())
                c.srcPath = WinPath::join(root, m.remotePath);
            c.method = m.kind == ParsedMove::Kind::Http
                ? Method::Http
                : (WinPath::isAdminShare(m.share) ? Method::SmbAdminShare : Method::SmbShare);
            c.methodRank = 2;
            c.direction = Direction::Pull;
            c.firstTs = first.ts;
            c.lastTs = recs.back()->ts;
            c.lo = first.ts - ctx.cfg.sameHostSlack;
            c.hi = c.lastTs + ctx.cfg.sameHostSlack;
            c.clockHost = host;
            c.addRule(name());
            int64_t owner = 0;
            for (const store::BitsJobRow *r : recs) {
                const bool complete = r->eventId == 60 && r->bytesTransferred > 0;
                c.addEvidence(r->event, complete ? role::kDstCreate : role::kDstCommand, name());
                owner = owner ? owner : r->account;
            }
            if (auto it = created.find(WinPath::key(first.jobId)); it != created.end()) {
                c.addEvidence(it->second->event, role::kDstCommand, name());
                owner = owner ? owner : it->second->account;
            }
            const int64_t acct = ctx.accounts.canonical(owner);
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
