#include "inference/PsRemotingCopyRule.h"

#include "inference/AccountResolver.h"
#include "inference/CaseSnapshot.h"
#include "inference/CommandParser.h"
#include "inference/HostResolver.h"
#include "inference/RuleContext.h"
#include "inference/WinPath.h"

#include <algorithm>
#include <optional>

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

constexpr int64_t kSessionAge = 24LL * 3600 * 1000000;
constexpr int64_t kFailedWithin = 30LL * 1000000; // a 142 this soon after a 6: the session failed

// `ParameterBinding(Command): name="Name"; value="V"` of a 4103 Payload (module logging, one line
// per bound parameter); nullopt when the parameter is not bound.
std::optional<std::string> binding(std::string_view payload, std::string_view command, std::string_view name)
{
    const std::string head
        = "ParameterBinding(" + std::string(command) + "): name=\"" + std::string(name) + "\"; value=\"";
    size_t pos = 0;
    while ((pos = payload.find(head, pos)) != std::string_view::npos) {
        if (pos == 0 || payload[pos - 1] == '\n') {
            const size_t start = pos + head.size();
            size_t end = payload.find('\n', start);
            if (end == std::string_view::npos)
                end = payload.size();
            std::string_view v = payload.substr(start, end - start);
            while (!v.empty() && (v.back() == '\r' || v.back() == ' '))
                v.remove_suffix(1);
            if (!v.empty() && v.back() == '"')
                v.remove_suffix(1);
            return std::string(v);
        }
        pos += head.size();
    }
    return std::nullopt;
}

// A PSSession object as 4103 writes it: PSSession.ToString() is "[PSSession]" + Name.
std::string sessionName(const std::string &value)
{
    constexpr std::string_view kPrefix = "[PSSession]";
    return value.compare(0, kPrefix.size(), kPrefix) == 0 ? value.substr(kPrefix.size()) : value;
}

// One computer, not a list ("A, B" is how 4103 writes a string array) nor empty.
bool oneComputer(const std::string &v)
{
    return !v.empty() && v.find(',') == std::string::npos && v.find(' ') == std::string::npos;
}

// The computer of a WinRM-Operational 6 connection string ("ws6/wsman?PSVersion=5.1...",
// "http://10.0.0.5:5985/wsman", "[fe80::1]:5986/wsman").
std::string connectionComputer(std::string_view c)
{
    if (const size_t scheme = c.find("://"); scheme != std::string_view::npos)
        c.remove_prefix(scheme + 3);
    c = c.substr(0, c.find_first_of("/?"));
    if (!c.empty() && c.front() == '[') {
        const size_t close = c.find(']');
        return close == std::string_view::npos ? std::string() : std::string(c.substr(1, close - 1));
    }
    if (std::count(c.begin(), c.end(), ':') == 1)
        c = c.substr(0, c.find(':'));
    return std::string(c);
}

// The single computer this host opened WinRM sessions to in the 24 h before ts (WinRM-Operational
// 6, leaving out sessions a 142 from this host reported failed within 30 s): 0 when none or when
// several computers were connected to (ambiguous).
int64_t sessionFromWinrm(RuleContext &ctx, int64_t host, int64_t ts, int64_t source, int64_t &event)
{
    const auto &rows = ctx.snap.remoting.of(host);
    int64_t found = 0;
    event = 0;
    for (size_t i = 0; i < rows.size() && rows[i].ts <= ts; ++i) {
        const store::RemotingRow &r = rows[i];
        if (r.eventId != 6 || r.ts < ts - kSessionAge)
            continue;
        bool failed = false;
        for (size_t j = i + 1; j < rows.size() && rows[j].ts <= r.ts + kFailedWithin; ++j)
            failed = failed || rows[j].eventId == 142;
        const std::string computer = connectionComputer(r.text);
        const int64_t remote = (failed || computer.empty()) ? 0 : ctx.hosts.byName(computer, r.ts, source);
        if (!remote || remote == host)
            continue;
        if (found && found != remote)
            return 0;
        found = remote;
        event = r.event;
    }
    if (!found)
        event = 0;
    return found;
}

// The computer of the session named `name` in a 4103 Copy-Item: the New-PSSession 4103 of the same
// runspace (24 h before) bound with -Name NAME, else the only computer the runspace's unnamed
// New-PSSession calls connected to (PowerShell names those WinRM1, WinRM2, ...), else the
// WinRM-Operational 6 rule above.
int64_t sessionFromModuleLog(
    RuleContext &ctx, int64_t host, const store::RemotingRow &copy, const std::string &name, int64_t &event)
{
    const auto &rows = ctx.snap.remoting.of(host);
    std::string unnamed;
    int64_t unnamedEvent = 0;
    bool ambiguous = false;
    for (const store::RemotingRow &r : rows) {
        if (r.ts > copy.ts)
            break;
        if (r.eventId != 4103 || r.ts < copy.ts - kSessionAge || r.runspace != copy.runspace
            || r.text.find("CommandInvocation(New-PSSession)") == std::string::npos)
            continue;
        const auto computer = binding(r.text, "New-PSSession", "ComputerName");
        if (!computer || !oneComputer(*computer))
            continue;
        const auto named = binding(r.text, "New-PSSession", "Name");
        if (named && *named == name) {
            event = r.event;
            return ctx.hosts.byName(*computer, r.ts, r.source);
        }
        if (!named) {
            ambiguous = ambiguous || (!unnamed.empty() && !WinPath::equal(unnamed, *computer));
            unnamed = *computer;
            unnamedEvent = r.event;
        }
    }
    if (!unnamed.empty() && !ambiguous) {
        event = unnamedEvent;
        return ctx.hosts.byName(unnamed, copy.ts, copy.source);
    }
    return sessionFromWinrm(ctx, host, copy.ts, copy.source, event);
}

// A file path as one 4103 binding holds it: one absolute path to a file (an extension, no
// wildcard); folders, wildcards and several paths ("A, B") are not read.
bool oneFile(const std::string &p)
{
    if (!absolutePath(p) || p.find_first_of("*?") != std::string::npos || p.find(", ") != std::string::npos)
        return false;
    const std::string_view leaf = WinPath::fileName(p);
    return !leaf.empty() && leaf.find('.') != std::string_view::npos;
}
} // namespace

void PsRemotingCopyRule::collect(RuleContext &ctx, std::vector<Candidate> &out)
{
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
                int64_t remote = computer.empty() ? 0 : ctx.hosts.byName(computer, r.ts, r.source);
                if (computer.empty() && !copy.inlineComputer)
                    remote = sessionFromWinrm(ctx, host, r.ts, r.source, sessionEvent);
                if (!remote || remote == host)
                    continue;
                Candidate c;
                c.direction = copy.push ? Direction::Push : Direction::Pull;
                c.srcHost = copy.push ? host : remote;
                c.dstHost = copy.push ? remote : host;
                c.fileName = copy.fileName;
                c.srcPath = absolutePath(copy.path) ? copy.path : std::string();
                c.dstPath = landing(copy.destination, copy.fileName);
                c.method = Method::Winrm;
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
    collectModuleLog(ctx, out);
}

// The same copies as PowerShell module logging (4103) records them: CommandInvocation(Copy-Item)
// with ParameterBinding lines for Path, Destination and ToSession / FromSession.
void PsRemotingCopyRule::collectModuleLog(RuleContext &ctx, std::vector<Candidate> &out)
{
    for (int64_t host : ctx.snap.remoting.hosts()) {
        for (const store::RemotingRow &r : ctx.snap.remoting.of(host)) {
            if (r.eventId != 4103 || r.text.find("CommandInvocation(Copy-Item)") == std::string::npos)
                continue;
            const auto to = binding(r.text, "Copy-Item", "ToSession");
            const auto from = binding(r.text, "Copy-Item", "FromSession");
            const auto path = binding(r.text, "Copy-Item", "Path");
            const auto literal = binding(r.text, "Copy-Item", "LiteralPath");
            const auto destination = binding(r.text, "Copy-Item", "Destination");
            if (bool(to) == bool(from))
                continue; // neither, or both (PowerShell refuses that)
            const std::string src = path ? *path : literal ? *literal : std::string();
            if (!oneFile(src))
                continue;
            int64_t sessionEvent = 0;
            const int64_t remote = sessionFromModuleLog(ctx, host, r, sessionName(to ? *to : *from), sessionEvent);
            if (!remote || remote == host)
                continue;
            const bool push = bool(to);
            const std::string fileName(WinPath::fileName(src));
            Candidate c;
            c.direction = push ? Direction::Push : Direction::Pull;
            c.srcHost = push ? host : remote;
            c.dstHost = push ? remote : host;
            c.fileName = fileName;
            c.srcPath = src;
            c.dstPath = destination ? landing(*destination, fileName) : std::string();
            c.method = Method::Winrm;
            c.methodRank = 2;
            c.seenAt(r.ts, host, ctx.cfg.sameHostSlack);
            c.hi = r.ts + ctx.cfg.commandToWrite;
            c.addRule(name());
            c.addEvidence(r.event, push ? role::kSrcCommand : role::kDstCommand, name());
            if (sessionEvent)
                c.addEvidence(sessionEvent, role::kSrcConnect, name());
            const int64_t acct = ctx.accounts.canonical(r.account);
            if (acct && !ctx.accounts.isServiceIdentity(acct))
                c.account = acct;
            out.push_back(std::move(c));
        }
    }
}

} // namespace tt::inference
