#pragma once

#include "core/ByteSource.h"
#include "core/Sha256.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
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

// Hashes and counts every byte that passes through. SHA-256 runs on a helper thread so that it
// overlaps parsing (it costs about a tenth of an import otherwise): read() hands over a copy of
// the block, with at most kMaxInFlight bytes waiting.
class HashingSource final : public ByteSource {
public:
    // threaded: hash on a worker thread while the caller parses (large inputs); otherwise on the
    // reading thread (a small file hashes in less time than a thread takes to start and hand over).
    explicit HashingSource(ByteSource &inner, bool threaded = true);
    ~HashingSource() override;
    HashingSource(const HashingSource &) = delete;
    HashingSource &operator=(const HashingSource &) = delete;

    long long read(char *buf, size_t n) override;
    std::string error() const override { return m_inner.error(); }
    long long sizeHint() const override { return m_inner.sizeHint(); }
    uint64_t bytes() const { return m_bytes; }
    // Reads whatever the parser left unread, so the digest covers the whole stream.
    bool drain();
    // Finishes hashing; call once, after the last read.
    std::string hexDigest();

    static constexpr size_t kBlock = 256 * 1024;
    static constexpr size_t kMaxInFlight = 16;

private:
    void flushPending();
    void run();

    ByteSource &m_inner;
    const bool m_threaded;
    Sha256 m_hash;
    uint64_t m_bytes = 0;
    std::vector<char> m_pending;
    std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<std::vector<char>> m_queue;
    std::vector<std::vector<char>> m_free;
    bool m_finish = false;
    std::string m_digest;
    std::thread m_worker;
};

// Counts bytes read from an outer (on-disk) file, for progress through archives.
class CountingSource final : public ByteSource {
public:
    explicit CountingSource(ByteSource &inner, std::atomic<uint64_t> *counter)
        : m_inner(inner)
        , m_counter(counter)
    {
    }
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
