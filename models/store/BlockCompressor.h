#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tt::store {

// Packs and zstd-compresses record blocks (store/RecordBlocks.h) on a helper thread, so that the
// import's writer thread (its critical path, BENCHMARKS.md) goes on with its SQL meanwhile.
// Results come back in submission order; the caller writes them on its own connection.
class BlockCompressor {
public:
    struct Job {
        int64_t id = 0;
        int64_t dictId = 0; // 0: none
        const void *cdict = nullptr; // ZSTD_CDict of dictId, alive until the job is taken back
        std::string data; // the records' bytes, concatenated
        std::vector<uint32_t> ends; // each record's end offset in data
    };
    struct Done {
        int64_t id = 0, dictId = 0, records = 0, rawBytes = 0, payloadBytes = 0;
        std::string compressed;
        std::string error; // compression failed
    };

    BlockCompressor() = default;
    ~BlockCompressor();
    BlockCompressor(const BlockCompressor &) = delete;
    BlockCompressor &operator=(const BlockCompressor &) = delete;

    void submit(Job &&job);
    // The oldest submitted job's result: false when none is in flight, or (wait false) when it
    // is not finished yet.
    bool take(Done &out, bool wait);
    size_t inFlight() const;

private:
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake, m_finished;
    std::deque<Job> m_queue;
    std::deque<Done> m_done;
    bool m_busy = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace tt::store
