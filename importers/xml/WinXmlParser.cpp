#include "xml/WinXmlParser.h"

#include "core/ByteSource.h"
#include "core/Integer.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/TimeUtil.h"
#include "core/Utf8.h"

#include <expat.h>

#include <cstring>
#include <string>
#include <vector>

namespace tt {

namespace {

constexpr size_t npos = std::string::npos;

bool isXmlSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view localName(const char *name)
{
    const char *colon = std::strrchr(name, ':');
    return colon ? std::string_view(colon + 1) : std::string_view(name);
}

bool isNamespaceDecl(const char *attr)
{
    return std::strncmp(attr, "xmlns", 5) == 0 && (attr[5] == '\0' || attr[5] == ':');
}

std::string upperHex(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (isXmlSpace(c))
            continue;
        out.push_back(c >= 'a' && c <= 'f' ? char(c - 'a' + 'A') : c);
    }
    return out;
}

enum class Section : uint8_t { None, System, EventData, UserData, Rendering, Other };

} // namespace

// =============================================================================================

struct WinXmlParser::Impl {
    RecordSink *sink = nullptr;
    XML_Parser xp = nullptr;

    // ---- per-record builder state -----------------------------------------------------------
    RawEvent ev;
    int depth = 0;
    Section section = Section::None;
    std::vector<char> hasChild; // by depth
    std::vector<size_t> pathLen; // path length at each depth (UserData / other sections)
    std::vector<std::string> names; // local names by depth
    std::string path;
    std::string text;
    std::string dataName;
    std::string keywords;
    int dataIndex = 0;
    bool sawEventId = false;
    bool sawSystem = false;
    std::string recordIdWarning;
    std::string stopReason;
    TimeSource pendingSource = TimeSource::Unknown;

    // ---- per-file state ---------------------------------------------------------------------
    bool warnedAssumedUtc = false;
    bool warnedUtf8 = false;
    int64_t ordinal = 0;

    Impl() { xp = XML_ParserCreate("UTF-8"); }
    ~Impl()
    {
        if (xp)
            XML_ParserFree(xp);
    }

    void sysAdd(std::string_view name, std::string_view value)
    {
        ev.system.push_back({std::string(name), std::string(value)});
    }
    void fieldAdd(std::string_view name, std::string_view value)
    {
        ev.fields.push_back({std::string(name), std::string(value)});
    }

    void stop(std::string reason)
    {
        if (stopReason.empty())
            stopReason = std::move(reason);
        XML_StopParser(xp, XML_FALSE);
    }

    // ---- expat callbacks ----------------------------------------------------------------------

    static void XMLCALL onStart(void *ud, const XML_Char *name, const XML_Char **atts)
    {
        static_cast<Impl *>(ud)->start(name, atts);
    }
    static void XMLCALL onEnd(void *ud, const XML_Char *name) { static_cast<Impl *>(ud)->end(name); }
    static void XMLCALL onText(void *ud, const XML_Char *s, int len)
    {
        static_cast<Impl *>(ud)->text.append(s, size_t(len));
    }
    static void XMLCALL onEntityDecl(void *ud, const XML_Char *, int, const XML_Char *, int, const XML_Char *,
        const XML_Char *, const XML_Char *, const XML_Char *)
    {
        static_cast<Impl *>(ud)->stop("entity declarations are not allowed");
    }
    static void XMLCALL onDoctype(void *ud, const XML_Char *, const XML_Char *, const XML_Char *, int)
    {
        static_cast<Impl *>(ud)->stop("DOCTYPE inside a record is not allowed");
    }

    void start(const char *name, const char **atts)
    {
        ++depth;
        if (depth > kMaxDepth) {
            stop("elements nested deeper than " + std::to_string(kMaxDepth));
            return;
        }
        const size_t d = size_t(depth);
        if (hasChild.size() <= d + 1) {
            hasChild.resize(d + 2);
            pathLen.resize(d + 2);
            names.resize(d + 2);
        }
        hasChild[d - 1] = 1;
        hasChild[d] = 0;
        text.clear();
        const std::string_view local = localName(name);
        names[d].assign(local);
        pathLen[d] = path.size();

        if (depth == 1) {
            if (local != "Event")
                stop("root element is not <Event>");
            return;
        }
        if (depth == 2) {
            path.clear();
            if (local == "System") {
                section = Section::System;
                sawSystem = true;
            } else if (local == "EventData") {
                section = Section::EventData;
            } else if (local == "UserData") {
                section = Section::UserData;
            } else if (local == "RenderingInfo") {
                section = Section::Rendering;
                for (const char **a = atts; *a; a += 2)
                    if (!isNamespaceDecl(a[0]))
                        sysAdd("RenderingInfo." + std::string(localName(a[0])), a[1]);
            } else {
                section = Section::Other; // ProcessingErrorData, DebugData, ...
                path.assign(local);
            }
            return;
        }
        switch (section) {
        case Section::System:
            if (depth == 3) {
                for (const char **a = atts; *a; a += 2) {
                    if (isNamespaceDecl(a[0]))
                        continue;
                    const std::string_view an = localName(a[0]);
                    if (local == "Provider" && an == "Name") {
                        ev.provider.assign(a[1]);
                    } else if (local == "TimeCreated" && an == "SystemTime") {
                        sysAdd("TimeCreated", a[1]);
                        if (auto t = timeutil::parseIso8601(a[1])) {
                            ev.timeUs = t->us;
                            pendingSource = t->hasZone ? TimeSource::SystemTimeUtc : TimeSource::AssumedUtc;
                        }
                    } else {
                        std::string n(local);
                        n.push_back('.');
                        n.append(an);
                        sysAdd(n, a[1]);
                    }
                }
            }
            break;
        case Section::EventData:
            if (depth == 3) {
                if (local == "Data") {
                    ++dataIndex;
                    dataName.clear();
                    for (const char **a = atts; *a; a += 2)
                        if (localName(a[0]) == "Name") {
                            dataName.assign(a[1]);
                            break;
                        }
                    if (dataName.empty())
                        dataName = "Data" + std::to_string(dataIndex);
                } else {
                    dataName.assign(local);
                }
            }
            break;
        case Section::UserData:
        case Section::Other:
            if (depth >= 4 || section == Section::Other) {
                if (!path.empty())
                    path.push_back('.');
                path.append(local);
            }
            for (const char **a = atts; *a; a += 2) {
                if (isNamespaceDecl(a[0]))
                    continue;
                std::string n = path;
                if (!n.empty())
                    n.push_back('.');
                n.append(localName(a[0]));
                fieldAdd(n, a[1]);
            }
            break;
        case Section::Rendering:
            if (depth == 3 && local == "Keywords")
                keywords.clear();
            break;
        case Section::None:
            break;
        }
    }

    void end(const char *name)
    {
        const size_t d = size_t(depth);
        if (depth > kMaxDepth || d >= hasChild.size()) {
            --depth;
            return;
        }
        (void)name;
        const bool leaf = !hasChild[d];
        const std::string &local = names[d];
        if (depth >= 3) {
            switch (section) {
            case Section::System:
                if (depth == 3 && leaf) {
                    if (local == "EventID") {
                        int64_t id;
                        if (integer::parseInt64(text, id) && id >= 0 && id <= 0xFFFFFFFFLL) {
                            ev.eventId = int32_t(id & 0xFFFF);
                            sawEventId = true;
                        }
                    } else if (local == "EventRecordID") {
                        int64_t id;
                        if (integer::parseInt64(text, id) && id >= 0)
                            ev.recordId = id;
                        else
                            recordIdWarning = integer::recordNumberWarning("EventRecordID", text);
                    } else if (local == "Channel") {
                        ev.channel = text;
                    } else if (local == "Computer") {
                        ev.computer = text;
                    } else if (!text.empty()) {
                        sysAdd(local, text);
                    }
                }
                break;
            case Section::EventData:
                if (depth == 3)
                    fieldAdd(dataName, local == "Binary" ? upperHex(text) : std::string_view(text));
                break;
            case Section::UserData:
            case Section::Other:
                if (leaf) {
                    if (depth == 3 && section == Section::UserData) {
                        if (!text.empty())
                            fieldAdd(local, text); // a wrapper holding text only
                    } else {
                        fieldAdd(path, text);
                    }
                }
                break;
            case Section::Rendering:
                if (depth == 3) {
                    if (local == "Keywords")
                        sysAdd("RenderingInfo.Keywords", keywords);
                    else if (leaf)
                        sysAdd("RenderingInfo." + local, text);
                } else if (depth == 4 && names[3] == "Keywords" && leaf) {
                    if (!keywords.empty())
                        keywords += "; ";
                    keywords += text;
                }
                break;
            case Section::None:
                break;
            }
        }
        if (depth == 2)
            section = Section::None;
        path.resize(std::min(path.size(), pathLen[d]));
        text.clear();
        --depth;
    }

    // ---- one record -----------------------------------------------------------------------

    void resetRecord()
    {
        ev.clear();
        depth = 0;
        section = Section::None;
        path.clear();
        text.clear();
        keywords.clear();
        dataIndex = 0;
        sawEventId = false;
        sawSystem = false;
        recordIdWarning.clear();
        stopReason.clear();
        pendingSource = TimeSource::Unknown;
    }

    // Parses one <Event> span. Returns the reject reason, or empty on success.
    std::string parseSpan(std::string_view span)
    {
        resetRecord();
        XML_ParserReset(xp, "UTF-8");
        XML_SetUserData(xp, this);
        XML_SetElementHandler(xp, &Impl::onStart, &Impl::onEnd);
        XML_SetCharacterDataHandler(xp, &Impl::onText);
        XML_SetEntityDeclHandler(xp, &Impl::onEntityDecl);
        XML_SetStartDoctypeDeclHandler(xp, &Impl::onDoctype);
        XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
        const XML_Status st = XML_Parse(xp, span.data(), int(span.size()), XML_TRUE);
        if (st != XML_STATUS_OK) {
            if (!stopReason.empty())
                return stopReason;
            const XML_Error code = XML_GetErrorCode(xp);
            std::string r = "malformed XML: ";
            r += XML_ErrorString(code);
            r += " (line " + std::to_string(XML_GetCurrentLineNumber(xp)) + ", column "
                + std::to_string(XML_GetCurrentColumnNumber(xp)) + " of the record)";
            return r;
        }
        if (!sawSystem)
            return "no <System> element";
        if (!sawEventId)
            return "no usable <EventID>";
        return {};
    }

    void record(std::string_view span, int64_t position)
    {
        std::string reason = parseSpan(span);
        std::string repaired;
        if (!reason.empty() && XML_GetErrorCode(xp) == XML_ERROR_INVALID_TOKEN && !utf8::isValid(span)) {
            repaired = utf8::repair(span);
            reason = parseSpan(repaired);
            span = repaired;
            if (reason.empty())
                sink->warning(position, "invalid UTF-8 replaced by U+FFFD");
        }
        if (!reason.empty()) {
            sink->reject(position, reason);
            return;
        }
        if (!recordIdWarning.empty())
            sink->warning(position, recordIdWarning);
        ev.position = position;
        if (ev.timeUs != kNoTime) {
            ev.timeSource = pendingSource;
            if (pendingSource == TimeSource::AssumedUtc && !warnedAssumedUtc) {
                warnedAssumedUtc = true;
                sink->warning(position, "TimeCreated SystemTime without zone: taken as UTC");
            }
        }
        ev.original.assign(span);
        ev.originalFormat.assign("xml");
        sink->event(ev);
    }
};

// =============================================================================================
// Stream: decoding to UTF-8 and scanning for <Event> spans.

namespace {

enum class Enc : uint8_t { Unknown, Utf8, Utf16LE, Utf16BE };

struct Decoder {
    Enc enc = Enc::Unknown;
    std::string carry; // undecoded bytes (detection, an odd byte)
    uint32_t highSurrogate = 0;

    void decode16(const unsigned char *p, size_t n, std::string &out)
    {
        size_t i = 0;
        for (; i + 1 < n; i += 2) {
            uint32_t u = enc == Enc::Utf16LE ? uint32_t(p[i] | (p[i + 1] << 8)) : uint32_t((p[i] << 8) | p[i + 1]);
            if (highSurrogate) {
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    utf8::append(out, 0x10000 + ((highSurrogate - 0xD800) << 10) + (u - 0xDC00));
                    highSurrogate = 0;
                    continue;
                }
                utf8::append(out, 0xFFFD);
                highSurrogate = 0;
            }
            if (u >= 0xD800 && u <= 0xDBFF)
                highSurrogate = u;
            else if (u >= 0xDC00 && u <= 0xDFFF)
                utf8::append(out, 0xFFFD);
            else
                utf8::append(out, u);
        }
        carry.assign(reinterpret_cast<const char *>(p) + i, n - i);
    }

    // Appends the UTF-8 form of raw bytes to out.
    void feed(const char *data, size_t n, bool eof, std::string &out)
    {
        std::string tmp;
        if (!carry.empty()) {
            tmp = carry;
            tmp.append(data, n);
            carry.clear();
            data = tmp.data();
            n = tmp.size();
        }
        auto *p = reinterpret_cast<const unsigned char *>(data);
        if (enc == Enc::Unknown) {
            if (n < 4 && !eof) {
                carry.assign(data, n);
                return;
            }
            size_t skip = 0;
            if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
                enc = Enc::Utf8;
                skip = 3;
            } else if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
                enc = Enc::Utf16LE;
                skip = 2;
            } else if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
                enc = Enc::Utf16BE;
                skip = 2;
            } else if (n >= 2 && p[0] != 0 && p[1] == 0) {
                enc = Enc::Utf16LE; // "<\0" without BOM
            } else if (n >= 2 && p[0] == 0 && p[1] != 0) {
                enc = Enc::Utf16BE;
            } else {
                enc = Enc::Utf8;
            }
            p += skip;
            n -= skip;
        }
        if (enc == Enc::Utf8)
            out.append(reinterpret_cast<const char *>(p), n);
        else
            decode16(p, n, out);
        if (eof && (!carry.empty() || highSurrogate)) {
            utf8::append(out, 0xFFFD);
            carry.clear();
            highSurrogate = 0;
        }
    }
};

bool startsWith(const std::string &s, size_t pos, std::string_view what)
{
    return s.size() - pos >= what.size() && std::memcmp(s.data() + pos, what.data(), what.size()) == 0;
}

// "<Event" followed by a delimiter: the start of an Event element (not EventData / Events).
bool isEventStart(const std::string &s, size_t pos)
{
    if (!startsWith(s, pos, "<Event") || s.size() - pos < 7)
        return false;
    const char c = s[pos + 6];
    return isXmlSpace(c) || c == '>' || c == '/';
}

} // namespace

WinXmlParser::WinXmlParser()
    : d(std::make_unique<Impl>())
{
}
WinXmlParser::~WinXmlParser() = default;

bool WinXmlParser::parse(ByteSource &in, RecordSink &sink)
{
    Impl &im = *d;
    im.sink = &sink;
    im.warnedAssumedUtc = false;
    im.warnedUtf8 = false;
    im.ordinal = 0;
    if (!im.xp) {
        sink.reject(0, "cannot create the XML parser");
        return false;
    }

    enum class St { Outside, StartTag, Inside, Skip };
    St st = St::Outside;
    Decoder dec;
    std::string text; // decoded UTF-8 not yet consumed
    size_t pos = 0; // scan position in text
    size_t spanStart = npos;
    char quote = 0; // inside a quoted attribute value (StartTag)
    bool eof = false;
    bool sawAnything = false; // any non-space byte
    uint64_t consumed = 0;
    std::vector<char> buf(m_block);
    constexpr size_t kLook = 16; // bytes of look-ahead a decision may need

    auto beginSpan = [&](size_t at) {
        spanStart = at;
        ++im.ordinal;
        st = St::StartTag;
        quote = 0;
        pos = at + 6;
    };
    auto emit = [&](size_t endPos) {
        if (endPos - spanStart > m_maxRecord)
            sink.reject(im.ordinal, "record larger than the limit");
        else
            im.record(std::string_view(text.data() + spanStart, endPos - spanStart), im.ordinal);
        spanStart = npos;
        st = St::Outside;
        pos = endPos;
    };
    // Skips from pos past the terminator; false when more input is needed.
    auto skipPast = [&](std::string_view term) -> bool {
        const size_t f = text.find(term, pos);
        if (f == npos) {
            if (eof) {
                pos = text.size();
                return true;
            }
            return false;
        }
        pos = f + term.size();
        return true;
    };

    for (;;) {
        // Scan what we have.
        bool needMore = false;
        while (!needMore) {
            if (st == St::Outside) {
                size_t lt = text.find('<', pos);
                const size_t stop = lt == npos ? text.size() : lt;
                for (size_t i = pos; i < stop; ++i) {
                    if (!isXmlSpace(text[i])) {
                        if (im.ordinal == 0) {
                            sink.reject(0, "not Windows event XML: text found where an element was expected");
                            return false;
                        }
                        break; // stray text between records: ignored
                    }
                }
                if (lt == npos) {
                    pos = text.size();
                    needMore = true;
                    break;
                }
                sawAnything = true;
                pos = lt;
                if (text.size() - lt < kLook && !eof) {
                    needMore = true;
                    break;
                }
                if (startsWith(text, lt, "<!--")) {
                    pos = lt + 4;
                    if (!skipPast("-->")) {
                        pos = lt;
                        needMore = true;
                    }
                } else if (startsWith(text, lt, "<![CDATA[")) {
                    pos = lt + 9;
                    if (!skipPast("]]>")) {
                        pos = lt;
                        needMore = true;
                    }
                } else if (startsWith(text, lt, "<?")) {
                    pos = lt + 2;
                    if (!skipPast("?>")) {
                        pos = lt;
                        needMore = true;
                    }
                } else if (startsWith(text, lt, "<!")) {
                    // DOCTYPE and other declarations, with an internal subset: skipped unread.
                    int bracket = 0;
                    char q = 0;
                    size_t i = lt + 2;
                    for (; i < text.size(); ++i) {
                        char c = text[i];
                        if (q) {
                            if (c == q)
                                q = 0;
                        } else if (c == '"' || c == '\'') {
                            q = c;
                        } else if (c == '[') {
                            ++bracket;
                        } else if (c == ']') {
                            --bracket;
                        } else if (c == '>' && bracket <= 0) {
                            break;
                        }
                    }
                    if (i >= text.size()) {
                        if (eof) {
                            pos = text.size();
                        } else {
                            pos = lt;
                            needMore = true;
                        }
                    } else {
                        pos = i + 1;
                    }
                } else if (isEventStart(text, lt)) {
                    beginSpan(lt);
                } else {
                    // Another tag (<Events>, </Events>, ...): skip it.
                    const size_t gt = text.find('>', lt + 1);
                    if (gt == npos) {
                        if (eof)
                            pos = text.size();
                        else
                            needMore = true;
                    } else {
                        pos = gt + 1;
                    }
                }
                if (needMore)
                    break;
                if (pos >= text.size() && eof)
                    break;
            } else if (st == St::StartTag) {
                // The end of <Event ...>, quote-aware ('>' may appear in attribute values).
                size_t i = pos;
                for (; i < text.size(); ++i) {
                    char c = text[i];
                    if (quote) {
                        if (c == quote)
                            quote = 0;
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                    } else if (c == '<' || c == '>') {
                        break; // '<': broken start tag, let the record parser report it
                    }
                }
                if (i >= text.size()) {
                    pos = i;
                    needMore = true;
                    break;
                }
                if (text[i] == '>' && text[i - 1] == '/') {
                    emit(i + 1); // <Event .../>
                } else {
                    st = St::Inside;
                    pos = text[i] == '>' ? i + 1 : i;
                }
            } else if (st == St::Inside) {
                const size_t lt = text.find('<', pos);
                if (lt == npos) {
                    pos = text.size();
                    needMore = true;
                    break;
                }
                pos = lt;
                if (text.size() - lt < kLook && !eof) {
                    needMore = true;
                    break;
                }
                if (startsWith(text, lt, "</Event")) {
                    size_t i = lt + 7;
                    while (i < text.size() && isXmlSpace(text[i]))
                        ++i;
                    if (i < text.size() && text[i] == '>') {
                        emit(i + 1);
                    } else if (i >= text.size() && !eof) {
                        needMore = true;
                    } else {
                        pos = lt + 1; // </EventData> etc.
                    }
                } else if (startsWith(text, lt, "<!--")) {
                    pos = lt + 4;
                    if (!skipPast("-->")) {
                        pos = lt;
                        needMore = true;
                    }
                } else if (startsWith(text, lt, "<![CDATA[")) {
                    pos = lt + 9;
                    if (!skipPast("]]>")) {
                        pos = lt;
                        needMore = true;
                    }
                } else if (isEventStart(text, lt)) {
                    sink.reject(im.ordinal, "unclosed <Event> element (the next record starts inside it)");
                    beginSpan(lt);
                } else {
                    pos = lt + 1;
                }
                if (needMore)
                    break;
            } else { // Skip: an oversized record; look for its end without keeping it.
                size_t f = text.find("</Event", pos);
                while (f != npos && f + 7 < text.size() && !isXmlSpace(text[f + 7]) && text[f + 7] != '>')
                    f = text.find("</Event", f + 1);
                if (f == npos || f + 7 >= text.size()) {
                    pos = f != npos ? f : (text.size() > 16 ? text.size() - 16 : 0);
                    needMore = true;
                    break;
                }
                const size_t gt = text.find('>', f);
                if (gt == npos) {
                    pos = f;
                    needMore = true;
                    break;
                }
                pos = gt + 1;
                st = St::Outside;
            }
            if (pos >= text.size() && eof)
                break;
        }
        if (eof)
            break;

        // Size limit of the record being collected.
        if ((st == St::StartTag || st == St::Inside) && spanStart != npos && text.size() - spanStart > m_maxRecord) {
            sink.reject(im.ordinal, "record larger than the limit");
            st = St::Skip;
            pos = text.size() > 16 ? text.size() - 16 : 0;
            spanStart = npos;
        }
        // Drop consumed text.
        const size_t keep = spanStart != npos ? spanStart : pos;
        if (keep > 0 && (keep >= (size_t(1) << 20) || keep * 2 >= text.size())) {
            text.erase(0, keep);
            pos -= keep;
            if (spanStart != npos)
                spanStart -= keep;
        }
        if (sink.cancelled())
            return true;

        const long long r = in.read(buf.data(), buf.size());
        if (r < 0) {
            sink.reject(im.ordinal + 1, "read error: " + in.error());
            return im.ordinal > 0;
        }
        if (r == 0) {
            eof = true;
            dec.feed(nullptr, 0, true, text);
        } else {
            consumed += uint64_t(r);
            sink.progress(consumed);
            dec.feed(buf.data(), size_t(r), false, text);
        }
    }

    if (st == St::StartTag || st == St::Inside)
        sink.reject(im.ordinal, "unclosed <Event> element at the end of the input");
    else if (st == St::Skip)
        sink.warning(im.ordinal, "input ended inside an oversized record");
    if (im.ordinal == 0) {
        if (!sawAnything) {
            sink.warning(0, "empty input");
            return true;
        }
        sink.reject(0, "not Windows event XML: no <Event> element found");
        return false;
    }
    return true;
}

} // namespace tt
