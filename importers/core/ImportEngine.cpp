#include "core/ImportEngine.h"

#include "core/ArchiveReader.h"
#include "core/FileSource.h"
#include "core/Normalizer.h"
#include "core/ParsePipeline.h"
#include "core/ParserRegistry.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/Sha256.h"
#include "core/StreamAdapters.h"
#include "store/CaseMaintenance.h"
#include "store/CaseStore.h"
#include "store/CaseWriter.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sys/stat.h>
#include <thread>
#include <utility>

namespace fs = std::filesystem;

namespace tt {

namespace {
int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string baseName(const std::string &p)
{
    auto slash = p.find_last_of("/\\");
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

// "x.json.gz" -> "x.json": the name of a bare compressed stream's content.
std::string strippedCompressionSuffix(const std::string &name)
{
    static const char *const kSuffixes[] = {".gz", ".gzip", ".bz2", ".xz", ".zst", ".zstd", ".Z"};
    for (const char *s : kSuffixes) {
        const std::string suf(s);
        if (name.size() > suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0)
            return name.substr(0, name.size() - suf.size());
    }
    return name + ".data";
}

std::string hexPreview(const std::vector<char> &head)
{
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < head.size() && i < 8; ++i) {
        const auto b = static_cast<unsigned char>(head[i]);
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
        out.push_back(' ');
    }
    if (!out.empty())
        out.pop_back();
    return out;
}
} // namespace

int64_t ImportSummary::stored() const
{
    int64_t n = 0;
    for (const auto &f : files)
        if (f.status == FileReport::Status::Imported)
            n += f.stored;
    return n;
}

int64_t ImportSummary::rejected() const
{
    int64_t n = 0;
    for (const auto &f : files)
        n += f.rejected;
    return n;
}

uint64_t ImportSummary::bytes() const
{
    uint64_t n = 0;
    for (const auto &f : files)
        n += f.bytes;
    return n;
}

size_t ImportSummary::count(FileReport::Status s) const
{
    return static_cast<size_t>(
        std::count_if(files.begin(), files.end(), [s](const FileReport &f) { return f.status == s; }));
}

int ImportSummary::exitCode() const
{
    if (cancelled)
        return 130;
    const size_t imported = count(FileReport::Status::Imported);
    const size_t dup = count(FileReport::Status::Duplicate);
    const size_t failed = count(FileReport::Status::Failed);
    if (imported == 0 && dup == 0)
        return 1;
    if (failed > 0 || rejected() > 0)
        return 2;
    return 0;
}

// Receives parser output for one file: stores records, counts, keeps the first issues.
class ImportEngine::Sink final : public RecordSink {
public:
    Sink(ImportEngine &engine, Normalizer &norm, store::CaseWriter &writer, FileReport &report)
        : m_engine(engine)
        , m_norm(norm)
        , m_writer(writer)
        , m_report(report)
    {
    }

    void event(RawEvent &ev) override
    {
        ++m_report.read;
        m_norm.store(ev);
        ++m_report.stored;
        if (ev.timeUs != kNoTime) {
            if (m_first == kNoTime || ev.timeUs < m_first)
                m_first = ev.timeUs;
            if (m_last == kNoTime || ev.timeUs > m_last)
                m_last = ev.timeUs;
        }
        if ((m_report.read & 1023) == 0) {
            m_engine.m_progress.records = m_baseRecords + m_report.read;
            m_engine.reportProgress(false);
        }
    }

    void reject(int64_t position, std::string_view reason) override
    {
        ++m_report.read;
        ++m_report.rejected;
        addIssue(position, true, reason);
    }

    void warning(int64_t position, std::string_view message) override
    {
        ++m_report.warnings;
        addIssue(position, false, message);
    }

    bool cancelled() const override { return m_engine.cancelled(); }

    void progress(uint64_t) override { m_engine.reportProgress(false); }

    int64_t first() const { return m_first; }
    int64_t last() const { return m_last; }
    int64_t m_baseRecords = 0;

private:
    void addIssue(int64_t position, bool reject, std::string_view msg)
    {
        if (m_report.issues.size() < FileReport::kMaxIssuesInReport)
            m_report.issues.push_back({position, reject, std::string(msg.substr(0, 1024))});
        m_writer.addIssue(position, reject, msg);
        if (reject)
            spdlog::debug("{}: record {} rejected: {}", m_report.path, position, msg);
        else
            spdlog::debug("{}: record {}: {}", m_report.path, position, msg);
    }

    ImportEngine &m_engine;
    Normalizer &m_norm;
    store::CaseWriter &m_writer;
    FileReport &m_report;
    int64_t m_first = kNoTime;
    int64_t m_last = kNoTime;
};

// Where one file's records come from: parsed now on this thread or a pipeline (LiveInput), or
// parsed earlier on the read-ahead thread and replayed (ReplayInput).
class ImportEngine::LeafInput {
public:
    virtual ~LeafInput() = default;
    virtual bool parse(RecordSink &sink) = 0; // what the parser returned
    virtual uint64_t bytes() const = 0; // read so far
    virtual bool drain() = 0; // reads what the parser left (for the digest); false: a read error
    virtual std::string readError() const = 0;
    virtual std::string digest() = 0; // SHA-256 of every byte read, hex; once, after drain()
};

class ImportEngine::LiveInput final : public LeafInput {
public:
    LiveInput(FormatParser &parser, ByteSource &src, bool pipeline)
        : m_parser(parser)
        , m_src(src)
        , m_hashing(src, pipeline)
        , m_pipeline(pipeline)
    {
    }
    bool parse(RecordSink &sink) override
    {
        return m_pipeline ? ParsePipeline::run(m_parser, m_hashing, sink) : m_parser.parse(m_hashing, sink);
    }
    uint64_t bytes() const override { return m_hashing.bytes(); }
    bool drain() override { return m_hashing.drain(); }
    std::string readError() const override { return m_src.error(); }
    std::string digest() override { return m_hashing.hexDigest(); }

private:
    FormatParser &m_parser;
    ByteSource &m_src;
    HashingSource m_hashing;
    const bool m_pipeline;
};

class ImportEngine::ReplayInput final : public LeafInput {
public:
    explicit ReplayInput(ReadAhead::Parsed &parsed)
        : m_parsed(parsed)
    {
    }
    bool parse(RecordSink &sink) override
    {
        for (size_t i = 0; i < m_parsed.count && !sink.cancelled(); ++i)
            ParsePipeline::replay(m_parsed.items[i], sink);
        return m_parsed.ok;
    }
    uint64_t bytes() const override { return m_parsed.bytes; }
    bool drain() override { return m_parsed.drained; }
    std::string readError() const override { return m_parsed.readError; }
    std::string digest() override { return m_parsed.sha256; }

private:
    ReadAhead::Parsed &m_parsed;
};

ImportEngine::ImportEngine(store::CaseStore &store, Options options)
    : m_store(store)
    , m_options(std::move(options))
    , m_writer(std::make_unique<store::CaseWriter>(store))
{
}

ImportEngine::~ImportEngine() = default;

void ImportEngine::reportProgress(bool force)
{
    if (!m_progressFn)
        return;
    const int64_t now = nowNs();
    if (!force && now - m_lastProgressNs < 100'000'000)
        return;
    m_lastProgressNs = now;
    m_progress.bytesDone = m_diskBytes.load(std::memory_order_relaxed);
    m_progress.elapsed = static_cast<double>(now - m_startNs) / 1e9;
    m_progressFn(m_progress);
}

ImportSummary ImportEngine::run(
    const std::vector<std::string> &inputs, const ProgressFn &progress, const FileDoneFn &fileDone)
{
    m_summary = {};
    m_progress = {};
    m_progressFn = progress;
    m_fileDoneFn = fileDone;
    m_startNs = nowNs();
    m_diskBytes = 0;

    // Expand folders first so progress knows the total; inputs keep their order, and a missing
    // one (or an empty folder) is reported where it stood.
    enum class Kind { Named, Found, Missing, EmptyFolder };
    std::vector<std::pair<std::string, Kind>> files;
    for (const std::string &in : inputs) {
        if (in == kStdinInput) {
            files.emplace_back(in, Kind::Named);
            continue;
        }
        std::error_code ec;
        fs::file_status st = fs::status(in, ec);
        if (ec || !fs::exists(st)) {
            files.emplace_back(in, Kind::Missing);
            continue;
        }
        if (fs::is_directory(st)) {
            std::vector<std::string> found;
            for (auto it = fs::recursive_directory_iterator(in, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                std::error_code ec2;
                if (it->is_regular_file(ec2))
                    found.push_back(it->path().string());
            }
            std::sort(found.begin(), found.end());
            if (found.empty())
                files.emplace_back(in, Kind::EmptyFolder);
            for (auto &f : found)
                files.emplace_back(std::move(f), Kind::Found);
        } else {
            files.emplace_back(in, Kind::Named);
        }
    }
    m_progress.filesTotal = files.size();
    for (const auto &[f, kind] : files) {
        std::error_code ec;
        auto sz = kind == Kind::Named || kind == Kind::Found ? fs::file_size(f, ec) : 0;
        if (!ec)
            m_progress.bytesTotal += sz;
    }
    // Bulk mode: sorting each index once at the end beats updating B-trees row by row. Standard
    // input has no size up front; it counts as bulkIndexBytes (a stream is how big recordings
    // arrive: `gen --stdout | import CASE -`), so a stream into a case under 4x that drops the
    // indexes, and one into a bigger case keeps them live (the rebuild would rescan the case).
    const int64_t caseBytes = store::fileBytes(m_store);
    const bool streamInput = std::any_of(
        files.begin(), files.end(), [](const auto &f) { return f.first == kStdinInput && f.second == Kind::Named; });
    const uint64_t bulkBytes = m_progress.bytesTotal + (streamInput ? m_options.bulkIndexBytes : 0);
    const bool bulk = m_options.bulkIndexBytes > 0 && bulkBytes >= m_options.bulkIndexBytes
        && static_cast<int64_t>(bulkBytes) >= caseBytes / 4;
    if (bulk) {
        spdlog::info("bulk import of {} bytes{}: secondary indexes dropped until the end", m_progress.bytesTotal,
            streamInput ? " and standard input" : "");
        store::dropBulkIndexes(m_store);
    }
    reportProgress(true);
    // WAL checkpoints on a helper thread while this import writes (see WalCheckpointer).
    const auto checkpointer = store::checkpointInBackground(m_store);
    // Small regular files are parsed ahead on the read-ahead thread while this thread stores the
    // ones before (ReadAhead): up to kMaxFilesAhead files and about kMaxBytesAhead ahead.
    if (m_options.parseThread == Options::ParseThread::Auto)
        m_readAhead = std::make_unique<ReadAhead>(&m_cancel, m_options.forcedFormat, m_options.defaultHost);
    size_t considered = 0; // files before this index were queued or found not to qualify
    auto readAheadFrom = [&](size_t current) {
        const size_t end = std::min(files.size(), current + 1 + ReadAhead::kMaxFilesAhead);
        for (; m_readAhead && considered < end && m_readAhead->pendingBytes() < ReadAhead::kMaxBytesAhead;
             ++considered) {
            const auto &[f, kind] = files[considered];
            struct stat st { };
            if ((kind == Kind::Named || kind == Kind::Found) && f != kStdinInput && ::stat(f.c_str(), &st) == 0
                && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= kInlineParseBytes)
                m_readAhead->queue(f, st.st_mtime, st.st_size);
        }
    };
    for (size_t i = 0; i < files.size(); ++i) {
        const auto &[f, kind] = files[i];
        if (cancelled())
            break;
        if (kind == Kind::Missing || kind == Kind::EmptyFolder) {
            FileReport r;
            r.path = f;
            r.message = kind == Kind::Missing ? "no such file or folder" : f + " holds no files";
            finish(std::move(r));
            continue;
        }
        readAheadFrom(i);
        importPath(f, kind == Kind::Named);
        if (m_readAhead)
            m_readAhead->drop(f); // not taken (already in the case, not read ahead): stops its parse
    }
    m_readAhead.reset();
    try {
        m_writer->storeTrainedDictionaries(); // for the next import into this case
    } catch (const std::exception &e) {
        spdlog::warn("storing the trained record dictionaries failed ({}); later imports train again", e.what());
    }
    if (bulk) {
        m_progress.current = "rebuilding indexes";
        reportProgress(true);
        const int64_t t0 = nowNs();
        try {
            store::restoreBulkIndexes(m_store);
        } catch (const std::exception &e) {
            // Left noted in deferred_indexes: the next read-write open rebuilds them.
            spdlog::error("rebuilding indexes failed ({}); they are rebuilt when the case is next opened", e.what());
        }
        m_summary.bulkIndexes = true;
        m_summary.indexSeconds = static_cast<double>(nowNs() - t0) / 1e9;
    }
    m_summary.cancelled = cancelled();
    m_summary.seconds = static_cast<double>(nowNs() - m_startNs) / 1e9;
    reportProgress(true);
    return std::move(m_summary);
}

void ImportEngine::finish(FileReport &&report)
{
    ++m_progress.filesDone;
    if (report.status == FileReport::Status::Imported) {
        spdlog::info("imported {} ({}): read {}, stored {}, rejected {}, warnings {} in {:.2f} s", report.path,
            report.format, report.read, report.stored, report.rejected, report.warnings, report.seconds);
        if (!report.message.empty())
            spdlog::info("  {}", report.message);
    } else if (report.status == FileReport::Status::Duplicate || report.status == FileReport::Status::Skipped)
        spdlog::info("skipped {}: {}", report.path, report.message);
    else if (report.status == FileReport::Status::Cancelled)
        spdlog::warn("cancelled {}: nothing of it was kept", report.path);
    else
        spdlog::warn("failed {}: {}", report.path, report.message);
    for (const auto &i : report.issues)
        if (i.reject)
            spdlog::info("  {} record {}: rejected: {}", report.path, i.position, i.message);
    if (m_fileDoneFn)
        m_fileDoneFn(report);
    m_summary.files.push_back(std::move(report));
    reportProgress(true);
}

void ImportEngine::importPath(const std::string &path, bool named)
{
    m_progress.current = path;
    struct stat st { };
    int64_t size = -1, mtime = -1;
    // Standard input streams (a pipe or a redirected file): named "-" in the report and the
    // provenance, no size or mtime, its SHA-256 taken as it is read (never a second pass).
    const bool standardInput = path == kStdinInput;
    if (!standardInput && ::stat(path.c_str(), &st) == 0) {
        size = st.st_size;
        mtime = st.st_mtime;
    }
    const uint64_t diskBefore = m_diskBytes.load();
    // Fast path for a re-run: same path, size and mtime as an imported source, and same hash.
    try {
        // (Regular files only: hashing a FIFO here would consume the data it is about to import.)
        // (With --host, a source first imported without a host is read again: it may be replaced.)
        auto known = S_ISREG(st.st_mode) ? m_writer->findByStat(path, size, mtime) : std::nullopt;
        if (known && !m_options.defaultHost.empty() && m_writer->hostless(known->id))
            known.reset();
        if (known) {
            std::string err;
            std::string sha = Sha256::ofFile(path, &err);
            if (!sha.empty() && sha == known->sha256) {
                FileReport r;
                r.status = FileReport::Status::Duplicate;
                r.path = path;
                r.sha256 = sha;
                r.message = "already in the case (same SHA-256 as source #" + std::to_string(known->id) + ")";
                m_diskBytes += static_cast<uint64_t>(std::max<int64_t>(size, 0));
                finish(std::move(r)); // its queued parse is dropped by run()
                return;
            }
        }
    } catch (const std::exception &e) {
        spdlog::warn("provenance look-up failed for {}: {}", path, e.what());
    }
    if (m_readAhead && !standardInput) {
        auto parsed = m_readAhead->take(path);
        const bool usable = parsed && parsed->usable;
        if (usable) {
            ++m_summary.readAhead;
            importParsed(*parsed, path, size, mtime);
            m_diskBytes += static_cast<uint64_t>(std::max<int64_t>(size, 0));
        }
        m_readAhead->recycle(std::move(parsed)); // its events are reused for a later file
        if (usable)
            return;
    }
    FileSource file(standardInput ? std::string("/dev/stdin") : path, &m_cancel);
    if (!file.isOpen()) {
        FileReport r;
        r.path = path;
        r.message = "cannot read: " + file.error();
        finish(std::move(r));
        return;
    }
    CountingSource counting(file, &m_diskBytes);
    importStream(counting, path, size, mtime, 0, path, named);
    // Whatever the parser did not read still counts as done for progress.
    const uint64_t consumed = m_diskBytes.load() - diskBefore;
    if (size > 0 && consumed < static_cast<uint64_t>(size))
        m_diskBytes += static_cast<uint64_t>(size) - consumed;
}

void ImportEngine::importStream(ByteSource &src, const std::string &path, int64_t size, int64_t mtime, int depth,
    const std::string &outerFile, bool named)
{
    PeekSource peek(src, 64 * 1024);
    if (peek.headError()) {
        FileReport r;
        r.path = path;
        r.message = "read error: " + src.error();
        finish(std::move(r));
        return;
    }
    // A Mac's resource forks beside the files it zipped or copied: said once in the summary.
    if (!named && isAppleDouble(peek.head().data(), peek.head().size())) {
        ++m_summary.appleDoubleSkipped;
        ++m_progress.filesDone;
        spdlog::info("skipped {}: macOS AppleDouble metadata", path);
        return;
    }
    const Format fmt = formatToRead(detectFormat(peek.head().data(), peek.head().size()), m_options.forcedFormat);
    if (!isContainer(fmt)) {
        importLeaf(peek, path, size, mtime, fmt, named);
        return;
    }
    if (depth >= m_options.maxNesting) {
        FileReport r;
        r.path = path;
        r.format = std::string(formatName(fmt));
        r.message = "archive nested deeper than " + std::to_string(m_options.maxNesting) + " levels; not read";
        finish(std::move(r));
        return;
    }
    ArchiveReader archive;
    // Zips on disk are read through their central directory (seekable); everything else streams.
    const bool seekable = depth == 0 && (fmt == Format::Zip || fmt == Format::SevenZip);
    const bool opened = seekable ? archive.openFile(outerFile) : archive.open(peek);
    if (!opened) {
        FileReport r;
        r.path = path;
        r.format = std::string(formatName(fmt));
        r.message = "cannot open " + r.format + " archive: " + archive.error();
        finish(std::move(r));
        return;
    }
    ArchiveReader::Entry entry;
    size_t members = 0;
    int64_t lastCompressed = 0;
    while (!cancelled() && archive.next(entry)) {
        ++members;
        ++m_progress.filesTotal;
        const std::string memberName = entry.rawStream ? strippedCompressionSuffix(baseName(path)) : entry.name;
        const std::string memberPath = path + "!/" + memberName;
        importStream(archive.entryData(), memberPath, entry.size, entry.mtime >= 0 ? entry.mtime : mtime, depth + 1,
            outerFile, false);
        if (seekable) {
            const int64_t c = archive.compressedBytes();
            m_diskBytes += static_cast<uint64_t>(std::max<int64_t>(0, c - lastCompressed));
            lastCompressed = c;
        }
    }
    if (!archive.error().empty() && !cancelled()) {
        FileReport r;
        r.path = path;
        r.format = std::string(formatName(fmt));
        r.message = r.format + " archive damaged after " + std::to_string(members) + " member(s): " + archive.error();
        finish(std::move(r));
    } else if (members == 0 && !cancelled()) {
        FileReport r;
        r.path = path;
        r.format = std::string(formatName(fmt));
        // A compressed stream of zeros reads as a tar holding only its end marker: say so.
        const std::string content = archive.contentFormat();
        const bool stream = fmt == Format::Gzip || fmt == Format::Bzip2 || fmt == Format::Xz || fmt == Format::Zstd;
        if (stream)
            r.message = "not a valid " + r.format + " archive stream: it decompresses to "
                + (content.empty() || content == "Empty file"
                        ? std::string("nothing")
                        : "data read as '" + content + "' with no members (e.g. only zero bytes)")
                + ": no files, no telemetry";
        else
            r.message = "archive holds no files (an empty " + r.format + ")";
        finish(std::move(r));
    }
    if (members > 0 && m_progress.filesTotal > 0)
        --m_progress.filesTotal; // the archive itself is replaced by its members
}

void ImportEngine::importLeaf(
    ByteSource &src, const std::string &path, int64_t size, int64_t mtime, Format fmt, bool named)
{
    const int64_t t0 = nowNs();
    m_progress.current = path;
    FileReport report;
    report.path = path;
    report.format = std::string(formatName(fmt));
    if (fmt == Format::Empty) {
        report.message = "empty file: no records";
        finish(std::move(report));
        return;
    }
    const std::unique_ptr<FormatParser> parser = makeParser(fmt);
    if (!parser) {
        // Inside a folder or an archive, a README or a ground truth beside the logs is expected:
        // skipped and named. Named on the command line, the user meant it as telemetry: an error.
        PeekSource *peek = dynamic_cast<PeekSource *>(&src);
        const std::string reason
            = peek ? unknownFormatReason(peek->head().data(), peek->head().size()) : std::string("no known format");
        const std::string preview = " (first bytes: " + (peek ? hexPreview(peek->head()) : std::string("?")) + ")";
        if (!named) {
            report.status = FileReport::Status::Skipped;
            report.message = "not telemetry: " + reason + preview;
        } else {
            report.message = "not a supported format: " + reason + preview
                + "; supported: EVTX, Windows event XML, JSON lines, Zeek logs, Linux audit, syslog, journald JSON, "
                  "ESXi logs, macOS eslogger / unified log NDJSON, "
                  "EvtxECmd / Hayabusa timelines, inside zip/tar/gz/bz2/xz/zstd";
        }
        finish(std::move(report));
        return;
    }
    ParseContext context;
    context.mtime = mtime;
    context.defaultHost = m_options.defaultHost;
    parser->setContext(context);
    // A small file (most EVTX exports: the corpus's 590 average 170 KiB) is parsed and hashed on
    // this thread: starting threads and handing batches between them cost more than they overlap
    // (BENCHMARKS.md: EVTX corpus 0.95 -> 0.68 s). A larger one is parsed on a thread of its own
    // only with 4 cores or more: the writer already keeps a block-compression and a checkpoint
    // thread busy, and on 2 cores the parse thread only added hand-offs (1 M JSON-lines events in
    // 111 files of 13 MB: 10.0-10.1 s through the pipeline, 9.3-9.8 s on this thread).
    const bool small = size >= 0 && size <= kInlineParseBytes;
    static const bool spareCore = std::thread::hardware_concurrency() >= 4;
    const bool onThisThread = m_options.parseThread == Options::ParseThread::Auto
        ? small || !spareCore
        : m_options.parseThread == Options::ParseThread::Importing;
    if (small && m_options.parseThread != Options::ParseThread::Own)
        parser->setThreaded(false);
    LiveInput input(*parser, src, !onThisThread);
    storeLeaf(report, *parser, input, path, size, mtime, t0);
}

void ImportEngine::importParsed(ReadAhead::Parsed &parsed, const std::string &path, int64_t size, int64_t mtime)
{
    FileReport report;
    report.path = path;
    report.format = std::string(formatName(parsed.format));
    m_progress.current = path;
    ReplayInput input(parsed);
    // The file's time includes its parse on the read-ahead thread.
    storeLeaf(report, *parsed.parser, input, path, size, mtime, nowNs() - parsed.parseNs);
}

void ImportEngine::storeLeaf(FileReport &report, const FormatParser &parser, LeafInput &input, const std::string &path,
    int64_t size, int64_t mtime, int64_t t0)
{
    store::CaseWriter &w = *m_writer;
    try {
        store::SourceRow row;
        row.path = path;
        row.size = size >= 0 ? size : store::kNoValue;
        row.mtime = mtime >= 0 ? mtime : store::kNoValue;
        row.format = report.format;
        row.parser = parser.name();
        row.parserVersion = parser.version();
        w.begin(row);
        Normalizer norm(w);
        Sink sink(*this, norm, w, report);
        sink.m_baseRecords = m_progress.records;
        const bool ok = input.parse(sink);
        m_progress.records += report.read;
        m_progress.rejected += report.rejected;
        report.bytes = input.bytes();
        if (cancelled()) {
            w.rollback();
            report.status = FileReport::Status::Cancelled;
            report.message = "cancelled; nothing of this file was kept";
            report.seconds = static_cast<double>(nowNs() - t0) / 1e9;
            finish(std::move(report));
            return;
        }
        if (!input.drain()) {
            report.warnings++;
            report.issues.push_back({0, false, "read error after the last record: " + input.readError()});
        }
        report.bytes = input.bytes();
        report.sha256 = input.digest();
        if (report.stored == 0) {
            w.rollback();
            report.status = FileReport::Status::Failed;
            if (report.message.empty()) {
                report.message = ok ? "no records found" : "unreadable as " + report.format;
                for (const auto &i : report.issues)
                    if (i.reject && i.position == 0) {
                        report.message += ": " + i.message;
                        break;
                    }
            }
            report.seconds = static_cast<double>(nowNs() - t0) / 1e9;
            finish(std::move(report));
            return;
        }
        store::SourceCounts counts;
        counts.read = report.read;
        counts.stored = report.stored;
        counts.rejected = report.rejected;
        counts.warnings = report.warnings;
        counts.firstTs = sink.first() == kNoTime ? store::kNoValue : sink.first();
        counts.lastTs = sink.last() == kNoTime ? store::kNoValue : sink.last();
        counts.durationMs = (nowNs() - t0) / 1'000'000;
        store::CaseWriter::KnownSource existing;
        const auto committed = w.commit(report.sha256, counts, &existing, !m_options.defaultHost.empty());
        if (committed == store::CaseWriter::CommitResult::Duplicate) {
            report.status = FileReport::Status::Duplicate;
            report.message = "already in the case (same SHA-256 as source #" + std::to_string(existing.id) + ", "
                + existing.path + ")";
            report.stored = 0;
            report.rejected = 0;
            report.issues.clear();
        } else {
            if (committed == store::CaseWriter::CommitResult::Replaced) {
                report.message = "replaces source #" + std::to_string(existing.id) + " (" + existing.path
                    + "), the same content imported without a host: its records are now on host "
                    + m_options.defaultHost;
                ++m_summary.hostsFixed;
            }
            report.status = FileReport::Status::Imported;
            report.firstTs = sink.first() == kNoTime ? 0 : sink.first();
            report.lastTs = sink.last() == kNoTime ? 0 : sink.last();
        }
    } catch (const std::exception &e) {
        if (w.active()) {
            try {
                w.rollback();
            } catch (...) {
            }
        }
        report.status = FileReport::Status::Failed;
        report.message = std::string("import failed, nothing of this file was kept: ") + e.what();
        report.stored = 0;
    }
    report.seconds = static_cast<double>(nowNs() - t0) / 1e9;
    finish(std::move(report));
}

} // namespace tt
