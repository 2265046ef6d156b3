#pragma once

#include "core/ByteSource.h"
#include "core/Sha256.h"

#include <atomic>
#include <string>
#include <vector>

namespace tt {

// Lets the detector look at the first bytes, then replays them to the parser.
class PeekSource final : public ByteSource {
public:
    PeekSource(ByteSource &inner, size_t peekBytes);
    const std::vector<char> &head() const { return m_head; }
    bool headError() const { return m_headError; }
    long long read(char *buf, size_t n) override;
    std::string error() const override { return m_inner.error(); }
    long long sizeHint() const override { return m_inner.sizeHint(); }

private:
    ByteSource &m_inner;
    std::vector<char> m_head;
    size_t m_pos = 0;
    bool m_headError = false;
};

// Hashes and counts every byte that passes through.
class HashingSource final : public ByteSource {
public:
    explicit HashingSource(ByteSource &inner) : m_inner(inner) {}
    long long read(char *buf, size_t n) override;
    std::string error() const override { return m_inner.error(); }
    long long sizeHint() const override { return m_inner.sizeHint(); }
    uint64_t bytes() const { return m_bytes; }
    // Reads whatever the parser left unread, so the digest covers the whole stream.
    bool drain();
    std::string hexDigest() { return m_hash.hexDigest(); }

private:
    ByteSource &m_inner;
    Sha256 m_hash;
    uint64_t m_bytes = 0;
};

// Counts bytes read from an outer (on-disk) file, for progress through archives.
class CountingSource final : public ByteSource {
public:
    explicit CountingSource(ByteSource &inner, std::atomic<uint64_t> *counter) : m_inner(inner), m_counter(counter) {}
    long long read(char *buf, size_t n) override
    {
        long long r = m_inner.read(buf, n);
        if (r > 0 && m_counter)
            m_counter->fetch_add(static_cast<uint64_t>(r), std::memory_order_relaxed);
        return r;
    }
    std::string error() const override { return m_inner.error(); }
    long long sizeHint() const override { return m_inner.sizeHint(); }

private:
    ByteSource &m_inner;
    std::atomic<uint64_t> *m_counter;
};

} // namespace tt
