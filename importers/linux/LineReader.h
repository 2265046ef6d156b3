#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tt {

class ByteSource;
class RecordSink;

// Splits a ByteSource into lines for the Linux text formats (audit.log, syslog, journald JSON).
// Line endings LF or CRLF; a last line without LF is still a line. Lines longer than maxLine are
// cut there and flagged (the rest of that line is skipped), so memory stays bounded. Reports
// progress through the sink.
class LineReader {
public:
    LineReader(ByteSource &in, RecordSink &sink, size_t maxLine = 1 << 20);
    // The next line without its ending; false at end of input (or a read error: error() says).
    bool next(std::string_view &line);
    int64_t lineNumber() const { return m_lineNo; } // 1-based number of the line last returned
    bool truncated() const { return m_truncated; } // the line last returned was longer than maxLine
    const std::string &error() const { return m_error; }

private:
    bool fill();

    ByteSource &m_in;
    RecordSink &m_sink;
    size_t m_maxLine;
    std::string m_buf;
    size_t m_pos = 0;
    bool m_eof = false;
    int64_t m_lineNo = 0;
    uint64_t m_consumed = 0;
    bool m_truncated = false;
    std::string m_line;
    std::string m_error;
};

} // namespace tt
