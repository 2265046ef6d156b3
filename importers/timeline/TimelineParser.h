#pragma once

#include "core/FormatParser.h"

#include <cstddef>
#include <memory>
#include <string_view>

namespace tt {

// Timelines written by other tools, turned back into the RawEvent the original EVTX record
// would have given, as far as the tool kept it (docs/record-conventions.md, "Timelines from
// other tools"):
//  - EvtxECmd (Eric Zimmerman) --csv and --json: System columns plus the Payload column (the
//    record's EventData / UserData as JSON), which gives the event data under its own names;
//  - Hayabusa (Yamato Security) csv-timeline and json-timeline -L (JSONL), any profile:
//    Details abbreviations mapped back to EventData names per channel and event id where the
//    mapping is certain, ExtraFieldInfo / AllFieldInfo taken under their own (original) names,
//    everything else kept under "Hayabusa." names.
// One parser per file; a malformed row is rejected with its line number, the others are kept.
class TimelineParser final : public FormatParser {
public:
    enum class Kind { EvtxECmdCsv, EvtxECmdJson, HayabusaCsv, HayabusaJsonl };

    explicit TimelineParser(Kind kind);
    ~TimelineParser() override;
    TimelineParser(const TimelineParser &) = delete;
    TimelineParser &operator=(const TimelineParser &) = delete;

    std::string_view name() const override;
    std::string_view version() const override { return "1.0"; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    void setBlockSize(size_t n) { m_block = n; } // tests: small blocks exercise refills

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    Kind m_kind;
    size_t m_block = size_t(1) << 20;
};

// Content sniffing for the four timeline formats: the CSV header row or the first JSON line's
// keys. Returns 0 when none matches, else 1 EvtxECmd CSV, 2 EvtxECmd JSON, 3 Hayabusa CSV,
// 4 Hayabusa JSONL. `head`: the first bytes of the stream.
int detectTimeline(const char *head, size_t n);

} // namespace tt
