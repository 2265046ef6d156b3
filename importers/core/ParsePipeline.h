#pragma once

#include "core/RawEvent.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tt {

class ByteSource;
class FormatParser;
class RecordSink;

// Runs a parser on its own thread and replays everything it reports (events, rejects,
// warnings, in order) into `target` on the calling thread. With two cores, parsing (and the
// parser's own reading and hashing) overlaps with the SQLite writes that the target does.
// Events are swapped (not copied) into batch slots, and batches are reused across files, so
// steady state allocates nothing; at most kMaxBatches are in flight.
// Few, small batches on purpose: the parser refills the events the writer has finished with,
// and only while those (~4 KB of strings each) are still in cache is that cheap. With 8 x 256
// events in flight (~8 MB) every refill missed the caches and the parser thread needed about
// twice its stand-alone CPU time (bench_import --parse-only; see BENCHMARKS.md).
class ParsePipeline {
public:
    static constexpr size_t kBatchSize = 32;
    static constexpr size_t kMaxBatches = 4;

    // Returns what parser.parse() returned. If the target throws, the parser is stopped, the
    // thread joined, and the exception rethrown.
    static bool run(FormatParser &parser, ByteSource &in, RecordSink &target);

    // One thing the parser reported, kept to be replayed on another thread (here and in
    // ReadAhead). Public also so that the process-wide pool of spare batches can hold them.
    struct Item {
        enum class Kind : uint8_t { Event, Reject, Warning } kind = Kind::Event;
        int64_t position = 0;
        std::string message;
        RawEvent event;
    };
    // Hands it to target as the parser reported it (the event's contents may be taken).
    static void replay(Item &it, RecordSink &target);
    struct Batch {
        std::vector<Item> items;
        size_t used = 0;
    };
    ~ParsePipeline(); // hands its batches back to the pool

private:
    class ProducerSink;
    static std::unique_ptr<Batch> newBatch();

    explicit ParsePipeline(RecordSink &target)
        : m_target(target)
    {
    }
    Batch *takeFree(); // producer: an empty batch (blocks while kMaxBatches are out)
    void publish(Batch *batch); // producer
    Batch *takeFull(); // consumer: next batch, or nullptr when the producer is done
    void recycle(Batch *batch); // consumer

    RecordSink &m_target;
    std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<Batch *> m_full;
    std::vector<Batch *> m_free;
    std::vector<std::unique_ptr<Batch>> m_all;
    bool m_producerDone = false;
    std::atomic<bool> m_abort {false};
};

} // namespace tt
