// Import benchmark (not a test): end-to-end events/s and MB/s into SQLite for
//  (a) every EVTX file of ../shared/corpus/evtx, against `evtxexport -f xml` on the same files
//      in the same run, and
//  (b) a generated JSON-lines recording of at least 1 M events,
// each phase in a child process so that its peak resident memory is its own.
//
// usage: bench_import [--corpus DIR] [--events N] [--workdir DIR] [--skip-evtx] [--skip-json]
//                     [--json-input DIR]   (import the files of DIR instead of generating; for profiling)
//                     [--bulk-index-bytes N] (engine option; 0 keeps every index live)

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "store/CaseStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QTemporaryDir>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
template <typename Fn>
Result inChild(Fn fn)
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
    struct rusage ru {};
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
    std::printf("| %-38s | %9lld | %8.1f | %8.2f | %10.0f | %7.1f | %8s | %6.2f+%-5.2f |\n", what, r.events, mb, r.seconds,
                r.seconds > 0 ? static_cast<double>(r.events) / r.seconds : 0.0, r.seconds > 0 ? mb / r.seconds : 0.0, rss,
                r.userSeconds, r.sysSeconds);
}

} // namespace

int main(int argc, char **argv)
{
    std::string corpus = "../shared/corpus";
    long long events = 1000000;
    std::string workdir;
    bool skipEvtx = false, skipJson = false;
    std::string jsonInput;
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
        else if (a == "--bulk-index-bytes" && i + 1 < argc) // 0: never drop indexes
            g_bulkIndexBytes = std::atoll(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_import [--corpus DIR] [--events N] [--workdir DIR] [--skip-evtx] [--skip-json] [--json-input DIR] [--bulk-index-bytes N]\n");
            return 64;
        }
    }
    spdlog::set_level(spdlog::level::warn);
    QTemporaryDir tmp(workdir.empty() ? QDir::tempPath() + QStringLiteral("/tt-bench-XXXXXX")
                                      : QString::fromStdString(workdir) + QStringLiteral("/tt-bench-XXXXXX"));
    const std::string dir = tmp.path().toStdString();
    std::printf("bench_import: %ld cores, work dir %s\n\n", sysconf(_SC_NPROCESSORS_ONLN), dir.c_str());
    std::printf("| %-38s | %9s | %8s | %8s | %10s | %7s | %8s | %12s |\n", "phase", "events", "MiB", "seconds", "events/s",
                "MiB/s", "peak MiB", "CPU user+sys");
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
                    struct rusage ru {};
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
        Result r = inChild([&] { return importAll(files, dir + "/json.ttcase"); });
        printRow("JSON lines (given) -> case", r);
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
