#include "zeek/ZeekParser.h"

#include "core/ByteSource.h"
#include "core/Integer.h"
#include "core/RecordSink.h"
#include "core/TimeUtil.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace tt {

namespace od = simdjson::ondemand;

namespace {

bool startsWith(std::string_view s, std::string_view p)
{
    return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

// JSON names of the connection tuple as the underscore option writes them.
std::string_view canonicalName(std::string_view k)
{
    if (k == "id_orig_h")
        return "id.orig_h";
    if (k == "id_orig_p")
        return "id.orig_p";
    if (k == "id_resp_h")
        return "id.resp_h";
    if (k == "id_resp_p")
        return "id.resp_p";
    return k;
}

// Splits on a separator (no escapes to honour: Zeek escapes separators inside values).
void split(std::string_view line, std::string_view sep, std::vector<std::string_view> &out)
{
    out.clear();
    if (sep.empty()) {
        out.push_back(line);
        return;
    }
    size_t pos = 0;
    for (;;) {
        size_t next = line.find(sep, pos);
        if (next == std::string_view::npos) {
            out.push_back(line.substr(pos));
            return;
        }
        out.push_back(line.substr(pos, next - pos));
        pos = next + sep.size();
    }
}

// The text of a nested value: objects and arrays whole, scalars as their token.
simdjson::simdjson_result<std::string_view> rawJson(od::value &v)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::object) {
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        return o.raw_json();
    }
    if (t == od::json_type::array) {
        od::array a;
        if (auto e = v.get_array().get(a))
            return e;
        return a.raw_json();
    }
    return v.raw_json_token();
}

struct TsvHeader {
    std::string separator = "\t";
    std::string setSeparator = ",";
    std::string emptyField = "(empty)";
    std::string unsetField = "-";
    std::string path;
    std::vector<std::string> fields;
    std::vector<std::string> types;
    int tsIndex = -1;
    int64_t separatorLine = 0; // where #separator was declared (0: the default tab)
    bool separatorMismatch = false; // a #fields / #types line not split by that separator
};

// A separator as Zeek writes it, for messages: printable bytes as they are, others as \xHH.
std::string showSeparator(std::string_view sep)
{
    static const char *kHex = "0123456789abcdef";
    std::string out;
    for (char c : sep) {
        const auto u = static_cast<unsigned char>(c);
        if (u > 0x20 && u < 0x7f && c != '\\') {
            out.push_back(c);
        } else {
            out += "\\x";
            out.push_back(kHex[u >> 4]);
            out.push_back(kHex[u & 15]);
        }
    }
    return out;
}

class LineParser {
public:
    explicit LineParser(RecordSink &sink)
        : m_sink(sink)
    {
    }

    void line(std::string_view text, int64_t lineNo)
    {
        if (m_mode == Mode::Undecided) {
            // '#': a TSV header; anything but '{' is taken as TSV too (rejected below: no header).
            m_mode = text.front() == '{' ? Mode::Json : Mode::Tsv;
        }
        if (text.front() == '#') {
            directive(text, lineNo);
            return;
        }
        if (text.front() == '{' && (m_mode == Mode::Json || m_header.fields.empty())) {
            json(text, lineNo);
            return;
        }
        if (m_mode == Mode::Json) {
            m_sink.reject(lineNo, "not a JSON object");
            return;
        }
        tsv(text, lineNo);
    }

    bool sawAnything() const { return m_mode != Mode::Undecided; }

private:
    enum class Mode { Undecided, Tsv, Json };

    void directive(std::string_view text, int64_t lineNo)
    {
        // "#separator \x09" uses a space; the others use the separator itself.
        if (startsWith(text, "#separator ")) {
            m_header = TsvHeader();
            m_header.separatorLine = lineNo;
            m_header.separator = ZeekParser::unescape(text.substr(11));
            if (m_header.separator.empty()) {
                m_sink.reject(lineNo, "empty #separator");
                m_header.separator = "\t";
            }
            return;
        }
        const std::string &sep = m_header.separator;
        const size_t cut = text.find(sep);
        const std::string_view key = cut == std::string_view::npos ? text : text.substr(0, cut);
        const std::string_view rest
            = cut == std::string_view::npos ? std::string_view() : text.substr(cut + sep.size());
        if (cut == std::string_view::npos && (startsWith(text, "#fields") || startsWith(text, "#types"))) {
            // The header names its columns with the separator declared above: when it does not,
            // that separator is what is wrong, not the records that follow.
            m_header.separatorMismatch = true;
            m_sink.reject(lineNo,
                std::string(startsWith(text, "#fields") ? "#fields" : "#types") + " header not split by "
                    + separatorText() + ": invalid separator, the header cannot be read");
            return;
        }
        if (key == "#set_separator")
            m_header.setSeparator = ZeekParser::unescape(rest);
        else if (key == "#empty_field")
            m_header.emptyField = ZeekParser::unescape(rest);
        else if (key == "#unset_field")
            m_header.unsetField = ZeekParser::unescape(rest);
        else if (key == "#path")
            m_header.path = ZeekParser::unescape(rest);
        else if (key == "#fields" || key == "#types") {
            std::vector<std::string_view> parts;
            split(rest, sep, parts);
            auto &dst = key == "#fields" ? m_header.fields : m_header.types;
            dst.clear();
            for (std::string_view p : parts)
                dst.push_back(ZeekParser::unescape(p));
            if (key == "#fields") {
                m_header.tsIndex = -1;
                for (size_t i = 0; i < m_header.fields.size(); ++i)
                    if (m_header.fields[i] == "ts") {
                        m_header.tsIndex = int(i);
                        break;
                    }
            }
        }
        // #open, #close and comments carry nothing per record.
    }

    // "the #separator 'x' declared on line 3", for messages.
    std::string separatorText() const
    {
        const std::string shown = "'" + showSeparator(m_header.separator) + "'";
        return m_header.separatorLine
            ? "the #separator " + shown + " declared on line " + std::to_string(m_header.separatorLine)
            : "the default separator " + shown + " (no #separator line)";
    }

    bool isContainerType(size_t i) const
    {
        if (i >= m_header.types.size())
            return false;
        const std::string &t = m_header.types[i];
        return startsWith(t, "set[") || startsWith(t, "vector[") || startsWith(t, "table[");
    }

    void tsv(std::string_view text, int64_t lineNo)
    {
        if (m_header.fields.empty()) {
            m_sink.reject(lineNo,
                m_header.separatorMismatch
                    ? "Zeek TSV record without a readable #fields header (" + separatorText() + " is invalid)"
                    : std::string("Zeek TSV record before any #fields header"));
            return;
        }
        split(text, m_header.separator, m_parts);
        if (m_parts.size() != m_header.fields.size()) {
            m_sink.reject(lineNo,
                "expected " + std::to_string(m_header.fields.size()) + " fields, found "
                    + std::to_string(m_parts.size()) + " (truncated or damaged line)");
            return;
        }
        RawEvent &ev = m_ev;
        ev.clear();
        ev.position = lineNo;
        ev.provider = "zeek";
        ev.eventId = 0;
        for (size_t i = 0; i < m_parts.size(); ++i) {
            const std::string_view v = m_parts[i];
            if (v == m_header.unsetField)
                continue; // unset: no field
            Field f;
            f.name = m_header.fields[i];
            if (v == m_header.emptyField) {
                // empty set / vector / string: present, empty
            } else if (isContainerType(i)) {
                std::vector<std::string_view> elems;
                split(v, m_header.setSeparator, elems);
                for (size_t k = 0; k < elems.size(); ++k) {
                    if (k)
                        f.value.push_back(',');
                    f.value += ZeekParser::unescape(elems[k]);
                }
            } else {
                f.value = ZeekParser::unescape(v);
            }
            ev.fields.push_back(std::move(f));
        }
        if (m_header.tsIndex >= 0 && m_parts[size_t(m_header.tsIndex)] != m_header.unsetField) {
            int64_t us = 0;
            if (!ZeekParser::parseTime(m_parts[size_t(m_header.tsIndex)], us)) {
                m_sink.reject(
                    lineNo, "ts is not a time: '" + std::string(m_parts[size_t(m_header.tsIndex)].substr(0, 40)) + "'");
                return;
            }
            ev.timeUs = us;
            ev.timeSource = TimeSource::ExplicitZone;
        }
        std::string_view path = m_header.path;
        if (path.empty())
            path = ZeekParser::guessPath(ev.fields);
        ev.channel = "zeek:" + std::string(path.empty() ? std::string_view("unknown") : path);
        ev.system.push_back({"Line", std::string(text)});
        m_sink.event(ev);
    }

    void json(std::string_view text, int64_t lineNo)
    {
        m_padded.assign(text.data(), text.size());
        m_padded.append(simdjson::SIMDJSON_PADDING, '\0');
        RawEvent &ev = m_ev;
        ev.clear();
        ev.position = lineNo;
        ev.provider = "zeek";
        ev.eventId = 0;
        std::string path;
        std::string tsText;
        bool haveTs = false;
        od::document doc;
        auto fail = [&](const char *what, simdjson::error_code e) {
            m_sink.reject(lineNo, std::string("invalid JSON (") + what + "): " + simdjson::error_message(e));
        };
        if (auto e = m_parser.iterate(m_padded.data(), text.size(), m_padded.size()).get(doc)) {
            fail("document", e);
            return;
        }
        od::object obj;
        if (auto e = doc.get_object().get(obj)) {
            fail("not an object", e);
            return;
        }
        for (auto fieldResult : obj) {
            od::field fld;
            if (auto e = std::move(fieldResult).get(fld)) {
                fail("member", e);
                return;
            }
            std::string_view key;
            if (auto e = fld.unescaped_key().get(key)) {
                fail("key", e);
                return;
            }
            const std::string k(canonicalName(key));
            od::value v = fld.value();
            od::json_type type;
            if (auto e = v.type().get(type)) {
                fail("value", e);
                return;
            }
            std::string value;
            bool present = true;
            switch (type) {
            case od::json_type::null:
                present = false;
                break;
            case od::json_type::string: {
                std::string_view s;
                if (auto e = v.get_string().get(s)) {
                    fail("string", e);
                    return;
                }
                value.assign(s);
                break;
            }
            case od::json_type::boolean: {
                bool b = false;
                if (auto e = v.get_bool().get(b)) {
                    fail("boolean", e);
                    return;
                }
                value = b ? "T" : "F"; // as the TSV writer spells them
                break;
            }
            case od::json_type::number: {
                std::string_view tok = v.raw_json_token();
                while (
                    !tok.empty() && (tok.back() == ' ' || tok.back() == '\t' || tok.back() == ',' || tok.back() == '}'))
                    tok.remove_suffix(1);
                value.assign(tok);
                // Validate: a number token that is not a number is damage.
                double d = 0;
                if (auto e = v.get_double().get(d)) {
                    fail("number", e);
                    return;
                }
                break;
            }
            case od::json_type::array: {
                od::array arr;
                if (auto e = v.get_array().get(arr)) {
                    fail("array", e);
                    return;
                }
                bool first = true;
                for (auto elResult : arr) {
                    od::value el;
                    // NOLINTNEXTLINE(performance-move-const-arg): get() is &&-qualified
                    if (auto e = std::move(elResult).get(el)) {
                        fail("array element", e);
                        return;
                    }
                    if (!first)
                        value.push_back(',');
                    first = false;
                    std::string_view s;
                    if (el.get_string().get(s) == simdjson::SUCCESS) {
                        value.append(s);
                    } else {
                        std::string_view raw;
                        if (auto e = rawJson(el).get(raw)) {
                            fail("array element", e);
                            return;
                        }
                        value.append(raw);
                    }
                }
                break;
            }
            case od::json_type::object: {
                std::string_view raw;
                if (auto e = rawJson(v).get(raw)) {
                    fail("object", e);
                    return;
                }
                value.assign(raw);
                break;
            }
            default:
                present = false;
                break;
            }
            if (!present)
                continue;
            if (k == "@stream" || k == "_path")
                path = value;
            if (k == "ts") {
                tsText = value;
                haveTs = true;
            }
            if ((!k.empty() && k.front() == '@') || k == "_path" || k == "_write_ts" || k == "_system_name")
                ev.system.push_back({k, std::move(value)});
            else
                ev.fields.push_back({k, std::move(value)});
        }
        if (const char *loc = nullptr; doc.current_location().get(loc) == simdjson::SUCCESS) {
            m_sink.reject(lineNo, "invalid JSON: trailing content after the object");
            return;
        }
        if (haveTs) {
            int64_t us = 0;
            if (!ZeekParser::parseTime(tsText, us)) {
                m_sink.reject(lineNo, "ts is not a time: '" + tsText.substr(0, 40) + "'");
                return;
            }
            ev.timeUs = us;
            ev.timeSource = TimeSource::ExplicitZone;
        }
        if (path.empty())
            path = std::string(ZeekParser::guessPath(ev.fields));
        ev.channel = "zeek:" + (path.empty() ? std::string("unknown") : path);
        ev.original.assign(text);
        ev.originalFormat = "json";
        m_sink.event(ev);
    }

    RecordSink &m_sink;
    Mode m_mode = Mode::Undecided;
    TsvHeader m_header;
    std::vector<std::string_view> m_parts;
    RawEvent m_ev;
    od::parser m_parser;
    std::string m_padded;
};

} // namespace

std::string ZeekParser::unescape(std::string_view v)
{
    std::string out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 3 < v.size() && v[i + 1] == 'x') {
            const int hi = integer::hexDigit(v[i + 2]), lo = integer::hexDigit(v[i + 3]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 3;
                continue;
            }
        }
        out.push_back(v[i]);
    }
    return out;
}

std::string_view ZeekParser::guessPath(const std::vector<Field> &fields)
{
    auto has = [&](std::string_view n) {
        for (const Field &f : fields)
            if (f.name == n)
                return true;
        return false;
    };
    if (has("fuid") && (has("tx_hosts") || has("rx_hosts") || has("source")))
        return "files";
    if (has("conn_state") || (has("history") && has("orig_bytes")))
        return "conn";
    if (has("action") && has("name") && has("path"))
        return "smb_files";
    if (has("share_type"))
        return "smb_mapping";
    if (has("endpoint") && has("operation"))
        return "dce_rpc";
    if (has("request_type") || (has("client") && has("service") && has("cipher")))
        return "kerberos";
    if (has("auth_success") || (has("client") && has("server") && has("kex_alg")))
        return "ssh";
    if (has("command") && has("arg"))
        return "ftp";
    if (has("method") && has("uri"))
        return "http";
    if (has("query") && (has("qtype") || has("rcode") || has("answers")))
        return "dns";
    if (has("username") && has("hostname") && has("domainname"))
        return "ntlm";
    return {};
}

bool ZeekParser::parseTime(std::string_view v, int64_t &us)
{
    if (v.empty())
        return false;
    if (v.find('-') != std::string_view::npos && v.find('T') != std::string_view::npos) {
        auto t = timeutil::parseIso8601(v);
        if (!t)
            return false;
        us = t->us;
        return true;
    }
    // Seconds with up to 6 (or more, truncated) fraction digits, parsed exactly (no double).
    size_t i = 0;
    bool neg = false;
    if (v[0] == '-') {
        neg = true;
        i = 1;
    }
    int64_t secs = 0;
    auto dot = v.find('.', i);
    std::string_view whole = v.substr(i, dot == std::string_view::npos ? std::string_view::npos : dot - i);
    // Plain digits only (the sign was taken above), at most 12 of them.
    if (whole.empty() || whole.size() > 12
        || !std::all_of(whole.begin(), whole.end(), [](char c) { return c >= '0' && c <= '9'; })
        || !integer::parseInt64(whole, secs))
        return false;
    int64_t frac = 0;
    if (dot != std::string_view::npos) {
        std::string_view f = v.substr(dot + 1);
        if (f.empty())
            return false;
        int digits = 0;
        for (char c : f) {
            if (c < '0' || c > '9')
                return false;
            if (digits < 6) {
                frac = frac * 10 + (c - '0');
                ++digits;
            }
        }
        while (digits < 6) {
            frac *= 10;
            ++digits;
        }
    }
    us = secs * 1000000 + frac;
    if (neg)
        us = -us;
    return true;
}

bool ZeekParser::parse(ByteSource &in, RecordSink &sink)
{
    LineParser lp(sink);
    constexpr size_t kBlock = size_t(1) << 20;
    std::string buf;
    std::vector<char> block(kBlock);
    int64_t lineNo = 1;
    uint64_t consumed = 0;
    bool skipping = false; // inside an overlong line
    bool first = true;
    auto handle = [&](std::string_view line) {
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (first) {
            first = false;
            if (line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0)
                line.remove_prefix(3);
        }
        size_t b = 0;
        while (b < line.size() && (line[b] == ' ' || line[b] == '\n'))
            ++b;
        if (b < line.size())
            lp.line(line.substr(b), lineNo);
    };
    for (;;) {
        if (sink.cancelled())
            return true;
        long long r = in.read(block.data(), block.size());
        if (r < 0) {
            sink.reject(lineNo, "read error: " + in.error());
            return true;
        }
        if (r == 0)
            break;
        consumed += uint64_t(r);
        sink.progress(consumed);
        std::string_view chunk(block.data(), size_t(r));
        while (!chunk.empty()) {
            const size_t nl = chunk.find('\n');
            if (nl == std::string_view::npos) {
                if (!skipping) {
                    buf.append(chunk);
                    if (buf.size() > kMaxLineBytes) {
                        sink.reject(lineNo, "line longer than the limit");
                        buf.clear();
                        skipping = true;
                    }
                }
                break;
            }
            if (skipping) {
                skipping = false;
            } else if (buf.empty()) {
                handle(chunk.substr(0, nl));
            } else {
                buf.append(chunk.substr(0, nl));
                handle(buf);
                buf.clear();
            }
            ++lineNo;
            chunk.remove_prefix(nl + 1);
        }
    }
    if (!skipping && !buf.empty())
        handle(buf); // last line without a newline (possibly truncated: the field count tells)
    if (!lp.sawAnything())
        sink.warning(0, "empty input");
    return true;
}

} // namespace tt
