// Roles on a server case with PostgreSQL's own grants (issue 13 item 4) and the `copy` / `server`
// commands (item 5), against a throw-away server whose roles log in with SCRAM passwords:
// a viewer opens and reads (select from transfers through PgDb), cannot write (SQLSTATE 42501 said
// clearly, nothing changed), an analyst can; pgCaseAccess says which and why; grants follow tables
// added later; revoke takes everything; an unknown role is refused clearly. The CLI: exit codes,
// a password given in a URL appears in no output, SIGINT in the middle of a copy exits 130 and
// leaves no case or file behind.

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/CaseCopy.h"
#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/PgDb.h"
#include "store/PgRoles.h"
#include "store/PgSchema.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "CliRun.h"
#include "pg/PgTestCluster.h"

#include <csignal>

using namespace tt;
using store::CaseLocation;

namespace {
const char *const kViewerPw = "v-Secret-4711";
const char *const kAnalystPw = "a-Secret-0815";
} // namespace

class TstPgRoles : public QObject {
    Q_OBJECT
    test::PgTestCluster m_pg;
    QTemporaryDir m_dir;
    QString m_fixture;

    std::string url(const std::string &caseName, const std::string &user = test::PgTestCluster::kSuperuser) const
    {
        return m_pg.url(caseName, "postgres", user);
    }
    QString qurl(const std::string &caseName, const std::string &user = test::PgTestCluster::kSuperuser) const
    {
        return QString::fromStdString(url(caseName, user));
    }

    static void noSecretIn(const test::Run &r, const char *secret)
    {
        QVERIFY2(!r.out.contains(secret) && !r.err.contains(secret), QByteArray(r.out + r.err).constData());
    }

    static std::string sqlstateOf(const std::function<void()> &f, std::string *message = nullptr)
    {
        try {
            f();
        } catch (const sql::PgError &e) {
            if (message)
                *message = e.what();
            return e.sqlstate();
        }
        return "<no error>";
    }

    int64_t adminCount(const std::string &sql)
    {
        sql::PgDb db;
        db.open(CaseLocation::parse(url("rc")), sql::PgDb::Mode::ReadOnly);
        return db.queryInt(sql);
    }

    // Starts a copy paused after its first batch of events, interrupts it, returns the run.
    test::Run interruptedCopy(const QStringList &args)
    {
        QProcess p;
        p.setProgram(QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + "/app/transfertrace");
        p.setArguments(args);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("TT_TEST_PAUSE_AT", "copy-events");
        p.setProcessEnvironment(env);
        p.start();
        QByteArray err;
        QElapsedTimer t;
        t.start();
        while (!err.contains("paused at copy-events") && t.elapsed() < 120000 && p.state() != QProcess::NotRunning) {
            p.waitForReadyRead(200);
            err += p.readAllStandardError();
        }
        if (!err.contains("paused at copy-events"))
            return {-2, p.readAllStandardOutput(), err};
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        if (!p.waitForFinished(120000))
            return {};
        return {p.exitCode(), p.readAllStandardOutput(), err + p.readAllStandardError()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        sql::PgDb admin;
        admin.open(CaseLocation::parse(url("rc")), sql::PgDb::Mode::ReadWrite);
        admin.exec(std::string("CREATE ROLE viewer1 LOGIN PASSWORD '") + kViewerPw + "'");
        admin.exec(std::string("CREATE ROLE analyst1 LOGIN PASSWORD '") + kAnalystPw + "'");
        // A small generated case (import + inference), the source of the copies.
        gen::Options o;
        o.hosts = 5;
        o.events = 1500;
        o.seed = 4;
        o.linuxHosts = 1;
        o.outDir = m_dir.filePath("gen");
        const gen::Summary g = gen::generate(o);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        m_fixture = m_dir.filePath("fixture.ttcase");
        auto cs = store::CaseStore::open(m_fixture.toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        std::vector<std::string> files;
        for (const QString &f : g.files)
            files.push_back(f.toStdString());
        QCOMPARE(engine.run(files).exitCode(), 0);
        inference::InferenceEngine(*cs).run();
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM transfers") > 0);
    }

    void copyCommandExitCodes()
    {
        test::Run r = test::cli({"copy", m_fixture, qurl("rc"), "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QVERIFY(root.value("verified").toBool());
        const QJsonArray tables = root.value("tables").toArray();
        QVERIFY(tables.size() >= 30);
        for (const auto &t : tables) {
            QVERIFY(t.toObject().value("same").toBool());
            QCOMPARE(t.toObject().value("source_sha256").toString().size(), 64);
        }
        QVERIFY(adminCount("SELECT count(*) FROM transfers") > 0);
        // Back to a file: the text table, every table the same.
        const QString back = m_dir.filePath("back.ttcase");
        r = test::cli({"copy", qurl("rc"), back});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("events"));
        QVERIFY(r.out.contains("same"));
        QVERIFY(!r.out.contains("DIFFERS"));
        QVERIFY(QFileInfo::exists(back));
        // Existing file, existing data, missing source: 1 with the reason; bad arguments: 2.
        r = test::cli({"copy", qurl("rc"), back});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("never overwrites"), r.err.constData());
        r = test::cli({"copy", m_fixture, qurl("rc")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("already holds data") && r.err.contains("--replace"), r.err.constData());
        r = test::cli({"copy", m_fixture, qurl("rc"), "--replace"});
        QVERIFY2(r.code == 0, r.err.constData());
        r = test::cli({"copy", m_dir.filePath("missing.ttcase"), qurl("other")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("does not exist"), r.err.constData());
        r = test::cli({"copy", m_fixture});
        QCOMPARE(r.code, 2);
        r = test::cli({"copy", m_fixture, qurl("rc"), "--frobnicate"});
        QCOMPARE(r.code, 2);
        r = test::cli({"copy", m_fixture, "postgresql://tt:pw-Leak-99@/postgres?host=/tmp"}); // no case=
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("case"), r.err.constData());
        noSecretIn(r, "pw-Leak-99");
    }

    // A difference found by the verification: exit 1, the table marked, nothing written.
    void differenceExitsOneAndWritesNothing()
    {
        sql::PgDb db;
        db.open(CaseLocation::parse(url("differs")), sql::PgDb::Mode::ReadWrite);
        QVERIFY(store::createPgCase(db, CaseLocation::parse(url("differs")), "test"));
        db.exec("CREATE FUNCTION shift_ts() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN NEW.ts := NEW.ts + 1; RETURN NEW; END $$");
        db.exec("CREATE TRIGGER shift_ts BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION shift_ts()");
        const test::Run r = test::cli({"copy", m_fixture, qurl("differs")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.contains("DIFFERS"), r.out.constData());
        QVERIFY2(r.err.contains("rolled back, nothing was written"), r.err.constData());
        QCOMPARE(db.queryInt("SELECT count(*) FROM events"), 0);
        QCOMPARE(db.queryInt("SELECT count(*) FROM sources"), 0);
    }

    void passwordsAppearInNoOutput()
    {
        sql::PgDb admin;
        admin.open(CaseLocation::parse(url("rc")), sql::PgDb::Mode::ReadWrite);
        store::grantPgCase(admin, CaseLocation::parse(url("rc")), "viewer1", store::PgCaseRole::Viewer);
        const std::string viewer = std::string("viewer1:") + kViewerPw;
        // Success (a viewer may copy the case to a file), then failures: wrong password, a viewer
        // writing, a viewer creating a case.
        test::Run r = test::cli({"copy", qurl("rc", viewer), m_dir.filePath("as-viewer.ttcase")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("viewer1@"));
        noSecretIn(r, kViewerPw);
        r = test::cli({"copy", qurl("rc", viewer), m_dir.filePath("as-viewer2.ttcase"), "--json"});
        QCOMPARE(r.code, 0);
        noSecretIn(r, kViewerPw);
        r = test::cli({"copy", m_fixture, qurl("rc", "viewer1:wrong-Pw-77")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("authentication") || r.err.contains("password"), r.err.constData());
        noSecretIn(r, "wrong-Pw-77");
        r = test::cli({"copy", m_fixture, qurl("rc", viewer), "--replace"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("permission denied: role viewer1"), r.err.constData());
        noSecretIn(r, kViewerPw);
        r = test::cli({"copy", m_fixture, qurl("viewers_case", viewer)});
        QCOMPARE(r.code, 1);
        noSecretIn(r, kViewerPw);
        r = test::cli({"server", "grant", qurl("rc", viewer), "--viewer", "analyst1"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("does not own"), r.err.constData());
        noSecretIn(r, kViewerPw);
    }

    void unknownRoleIsRefusedClearly()
    {
        sql::PgDb admin;
        admin.open(CaseLocation::parse(url("rc")), sql::PgDb::Mode::ReadWrite);
        try {
            store::grantPgCase(admin, CaseLocation::parse(url("rc")), "ghost", store::PgCaseRole::Viewer);
            QFAIL("granted to a role that does not exist");
        } catch (const std::runtime_error &e) {
            QVERIFY2(std::string(e.what()).find("there is no role 'ghost'") != std::string::npos, e.what());
        }
        QCOMPARE(admin.queryInt("SELECT count(*) FROM pg_roles WHERE rolname = 'ghost'"), 0); // none made
        test::Run r = test::cli({"server", "grant", qurl("rc"), "--viewer", "ghost"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("there is no role 'ghost'"), r.err.constData());
        r = test::cli({"server", "grant", qurl("nocase"), "--viewer", "viewer1"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("there is no case 'nocase'"), r.err.constData());
        // Usage errors: 2.
        QCOMPARE(test::cli({"server", "grant", qurl("rc")}).code, 2);
        QCOMPARE(test::cli({"server", "grant", qurl("rc"), "--viewer", "a", "--analyst", "b"}).code, 2);
        QCOMPARE(test::cli({"server", "frob", qurl("rc")}).code, 2);
        QCOMPARE(test::cli({"server", "revoke", qurl("rc")}).code, 2);
        QCOMPARE(test::cli({"server", "grant", m_fixture, "--viewer", "viewer1"}).code, 2);
    }

    void viewerReadsButCannotWrite()
    {
        test::Run r = test::cli({"server", "grant", qurl("rc"), "--viewer", "viewer1"});
        QVERIFY2(r.code == 0, r.err.constData());
        const int64_t transfers = adminCount("SELECT count(*) FROM transfers");
        const int64_t annotations = adminCount("SELECT count(*) FROM annotations");
        const auto before = store::caseChecksums(CaseLocation::parse(url("rc")));
        sql::PgDb db;
        db.open(CaseLocation::parse(url("rc", std::string("viewer1:") + kViewerPw)), sql::PgDb::Mode::ReadWrite);
        const store::PgCaseAccess access = store::pgCaseAccess(db);
        QVERIFY(access.canRead);
        QVERIFY(!access.canWrite);
        QCOMPARE(access.role, std::string("viewer1"));
        QCOMPARE(access.reason, std::string("role viewer1 may only read this case (granted as viewer)"));
        QCOMPARE(db.queryInt("SELECT count(*) FROM transfers"), transfers);
        auto st = db.prepare("SELECT file_name, method FROM transfers ORDER BY id");
        QVERIFY(st.step());
        QVERIFY(!st.text(0).empty());
        st.reset();
        std::string message;
        QCOMPARE(sqlstateOf(
                     [&] {
                         db.exec("INSERT INTO annotations(target_kind, target_key, created_utc, modified_utc) "
                                 "VALUES('host', 'WS01', 1, 1)");
                     },
                     &message),
            std::string("42501"));
        QVERIFY2(message.find("permission denied: role viewer1 may not do this with the case") != std::string::npos,
            message.c_str());
        QVERIFY2(message.find("INSERT") == std::string::npos, message.c_str()); // no raw SQL
        {
            // The store (what the workbench and every command open) opens it read-only with the
            // reason, and reads.
            auto cs = store::CaseStore::open(url("rc", std::string("viewer1:") + kViewerPw),
                store::CaseStore::Access::ReadWrite, store::OpenOptions {true});
            QVERIFY(cs->readOnly());
            QCOMPARE(cs->readOnlyCause(), store::CaseStore::ReadOnlyCause::NoWritePermission);
            QCOMPARE(cs->readOnlyReason(), std::string("role viewer1 may only read this case (granted as viewer)"));
            QCOMPARE(cs->totals().events, adminCount("SELECT count(*) FROM events"));
        }
        // A command that writes exits 1 with the reason, nothing changed.
        r = test::cli({"meta", qurl("rc", std::string("viewer1:") + kViewerPw), "--title", "viewer was here"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("may only read this case"), r.err.constData());
        QVERIFY2(!r.err.contains(kViewerPw), r.err.constData());
        QCOMPARE(adminCount("SELECT count(*) FROM case_info WHERE value = 'viewer was here'"), 0);
        auto upd = db.prepare("UPDATE transfers SET file_name = ? WHERE id = (SELECT min(id) FROM transfers)");
        upd.bind(1, std::string_view("evil.exe"));
        QCOMPARE(sqlstateOf([&] { upd.exec(); }, &message), std::string("42501"));
        QVERIFY2(message.find("UPDATE") == std::string::npos, message.c_str());
        QCOMPARE(sqlstateOf([&] { db.exec("DELETE FROM annotations"); }), std::string("42501"));
        // Nothing changed.
        QCOMPARE(adminCount("SELECT count(*) FROM annotations"), annotations);
        const auto after = store::caseChecksums(CaseLocation::parse(url("rc")));
        QCOMPARE(after.size(), before.size());
        for (size_t i = 0; i < after.size(); ++i)
            QCOMPARE(after[i].sha256, before[i].sha256);
    }

    void analystCanWrite()
    {
        test::Run r = test::cli({"server", "grant", qurl("rc"), "--analyst", "analyst1"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("analyst access"));
        sql::PgDb db;
        db.open(CaseLocation::parse(url("rc", std::string("analyst1:") + kAnalystPw)), sql::PgDb::Mode::ReadWrite);
        const store::PgCaseAccess access = store::pgCaseAccess(db);
        QVERIFY(access.canRead);
        QVERIFY2(access.canWrite, access.reason.c_str());
        QCOMPARE(access.reason, std::string());
        const int64_t maxId = db.queryInt("SELECT coalesce(max(id), 0) FROM annotations");
        auto ins = db.prepare("INSERT INTO annotations(target_kind, target_key, note, created_utc, modified_utc) "
                              "VALUES('host', 'WS02', 'seen', 1, 1) RETURNING id");
        QVERIFY(ins.step());
        QVERIFY(ins.int64(0) > maxId); // the identity sequence, usable by the analyst
        ins.reset();
        db.exec("UPDATE annotations SET note = 'checked' WHERE target_key = 'WS02'");
        QCOMPARE(adminCount("SELECT count(*) FROM annotations WHERE note = 'checked'"), 1);
        db.exec("DELETE FROM annotations WHERE target_key = 'WS02'");
        QCOMPARE(adminCount("SELECT count(*) FROM annotations WHERE target_key = 'WS02'"), 0);
        {
            auto cs = store::CaseStore::open(url("rc", std::string("analyst1:") + kAnalystPw),
                store::CaseStore::Access::ReadWrite, store::OpenOptions {true});
            QVERIFY2(!cs->readOnly(), cs->readOnlyReason().c_str());
        }
        r = test::cli({"meta", qurl("rc", std::string("analyst1:") + kAnalystPw), "--title", "analyst was here"});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(adminCount("SELECT count(*) FROM case_info WHERE value = 'analyst was here'"), 1);
        // A read-only session of an analyst says so.
        sql::PgDb ro;
        ro.open(CaseLocation::parse(url("rc", std::string("analyst1:") + kAnalystPw)), sql::PgDb::Mode::ReadOnly);
        QCOMPARE(store::pgCaseAccess(ro).reason, std::string("the case was opened read-only"));
    }

    void grantingAgainChangesTheRole()
    {
        sql::PgDb admin;
        admin.open(CaseLocation::parse(url("rc")), sql::PgDb::Mode::ReadWrite);
        store::grantPgCase(admin, CaseLocation::parse(url("rc")), "analyst1", store::PgCaseRole::Viewer);
        sql::PgDb db;
        db.open(CaseLocation::parse(url("rc", std::string("analyst1:") + kAnalystPw)), sql::PgDb::Mode::ReadWrite);
        QVERIFY(!store::pgCaseAccess(db).canWrite);
        QCOMPARE(sqlstateOf([&] { db.exec("DELETE FROM annotations"); }), std::string("42501"));
        store::grantPgCase(admin, CaseLocation::parse(url("rc")), "analyst1", store::PgCaseRole::Analyst);
        QVERIFY(store::pgCaseAccess(db).canWrite);
    }

    void grantsFollowTablesAddedLater()
    {
        sql::PgDb admin;
        admin.open(CaseLocation::parse(url("rc")), sql::PgDb::Mode::ReadWrite);
        admin.exec("CREATE TABLE later_step(id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text)");
        sql::PgDb viewer, analyst;
        viewer.open(CaseLocation::parse(url("rc", std::string("viewer1:") + kViewerPw)), sql::PgDb::Mode::ReadWrite);
        analyst.open(CaseLocation::parse(url("rc", std::string("analyst1:") + kAnalystPw)), sql::PgDb::Mode::ReadWrite);
        QCOMPARE(viewer.queryInt("SELECT count(*) FROM later_step"), 0);
        QCOMPARE(sqlstateOf([&] { viewer.exec("INSERT INTO later_step(v) VALUES('x')"); }), std::string("42501"));
        analyst.exec("INSERT INTO later_step(v) VALUES('x')");
        QVERIFY(store::pgCaseAccess(analyst).canWrite);
        QVERIFY(store::pgCaseAccess(viewer).canRead);
        admin.exec("DROP TABLE later_step");
    }

    void revokeTakesEverything()
    {
        test::Run r = test::cli({"server", "revoke", qurl("rc"), "viewer1"});
        QVERIFY2(r.code == 0, r.err.constData());
        sql::PgDb db;
        db.open(CaseLocation::parse(url("rc", std::string("viewer1:") + kViewerPw)), sql::PgDb::Mode::ReadWrite);
        const store::PgCaseAccess access = store::pgCaseAccess(db);
        QVERIFY(!access.canRead);
        QVERIFY(!access.canWrite);
        QVERIFY2(access.reason.find("may not read this case") != std::string::npos, access.reason.c_str());
        // Without USAGE the schema drops out of the search path: a plain name is not found at all
        // (42P01, which is why a session asks pgCaseAccess first); the qualified name says why.
        QCOMPARE(sqlstateOf([&] { db.queryInt("SELECT count(*) FROM transfers"); }), std::string("42P01"));
        std::string message;
        QCOMPARE(
            sqlstateOf([&] { db.queryInt("SELECT count(*) FROM tt_rc.transfers"); }, &message), std::string("42501"));
        QVERIFY2(message.find("permission denied: role viewer1") != std::string::npos, message.c_str());
        // The store refuses to open it, saying why (not "relation does not exist").
        try {
            store::CaseStore::open(url("rc", std::string("viewer1:") + kViewerPw), store::CaseStore::Access::ReadOnly);
            QFAIL("a role without access opened the case");
        } catch (const std::runtime_error &e) {
            QVERIFY2(std::string(e.what()).find("may not read this case") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find(kViewerPw) == std::string::npos, e.what());
        }
        r = test::cli({"info", qurl("rc", std::string("viewer1:") + kViewerPw)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("may not read this case"), r.err.constData());
    }

    void createRoleReadsThePasswordFromStdin()
    {
        const char *pw = "n3wbie-Pass-31337";
        QProcess p;
        p.setProgram(QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + "/app/transfertrace");
        p.setArguments({"server", "grant", qurl("rc"), "--analyst", "newbie", "--create"});
        p.start();
        p.write(QByteArray(pw) + "\n");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(120000));
        const test::Run r {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        QVERIFY2(r.code == 0, r.err.constData());
        noSecretIn(r, pw);
        sql::PgDb db;
        db.open(CaseLocation::parse(url("rc", std::string("newbie:") + pw)), sql::PgDb::Mode::ReadWrite);
        QVERIFY(store::pgCaseAccess(db).canWrite);
        QFile log(m_pg.socketDir() + "/server.log");
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(!log.readAll().contains(pw)); // only the SCRAM verifier went to the server
    }

    void sigintLeavesNoHalfCopy()
    {
        test::Run r = interruptedCopy({"copy", m_fixture, qurl("cancelme")});
        QVERIFY2(r.code == 130, QByteArray(QByteArray::number(r.code) + " " + r.err).constData());
        QVERIFY2(r.err.contains("cancelled by SIGINT"), r.err.constData());
        sql::PgDb admin;
        admin.open(CaseLocation::parse(url("cancelme")), sql::PgDb::Mode::ReadWrite);
        QCOMPARE(store::pgSchemaVersion(admin, CaseLocation::parse(url("cancelme"))), 0);
        const QString out = m_dir.filePath("interrupted.ttcase");
        r = interruptedCopy({"copy", qurl("rc"), out});
        QVERIFY2(r.code == 130, QByteArray(QByteArray::number(r.code) + " " + r.err).constData());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(QDir(m_dir.path()).entryList({"interrupted.ttcase*"}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstPgRoles)
#include "tst_pg_roles.moc"
