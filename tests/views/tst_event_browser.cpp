// The event browser (issue 11): keyset pages over every event under the filter, the full-text
// search (trigram FTS5, schema v5) with hostile input, the time-window pivot, a v4 case migrated
// and indexed, and a superseded query cancelled. Query-level checks run on the case directly;
// widget checks drive EventBrowserDock offscreen.

#include "EventBrowserDock.h"
#include "PivotActions.h"
#include "items/EventBrowserModel.h"
#include "query/EventBrowserQuery.h"
#include "query/EventSearchIndexer.h"
#include "store/CaseStore.h"
#include "store/CaseWriter.h"
#include "store/Schema.h"
#include "store/SearchIndex.h"
#include "store/Sqlite.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

using namespace tt;

namespace {

constexpr int64_t kSec = 1000000;
constexpr int64_t kT0 = 1700000000LL * kSec;
constexpr int kEvents = 523;
constexpr int kUntimed = 3;

struct Built {
    int64_t ws1 = 0, ws2 = 0, dc1 = 0;
    int64_t psexecEvent = 0; // the event whose command line copies psexesvc.exe
    int64_t psexecTs = 0;
    int64_t transfer = 0;
};

// A case through the real writer: kEvents events on three hosts (ties on ts, a few without a time),
// Sysmon 1 / 11 and Security 4624 with images, command lines and target files; one transfer
// whose evidence is two events.
Built buildCase(const QString &path)
{
    Built b;
    auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);
    store::CaseWriter w(cs->db());
    w.begin({"fixture.jsonl", 1, 1, "jsonl", "test", "1"});
    b.ws1 = w.hostId("WS1");
    b.ws2 = w.hostId("WS2");
    b.dc1 = w.hostId("DC1");
    const int64_t hosts[] = {b.ws1, b.ws2, b.dc1};
    const int64_t account = w.accountId("CORP", "adm", "");
    for (int i = 0; i < kEvents; ++i) {
        QJsonObject o;
        const int kind = i % 3;
        const int eventId = kind == 0 ? 1 : kind == 1 ? 11 : 4624;
        o.insert("EventID", eventId);
        QString cmd = QStringLiteral("cmd.exe /c echo step%1").arg(i);
        QString target = QStringLiteral("C:\\Users\\adm\\file%1.txt").arg(i);
        if (i == 300) {
            cmd = QStringLiteral("cmd.exe /c copy \\\\DC1\\ADMIN$\\PSEXESVC.exe C:\\Temp\\x.exe");
            target = QStringLiteral("C:\\Windows\\PSEXESVC.exe");
        }
        o.insert("Image", QStringLiteral("C:\\Windows\\System32\\cmd.exe"));
        o.insert("CommandLine", cmd);
        o.insert("TargetFilename", target);
        const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
        store::EventRow r;
        if (i >= kUntimed)
            r.ts = kT0 + (i / 2) * 7 * kSec; // pairs share a time: ties are ordered by id
        r.hostId = hosts[i % 3];
        r.channel = kind == 2 ? "Security" : "Microsoft-Windows-Sysmon/Operational";
        r.eventId = eventId;
        r.accountId = kind == 2 ? account : 0;
        r.position = i + 1;
        r.payloadFormat = 2;
        r.payload = std::string_view(json.constData(), static_cast<size_t>(json.size()));
        const int64_t id = w.insertEvent(r);
        if (i == 300) {
            b.psexecEvent = id;
            b.psexecTs = r.ts;
        }
    }
    store::SourceCounts counts;
    counts.read = counts.stored = kEvents;
    w.commit("fixture-sha", counts);
    sql::Db &db = cs->db();
    db.exec("INSERT INTO transfers(src_host_id, dst_host_id, file_name, method, direction, first_ts, last_ts, "
            "confidence, confidence_label, rules) VALUES(1, 3, 'PSEXESVC.exe', 'psexec-service-binary', 'push', "
        + std::to_string(b.psexecTs) + ", " + std::to_string(b.psexecTs) + ", 0.9, 'high', 'test')");
    b.transfer = db.lastInsertId();
    auto ev = db.prepare("INSERT INTO transfer_evidence(transfer_id, event, role, rule) VALUES(?, ?, ?, 'test')");
    ev.bind(1, b.transfer).bind(2, b.psexecEvent).bind(3, std::string_view("dst-write"));
    ev.exec();
    ev.bind(1, b.transfer).bind(2, b.psexecEvent + 1).bind(3, std::string_view("dst-exec"));
    ev.exec();
    return b;
}

std::vector<int64_t> expectedOrder(sql::Db &db, const std::string &where = "1=1")
{
    std::vector<int64_t> out;
    auto st = db.prepare("SELECT id FROM events WHERE " + where + " ORDER BY ts IS NOT NULL, ts, id");
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

std::vector<int64_t> allPages(sql::Db &db, const EventBrowserScope &scope, int limit, int *pages = nullptr)
{
    std::vector<int64_t> out;
    EventCursor c;
    for (int guard = 0; guard < 10000; ++guard) {
        const EventPage p = queryEventPage(db, scope, c, limit);
        if (!p.error.isEmpty())
            qWarning("%s", qPrintable(p.error));
        for (const EventBrowserRow &r : p.rows)
            out.push_back(r.id);
        if (pages)
            ++*pages;
        c = p.next;
        if (p.atEnd)
            break;
    }
    return out;
}

// Scrolls the dock's table to the end (every page) and returns the ids shown.
std::vector<int64_t> dockRows(EventBrowserDock &dock)
{
    EventBrowserModel *m = dock.model();
    for (int guard = 0; guard < 1000; ++guard) {
        if (!m->loading() && m->atEnd())
            break;
        if (m->canFetchMore({}))
            m->fetchMore({});
        QSignalSpy spy(&dock, &EventBrowserDock::pageShown);
        if (m->loading() && !spy.wait(10000))
            break;
    }
    std::vector<int64_t> out;
    for (int r = 0; r < m->rowCount(); ++r)
        out.push_back(m->rowAt(r)->id);
    return out;
}

bool waitIdle(EventBrowserDock &dock)
{
    return QTest::qWaitFor([&] { return !dock.model()->loading(); }, 10000);
}

} // namespace

class TestEventBrowser : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;
    Built m_b;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath("browser.ttcase");
        m_b = buildCase(m_path);
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadWrite);
        const SearchIndexBuild b = buildSearchIndex(cs->db(), nullptr, {}, 100); // several batches
        QVERIFY2(b.error.isEmpty(), qPrintable(b.error));
        QCOMPARE(b.indexed, int64_t(kEvents));
        QCOMPARE(store::searchPendingEvents(cs->db()), int64_t(0));
    }

    void pagingReturnsEveryEventOnceInOrder_data()
    {
        QTest::addColumn<int>("limit");
        QTest::newRow("1") << 1;
        QTest::newRow("2 (untimed events end a page)") << 2;
        QTest::newRow("50") << 50;
        QTest::newRow("200") << 200;
        QTest::newRow("larger than the case") << 1000;
    }
    void pagingReturnsEveryEventOnceInOrder()
    {
        QFETCH(int, limit);
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
        int pages = 0;
        const std::vector<int64_t> got = allPages(cs->db(), {}, limit, &pages);
        QCOMPARE(got, expectedOrder(cs->db()));
        QVERIFY(pages >= kEvents / limit);
    }

    void filtersByHostEventIdAndTime()
    {
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
        EventBrowserScope s;
        s.filter.hosts = {m_b.ws2};
        QCOMPARE(allPages(cs->db(), s, 40), expectedOrder(cs->db(), "host_id = " + std::to_string(m_b.ws2)));
        s = {};
        s.eventId = 11;
        QCOMPARE(allPages(cs->db(), s, 40), expectedOrder(cs->db(), "event_id = 11"));
        s.channel = "Security";
        QVERIFY(allPages(cs->db(), s, 40).empty()); // 11 is a Sysmon id
        s = {};
        s.filter.fromUs = kT0 + 100 * kSec;
        s.filter.toUs = kT0 + 200 * kSec;
        const std::vector<int64_t> window = allPages(cs->db(), s, 7);
        QCOMPARE(window,
            expectedOrder(
                cs->db(), "ts >= " + std::to_string(s.filter.fromUs) + " AND ts <= " + std::to_string(s.filter.toUs)));
        QVERIFY(!window.empty());
        s = {};
        s.methodRelevant = true;
        QCOMPARE(allPages(cs->db(), s, 40), (std::vector<int64_t> {m_b.psexecEvent, m_b.psexecEvent + 1}));
    }

    void searchFindsSubstrings()
    {
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
        EventBrowserScope s;
        for (const char *q : {"copy \\\\DC1\\ADMIN$", "C:\\Windows\\psexesvc.exe", "psexesvc", "PSEXESVC.EXE",
                 "\\DC1\\admin$ psexesvc"}) {
            s.search = QString::fromUtf8(q);
            QCOMPARE(allPages(cs->db(), s, 50), std::vector<int64_t> {m_b.psexecEvent});
        }
        // A common substring: every timed event, in (time, id) order, each once, over many pages.
        s.search = "cmd.exe";
        QCOMPARE(allPages(cs->db(), s, 9), expectedOrder(cs->db()));
        // With the filter: host and time window apply to search hits.
        s.search = "step1";
        s.filter.hosts = {m_b.ws1};
        for (int64_t id : allPages(cs->db(), s, 5))
            QCOMPARE(
                cs->db().queryInt(("SELECT host_id FROM events WHERE id = " + std::to_string(id)).c_str()), m_b.ws1);
    }

    void hostileSearchNeitherFailsNorMatchesEverything_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("nothingToSearch");
        QTest::newRow("quote") << "\"" << true;
        QTest::newRow("quotes and OR") << "\" OR \"\"" << true;
        QTest::newRow("star") << "*" << true;
        QTest::newRow("three stars") << "***" << false;
        QTest::newRow("NEAR") << "NEAR(cmd exe, 2)" << false;
        QTest::newRow("column filter") << "text:cmd" << false;
        QTest::newRow("sql") << "'); DROP TABLE events; --" << false;
        QTest::newRow("caret and minus") << "^cmd -exe" << false;
        QTest::newRow("unbalanced") << "(((cmd" << false;
    }
    void hostileSearchNeitherFailsNorMatchesEverything()
    {
        QFETCH(QString, text);
        QFETCH(bool, nothingToSearch);
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
        EventBrowserScope s;
        s.search = text;
        const EventPage p = queryEventPage(cs->db(), s, {}, 1000);
        QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
        QCOMPARE(p.nothingToSearch, nothingToSearch);
        QCOMPARE(p.rows.size(), size_t(0)); // none of these strings is in any event
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events"), int64_t(kEvents));
    }

    void ftsQueryQuotesEveryWord()
    {
        std::vector<std::string> dropped;
        QCOMPARE(store::ftsQueryForText("C:\\Windows\\x.exe  a\"b\"c  ab", &dropped),
            std::string("\"C:\\Windows\\x.exe\" \"a\"\"b\"\"c\""));
        QCOMPARE(dropped, std::vector<std::string> {"ab"});
        QCOMPARE(store::ftsQueryForText("  "), std::string());
        QCOMPARE(store::ftsQueryForText("\xc3\xa9t\xc3\xa9"), std::string("\"\xc3\xa9t\xc3\xa9\"")); // 3 characters
    }

    void dockPagesFiltersAndShowsDetails()
    {
        FilterHistory filter;
        Selection selection;
        EventBrowserDock dock(&filter, &selection);
        dock.resize(900, 300);
        dock.show();
        dock.setCase(m_path, false);
        QVERIFY(waitIdle(dock));
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
        QCOMPARE(dockRows(dock), expectedOrder(cs->db()));
        QVERIFY(dock.statusText().contains(QString::number(kEvents)));
        // Column chooser: a payload field as a column, a fixed column hidden.
        dock.addPayloadColumn("TargetFilename");
        QVERIFY(waitIdle(dock));
        QCOMPARE(dock.model()->columnCount(), int(EventBrowserModel::FixedColumns) + 1);
        dockRows(dock);
        const int row = dock.model()->rowOfEvent(m_b.psexecEvent);
        QVERIFY(row >= 0);
        QCOMPARE(dock.model()->index(row, EventBrowserModel::FixedColumns).data().toString(),
            QString("C:\\Windows\\PSEXESVC.exe"));
        std::unique_ptr<QMenu> menu(dock.columnMenu(&dock));
        QAction *hostColumn = menu->findChild<QAction *>(QStringLiteral("column%1").arg(EventBrowserModel::Host));
        QVERIFY(hostColumn);
        hostColumn->toggle();
        QVERIFY(dock.tableView()->isColumnHidden(EventBrowserModel::Host));
        // A picked row is the selected event (the Details view follows Selection).
        dock.tableView()->selectRow(row);
        QCOMPARE(selection.current().kind, SelectedEntities::Kind::Event);
        QCOMPARE(selection.current().events, QVector<qint64> {m_b.psexecEvent});
        // Host and event id filters.
        filter.apply([&] {
            FilterState f;
            f.hosts = {m_b.dc1};
            return f;
        }());
        dock.setEventId(4624);
        QVERIFY(waitIdle(dock));
        QCOMPARE(
            dockRows(dock), expectedOrder(cs->db(), "host_id = " + std::to_string(m_b.dc1) + " AND event_id = 4624"));
    }

    // The browser's pages have a thread of their own: a page asked while every thread of the
    // global pool is held by other views' queries (a filter change's graph and timeline take
    // seconds at millions of events; the search index build takes minutes) still arrives.
    void pagesDoNotQueueBehindOtherQueries()
    {
        FilterHistory filter;
        Selection selection;
        // Not shown: painting may wait for the global pool itself (Qt converts images on it).
        EventBrowserDock dock(&filter, &selection);
        dock.setCase(m_path, false);
        QVERIFY(waitIdle(dock));
        QThreadPool *pool = QThreadPool::globalInstance();
        QSemaphore release;
        QAtomicInt started;
        const int n = pool->maxThreadCount();
        for (int i = 0; i < n; ++i)
            pool->start([&release, &started] {
                started.fetchAndAddOrdered(1);
                release.acquire();
            });
        QTRY_COMPARE_WITH_TIMEOUT(started.loadAcquire(), n, 10000);
        QSignalSpy shown(&dock, &EventBrowserDock::pageShown);
        dock.setSearch(QStringLiteral("psexesvc"));
        QElapsedTimer t;
        t.start();
        while (shown.count() == 0 && t.elapsed() < 10000)
            QTest::qWait(10);
        const bool arrived = shown.count() > 0;
        release.release(n); // the pool's threads free again, whatever the outcome
        pool->waitForDone();
        QVERIFY(arrived);
        QVERIFY(dock.model()->rowOfEvent(m_b.psexecEvent) >= 0);
    }

    // The "5 minutes either side" pivot (a timeline marker, an evidence row, a graph item) used to
    // reach only the Events / Evidence dock, which lists the evidence of a selection: with no
    // selection, or one the window does not change, it showed no event of the window. The browser
    // follows the filter: the pivot lists every event in the window and asks to be shown.
    void aroundThisPivotShowsTheWindow()
    {
        FilterHistory filter;
        Selection selection;
        EventBrowserDock dock(&filter, &selection);
        dock.show();
        dock.setCase(m_path, false);
        QVERIFY(waitIdle(dock));
        QSignalSpy attention(&dock, &EventBrowserDock::attentionWanted);
        QMenu menu;
        PivotTarget t;
        t.ts = m_b.psexecTs;
        addPivotActions(&menu, t, &filter);
        QAction *window = menu.findChild<QAction *>(QStringLiteral("pivotWindow5m"));
        QVERIFY(window);
        window->trigger();
        QCOMPARE(attention.size(), 1);
        QVERIFY(waitIdle(dock));
        auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
        const std::vector<int64_t> expected = expectedOrder(cs->db(),
            "ts >= " + std::to_string(m_b.psexecTs - 300 * kSec)
                + " AND ts <= " + std::to_string(m_b.psexecTs + 300 * kSec));
        QVERIFY(expected.size() > 50);
        QCOMPARE(dockRows(dock), expected);
        QVERIFY(dock.model()->rowOfEvent(m_b.psexecEvent) >= 0);
    }

    void pivotBarTextSearchesEvents()
    {
        FilterHistory filter;
        Selection selection;
        EventBrowserDock dock(&filter, &selection);
        dock.show();
        dock.setCase(m_path, false);
        QVERIFY(waitIdle(dock));
        QSignalSpy attention(&dock, &EventBrowserDock::attentionWanted);
        FilterState f;
        f.text = "psexesvc";
        filter.apply(f);
        QCOMPARE(attention.size(), 1);
        QVERIFY(waitIdle(dock));
        QCOMPARE(dockRows(dock), std::vector<int64_t> {m_b.psexecEvent});
    }

    void supersededSearchIsCancelled()
    {
        // The mechanism: a query whose flag is set stops with SQLITE_INTERRUPT instead of finishing.
        {
            auto cs = store::CaseStore::open(m_path.toStdString(), store::CaseStore::Access::ReadOnly);
            EventBrowserScope s;
            s.search = "cmd.exe";
            const sql::CancelFlag flag = sql::makeCancelFlag();
            flag->store(true);
            const EventPage p = queryEventPage(cs->db(), s, {}, 1000, flag);
            QVERIFY(p.interrupted);
            QVERIFY(p.error.isEmpty());
            QVERIFY(p.rows.empty());
            // The connection works again afterwards (the handler is removed).
            QCOMPARE(queryEventPage(cs->db(), s, {}, 10).rows.size(), size_t(10));
        }
        // The dock: a new search sets the flag of the one it supersedes; only the new result shows.
        FilterHistory filter;
        Selection selection;
        EventBrowserDock dock(&filter, &selection);
        dock.show();
        dock.setCase(m_path, false);
        QVERIFY(waitIdle(dock));
        const int before = dock.cancelledQueries();
        dock.setSearch("cmd.exe");
        QVERIFY(dock.model()->loading());
        dock.setSearch("psexesvc");
        QCOMPARE(dock.cancelledQueries(), before + 1);
        QVERIFY(waitIdle(dock));
        QTest::qWait(0);
        QCOMPARE(dockRows(dock), std::vector<int64_t> {m_b.psexecEvent});
    }

    void v4CaseIsMigratedAndIndexed()
    {
        // A v4 case: what this build writes, without the v5 step (and so without the later ones).
        const QString path = m_dir.filePath("v4.ttcase");
        const Built b = buildCase(path);
        {
            auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
            cs->db().exec("DROP TABLE events_fts; DELETE FROM schema_version WHERE version >= 5; "
                          "DELETE FROM case_info WHERE key = 'search_indexed_through'");
        }
        FilterHistory filter;
        Selection selection;
        EventBrowserDock dock(&filter, &selection);
        dock.show();
        QSignalSpy indexed(&dock, &EventBrowserDock::indexFinished);
        {
            auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
            QCOMPARE(cs->migratedFrom(), 4);
            QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
            QCOMPARE(store::searchPendingEvents(cs->db()), int64_t(kEvents));
        }
        dock.setCase(path, true); // writable: indexes in the background
        QVERIFY(indexed.wait(30000));
        QVERIFY(!dock.indexing());
        dock.setSearch("C:\\Windows\\psexesvc");
        QVERIFY(waitIdle(dock));
        QCOMPARE(dockRows(dock), std::vector<int64_t> {b.psexecEvent});
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadOnly);
        QCOMPARE(store::searchPendingEvents(cs->db()), int64_t(0));
    }

    // What the first search page reports while the index is behind: counted when few ids lie
    // past the mark, else the span of ids (a count there scanned 10 M rows: 2-4 s per search).
    void pendingEventsCountedOrSpanned()
    {
        const QString path = m_dir.filePath("pending.ttcase");
        buildCase(path);
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
        sql::Db &db = cs->db();
        const int64_t last = db.queryInt("SELECT max(id) FROM events");
        const int64_t far = last + store::kExactPending + 1000;
        // One event far past the others: a gap in the ids, which only a hand edit makes.
        db.exec("CREATE TEMP TABLE one AS SELECT * FROM events WHERE id = " + std::to_string(last)
            + "; UPDATE one SET id = " + std::to_string(far) + "; INSERT INTO events SELECT * FROM one");
        store::setSearchIndexedThrough(db, 0);
        QCOMPARE(store::searchPendingEvents(db), far); // the span: no scan
        store::setSearchIndexedThrough(db, last - 3);
        QCOMPARE(store::searchPendingEvents(db), store::kExactPending + 1003); // still the span
        store::setSearchIndexedThrough(db, far - 10);
        QCOMPARE(store::searchPendingEvents(db), int64_t(1)); // few ids past the mark: counted
        store::setSearchIndexedThrough(db, far);
        QCOMPARE(store::searchPendingEvents(db), int64_t(0));
    }
};

QTEST_MAIN(TestEventBrowser)
#include "tst_event_browser.moc"
