#include "timeline/TimelineParser.h"

#include "core/ByteSource.h"
#include "core/Integer.h"
#include "core/JsonText.h"
#include "core/LineReader.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/TimeUtil.h"
#include "timeline/CsvReader.h"
#include "timeline/HayabusaTables.h"

#include <simdjson.h>

#include <cstring>
#include <deque>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tt {

namespace dom = simdjson::dom;

namespace {

using Pair = std::pair<std::string_view, std::string_view>;

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// "2024-01-02 03:04:05.678 +09:00" (Hayabusa's default: a space before the zone), ISO 8601 /
// RFC 3339 ("...T...Z", "...+09:00"), EvtxECmd's "2024-01-02 03:04:05.6789012" (no zone).
std::optional<timeutil::ParsedTime> parseToolTime(std::string_view s, std::string &scratch)
{
    s = trim(s);
    if (s.size() > 20) {
        const size_t sp = s.rfind(' ');
        if (sp != std::string_view::npos && sp >= 16 && sp + 1 < s.size() && (s[sp + 1] == '+' || s[sp + 1] == '-')) {
            scratch.assign(s.substr(0, sp));
            scratch.append(s.substr(sp + 1));
            return timeutil::parseIso8601(scratch);
        }
    }
    return timeutil::parseIso8601(s);
}

bool isKeyChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
        || c == '.' || c == '[' || c == ']';
}

// Hayabusa's "Key: Val ¦ Key: Val" (or one pair per line with -M). A piece without a key
// (a value that itself held the separator or a line break) is joined back to the value before it.
void splitDetails(std::string_view s, std::vector<Pair> &out)
{
    static constexpr std::string_view kSep = " \xC2\xA6 "; // " ¦ "
    s = trim(s);
    if (s.empty() || s == "-")
        return;
    std::string_view sep = kSep;
    if (s.find(kSep) == std::string_view::npos && s.find('\n') != std::string_view::npos)
        sep = "\n";
    size_t pos = 0;
    for (;;) {
        size_t end = s.find(sep, pos);
        std::string_view piece = s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (sep == "\n")
            piece = trim(piece);
        const size_t colon = piece.find(": ");
        bool keyed = colon != std::string_view::npos && colon > 0;
        for (size_t i = 0; keyed && i < colon; ++i)
            keyed = isKeyChar(piece[i]);
        if (keyed) {
            out.emplace_back(piece.substr(0, colon), piece.substr(colon + 2));
        } else if (!out.empty()) {
            const char *b = out.back().second.data();
            out.back().second = std::string_view(b, size_t(piece.data() + piece.size() - b));
        } else if (!piece.empty()) {
            out.emplace_back(std::string_view(), piece);
        }
        if (end == std::string_view::npos)
            break;
        pos = end + sep.size();
    }
}

bool ieq(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = char(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = char(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

} // namespace

// =============================================================================================

struct TimelineParser::Impl {
    RecordSink *sink = nullptr;
    dom::parser lineParser; // a JSON line
    dom::parser payloadParser; // EvtxECmd's Payload column
    std::deque<std::string> tmp; // storage for rendered values of the current row
    std::string scratch;
    std::string recordIdWarning; // of the row being read
    std::string scratch2;
    RawEvent ev;
    bool warnedAssumedUtc = false;
    // Hayabusa: one row per rule that matched; the same record is stored once.
    std::unordered_set<std::string> seen;
    int64_t duplicates = 0;
    int64_t firstDuplicate = 0;
    int payloadWarnings = 0;

    std::string_view keep(std::string s)
    {
        tmp.push_back(std::move(s));
        return tmp.back();
    }

    // Text of a JSON value: strings unescaped, null empty, others as compact JSON.
    std::string_view text(dom::element e)
    {
        switch (e.type()) {
        case dom::element_type::STRING: {
            std::string_view s;
            if (e.get_string().get(s)) { }
            return s;
        }
        case dom::element_type::NULL_VALUE:
            return {};
        default:
            return keep(simdjson::minify(e));
        }
    }

    // ---- EvtxECmd Payload -> event data ----------------------------------------------------------

    void addField(std::string_view name, std::string_view value)
    {
        ev.fields.push_back({std::string(name), std::string(value)});
    }

    // UserData below the wrapper element (and anything else that is not EventData/Data):
    // element paths joined with '.', attributes ("@x") skipped, repeated elements kept.
    void flatten(dom::element e, std::string &path, int depth)
    {
        if (depth > 64)
            return;
        if (e.type() == dom::element_type::OBJECT) {
            dom::object o;
            if (e.get_object().get(o)) { }
            const size_t base = path.size();
            for (auto [k, v] : o) {
                if (!k.empty() && k[0] == '@')
                    continue;
                if (k == "#text") {
                    addField(path, text(v));
                    continue;
                }
                if (base)
                    path.push_back('.');
                path.append(k);
                flatten(v, path, depth + 1);
                path.resize(base);
            }
        } else if (e.type() == dom::element_type::ARRAY) {
            dom::array a;
            if (e.get_array().get(a)) { }
            for (dom::element x : a)
                flatten(x, path, depth + 1);
        } else {
            addField(path, text(e));
        }
    }

    void dataItem(dom::element item, int &unnamed)
    {
        if (item.type() == dom::element_type::OBJECT) {
            dom::object o;
            if (item.get_object().get(o)) { }
            std::string_view name, value;
            bool named = false;
            for (auto [k, v] : o) {
                if (k == "@Name") {
                    name = text(v);
                    named = true;
                } else if (k == "#text") {
                    value = text(v);
                }
            }
            if (named)
                addField(name, value);
            else
                addField("Data" + std::to_string(++unnamed), value);
        } else {
            addField("Data" + std::to_string(++unnamed), text(item));
        }
    }

    // {"EventData":{"Data":[{"@Name":"X","#text":"v"},...],"Binary":"..."}} or {"UserData":{...}}
    bool payloadFields(std::string_view payload, std::string &why)
    {
        payload = trim(payload);
        if (payload.empty())
            return true;
        dom::element root;
        if (auto err = payloadParser.parse(payload.data(), payload.size()).get(root)) {
            why = std::string("Payload is not valid JSON (") + simdjson::error_message(err)
                + "): event data not recovered";
            return false;
        }
        if (root.type() != dom::element_type::OBJECT) {
            why = "Payload is not a JSON object: event data not recovered";
            return false;
        }
        dom::object top;
        if (root.get_object().get(top)) { }
        std::string path;
        for (auto [k, v] : top) {
            if (k == "EventData" && v.type() == dom::element_type::OBJECT) {
                dom::object ed;
                if (v.get_object().get(ed)) { }
                int unnamed = 0;
                for (auto [ek, evv] : ed) {
                    if (ek == "Data") {
                        if (evv.type() == dom::element_type::ARRAY) {
                            dom::array a;
                            if (evv.get_array().get(a)) { }
                            for (dom::element item : a)
                                dataItem(item, unnamed);
                        } else {
                            dataItem(evv, unnamed);
                        }
                    } else if (ek == "Binary") {
                        addField("Binary", text(evv));
                    } else if (!ek.empty() && ek[0] != '@') {
                        path.assign(ek);
                        flatten(evv, path, 1);
                    }
                }
            } else if (v.type() == dom::element_type::OBJECT) {
                // UserData / other wrappers: names below the wrapper element.
                dom::object w;
                if (v.get_object().get(w)) { }
                for (auto [wk, wv] : w) {
                    if (!wk.empty() && wk[0] == '@')
                        continue;
                    path.clear();
                    flatten(wv, path, 1);
                }
            }
        }
        return true;
    }

    // ---- EvtxECmd row ------------------------------------------------------------------------

    // cells: column -> value. Returns a reject reason or empty.
    std::string evtxecmdRow(const std::vector<Pair> &cells)
    {
        std::string_view payload, recordNumber;
        bool haveEventId = false, haveRecordId = false;
        std::string_view timeText;
        for (const auto &[k, vRaw] : cells) {
            const std::string_view v = vRaw;
            if (k == "TimeCreated") {
                timeText = v;
                ev.system.push_back({"TimeCreated", std::string(v)});
            } else if (k == "Computer") {
                ev.computer.assign(v);
            } else if (k == "Channel") {
                ev.channel.assign(v);
            } else if (k == "Provider") {
                ev.provider.assign(v);
            } else if (k == "EventId") {
                int64_t id;
                if (!integer::parseInt64(v, id) || id < 0 || id > 0xFFFFFFFFLL)
                    return "EventId is not a number: '" + std::string(v.substr(0, 40)) + "'";
                ev.eventId = int32_t(id & 0xFFFF);
                haveEventId = true;
            } else if (k == "EventRecordId") {
                haveRecordId = takeRecordNumber("EventRecordId", v);
            } else if (k == "Payload") {
                payload = v;
            } else if (v.empty()) {
                continue; // the tool had nothing for this column
            } else if (k == "RecordNumber") {
                recordNumber = v;
                ev.system.push_back({"EvtxECmd.RecordNumber", std::string(v)});
            } else if (k == "Level") {
                int64_t n;
                ev.system.push_back({integer::parseInt64(v, n) ? "Level" : "RenderingInfo.Level", std::string(v)});
            } else if (k == "Keywords") {
                const bool hex = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
                ev.system.push_back({hex ? "Keywords" : "RenderingInfo.Keywords", std::string(v)});
            } else if (k == "ProcessId") {
                ev.system.push_back({"Execution.ProcessID", std::string(v)});
            } else if (k == "ThreadId") {
                ev.system.push_back({"Execution.ThreadID", std::string(v)});
            } else if (k == "UserId") {
                ev.system.push_back({"Security.UserID", std::string(v)});
            } else {
                ev.system.push_back({"EvtxECmd." + std::string(k), std::string(v)});
            }
        }
        if (!haveRecordId && !recordNumber.empty())
            takeRecordNumber("RecordNumber", recordNumber);
        if (ev.computer.empty())
            return "no Computer";
        if (!haveEventId)
            return "no EventId";
        if (!timeText.empty()) {
            auto t = parseToolTime(timeText, scratch);
            if (!t)
                return "TimeCreated is not a time stamp: '" + std::string(timeText.substr(0, 40)) + "'";
            ev.timeUs = t->us;
            // EvtxECmd writes the record's SystemTime in UTC, with or without "+00:00".
            ev.timeSource = TimeSource::SystemTimeUtc;
        }
        std::string why;
        if (!payloadFields(payload, why)) {
            ev.fields.clear();
            if (payloadWarnings++ < 20)
                sink->warning(ev.position, why);
        }
        return {};
    }

    // ---- Hayabusa row ------------------------------------------------------------------------

    void addHayabusaField(std::string_view name, std::string_view value)
    {
        if (hayabusa::originalValue(ev.channel, ev.eventId, name, value, scratch2))
            addField(name, scratch2);
        else
            addField(name, value);
    }

    // cells: the scalar columns; details / extra / all: the pairs of Details, ExtraFieldInfo,
    // AllFieldInfo. Returns a reject reason or empty.
    std::string hayabusaRow(const std::vector<Pair> &cells, const std::vector<Pair> &details,
        const std::vector<Pair> &extra, const std::vector<Pair> &all, std::string_view detailsText)
    {
        std::string_view timeText, channelText;
        bool haveEventId = false;
        for (const auto &[k, v] : cells) {
            if (k == "Timestamp" || k == "datetime") {
                timeText = v;
                ev.system.push_back({"Hayabusa.Timestamp", std::string(v)});
            } else if (k == "Computer") {
                ev.computer.assign(v);
            } else if (k == "Channel") {
                channelText = v;
            } else if (k == "EventID") {
                int64_t id;
                if (!integer::parseInt64(v, id) || id < 0 || id > 0xFFFFFFFFLL)
                    return "EventID is not a number: '" + std::string(v.substr(0, 40)) + "'";
                ev.eventId = int32_t(id & 0xFFFF);
                haveEventId = true;
            } else if (k == "RecordID") {
                takeRecordNumber("RecordID", v);
            } else if (!v.empty() && v != "-") {
                ev.system.push_back({"Hayabusa." + std::string(k), std::string(v)});
            }
        }
        if (ev.computer.empty())
            return "no Computer";
        if (!haveEventId)
            return "no EventID";
        const std::string_view full = hayabusa::channelFromAbbreviation(channelText);
        ev.channel.assign(full.empty() ? channelText : full);
        if (!full.empty())
            ev.system.push_back({"Hayabusa.Channel", std::string(channelText)});
        if (timeText.empty())
            return "no Timestamp";
        auto t = parseToolTime(timeText, scratch);
        if (!t)
            return "Timestamp is not a time stamp Hayabusa writes (default, --UTC, --ISO-8601 or --RFC-3339): '"
                + std::string(timeText.substr(0, 40)) + "'";
        ev.timeUs = t->us;
        if (t->hasZone) {
            ev.timeSource = TimeSource::ExplicitZone;
        } else {
            ev.timeSource = TimeSource::AssumedUtc;
            if (!warnedAssumedUtc) {
                warnedAssumedUtc = true;
                sink->warning(ev.position, "time stamp without zone: taken as UTC");
            }
        }
        // Field names as the record had them first (AllFieldInfo, ExtraFieldInfo), then the
        // Details keys: mapped back where certain, else kept under Hayabusa's own names.
        for (const auto &[k, v] : all)
            if (!k.empty() && v != "n/a")
                addHayabusaField(k, v);
        for (const auto &[k, v] : extra)
            if (!k.empty() && v != "n/a" && !ev.hasField(k))
                addHayabusaField(k, v);
        for (const auto &[k, v] : details) {
            if (v == "n/a")
                continue; // Hayabusa found no such field in the record
            const std::string_view name
                = k.empty() ? std::string_view() : hayabusa::fieldFromDetailsKey(ev.channel, ev.eventId, k);
            if (!name.empty()) {
                if (!ev.hasField(name))
                    addHayabusaField(name, v);
            } else {
                addField(k.empty() ? std::string("Hayabusa.Details") : "Hayabusa.Details." + std::string(k), v);
            }
        }
        // The same record matched by several rules: keep it once.
        std::string key = ev.computer;
        key += '\x1f';
        key += ev.channel;
        key += '\x1f';
        key += std::to_string(ev.eventId);
        key += '\x1f';
        key += std::to_string(ev.recordId);
        key += '\x1f';
        key += std::to_string(ev.timeUs);
        if (ev.recordId < 0) {
            key += '\x1f';
            key.append(detailsText);
        }
        if (seen.size() > 200000)
            seen.clear();
        if (!seen.insert(std::move(key)).second) {
            if (duplicates++ == 0)
                firstDuplicate = ev.position;
            return "\x01";
        }
        return {};
    }

    // The record number column: set, or (when present but not a number in range) warned about
    // when the record is delivered. True when set.
    bool takeRecordNumber(std::string_view column, std::string_view v)
    {
        int64_t id;
        if (integer::parseInt64(v, id) && id >= 0) {
            ev.recordId = id;
            return true;
        }
        if (!trim(v).empty() && v != "-")
            recordIdWarning = integer::recordNumberWarning(column, v);
        return false;
    }

    void resetEvent(int64_t position)
    {
        recordIdWarning.clear();
        ev.clear();
        ev.position = position;
        tmp.clear();
    }

    void deliver(const std::string &reason)
    {
        if (reason == "\x01")
            return; // a duplicate row (counted)
        if (!reason.empty()) {
            sink->reject(ev.position, reason);
            return;
        }
        if (!recordIdWarning.empty())
            sink->warning(ev.position, recordIdWarning);
        sink->event(ev);
    }

    void finish()
    {
        if (duplicates > 0)
            sink->warning(firstDuplicate,
                std::to_string(duplicates)
                    + " row(s) repeated a record already read "
                      "(several rules matched it; stored once)");
        if (payloadWarnings > 20)
            sink->warning(0, std::to_string(payloadWarnings) + " rows had a Payload that could not be read");
    }

    // ---- CSV --------------------------------------------------------------------------------

    bool parseCsv(ByteSource &in, bool hayabusaFormat, size_t block)
    {
        CsvReader csv(in, size_t(64) << 20, block);
        std::vector<std::string_view> f;
        std::vector<std::string> header;
        int64_t line = 0;
        // Header row.
        for (;;) {
            auto st = csv.next(f, line);
            if (st == CsvReader::Status::End) {
                sink->warning(0, "empty input");
                return true;
            }
            if (st == CsvReader::Status::ReadError) {
                sink->reject(0, csv.error());
                return false;
            }
            if (st == CsvReader::Status::Bad) {
                sink->reject(0, "unreadable header row: " + csv.error());
                return false;
            }
            break;
        }
        header.reserve(f.size());
        for (auto h : f)
            header.emplace_back(trim(h));
        auto has = [&](std::string_view n) {
            for (const auto &h : header)
                if (h == n)
                    return true;
            return false;
        };
        if (hayabusaFormat) {
            if (!(has("Timestamp") || has("datetime")) || !has("Computer") || !has("Channel") || !has("EventID")) {
                sink->reject(
                    0, "not a Hayabusa CSV timeline: the header lacks Timestamp, Computer, Channel or EventID");
                return false;
            }
        } else if (!has("TimeCreated") || !has("EventId") || !has("Computer")) {
            sink->reject(0, "not an EvtxECmd CSV: the header lacks TimeCreated, EventId or Computer");
            return false;
        }
        std::vector<Pair> cells, details, extra, all;
        uint64_t rows = 0;
        for (;;) {
            auto st = csv.next(f, line);
            if (st == CsvReader::Status::End)
                break;
            if (st == CsvReader::Status::ReadError) {
                sink->reject(line, csv.error());
                break;
            }
            if ((++rows & 1023) == 0) {
                sink->progress(csv.consumed());
                if (sink->cancelled())
                    return true;
            }
            resetEvent(line);
            if (st == CsvReader::Status::Bad) {
                sink->reject(line, csv.error());
                continue;
            }
            if (f.size() != header.size()) {
                sink->reject(line,
                    std::to_string(f.size()) + " field(s) where the header has " + std::to_string(header.size())
                        + (f.size() < header.size() ? " (truncated row?)" : ""));
                continue;
            }
            cells.clear();
            details.clear();
            extra.clear();
            all.clear();
            std::string_view detailsText;
            for (size_t i = 0; i < f.size(); ++i) {
                const std::string_view name = header[i];
                if (hayabusaFormat && name == "Details") {
                    detailsText = f[i];
                    splitDetails(f[i], details);
                } else if (hayabusaFormat && name == "ExtraFieldInfo") {
                    splitDetails(f[i], extra);
                } else if (hayabusaFormat && name == "AllFieldInfo") {
                    splitDetails(f[i], all);
                } else {
                    cells.emplace_back(name, f[i]);
                }
            }
            const std::string reason
                = hayabusaFormat ? hayabusaRow(cells, details, extra, all, detailsText) : evtxecmdRow(cells);
            if (reason.empty()) {
                // The row as the tool wrote it: a JSON object of column -> value.
                std::string &o = ev.original;
                o.clear();
                o.push_back('{');
                for (size_t i = 0; i < f.size(); ++i) {
                    if (i)
                        o.push_back(',');
                    json::appendString(o, header[i]);
                    o.push_back(':');
                    json::appendString(o, f[i]);
                }
                o.push_back('}');
                ev.originalFormat = "json";
            }
            deliver(reason);
        }
        sink->progress(csv.consumed());
        finish();
        return true;
    }

    // ---- JSON lines -------------------------------------------------------------------------

    void objectPairs(dom::element e, std::vector<Pair> &out)
    {
        if (e.type() == dom::element_type::OBJECT) {
            dom::object o;
            if (e.get_object().get(o)) { }
            for (auto [k, v] : o) {
                if (v.type() == dom::element_type::ARRAY) {
                    dom::array a;
                    if (v.get_array().get(a)) { }
                    for (dom::element x : a)
                        out.emplace_back(k, text(x));
                } else {
                    out.emplace_back(k, text(v));
                }
            }
        } else if (e.type() == dom::element_type::STRING) {
            splitDetails(text(e), out);
        }
    }

    bool parseJsonl(ByteSource &in, bool hayabusaFormat, size_t block)
    {
        LineReader lines(in, size_t(64) << 20, block);
        std::string_view text_;
        int64_t line = 0;
        std::vector<Pair> cells, details, extra, all;
        uint64_t rows = 0;
        bool decided = false;
        for (;;) {
            auto st = lines.next(text_, line);
            if (st == LineReader::Status::End)
                break;
            if (st == LineReader::Status::ReadError) {
                sink->reject(line, lines.error());
                break;
            }
            if (st == LineReader::Status::TooLong) {
                sink->reject(line, "line longer than the limit");
                continue;
            }
            if (trim(text_).empty())
                continue;
            if ((++rows & 1023) == 0) {
                sink->progress(lines.consumed());
                if (sink->cancelled())
                    return true;
            }
            resetEvent(line);
            dom::element doc;
            if (auto err = lineParser.parse(text_.data(), text_.size()).get(doc)) {
                if (!decided) {
                    sink->reject(0,
                        std::string("not JSON lines: the first line is not a JSON object (")
                            + simdjson::error_message(err) + ")");
                    return false;
                }
                sink->reject(line, std::string("malformed JSON: ") + simdjson::error_message(err));
                continue;
            }
            if (doc.type() != dom::element_type::OBJECT) {
                sink->reject(line, "not a JSON object");
                continue;
            }
            decided = true;
            dom::object obj;
            if (doc.get_object().get(obj)) { }
            cells.clear();
            details.clear();
            extra.clear();
            all.clear();
            std::string_view detailsText;
            for (auto [k, v] : obj) {
                if (hayabusaFormat && k == "Details") {
                    objectPairs(v, details);
                    detailsText = keep(simdjson::minify(v));
                } else if (hayabusaFormat && k == "ExtraFieldInfo") {
                    objectPairs(v, extra);
                } else if (hayabusaFormat && k == "AllFieldInfo") {
                    objectPairs(v, all);
                } else {
                    cells.emplace_back(k, text(v));
                }
            }
            const std::string reason
                = hayabusaFormat ? hayabusaRow(cells, details, extra, all, detailsText) : evtxecmdRow(cells);
            if (reason.empty()) {
                ev.original.assign(text_);
                ev.originalFormat = "json";
            }
            deliver(reason);
        }
        sink->progress(lines.consumed());
        if (!decided)
            sink->warning(0, "empty input");
        finish();
        return true;
    }
};

// =============================================================================================

TimelineParser::TimelineParser(Kind kind)
    : d(std::make_unique<Impl>())
    , m_kind(kind)
{
}
TimelineParser::~TimelineParser() = default;

std::string_view TimelineParser::name() const
{
    switch (m_kind) {
    case Kind::EvtxECmdCsv:
        return "evtxecmd-csv";
    case Kind::EvtxECmdJson:
        return "evtxecmd-json";
    case Kind::HayabusaCsv:
        return "hayabusa-csv";
    case Kind::HayabusaJsonl:
        return "hayabusa-jsonl";
    }
    return "timeline";
}

bool TimelineParser::parse(ByteSource &in, RecordSink &sink)
{
    d->sink = &sink;
    d->warnedAssumedUtc = false;
    d->seen.clear();
    d->duplicates = 0;
    d->firstDuplicate = 0;
    d->payloadWarnings = 0;
    switch (m_kind) {
    case Kind::EvtxECmdCsv:
        return d->parseCsv(in, false, m_block);
    case Kind::HayabusaCsv:
        return d->parseCsv(in, true, m_block);
    case Kind::EvtxECmdJson:
        return d->parseJsonl(in, false, m_block);
    case Kind::HayabusaJsonl:
        return d->parseJsonl(in, true, m_block);
    }
    return false;
}

// =============================================================================================

int detectTimeline(const char *head, size_t n)
{
    std::string_view h(head, n);
    if (h.size() >= 3 && h.substr(0, 3) == "\xEF\xBB\xBF")
        h.remove_prefix(3);
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t' || h.front() == '\r' || h.front() == '\n'))
        h.remove_prefix(1);
    std::string_view first = h.substr(0, h.find('\n'));
    if (first.empty())
        return 0;
    auto contains = [&](std::string_view s) { return first.find(s) != std::string_view::npos; };
    if (first.front() == '{') {
        if (contains("\"RuleTitle\"") && (contains("\"Timestamp\"") || contains("\"datetime\""))
            && contains("\"EventID\""))
            return 4;
        if (contains("\"EventRecordId\"") && contains("\"TimeCreated\"") && contains("\"ChunkNumber\""))
            return 2;
        return 0;
    }
    // A CSV header: its column names (quotes dropped).
    std::vector<std::string_view> cols;
    size_t pos = 0;
    while (pos <= first.size()) {
        size_t end = first.find(',', pos);
        std::string_view c = first.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        c = trim(c);
        if (c.size() >= 2 && c.front() == '"' && c.back() == '"')
            c = c.substr(1, c.size() - 2);
        cols.push_back(c);
        if (end == std::string_view::npos)
            break;
        pos = end + 1;
    }
    auto has = [&](std::string_view name) {
        for (auto c : cols)
            if (ieq(c, name))
                return true;
        return false;
    };
    if (has("EventRecordId") && has("TimeCreated") && has("EventId")
        && (has("PayloadData1") || has("ChunkNumber") || has("MapDescription")))
        return 1;
    if ((has("Timestamp") || has("datetime")) && has("Computer") && has("Channel") && has("EventID")
        && (has("RuleTitle") || has("Details") || has("message")))
        return 3;
    return 0;
}

} // namespace tt
