// Event search benchmark (not a test): builds the full-text index of an existing case (events
// stored since the last build) and times the event browser's queries on it: first page, a page
// deep in the case, and full-text searches (first page). Prints index size against case size.
//
// usage: bench_search CASE.ttcase   (the case is migrated to the current schema and indexed in place)

#include "query/EventBrowserQuery.h"
#include "query/EventSearchIndexer.h"
#include "store/CaseStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <spdlog/spdlog.h>

#include <cstdio>
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
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    spdlog::set_level(spdlog::level::warn);
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_search CASE.ttcase\n");
        return 64;
    }
    const std::string path = argv[1];
    auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadWrite);
    sql::Db &db = cs->db();
    const long long events = db.queryInt("SELECT count(*) FROM events");
    QElapsedTimer t;
    t.start();
    const double cpu0 = cpuSeconds();
    const SearchIndexBuild b = buildSearchIndex(db);
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

    std::printf("| query                                          | rows | ms     |\n"
                "|------------------------------------------------|------|--------|\n");
    auto row = [](const char *what, const EventPage &p, double msec) {
        std::printf("| %-46s | %4zu | %6.1f |%s\n", what, p.rows.size(), msec,
            p.error.isEmpty() ? "" : qPrintable(QStringLiteral(" error: ") + p.error));
    };
    EventBrowserScope scope;
    t.restart();
    EventPage first = queryEventPage(db, scope, {});
    row("first page, no filter", first, ms(t));
    // Deep: a page starting 90 % into the case's time span (keyset: as fast as the first).
    const long long lo = db.queryInt("SELECT min(ts) FROM events"), hi = db.queryInt("SELECT max(ts) FROM events");
    EventCursor deep;
    deep.nullPhase = false;
    deep.ts = lo + (hi - lo) * 9 / 10;
    t.restart();
    EventPage deepPage = queryEventPage(db, scope, deep);
    row("page 90 % into the case", deepPage, ms(t));
    // 100 pages in a row (scrolling 20 000 rows).
    EventCursor c;
    t.restart();
    size_t rows = 0;
    for (int i = 0; i < 100; ++i) {
        EventPage p = queryEventPage(db, scope, c);
        rows += p.rows.size();
        c = p.next;
    }
    std::printf("| 100 pages in a row (per page)                  | %4zu | %6.1f |\n", rows / 100, ms(t) / 100);
    for (const char *q : {"psexesvc", "C:\\Windows\\System32\\", "cmd.exe /c", "exe", "wevtutil cl",
             "no-such-thing-anywhere", "\" OR * NEAR("}) {
        scope.search = QString::fromUtf8(q);
        t.restart();
        EventPage p = queryEventPage(db, scope, {});
        const double first = ms(t);
        t.restart();
        EventPage second = queryEventPage(db, scope, p.next);
        const QString label
            = QStringLiteral("search \"%1\" (next page %2 ms)").arg(QString::fromUtf8(q)).arg(ms(t), 0, 'f', 1);
        row(qPrintable(label.left(46)), p, first);
        (void)second;
    }
    return 0;
}
