// Change notifications of server cases (issue 13 item 3, store level), against a throw-away
// server: the triggers createPgCase / ensurePgNotifyTriggers make, and store::CaseChangeListener.
// A committed note reaches a listener on another connection within 1 s (measured), a rolled-back
// one never; every kind of table notifies its kind; case A's listener hears nothing of case B;
// after pg_terminate_backend the listener reconnects without blocking past its timeout and
// reports everything-changed; payloads are fixed words, never row text.

#include "store/CaseChangeListener.h"
#include "store/CaseLocation.h"
#include "store/PgDb.h"
#include "store/PgSchema.h"

#include <QElapsedTimer>
#include <QTest>

#include "pg/PgTestCluster.h"

#include <libpq-fe.h>

#include <thread>

using tt::sql::PgDb;
using tt::sql::PgTransaction;
using tt::store::CaseChangeListener;
using tt::store::CaseLocation;
namespace store = tt::store;

class TstPgNotify : public QObject {
    Q_OBJECT
    tt::test::PgTestCluster m_pg;
    CaseLocation m_a, m_b;
    PgDb m_writerA, m_writerB;
    int m_notes = 0;

    void insertNote(PgDb &db, const std::string &note)
    {
        auto st = db.prepare("INSERT INTO annotations(target_kind, target_key, note, created_utc, modified_utc) "
                             "VALUES('host', ?, ?, 1, 1)");
        st.bind(1, "HOST" + std::to_string(++m_notes)).bind(2, note);
        st.exec();
    }

    // Polls until something arrives or `ms` pass (several polls: a poll returns at the first batch).
    store::ChangeKinds collect(CaseChangeListener &l, int ms)
    {
        QElapsedTimer t;
        t.start();
        store::ChangeKinds kinds = store::NoChange;
        while (t.elapsed() < ms)
            kinds |= l.poll(static_cast<int>(ms - t.elapsed()));
        return kinds;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        m_a = CaseLocation::parse(m_pg.url("case_a"));
        m_b = CaseLocation::parse(m_pg.url("case_b"));
        m_writerA.open(m_a, PgDb::Mode::ReadWrite);
        m_writerB.open(m_b, PgDb::Mode::ReadWrite);
        QVERIFY(store::createPgCase(m_writerA, m_a, "test"));
        QVERIFY(store::createPgCase(m_writerB, m_b, "test"));
    }

    void createPgCaseMakesTheTriggersAndEnsureIsIdempotent()
    {
        const char *count = "SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                            "JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE n.nspname = 'tt_case_a' AND g.tgname LIKE 'tt_notify_%'";
        QCOMPARE(m_writerA.queryInt(count), 8);
        QCOMPARE(store::ensurePgNotifyTriggers(m_writerA, m_a), 0);
        // A case made before the triggers existed: they are created when it is opened for writing.
        m_writerA.exec("DROP TRIGGER tt_notify_sources ON sources; DROP TRIGGER tt_notify_saved_views ON saved_views");
        QCOMPARE(m_writerA.queryInt(count), 6);
        QCOMPARE(store::ensurePgNotifyTriggers(m_writerA, m_a), 2);
        QCOMPARE(m_writerA.queryInt(count), 8);
        QCOMPARE(store::ensurePgNotifyTriggers(m_writerA, m_a), 0);
        const CaseLocation none = CaseLocation::parse(m_pg.url("no_such_case"));
        PgDb d;
        d.open(none, PgDb::Mode::ReadWrite);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, store::ensurePgNotifyTriggers(d, none));
    }

    void anAnalystWithoutDdlRightsOpensAndNotifies()
    {
        m_writerA.exec("CREATE ROLE analyst LOGIN PASSWORD 'pw'; GRANT USAGE ON SCHEMA tt_case_a TO analyst; "
                       "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tt_case_a TO analyst; "
                       "GRANT USAGE ON ALL SEQUENCES IN SCHEMA tt_case_a TO analyst");
        const CaseLocation asAnalyst = CaseLocation::parse(m_pg.url("case_a", "postgres", "analyst:pw"));
        PgDb db;
        db.open(asAnalyst, PgDb::Mode::ReadWrite);
        QCOMPARE(store::ensurePgNotifyTriggers(db, asAnalyst), 0); // all there: no DDL attempted
        CaseChangeListener l(m_a);
        insertNote(db, "by the analyst role");
        QCOMPARE(collect(l, 1000), store::ChangeKinds(store::AnnotationsChanged));
    }

    void committedNoteArrivesWithinOneSecond()
    {
        CaseChangeListener l(m_a);
        QVERIFY(l.connected());
        QCOMPARE(l.poll(0), store::NoChange);
        PgTransaction tx(m_writerA);
        insertNote(m_writerA, "seen by the other analyst");
        // Not committed yet: nothing is delivered.
        QCOMPARE(l.poll(200), store::NoChange);
        QElapsedTimer t;
        t.start();
        tx.commit();
        const store::ChangeKinds k = l.poll(5000);
        const qint64 ms = t.elapsed();
        qInfo("commit -> listener: %lld ms", static_cast<long long>(ms));
        QCOMPARE(k, store::ChangeKinds(store::AnnotationsChanged));
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    }

    void rolledBackNotifiesNothing()
    {
        CaseChangeListener l(m_a);
        {
            PgTransaction tx(m_writerA);
            insertNote(m_writerA, "never committed");
            m_writerA.exec("INSERT INTO node_positions(host_name, x, y) VALUES('H', 1, 2)");
            tx.rollback();
        }
        QCOMPARE(collect(l, 700), store::NoChange);
        // The listener does work: the same change committed is heard.
        insertNote(m_writerA, "committed");
        QCOMPARE(collect(l, 1000), store::ChangeKinds(store::AnnotationsChanged));
    }

    void everyTableNotifiesItsKind_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<uint>("kinds");
        QTest::newRow("tag") << "INSERT INTO tags(name, color, created_utc) VALUES('lateral', '#000000', 1)"
                             << uint(store::TagsChanged);
        QTest::newRow("annotation tag")
            << "INSERT INTO annotation_tags(annotation_id, tag_id) SELECT min(id), 1 FROM annotations"
            << uint(store::AnnotationsChanged);
        QTest::newRow("saved view")
            << "INSERT INTO saved_views(name, filter_json, created_utc, modified_utc) VALUES('v', '{}', 1, 1)"
            << uint(store::ViewsChanged);
        QTest::newRow("position") << "INSERT INTO node_positions(host_name, x, y) VALUES('DC01', 1, 2)"
                                  << uint(store::PositionsChanged);
        QTest::newRow("position update") << "UPDATE node_positions SET x = 5" << uint(store::PositionsChanged);
        QTest::newRow("view delete") << "DELETE FROM saved_views" << uint(store::ViewsChanged);
        QTest::newRow("import committed")
            << "INSERT INTO sources(path, sha256, format, parser, parser_version, imported_utc) "
               "VALUES('Security.evtx', 'ab12', 'evtx', 'evtx', '1', 1)"
            << uint(store::SourcesChanged);
        // The statement notifies even when it changes no row (the trigger is per statement).
        QTest::newRow("inference committed") << "DELETE FROM transfers" << uint(store::TransfersChanged);
        QTest::newRow("two kinds in one transaction, coalesced")
            << "BEGIN; UPDATE annotations SET note = 'x'; UPDATE annotations SET note = 'y'; "
               "INSERT INTO node_positions(host_name, x, y) VALUES('WS02', 1, 2); COMMIT"
            << uint(store::AnnotationsChanged | store::PositionsChanged);
        QTest::newRow("a table without trigger") << "INSERT INTO hosts(name) VALUES('WS09')" << uint(store::NoChange);
    }
    void everyTableNotifiesItsKind()
    {
        QFETCH(QString, sql);
        QFETCH(uint, kinds);
        CaseChangeListener l(m_a);
        m_writerA.exec(sql.toStdString());
        QCOMPARE(store::changeKindsText(collect(l, 600)), store::changeKindsText(kinds));
    }

    void otherCaseIsNotHeard()
    {
        CaseChangeListener la(m_a), lb(m_b);
        insertNote(m_writerB, "in case b");
        QCOMPARE(collect(lb, 1000), store::ChangeKinds(store::AnnotationsChanged));
        QCOMPARE(collect(la, 500), store::NoChange);
    }

    void payloadsAreKindsNeverText()
    {
        // What the triggers send: look at the raw notification on a plain connection.
        PgDb raw;
        raw.open(m_a, PgDb::Mode::ReadWrite);
        raw.exec("LISTEN tt_case_a");
        const std::string attacker = "C:\\\\evil.exe'); NOTIFY x, 'y <script>";
        insertNote(m_writerA, attacker);
        std::vector<std::string> payloads;
        QElapsedTimer t;
        t.start();
        while (payloads.empty() && t.elapsed() < 2000) {
            QTest::qWait(20);
            QVERIFY(PQconsumeInput(raw.handle()));
            while (PGnotify *n = PQnotifies(raw.handle())) {
                payloads.emplace_back(n->extra);
                PQfreemem(n);
            }
        }
        QCOMPARE(payloads, std::vector<std::string> {"annotations"});
        // Anyone allowed to NOTIFY on the channel can send any text: the listener passes on no
        // text, only known kinds, and counts the rest.
        CaseChangeListener l(m_a);
        raw.exec("NOTIFY tt_case_a, '<b>attacker</b>'");
        raw.exec("NOTIFY tt_case_a, 'annotations '");
        QCOMPARE(collect(l, 500), store::NoChange);
        QCOMPARE(l.ignoredPayloads(), 2);
        QCOMPARE(store::changeKindFromPayload("Annotations"), store::NoChange);
    }

    void reconnectsAfterTerminateAndReportsEverything()
    {
        // A database of its own: connections to it can be refused while m_writerA stays on postgres.
        m_writerA.exec("CREATE DATABASE reconn");
        const CaseLocation r = CaseLocation::parse(m_pg.url("case_r", "reconn"));
        PgDb w;
        w.open(r, PgDb::Mode::ReadWrite);
        QVERIFY(store::createPgCase(w, r, "test"));
        CaseChangeListener l(r);
        const int pid = l.backendPid();
        QVERIFY(pid > 0);
        auto kill = m_writerA.prepare("SELECT pg_terminate_backend(CAST(? AS integer))");
        kill.bind(1, static_cast<int64_t>(pid));
        QVERIFY(kill.step());
        QCOMPARE(kill.int64(0), 1); // true
        kill.reset();
        // While the server refuses new connections, every poll() returns within its timeout and
        // reports nothing (it cannot know).
        m_writerA.exec("ALTER DATABASE reconn ALLOW_CONNECTIONS false");
        struct Reopen {
            PgDb &db;
            ~Reopen() { db.exec("ALTER DATABASE reconn ALLOW_CONNECTIONS true"); }
        } reopen {m_writerA};
        qint64 longestRefused = 0;
        for (int i = 0; i < 8; ++i) {
            QElapsedTimer one;
            one.start();
            QCOMPARE(l.poll(100), store::NoChange);
            longestRefused = std::max(longestRefused, one.elapsed());
        }
        QVERIFY(l.connecting());
        QCOMPARE(l.backendPid(), 0);
        QVERIFY2(
            QString::fromStdString(l.lastError()).contains(QStringLiteral("cannot connect")), l.lastError().c_str());
        QVERIFY2(longestRefused < 400, qPrintable(QString::number(longestRefused))); // 100 ms asked, slack for load
        m_writerA.exec("ALTER DATABASE reconn ALLOW_CONNECTIONS true");
        // A change committed while the listener is down is lost as a notification: that is why a
        // reconnect reports everything.
        insertNote(w, "while the listener was down");
        QElapsedTimer total;
        total.start();
        store::ChangeKinds k = store::NoChange;
        qint64 longest = 0;
        while (!(k & store::EverythingChanged) && total.elapsed() < 10000) {
            QElapsedTimer one;
            one.start();
            k |= l.poll(100);
            longest = std::max(longest, one.elapsed());
        }
        qInfo("refused: longest poll(100) %lld ms; allowed again: reconnected after %lld ms, longest poll(100) %lld ms",
            static_cast<long long>(longestRefused), static_cast<long long>(total.elapsed()),
            static_cast<long long>(longest));
        QVERIFY(k & store::EverythingChanged);
        QCOMPARE(l.reconnects(), 1);
        QVERIFY2(longest < 400, qPrintable(QString::number(longest))); // 100 ms asked, slack for load
        QVERIFY(l.connected());
        QVERIFY(l.backendPid() != pid);
        // Listening again.
        insertNote(w, "after the reconnect");
        QCOMPARE(collect(l, 1000), store::ChangeKinds(store::AnnotationsChanged));
    }

    void cancelWakesAWaitingPoll()
    {
        CaseChangeListener l(m_a);
        std::thread canceller([&l] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            l.cancel();
        });
        QElapsedTimer t;
        t.start();
        const store::ChangeKinds k = l.poll(10000);
        const qint64 ms = t.elapsed();
        canceller.join();
        QCOMPARE(k, store::NoChange);
        QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
        QVERIFY(l.cancelled());
        t.restart();
        QCOMPARE(l.poll(5000), store::NoChange); // cancelled for good
        QVERIFY(t.elapsed() < 100);
    }

    void badLocationsAreRefused()
    {
        QVERIFY_THROWS_EXCEPTION(tt::sql::PgError, CaseChangeListener(CaseLocation::parse("/tmp/x.ttcase")));
        // No server there: a clear error naming the location, without a password.
        const CaseLocation gone
            = CaseLocation::parse("postgresql://tt:secret@/postgres?case=a&host=/nonexistent-dir&connect_timeout=2");
        try {
            CaseChangeListener l(gone);
            QFAIL("connected to nothing");
        } catch (const tt::sql::PgError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("cannot connect")), e.what());
            QVERIFY2(!QString::fromUtf8(e.what()).contains(QStringLiteral("secret")), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TstPgNotify)
#include "tst_pg_notify.moc"
