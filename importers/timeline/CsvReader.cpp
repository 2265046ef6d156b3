#include "timeline/CsvReader.h"

#include "core/ByteSource.h"

#include <cstring>

namespace tt {

// ---------------------------------------------------------------------------------------------
// CsvReader

CsvReader::CsvReader(ByteSource &in, size_t maxRecordBytes, size_t blockSize)
    : m_in(in)
    , m_max(maxRecordBytes)
    , m_buf(blockSize < 16 ? 16 : blockSize)
{
}

bool CsvReader::fill()
{
    for (;;) {
        if (m_eof)
            return false;
        long long r = m_in.read(m_buf.data(), m_buf.size());
        if (r < 0) {
            m_error = "read error: " + m_in.error();
            m_eof = true;
            return false;
        }
        if (r == 0) {
            m_eof = true;
            return false;
        }
        m_pos = 0;
        m_end = size_t(r);
        m_consumed += uint64_t(r);
        if (m_first) {
            m_first = false;
            if (m_end >= 3 && std::memcmp(m_buf.data(), "\xEF\xBB\xBF", 3) == 0)
                m_pos = 3;
        }
        if (m_pos < m_end)
            return true;
        // A block that held only the byte-order mark (a file of just a BOM: found by the
        // hayabusa_csv fuzzer) has nothing to read yet: read on, never past the block's end.
    }
}

CsvReader::Status CsvReader::next(std::vector<std::string_view> &fields, int64_t &line)
{
    enum class St { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    for (;;) {
        m_store.clear();
        m_bounds.clear();
        m_quoted.clear();
        m_error.clear();
        line = m_line;
        St st = St::FieldStart;
        bool any = false; // read at least one byte of this record
        bool tooLong = false;
        const char *bad = nullptr;
        bool fieldQuoted = false;
        m_bounds.push_back(0);
        auto endField = [&] {
            if (st == St::Unquoted && !fieldQuoted && m_store.size() > m_bounds.back() && m_store.back() == '\r')
                m_store.pop_back();
            m_bounds.push_back(m_store.size());
            m_quoted.push_back(fieldQuoted);
            fieldQuoted = false;
        };
        bool done = false, atEof = false;
        while (!done) {
            if (m_pos >= m_end && !fill()) {
                atEof = true;
                break;
            }
            any = true;
            if (!tooLong && m_store.size() >= m_max) {
                tooLong = true;
                m_store.clear();
                m_bounds.assign(1, 0);
                m_quoted.clear();
            }
            if (!tooLong && (st == St::Quoted || st == St::Unquoted)) {
                // Bulk-copy the run of ordinary bytes (most of a payload column).
                const char *b = m_buf.data() + m_pos;
                const char *e = m_buf.data() + m_end;
                const char *p = b;
                if (st == St::Quoted) {
                    const void *q = std::memchr(b, '"', size_t(e - b));
                    p = q ? static_cast<const char *>(q) : e;
                    for (const char *x = b; x < p; ++x)
                        m_line += *x == '\n';
                } else {
                    while (p < e && *p != ',' && *p != '\n' && *p != '"')
                        ++p;
                }
                if (p > b) {
                    m_store.append(b, size_t(p - b));
                    m_pos += size_t(p - b);
                    continue;
                }
            }
            const char c = m_buf[m_pos++];
            auto put = [&](char ch) {
                if (!tooLong)
                    m_store.push_back(ch);
            };
            switch (st) {
            case St::FieldStart:
                if (c == '"') {
                    st = St::Quoted;
                    fieldQuoted = true;
                } else if (c == ',') {
                    endField();
                } else if (c == '\n') {
                    endField();
                    ++m_line;
                    done = true;
                } else {
                    put(c);
                    st = St::Unquoted;
                }
                break;
            case St::Unquoted:
                if (c == ',') {
                    endField();
                    st = St::FieldStart;
                } else if (c == '\n') {
                    endField();
                    ++m_line;
                    done = true;
                } else {
                    if (c == '"' && !bad)
                        bad = "quote inside an unquoted field";
                    put(c);
                }
                break;
            case St::Quoted:
                if (c == '"')
                    st = St::QuoteInQuoted;
                else {
                    if (c == '\n')
                        ++m_line;
                    put(c);
                }
                break;
            case St::QuoteInQuoted:
                if (c == '"') {
                    put('"');
                    st = St::Quoted;
                } else if (c == ',') {
                    endField();
                    st = St::FieldStart;
                } else if (c == '\n') {
                    endField();
                    ++m_line;
                    done = true;
                } else if (c == '\r') {
                    // CRLF after a closing quote
                } else {
                    if (!bad)
                        bad = "text after the closing quote of a field";
                    put(c);
                    st = St::Unquoted;
                }
                break;
            }
        }
        if (atEof) {
            if (!m_error.empty())
                return Status::ReadError;
            if (!any)
                return Status::End;
            if (st == St::Quoted) {
                m_error = "input ends inside a quoted field (truncated?)";
                return Status::Bad;
            }
            endField();
        }
        if (tooLong) {
            m_error = "record longer than the limit";
            return Status::Bad;
        }
        if (bad) {
            m_error = bad;
            return Status::Bad;
        }
        // A blank line: one empty unquoted field.
        if (m_quoted.size() == 1 && !m_quoted[0] && m_bounds[1] == 0) {
            if (atEof)
                return Status::End;
            continue;
        }
        fields.clear();
        for (size_t i = 0; i + 1 < m_bounds.size(); ++i)
            fields.emplace_back(m_store.data() + m_bounds[i], m_bounds[i + 1] - m_bounds[i]);
        return Status::Record;
    }
}

} // namespace tt
