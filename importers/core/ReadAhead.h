#pragma once

#include "core/FormatDetector.h"
#include "core/ParsePipeline.h"
#include "core/RawEvent.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tt {

class FormatParser;

// Reads, hashes and parses small input files on one helper thread, ahead of the importing
// thread: while the importer stores file N (normalising, SQLite inserts, the commit), the
// helper parses file N+1 into memory, and the importer then replays that into the store in the
// order the parser reported it. A folder of small EVTX exports (the corpus: 590 files of 170 KiB
// on average) spends about as long parsing and hashing as storing, so the two overlap on two
// cores; no thread is started per file (the reason small files are not sent through ParsePipeline).
//
// Only regular files up to ImportEngine::kInlineParseBytes are queued, at most kMaxFilesAhead
// files and about kMaxBytesAhead of them, so memory stays bounded by a few small files' events.
// Anything out of the ordinary -- a file that cannot be opened or read, an archive, a format
// without a parser, an AppleDouble file, a parser that throws, a cancelled import -- comes back
// as not usable and the importer reads that file itself, the usual way, with the usual reports.
class ReadAhead {
public:
    using Item = ParsePipeline::Item; // replayed with ParsePipeline::replay
    struct Parsed {
        bool usable = false;
        Format format = Format::Unknown;
        std::unique_ptr<FormatParser> parser; // the instance that parsed (name, version)
        bool ok = false; // what parse() returned
        // Events (payload rendered), rejects and warnings, in order: the first `count` of items
        // (a recycled Parsed keeps its items, their strings' capacity reused by the next file).
        std::vector<Item> items;
        size_t count = 0;
        uint64_t bytes = 0; // bytes read (the whole file after draining)
        bool drained = true; // false: a read error after the parser stopped
        std::string readError;
        std::string sha256;
        int64_t parseNs = 0; // time spent on the helper thread
        ~Parsed();
    };

    // cancel: the import's flag (a parse in progress stops when it is set). forced: the
    // user's --format (Unknown: detect); defaultHost: --host, as the parser's context.
    ReadAhead(const std::atomic<bool> *cancel, Format forced, std::string defaultHost);
    ~ReadAhead();
    ReadAhead(const ReadAhead &) = delete;
    ReadAhead &operator=(const ReadAhead &) = delete;

    // At most this many files, and about this many bytes of them, are queued ahead of the one
    // being stored (the importer's choice, ImportEngine::run): enough that a file slower to
    // store than to parse, or the other way round, does not leave a thread waiting.
    static constexpr size_t kMaxFilesAhead = 8;
    // A file in a format whose bytes are all record text (everything but EVTX, whose small files
    // are mostly preallocated empty chunks) is parsed ahead only up to this size: a larger one
    // holds thousands of records, and handing those between threads cost more (allocation and
    // cache traffic) than the overlap gave: 1 M JSON-lines events in 408 files of 3.4 MB,
    // 10.0 s read ahead against 9.1 s on the importing thread. Above it the importer parses.
    static constexpr int64_t kMaxDenseBytes = int64_t(1) << 20;
    static constexpr int64_t kMaxBytesAhead = int64_t(16) << 20;
    // The helper starts no further file while this many parsed records wait for the importer.
    static constexpr size_t kMaxEventsAhead = 2048;

    // Queues a file to be parsed after those queued before it; mtime and size as stat() gave them.
    void queue(const std::string &path, int64_t mtime, int64_t size);
    // Bytes of the files queued and not yet taken or dropped.
    int64_t pendingBytes() const;
    // When path is the oldest queued file: waits for its parse and returns it (usable or not).
    // Otherwise nullptr (it was not queued).
    std::unique_ptr<Parsed> take(const std::string &path);
    // When path is the oldest queued file: stops its parse (the importer did not need it, e.g. a
    // file already in the case) and forgets it. Otherwise nothing.
    void drop(const std::string &path);
    // Hands a replayed result back: the helper reuses its events for a later file (or frees it,
    // on its own thread, when it held more than kMaxRecycledItems).
    void recycle(std::unique_ptr<Parsed> parsed);
    static constexpr size_t kMaxRecycledItems = 16384;

private:
    struct Job {
        std::string path;
        int64_t mtime = -1;
        int64_t size = 0;
        size_t events = 0; // records parsed, once done
        bool done = false;
        std::atomic<bool> abort {false};
        std::unique_ptr<Parsed> result;
    };
    class RecordingSink;

    void run();
    std::unique_ptr<Parsed> parse(Job &job);
    std::unique_ptr<Parsed> reusable(); // a recycled result, emptied, or a new one
    // The oldest job when it is for path, once it is done (aborted first when abort), unqueued.
    std::shared_ptr<Job> finished(std::unique_lock<std::mutex> &lock, const std::string &path, bool abort);

    const std::atomic<bool> *m_cancel;
    const Format m_forced;
    const std::string m_defaultHost;
    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<std::shared_ptr<Job>> m_jobs; // oldest first; the helper works on the oldest not done
    int64_t m_pendingBytes = 0;
    size_t m_eventsAhead = 0; // records of the files parsed and not yet taken
    std::atomic<int> m_waiting {0}; // parsed files the importer has not taken yet
    std::vector<std::unique_ptr<Parsed>> m_returned; // recycled, not yet reused
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace tt
