#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tt {

class ByteSource;
class RecordSink;

// What a parser may know about its input besides the bytes (set before parse()).
struct ParseContext {
    int64_t mtime = -1; // the file's modification time (seconds since the epoch), -1 unknown
    std::string defaultHost; // host for records that name none (Linux audit / syslog without node=)
};

// One input format. A parser never throws for bad input: it reports rejects through the sink
// and keeps every good record it can reach. It returns false only when the input as a whole is
// unreadable (wrong format, unreadable header), after reporting why through sink.reject(0, ...).
class FormatParser {
public:
    virtual ~FormatParser() = default;
    virtual std::string_view name() const = 0; // "evtx", "winxml", "jsonl"
    virtual std::string_view version() const = 0; // parser version, stored with provenance
    virtual bool parse(ByteSource &in, RecordSink &sink) = 0;
    virtual void setContext(const ParseContext &) { }
    // Whether the parser may use threads of its own (a small input is parsed faster on the calling
    // thread than handed between threads). Parsers without threads ignore it.
    virtual void setThreaded(bool on) { (void)on; }
};

} // namespace tt
