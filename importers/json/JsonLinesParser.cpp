#include "json/JsonLinesParser.h"

#include "core/ByteSource.h"
#include "core/Integer.h"
#include "core/JsonText.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/TimeUtil.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

namespace {

constexpr int64_t kTwoMinutesUs = 120LL * 1000000;

// ---------------------------------------------------------------------------------------------
// Small helpers

std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// RFC 8259 number grammar (On-Demand hands us raw tokens without validating them).
bool isJsonNumber(std::string_view s)
{
    size_t i = 0, n = s.size();
    if (i < n && s[i] == '-')
        ++i;
    if (i >= n)
        return false;
    if (s[i] == '0') {
        ++i;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
    } else {
        return false;
    }
    if (i < n && s[i] == '.') {
        ++i;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == st)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            ++i;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == st)
            return false;
    }
    return i == n;
}

// Replaces invalid UTF-8 sequences by U+FFFD (used only for lines simdjson refused as non-UTF-8).
std::string repairUtf8(std::string_view in)
{
    std::string out;
    out.reserve(in.size() + 16);
    const auto *p = reinterpret_cast<const unsigned char *>(in.data());
    size_t n = in.size(), i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t len = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            out.push_back(char(c));
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len != 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                ok = false;
            else
                cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (ok) {
            if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF
                || (cp >= 0xD800 && cp <= 0xDFFF))
                ok = false;
        }
        if (ok) {
            out.append(in.data() + i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Key classification for the NXLog / Logstash flat shape.

enum class Kind : uint8_t {
    Data, // event data -> fields
    Computer, // Hostname
    EventId, // EventID
    Channel, // Channel
    Provider, // SourceName
    Record, // RecordNumber
    Sys, // system field, under sysName
    Keywords, // system "Keywords"; integers rendered as 0x hex
    EventTime, // system + host-local time
    TimeCreated, // system + local-or-zoned time (exports without EventTime)
    Timestamp, // system + collector time
    UserLookup, // Domain / AccountName / AccountType: envelope when UserID is present
};

struct KeyInfo {
    Kind kind = Kind::Data;
    std::string_view sysName;
};

KeyInfo classifyFlat(std::string_view k)
{
    using K = Kind;
    switch (k.size()) {
    case 4:
        if (k == "Task")
            return {K::Sys, "Task"};
        if (k == "host")
            return {K::Sys, "host"};
        if (k == "port")
            return {K::Sys, "port"};
        if (k == "tags")
            return {K::Sys, "tags"};
        if (k == "type")
            return {K::Sys, "type"};
        break;
    case 5:
        if (k == "Level")
            return {K::Sys, "Level"};
        break;
    case 6:
        if (k == "Domain")
            return {K::UserLookup, "Domain"};
        if (k == "UserID")
            return {K::Sys, "Security.UserID"};
        if (k == "Opcode")
            return {K::Sys, "RenderingInfo.Opcode"};
        break;
    case 7:
        if (k == "EventID")
            return {K::EventId, {}};
        if (k == "Channel")
            return {K::Channel, {}};
        if (k == "Version")
            return {K::Sys, "Version"};
        if (k == "Message")
            return {K::Sys, "RenderingInfo.Message"};
        break;
    case 8:
        if (k == "Hostname")
            return {K::Computer, {}};
        if (k == "Keywords")
            return {K::Keywords, "Keywords"};
        if (k == "ThreadID")
            return {K::Sys, "Execution.ThreadID"};
        if (k == "Severity")
            return {K::Sys, "Severity"};
        if (k == "Category")
            return {K::Sys, "RenderingInfo.Task"};
        if (k == "@version")
            return {K::Sys, "@version"};
        break;
    case 9:
        if (k == "EventTime")
            return {K::EventTime, "EventTime"};
        if (k == "EventType")
            return {K::Sys, "EventType"};
        break;
    case 10:
        if (k == "SourceName")
            return {K::Provider, {}};
        if (k == "ActivityID")
            return {K::Sys, "Correlation.ActivityID"};
        if (k == "@timestamp")
            return {K::Timestamp, "@timestamp"};
        break;
    case 11:
        if (k == "OpcodeValue")
            return {K::Sys, "Opcode"};
        if (k == "AccountName")
            return {K::UserLookup, "AccountName"};
        if (k == "AccountType")
            return {K::UserLookup, "AccountType"};
        if (k == "TimeCreated")
            return {K::TimeCreated, "TimeCreated"};
        break;
    case 12:
        if (k == "RecordNumber")
            return {K::Record, {}};
        if (k == "ProviderGuid")
            return {K::Sys, "Provider.Guid"};
        break;
    case 13:
        if (k == "SeverityValue")
            return {K::Sys, "SeverityValue"};
        break;
    case 16:
        if (k == "SourceModuleName")
            return {K::Sys, "SourceModuleName"};
        if (k == "SourceModuleType")
            return {K::Sys, "SourceModuleType"};
        if (k == "EventTypeOrignal")
            return {K::Sys, "EventTypeOrignal"}; // sic, as NXLog/Mordor spell it
        break;
    case 17:
        if (k == "EventReceivedTime")
            return {K::Sys, "EventReceivedTime"};
        if (k == "RelatedActivityID")
            return {K::Sys, "Correlation.RelatedActivityID"};
        if (k == "EventTypeOriginal")
            return {K::Sys, "EventTypeOriginal"};
        break;
    case 18:
        if (k == "ExecutionProcessID")
            return {K::Sys, "Execution.ProcessID"};
        break;
    default:
        break;
    }
    return {};
}

// Names of winlog.* keys (Winlogbeat) with an equivalent in the conventions' system names.
std::string_view winlogSysName(std::string_view path)
{
    if (path == "provider_guid")
        return "Provider.Guid";
    if (path == "version")
        return "Version";
    if (path == "opcode")
        return "RenderingInfo.Opcode";
    if (path == "task")
        return "RenderingInfo.Task";
    if (path == "activity_id")
        return "Correlation.ActivityID";
    if (path == "related_activity_id")
        return "Correlation.RelatedActivityID";
    if (path == "process.pid")
        return "Execution.ProcessID";
    if (path == "process.thread.id")
        return "Execution.ThreadID";
    if (path == "user.identifier")
        return "Security.UserID";
    return {};
}

// ---------------------------------------------------------------------------------------------
// Appending fields to a reused RawEvent without freeing the strings' buffers between records.

class FieldList {
public:
    FieldList(std::vector<Field> &v, std::vector<Field> &spare)
        : m_v(v)
        , m_spare(spare)
    {
    }
    Field &next()
    {
        if (m_n < m_v.size())
            return m_v[m_n++];
        if (!m_spare.empty()) {
            m_v.push_back(std::move(m_spare.back()));
            m_spare.pop_back();
        } else {
            m_v.emplace_back();
        }
        return m_v[m_n++];
    }
    void add(std::string_view name, std::string_view value)
    {
        Field &f = next();
        f.name.assign(name);
        f.value.assign(value);
    }
    size_t size() const { return m_n; }
    Field &at(size_t i) { return m_v[i]; }
    void finish()
    {
        while (m_v.size() > m_n) {
            m_spare.push_back(std::move(m_v.back()));
            m_v.pop_back();
        }
    }
    // Moves the entries at the ascending positions idx[0..n) to the end of another list, in
    // one pass that keeps the order of the rest (a rotate per entry moved ~25 fields each).
    void moveTo(const size_t *idx, size_t n, FieldList &other)
    {
        if (n == 0)
            return;
        size_t out = idx[0], k = 0;
        for (size_t i = idx[0]; i < m_n; ++i) {
            if (k < n && idx[k] == i) {
                std::swap(other.next(), m_v[i]);
                ++k;
            } else {
                if (out != i)
                    std::swap(m_v[out], m_v[i]);
                ++out;
            }
        }
        m_n = out;
        // Same order in `other` as moving them one by one from the last did (kept as it was).
        std::reverse(other.m_v.begin() + long(other.m_n - n), other.m_v.begin() + long(other.m_n));
    }

private:
    std::vector<Field> &m_v;
    std::vector<Field> &m_spare;
    size_t m_n = 0;
};

struct TimeStamp {
    int64_t us = kNoTime;
    bool zone = false; // carries a zone of its own
    bool zulu = false; // ... and that zone is a bare 'Z' (which some exports put on local time)
};

bool parseStamp(std::string_view s, TimeStamp &out)
{
    auto p = timeutil::parseIso8601(s);
    if (!p)
        return false;
    out.us = p->us;
    out.zone = p->hasZone;
    std::string_view t = trimRight(s);
    out.zulu = p->hasZone && !t.empty() && (t.back() == 'Z' || t.back() == 'z');
    return true;
}

struct HostState {
    int64_t offset = 0;
    uint8_t learned = 0; // 0 none, 1 from @timestamp, 2 from Sysmon UtcTime
    size_t waiting = 0; // pending records of this host that wait for a Sysmon-learned offset
};

struct Pending {
    RawEvent ev;
    int host = -1;
    TimeStamp local; // EventTime / TimeCreated (host-local unless explicitly zoned)
    TimeStamp utc; // Sysmon UtcTime
    TimeStamp collector; // @timestamp (NXLog/Logstash)
    bool resolved = false;
    bool waits = false;
};

} // namespace

// =============================================================================================

struct JsonLinesParser::Impl {
    RecordSink *sink = nullptr;
    od::parser parser;
    std::vector<Field> spare;
    std::string scratch; // compact JSON rendering, key paths
    std::string scratch2;
    std::string repaired; // line text after UTF-8 repair

    std::unordered_map<std::string, int> hostIndex;
    std::vector<HostState> hosts;
    std::string lastHost;
    int lastHostIdx = -1;

    std::vector<Pending> slots;
    size_t nPending = 0;
    size_t pendingBytes = 0;
    size_t waiting = 0;
    bool warnedAssumedUtc = false;
    bool warnedUtf8 = false;
    std::string recordIdWarning; // of the line being read
    int64_t untimed = 0, firstUntimed = 0; // records without a time, the first one's line
    std::vector<std::string> untimedFields; // time-like field names those records held

    void reset()
    {
        hostIndex.clear();
        hosts.clear();
        lastHost.clear();
        lastHostIdx = -1;
        nPending = 0;
        pendingBytes = 0;
        waiting = 0;
        warnedAssumedUtc = false;
        warnedUtf8 = false;
        untimed = 0;
        firstUntimed = 0;
        untimedFields.clear();
    }

    // A record no time field of its format could date (e.g. only a UtcTime on a Security record:
    // Sysmon documents its UtcTime as UTC, other providers do not). Counted, said once per file.
    void noteUntimed(const RawEvent &ev)
    {
        if (untimed++ == 0)
            firstUntimed = ev.position;
        auto timeLike = [](std::string_view n) {
            for (std::string_view w : {"Time", "time", "Date", "date"})
                if (n.find(w) != std::string_view::npos)
                    return true;
            return false;
        };
        for (const auto *list : {&ev.system, &ev.fields})
            for (const Field &f : *list)
                if (timeLike(f.name) && untimedFields.size() < 8
                    && std::find(untimedFields.begin(), untimedFields.end(), f.name) == untimedFields.end())
                    untimedFields.push_back(f.name);
    }

    void warnUntimed()
    {
        if (untimed == 0)
            return;
        std::string seen;
        for (const std::string &n : untimedFields)
            seen += (seen.empty() ? "" : ", ") + n;
        sink->warning(firstUntimed,
            std::to_string(untimed)
                + " record(s) stored without a time: no recognised time field (time-like fields seen: "
                + (seen.empty() ? std::string("none") : seen)
                + "; recognised: EventTime, TimeCreated, @timestamp, and UtcTime on Sysmon records)");
    }

    // After a file: give back what a long look-ahead made the slot pool hold.
    void release()
    {
        if (slots.size() > 64)
            slots.resize(64);
        if (spare.size() > 4096)
            spare.resize(4096);
    }

    int hostOf(const std::string &name)
    {
        if (lastHostIdx >= 0 && name == lastHost)
            return lastHostIdx;
        auto it = hostIndex.find(name);
        int idx;
        if (it == hostIndex.end()) {
            idx = int(hosts.size());
            hosts.emplace_back();
            hostIndex.emplace(name, idx);
        } else {
            idx = it->second;
        }
        lastHost = name;
        lastHostIdx = idx;
        return idx;
    }

    // ---- value rendering ------------------------------------------------------------------

    // Compact JSON text of any value (validating it). Appends to out.
    sj::error_code appendCompact(od::value v, std::string &out, int depth)
    {
        if (depth > 256)
            return sj::DEPTH_ERROR;
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        switch (t) {
        case od::json_type::object: {
            od::object o;
            if (auto e = v.get_object().get(o))
                return e;
            out.push_back('{');
            bool first = true;
            for (auto fr : o) {
                od::field f;
                if (auto e = std::move(fr).get(f))
                    return e;
                std::string_view k;
                if (auto e = f.unescaped_key().get(k))
                    return e;
                if (!first)
                    out.push_back(',');
                first = false;
                json::appendString(out, k);
                out.push_back(':');
                if (auto e = appendCompact(f.value(), out, depth + 1))
                    return e;
            }
            out.push_back('}');
            return sj::SUCCESS;
        }
        case od::json_type::array: {
            od::array a;
            if (auto e = v.get_array().get(a))
                return e;
            out.push_back('[');
            bool first = true;
            for (auto er : a) {
                od::value ev;
                if (auto e = std::move(er).get(ev))
                    return e;
                if (!first)
                    out.push_back(',');
                first = false;
                if (auto e = appendCompact(ev, out, depth + 1))
                    return e;
            }
            out.push_back(']');
            return sj::SUCCESS;
        }
        case od::json_type::string: {
            std::string_view s;
            if (auto e = v.get_string().get(s))
                return e;
            json::appendString(out, s);
            return sj::SUCCESS;
        }
        default: {
            std::string_view tok = trimRight(v.raw_json_token());
            if (auto e = checkAtom(t, tok))
                return e;
            out.append(tok);
            return sj::SUCCESS;
        }
        }
    }

    static sj::error_code checkAtom(od::json_type t, std::string_view tok)
    {
        switch (t) {
        case od::json_type::number:
            return isJsonNumber(tok) ? sj::SUCCESS : sj::NUMBER_ERROR;
        case od::json_type::boolean:
            return tok == "true" || tok == "false" ? sj::SUCCESS : sj::T_ATOM_ERROR;
        case od::json_type::null:
            return tok == "null" ? sj::SUCCESS : sj::N_ATOM_ERROR;
        default:
            return sj::TAPE_ERROR;
        }
    }

    // Scalar text of a value: strings unescaped, numbers / booleans as their JSON text, null as
    // empty, arrays / objects as compact JSON. The view stays valid until the next call.
    sj::error_code scalarText(od::value &v, od::json_type t, std::string_view &out)
    {
        switch (t) {
        case od::json_type::string:
            return v.get_string().get(out);
        case od::json_type::array:
        case od::json_type::object: {
            scratch.clear();
            if (auto e = appendCompact(v, scratch, 0))
                return e;
            out = scratch;
            return sj::SUCCESS;
        }
        case od::json_type::null: {
            std::string_view tok = trimRight(v.raw_json_token());
            if (auto e = checkAtom(t, tok))
                return e;
            out = {};
            return sj::SUCCESS;
        }
        default: {
            std::string_view tok = trimRight(v.raw_json_token());
            if (auto e = checkAtom(t, tok))
                return e;
            out = tok;
            return sj::SUCCESS;
        }
        }
    }

    // ---- one line ---------------------------------------------------------------------------

    // Parses one line into slot p. Returns an empty string on success, else the reject reason.
    std::string parseLine(const char *data, size_t len, size_t capacity, Pending &p)
    {
        std::string r = parseLineAs(data, len, capacity, p, false);
        if (r == kIsWinlogbeat) {
            // A top-level "winlog" object: Winlogbeat / ECS. Such lines are parsed a second time
            // (cheaper overall than searching every flat line for the key beforehand).
            const int64_t pos = p.ev.position;
            resetSlot(p);
            p.ev.position = pos;
            r = parseLineAs(data, len, capacity, p, true);
        }
        return r;
    }

    static constexpr std::string_view kIsWinlogbeat = "\x01winlog";

    sj::error_code lastError = sj::SUCCESS;

    std::string parseLineAs(const char *data, size_t len, size_t capacity, Pending &p, bool winlogbeat)
    {
        od::document doc;
        auto err = parser.iterate(data, len, capacity).get(doc);
        lastError = err;
        if (err)
            return std::string("malformed JSON: ") + sj::error_message(err);
        od::json_type t;
        if ((err = doc.type().get(t)))
            return std::string("malformed JSON: ") + sj::error_message(err);
        if (t != od::json_type::object)
            return "not a JSON object";
        od::object obj;
        if ((err = doc.get_object().get(obj)))
            return std::string("malformed JSON: ") + sj::error_message(err);

        RawEvent &ev = p.ev;
        FieldList sys(ev.system, spare), fields(ev.fields, spare);
        std::string r = winlogbeat ? parseWinlogbeat(obj, p, sys, fields) : parseFlat(obj, p, sys, fields);
        if (r.empty()) {
            // Trailing content after the object?
            const char *loc = nullptr;
            if (doc.current_location().get(loc) == sj::SUCCESS)
                r = "malformed JSON: trailing content after the object";
        }
        sys.finish();
        fields.finish();
        if (!r.empty())
            return r;
        if (ev.computer.empty())
            return winlogbeat ? "no host (winlog.computer_name / host.name)" : "no host (Hostname)";
        if (ev.eventId < 0)
            return winlogbeat ? "no usable event id (winlog.event_id / event.code)" : "no usable event id (EventID)";
        return {};
    }

    static std::string errText(sj::error_code e) { return std::string("malformed JSON: ") + sj::error_message(e); }

    std::string parseFlat(od::object &obj, Pending &p, FieldList &sys, FieldList &fields)
    {
        RawEvent &ev = p.ev;
        bool haveUserId = false;
        size_t lookupIdx[3];
        size_t nLookup = 0;
        TimeStamp utcStamp;
        for (auto fr : obj) {
            od::field f;
            if (auto e = std::move(fr).get(f))
                return errText(e);
            std::string_view key;
            if (auto e = f.unescaped_key().get(key))
                return errText(e);
            // The key view lives in the parser's string buffer, which the value's unescaping
            // appends to (does not overwrite), so it stays valid while we read the value.
            od::value v = f.value();
            od::json_type t;
            if (auto e = v.type().get(t))
                return errText(e);
            if (t == od::json_type::object && key == "winlog")
                return std::string(kIsWinlogbeat);
            const KeyInfo ki = classifyFlat(key);
            std::string_view val;
            if (ki.kind == Kind::Keywords && t == od::json_type::number) {
                std::string_view tok = trimRight(v.raw_json_token());
                if (!isJsonNumber(tok))
                    return errText(sj::NUMBER_ERROR);
                uint64_t k;
                if (integer::parseBits64(tok, k)) {
                    char buf[20];
                    char *e = buf + sizeof buf, *b = e;
                    do {
                        *--b = "0123456789abcdef"[k & 15];
                        k >>= 4;
                    } while (k);
                    *--b = 'x';
                    *--b = '0';
                    sys.add(ki.sysName, std::string_view(b, size_t(e - b)));
                } else {
                    sys.add(ki.sysName, tok);
                }
                continue;
            }
            if (auto e = scalarText(v, t, val))
                return errText(e);
            switch (ki.kind) {
            case Kind::Data:
                fields.add(key, val);
                if (key == "UtcTime" && t == od::json_type::string)
                    parseStamp(val, utcStamp);
                break;
            case Kind::Computer:
                ev.computer.assign(val);
                break;
            case Kind::Channel:
                ev.channel.assign(val);
                break;
            case Kind::Provider:
                ev.provider.assign(val);
                break;
            case Kind::EventId: {
                int64_t id;
                if ((t == od::json_type::number || t == od::json_type::string) && integer::parseInt64(val, id)
                    && id >= 0 && id <= 0xFFFFFFFFLL)
                    ev.eventId = int32_t(id & 0xFFFF);
                break;
            }
            case Kind::Record:
                takeRecordNumber(t, key, val, ev);
                break;
            case Kind::Sys:
            case Kind::Keywords:
                sys.add(ki.sysName, val);
                if (key == "UserID")
                    haveUserId = true;
                break;
            case Kind::EventTime:
                sys.add(ki.sysName, val);
                if (t == od::json_type::string)
                    parseStamp(val, p.local);
                break;
            case Kind::TimeCreated:
                sys.add(ki.sysName, val);
                if (t == od::json_type::string && p.local.us == kNoTime)
                    parseStamp(val, p.local);
                break;
            case Kind::Timestamp:
                sys.add(ki.sysName, val);
                if (t == od::json_type::string)
                    parseStamp(val, p.collector);
                break;
            case Kind::UserLookup:
                if (nLookup < 3)
                    lookupIdx[nLookup++] = fields.size();
                fields.add(key, val);
                break;
            }
        }
        // (EventTime wins over TimeCreated whatever the key order: its parseStamp overwrites.)
        if (haveUserId) {
            // NXLog resolves UserID to Domain / AccountName / AccountType: envelope, not data.
            fields.moveTo(lookupIdx, nLookup, sys);
        }
        const bool sysmon
            = ev.channel == "Microsoft-Windows-Sysmon/Operational" || ev.provider == "Microsoft-Windows-Sysmon";
        if (sysmon)
            p.utc = utcStamp;
        if (p.local.us != kNoTime && p.local.zone && !p.local.zulu) {
            // A numeric zone is taken at its word: no learning needed.
            ev.timeUs = p.local.us;
            ev.timeSource = TimeSource::ExplicitZone;
            p.resolved = true;
        }
        return {};
    }

    // Flattens a Winlogbeat object value below prefix into dst (objects -> dotted paths).
    sj::error_code flatten(od::value v, std::string &path, FieldList &dst, bool skipXmlName, int depth)
    {
        if (depth > 64)
            return sj::DEPTH_ERROR;
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::object) {
            od::object o;
            if (auto e = v.get_object().get(o))
                return e;
            const size_t base = path.size();
            for (auto fr : o) {
                od::field f;
                if (auto e = std::move(fr).get(f))
                    return e;
                std::string_view k;
                if (auto e = f.unescaped_key().get(k))
                    return e;
                if (skipXmlName && depth == 0 && k == "xml_name") {
                    od::value dummy = f.value();
                    std::string_view ignored;
                    od::json_type tt;
                    if (auto e = dummy.type().get(tt))
                        return e;
                    if (auto e = scalarText(dummy, tt, ignored))
                        return e;
                    continue;
                }
                if (base)
                    path.push_back('.');
                path.append(k);
                if (auto e = flatten(f.value(), path, dst, skipXmlName, depth + 1))
                    return e;
                path.resize(base);
            }
            return sj::SUCCESS;
        }
        std::string_view val;
        if (auto e = scalarText(v, t, val))
            return e;
        dst.add(path, val);
        return sj::SUCCESS;
    }

    std::string parseWinlogbeat(od::object &obj, Pending &p, FieldList &sys, FieldList &fields)
    {
        RawEvent &ev = p.ev;
        std::string hostName, eventCode;
        std::string path;
        for (auto fr : obj) {
            od::field f;
            if (auto e = std::move(fr).get(f))
                return errText(e);
            std::string_view key;
            if (auto e = f.unescaped_key().get(key))
                return errText(e);
            od::value v = f.value();
            od::json_type t;
            if (auto e = v.type().get(t))
                return errText(e);
            if (key == "winlog" && t == od::json_type::object) {
                if (auto r = parseWinlogObject(v, p, sys, fields); !r.empty())
                    return r;
                continue;
            }
            if (t == od::json_type::object) {
                // ECS envelope objects: flatten to dotted names, pick host.name / event.code.
                path.assign(key);
                const size_t before = sys.size();
                if (auto e = flatten(v, path, sys, false, 1))
                    return errText(e);
                for (size_t i = before; i < sys.size(); ++i) {
                    Field &fl = sys.at(i);
                    if (fl.name == "host.name")
                        hostName = fl.value;
                    else if (fl.name == "event.code")
                        eventCode = fl.value;
                    else if (fl.name == "log.level")
                        fl.name = "RenderingInfo.Level";
                }
                continue;
            }
            std::string_view val;
            if (auto e = scalarText(v, t, val))
                return errText(e);
            if (key == "message") {
                sys.add("RenderingInfo.Message", val);
            } else if (key == "@timestamp") {
                sys.add(key, val);
                if (t == od::json_type::string)
                    parseStamp(val, p.collector);
            } else if (key == "host.name") { // already-flattened ECS exports
                hostName.assign(val);
                sys.add(key, val);
            } else if (key == "event.code") {
                eventCode.assign(val);
                sys.add(key, val);
            } else {
                sys.add(key, val);
            }
        }
        if (ev.computer.empty())
            ev.computer = hostName;
        if (ev.eventId < 0 && !eventCode.empty()) {
            int64_t id;
            if (integer::parseInt64(eventCode, id) && id >= 0 && id <= 0xFFFFFFFFLL)
                ev.eventId = int32_t(id & 0xFFFF);
        }
        // Winlogbeat's @timestamp is the event's own TimeCreated, in UTC.
        if (p.collector.us != kNoTime) {
            ev.timeUs = p.collector.us;
            if (p.collector.zone) {
                ev.timeSource = TimeSource::SystemTimeUtc;
            } else {
                ev.timeSource = TimeSource::AssumedUtc;
                warnAssumedUtc(ev.position);
            }
        }
        p.collector = {};
        p.resolved = true;
        return {};
    }

    std::string parseWinlogObject(od::value &wv, Pending &p, FieldList &sys, FieldList &fields)
    {
        RawEvent &ev = p.ev;
        od::object w;
        if (auto e = wv.get_object().get(w))
            return errText(e);
        std::string path;
        for (auto fr : w) {
            od::field f;
            if (auto e = std::move(fr).get(f))
                return errText(e);
            std::string_view key;
            if (auto e = f.unescaped_key().get(key))
                return errText(e);
            od::value v = f.value();
            od::json_type t;
            if (auto e = v.type().get(t))
                return errText(e);
            if ((key == "event_data" || key == "user_data") && t == od::json_type::object) {
                path.clear();
                if (auto e = flatten(v, path, fields, key == "user_data", 0))
                    return errText(e);
                continue;
            }
            if (key == "keywords" && t == od::json_type::array) {
                od::array a;
                if (auto e = v.get_array().get(a))
                    return errText(e);
                scratch2.clear();
                for (auto er : a) {
                    od::value ev2;
                    if (auto e = std::move(er).get(ev2))
                        return errText(e);
                    od::json_type et;
                    if (auto e = ev2.type().get(et))
                        return errText(e);
                    std::string_view s;
                    if (auto e = scalarText(ev2, et, s))
                        return errText(e);
                    if (!scratch2.empty())
                        scratch2 += "; ";
                    scratch2.append(s);
                }
                sys.add("RenderingInfo.Keywords", scratch2);
                continue;
            }
            if (t == od::json_type::object) {
                path.assign(key);
                const size_t before = sys.size();
                if (auto e = flatten(v, path, sys, false, 1))
                    return errText(e);
                for (size_t i = before; i < sys.size(); ++i) {
                    Field &fl = sys.at(i);
                    std::string_view canon = winlogSysName(fl.name);
                    if (!canon.empty())
                        fl.name.assign(canon);
                    else
                        fl.name.insert(0, "winlog.");
                }
                continue;
            }
            std::string_view val;
            if (auto e = scalarText(v, t, val))
                return errText(e);
            if (key == "computer_name") {
                ev.computer.assign(val);
            } else if (key == "channel") {
                ev.channel.assign(val);
            } else if (key == "provider_name") {
                ev.provider.assign(val);
            } else if (key == "event_id") {
                int64_t id;
                if ((t == od::json_type::number || t == od::json_type::string) && integer::parseInt64(val, id)
                    && id >= 0 && id <= 0xFFFFFFFFLL)
                    ev.eventId = int32_t(id & 0xFFFF);
            } else if (key == "record_id") {
                takeRecordNumber(t, "winlog.record_id", val, ev);
            } else {
                std::string_view canon = winlogSysName(key);
                if (!canon.empty()) {
                    sys.add(canon, val);
                } else {
                    Field &fl = sys.next();
                    fl.name.assign("winlog.");
                    fl.name.append(key);
                    fl.value.assign(val);
                }
            }
        }
        return {};
    }

    // ---- time resolution ----------------------------------------------------------------------

    void warnAssumedUtc(int64_t position)
    {
        if (warnedAssumedUtc)
            return;
        warnedAssumedUtc = true;
        sink->warning(position, "time stamp without zone and no offset could be learned: taken as UTC");
    }

    void learn(Pending &p)
    {
        if (p.host < 0 || p.local.us == kNoTime || p.resolved)
            return;
        HostState &h = hosts[size_t(p.host)];
        if (h.learned < 2 && p.utc.us != kNoTime && p.ev.eventId != 3) {
            // Sysmon 3's UtcTime can be hours before the record was written: not a reference.
            h.offset = timeutil::roundToQuarterHour(p.utc.us - p.local.us);
            h.learned = 2;
            waiting -= h.waiting;
            h.waiting = 0;
        } else if (h.learned == 0 && p.collector.us != kNoTime) {
            h.offset = timeutil::roundToQuarterHour(p.collector.us - p.local.us);
            h.learned = 1;
        }
    }

    void resolve(Pending &p)
    {
        RawEvent &ev = p.ev;
        if (p.resolved)
            return;
        if (p.local.us != kNoTime) {
            const HostState *h = p.host >= 0 ? &hosts[size_t(p.host)] : nullptr;
            if (h && h->learned) {
                const int64_t t = p.local.us + h->offset;
                if (p.utc.us != kNoTime && (p.utc.us - t <= kTwoMinutesUs && t - p.utc.us <= kTwoMinutesUs)) {
                    ev.timeUs = p.utc.us;
                    ev.timeSource = TimeSource::SysmonUtcTime;
                } else {
                    ev.timeUs = t;
                    ev.timeSource
                        = (p.local.zone && h->offset == 0) ? TimeSource::ExplicitZone : TimeSource::LocalPlusOffset;
                }
            } else if (p.local.zone) {
                ev.timeUs = p.local.us;
                ev.timeSource = TimeSource::ExplicitZone;
            } else {
                ev.timeUs = p.local.us;
                ev.timeSource = TimeSource::AssumedUtc;
                warnAssumedUtc(ev.position);
            }
        } else if (p.collector.us != kNoTime) {
            ev.timeUs = p.collector.us;
            ev.timeSource = TimeSource::CollectorTime;
        } else if (p.utc.us != kNoTime) {
            ev.timeUs = p.utc.us;
            ev.timeSource = TimeSource::SysmonUtcTime;
        }
    }

    void flush()
    {
        for (size_t i = 0; i < nPending; ++i) {
            Pending &p = slots[i];
            resolve(p);
            if (p.ev.timeUs == kNoTime)
                noteUntimed(p.ev);
            sink->event(p.ev);
            if (p.waits && p.host >= 0)
                hosts[size_t(p.host)].waiting = 0;
        }
        nPending = 0;
        pendingBytes = 0;
        waiting = 0;
        for (auto &h : hosts)
            h.waiting = 0;
    }

    void resetSlot(Pending &p)
    {
        RawEvent &ev = p.ev;
        ev.timeUs = kNoTime;
        ev.timeSource = TimeSource::Unknown;
        ev.computer.clear();
        ev.channel.clear();
        ev.provider.clear();
        ev.eventId = -1;
        ev.recordId = -1;
        ev.position = 0;
        // system / fields: kept (FieldList reuses their strings), original reassigned.
        p.host = -1;
        p.local = {};
        p.utc = {};
        p.collector = {};
        p.resolved = false;
        p.waits = false;
    }

    // A record number: set, or (present but not a number from 0 to INT64_MAX) warned about.
    void takeRecordNumber(od::json_type t, std::string_view name, std::string_view val, RawEvent &ev)
    {
        int64_t id;
        if ((t == od::json_type::number || t == od::json_type::string) && integer::parseInt64(val, id) && id >= 0)
            ev.recordId = id;
        else if (t != od::json_type::null && !val.empty())
            recordIdWarning = integer::recordNumberWarning(name, val);
    }

    void line(const char *data, size_t len, size_t capacity, int64_t lineNo)
    {
        recordIdWarning.clear();
        if (nPending == slots.size())
            slots.emplace_back();
        Pending &p = slots[nPending];
        resetSlot(p);
        p.ev.position = lineNo;
        std::string reason = parseLine(data, len, capacity, p);
        std::string_view text(data, len);
        if (!reason.empty() && lastError == sj::UTF8_ERROR) {
            // Keep the record: replace the bad bytes by U+FFFD and parse again.
            repaired = repairUtf8(text);
            const size_t n = repaired.size();
            repaired.append(sj::SIMDJSON_PADDING, '\0');
            resetSlot(p);
            p.ev.position = lineNo;
            reason = parseLine(repaired.data(), n, repaired.size(), p);
            text = std::string_view(repaired.data(), n);
            if (reason.empty())
                sink->warning(lineNo, "invalid UTF-8 replaced by U+FFFD");
        }
        if (!reason.empty()) {
            sink->reject(lineNo, reason);
            return;
        }
        if (!recordIdWarning.empty())
            sink->warning(lineNo, recordIdWarning);
        p.ev.original.assign(text);
        p.ev.originalFormat.assign("json");
        if (!p.resolved)
            p.host = hostOf(p.ev.computer);
        learn(p);
        if (!p.resolved && p.local.us != kNoTime && hosts[size_t(p.host)].learned < 2) {
            p.waits = true;
            ++hosts[size_t(p.host)].waiting;
            ++waiting;
        }
        ++nPending;
        pendingBytes += len * 2 + p.ev.fields.size() * 64 + 256;
        if (waiting == 0 || nPending >= kMaxPendingEvents || pendingBytes >= kMaxPendingBytes)
            flush();
    }
};

// =============================================================================================

JsonLinesParser::JsonLinesParser()
    : d(std::make_unique<Impl>())
{
}
JsonLinesParser::~JsonLinesParser() = default;

bool JsonLinesParser::parse(ByteSource &in, RecordSink &sink)
{
    d->reset();
    d->sink = &sink;
    constexpr size_t kPad = sj::SIMDJSON_PADDING;

    std::vector<char> buf(m_block + kPad);
    size_t cap = m_block; // usable bytes (buf.size() - kPad)
    size_t start = 0, end = 0, scan = 0;
    bool eof = false, first = true, decided = false, skipping = false;
    int64_t lineNo = 1;
    uint64_t consumed = 0;
    uint64_t sinceCheck = 0;

    auto isBlank = [](const char *p, size_t n) {
        for (size_t i = 0; i < n; ++i)
            if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
                return false;
        return true;
    };

    for (;;) {
        // Complete lines in [start, end).
        while (start < end) {
            const char *base = buf.data();
            const void *nl = std::memchr(base + scan, '\n', end - scan);
            if (!nl) {
                scan = end;
                break;
            }
            const size_t nlPos = size_t(static_cast<const char *>(nl) - base);
            if (skipping) {
                skipping = false;
            } else {
                size_t len = nlPos - start;
                if (len && base[start + len - 1] == '\r')
                    --len;
                if (!isBlank(base + start, len)) {
                    if (!decided) {
                        decided = true;
                        size_t i = 0;
                        while (i < len && (base[start + i] == ' ' || base[start + i] == '\t'))
                            ++i;
                        if (base[start + i] != '{') {
                            sink.reject(0, "not JSON lines: the first line is not a JSON object");
                            return false;
                        }
                    }
                    if (len > m_maxLine)
                        sink.reject(lineNo, "line longer than the limit");
                    else
                        d->line(base + start, len, buf.size() - start, lineNo);
                }
            }
            ++lineNo;
            start = scan = nlPos + 1;
            if (++sinceCheck >= 1024) {
                sinceCheck = 0;
                if (sink.cancelled()) {
                    d->flush();
                    return true;
                }
            }
        }
        if (eof)
            break;
        // The current partial line is [start, end). Over the limit: drop it and skip to '\n'.
        if (!skipping && end - start > m_maxLine) {
            sink.reject(lineNo, "line longer than the limit");
            skipping = true;
            if (!decided)
                decided = true; // (an overlong first line is simply rejected)
        }
        if (skipping) {
            start = scan = end = 0;
        } else if (start > 0) {
            std::memmove(buf.data(), buf.data() + start, end - start);
            end -= start;
            scan -= start;
            start = 0;
        }
        if (end == cap) {
            // Grow for a long line (bounded by the line limit).
            size_t ncap = std::min(cap * 2, m_maxLine + m_block);
            if (ncap <= cap)
                ncap = cap + m_block;
            buf.resize(ncap + kPad);
            cap = ncap;
        }
        long long r = in.read(buf.data() + end, cap - end);
        if (r < 0) {
            d->flush();
            sink.reject(lineNo, "read error: " + in.error());
            return true;
        }
        if (r == 0) {
            eof = true;
            // Last line without newline: add a virtual one (the padding has room for it) so the
            // loop above handles it like the others.
            if (!skipping && start < end)
                buf[end++] = '\n';
            continue;
        }
        consumed += uint64_t(r);
        sink.progress(consumed);
        if (first) {
            first = false;
            // UTF-8 BOM at the very start.
            if (r >= 3 && static_cast<unsigned char>(buf[0]) == 0xEF && static_cast<unsigned char>(buf[1]) == 0xBB
                && static_cast<unsigned char>(buf[2]) == 0xBF) {
                start = scan = 3;
            }
        }
        end += size_t(r);
    }
    d->flush();
    d->warnUntimed();
    d->release();
    if (!decided)
        sink.warning(0, "empty input");
    return true;
}

} // namespace tt
