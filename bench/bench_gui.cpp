// Workbench responsiveness benchmark (not a test): drives the real widgets offscreen on a large
// case and prints open -> first full paint, account pivot -> updated graph + timeline, time
// brush -> update, the tool spread view, the event browser, Graphviz layout of 200 hosts, the
// transfers table (first page shown, a sort) on that case and on a case of --transfers synthetic
// transfers (default 100 000), and peak memory.
//
// usage: bench_gui [--case CASE] [--events N] [--hosts H] [--hops T] [--transfers N] [--workdir DIR]
//   Without --case it generates a recording (default 1 000 000 events on 60 hosts, 12 attacker
//   hops), imports it
//   and infers transfers first (that part is not timed here; see bench_import).

#include "EventBrowserDock.h"
#include "GraphScene.h"
#include "GraphvizLayout.h"
#include "LayoutCache.h"
#include "SpreadView.h"
#include "TimelineView.h"
#include "TransferGraphView.h"
#include "TransfersDock.h"
#include "WorkbenchWindow.h"
#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "items/EventBrowserModel.h"
#include "items/TransferTableModel.h"
#include "query/EventSearchIndexer.h"
#include "query/GraphAggregation.h"
#include "query/PivotQuery.h"
#include "query/TimelineQuery.h"
#include "query/TransferTableQuery.h"
#include "store/CaseStore.h"
#include "views/TransferTableCase.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>

#include "WorkDir.h"
#include <QTimer>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tt;

namespace {
long peakRssMb()
{
    struct rusage ru { };
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

// Waits until the graph and the timeline have both shown results newer than `since`.
double waitViews(WorkbenchWindow &w, int graphBefore, int timelineBefore, int *graphCount, int *timelineCount)
{
    QElapsedTimer t;
    t.start();
    while ((*graphCount <= graphBefore || *timelineCount <= timelineBefore) && t.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    w.repaint(); // a full paint of every visible widget, synchronously
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// Until the transfers table has shown a list newer than `before` and the rows in sight are
// filled, then paints it.
void waitTable(TransfersDock &dock, int *lists, int before)
{
    QElapsedTimer t;
    t.start();
    auto visibleLoaded = [&dock] {
        const int row = std::max(0, dock.tableView()->rowAt(dock.tableView()->viewport()->height() - 1));
        return dock.model()->rowCount() == 0 || dock.model()->isPageLoaded(row / TransferTableModel::kPageSize);
    };
    while ((*lists <= before || dock.busy() || !visibleLoaded()) && t.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    dock.repaint();
}

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double ms(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// Where a filter change goes, one part at a time, on this thread (what the workers run): the
// graph query, grouping, Graphviz (uncached), the timeline query (300 bins), the pivot bar's choices.
void breakdown(const QString &casePath, const FilterState &f, const char *label)
{
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
    QElapsedTimer t;
    t.start();
    GraphData g = queryGraph(*cs, f);
    const double query = ms(t);
    const size_t hosts = g.hosts.size();
    t.restart();
    g = aggregateGraph(g, HostGrouping::Auto);
    const double group = ms(t);
    graph::LayoutInput in;
    for (const GraphHost &h : g.hosts) {
        const QSizeF sz = graphNodeSize(h);
        in.nodes.push_back({h.id, sz.width(), sz.height(), false, 0, 0});
    }
    for (const GraphEdge &e : g.edges)
        in.edges.push_back({e.id, e.source, e.target, static_cast<double>(e.count)});
    t.restart();
    const graph::LayoutResult lr = graph::GraphvizLayout().layout(in);
    const double layout = ms(t);
    t.restart();
    const TimelineData tl = queryTimeline(*cs, f, 0, 0, 300, false);
    const double timeline = ms(t);
    t.restart();
    const PivotChoices pc = queryPivotChoices(*cs, f);
    const double pivots = ms(t);
    std::printf("| %-22s | %4zu -> %3zu nodes, %4zu edges | %6.0f | %5.1f | %6.0f | %6.0f | %6.0f |\n", label, hosts,
        g.hosts.size(), g.edges.size(), query, group, layout, timeline, pivots);
    // The density alone, from the counts kept at import (schema 12) and from the events.
    t.restart();
    const TimelineData counted = queryTimeline(cs->db(), f, 0, 0, 300, false, DensityFrom::Events);
    const double countedMs = ms(t);
    std::printf("|   timeline %-11s | %lld events in %d bins: kept counts %.1f ms, counting the events %.1f ms |\n",
        label, static_cast<long long>(tl.eventsInWindow), tl.bins(), timeline, countedMs);
    (void)lr;
    (void)pc;
    (void)counted;
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    spdlog::set_level(spdlog::level::warn);
    QString casePath, workdir = QDir::tempPath();
    qint64 events = 1000000;
    int hosts = 60;
    int hops = 12; // attacker transfers asked of the generator (it adds benign admin copies)
    int syntheticTransfers = 100000;
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--case") && i + 1 < args.size())
            casePath = args[++i];
        else if (args[i] == QLatin1String("--events") && i + 1 < args.size())
            events = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--hops") && i + 1 < args.size())
            hops = args[++i].toInt();
        else if (args[i] == QLatin1String("--hosts") && i + 1 < args.size())
            hosts = args[++i].toInt();
        else if (args[i] == QLatin1String("--transfers") && i + 1 < args.size())
            syntheticTransfers = args[++i].toInt();
        else if (args[i] == QLatin1String("--workdir") && i + 1 < args.size())
            workdir = args[++i];
        else {
            std::fprintf(stderr,
                "usage: bench_gui [--case CASE] [--events N] [--hosts H] [--hops T] [--transfers N] [--workdir DIR]\n");
            return 64;
        }
    }
    QTemporaryDir tmp(workdir + QStringLiteral("/tt-bench-gui-XXXXXX"));
    if (!workDirUsable(tmp, "bench_gui"))
        return 1;
    if (casePath.isEmpty()) {
        // Built in a child process so that the workbench's peak memory below is its own.
        casePath = tmp.path() + QStringLiteral("/bench.ttcase");
        const pid_t child = fork();
        if (child == 0) {
            gen::Options o;
            o.hosts = hosts;
            o.days = 5;
            o.events = events;
            o.seed = 4242;
            o.attackerHops = hops;
            o.outDir = tmp.path() + QStringLiteral("/gen");
            const gen::Summary g = gen::generate(o);
            auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            std::vector<std::string> files;
            for (const QString &f : g.files)
                files.push_back(f.toStdString());
            engine.run(files);
            inference::InferenceEngine(*cs).run();
            buildSearchIndex(cs->db()); // as the workbench does in the background after an import
            cs->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
            _exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "building the case failed\n");
            return 1;
        }
    }
    QApplication app(argc, argv);
    qint64 caseEvents = 0, caseTransfers = 0, caseHosts = 0;
    {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        caseEvents = cs->db().queryInt("SELECT count(*) FROM events");
        caseTransfers = cs->db().queryInt("SELECT count(*) FROM transfers");
        caseHosts = cs->db().queryInt("SELECT count(*) FROM hosts");
    }
    std::printf("bench_gui: case %s: %lld events, %lld hosts, %lld transfers; peak before the window %ld MiB\n\n",
        qPrintable(casePath), static_cast<long long>(caseEvents), static_cast<long long>(caseHosts),
        static_cast<long long>(caseTransfers), peakRssMb());

    FilterHistory filter;
    Selection selection;
    WorkbenchWindow window(&filter, &selection);
    window.resize(1600, 1000);
    window.show();
    int graphs = 0, timelines = 0, tables = 0;
    double tableOpenMs = -1;
    QElapsedTimer t;
    QObject::connect(window.graphView(), &TransferGraphView::graphShown, [&] { ++graphs; });
    QObject::connect(window.transfersDock(), &TransfersDock::listShown, [&] {
        if (++tables == 1)
            tableOpenMs = ms(t);
    });
    QObject::connect(window.timelineView(), &TimelineView::dataLoaded, [&] { ++timelines; });
    QCoreApplication::processEvents();

    std::printf(
        "| step                                   | ms     |\n|----------------------------------------|--------|\n");
    t.start();
    window.openCase(casePath);
    waitViews(window, 0, 0, &graphs, &timelines);
    std::printf("| open case -> graph + timeline painted  | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);
    waitTable(*window.transfersDock(), &tables, 0);
    std::printf("| open case -> transfers table listed    | %6.0f |\n", tableOpenMs);
    // Sort by every column in turn (descending, so that the first time column changes too), from
    // the request until the first page of the new order is painted; worst and median printed.
    auto sortEvery = [](TransfersDock &dock, int *lists, const char *what) {
        std::vector<double> times;
        QString worstName;
        double worst = -1;
        for (int c = 0; c < static_cast<int>(TransferColumn::Count); ++c) {
            const int before = *lists;
            QElapsedTimer w;
            w.start();
            dock.sortBy(static_cast<TransferColumn>(c), Qt::DescendingOrder);
            waitTable(dock, lists, before);
            times.push_back(ms(w));
            if (times.back() > worst) {
                worst = times.back();
                worstName = dock.model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
            }
        }
        std::vector<double> sorted = times;
        std::sort(sorted.begin(), sorted.end());
        std::printf(
            "| %s sort, each of %zu columns: median | %6.0f |\n", what, times.size(), sorted[sorted.size() / 2]);
        std::printf("| %s sort: slowest (%-18s) | %6.0f |\n", what, qPrintable(worstName.left(18)), worst);
        const int before = *lists;
        dock.sortBy(TransferColumn::FirstTs, Qt::AscendingOrder);
        waitTable(dock, lists, before);
    };
    sortEvery(*window.transfersDock(), &tables, "table");
    if (window.transfersDock()->model()->totalCount() != caseTransfers)
        std::printf("(the table lists %d transfers, not %lld)\n", window.transfersDock()->model()->totalCount(),
            static_cast<long long>(caseTransfers));

    // Account pivot: the account with the most transfers.
    qint64 account = 0;
    {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        account = cs->db().queryInt("SELECT account_id FROM transfers WHERE account_id IS NOT NULL GROUP BY account_id "
                                    "ORDER BY count(*) DESC LIMIT 1");
    }
    FilterState f;
    f.accounts.insert(account);
    int g0 = graphs, t0 = timelines;
    t.restart();
    filter.apply(f);
    waitViews(window, g0, t0, &graphs, &timelines);
    std::printf("| account pivot -> graph + timeline      | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);

    // Brush: the middle third of the case's time span.
    qint64 first = 0, last = 0;
    {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        first = cs->db().queryInt("SELECT min(first_ts) FROM sources");
        last = cs->db().queryInt("SELECT max(last_ts) FROM sources");
    }
    f = FilterState {};
    f.fromUs = first + (last - first) / 3;
    f.toUs = first + 2 * (last - first) / 3;
    g0 = graphs;
    t0 = timelines;
    t.restart();
    filter.apply(f);
    waitViews(window, g0, t0, &graphs, &timelines);
    std::printf("| time brush -> graph + timeline         | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);

    g0 = graphs;
    t0 = timelines;
    t.restart();
    filter.back();
    waitViews(window, g0, t0, &graphs, &timelines);
    std::printf("| back (filter history)                  | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);

    // Parent-process pivot: the parent image of the most transfers' source processes.
    QString parentImage;
    {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        auto st = cs->db().prepare(
            "SELECT min(p.parent_image) FROM transfers t JOIN processes p ON p.id = t.src_process_id "
            "WHERE p.parent_image IS NOT NULL GROUP BY p.parent_image COLLATE NOCASE "
            "ORDER BY count(*) DESC LIMIT 1");
        if (st.step())
            parentImage = QString::fromStdString(st.text(0));
    }
    FilterState pf;
    if (!parentImage.isEmpty())
        pf.parentImages << parentImage;
    g0 = graphs;
    t0 = timelines;
    t.restart();
    filter.apply(pf);
    waitViews(window, g0, t0, &graphs, &timelines);
    std::printf("| parent-image pivot -> graph + timeline | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);
    g0 = graphs;
    t0 = timelines;
    t.restart();
    filter.apply(f);
    waitViews(window, g0, t0, &graphs, &timelines);
    std::printf("| account pivot again (layout cached)    | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);

    std::printf(
        "\nWhere a filter change goes (ms, one part at a time on one thread; layout uncached):\n\n"
        "| filter                 | graph                           | query | group | layout | timeline | pivot bar |\n"
        "|------------------------|---------------------------------|-------:|------:|-------:|-------:|-------:|\n");
    graph::LayoutCache::shared().clear();
    breakdown(casePath, FilterState {}, "none (open)");
    FilterState af;
    af.accounts.insert(account);
    breakdown(casePath, af, "account");
    if (!parentImage.isEmpty())
        breakdown(casePath, pf, "parent image");
    std::printf("\n");

    // Tool spread (issue 11): the file with the most transfers, asked from one of its transfers and
    // by name; query on a worker, then the tree and the picture built and painted.
    qint64 spreadTransfer = 0;
    QString spreadName;
    {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        auto st = cs->db().prepare("SELECT min(id), min(file_name), count(*) FROM transfers GROUP BY lower(file_name) "
                                   "ORDER BY 3 DESC LIMIT 1");
        if (st.step()) {
            spreadTransfer = st.int64(0);
            spreadName = QString::fromStdString(st.text(1));
        }
    }
    int spreads = 0;
    QObject::connect(window.spreadView(), &SpreadView::shown, [&] { ++spreads; });
    auto waitSpread = [&](int before) {
        QElapsedTimer w;
        w.start();
        while (spreads <= before && w.elapsed() < 120000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        window.repaint();
    };
    t.restart();
    window.showSpreadForTransfer(spreadTransfer);
    waitSpread(0);
    std::printf("| spread view from a transfer (%4zu hops) | %6.0f |\n", window.spreadView()->result().hops.size(),
        static_cast<double>(t.nsecsElapsed()) / 1e6);
    t.restart();
    window.showSpreadForFile(spreadName);
    waitSpread(1);
    std::printf("| spread view by file name               | %6.0f |\n", static_cast<double>(t.nsecsElapsed()) / 1e6);
    // Event browser: first page, a deep scroll (50 pages appended as the table scrolls), a
    // full-text search (first page), each until the page is applied on the UI thread.
    EventBrowserDock *browser = window.eventBrowser();
    auto waitPage = [&](const std::function<void()> &start) {
        int pages = 0;
        auto conn = QObject::connect(browser, &EventBrowserDock::pageShown, [&] { ++pages; });
        QElapsedTimer w;
        w.start();
        start();
        while (pages == 0 && w.elapsed() < 120000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QObject::disconnect(conn);
        return static_cast<double>(w.nsecsElapsed()) / 1e6;
    };
    if (QWidget *dock = browser->parentWidget()) { // the table scrolls only when it shows
        dock->show();
        dock->raise();
    }
    // Each browser item alone: the graph and timeline of this filter change done first (at 10 M
    // events the timeline query takes seconds and would share the CPU with the page).
    g0 = graphs;
    t0 = timelines;
    filter.apply(FilterState {});
    waitViews(window, g0, t0, &graphs, &timelines);
    while (browser->model()->loading())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    std::printf(
        "| event browser: first page              | %6.0f |\n", waitPage([&] { browser->setSearch(QString()); }));
    double scroll = 0;
    int scrolled = 0;
    // The table may have asked for the next page itself; then the wait is for that one.
    for (; scrolled < 50 && !browser->model()->atEnd(); ++scrolled)
        scroll += waitPage([&] {
            if (browser->model()->canFetchMore({}))
                browser->model()->fetchMore({});
        });
    std::printf("| event browser: next page (%2d deeper)   | %6.0f |\n", scrolled, scrolled ? scroll / scrolled : 0.0);
    // A deep page: the browser under a time window starting 90 % into the case (what a brush or
    // an "around this" pivot late in the case shows), then 10 pages scrolled from there.
    {
        FilterState late;
        late.fromUs = first + (last - first) / 10 * 9;
        g0 = graphs;
        t0 = timelines;
        std::printf("| event browser: first page 90 %% in      | %6.0f |\n", waitPage([&] { filter.apply(late); }));
        waitViews(window, g0, t0, &graphs, &timelines); // the brush's graph and timeline, before scrolling
        double deep = 0;
        int n = 0;
        for (; n < 10 && !browser->model()->atEnd(); ++n)
            deep += waitPage([&] {
                if (browser->model()->canFetchMore({}))
                    browser->model()->fetchMore({});
            });
        std::printf("| event browser: next page 90 %% in (%2d)  | %6.0f |\n", n, n ? deep / n : 0.0);
        g0 = graphs;
        t0 = timelines;
        waitPage([&] { filter.apply(FilterState {}); });
        waitViews(window, g0, t0, &graphs, &timelines);
    }
    // Full-text search, first page: a rare file name, a path substring, command-line substrings.
    for (const char *q : {"psexesvc", "\\Windows\\Temp\\", "cmd.exe /c", "-accepteula"}) {
        const double msec = waitPage([&] { browser->setSearch(QString::fromUtf8(q)); });
        std::printf("| event browser: search %-16s | %6.0f | %d rows%s\n", (std::string("\"") + q + "\"").c_str(), msec,
            browser->model()->rowCount(), browser->model()->atEnd() ? "" : "+");
    }
    std::printf("(browser status: %s)\n", qPrintable(browser->statusText()));
    browser->setSearch(QString());
    // Where a page's CPU goes, on this thread (best of 5): opening the case (each worker query
    // opens its own read-only store), the first page on that fresh store, the next page.
    {
        double openBest = 1e9, firstBest = 1e9, nextBest = 1e9;
        for (int k = 0; k < 5; ++k) {
            double c0 = threadCpuMs();
            auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
            openBest = std::min(openBest, threadCpuMs() - c0);
            c0 = threadCpuMs();
            const EventPage page = queryEventPage(*cs, EventBrowserScope {}, EventCursor {});
            firstBest = std::min(firstBest, threadCpuMs() - c0);
            c0 = threadCpuMs();
            const EventPage second = queryEventPage(*cs, EventBrowserScope {}, page.next);
            nextBest = std::min(nextBest, threadCpuMs() - c0);
            if (page.rows.empty() || second.rows.empty())
                std::fprintf(stderr, "event pages empty\n");
        }
        std::printf("| event page CPU ms: open the store      | %6.1f |\n", openBest);
        std::printf("| event page CPU ms: first page          | %6.1f |\n", firstBest);
        std::printf("| event page CPU ms: next page           | %6.1f |\n", nextBest);
    }

    // Layout alone: 200 hosts, 400 edges (a random tree plus cross links), sfdp.
    graph::LayoutInput in;
    std::mt19937 rng(1);
    for (int i = 1; i <= 200; ++i)
        in.nodes.push_back({i, 140, 42, false, 0, 0});
    int eid = 1;
    for (int i = 2; i <= 200; ++i)
        in.edges.push_back({eid++, int64_t(rng() % (i - 1) + 1), i, 1});
    for (int k = 0; k < 200; ++k)
        in.edges.push_back({eid++, int64_t(rng() % 200 + 1), int64_t(rng() % 200 + 1), 1});
    const graph::LayoutResult lr = graph::GraphvizLayout().layout(in);
    std::printf("| Graphviz layout, 200 hosts / 399 edges | %6.0f |\n", lr.milliseconds);

    // The transfers table alone on a case of many synthetic transfers (no events).
    if (syntheticTransfers > 0) {
        const QString big = tmp.path() + QStringLiteral("/transfers.ttcase");
        QString error;
        if (buildTransferCase(big, syntheticTransfers, 1200, {}, &error).empty()) {
            std::fprintf(stderr, "building the transfers case failed: %s\n", qPrintable(error));
            return 1;
        }
        FilterHistory noFilter; // the window's still holds the account pivot
        TransfersDock dock(&noFilter, &selection);
        dock.resize(1400, 500);
        dock.show();
        int lists = 0;
        QObject::connect(&dock, &TransfersDock::listShown, [&] { ++lists; });
        t.restart();
        dock.setCase(big);
        waitTable(dock, &lists, 0);
        std::printf("| table open, %6d transfers (1st page) | %6.0f |\n", syntheticTransfers, ms(t));
        // The sort keys are read in the background after the first list: a sort asked before
        // they are in waits for them; every sort after is a permutation in memory.
        {
            QElapsedTimer w;
            w.start();
            const int before = lists;
            dock.sortBy(TransferColumn::Path, Qt::AscendingOrder);
            waitTable(dock, &lists, before);
            std::printf("| table sort at once after open (path)   | %6.0f |\n", ms(w));
        }
        while (!dock.sortKeysReady() && t.elapsed() < 120000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        std::printf("| table open -> sort keys read            | %6.0f |\n", ms(t));
        sortEvery(dock, &lists, "100k");
        t.restart();
        int before = lists; // sortBy may list at once (a reversal)
        dock.sortBy(TransferColumn::Account, Qt::AscendingOrder);
        waitTable(dock, &lists, before);
        std::printf("| table sort by account (1st page)       | %6.0f |\n", ms(t));
        t.restart();
        before = lists;
        dock.sortBy(TransferColumn::Account, Qt::DescendingOrder);
        waitTable(dock, &lists, before);
        std::printf("| table same column reversed (1st page)  | %6.0f |\n", ms(t));
        // Jump to the last row (an edge picked in the graph can be anywhere in the list).
        t.restart();
        dock.model()->revealThrough(dock.model()->totalCount() - 1);
        dock.tableView()->scrollToBottom();
        waitTable(dock, &lists, lists - 1); // no new list: the last page in sight, filled and painted
        std::printf("| table jump to the last row, painted    | %6.0f |\n", ms(t));
        std::printf("(table: %d rows listed, %d revealed; %s)\n", dock.model()->totalCount(), dock.model()->rowCount(),
            qPrintable(dock.statusText()));
        // The id query of a sort alone, in CPU time of this thread, best of 3 (on a shared machine
        // the load stretches wall times; CPU time says what the query itself costs).
        auto cs = store::CaseStore::open(big.toStdString(), store::CaseStore::Access::ReadOnly);
        // The sort keys of every column (read once per case data, in the background after the
        // first list) and a sort with them: a permutation of the listed ids in memory.
        double keysBest = 1e9;
        TransferSortKeys keys;
        for (int k = 0; k < 3; ++k) {
            const double c0 = threadCpuMs();
            keys = readTransferSortKeys(*cs);
            keysBest = std::min(keysBest, threadCpuMs() - c0);
        }
        std::printf("| sort keys, every column: read, CPU ms  | %6.1f |\n", keysBest);
        const QVector<qint64> listed = dock.model()->ids();
        for (int c = 0; c < static_cast<int>(TransferColumn::Count); ++c) {
            double best = 1e9;
            for (int k = 0; k < 3; ++k) {
                const double c0 = threadCpuMs();
                const QVector<qint64> ids = sortTransferIds(keys, listed, static_cast<TransferColumn>(c), k % 2 == 1);
                best = std::min(best, threadCpuMs() - c0);
                if (ids.size() != listed.size())
                    std::fprintf(stderr, "in-memory sort lost ids\n");
            }
            std::printf("| sort by %-11s: in memory, CPU ms  | %6.1f |\n",
                dock.model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().toUtf8().constData(), best);
        }
        // The SQL sort (what a column did before the keys, and does before they are read).
        for (int c = 0; c < static_cast<int>(TransferColumn::Count); ++c) {
            const auto column = static_cast<TransferColumn>(c);
            const QByteArray header = dock.model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().toUtf8();
            const char *name = header.constData();
            double best = 1e9;
            for (int k = 0; k < 3; ++k) {
                TransferTableSpec spec;
                spec.sortColumn = column;
                spec.descending = k % 2 == 1;
                const double c0 = threadCpuMs();
                const QVector<qint64> ids = queryTransferTableIds(*cs, spec);
                best = std::min(best, threadCpuMs() - c0);
                if (ids.size() != dock.model()->totalCount())
                    std::fprintf(stderr, "sort by %s listed %lld ids\n", name, static_cast<long long>(ids.size()));
            }
            std::printf("| sort by %-11s: id query, CPU ms  | %6.1f |\n", name, best);
        }
    }
    std::printf("\npeak resident memory of the process: %ld MiB\n", peakRssMb());
    return 0;
}
