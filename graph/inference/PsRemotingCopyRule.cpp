#include "inference/PsRemotingCopyRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"

namespace tt::inference {

namespace {
bool absolutePath(const std::string &p)
{
    return p.size() > 2 && p[1] == ':' && p[2] == '\\';
}

// The full path a copy lands at: the destination itself when it names a file (has an extension),
// else the file inside that folder; "" when the destination is relative or missing.
std::string landing(const std::string &destination, const std::string &fileName)
{
    if (!absolutePath(destination))
        return {};
    const std::string_view leaf = WinPath::fileName(destination);
    if (!leaf.empty() && leaf.find('.') != std::string_view::npos && destination.back() != '\\')
        return destination;
    return WinPath::join(destination, fileName);
}
} // namespace

void PsRemotingCopyRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
    constexpr int64_t kSessionAge = 24LL * 3600 * 1000000;
    for (int64_t host : ctx.snap.scriptBlocks.hosts()) {
        const auto &rows = ctx.snap.scriptBlocks.of(host);
        for (size_t i = 0; i < rows.size(); ++i) {
            const store::ScriptBlockRow &r = rows[i];
            if (r.eventId != 4104 || !WinPath::containsI(r.text, "session"))
                continue;
            for (const SessionCopy &copy : CommandParser::parseSessionCopies(r.text)) {
                std::string computer = copy.inlineComputer ? copy.session : std::string();
                int64_t sessionEvent = 0;
                for (size_t j = i + 1; !copy.inlineComputer && j-- > 0 && computer.empty();) {
                    if (rows[j].ts < r.ts - kSessionAge)
                        break;
                    computer = CommandParser::sessionComputer(rows[j].text, copy.session);
                    sessionEvent = computer.empty() ? 0 : rows[j].event;
                }
                const int64_t remote = computer.empty() ? 0 : ctx.hosts.byName(computer, r.ts, r.source);
                if (!remote || remote == host)
                    continue;
                Candidate c;
                c.direction = copy.push ? Direction::Push : Direction::Pull;
                c.srcHost = copy.push ? host : remote;
                c.dstHost = copy.push ? remote : host;
                c.fileName = copy.fileName;
                c.srcPath = absolutePath(copy.path) ? copy.path : std::string();
                c.dstPath = landing(copy.destination, copy.fileName);
                c.method = Method::Other;
                c.methodRank = 2;
                c.seenAt(r.ts, host, ctx.cfg.sameHostSlack);
                c.hi = r.ts + ctx.cfg.commandToWrite; // the copy runs after the command
                c.addRule(name());
                c.addEvidence(r.event, copy.push ? role::kSrcCommand : role::kDstCommand, name());
                if (sessionEvent && sessionEvent != r.event)
                    c.addEvidence(sessionEvent, role::kSrcConnect, name());
                const int64_t acct = ctx.accounts.canonical(r.account);
                if (acct && !ctx.accounts.isServiceIdentity(acct))
                    c.account = acct;
                out.push_back(std::move(c));
            }
        }
    }
}

} // namespace tt::inference
