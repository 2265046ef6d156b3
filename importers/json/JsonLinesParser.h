#pragma once

#include "core/FormatParser.h"

#include <cstddef>
#include <memory>

namespace tt {

// JSON lines of Windows events: one object per line, NXLog / Logstash flat (Mordor) or
// Winlogbeat / ECS (winlog.*), detected per line. Filled as docs/record-conventions.md says.
//
// Streaming: reads blocks from the ByteSource; only the current line (at most maxLineBytes) and
// a bounded look-ahead of parsed events are held. The look-ahead lets the per-host local-time
// offset (learned from Sysmon UtcTime vs EventTime) apply to the host's records that precede
// its first Sysmon record; it is flushed as soon as every waiting host has a Sysmon-learned
// offset, and at the latest after kMaxPendingEvents events / kMaxPendingBytes bytes (then the
// @timestamp-learned offset is used).
class JsonLinesParser final : public FormatParser {
public:
    static constexpr size_t kDefaultMaxLineBytes = size_t(64) << 20; // 64 MiB
    static constexpr size_t kMaxPendingEvents = 16384;
    static constexpr size_t kMaxPendingBytes = size_t(48) << 20;

    JsonLinesParser();
    ~JsonLinesParser() override;
    JsonLinesParser(const JsonLinesParser &) = delete;
    JsonLinesParser &operator=(const JsonLinesParser &) = delete;

    std::string_view name() const override { return "jsonl"; }
    std::string_view version() const override { return "1.0"; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    // Tunables (tests, benchmarks).
    void setMaxLineBytes(size_t n) { m_maxLine = n; }
    void setBlockSize(size_t n) { m_block = n < 64 ? 64 : n; }

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    size_t m_maxLine = kDefaultMaxLineBytes;
    size_t m_block = size_t(4) << 20;
};

} // namespace tt
