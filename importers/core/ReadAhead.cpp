#include "core/ReadAhead.h"

#include "core/FileSource.h"
#include "core/FormatParser.h"
#include "core/Normalizer.h"
#include "core/ParserRegistry.h"
#include "core/RecordSink.h"
#include "core/StreamAdapters.h"

#include <chrono>
#include <pthread.h>

namespace tt {

ReadAhead::Parsed::~Parsed() = default;

// Keeps what the parser reports, in order; renders a payload the way ParsePipeline does (on
// the parsing thread), so the importer only stores it.
class ReadAhead::RecordingSink final : public RecordSink {
public:
    RecordingSink(
        Parsed &out, const std::atomic<bool> *cancel, const std::atomic<bool> &abort, const std::atomic<int> &waiting)
        : m_out(out)
        , m_cancel(cancel)
        , m_abort(abort)
        , m_waiting(waiting)
    {
    }
    void event(RawEvent &ev) override
    {
        // A payload without its original text is rendered as JSON by whichever thread has time:
        // here while a parsed file already waits for the importer (storing is the slower side),
        // otherwise by the importer (Normalizer::store renders when `rendered` is empty). EVTX
        // corpus: ~0.3 s of parsing and hashing here against ~0.25-0.3 s of storing there.
        if (ev.original.empty() && m_waiting.load(std::memory_order_relaxed) > 0)
            Normalizer::renderPayload(ev, ev.rendered);
        else
            ev.rendered.clear();
        // Swapped, not copied: the parser gets back an event replayed earlier (its strings keep
        // their capacity); RecordSink allows it, parsers reset every member before reuse.
        using std::swap;
        swap(next(Item::Kind::Event, ev.position, {}).event, ev);
    }
    void reject(int64_t position, std::string_view reason) override { next(Item::Kind::Reject, position, reason); }
    void warning(int64_t position, std::string_view message) override { next(Item::Kind::Warning, position, message); }
    bool cancelled() const override
    {
        return m_abort.load(std::memory_order_relaxed) || (m_cancel && m_cancel->load(std::memory_order_relaxed));
    }

private:
    Item &next(Item::Kind kind, int64_t position, std::string_view message)
    {
        Item &it = m_out.count < m_out.items.size() ? m_out.items[m_out.count] : m_out.items.emplace_back();
        ++m_out.count;
        it.kind = kind;
        it.position = position;
        it.message.assign(message);
        return it;
    }
    Parsed &m_out;
    const std::atomic<bool> *m_cancel;
    const std::atomic<bool> &m_abort;
    const std::atomic<int> &m_waiting;
};

ReadAhead::ReadAhead(const std::atomic<bool> *cancel, Format forced, std::string defaultHost)
    : m_cancel(cancel)
    , m_forced(forced)
    , m_defaultHost(std::move(defaultHost))
{
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "tt-readahead"); // named in top / perf
        run();
    });
}

ReadAhead::~ReadAhead()
{
    {
        std::lock_guard lock(m_mu);
        m_stop = true;
        for (auto &j : m_jobs)
            j->abort = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void ReadAhead::queue(const std::string &path, int64_t mtime, int64_t size)
{
    auto job = std::make_shared<Job>();
    job->path = path;
    job->mtime = mtime;
    job->size = size;
    {
        std::lock_guard lock(m_mu);
        m_pendingBytes += size;
        m_jobs.push_back(std::move(job));
    }
    m_cv.notify_all();
}

int64_t ReadAhead::pendingBytes() const
{
    std::lock_guard lock(m_mu);
    return m_pendingBytes;
}

std::shared_ptr<ReadAhead::Job> ReadAhead::finished(
    std::unique_lock<std::mutex> &lock, const std::string &path, bool abort)
{
    if (m_jobs.empty() || m_jobs.front()->path != path)
        return nullptr;
    auto job = m_jobs.front();
    if (abort)
        job->abort = true;
    // Stays queued until done: the helper works through the queue in order.
    m_cv.wait(lock, [&] { return job->done; });
    m_jobs.pop_front();
    m_pendingBytes -= job->size;
    m_eventsAhead -= job->events;
    m_cv.notify_all(); // the helper may be waiting for the records ahead to go down
    m_waiting.fetch_sub(1, std::memory_order_relaxed);
    return job;
}

std::unique_ptr<ReadAhead::Parsed> ReadAhead::take(const std::string &path)
{
    std::unique_lock lock(m_mu);
    auto job = finished(lock, path, false);
    return job ? std::move(job->result) : nullptr;
}

void ReadAhead::drop(const std::string &path)
{
    // The helper may be parsing it: it stops at once, and the result is freed here.
    std::unique_lock lock(m_mu);
    finished(lock, path, true);
}

void ReadAhead::run()
{
    std::unique_lock lock(m_mu);
    for (;;) {
        std::shared_ptr<Job> job;
        m_cv.wait(lock, [&] {
            if (m_stop)
                return true;
            // Far enough ahead: events parsed long before they are stored are cold in the caches
            // by then (and the importer's replay and this thread's next parse both pay for it).
            if (m_eventsAhead >= kMaxEventsAhead)
                return false;
            for (auto &j : m_jobs)
                if (!j->done) {
                    job = j;
                    return true;
                }
            return false;
        });
        if (m_stop)
            break;
        lock.unlock();
        std::unique_ptr<Parsed> result;
        if (!job->abort)
            result = parse(*job);
        lock.lock();
        job->result = std::move(result);
        job->events = job->result ? job->result->count : 0;
        m_eventsAhead += job->events;
        job->done = true;
        m_waiting.fetch_add(1, std::memory_order_relaxed);
        m_cv.notify_all();
    }
    // Taken jobs are never waited on after the destructor: nothing to finish.
}

void ReadAhead::recycle(std::unique_ptr<Parsed> parsed)
{
    if (!parsed)
        return;
    std::lock_guard lock(m_mu);
    if (m_returned.size() <= kMaxFilesAhead)
        m_returned.push_back(std::move(parsed));
    // (otherwise freed here: more are back than can ever be in flight)
}

std::unique_ptr<ReadAhead::Parsed> ReadAhead::reusable()
{
    std::unique_ptr<Parsed> out;
    std::vector<std::unique_ptr<Parsed>> oversized; // freed here, on this thread, at the end
    {
        std::lock_guard lock(m_mu);
        while (!out && !m_returned.empty()) {
            auto r = std::move(m_returned.back());
            m_returned.pop_back();
            if (r->items.size() <= kMaxRecycledItems)
                out = std::move(r);
            else
                oversized.push_back(std::move(r));
        }
    }
    if (!out)
        return std::make_unique<Parsed>();
    out->usable = false;
    out->format = Format::Unknown;
    out->parser.reset();
    out->ok = false;
    out->count = 0;
    out->bytes = 0;
    out->drained = true;
    out->readError.clear();
    out->sha256.clear();
    out->parseNs = 0;
    return out;
}

std::unique_ptr<ReadAhead::Parsed> ReadAhead::parse(Job &job)
{
    const auto t0 = std::chrono::steady_clock::now();
    auto out = reusable();
    try {
        FileSource file(job.path, m_cancel);
        if (!file.isOpen())
            return out;
        PeekSource peek(file, 64 * 1024);
        if (peek.headError() || isAppleDouble(peek.head().data(), peek.head().size()))
            return out;
        const Format fmt = formatToRead(detectFormat(peek.head().data(), peek.head().size()), m_forced);
        if (fmt == Format::Empty || isContainer(fmt) || (fmt != Format::Evtx && job.size > kMaxDenseBytes))
            return out;
        out->parser = makeParser(fmt);
        if (!out->parser)
            return out;
        ParseContext context;
        context.mtime = job.mtime;
        context.defaultHost = m_defaultHost;
        out->parser->setContext(context);
        out->parser->setThreaded(false);
        out->format = fmt;
        HashingSource hashing(peek, false);
        RecordingSink sink(*out, m_cancel, job.abort, m_waiting);
        out->ok = out->parser->parse(hashing, sink);
        if (sink.cancelled())
            return out; // partial, not usable: never replayed
        out->drained = hashing.drain();
        if (!out->drained)
            out->readError = file.error();
        out->bytes = hashing.bytes();
        out->sha256 = hashing.hexDigest();
        out->usable = true;
        out->parseNs
            = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
        return out;
    } catch (...) {
        return out; // not usable: the importer reads it again and reports the error
    }
}

} // namespace tt
