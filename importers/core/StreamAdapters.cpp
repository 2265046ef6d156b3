#include "core/StreamAdapters.h"

#include <algorithm>
#include <cstring>

namespace tt {

PeekSource::PeekSource(ByteSource &inner, size_t peekBytes) : m_inner(inner)
{
    m_head.resize(peekBytes);
    long long r = m_inner.readFully(m_head.data(), peekBytes);
    if (r < 0) {
        m_headError = true;
        r = 0;
    }
    m_head.resize(static_cast<size_t>(r));
}

long long PeekSource::read(char *buf, size_t n)
{
    if (m_pos < m_head.size()) {
        size_t k = std::min(n, m_head.size() - m_pos);
        std::memcpy(buf, m_head.data() + m_pos, k);
        m_pos += k;
        return static_cast<long long>(k);
    }
    return m_inner.read(buf, n);
}

long long HashingSource::read(char *buf, size_t n)
{
    long long r = m_inner.read(buf, n);
    if (r > 0) {
        m_hash.update(buf, static_cast<size_t>(r));
        m_bytes += static_cast<uint64_t>(r);
    }
    return r;
}

bool HashingSource::drain()
{
    std::vector<char> buf(1 << 16);
    for (;;) {
        long long r = read(buf.data(), buf.size());
        if (r < 0)
            return false;
        if (r == 0)
            return true;
    }
}

} // namespace tt
