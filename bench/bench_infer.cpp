// Inference benchmark (not a test): a generated recording (default 2 000 000 events on 50 hosts)
// is imported, then transfers are inferred; prints both wall times, events/s and the share of
// inference in import time (issue 3's target: at most 25 %). Each step in its own process.
//
// usage: bench_infer [--events N] [--hosts H] [--workdir DIR]

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/CaseStore.h"

#include <QDir>
#include <QTemporaryDir>

#include "WorkDir.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timing {
    double seconds = 0;
    long long count = 0;
    long maxRssKb = 0;
};

template<typename Fn> Timing inChild(Fn fn)
{
    int fds[2];
    if (pipe(fds) != 0)
        return {};
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        Timing t = fn();
        (void)!write(fds[1], &t, sizeof t);
        _exit(0);
    }
    close(fds[1]);
    Timing t;
    (void)!read(fds[0], &t, sizeof t);
    close(fds[0]);
    int status = 0;
    struct rusage ru { };
    wait4(pid, &status, 0, &ru);
    t.maxRssKb = ru.ru_maxrss;
    return t;
}
} // namespace

int main(int argc, char **argv)
{
    long long events = 2000000;
    int hosts = 50;
    QString workdir = QDir::tempPath();
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--events") && i + 1 < argc)
            events = std::atoll(argv[++i]);
        else if (!std::strcmp(argv[i], "--hosts") && i + 1 < argc)
            hosts = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--workdir") && i + 1 < argc)
            workdir = QString::fromLocal8Bit(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_infer [--events N] [--hosts H] [--workdir DIR]\n");
            return 64;
        }
    }
    spdlog::set_level(spdlog::level::warn);
    QTemporaryDir tmp(workdir + QStringLiteral("/tt-bench-infer-XXXXXX"));
    if (!workDirUsable(tmp, "bench_infer"))
        return 1;
    tt::gen::Options o;
    o.hosts = hosts;
    o.days = 7;
    o.events = events;
    o.seed = 2570;
    o.attackerHops = 16;
    o.outDir = tmp.path() + QStringLiteral("/gen");
    const tt::gen::Summary g = tt::gen::generate(o);
    if (!g.error.isEmpty()) {
        std::fprintf(stderr, "generator: %s\n", qPrintable(g.error));
        return 1;
    }
    const std::string casePath = QString(tmp.path() + QStringLiteral("/infer.ttcase")).toStdString();
    std::vector<std::string> files;
    for (const QString &f : g.files)
        files.push_back(f.toStdString());
    const Timing imp = inChild([&] {
        Timing t;
        auto cs = tt::store::CaseStore::open(casePath, tt::store::CaseStore::Access::Create);
        tt::ImportEngine engine(*cs, {});
        const double t0 = now();
        t.count = engine.run(files).stored();
        t.seconds = now() - t0;
        return t;
    });
    const Timing inf = inChild([&] {
        Timing t;
        auto cs = tt::store::CaseStore::open(casePath, tt::store::CaseStore::Access::ReadWrite);
        const double t0 = now();
        const auto r = tt::inference::InferenceEngine(*cs).run();
        t.seconds = now() - t0;
        t.count = static_cast<long long>(r.transfers);
        return t;
    });
    std::printf("bench_infer: %lld events generated on %d hosts (%d labelled transfers)\n\n",
        static_cast<long long>(g.eventsWritten), g.hosts, g.transfers);
    std::printf("| step      | events    | seconds | events/s | peak MiB | result "
                "|\n|-----------|-----------|---------|----------|----------|--------|\n");
    std::printf("| import    | %9lld | %7.1f | %8.0f | %8.1f | |\n", imp.count, imp.seconds, imp.count / imp.seconds,
        imp.maxRssKb / 1024.0);
    std::printf("| inference | %9lld | %7.1f | %8.0f | %8.1f | %lld transfers |\n", imp.count, inf.seconds,
        imp.count / inf.seconds, inf.maxRssKb / 1024.0, inf.count);
    std::printf("\ninference adds %.1f %% to import time (target: at most 25 %%)\n", 100.0 * inf.seconds / imp.seconds);
    return 0;
}
