#include "linux/SyslogAuthParser.h"

#include "core/Integer.h"
#include "core/LineReader.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/TimeUtil.h"
#include "esxi/EsxiMessage.h"
#include "esxi/ShellTracker.h"
#include "linux/SshdMessage.h"

#include <simdjson.h>

#include <ctime>
#include <string>

namespace tt {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int monthOf(std::string_view s)
{
    static const char *const kMonths[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (s == kMonths[i])
            return i + 1;
    return 0;
}

// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
void civilFromDays(int64_t z, int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2)
        ++y;
}

// "Mmm dd hh:mm:ss" (day padded with a blank or a zero). Fills month, day and seconds of day.
bool parse3164(std::string_view s, int &month, int &day, int64_t &secOfDay)
{
    if (s.size() < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
        return false;
    month = monthOf(s.substr(0, 3));
    if (!month)
        return false;
    const char d1 = s[4], d2 = s[5];
    if (!isDigit(d2) || !(d1 == ' ' || isDigit(d1)))
        return false;
    day = (d1 == ' ' ? 0 : d1 - '0') * 10 + (d2 - '0');
    for (size_t i : {7u, 8u, 10u, 11u, 13u, 14u})
        if (!isDigit(s[i]))
            return false;
    const int hh = (s[7] - '0') * 10 + (s[8] - '0');
    const int mi = (s[10] - '0') * 10 + (s[11] - '0');
    const int ss = (s[13] - '0') * 10 + (s[14] - '0');
    if (day < 1 || day > 31 || hh > 23 || mi > 59 || ss > 60)
        return false;
    secOfDay = hh * 3600 + mi * 60 + ss;
    return true;
}

std::string_view nextToken(std::string_view &s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    const size_t sp = s.find(' ');
    std::string_view t = s.substr(0, sp);
    s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
    return t;
}

// "<PRI>" at the start: its value, and s advanced past it; -1 when absent.
int takePri(std::string_view &s)
{
    if (s.size() < 3 || s[0] != '<')
        return -1;
    size_t i = 1;
    int v = 0;
    while (i < s.size() && i <= 4 && isDigit(s[i]))
        v = v * 10 + (s[i++] - '0');
    if (i == 1 || i >= s.size() || s[i] != '>' || v > 191)
        return -1;
    s.remove_prefix(i + 1);
    return v;
}

// "tag[pid]: message" / "tag: message"; no tag: identifier empty, the whole text is the message.
void splitTag(std::string_view s, std::string_view &ident, std::string_view &pid, std::string_view &msg)
{
    ident = pid = {};
    msg = s;
    size_t i = 0;
    while (i < s.size() && i < 64 && s[i] != '[' && s[i] != ':' && s[i] != ' ')
        ++i;
    if (i == 0 || i >= s.size())
        return;
    std::string_view id = s.substr(0, i);
    std::string_view p;
    if (s[i] == '[') {
        const size_t close = s.find(']', i);
        if (close == std::string_view::npos)
            return;
        p = s.substr(i + 1, close - i - 1);
        i = close + 1;
    }
    if (i >= s.size() || s[i] != ':')
        return;
    ++i;
    if (i < s.size() && s[i] == ' ')
        ++i;
    ident = id;
    pid = p;
    msg = s.substr(i);
}

// RFC 5424 STRUCTURED-DATA: "-" or one or more [id k="v" ...] (with \" \] escapes in values).
bool takeStructuredData(std::string_view &s, std::string_view &sd)
{
    if (s.empty())
        return true;
    if (s.front() == '-') {
        sd = {};
        s.remove_prefix(1);
    } else if (s.front() == '[') {
        size_t i = 0;
        while (i < s.size() && s[i] == '[') {
            bool quoted = false;
            ++i;
            for (; i < s.size(); ++i) {
                const char c = s[i];
                if (quoted && c == '\\') {
                    ++i;
                    continue;
                }
                if (c == '"')
                    quoted = !quoted;
                else if (c == ']' && !quoted)
                    break;
            }
            if (i >= s.size())
                return false;
            ++i; // past ']'
        }
        sd = s.substr(0, i);
        s.remove_prefix(i);
    } else {
        return false;
    }
    if (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    return true;
}

} // namespace

namespace linuxlog {

void classifyMessage(RawEvent &ev, std::string_view identifier, std::string_view pid, std::string_view message)
{
    // ESXi's shell / hostd / vobd forwarded by syslog (esxi/EsxiMessage.h), when the message has their shape.
    if (esxi::classify(ev, identifier, pid, message, true))
        return;
    ev.provider.assign(identifier);
    ev.fields.push_back({"identifier", std::string(identifier)});
    if (!pid.empty())
        ev.fields.push_back({"pid", std::string(pid)});
    ev.fields.push_back({"message", std::string(message)});
    if (sshd::isSshIdentifier(identifier)) {
        ev.channel = "linux:sshd";
        ev.eventId = sshd::classify(message, ev.fields);
    } else {
        ev.channel = "linux:syslog";
        ev.eventId = 0;
    }
}

} // namespace linuxlog

bool SyslogAuthParser::looksLikeSyslog(std::string_view s)
{
    int month = 0, day = 0;
    int64_t sod = 0;
    const int pri = takePri(s);
    if (pri >= 0 && s.size() > 2 && s[0] == '1' && s[1] == ' ')
        return true; // RFC 5424
    if (parse3164(s, month, day, sod))
        return true;
    std::string_view t = nextToken(s);
    return t.size() >= 19 && t[4] == '-' && t[10] == 'T' && timeutil::parseIso8601(t).has_value() && !s.empty();
}

bool SyslogAuthParser::parse(ByteSource &in, RecordSink &sink)
{
    LineReader lines(in, size_t(1) << 20, size_t(256) << 10); // log lines of up to 1 MiB
    RawEvent ev;
    std::string_view line;
    // Year inference for RFC 3164 stamps.
    const bool fromMtime = m_ctx.mtime >= 0;
    const int64_t refSec = fromMtime ? m_ctx.mtime : static_cast<int64_t>(std::time(nullptr));
    int64_t refYear = 0;
    unsigned refMonth = 0, refDay = 0;
    civilFromDays(refSec >= 0 ? refSec / 86400 : (refSec - 86399) / 86400, refYear, refMonth, refDay);
    int64_t year = 0;
    int prevMonth = 0;
    bool warned3164 = false;
    int64_t good = 0;
    esxi::ShellTracker shells; // working directories of forwarded ESXi shell lines

    int64_t no = 0;
    while (nextLine(lines, sink, line, no)) {
        if (sink.cancelled())
            return true;
        std::string_view s = line;
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.remove_suffix(1);
        if (s.empty())
            continue;
        ev.clear();
        ev.position = no;
        const int pri = takePri(s);
        if (pri >= 0) {
            ev.system.push_back({"Facility", std::to_string(pri / 8)});
            ev.system.push_back({"Severity", std::to_string(pri % 8)});
        }
        std::string_view host, ident, pid, msg;
        int month = 0, day = 0;
        int64_t sod = 0;
        if (pri >= 0 && s.size() > 2 && s[0] == '1' && s[1] == ' ') {
            // RFC 5424
            s.remove_prefix(2);
            const std::string_view ts = nextToken(s);
            host = nextToken(s);
            ident = nextToken(s);
            pid = nextToken(s);
            const std::string_view msgId = nextToken(s);
            std::string_view sd;
            if (ts.empty() || host.empty() || ident.empty() || pid.empty() || msgId.empty()
                || !takeStructuredData(s, sd)) {
                sink.reject(no, "RFC 5424 line with missing header fields");
                continue;
            }
            if (ts != "-") {
                const auto t = timeutil::parseIso8601(ts);
                if (!t || !t->hasZone) {
                    sink.reject(no, "RFC 5424 line with an unreadable time stamp");
                    continue;
                }
                ev.timeUs = t->us;
                ev.timeSource = TimeSource::ExplicitZone;
            }
            if (ident == "-")
                ident = {};
            if (pid == "-")
                pid = {};
            if (host == "-")
                host = {};
            ev.system.push_back({"Format", "rfc5424"});
            if (msgId != "-")
                ev.system.push_back({"MsgId", std::string(msgId)});
            if (!sd.empty())
                ev.system.push_back({"StructuredData", std::string(sd)});
            if (s.substr(0, 3) == "\xEF\xBB\xBF")
                s.remove_prefix(3);
            msg = s;
        } else if (parse3164(s, month, day, sod)) {
            if (!year) {
                // The first stamp: this year of the reference time, or the year before when
                // the date lies after the reference date (a log is not written in the future).
                year = refYear;
                if (month > static_cast<int>(refMonth)
                    || (month == static_cast<int>(refMonth) && day > static_cast<int>(refDay) + 1))
                    --year;
            } else if (month < prevMonth) {
                ++year; // Dec -> Jan: a new year began
            }
            prevMonth = month;
            ev.timeUs = (timeutil::daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400
                            + sod)
                * 1000000;
            ev.timeSource = TimeSource::AssumedUtc;
            if (!warned3164) {
                warned3164 = true;
                sink.warning(no,
                    "RFC 3164 time stamps carry no year and no zone: year inferred from the "
                        + std::string(fromMtime ? "file's modification time" : "import time") + " ("
                        + std::to_string(year) + " for the first line), times taken as UTC");
            }
            s.remove_prefix(15);
            host = nextToken(s);
            splitTag(s, ident, pid, msg);
            ev.system.push_back({"Format", "rfc3164"});
        } else {
            const std::string_view ts = nextToken(s);
            const auto t = ts.size() >= 19 && ts[4] == '-' ? timeutil::parseIso8601(ts) : std::nullopt;
            if (!t) {
                sink.reject(no, "not a syslog line (no RFC 3164, RFC 3339 or RFC 5424 time stamp)");
                continue;
            }
            ev.timeUs = t->us;
            ev.timeSource = t->hasZone ? TimeSource::ExplicitZone : TimeSource::AssumedUtc;
            host = nextToken(s);
            splitTag(s, ident, pid, msg);
            ev.system.push_back({"Format", "rfc3339"});
        }
        ev.computer = host.empty() ? m_ctx.defaultHost : std::string(host);
        if (ev.computer.empty()) {
            sink.reject(no, "syslog line without a host name (import with --host NAME)");
            continue;
        }
        linuxlog::classifyMessage(ev, ident, pid, msg);
        shells.apply(ev);
        ++good;
        sink.event(ev);
    }
    if (!good) {
        sink.reject(0, "no syslog line found");
        return false;
    }
    return true;
}

bool JournaldJsonParser::parse(ByteSource &in, RecordSink &sink)
{
    namespace dom = simdjson::dom;
    LineReader lines(in, size_t(1) << 20, size_t(256) << 10); // log lines of up to 1 MiB
    dom::parser parser;
    RawEvent ev;
    std::string_view line;
    int64_t good = 0;
    std::string message, scratch;
    int64_t no = 0;
    while (nextLine(lines, sink, line, no)) {
        if (sink.cancelled())
            return true;
        std::string_view s = line;
        if (!s.empty() && s.front() == '\x1e')
            s.remove_prefix(1); // json-seq record separator
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.remove_suffix(1);
        if (s.empty())
            continue;
        dom::element doc;
        if (parser.parse(s.data(), s.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
            sink.reject(no, "not a JSON object");
            continue;
        }
        ev.clear();
        ev.position = no;
        std::string_view host, ident, pid, realtime, sourceTime, comm;
        message.clear();
        bool haveMessage = false;
        for (auto field : dom::object(doc)) {
            const std::string_view k = field.key;
            const dom::element v = field.value;
            std::string_view sv;
            if (v.is_string())
                sv = std::string_view(v.get_string().value_unsafe());
            if (k == "MESSAGE") {
                haveMessage = true;
                if (v.is_string()) {
                    message.assign(sv);
                } else if (v.is_array()) {
                    // Bytes when the message is not valid UTF-8 (or holds control characters).
                    for (auto b : dom::array(v)) {
                        if (b.is_int64() || b.is_uint64()) {
                            const int64_t x = b.is_int64() ? b.get_int64().value_unsafe()
                                                           : static_cast<int64_t>(b.get_uint64().value_unsafe());
                            message.push_back(static_cast<char>(x & 0xff));
                        } else if (b.is_string() && message.empty()) {
                            message.assign(std::string_view(b.get_string().value_unsafe())); // repeated field
                        }
                    }
                }
                continue;
            }
            if (!v.is_string())
                continue;
            if (k == "_HOSTNAME")
                host = sv;
            else if (k == "SYSLOG_IDENTIFIER")
                ident = sv;
            else if (k == "_PID" || (k == "SYSLOG_PID" && pid.empty())) // the trusted _PID wins
                pid = sv;
            else if (k == "__REALTIME_TIMESTAMP")
                realtime = sv;
            else if (k == "_SOURCE_REALTIME_TIMESTAMP")
                sourceTime = sv;
            else if (k == "_COMM")
                comm = sv;
            ev.system.push_back({std::string(k), std::string(sv)});
        }
        const std::string_view stamp = !sourceTime.empty() ? sourceTime : realtime;
        int64_t us = 0;
        if (!integer::parseInt64(stamp, us)) {
            sink.reject(no, "journal entry without a readable __REALTIME_TIMESTAMP");
            continue;
        }
        if (!haveMessage) {
            sink.reject(no, "journal entry without MESSAGE");
            continue;
        }
        ev.timeUs = us;
        ev.timeSource = TimeSource::SystemTimeUtc;
        ev.computer = host.empty() ? m_ctx.defaultHost : std::string(host);
        if (ident.empty())
            ident = comm;
        linuxlog::classifyMessage(ev, ident, pid, message);
        ++good;
        sink.event(ev);
    }
    if (!good) {
        sink.reject(0, "no journal entry found");
        return false;
    }
    return true;
}

} // namespace tt
