#include "core/ParsePipeline.h"

#include "core/FormatParser.h"
#include "core/Normalizer.h"
#include "core/RecordSink.h"

#include <exception>
#include <pthread.h>
#include <thread>

namespace tt {

// Collects what the parser reports into batches on the parser's thread.
class ParsePipeline::ProducerSink final : public RecordSink {
public:
    explicit ProducerSink(ParsePipeline &p)
        : m_p(p)
    {
    }

    void event(RawEvent &ev) override
    {
        // Swap, not copy: the parser gets back an event the writer has finished with (its
        // strings and field vectors keep their capacity), so steady state copies and allocates
        // nothing here. RecordSink allows this: parsers reset every member before reuse.
        // The payload of a record without its original text is rendered here, on the parser's
        // thread; a stale rendering from the slot's earlier event never survives.
        if (ev.original.empty())
            Normalizer::renderPayload(ev, ev.rendered);
        else
            ev.rendered.clear();
        using std::swap;
        swap(next(Item::Kind::Event, ev.position, {}).event, ev);
        done();
    }
    void reject(int64_t position, std::string_view reason) override
    {
        next(Item::Kind::Reject, position, reason);
        done();
    }
    void warning(int64_t position, std::string_view message) override
    {
        next(Item::Kind::Warning, position, message);
        done();
    }
    bool cancelled() const override { return m_p.m_abort.load(std::memory_order_relaxed) || m_p.m_target.cancelled(); }

    void flush()
    {
        if (m_batch && m_batch->used) {
            m_p.publish(m_batch);
            m_batch = nullptr;
        }
    }

private:
    // The slot to fill; done() then counts it and hands a full batch over (never before the
    // slot is filled: the consumer reads it as soon as it is published).
    Item &next(Item::Kind kind, int64_t position, std::string_view message)
    {
        if (!m_batch)
            m_batch = m_p.takeFree();
        Item &it = m_batch->items[m_batch->used];
        it.kind = kind;
        it.position = position;
        it.message.assign(message);
        return it;
    }
    void done()
    {
        if (++m_batch->used == m_batch->items.size()) {
            m_p.publish(m_batch);
            m_batch = nullptr;
        }
    }

    ParsePipeline &m_p;
    Batch *m_batch = nullptr;
};

namespace {
// Batches outlive one file: a folder of small files would otherwise build and free
// kMaxBatches * kBatchSize events (and all their strings) per file. Bounded: at most
// kMaxPooled batches are kept, and oversized ones are dropped.
std::mutex g_poolMu;
std::vector<std::unique_ptr<ParsePipeline::Batch>> g_pool;
constexpr size_t kMaxPooled = 2 * ParsePipeline::kMaxBatches;
} // namespace

std::unique_ptr<ParsePipeline::Batch> ParsePipeline::newBatch()
{
    {
        std::lock_guard lock(g_poolMu);
        if (!g_pool.empty()) {
            auto b = std::move(g_pool.back());
            g_pool.pop_back();
            return b;
        }
    }
    auto b = std::make_unique<Batch>();
    b->items.resize(kBatchSize);
    return b;
}

ParsePipeline::~ParsePipeline()
{
    std::lock_guard lock(g_poolMu);
    for (auto &b : m_all) {
        size_t bytes = 0;
        for (const Item &it : b->items)
            bytes += it.event.original.capacity() + (it.event.fields.capacity() + it.event.system.capacity()) * 80;
        // A batch that held huge records (a 100 MB line) is not worth keeping.
        if (g_pool.size() < kMaxPooled && bytes < (16u << 20)) {
            b->used = 0;
            g_pool.push_back(std::move(b));
        }
    }
}

ParsePipeline::Batch *ParsePipeline::takeFree()
{
    std::unique_lock lock(m_mu);
    m_cv.wait(lock, [this] { return !m_free.empty() || m_all.size() < kMaxBatches || m_abort.load(); });
    if (m_free.empty()) {
        // Below the limit (or aborting): a new batch keeps the producer from blocking forever.
        m_all.push_back(newBatch());
        return m_all.back().get();
    }
    Batch *b = m_free.back();
    m_free.pop_back();
    return b;
}

void ParsePipeline::publish(Batch *batch)
{
    {
        std::lock_guard lock(m_mu);
        m_full.push_back(batch);
    }
    m_cv.notify_all();
}

ParsePipeline::Batch *ParsePipeline::takeFull()
{
    std::unique_lock lock(m_mu);
    m_cv.wait(lock, [this] { return !m_full.empty() || m_producerDone; });
    if (m_full.empty())
        return nullptr;
    Batch *b = m_full.front();
    m_full.pop_front();
    return b;
}

void ParsePipeline::recycle(Batch *batch)
{
    batch->used = 0;
    {
        std::lock_guard lock(m_mu);
        m_free.push_back(batch);
    }
    m_cv.notify_all();
}

void ParsePipeline::replay(Item &it, RecordSink &target)
{
    switch (it.kind) {
    case Item::Kind::Event:
        target.event(it.event);
        break;
    case Item::Kind::Reject:
        target.reject(it.position, it.message);
        break;
    case Item::Kind::Warning:
        target.warning(it.position, it.message);
        break;
    }
}

bool ParsePipeline::run(FormatParser &parser, ByteSource &in, RecordSink &target)
{
    ParsePipeline p(target);
    bool ok = false;
    std::exception_ptr producerError;
    std::thread producer([&] {
        pthread_setname_np(pthread_self(), "tt-parse"); // named in top / perf
        ProducerSink sink(p);
        try {
            ok = parser.parse(in, sink);
            sink.flush();
        } catch (...) {
            producerError = std::current_exception();
        }
        {
            std::lock_guard lock(p.m_mu);
            p.m_producerDone = true;
        }
        p.m_cv.notify_all();
    });
    std::exception_ptr consumerError;
    try {
        while (Batch *b = p.takeFull()) {
            for (size_t i = 0; i < b->used; ++i)
                replay(b->items[i], target);
            target.progress(0);
            p.recycle(b);
        }
    } catch (...) {
        consumerError = std::current_exception();
        p.m_abort = true;
        p.m_cv.notify_all();
        // Keep taking batches so the producer can finish.
        while (Batch *b = p.takeFull())
            p.recycle(b);
    }
    producer.join();
    if (consumerError)
        std::rethrow_exception(consumerError);
    if (producerError)
        std::rethrow_exception(producerError);
    return ok;
}

} // namespace tt
