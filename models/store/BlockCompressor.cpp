#include "store/BlockCompressor.h"

#include "store/RecordBlocks.h"

#include <pthread.h>
#include <zstd.h>

namespace tt::store {

BlockCompressor::~BlockCompressor()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void BlockCompressor::submit(Job &&job)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
        if (!m_thread.joinable())
            m_thread = std::thread([this] {
                pthread_setname_np(pthread_self(), "tt-zstd"); // named in top / perf
                run();
            });
    }
    m_wake.notify_one();
}

bool BlockCompressor::take(Done &out, bool wait)
{
    std::unique_lock lock(m_mutex);
    if (m_done.empty()) {
        if (!wait || (m_queue.empty() && !m_busy))
            return false;
        m_finished.wait(lock, [this] { return !m_done.empty(); });
    }
    out = std::move(m_done.front());
    m_done.pop_front();
    return true;
}

size_t BlockCompressor::inFlight() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size() + m_done.size() + (m_busy ? 1 : 0);
}

void BlockCompressor::run()
{
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    std::string packed;
    std::vector<std::string_view> records;
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty())
                break; // stopping, nothing left
            job = std::move(m_queue.front());
            m_queue.pop_front();
            m_busy = true;
        }
        records.clear();
        uint32_t begin = 0;
        for (uint32_t end : job.ends) {
            records.push_back(std::string_view(job.data).substr(begin, end - begin));
            begin = end;
        }
        packed.clear();
        blocks::pack(records, packed);
        Done d;
        d.id = job.id;
        d.dictId = job.dictId;
        d.records = static_cast<int64_t>(job.ends.size());
        d.rawBytes = static_cast<int64_t>(packed.size());
        d.payloadBytes = static_cast<int64_t>(job.data.size());
        d.compressed.resize(ZSTD_compressBound(packed.size()));
        const size_t n = job.cdict ? ZSTD_compress_usingCDict(cctx, d.compressed.data(), d.compressed.size(),
                             packed.data(), packed.size(), static_cast<const ZSTD_CDict *>(job.cdict))
                                   : ZSTD_compressCCtx(cctx, d.compressed.data(), d.compressed.size(), packed.data(),
                                       packed.size(), blocks::kLevel);
        if (ZSTD_isError(n))
            d.error = std::string("cannot compress record block: ") + ZSTD_getErrorName(n);
        else
            d.compressed.resize(n);
        {
            std::lock_guard lock(m_mutex);
            m_done.push_back(std::move(d));
            m_busy = false;
        }
        m_finished.notify_all();
    }
    ZSTD_freeCCtx(cctx);
}

} // namespace tt::store
