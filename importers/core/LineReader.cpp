#include "core/LineReader.h"

#include "core/ByteSource.h"
#include "core/RecordSink.h"

#include <cstring>

namespace tt {

LineReader::LineReader(ByteSource &in, size_t maxLineBytes, size_t blockSize)
    : m_in(in)
    , m_max(maxLineBytes)
    , m_block(blockSize < 16 ? 16 : blockSize)
    , m_buf(m_block)
{
}

LineReader::Status LineReader::deliver(size_t start, size_t len, std::string_view &text, int64_t &line)
{
    ++m_line;
    line = m_line;
    if (len && m_buf[start + len - 1] == '\r')
        --len;
    // The buffer may hold a whole line past the limit (it grows by doubling): the limit is exact.
    if (len > m_max)
        return Status::TooLong;
    text = std::string_view(m_buf.data() + start, len);
    return Status::Line;
}

LineReader::Status LineReader::next(std::string_view &text, int64_t &line)
{
    for (;;) {
        if (m_scan < m_end) {
            const void *nl = std::memchr(m_buf.data() + m_scan, '\n', m_end - m_scan);
            if (nl) {
                const size_t nlPos = size_t(static_cast<const char *>(nl) - m_buf.data());
                const size_t start = m_start;
                m_start = m_scan = nlPos + 1;
                if (m_skipping) {
                    ++m_line;
                    m_skipping = false;
                    continue;
                }
                return deliver(start, nlPos - start, text, line);
            }
            m_scan = m_end;
        }
        if (m_eof) {
            if (m_start < m_end && !m_skipping) {
                const size_t start = m_start;
                m_start = m_scan = m_end;
                return deliver(start, m_end - start, text, line);
            }
            return m_error.empty() ? Status::End : Status::ReadError;
        }
        // Make room: drop consumed bytes, grow for a long line, skip an overlong one.
        if (!m_skipping && m_end - m_start > m_max) {
            m_skipping = true;
            m_start = m_scan = m_end = 0;
            line = m_line + 1;
            return Status::TooLong;
        }
        if (m_skipping) {
            m_start = m_scan = m_end = 0;
        } else if (m_start > 0) {
            std::memmove(m_buf.data(), m_buf.data() + m_start, m_end - m_start);
            m_end -= m_start;
            m_scan -= m_start;
            m_start = 0;
        }
        if (m_end == m_buf.size())
            m_buf.resize(m_buf.size() * 2);
        long long r = m_in.read(m_buf.data() + m_end, m_buf.size() - m_end);
        if (r < 0) {
            m_error = "read error: " + (m_in.error().empty() ? std::string("unknown") : m_in.error());
            m_eof = true;
            continue;
        }
        if (r == 0) {
            m_eof = true;
            continue;
        }
        m_consumed += uint64_t(r);
        if (m_first) {
            m_first = false;
            if (m_end == 0 && r >= 3 && std::memcmp(m_buf.data(), "\xEF\xBB\xBF", 3) == 0)
                m_start = m_scan = 3;
        }
        m_end += size_t(r);
    }
}

bool nextLine(LineReader &lines, RecordSink &sink, std::string_view &text, int64_t &line)
{
    for (;;) {
        const uint64_t before = lines.consumed();
        const LineReader::Status st = lines.next(text, line);
        if (lines.consumed() != before)
            sink.progress(lines.consumed());
        switch (st) {
        case LineReader::Status::Line:
            return true;
        case LineReader::Status::TooLong: {
            const size_t max = lines.maxLineBytes();
            const std::string limit
                = max % (1 << 20) == 0 ? std::to_string(max >> 20) + " MiB" : std::to_string(max) + " bytes";
            sink.reject(line, "line longer than " + limit + ": not read");
            continue;
        }
        case LineReader::Status::ReadError:
            sink.warning(line, lines.error());
            return false;
        case LineReader::Status::End:
            return false;
        }
    }
}

} // namespace tt
