#include "json/JsonLinesParser.h"

#include "core/ByteSource.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/Utf8.h"
#include "json/FieldList.h"
#include "json/FlatRecord.h"
#include "json/HostClock.h"
#include "json/ValueRenderer.h"
#include "json/WinlogbeatRecord.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace tt {

using namespace jsonl;

// =============================================================================================

struct JsonLinesParser::Impl {
    RecordSink *sink = nullptr;
    od::parser parser;
    std::vector<Field> spare;
    std::string repaired; // line text after UTF-8 repair
    sj::error_code lastError = sj::SUCCESS;

    std::string recordIdWarning; // of the line being read
    ValueRenderer render;
    HostClock clock;
    FlatRecord flatRecord {render, recordIdWarning};
    WinlogbeatRecord winlogbeatRecord {render, clock, recordIdWarning};

    std::vector<PendingRecord> slots;
    size_t nPending = 0;
    size_t pendingBytes = 0;
    bool warnedUtf8 = false;
    int64_t untimed = 0, firstUntimed = 0; // records without a time, the first one's line
    std::vector<std::string> untimedFields; // time-like field names those records held

    void reset(RecordSink &s)
    {
        sink = &s;
        clock.reset(s);
        nPending = 0;
        pendingBytes = 0;
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

    // Parses one line into slot p. Returns an empty string on success, else the reject reason.
    std::string parseLine(const char *data, size_t len, size_t capacity, PendingRecord &p)
    {
        std::string r = parseLineAs(data, len, capacity, p, false);
        if (r == FlatRecord::kIsWinlogbeat) {
            // A top-level "winlog" object: Winlogbeat / ECS. Such lines are parsed a second time
            // (cheaper overall than searching every flat line for the key beforehand).
            const int64_t pos = p.ev.position;
            resetSlot(p);
            p.ev.position = pos;
            r = parseLineAs(data, len, capacity, p, true);
        }
        return r;
    }

    std::string parseLineAs(const char *data, size_t len, size_t capacity, PendingRecord &p, bool winlogbeat)
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
        std::string r = winlogbeat ? winlogbeatRecord.read(obj, p, sys, fields) : flatRecord.read(obj, p, sys, fields);
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

    void flush()
    {
        for (size_t i = 0; i < nPending; ++i) {
            PendingRecord &p = slots[i];
            clock.resolve(p);
            if (p.ev.timeUs == kNoTime)
                noteUntimed(p.ev);
            sink->event(p.ev);
        }
        nPending = 0;
        pendingBytes = 0;
        clock.clearWaiting();
    }

    void resetSlot(PendingRecord &p)
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

    void line(const char *data, size_t len, size_t capacity, int64_t lineNo)
    {
        recordIdWarning.clear();
        if (nPending == slots.size())
            slots.emplace_back();
        PendingRecord &p = slots[nPending];
        resetSlot(p);
        p.ev.position = lineNo;
        std::string reason = parseLine(data, len, capacity, p);
        std::string_view text(data, len);
        if (!reason.empty() && lastError == sj::UTF8_ERROR) {
            // Keep the record: replace the bad bytes by U+FFFD and parse again.
            repaired = utf8::repair(text);
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
            p.host = clock.hostOf(p.ev.computer);
        clock.learn(p);
        clock.wait(p);
        ++nPending;
        pendingBytes += len * 2 + p.ev.fields.size() * 64 + 256;
        if (!clock.anyWaiting() || nPending >= kMaxPendingEvents || pendingBytes >= kMaxPendingBytes)
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
    d->reset(sink);
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
