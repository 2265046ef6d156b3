#pragma once

#include "core/FormatDetector.h"
#include "core/ReadAhead.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tt {

class ByteSource;
class FormatParser;
namespace store {
class CaseStore;
class CaseWriter;
} // namespace store

struct ImportIssue {
    int64_t position = 0; // record number or line number; 0 = not tied to a record
    bool reject = true; // false: a warning that lost nothing
    std::string message;
};

struct FileReport {
    // Skipped: found inside a folder or archive but not telemetry (no known format): reported with
    // its name, never a failure. Named on the command line, the same file is Failed.
    enum class Status { Imported, Duplicate, Failed, Cancelled, Skipped };
    Status status = Status::Failed;
    std::string path; // archive members: "outer.zip!/inner.json"
    std::string format; // "evtx", "jsonl", "winxml" (or what was detected when failing)
    int64_t read = 0, stored = 0, rejected = 0, warnings = 0;
    int64_t firstTs = 0, lastTs = 0; // 0 when none
    uint64_t bytes = 0;
    double seconds = 0;
    std::string sha256;
    std::string message; // why it failed / which source it duplicates
    std::vector<ImportIssue> issues; // the first kMaxIssuesInReport
    static constexpr size_t kMaxIssuesInReport = 50;
};

struct ImportProgress {
    size_t filesDone = 0;
    size_t filesTotal = 0; // plain files found on disk (archive members are counted as they come)
    std::string current;
    uint64_t bytesDone = 0; // on-disk bytes consumed
    uint64_t bytesTotal = 0; // on-disk bytes of all inputs
    int64_t records = 0;
    int64_t rejected = 0;
    double elapsed = 0;
};

struct ImportSummary {
    std::vector<FileReport> files;
    bool cancelled = false;
    double seconds = 0;
    bool bulkIndexes = false; // indexes were dropped and rebuilt
    double indexSeconds = 0; // time spent rebuilding them (part of seconds)
    // macOS AppleDouble entries ("__MACOSX/..." and "._NAME" in folders and archives): metadata,
    // skipped and counted here once, not listed per file and never a failure.
    int64_t appleDoubleSkipped = 0;
    // Files already in the case without a host that `--host` re-attributed (counted as imported;
    // CaseWriter::commit's replaceHostless).
    int64_t hostsFixed = 0;
    // Files parsed on the read-ahead thread (ReadAhead) rather than by the importing thread.
    int64_t readAhead = 0;
    int64_t stored() const;
    int64_t rejected() const;
    uint64_t bytes() const;
    size_t count(FileReport::Status s) const;
    // 0 all good (duplicates included), 2 something was rejected or a file failed but records
    // were imported, 1 nothing imported, 130 cancelled.
    int exitCode() const;
};

// Imports files, folders and archives into a case: content detection, one transaction per
// file, hash-based de-duplication, per-record rejects with their positions. Runs on the calling
// thread; cancel() may be called from any thread (or a signal handler).
class ImportEngine {
public:
    // Inputs up to this size (uncompressed, when known) are parsed and hashed on the importing
    // thread, with no thread of their own; larger ones go through ParsePipeline (parse, hash and
    // write overlapped on threads) when the machine has a core to spare for it (see importLeaf).
    static constexpr int64_t kInlineParseBytes = int64_t(4) << 20;
    // An input named "-" is standard input (any supported format, detected; archives and
    // compressed streams included).
    static constexpr const char *kStdinInput = "-";

    struct Options {
        Format forcedFormat = Format::Unknown; // Unknown: detect by content
        int maxNesting = 4; // archives inside archives
        // Inputs at least this large (and at least a quarter of the case) are imported with
        // the big tables' secondary indexes dropped and rebuilt once at the end. 0: never.
        // Standard input ("-", size unknown) counts as this many bytes.
        uint64_t bulkIndexBytes = 64ull << 20;
        // Host for records that name none (Linux audit logs without node=); empty: none.
        std::string defaultHost;
        // Where a file is parsed: Auto (a regular file up to kInlineParseBytes ahead of the one
        // being stored, on the read-ahead thread, see ReadAhead; a larger one or a stream on the
        // importing thread with fewer than 4 cores, else on a parse thread), or always the one
        // way (tests, benchmarks: Importing parses every file on the importing thread, Own
        // through ParsePipeline).
        enum class ParseThread { Auto, Own, Importing };
        ParseThread parseThread = ParseThread::Auto;
    };
    using ProgressFn = std::function<void(const ImportProgress &)>;
    using FileDoneFn = std::function<void(const FileReport &)>;

    ImportEngine(store::CaseStore &store, Options options);
    ~ImportEngine();

    ImportSummary run(
        const std::vector<std::string> &inputs, const ProgressFn &progress = {}, const FileDoneFn &fileDone = {});
    void cancel() { m_cancel.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return m_cancel.load(std::memory_order_relaxed); }
    std::atomic<bool> *cancelFlag() { return &m_cancel; }

private:
    class Sink;
    class LeafInput; // one file's records: parsed now (LiveInput) or by the read-ahead (ReplayInput)
    class LiveInput;
    class ReplayInput;
    // named: the path was given as an input, not found inside a folder or an archive.
    void importPath(const std::string &path, bool named);
    void importStream(ByteSource &src, const std::string &path, int64_t size, int64_t mtime, int depth,
        const std::string &outerFile, bool named);
    void importLeaf(ByteSource &src, const std::string &path, int64_t size, int64_t mtime, Format fmt, bool named);
    // A file the read-ahead thread parsed: its records replayed into the store.
    void importParsed(ReadAhead::Parsed &parsed, const std::string &path, int64_t size, int64_t mtime);
    // One file's transaction: begin, records from input, commit (or rollback) and its report.
    void storeLeaf(FileReport &report, const FormatParser &parser, LeafInput &input, const std::string &path,
        int64_t size, int64_t mtime, int64_t t0);
    void finish(FileReport &&report);
    void reportProgress(bool force);

    store::CaseStore &m_store;
    Options m_options;
    std::unique_ptr<store::CaseWriter> m_writer;
    std::unique_ptr<ReadAhead> m_readAhead; // during run(), with ParseThread::Auto
    std::atomic<bool> m_cancel {false};
    std::atomic<uint64_t> m_diskBytes {0};
    ImportSummary m_summary;
    ImportProgress m_progress;
    ProgressFn m_progressFn;
    FileDoneFn m_fileDoneFn;
    int64_t m_startNs = 0;
    int64_t m_lastProgressNs = 0;
};

} // namespace tt
