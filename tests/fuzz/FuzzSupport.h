#pragma once

#include "core/RecordSink.h"

#include <cstddef>
#include <cstdint>

namespace tt {
class FormatParser;
struct RawEvent;
} // namespace tt

namespace tt::fuzz {

// Takes every record and reads every byte of it, so that a dangling or out-of-bounds string
// the parser hands over is caught by ASan here rather than later in the store.
class DrainSink final : public RecordSink {
public:
    void event(RawEvent &ev) override;
    void reject(int64_t position, std::string_view reason) override;
    void warning(int64_t position, std::string_view message) override;

    size_t events = 0;
    size_t rejects = 0;
    uint64_t checksum = 0; // keeps the reads from being optimised away
};

// Runs parser over the bytes (in memory) with a fixed context: mtime 2023-11-14, host "fuzz".
void runParser(FormatParser &parser, const uint8_t *data, size_t size);

} // namespace tt::fuzz
