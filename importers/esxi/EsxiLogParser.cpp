#include "esxi/EsxiLogParser.h"

#include "core/LineReader.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/TimeUtil.h"
#include "esxi/EsxiMessage.h"
#include "esxi/ShellTracker.h"
#include "linux/SshdMessage.h"
#include "linux/SyslogAuthParser.h"

#include <optional>
#include <string>

namespace tt {

namespace {

struct Line {
    int64_t timeUs = 0;
    bool hasZone = false;
    std::string_view level, ident, pid, message;
};

std::string_view nextToken(std::string_view &s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    const size_t sp = s.find(' ');
    const std::string_view t = s.substr(0, sp);
    s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
    return t;
}

std::string_view trimLeft(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    return s;
}

bool isDigits(std::string_view s)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// "In(14)", "Wa(12)", "Er(11)", "Db(15)", "No(13)", "Cr(10)", "Al(9)", "Em(8)": ESXi 8's
// severity and facility.
bool isLevelMarker(std::string_view t)
{
    return t.size() >= 5 && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'a' && t[1] <= 'z' && t[2] == '(' && t.back() == ')'
        && isDigits(t.substr(3, t.size() - 4));
}

bool isLevelWord(std::string_view t)
{
    return t == "info" || t == "verbose" || t == "warning" || t == "error" || t == "trivia" || t == "panic";
}

// "name[pid]" (or "name" when allowBare) -> ident and pid.
bool splitIdent(std::string_view t, std::string_view &ident, std::string_view &pid, bool allowBare)
{
    const size_t open = t.find('[');
    if (open == std::string_view::npos) {
        if (!allowBare)
            return false;
        ident = t;
        pid = {};
    } else {
        if (t.back() != ']' || open == 0)
            return false;
        ident = t.substr(0, open);
        pid = t.substr(open + 1, t.size() - open - 2);
        if (!isDigits(pid))
            return false;
    }
    if (ident.empty() || ident.size() > 64)
        return false;
    for (char c : ident)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.'))
            return false;
    return true;
}

// One ESXi log line; strictShape (detection) wants a pid or a level marker beside the name.
bool splitLine(std::string_view s, Line &out, bool strictShape)
{
    std::string_view ts = nextToken(s);
    const bool vobdStyle = !ts.empty() && ts.back() == ':';
    if (vobdStyle)
        ts.remove_suffix(1);
    if (ts.size() < 19 || ts[4] != '-' || ts[10] != 'T')
        return false;
    const auto t = timeutil::parseIso8601(ts);
    if (!t)
        return false;
    out.timeUs = t->us;
    out.hasZone = t->hasZone;
    out.level = {};
    if (vobdStyle) {
        out.ident = "vobd";
        out.pid = {};
        out.message = trimLeft(s);
        return !out.message.empty() && out.message.front() == '[';
    }
    std::string_view tok = nextToken(s);
    if (isLevelMarker(tok)) {
        out.level = tok;
        tok = nextToken(s);
    }
    if (tok.size() > 1 && tok.back() == ':') {
        if (!splitIdent(tok.substr(0, tok.size() - 1), out.ident, out.pid, !strictShape || !out.level.empty()))
            return false;
        out.message = trimLeft(s);
        return true;
    }
    if (isLevelWord(tok) && out.level.empty()) {
        // hostd / vpxa of 6.5 / 7: "info hostd[2099123] [Originator@6876 ...] message"
        out.level = tok;
        if (!splitIdent(nextToken(s), out.ident, out.pid, false))
            return false;
        out.message = trimLeft(s);
        return !strictShape || out.message.substr(0, 1) == "[";
    }
    return false;
}

} // namespace

bool EsxiLogParser::looksLikeEsxi(std::string_view firstLine)
{
    Line l;
    return splitLine(firstLine, l, true);
}

bool EsxiLogParser::parse(ByteSource &in, RecordSink &sink)
{
    LineReader lines(in, size_t(1) << 20, size_t(256) << 10);
    esxi::ShellTracker shells;
    RawEvent ev;
    bool pending = false;
    bool warnedHost = false;
    int64_t good = 0;
    auto flush = [&] {
        if (!pending)
            return;
        pending = false;
        shells.apply(ev);
        ++good;
        sink.event(ev);
    };
    std::string_view text;
    int64_t no = 0;
    Line l;
    while (nextLine(lines, sink, text, no)) {
        if (sink.cancelled())
            return true;
        std::string_view s = text;
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
            s.remove_suffix(1);
        if (s.empty())
            continue;
        if (!splitLine(s, l, false)) {
            // hostd's multi-line dumps ("--> ..." or indented): part of the record before.
            if (pending && (s.substr(0, 3) == "-->" || s.front() == ' ' || s.front() == '\t')) {
                for (Field &f : ev.fields)
                    if (f.name == "message") {
                        f.value += '\n';
                        f.value += s;
                        break;
                    }
                continue;
            }
            flush();
            sink.reject(no, "not an ESXi log line (no ISO 8601 time followed by a program name)");
            continue;
        }
        flush();
        ev.clear();
        ev.position = no;
        ev.timeUs = l.timeUs;
        ev.timeSource = l.hasZone ? TimeSource::ExplicitZone : TimeSource::AssumedUtc;
        ev.computer = m_ctx.defaultHost;
        ev.system.push_back({"Format", "esxi"});
        if (!l.level.empty())
            ev.system.push_back({"Level", std::string(l.level)});
        if (ev.computer.empty() && !warnedHost) {
            warnedHost = true;
            sink.warning(no,
                "ESXi log lines name no host: records kept without a host and not normalised (import with --host "
                "NAME)");
        }
        if (sshd::isSshIdentifier(l.ident))
            linuxlog::classifyMessage(ev, l.ident, l.pid, l.message);
        else
            esxi::classify(ev, l.ident, l.pid, l.message, false);
        pending = true;
    }
    flush();
    if (!good) {
        sink.reject(0, "no ESXi log line found");
        return false;
    }
    return true;
}

} // namespace tt
