// Import benchmark (not a test): end-to-end events/s and MB/s into SQLite for
//  (a) every EVTX file of ../shared/corpus/evtx, against `evtxexport -f xml` on the same files
//      in the same run, and
//  (b) a generated JSON-lines recording of at least 1 M events,
// each phase in a child process so that its peak resident memory is its own.
//
// usage: bench_import [--corpus DIR] [--events N] [--workdir DIR] [--skip-evtx] [--skip-json]
//                     [--json-input DIR]   (import the files of DIR instead of generating; for profiling)
//                     [--bulk-index-bytes N] (engine option; 0 keeps every index live)
//                     [--generate DIR]     (only write the generated JSON lines into DIR, for --json-input)
//                     [--parse-only]       (with --json-input: JsonLinesParser alone on the calling thread,
//                                           events counted and dropped; no hashing, no store)
//                     [--rows-only]        (with --json-input: the SQLite ceiling. Each line stored as an
//                                           events row through CaseWriter, one transaction per file, no
//                                           parsing, normalising or hashing; lines read up front)

#include "core/FileSource.h"
#include "core/ImportEngine.h"
#include "core/ParsePipeline.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/StreamAdapters.h"
#include "generator/Generator.h"
#include "store/CaseStore.h"
#include "store/CaseWriter.h"
#include "store/Schema.h"
#include "json/JsonLinesParser.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QTemporaryDir>

#include "WorkDir.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Result {
    double seconds = 0;
    long long events = 0;
    long long rejected = 0;
    long long bytes = 0;
    long long files = 0;
    long maxRssKb = 0;
    double userSeconds = 0; // CPU time of the child (all threads), from wait4()
    double sysSeconds = 0;
    int exitCode = 0;
};

// Runs fn in a child; the child writes a Result into a pipe; the parent adds the child's peak RSS.
template<typename Fn> Result inChild(Fn fn)
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        Result r = fn();
        (void)!write(fds[1], &r, sizeof r);
        _exit(0);
    }
    close(fds[1]);
    Result r;
    (void)!read(fds[0], &r, sizeof r);
    close(fds[0]);
    int status = 0;
    struct rusage ru { };
    wait4(pid, &status, 0, &ru);
    r.maxRssKb = ru.ru_maxrss;
    r.userSeconds = static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6;
    r.sysSeconds = static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6;
    return r;
}

long long g_bulkIndexBytes = -1; // --bulk-index-bytes: engine default when negative

Result importAll(const std::vector<std::string> &inputs, const std::string &casePath)
{
    Result r;
    auto cs = tt::store::CaseStore::open(casePath, tt::store::CaseStore::Access::Create);
    tt::ImportEngine::Options options;
    if (g_bulkIndexBytes >= 0)
        options.bulkIndexBytes = static_cast<uint64_t>(g_bulkIndexBytes);
    tt::ImportEngine engine(*cs, options);
    const double t0 = now();
    tt::ImportSummary sum = engine.run(inputs);
    r.seconds = now() - t0;
    r.events = sum.stored();
    r.rejected = sum.rejected();
    r.bytes = static_cast<long long>(sum.bytes());
    r.files = static_cast<long long>(sum.count(tt::FileReport::Status::Imported));
    r.exitCode = sum.exitCode();
    if (sum.bulkIndexes)
        std::printf("(of which rebuilding the indexes dropped for the bulk import: %.2f s)\n", sum.indexSeconds);
    std::fflush(stdout);
    return r;
}

// The parser's share in isolation: every file through JsonLinesParser on this thread, events
// counted and dropped (no hashing, no pipeline, no store).
Result parseOnlyRun(const std::vector<std::string> &files, bool pipeline, bool hashing)
{
    struct CountingSink final : tt::RecordSink {
        long long events = 0, rejected = 0, bytes = 0;
        void event(tt::RawEvent &ev) override
        {
            ++events;
            bytes += static_cast<long long>(ev.original.size());
        }
        void reject(int64_t, std::string_view) override { ++rejected; }
    } sink;
    Result r;
    const double t0 = now();
    for (const std::string &f : files) {
        tt::FileSource in(f);
        tt::JsonLinesParser parser;
        if (hashing) {
            tt::HashingSource h(in);
            if (pipeline)
                tt::ParsePipeline::run(parser, h, sink);
            else
                parser.parse(h, sink);
            h.drain();
            (void)h.hexDigest();
        } else if (pipeline) {
            tt::ParsePipeline::run(parser, in, sink);
        } else {
            parser.parse(in, sink);
        }
        r.bytes += QFileInfo(QString::fromStdString(f)).size();
    }
    r.seconds = now() - t0;
    r.events = sink.events;
    r.rejected = sink.rejected;
    r.files = static_cast<long long>(files.size());
    return r;
}

// The store's share in isolation: every line of each file becomes one events row (payload = the
// line, as the JSON-lines import stores it) in one transaction per file, like the engine does,
// with the same case settings (CaseStore) and the bulk mode's dropped indexes. Lines are read
// into memory before the clock starts, so this is SQLite + CaseWriter only.
Result rowsOnlyImport(const std::vector<std::string> &files, const std::string &casePath)
{
    Result r;
    std::vector<std::vector<std::string>> lines(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
        std::ifstream in(files[i]);
        for (std::string l; std::getline(in, l);) {
            r.bytes += static_cast<long long>(l.size() + 1);
            lines[i].push_back(std::move(l));
        }
    }
    auto cs = tt::store::CaseStore::open(casePath, tt::store::CaseStore::Access::Create);
    tt::store::dropBulkIndexes(cs->db());
    tt::store::CaseWriter w(cs->db());
    struct rusage ru0 { };
    getrusage(RUSAGE_SELF, &ru0);
    const double t0 = now();
    for (size_t i = 0; i < files.size(); ++i) {
        tt::store::SourceRow src;
        src.path = files[i];
        src.format = "jsonl";
        src.parser = "bench";
        src.parserVersion = "0";
        w.begin(src);
        const int64_t host = w.hostId("HOST-" + std::to_string(i));
        int64_t pos = 0;
        for (const std::string &l : lines[i]) {
            tt::store::EventRow row;
            row.ts = 1700000000000000LL + pos;
            row.tsSource = 1;
            row.hostId = host;
            row.channel = "Security";
            row.provider = "Microsoft-Windows-Security-Auditing";
            row.eventId = 4624;
            row.recordId = pos;
            row.position = ++pos;
            row.payloadFormat = 2;
            row.payload = l;
            w.insertEvent(row);
            ++r.events;
        }
        tt::store::SourceCounts counts;
        counts.read = counts.stored = pos;
        w.commit("sha-" + std::to_string(i), counts);
    }
    tt::store::restoreBulkIndexes(cs->db());
    r.seconds = now() - t0;
    struct rusage ru1 { };
    getrusage(RUSAGE_SELF, &ru1);
    auto secs = [](const timeval &a, const timeval &b) {
        return static_cast<double>(b.tv_sec - a.tv_sec) + static_cast<double>(b.tv_usec - a.tv_usec) / 1e6;
    };
    std::printf("(rows only, timed part: CPU user %.2f s + sys %.2f s)\n", secs(ru0.ru_utime, ru1.ru_utime),
        secs(ru0.ru_stime, ru1.ru_stime));
    std::fflush(stdout);
    r.files = static_cast<long long>(files.size());
    return r;
}

void printRow(const char *what, const Result &r)
{
    const double mb = static_cast<double>(r.bytes) / (1024.0 * 1024.0);
    char rss[32] = "n/a"; // not known for external tools run through a shell
    if (r.maxRssKb > 0)
        std::snprintf(rss, sizeof rss, "%.1f", static_cast<double>(r.maxRssKb) / 1024.0);
    // CPU of the whole child (user+sys, all threads): includes the child's set-up, so it is a
    // little more than the timed part; with 2 cores it shows whether both were busy.
    std::printf("| %-38s | %9lld | %8.1f | %8.2f | %10.0f | %7.1f | %8s | %6.2f+%-5.2f |\n", what, r.events, mb,
        r.seconds, r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0.0,
        r.seconds > 0 ? mb / r.seconds : 0.0, rss, r.userSeconds, r.sysSeconds);
}

} // namespace

int main(int argc, char **argv)
{
    std::string corpus = "../shared/corpus";
    long long events = 1000000;
    std::string workdir;
    bool skipEvtx = false, skipJson = false;
    std::string jsonInput;
    std::string generateDir;
    bool rowsOnly = false, parseOnly = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--corpus" && i + 1 < argc)
            corpus = argv[++i];
        else if (a == "--events" && i + 1 < argc)
            events = std::atoll(argv[++i]);
        else if (a == "--workdir" && i + 1 < argc)
            workdir = argv[++i];
        else if (a == "--skip-evtx")
            skipEvtx = true;
        else if (a == "--skip-json")
            skipJson = true;
        else if (a == "--json-input" && i + 1 < argc)
            jsonInput = argv[++i];
        else if (a == "--parse-only")
            parseOnly = true;
        else if (a == "--rows-only")
            rowsOnly = true;
        else if (a == "--generate" && i + 1 < argc)
            generateDir = argv[++i];
        else if (a == "--bulk-index-bytes" && i + 1 < argc) // 0: never drop indexes
            g_bulkIndexBytes = std::atoll(argv[++i]);
        else {
            std::fprintf(stderr,
                "usage: bench_import [--corpus DIR] [--events N] [--workdir DIR] [--skip-evtx] [--skip-json] "
                "[--json-input DIR] [--bulk-index-bytes N] [--generate DIR]\n");
            return 64;
        }
    }
    spdlog::set_level(spdlog::level::warn);
    if (!generateDir.empty()) {
        tt::gen::Options o;
        o.hosts = 50;
        o.days = 3;
        o.events = events;
        o.seed = 42;
        o.attackerHops = 8;
        o.outDir = QString::fromStdString(generateDir);
        tt::gen::Summary g = tt::gen::generate(o);
        if (!g.error.isEmpty()) {
            std::fprintf(stderr, "generator failed: %s\n", qPrintable(g.error));
            return 1;
        }
        std::printf("generated %lld events into %s\n", static_cast<long long>(g.eventsWritten), generateDir.c_str());
        return 0;
    }
    QTemporaryDir tmp(workdir.empty() ? QDir::tempPath() + QStringLiteral("/tt-bench-XXXXXX")
                                      : QString::fromStdString(workdir) + QStringLiteral("/tt-bench-XXXXXX"));
    if (!workDirUsable(tmp, "bench_import"))
        return 1;
    const std::string dir = tmp.path().toStdString();
    if (std::getenv("TT_BENCH_KEEP") != nullptr) // keep the cases (for inspection)
        tmp.setAutoRemove(false);
    std::printf("bench_import: %ld cores, work dir %s\n\n", sysconf(_SC_NPROCESSORS_ONLN), dir.c_str());
    std::printf("| %-38s | %9s | %8s | %8s | %10s | %7s | %8s | %12s |\n", "phase", "events", "MiB", "seconds",
        "events/s", "MiB/s", "peak MiB", "CPU user+sys");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(40, '-').c_str(), std::string(11, '-').c_str(),
        std::string(10, '-').c_str(), std::string(10, '-').c_str(), std::string(12, '-').c_str(),
        std::string(9, '-').c_str(), std::string(10, '-').c_str(), std::string(14, '-').c_str());
    std::fflush(stdout);

    if (!skipEvtx) {
        std::vector<std::string> files;
        QDirIterator it(QString::fromStdString(corpus + "/evtx"), {QStringLiteral("*.evtx")}, QDir::Files,
            QDirIterator::Subdirectories);
        while (it.hasNext())
            files.push_back(it.next().toStdString());
        std::sort(files.begin(), files.end());
        if (files.empty()) {
            std::printf("| %-38s | (no EVTX files under %s/evtx) |\n", "evtx corpus", corpus.c_str());
        } else {
            Result ours = inChild([&] { return importAll(files, dir + "/evtx.ttcase"); });
            printRow("EVTX corpus -> case (TransferTrace)", ours);
            std::fflush(stdout);
            if (access("/usr/bin/evtxexport", X_OK) == 0) {
                Result ref = inChild([&] {
                    Result r;
                    const double t0 = now();
                    for (const auto &f : files) {
                        const std::string cmd = "/usr/bin/evtxexport -f xml '" + f + "' > /dev/null 2>&1";
                        r.exitCode |= std::system(cmd.c_str());
                        r.bytes += QFileInfo(QString::fromStdString(f)).size();
                    }
                    r.seconds = now() - t0;
                    struct rusage ru { };
                    getrusage(RUSAGE_CHILDREN, &ru);
                    return r;
                });
                ref.events = 0;
                ref.maxRssKb = 0;
                printRow("EVTX corpus -> XML text (evtxexport)", ref);
                std::printf("\nEVTX: %zu files; TransferTrace end to end into SQLite is %.2fx the speed of evtxexport "
                            "-f xml to /dev/null (%.2f s vs %.2f s)\n\n",
                    files.size(), ours.seconds > 0 ? ref.seconds / ours.seconds : 0.0, ours.seconds, ref.seconds);
            } else {
                std::printf("\n(evtxexport not installed: no baseline ratio)\n\n");
            }
        }
        std::fflush(stdout);
    }

    if (!skipJson && !jsonInput.empty()) {
        std::vector<std::string> files;
        QDirIterator it(QString::fromStdString(jsonInput), {QStringLiteral("*.json")}, QDir::Files);
        while (it.hasNext())
            files.push_back(it.next().toStdString());
        std::sort(files.begin(), files.end());
        if (parseOnly) {
            const char *only = std::getenv("TT_BENCH_PARSE_MODE"); // "0".."3": one of the four rows
            if (only) {
                const int m = std::atoi(only);
                Result r = inChild([&] { return parseOnlyRun(files, m & 2, m & 1); });
                printRow("parse-only (mode from TT_BENCH_PARSE_MODE)", r);
                return 0;
            }
            Result r = inChild([&] { return parseOnlyRun(files, false, false); });
            printRow("JSON lines parser alone", r);
            r = inChild([&] { return parseOnlyRun(files, false, true); });
            printRow("parser + SHA-256 thread", r);
            r = inChild([&] { return parseOnlyRun(files, true, false); });
            printRow("parser thread -> pipeline -> drop", r);
            r = inChild([&] { return parseOnlyRun(files, true, true); });
            printRow("same + SHA-256 thread", r);
        } else if (rowsOnly) {
            Result r = inChild([&] { return rowsOnlyImport(files, dir + "/rows.ttcase"); });
            printRow("events rows only (SQLite ceiling)", r);
        } else {
            Result r = inChild([&] { return importAll(files, dir + "/json.ttcase"); });
            printRow("JSON lines (given) -> case", r);
        }
    } else if (!skipJson) {
        tt::gen::Options o;
        o.hosts = 50;
        o.days = 3;
        o.events = events;
        o.seed = 42;
        o.attackerHops = 8;
        o.outDir = QString::fromStdString(dir + "/gen");
        const double g0 = now();
        tt::gen::Summary g = tt::gen::generate(o);
        const double gs = now() - g0;
        if (!g.error.isEmpty()) {
            std::fprintf(stderr, "generator failed: %s\n", qPrintable(g.error));
            return 1;
        }
        std::vector<std::string> files;
        long long bytes = 0;
        for (const QString &f : g.files) {
            files.push_back(f.toStdString());
            bytes += QFileInfo(f).size();
        }
        std::printf("(generated %lld events, %.1f MiB of JSON lines on %d hosts in %.1f s)\n\n",
            static_cast<long long>(g.eventsWritten), static_cast<double>(bytes) / 1048576.0, g.hosts, gs);
        Result r = inChild([&] { return importAll(files, dir + "/json.ttcase"); });
        printRow("JSON lines (generated) -> case", r);
        const QFileInfo caseFile(QString::fromStdString(dir + "/json.ttcase"));
        std::printf("\ncase file: %.1f MiB for %.1f MiB of input\n", static_cast<double>(caseFile.size()) / 1048576.0,
            static_cast<double>(bytes) / 1048576.0);
    }
    if (std::getenv("TT_BENCH_SKIP_ZEEK") == nullptr) {
        // Zeek logs of the corpus (zipped TSV and JSON lines, read in place).
        std::vector<std::string> files;
        QDirIterator it(QString::fromStdString(corpus + "/zeek"), {QStringLiteral("*.zip")}, QDir::Files);
        while (it.hasNext())
            files.push_back(it.next().toStdString());
        std::sort(files.begin(), files.end());
        if (!files.empty()) {
            Result r = inChild([&] { return importAll(files, dir + "/zeek.ttcase"); });
            printRow("Zeek corpus zips -> case", r);
        }
    }
    return 0;
}
