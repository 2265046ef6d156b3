#include "core/StreamAdapters.h"

#include <algorithm>
#include <cstring>
#include <pthread.h>

namespace tt {

PeekSource::PeekSource(ByteSource &inner, size_t peekBytes)
    : m_inner(inner)
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

HashingSource::HashingSource(ByteSource &inner, bool threaded)
    : m_inner(inner)
    , m_threaded(threaded)
{
    if (!threaded)
        return;
    m_pending.reserve(kBlock);
    m_worker = std::thread([this] {
        pthread_setname_np(pthread_self(), "tt-sha256"); // named in top / perf
        run();
    });
}

HashingSource::~HashingSource()
{
    if (m_worker.joinable())
        hexDigest();
}

void HashingSource::run()
{
    std::unique_lock lock(m_mu);
    for (;;) {
        m_cv.wait(lock, [this] { return m_finish || !m_queue.empty(); });
        if (m_queue.empty() && m_finish)
            break;
        std::vector<char> block = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        m_hash.update(block.data(), block.size());
        lock.lock();
        block.clear();
        m_free.push_back(std::move(block));
        m_cv.notify_all();
    }
    m_digest = m_hash.hexDigest();
}

void HashingSource::flushPending()
{
    if (m_pending.empty())
        return;
    std::unique_lock lock(m_mu);
    m_cv.wait(lock, [this] { return m_queue.size() < kMaxInFlight; });
    m_queue.push_back(std::move(m_pending));
    if (!m_free.empty()) {
        m_pending = std::move(m_free.back());
        m_free.pop_back();
    } else {
        m_pending = std::vector<char>();
        m_pending.reserve(kBlock);
    }
    m_cv.notify_all();
}

long long HashingSource::read(char *buf, size_t n)
{
    long long r = m_inner.read(buf, n);
    if (r > 0 && !m_threaded) {
        m_hash.update(buf, static_cast<size_t>(r));
        m_bytes += static_cast<uint64_t>(r);
    } else if (r > 0) {
        m_pending.insert(m_pending.end(), buf, buf + r);
        m_bytes += static_cast<uint64_t>(r);
        if (m_pending.size() >= kBlock)
            flushPending();
    }
    return r;
}

std::string HashingSource::hexDigest()
{
    if (m_worker.joinable()) {
        flushPending();
        {
            std::lock_guard lock(m_mu);
            m_finish = true;
        }
        m_cv.notify_all();
        m_worker.join();
    } else if (!m_threaded && m_digest.empty()) {
        m_digest = m_hash.hexDigest();
    }
    return m_digest;
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
