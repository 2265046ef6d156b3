// sql::PgDb / PgStmt against a throw-away server: placeholders, every bind type round-trips
// exactly, rows stream (an error late in a result arrives only when its row is reached), two
// statements interleave, transactions, SQLSTATE errors, cancellation by the flag, read-only
// connections. The case schema on PostgreSQL: created from Schema.cpp's steps, rows of the main
// tables written and read through PgDb, and its tables, columns, types, NOT NULLs and indexes
// equal to the SQLite schema's.

#include "store/CaseLocation.h"
#include "store/PgDb.h"
#include "store/PgSchema.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "pg/PgTestCluster.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>

using tt::sql::PgDb;
using tt::sql::PgError;
using tt::sql::PgStmt;
using tt::store::CaseLocation;

class TstPgStore : public QObject {
    Q_OBJECT
    tt::test::PgTestCluster m_pg;
    PgDb m_db; // the superuser on database postgres, case "t"

    std::string sqlstateOf(const std::function<void()> &f)
    {
        try {
            f();
        } catch (const PgError &e) {
            return e.sqlstate();
        }
        return "<no error>";
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        qInfo("throw-away PostgreSQL: initdb %.2f s, start %.2f s", m_pg.initSeconds(), m_pg.startSeconds());
        m_db.open(CaseLocation::parse(m_pg.url("t")), PgDb::Mode::ReadWrite);
        m_db.exec("CREATE SCHEMA tt_t");
    }

    void placeholders_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addColumn<int>("count");
        QTest::newRow("plain") << "SELECT ? + ?"
                               << "SELECT $1 + $2" << 2;
        QTest::newRow("string") << "SELECT 'a?b', ?"
                                << "SELECT 'a?b', $1" << 1;
        QTest::newRow("doubled quote") << "SELECT 'it''s ?', ?"
                                       << "SELECT 'it''s ?', $1" << 1;
        QTest::newRow("E string") << R"(SELECT E'\'?', ?)"
                                  << R"(SELECT E'\'?', $1)" << 1;
        QTest::newRow("identifier") << R"(SELECT "a?""b" FROM t WHERE x = ?)"
                                    << R"(SELECT "a?""b" FROM t WHERE x = $1)" << 1;
        QTest::newRow("line comment") << "SELECT ? -- what?\n, ?"
                                      << "SELECT $1 -- what?\n, $2" << 2;
        QTest::newRow("nested block comment") << "SELECT /* a /* ? */ ? */ ?"
                                              << "SELECT /* a /* ? */ ? */ $1" << 1;
        QTest::newRow("dollar quote") << "SELECT $x$ ? $x$, $$?$$, ?"
                                      << "SELECT $x$ ? $x$, $$?$$, $1" << 1;
        QTest::newRow("identifier with $") << "SELECT a$b, ?"
                                           << "SELECT a$b, $1" << 1;
        QTest::newRow("numbered ?NNN") << "SELECT ?2 + ?1 + ?2, '?3'"
                                       << "SELECT $2 + $1 + $2, '?3'" << 2;
        QTest::newRow("numbered, two digits") << "SELECT ?12"
                                              << "SELECT $12" << 12;
    }

    // The statements of the store run on both engines; what SQLite 3.40 cannot write portably is
    // translated on a server (PgSchema.h toPostgresStatement), outside literals and identifiers.
    void statementDialect_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("group_concat with separator") << "SELECT group_concat(name, ', ') FROM t"
                                                     << "SELECT string_agg((name)::text, ', ') FROM t";
        QTest::newRow("group_concat default separator") << "SELECT GROUP_CONCAT(tag_id) FROM t"
                                                        << "SELECT string_agg((tag_id)::text, ',') FROM t";
        QTest::newRow("nested call and char()") << "SELECT group_concat(lower(a || b), char(31))"
                                                << "SELECT string_agg((lower(a || b))::text, chr(31))";
        QTest::newRow("distinct") << "SELECT group_concat(DISTINCT x)"
                                  << "SELECT string_agg(DISTINCT (x)::text, ',')";
        QTest::newRow("ifnull") << "SELECT ifnull(a, 0)"
                                << "SELECT coalesce(a, 0)";
        QTest::newRow("literal untouched") << "SELECT 'group_concat(x)', \"char(\"(1)"
                                           << "SELECT 'group_concat(x)', \"char(\"(1)";
        QTest::newRow("column named like a function") << "SELECT my_char(1), ifnull_x FROM t"
                                                      << "SELECT my_char(1), ifnull_x FROM t";
    }

    void statementDialect()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(QString::fromStdString(tt::store::toPostgresStatement(in.toStdString())), out);
    }

    // The translated forms run on the server and give SQLite's results.
    void statementDialectRuns()
    {
        tt::sql::Db db;
        db.open(CaseLocation::parse(m_pg.url("t")), tt::sql::Db::Mode::ReadWrite);
        QCOMPARE(db.engine(), tt::sql::Engine::Postgres);
        db.exec("CREATE TEMP TABLE gc(g bigint, v text)");
        db.exec("INSERT INTO gc VALUES (1, 'a'), (1, 'b'), (2, NULL)");
        auto st
            = db.prepare("SELECT g, group_concat(v, ', '), ifnull(group_concat(v), '-') FROM gc GROUP BY g ORDER BY g");
        QVERIFY(st.step());
        QCOMPARE(st.int64(0), int64_t(1));
        QCOMPARE(QString::fromStdString(st.text(1)).split(QStringLiteral(", ")).size(), 2);
        QVERIFY(st.step());
        QVERIFY(st.isNull(1)); // like SQLite: NULL when every value is NULL
        QCOMPARE(st.text(2), std::string("-"));
        QVERIFY(!st.step());
        // json_each of an id list, with and without a table alias, and empty.
        auto ids = db.prepare("SELECT sum(j.value) FROM json_each(?) j WHERE j.value > 1");
        ids.bind(1, std::string_view("[1,2,30]"));
        QVERIFY(ids.step());
        QCOMPARE(ids.int64(0), int64_t(32));
        ids.reset();
        auto in = db.prepare("SELECT count(*) FROM gc WHERE g IN (SELECT value FROM json_each(?))");
        in.bind(1, std::string_view("[2]"));
        QVERIFY(in.step());
        QCOMPARE(in.int64(0), int64_t(1));
        in.reset();
        in.bind(1, std::string_view("[]"));
        QVERIFY(in.step());
        QCOMPARE(in.int64(0), int64_t(0));
        in.reset();
        auto num = db.prepare("SELECT ?2 - ?1");
        num.bind(1, int64_t(2)).bind(2, int64_t(7));
        QVERIFY(num.step());
        QCOMPARE(num.int64(0), int64_t(5));
    }

    void placeholders()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QFETCH(int, count);
        int n = -1;
        QCOMPARE(QString::fromStdString(tt::sql::rewritePlaceholders(in.toStdString(), &n)), out);
        QCOMPARE(n, count);
    }

    void everyBindTypeRoundTrips()
    {
        m_db.exec("CREATE TABLE kinds(i bigint, r double precision, t text, b bytea)");
        std::string allBytes;
        for (int c = 0; c < 256; ++c)
            allBytes += char(c);
        const std::string text = "quote ' dq \" backslash \\ question ? dollar $1 \xc3\xa9\xe2\x82\xac \t\n end";
        struct Row {
            int64_t i;
            double r;
            std::string t;
            std::string b;
        };
        const std::vector<Row> rows = {
            {std::numeric_limits<int64_t>::min(), 0.1, text, allBytes},
            {std::numeric_limits<int64_t>::max(), 1e308, "", std::string()},
            {0, -2.5e-300, "x", std::string("\0\0", 2)},
        };
        auto ins = m_db.prepare("INSERT INTO kinds VALUES(?, ?, ?, ?)");
        for (const Row &row : rows) {
            ins.bind(1, row.i).bind(2, row.r).bind(3, std::string_view(row.t)).bindBlob(4, row.b.data(), row.b.size());
            ins.exec();
            QCOMPARE(ins.rowsChanged(), 1);
        }
        ins.bindNull(1).bindNull(2).bindNull(3).bindNull(4);
        ins.exec();
        auto sel = m_db.prepare("SELECT i, r, t, b FROM kinds ORDER BY i NULLS LAST");
        std::vector<Row> sorted = rows;
        std::sort(sorted.begin(), sorted.end(), [](const Row &a, const Row &b) { return a.i < b.i; });
        for (const Row &row : sorted) {
            QVERIFY(sel.step());
            QCOMPARE(sel.columnCount(), 4);
            QCOMPARE(sel.int64(0), row.i);
            QCOMPARE(sel.real(1), row.r); // exact: shortest round-trip text both ways
            QCOMPARE(sel.text(2), row.t);
            QCOMPARE(std::string(sel.blob(3)), row.b);
            QVERIFY(!sel.isNull(3));
        }
        QVERIFY(sel.step());
        for (int c = 0; c < 4; ++c)
            QVERIFY(sel.isNull(c));
        QCOMPARE(sel.int64(0), 0);
        QVERIFY(sel.textView(2).empty());
        QVERIFY(!sel.step());
        QVERIFY(!sel.step()); // stays done
    }

    void otherBindTypesPrepareAgain()
    {
        auto st = m_db.prepare("SELECT ?::text");
        st.bind(1, int64_t(42));
        QVERIFY(st.step());
        QCOMPARE(st.text(0), std::string("42"));
        st.reset();
        st.bind(1, std::string_view("abc"));
        QVERIFY(st.step());
        QCOMPARE(st.text(0), std::string("abc"));
        st.reset();
        st.bindNull(1);
        QVERIFY(st.step());
        QVERIFY(st.isNull(0));
        st.reset();
        QCOMPARE(sqlstateOf([&] { st.bind(2, 1); }), std::string()); // out of range: no SQLSTATE
        QCOMPARE(m_db.queryInt("SELECT true"), 1); // booleans read as 1 / 0
    }

    // An error in a late row arrives when that row is reached: the rows before it came one by
    // one, the whole result was never fetched first.
    void rowsStream()
    {
        auto st = m_db.prepare("SELECT 1 / (100000 - g) FROM generate_series(1, 200000) g");
        int rows = 0;
        try {
            while (st.step())
                ++rows;
            QFAIL("no division by zero");
        } catch (const PgError &e) {
            QCOMPARE(QString::fromStdString(e.sqlstate()), QStringLiteral("22012"));
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("SQLSTATE 22012")), e.what());
        }
        QVERIFY2(rows > 0 && rows < 100000, qPrintable(QString::number(rows)));
        QCOMPARE(m_db.queryInt("SELECT 5"), 5); // the connection is fine afterwards
    }

    // After the first row of a result far larger than the socket buffers, the server is still
    // producing it (its backend is active): the client took one row, not the result.
    void rowsStreamWhileTheServerStillWorks()
    {
        const int64_t backend = m_db.queryInt("SELECT pg_backend_pid()");
        PgDb other;
        other.open(CaseLocation::parse(m_pg.url("t")), PgDb::Mode::ReadOnly);
        auto flag = tt::sql::makeCancelFlag();
        tt::sql::PgCancelOnFlag guard(m_db, flag);
        auto big = m_db.prepare("SELECT g, repeat('x', 1000) FROM generate_series(1, 300000) g"); // 300 MB
        QVERIFY(big.step());
        QCOMPARE(big.int64(0), 1);
        QCOMPARE(big.textView(1).size(), size_t(1000));
        auto active = other.prepare("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND state = 'active'");
        active.bind(1, backend);
        QVERIFY(active.step());
        QCOMPARE(active.int64(0), 1);
        QCOMPARE(big.parkedRows(), size_t(0));
        flag->store(true); // reset() cancels instead of reading 300 MB to drop them
        big.reset();
        flag->store(false);
        QCOMPARE(m_db.queryInt("SELECT 4"), 4);
    }

    void statementsInterleave()
    {
        m_db.exec("CREATE TABLE src AS SELECT g AS n FROM generate_series(1, 1000) g; CREATE TABLE dst(n bigint)");
        auto outer = m_db.prepare("SELECT n FROM src ORDER BY n");
        auto ins = m_db.prepare("INSERT INTO dst VALUES(? * 2)");
        int64_t expected = 1;
        while (outer.step()) {
            QCOMPARE(outer.int64(0), expected++);
            ins.bind(1, outer.int64(0));
            ins.exec();
        }
        QCOMPARE(expected, 1001);
        QVERIFY(outer.parkedRows() == 0); // all consumed
        QCOMPARE(m_db.queryInt("SELECT sum(n) FROM dst"), 1001000);
        // A statement reset half-way leaves the connection usable.
        outer.step();
        outer.reset();
        QCOMPARE(m_db.queryInt("SELECT count(*) FROM dst"), 1000);
    }

    void transactions()
    {
        m_db.exec("CREATE TABLE tx(v bigint UNIQUE)");
        {
            tt::sql::PgTransaction tx(m_db);
            m_db.exec("INSERT INTO tx VALUES(1)");
        } // rolled back
        QCOMPARE(m_db.queryInt("SELECT count(*) FROM tx"), 0);
        {
            tt::sql::PgTransaction tx(m_db);
            auto ins = m_db.prepare("INSERT INTO tx VALUES(?)");
            ins.bind(1, 2);
            ins.exec();
            tx.commit();
        }
        QCOMPARE(m_db.queryInt("SELECT count(*) FROM tx"), 1);
        // A failed statement aborts the transaction: commit says so instead of pretending.
        tt::sql::PgTransaction tx(m_db);
        m_db.exec("INSERT INTO tx VALUES(3)");
        QCOMPARE(sqlstateOf([&] { m_db.exec("INSERT INTO tx VALUES(2)"); }), std::string("23505"));
        QCOMPARE(sqlstateOf([&] { tx.commit(); }), std::string("25P02"));
        QCOMPARE(m_db.queryInt("SELECT count(*) FROM tx"), 1);
    }

    void changesAndLastInsertId()
    {
        m_db.exec("CREATE TABLE ids(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)");
        auto ins = m_db.prepare("INSERT INTO ids(v) VALUES(?)");
        ins.bind(1, std::string_view("a"));
        ins.exec();
        ins.bind(1, std::string_view("b"));
        ins.exec();
        QCOMPARE(m_db.lastInsertId(), 2);
        m_db.exec("UPDATE ids SET v = 'c'");
        QCOMPARE(m_db.changes(), 2);
        QCOMPARE(sqlstateOf([&] { m_db.exec("SELEC 1"); }), std::string("42601"));
    }

    void cancelFlagSetBeforeRunsNothing()
    {
        m_db.exec("CREATE TABLE cancelled(v bigint)");
        auto flag = tt::sql::makeCancelFlag();
        flag->store(true);
        {
            tt::sql::PgCancelOnFlag guard(m_db, flag);
            auto ins = m_db.prepare("INSERT INTO cancelled VALUES(1)");
            QCOMPARE(sqlstateOf([&] { ins.exec(); }), std::string("57014"));
            QCOMPARE(sqlstateOf([&] { m_db.exec("INSERT INTO cancelled VALUES(2)"); }), std::string("57014"));
        }
        QCOMPARE(m_db.queryInt("SELECT count(*) FROM cancelled"), 0);
    }

    // The flag is set once the server reports the statement running (seen from a second
    // connection): PQcancel stops it, the statement fails as cancelled, the connection goes on.
    void cancelFlagStopsARunningStatement()
    {
        auto flag = tt::sql::makeCancelFlag();
        const std::string url = m_pg.url("t");
        std::atomic<bool> sawIt = false;
        std::thread watcher([&] {
            PgDb other;
            other.open(CaseLocation::parse(url), PgDb::Mode::ReadOnly);
            auto st = other.prepare("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                    "AND query LIKE 'SELECT pg_sleep(600)%'");
            for (int i = 0; i < 60000 && !sawIt; ++i) {
                sawIt = st.step() && st.int64(0) > 0;
                st.reset();
                if (!sawIt)
                    QThread::msleep(5);
            }
            flag->store(true);
        });
        tt::sql::PgCancelOnFlag guard(m_db, flag);
        auto sleep = m_db.prepare("SELECT pg_sleep(600)");
        PgError caught("", "");
        try {
            sleep.step();
        } catch (const PgError &e) {
            caught = e;
        }
        watcher.join();
        QVERIFY(sawIt);
        QVERIFY2(caught.cancelled(), caught.what());
        flag->store(false);
        QCOMPARE(m_db.queryInt("SELECT 3"), 3);
    }

    // Server-side statements end with the connection: after a reconnect a statement prepares
    // again, and one destroyed then asks nothing of the new connection.
    void reconnectForgetsPreparedStatements()
    {
        const CaseLocation loc = CaseLocation::parse(m_pg.url("t"));
        PgDb db;
        db.open(loc, PgDb::Mode::ReadWrite);
        auto a = db.prepare("SELECT ? + 1");
        a.bind(1, 1);
        QVERIFY(a.step());
        a.reset();
        auto b = db.prepare("SELECT 2");
        QVERIFY(b.step());
        b.reset();
        db.close();
        db.open(loc, PgDb::Mode::ReadWrite);
        {
            PgStmt gone = std::move(b);
        }
        a.bind(1, 5);
        QVERIFY(a.step());
        QCOMPARE(a.int64(0), 6);
        a.reset();
        QCOMPARE(db.queryInt("SELECT 9"), 9);
    }

    void readOnlyRefusesWrites()
    {
        PgDb ro;
        ro.open(CaseLocation::parse(m_pg.url("t")), PgDb::Mode::ReadOnly);
        QVERIFY(ro.readOnly());
        QCOMPARE(ro.queryInt("SELECT count(*) FROM tx"), 1);
        QCOMPARE(sqlstateOf([&] { ro.exec("INSERT INTO tx VALUES(9)"); }), std::string("25006"));
    }

    void dialect()
    {
        using tt::store::toPostgres;
        QCOMPARE(QString::fromStdString(toPostgres("CREATE TABLE a(id INTEGER PRIMARY KEY, r REAL, b BLOB, "
                                                   "o INTEGER NOT NULL REFERENCES x(id)) WITHOUT ROWID;")),
            QStringLiteral("CREATE TABLE a(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, r double precision, "
                           "b bytea, o bigint NOT NULL);"));
        QCOMPARE(QString::fromStdString(toPostgres("INSERT OR IGNORE INTO t(a) VALUES(1); -- INTEGER\nSELECT 1;")),
            QStringLiteral("INSERT INTO t(a) VALUES(1) ON CONFLICT DO NOTHING; \nSELECT 1;"));
        QCOMPARE(QString::fromStdString(
                     toPostgres("CREATE VIRTUAL TABLE f USING fts5(text, content='', tokenize='trigram');", "s.ops")),
            QStringLiteral("CREATE TABLE f(rowid bigint PRIMARY KEY, text text NOT NULL);"
                           "CREATE INDEX f_text_trgm ON f USING gin (text s.ops);"
                           "ALTER TABLE f ALTER COLUMN text SET STATISTICS 1000;"));
    }

    void caseSchemaMatchesSqlite()
    {
        const CaseLocation loc = CaseLocation::parse(m_pg.url("acme"));
        PgDb db;
        db.open(loc, PgDb::Mode::ReadWrite);
        QCOMPARE(tt::store::pgSchemaVersion(db, loc), 0);
        QVERIFY(tt::store::createPgCase(db, loc, "test"));
        QCOMPARE(tt::store::pgSchemaVersion(db, loc), tt::store::kSchemaVersion);
        QVERIFY(!tt::store::createPgCase(db, loc, "test")); // already there

        QTemporaryDir dir;
        tt::sql::Db lite;
        lite.open(dir.filePath(QStringLiteral("c.ttcase")).toStdString(), tt::sql::Db::Mode::Create);
        tt::store::migrate(lite, "test");

        // table -> "column type NOT NULL" in order, both sides spelt in PostgreSQL's words.
        using Columns = std::map<std::string, std::vector<std::string>>;
        Columns sqliteColumns, pgColumns;
        std::set<std::string> sqliteIndexes, pgIndexes;
        const std::map<std::string, std::string> types
            = {{"INTEGER", "bigint"}, {"REAL", "double precision"}, {"TEXT", "text"}, {"BLOB", "bytea"}};
        auto tables = lite.prepare("SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_schema "
                                   "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        std::set<std::string> shadowPrefixes;
        std::vector<std::pair<std::string, bool>> liteTables;
        while (tables.step()) {
            liteTables.emplace_back(tables.text(0), tables.int64(1) != 0);
            if (tables.int64(1))
                shadowPrefixes.insert(tables.text(0) + "_");
        }
        for (const auto &[table, isVirtual] : liteTables) {
            bool shadow = false;
            for (const std::string &prefix : shadowPrefixes)
                shadow = shadow || table.rfind(prefix, 0) == 0;
            if (shadow)
                continue; // FTS5's own storage (events_fts_data, ...)
            auto &cols = sqliteColumns[table];
            if (isVirtual) // the FTS5 rowid is a column on PostgreSQL
                cols.push_back("rowid bigint NOT NULL");
            auto info = lite.prepare("SELECT name, type, \"notnull\" OR pk > 0 FROM pragma_table_info(?) ORDER BY cid");
            info.bind(1, std::string_view(table));
            while (info.step()) {
                const auto type = types.find(info.text(1));
                cols.push_back(info.text(0) + " " + (type != types.end() ? type->second : "text")
                    + (info.int64(2) || isVirtual ? " NOT NULL" : ""));
            }
        }
        auto liteIdx = lite.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL");
        while (liteIdx.step())
            sqliteIndexes.insert(liteIdx.text(0));

        // Partitions of events (events_undated, events_YYYY_MM) are storage of one table.
        auto cols = db.prepare("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                               "WHERE table_schema = ? AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = "
                               "to_regclass(quote_ident(table_schema) || '.' || quote_ident(table_name)) AND "
                               "c.relispartition) ORDER BY table_name, ordinal_position");
        cols.bind(1, loc.schemaName());
        while (cols.step())
            pgColumns[cols.text(0)].push_back(
                cols.text(1) + " " + cols.text(2) + (cols.text(3) == "NO" ? " NOT NULL" : ""));
        auto idx = db.prepare("SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = ? AND NOT EXISTS "
                              "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
                              "AND i.indexname NOT LIKE '%\\_trgm' AND i.indexname NOT LIKE '%\\_brin' AND NOT EXISTS "
                              "(SELECT 1 FROM pg_class t WHERE t.oid = to_regclass(quote_ident(i.schemaname) || '.' "
                              "|| quote_ident(i.tablename)) AND t.relispartition)");
        idx.bind(1, loc.schemaName());
        while (idx.step())
            pgIndexes.insert(idx.text(0));

        QVERIFY(sqliteColumns.size() > 25);
        for (const auto &[table, columns] : sqliteColumns) {
            QVERIFY2(pgColumns.count(table), ("missing on PostgreSQL: " + table).c_str());
            auto join = [](const std::vector<std::string> &v) {
                std::string out;
                for (const std::string &s : v)
                    out += "\n  " + s;
                return out;
            };
            QVERIFY2(pgColumns[table] == columns,
                (table + ": SQLite" + join(columns) + "\nPostgreSQL" + join(pgColumns[table])).c_str());
        }
        for (const auto &[table, columns] : pgColumns)
            QVERIFY2(sqliteColumns.count(table), ("only on PostgreSQL: " + table).c_str());
        QCOMPARE(pgIndexes, sqliteIndexes);
    }

    void caseSchemaHoldsRows()
    {
        const CaseLocation loc = CaseLocation::parse(m_pg.url("rows"));
        PgDb db;
        db.open(loc, PgDb::Mode::ReadWrite);
        QVERIFY(tt::store::createPgCase(db, loc, "test"));
        tt::sql::PgTransaction tx(db);
        db.exec("INSERT INTO sources(path, sha256, format, parser, parser_version, imported_utc) "
                "VALUES('a.evtx', 'ab', 'evtx', 'evtx', '1', 0)");
        const int64_t source = db.lastInsertId();
        auto host = db.prepare("INSERT INTO hosts(name) VALUES(?) RETURNING id");
        host.bind(1, std::string_view("WS01"));
        QVERIFY(host.step());
        const int64_t ws01 = host.int64(0);
        host.reset();
        host.bind(1, std::string_view("DC01"));
        QVERIFY(host.step());
        const int64_t dc01 = host.int64(0);
        host.reset();
        static const char kPayload[] = "{\"x\":\"\0\xff\"}";
        const std::string payload(kPayload, sizeof kPayload - 1); // the NUL inside, not the terminator
        // Payloads live in record blocks (schema 6); a bytea with NUL and 0xff survives.
        auto block = db.prepare(
            "INSERT INTO record_blocks(source_id, records, raw_bytes, data) VALUES(?, 3, ?, ?) RETURNING id");
        block.bind(1, source).bind(2, static_cast<int64_t>(payload.size()));
        block.bindBlob(3, payload.data(), payload.size());
        QVERIFY(block.step());
        const int64_t blockId = block.int64(0);
        block.reset();
        auto ev = db.prepare("INSERT INTO events(ts, host_id, event_id, source_id, position, payload_format, block_id, "
                             "block_index) VALUES(?,?,?,?,?,?,?,?)");
        for (int i = 1; i <= 3; ++i) {
            ev.bind(1, int64_t(1700000000000000) + i).bind(2, ws01).bind(3, 4624).bind(4, source).bind(5, i).bind(6, 1);
            ev.bind(7, blockId).bind(8, i - 1);
            ev.exec();
        }
        auto tr = db.prepare("INSERT INTO transfers(src_host_id, dst_host_id, file_name, method, direction, first_ts, "
                             "last_ts, confidence, confidence_label, rules) VALUES(?,?,?,?,?,?,?,?,?,?)");
        tr.bind(1, ws01)
            .bind(2, dc01)
            .bind(3, std::string_view("PSEXESVC.exe"))
            .bind(4, std::string_view("smb-admin-share"));
        tr.bind(5, std::string_view("push")).bind(6, int64_t(1700000001000000)).bind(7, int64_t(1700000002000000));
        tr.bind(8, 0.9).bind(9, std::string_view("high")).bind(10, std::string_view("smb-share-write"));
        tr.exec();
        db.exec(std::string("UPDATE transfers SET key = ") + tt::store::kTransferKeySql);
        // CHECK constraints came along.
        tr.bind(1, ws01).bind(2, dc01).bind(3, std::string_view("x")).bind(4, std::string_view("carrier-pigeon"));
        tr.bind(5, std::string_view("push")).bind(6, 1).bind(7, 1).bind(8, 0.5).bind(9, std::string_view("low"));
        tr.bind(10, std::string_view("r"));
        QCOMPARE(sqlstateOf([&] {
            db.exec("SAVEPOINT s");
            tr.exec();
        }),
            std::string("23514"));
        db.exec("ROLLBACK TO SAVEPOINT s");
        auto note = db.prepare("INSERT INTO annotations(target_kind, target_key, note, created_utc, modified_utc) "
                               "VALUES('host', ?, ?, 1, 1)");
        note.bind(1, std::string_view("WS01")).bind(2, std::string_view("<script>alert(1)</script>"));
        note.exec();
        auto fts = db.prepare("INSERT INTO events_fts(rowid, text) VALUES(?, ?)");
        fts.bind(1, 1).bind(2, std::string_view("WS01 C:\\Windows\\PSEXESVC.exe cmd /c whoami"));
        fts.exec();
        tx.commit();

        QCOMPARE(db.queryInt("SELECT count(*) FROM events WHERE host_id = " + std::to_string(ws01)), 3);
        auto read
            = db.prepare("SELECT b.data, e.ts FROM events e JOIN record_blocks b ON b.id = e.block_id ORDER BY e.id");
        QVERIFY(read.step());
        QCOMPARE(std::string(read.blob(0)), payload);
        QCOMPARE(read.int64(1), int64_t(1700000000000001));
        read.reset();
        auto key = db.prepare("SELECT key, confidence FROM transfers");
        QVERIFY(key.step());
        QCOMPARE(key.text(0), std::string("DC01|psexesvc.exe|1700000001"));
        QCOMPARE(key.real(1), 0.9);
        key.reset();
        // Built-in tags; names unique regardless of case (COLLATE NOCASE -> the nocase collation).
        QCOMPARE(db.queryInt("SELECT count(*) FROM tags WHERE builtin = 1"), 3);
        QCOMPARE(db.queryInt("SELECT count(*) FROM tags WHERE name = 'MALICIOUS'"), 1);
        QCOMPARE(sqlstateOf(
                     [&] { db.exec("INSERT INTO tags(name, color, created_utc) VALUES('Malicious', '#000000', 1)"); }),
            std::string("23505"));
        // Substring search, case ignored, like the FTS5 trigram table.
        auto search = db.prepare("SELECT rowid FROM events_fts WHERE text ILIKE ?");
        search.bind(1, std::string_view("%psexesvc%"));
        QVERIFY(search.step());
        QCOMPARE(search.int64(0), 1);
        search.reset();
        auto noteText = db.prepare("SELECT note FROM annotations WHERE target_key = ?");
        noteText.bind(1, std::string_view("WS01"));
        QVERIFY(noteText.step());
        QCOMPARE(noteText.text(0), std::string("<script>alert(1)</script>"));
    }

    void casesInOneDatabaseAreSeparate()
    {
        const CaseLocation a = CaseLocation::parse(m_pg.url("case_a")), b = CaseLocation::parse(m_pg.url("case_b"));
        PgDb da, dbb;
        da.open(a, PgDb::Mode::ReadWrite);
        dbb.open(b, PgDb::Mode::ReadWrite);
        QVERIFY(tt::store::createPgCase(da, a, "test"));
        QVERIFY(tt::store::createPgCase(dbb, b, "test"));
        da.exec("INSERT INTO hosts(name) VALUES('ONLY_A')");
        QCOMPARE(da.queryInt("SELECT count(*) FROM hosts"), 1);
        QCOMPARE(dbb.queryInt("SELECT count(*) FROM hosts"), 0);
        // A schema of that name holding something else is not taken for a case.
        const CaseLocation c = CaseLocation::parse(m_pg.url("other"));
        PgDb dc;
        dc.open(c, PgDb::Mode::ReadWrite);
        dc.exec("CREATE SCHEMA tt_other; CREATE TABLE tt_other.x(a int)");
        try {
            tt::store::createPgCase(dc, c, "test");
            QFAIL("took a foreign schema");
        } catch (const std::runtime_error &e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(QStringLiteral("not a TransferTrace case")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstPgStore)
#include "tst_pg_store.moc"
