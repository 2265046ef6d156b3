// Issue 13 item 6: a server case's events are partitioned by month with a BRIN index on ts
// (store/PgPartitions.h), and the workbench's main queries use that: the statements the real
// query code sends (time brush, account pivot, event browser pages, transfers table) are captured
// on the connection (PgDb::setStatementLog) and EXPLAINed with their own parameter values. The
// assertions are on plan node kinds and the partitions scanned, never on costs.
#include "pg/PgTestCluster.h"
#include "query/EventBrowserQuery.h"
#include "query/EventSearchIndexer.h"
#include "query/TimelineQuery.h"
#include "query/TransferTableQuery.h"
#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/PgDb.h"
#include "store/PgPartitions.h"
#include "store/PgSchema.h"
#include "store/Sqlite.h"
#include "workbench/FilterState.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <libpq-fe.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace tt;

namespace {

QString binary()
{
    return QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace");
}

struct Scan {
    std::string node, relation, index;
};

void collect(const QJsonObject &plan, std::vector<Scan> *out)
{
    Scan s;
    s.node = plan.value(QStringLiteral("Node Type")).toString().toStdString();
    s.relation = plan.value(QStringLiteral("Relation Name")).toString().toStdString();
    s.index = plan.value(QStringLiteral("Index Name")).toString().toStdString();
    out->push_back(s);
    for (const QJsonValue child : plan.value(QStringLiteral("Plans")).toArray())
        collect(child.toObject(), out);
}

bool isEventsRelation(const std::string &r)
{
    return r == "events" || (r.rfind("events_", 0) == 0 && r.rfind("events_fts", 0) != 0);
}

// The plan of one captured statement, run with its own parameters.
std::vector<Scan> explain(pg_conn *conn, const sql::PgStatementRecord &rec, std::string *text)
{
    const std::string sql = "EXPLAIN (FORMAT JSON) " + rec.sql;
    std::vector<const char *> values(rec.values.size());
    std::vector<int> lengths(rec.values.size()), formats(rec.values.size());
    for (size_t i = 0; i < rec.values.size(); ++i) {
        values[i] = rec.nulls[i] ? nullptr : rec.values[i].c_str();
        lengths[i] = static_cast<int>(rec.values[i].size());
        formats[i] = rec.types[i] == 17 ? 1 : 0; // bytea binary, as PgStmt sends it
    }
    std::vector<Oid> types(rec.types.begin(), rec.types.end());
    PGresult *res = PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), types.data(), values.data(),
        lengths.data(), formats.data(), 0);
    std::vector<Scan> scans;
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        *text = PQgetvalue(res, 0, 0);
        const QJsonArray doc = QJsonDocument::fromJson(QByteArray(PQgetvalue(res, 0, 0))).array();
        collect(doc.at(0).toObject().value(QStringLiteral("Plan")).toObject(), &scans);
    } else {
        *text = std::string("EXPLAIN failed: ") + PQerrorMessage(conn);
    }
    PQclear(res);
    return scans;
}

} // namespace

class TestPgPlans : public QObject {
    Q_OBJECT

    tt::test::PgTestCluster m_pg;
    std::string m_url;
    int64_t m_first = 0, m_last = 0, m_account = 0;

    // Every captured statement that reads events, EXPLAINed; `check` gets its scans and plan text.
    template<typename Run, typename Check> int explainEach(Run run, Check check)
    {
        auto cs = store::CaseStore::open(m_url, store::CaseStore::Access::ReadOnly);
        std::vector<sql::PgStatementRecord> log;
        cs->db().pg()->setStatementLog(&log);
        run(*cs);
        cs->db().pg()->setStatementLog(nullptr);
        int checked = 0;
        for (const sql::PgStatementRecord &rec : log) {
            std::string text;
            const std::vector<Scan> scans = explain(cs->db().pg()->handle(), rec, &text);
            if (text.rfind("EXPLAIN failed", 0) == 0)
                QTest::qFail((rec.sql + "\n" + text).c_str(), __FILE__, __LINE__);
            bool readsEvents = false;
            for (const Scan &s : scans)
                readsEvents = readsEvents || isEventsRelation(s.relation);
            if (!readsEvents)
                continue;
            ++checked;
            check(rec.sql, scans, text);
        }
        return checked;
    }

    // No sequential scan of a month partition: the month partitions are where the rows are.
    static void noSeqScanOfMonths(const std::string &sql, const std::vector<Scan> &scans, const std::string &text)
    {
        for (const Scan &s : scans)
            if (s.node == "Seq Scan" && isEventsRelation(s.relation) && s.relation != "events_undated")
                QTest::qFail(
                    ("sequential scan of " + s.relation + " in\n" + sql + "\n" + text).c_str(), __FILE__, __LINE__);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        m_url = m_pg.url("plans");
        // 60 000 generated events over 80 days: three or four month partitions.
        QProcess gen, import;
        gen.setStandardOutputProcess(&import);
        gen.start(binary(), {"gen", "--stdout", "--events", "60000", "--hosts", "12", "--days", "80", "--seed", "5"});
        import.start(binary(), {"import", QString::fromStdString(m_url), "-", "--quiet"});
        QVERIFY(gen.waitForFinished(300000));
        QVERIFY(import.waitForFinished(300000));
        QCOMPARE(gen.exitCode(), 0);
        QVERIFY2(import.exitCode() == 0, import.readAllStandardError().constData());

        sql::PgDb db;
        db.open(store::CaseLocation::parse(m_url), sql::PgDb::Mode::ReadWrite);
        db.exec("ANALYZE"); // what autovacuum does shortly after an import
        m_first = db.queryInt("SELECT min(ts) FROM events");
        m_last = db.queryInt("SELECT max(ts) FROM events");
        m_account = db.queryInt("SELECT account_id FROM events WHERE account_id IS NOT NULL GROUP BY account_id "
                                "ORDER BY count(*) DESC, account_id LIMIT 1");
        QVERIFY(m_last - m_first > 60LL * 86400 * 1000000);
        QVERIFY(m_account > 0);
    }

    void eventsArePartitionedByMonthWithBrin()
    {
        sql::PgDb db;
        db.open(store::CaseLocation::parse(m_url), sql::PgDb::Mode::ReadOnly);
        QVERIFY(store::pgEventsPartitioned(db));
        const int64_t months = db.queryInt("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                           "WHERE i.inhparent = to_regclass('events') AND c.relname ~ "
                                           "'^events_[0-9]{4}_[0-9]{2}$'");
        QVERIFY2(months >= 3, qPrintable(QString::number(months)));
        QCOMPARE(db.queryInt("SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                             "WHERE i.inhparent = to_regclass('events') AND c.relname = 'events_undated'"),
            1);
        // Every dated event is in its month's partition, none in the default one.
        QCOMPARE(db.queryInt("SELECT count(*) FROM events_undated WHERE ts IS NOT NULL"), 0);
        QCOMPARE(db.queryInt("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = "
                             "'events_ts_brin' AND indexdef LIKE '%USING brin (ts)%'"),
            1);
        // Ids unique over all partitions and consecutive per file, as on a case file.
        QCOMPARE(db.queryInt("SELECT count(*) - count(DISTINCT id) FROM events"), 0);
        QCOMPARE(db.queryInt("SELECT max(id) - min(id) + 1 - count(*) FROM events"), 0);
    }

    // The time brush: one day in the middle of the case. Only that day's partition is read, by
    // index; the other months and the default partition are pruned.
    void timeBrushPrunesToItsMonth()
    {
        const int64_t day = 86400LL * 1000000;
        const int64_t from = m_first + (m_last - m_first) / 2;
        const int64_t to = from + day;
        int64_t a = 0, b = 0, c = 0, d = 0;
        store::utcMonthBounds(from, &a, &b);
        store::utcMonthBounds(to - 1, &c, &d);
        QDateTime m = QDateTime::fromMSecsSinceEpoch(a / 1000, Qt::UTC);
        std::set<std::string> allowed {m.toString(QStringLiteral("'events_'yyyy_MM")).toStdString()};
        m = QDateTime::fromMSecsSinceEpoch(c / 1000, Qt::UTC);
        allowed.insert(m.toString(QStringLiteral("'events_'yyyy_MM")).toStdString());
        FilterState f;
        f.fromUs = from;
        f.toUs = to;
        int ranged = 0;
        const int n = explainEach(
            [&](store::CaseStore &cs) {
                const TimelineData t = queryTimeline(cs, f, from, to, 300, false);
                QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
                QVERIFY(t.eventsInWindow > 0);
                EventBrowserScope scope;
                scope.filter = f;
                const EventPage page = queryEventPage(cs, scope, EventCursor {});
                QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
                QVERIFY(!page.rows.empty());
            },
            [&](const std::string &sql, const std::vector<Scan> &scans, const std::string &text) {
                noSeqScanOfMonths(sql, scans, text);
                // The case's extent (ORDER BY ts LIMIT 1, both ends) has no window: one index seek
                // per partition. Every statement with a time range is pruned to the window.
                if (sql.find("ts >=") == std::string::npos && sql.find("ts <") == std::string::npos)
                    return;
                ++ranged;
                for (const Scan &s : scans)
                    if (isEventsRelation(s.relation) && !allowed.count(s.relation))
                        QTest::qFail(
                            ("not pruned: " + s.relation + " in\n" + sql + "\n" + text).c_str(), __FILE__, __LINE__);
            });
        QVERIFY2(n >= 2, qPrintable(QString::number(n)));
        QVERIFY2(ranged >= 2, qPrintable(QString::number(ranged)));
    }

    // The account pivot: the event browser under an account filter (the timeline's density does
    // not depend on accounts; over the whole case it counts bins of a few hundred events of
    // partitions of ~20 000 rows here, for which a sequential scan is the right plan, so it is
    // checked under the brush above, not here).
    void accountPivotUsesIndexes()
    {
        FilterState f;
        f.accounts.insert(m_account);
        const int n = explainEach(
            [&](store::CaseStore &cs) {
                EventBrowserScope scope;
                scope.filter = f;
                const EventPage page = queryEventPage(cs, scope, EventCursor {});
                QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
                QVERIFY(!page.rows.empty());
                const EventPage next = queryEventPage(cs, scope, page.next);
                QVERIFY2(next.error.isEmpty(), qPrintable(next.error));
            },
            [&](const std::string &sql, const std::vector<Scan> &scans, const std::string &text) {
                noSeqScanOfMonths(sql, scans, text);
            });
        QVERIFY(n >= 2);
    }

    // Event browser pages over the whole case: keyset paging on (ts, id) walks the partitions in
    // order through an index and stops at the page's end (a Limit over index scans), never sorting
    // every event.
    void eventBrowserPagesWalkAnIndex()
    {
        int limited = 0;
        const int n = explainEach(
            [&](store::CaseStore &cs) {
                EventCursor cursor;
                for (int i = 0; i < 3; ++i) {
                    const EventPage page = queryEventPage(cs, EventBrowserScope {}, cursor);
                    QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
                    QCOMPARE(static_cast<int>(page.rows.size()), kEventPageSize);
                    cursor = page.next;
                }
            },
            [&](const std::string &sql, const std::vector<Scan> &scans, const std::string &text) {
                noSeqScanOfMonths(sql, scans, text);
                bool index = false, sortsAll = false, months = false;
                for (const Scan &s : scans) {
                    index = index || s.node == "Index Scan" || s.node == "Index Only Scan";
                    sortsAll = sortsAll || s.node == "Sort";
                    months = months || (isEventsRelation(s.relation) && s.relation != "events_undated");
                }
                // The first phase (events without a time, by id) reads events_undated only.
                if (scans.empty() || scans.front().node != "Limit" || !months)
                    return;
                ++limited;
                QVERIFY2(index && !sortsAll, (sql + "\n" + text).c_str());
            });
        QVERIFY(n >= 3);
        QVERIFY(limited >= 3);
    }

    // The transfers table and its time window: whatever of events it reads, it reads by index.
    void transfersQueryNeverScansEvents()
    {
        TransferTableSpec spec;
        spec.filter.fromUs = m_first;
        spec.filter.toUs = m_last;
        auto cs = store::CaseStore::open(m_url, store::CaseStore::Access::ReadOnly);
        std::vector<sql::PgStatementRecord> log;
        cs->db().pg()->setStatementLog(&log);
        const QVector<qint64> ids = queryTransferTableIds(*cs, spec);
        queryTransferTableRows(*cs, ids);
        // The table's sort keys (read once per case data) read on a server case too: every
        // transfer, every column, and a sort by them lists the same transfers.
        const TransferSortKeys keys = readTransferSortKeys(*cs);
        QCOMPARE(qint64(keys.ids.size()), cs->db().queryInt("SELECT count(*) FROM transfers"));
        for (int c = 0; c < int(TransferColumn::Count); ++c)
            QVERIFY(keys.has(TransferColumn(c)));
        spec.sortColumn = TransferColumn::File;
        QVector<qint64> byKeys = queryTransferTableIds(*cs, spec, &keys);
        QVector<qint64> inSql = ids;
        std::sort(byKeys.begin(), byKeys.end());
        std::sort(inSql.begin(), inSql.end());
        QCOMPARE(byKeys, inSql);
        cs->db().pg()->setStatementLog(nullptr);
        QVERIFY(!log.empty());
        for (const sql::PgStatementRecord &rec : log) {
            std::string text;
            const std::vector<Scan> scans = explain(cs->db().pg()->handle(), rec, &text);
            QVERIFY2(text.rfind("EXPLAIN failed", 0) != 0, (rec.sql + "\n" + text).c_str());
            noSeqScanOfMonths(rec.sql, scans, text);
        }
    }

    // The event browser's search on a server case (issue 13 leftover): the index is built as the
    // workbench does after an import, a word finds its events, and the statement reads the
    // pg_trgm GIN index (a bitmap scan), not every row of events_fts.
    void searchFindsEventsThroughTheTrigramIndex()
    {
        {
            auto cs = store::CaseStore::open(m_url, store::CaseStore::Access::ReadWrite);
            const SearchIndexBuild built = buildSearchIndex(*cs);
            QVERIFY2(built.error.isEmpty(), qPrintable(built.error));
            // The build merged the index's pending list: left there, it is priced page by page
            // and the planner walked or scanned events_fts instead until autovacuum merged it (in
            // CI: one run in a few, by the timing of autovacuum).
            QCOMPARE(cs->db().queryInt("SELECT gin_clean_pending_list(to_regclass('events_fts_text_trgm'))"), 0);
            // The histogram the planner estimates a word's share from is 1 000 entries wide.
            QCOMPARE(cs->db().queryInt("SELECT attstattarget FROM pg_attribute WHERE attrelid = "
                                       "to_regclass('events_fts') AND attname = 'text'"),
                store::kPgTrigramStatistics);
            cs->db().exec("ANALYZE events_fts");
            QCOMPARE(
                cs->db().queryInt("SELECT count(*) FROM events_fts"), cs->db().queryInt("SELECT count(*) FROM events"));
        }
        int rowsFound = 0;
        bool gin = false;
        auto cs = store::CaseStore::open(m_url, store::CaseStore::Access::ReadOnly);
        std::vector<sql::PgStatementRecord> log;
        cs->db().pg()->setStatementLog(&log);
        EventBrowserScope scope;
        scope.search = QStringLiteral("psexesvc");
        const EventPage page = queryEventPage(*cs, scope, EventCursor {});
        cs->db().pg()->setStatementLog(nullptr);
        QVERIFY2(page.error.isEmpty(), qPrintable(page.error));
        rowsFound = static_cast<int>(page.rows.size());
        QVERIFY(rowsFound > 0);
        // Every hit holds the word (the search text of an event: host, account, payload fields).
        const int64_t withWord = cs->db().queryInt("SELECT count(*) FROM events_fts WHERE text ILIKE '%psexesvc%'");
        QVERIFY(withWord >= rowsFound);
        for (const sql::PgStatementRecord &rec : log) {
            if (rec.sql.find("events_fts") == std::string::npos)
                continue;
            std::string text;
            for (const Scan &s : explain(cs->db().pg()->handle(), rec, &text))
                gin = gin || (s.node == "Bitmap Index Scan" && s.index == "events_fts_text_trgm");
            QVERIFY2(gin, (rec.sql + "\n" + text).c_str());
        }
        QVERIFY(gin);
    }

    void cleanupTestCase() { m_pg.stop(); }
};

QTEST_GUILESS_MAIN(TestPgPlans)
#include "tst_pg_plans.moc"
