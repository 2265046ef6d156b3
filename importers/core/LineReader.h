#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt {

class ByteSource;
class RecordSink;

// Lines of a text stream, for every line-based format (audit, syslog, journald, timeline JSONL):
// LF or CRLF endings, a UTF-8 BOM at the start skipped, the last line without a terminating
// newline included. A line longer than maxLineBytes is reported as TooLong with its number and
// skipped whole, so memory stays bounded by about twice the limit.
class LineReader {
public:
    enum class Status { Line, End, TooLong, ReadError };

    explicit LineReader(ByteSource &in, size_t maxLineBytes = size_t(64) << 20, size_t blockSize = size_t(1) << 20);
    // line: 1-based number; text: without the line break, valid until the next call.
    Status next(std::string_view &text, int64_t &line);
    const std::string &error() const { return m_error; }
    uint64_t consumed() const { return m_consumed; } // bytes read from the source so far
    size_t maxLineBytes() const { return m_max; }

private:
    Status deliver(size_t start, size_t len, std::string_view &text, int64_t &line);

    ByteSource &m_in;
    size_t m_max;
    size_t m_block;
    std::vector<char> m_buf;
    size_t m_start = 0, m_end = 0, m_scan = 0;
    bool m_eof = false, m_first = true, m_skipping = false;
    int64_t m_line = 0;
    uint64_t m_consumed = 0;
    std::string m_error;
};

// next() for a parser that reports to a sink: progress as bytes are read, an overlong line
// rejected with its number ("line longer than 1 MiB: not read") and skipped, a read error as a
// warning. False at the end of the input or after a read error.
bool nextLine(LineReader &lines, RecordSink &sink, std::string_view &text, int64_t &line);

} // namespace tt
