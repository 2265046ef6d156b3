#include "evtx/EvtxChunkWorker.h"

#include <pthread.h>

namespace tt {

EvtxChunkWorker::~EvtxChunkWorker()
{
    if (!m_thread.joinable())
        return;
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [this] { return !m_busy; });
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void EvtxChunkWorker::submit(std::function<void()> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_job = std::move(job);
        m_busy = true;
    }
    if (!m_thread.joinable())
        m_thread = std::thread([this] {
            pthread_setname_np(pthread_self(), "tt-evtx-chunk"); // named in top / perf
            run();
        });
    m_cv.notify_all();
}

void EvtxChunkWorker::wait()
{
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return !m_busy; });
}

void EvtxChunkWorker::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_cv.wait(lock, [this] { return m_stop || m_busy; });
        if (m_busy) {
            std::function<void()> job = std::move(m_job);
            lock.unlock();
            job(); // jobs catch their own exceptions
            lock.lock();
            m_busy = false;
            m_cv.notify_all();
            continue;
        }
        if (m_stop)
            return;
    }
}

} // namespace tt
