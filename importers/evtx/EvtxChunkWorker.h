#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tt {

// A single background thread running one job at a time (parsing the next chunk while the
// calling thread delivers the previous one). Started on first use.
class EvtxChunkWorker {
public:
    EvtxChunkWorker() = default;
    ~EvtxChunkWorker();
    EvtxChunkWorker(const EvtxChunkWorker &) = delete;
    EvtxChunkWorker &operator=(const EvtxChunkWorker &) = delete;

    // Runs job on the worker. The previous job must have been waited for.
    void submit(std::function<void()> job);
    // Blocks until the submitted job (if any) has finished.
    void wait();

private:
    void run();

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::function<void()> m_job;
    bool m_busy = false;
    bool m_stop = false;
};

} // namespace tt
