#include "linux/LineReader.h"

#include "core/ByteSource.h"
#include "core/RecordSink.h"

#include <cstring>

namespace tt {

namespace {
constexpr size_t kChunk = 256 * 1024;
}

LineReader::LineReader(ByteSource &in, RecordSink &sink, size_t maxLine)
    : m_in(in)
    , m_sink(sink)
    , m_maxLine(maxLine)
{
}

bool LineReader::fill()
{
    if (m_eof)
        return false;
    if (m_pos > 0) {
        m_buf.erase(0, m_pos);
        m_pos = 0;
    }
    const size_t old = m_buf.size();
    m_buf.resize(old + kChunk);
    const long long r = m_in.read(m_buf.data() + old, kChunk);
    if (r <= 0) {
        m_buf.resize(old);
        m_eof = true;
        if (r < 0)
            m_error = m_in.error().empty() ? std::string("read error") : m_in.error();
        return false;
    }
    m_buf.resize(old + static_cast<size_t>(r));
    m_consumed += static_cast<uint64_t>(r);
    m_sink.progress(m_consumed);
    return true;
}

bool LineReader::next(std::string_view &line)
{
    m_truncated = false;
    bool skipping = false;
    m_line.clear();
    for (;;) {
        const char *start = m_buf.data() + m_pos;
        const size_t avail = m_buf.size() - m_pos;
        const void *nl = avail ? std::memchr(start, '\n', avail) : nullptr;
        if (nl) {
            const size_t len = static_cast<size_t>(static_cast<const char *>(nl) - start);
            if (!skipping) {
                const size_t take = std::min(len, m_maxLine - m_line.size());
                m_line.append(start, take);
                if (take < len)
                    m_truncated = true;
            }
            m_pos += len + 1;
            break;
        }
        // No line end in the buffer: keep what fits, read more.
        if (!skipping) {
            const size_t take = std::min(avail, m_maxLine - m_line.size());
            m_line.append(start, take);
            if (take < avail) {
                m_truncated = true;
                skipping = true;
            }
        }
        m_pos += avail;
        if (!fill()) {
            if (m_line.empty() && !skipping && !m_truncated)
                return false;
            break;
        }
    }
    if (!m_line.empty() && m_line.back() == '\r')
        m_line.pop_back();
    ++m_lineNo;
    line = m_line;
    return true;
}

} // namespace tt
