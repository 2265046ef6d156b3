#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt {

class ByteSource;

// Streaming RFC 4180 CSV reader: comma separated, fields optionally quoted with '"', a quote
// inside a quoted field doubled, quoted fields may hold commas and line breaks; CRLF or LF
// records; a UTF-8 BOM at the start is skipped; blank lines are skipped. Memory is bounded by
// the largest record (maxRecordBytes). Line numbers are 1-based and count every '\n' of the
// input, also those inside quoted fields, so a record's number is the line it starts on.
class CsvReader {
public:
    enum class Status { Record, End, Bad, ReadError };

    CsvReader(ByteSource &in, size_t maxRecordBytes = size_t(64) << 20, size_t blockSize = size_t(1) << 20);

    // Next record. Record: `fields` views stay valid until the next call. Bad: the record at
    // `line` is malformed (error() says why) and was consumed; reading may continue. End: the
    // input is exhausted. ReadError: the byte source failed (error()).
    Status next(std::vector<std::string_view> &fields, int64_t &line);
    // Whether the field of the last record at index i was quoted.
    bool quoted(size_t i) const { return i < m_quoted.size() && m_quoted[i]; }
    const std::string &error() const { return m_error; }
    uint64_t consumed() const { return m_consumed; }

private:
    bool fill();

    ByteSource &m_in;
    size_t m_max;
    std::vector<char> m_buf;
    size_t m_pos = 0, m_end = 0;
    bool m_eof = false, m_first = true;
    int64_t m_line = 1;
    uint64_t m_consumed = 0;
    std::string m_store;
    std::vector<size_t> m_bounds; // start offsets of fields in m_store, then the end
    std::vector<bool> m_quoted;
    std::string m_error;
};

} // namespace tt
