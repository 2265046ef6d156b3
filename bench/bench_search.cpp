// Event search benchmark (not a test): builds the full-text index of an existing case (events
// stored since the last build) and times the event browser's queries on it: first page, a page
// deep in the case, and full-text searches (first page). Prints index size against case size.
//
// usage: bench_search CASE.ttcase   (the case is migrated to the current schema and indexed in place)

#include "query/EventBrowserQuery.h"
#include "query/EventSearchIndexer.h"
#include "store/CaseStore.h"
#include "store/SearchIndex.h"
#include "store/Sqlite.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>
#include <sys/resource.h>

using namespace tt;

namespace {
double cpuSeconds()
{
    struct rusage ru { };
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double ms(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

int runQueries(sql::Db &db);
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    spdlog::set_level(spdlog::level::warn);
    const bool queryOnly = argc == 3 && std::string(argv[1]) == "--query-only";
    if (argc != 2 && !queryOnly) {
        std::fprintf(stderr, "usage: bench_search [--query-only] CASE.ttcase\n");
        return 64;
    }
    const std::string path = argv[argc - 1];
    auto cs = store::CaseStore::open(
        path, queryOnly ? store::CaseStore::Access::ReadOnly : store::CaseStore::Access::ReadWrite);
    sql::Db &db = cs->db();
    QElapsedTimer t;
    t.start();
    if (queryOnly) { // the queries alone, on what the index holds (an index build may be running)
        std::printf("bench_search --query-only: events indexed through id %lld of %lld\n\n",
            static_cast<long long>(store::searchIndexedThrough(db)),
            static_cast<long long>(db.queryInt("SELECT max(id) FROM events")));
        return runQueries(db);
    }
    const long long events = db.queryInt("SELECT count(*) FROM events");
    const double cpu0 = cpuSeconds();
    // Alone on the case: large batches, no pause for other writers (the workbench's background
    // build yields 120 ms after each ~300 ms batch). Progress on stderr every million events.
    int64_t shown = 0;
    const SearchIndexBuild b = buildSearchIndexAlone(db, [&](int64_t done, int64_t total) {
        if (done - shown >= 1000000 || done == total) {
            shown = done;
            std::fprintf(stderr, "bench_search: indexed %lld of %lld in %.0f s\n", static_cast<long long>(done),
                static_cast<long long>(total), ms(t) / 1000);
        }
    });
    const double cpu = cpuSeconds() - cpu0;
    if (!b.error.isEmpty()) {
        std::fprintf(stderr, "indexing failed: %s\n", qPrintable(b.error));
        return 1;
    }
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const long long indexBytes
        = db.queryInt("SELECT coalesce(sum(pgsize),0) FROM dbstat WHERE name LIKE 'events_fts%'", -1);
    const long long caseBytes = QFileInfo(QString::fromStdString(path)).size();
    std::printf("bench_search: %lld events; indexed %lld now in %.1f s wall, %.1f s CPU (%.0f events/s wall, %.0f per "
                "CPU second)\n",
        events, static_cast<long long>(b.indexed), b.seconds, cpu, b.seconds > 0 ? double(b.indexed) / b.seconds : 0.0,
        cpu > 0 ? double(b.indexed) / cpu : 0.0);
    std::printf("index %.1f MiB, case %.1f MiB (index = %.1f %% of the case)\n\n", double(indexBytes) / 1048576,
        double(caseBytes) / 1048576, caseBytes > 0 ? 100.0 * double(indexBytes) / double(caseBytes) : 0.0);

    return runQueries(db);
}

namespace {
double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Wall and CPU milliseconds of one query: the machine is shared, CPU is what compares.
struct Span {
    QElapsedTimer wall;
    double cpu0 = threadCpuMs();
    Span() { wall.start(); }
    double wallMs() const { return ms(wall); }
    double cpuMs() const { return threadCpuMs() - cpu0; }
};

int runQueries(sql::Db &db)
{
    std::printf("| query                                          | rows | wall ms | CPU ms |\n"
                "|------------------------------------------------|------|--------:|-------:|\n");
    auto row = [](const char *what, size_t rows, const Span &sp, double div, const QString &error) {
        std::printf("| %-46s | %4zu | %7.1f | %6.1f |%s\n", what, rows, sp.wallMs() / div, sp.cpuMs() / div,
            error.isEmpty() ? "" : qPrintable(QStringLiteral(" error: ") + error));
    };
    EventBrowserScope scope;
    {
        Span sp;
        EventPage first = queryEventPage(db, scope, {});
        row("first page, no filter", first.rows.size(), sp, 1, first.error);
    }
    // Deep: a page starting 90 % into the case's time span (keyset: as fast as the first).
    const long long lo = db.queryInt("SELECT min(ts) FROM events"), hi = db.queryInt("SELECT max(ts) FROM events");
    EventCursor deep;
    deep.nullPhase = false;
    deep.ts = lo + (hi - lo) * 9 / 10;
    {
        Span sp;
        EventPage deepPage = queryEventPage(db, scope, deep);
        row("page 90 % into the case", deepPage.rows.size(), sp, 1, deepPage.error);
    }
    // 100 pages in a row (scrolling 20 000 rows).
    {
        EventCursor c;
        Span sp;
        size_t rows = 0;
        for (int i = 0; i < 100; ++i) {
            EventPage p = queryEventPage(db, scope, c);
            rows += p.rows.size();
            c = p.next;
        }
        row("100 pages in a row (per page)", rows / 100, sp, 100, {});
    }
    for (const char *q : {"psexesvc", "C:\\Windows\\System32\\", "\\Windows\\Temp\\", "cmd.exe /c", "-accepteula",
             "exe", "wevtutil cl", "no-such-thing-anywhere", "\" OR * NEAR("}) {
        scope.search = QString::fromUtf8(q);
        EventPage p;
        {
            Span sp;
            p = queryEventPage(db, scope, {});
            row(qPrintable(QStringLiteral("search \"%1\"").arg(QString::fromUtf8(q)).left(46)), p.rows.size(), sp, 1,
                p.error);
        }
        if (!p.atEnd) {
            Span sp;
            EventPage second = queryEventPage(db, scope, p.next);
            row("  its next page", second.rows.size(), sp, 1, second.error);
        }
    }
    return 0;
}
} // namespace
