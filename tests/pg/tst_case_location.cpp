// store::CaseLocation: file paths and postgresql:// URLs, what goes to libpq, the redacted form;
// and the rule that a password never shows: every parse error and every connection failure
// (bad host, refused port, bad database, authentication failure, unknown parameter) against a
// throw-away server, with the password fed in through the URL's user part and through password=.

#include "store/CaseLocation.h"
#include "store/PgDb.h"

#include <QTest>

#include "pg/PgTestCluster.h"

#include <stdexcept>

using tt::store::CaseLocation;

namespace {
constexpr const char *kSecret = "Pw9zSecret";

bool has(const std::vector<std::pair<std::string, std::string>> &params, const std::string &k, const std::string &v)
{
    for (const auto &p : params)
        if (p.first == k && p.second == v)
            return true;
    return false;
}
} // namespace

class TstCaseLocation : public QObject {
    Q_OBJECT
    tt::test::PgTestCluster m_pg;

    // Connects, expecting a failure; returns its message.
    QString connectError(const std::string &url)
    {
        tt::sql::PgDb db;
        try {
            db.open(CaseLocation::parse(url), tt::sql::PgDb::Mode::ReadWrite);
        } catch (const tt::sql::PgError &e) {
            return QString::fromStdString(e.what());
        }
        return QStringLiteral("<connected>");
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        qInfo("throw-away PostgreSQL: initdb %.2f s, start %.2f s", m_pg.initSeconds(), m_pg.startSeconds());
        tt::sql::PgDb admin;
        admin.open(CaseLocation::parse(m_pg.url("admin")), tt::sql::PgDb::Mode::ReadWrite);
        admin.exec(std::string("CREATE ROLE alice LOGIN PASSWORD '") + kSecret + "'");
        admin.exec("CREATE DATABASE ir OWNER alice"); // not in the same (implicit) transaction
    }

    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("isFile");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("redacted");
        QTest::newRow("file") << "/cases/acme.ttcase" << true << ""
                              << ""
                              << ""
                              << ""
                              << ""
                              << "/cases/acme.ttcase";
        QTest::newRow("full") << "postgresql://alice:s3cr%40t@db.example:5433/ir?case=acme&sslmode=require" << false
                              << "alice"
                              << "db.example"
                              << "5433"
                              << "ir"
                              << "acme"
                              << "postgresql://alice@db.example:5433/ir?case=acme&sslmode=require";
        QTest::newRow("postgres scheme, socket as parameter")
            << "postgres:///ir?host=/run/postgresql&case=c2" << false << ""
            << ""
            << ""
            << "ir"
            << "c2"
            << "postgresql:///ir?case=c2&host=/run/postgresql";
        QTest::newRow("ipv6") << "postgresql://[::1]:5432/ir?case=x_1" << false << ""
                              << "::1"
                              << "5432"
                              << "ir"
                              << "x_1"
                              << "postgresql://[::1]:5432/ir?case=x_1";
        QTest::newRow("socket dir as escaped host") << "postgresql://%2Fvar%2Frun%2Fpg/i%20r?case=c" << false << ""
                                                    << "/var/run/pg"
                                                    << ""
                                                    << "i r"
                                                    << "c"
                                                    << "postgresql://%2Fvar%2Frun%2Fpg/i%20r?case=c";
        QTest::newRow("password parameters")
            << "postgresql://bob@h/ir?case=c&password=hunter2&sslpassword=k3y&passfile=/x/.pgpass" << false << "bob"
            << "h"
            << ""
            << "ir"
            << "c"
            << "postgresql://bob@h/ir?case=c&passfile=/x/.pgpass";
        QTest::newRow("failover hosts") << "postgresql://a:1,b:2/ir?case=c" << false << ""
                                        << "a,b"
                                        << "1,2"
                                        << "ir"
                                        << "c"
                                        << "postgresql://a:1,b:2/ir?case=c";
        QTest::newRow("unescaped slash in password") << "postgresql://u:pa/ss@h/db?case=c" << false << "u"
                                                     << "h"
                                                     << ""
                                                     << "db"
                                                     << "c"
                                                     << "postgresql://u@h/db?case=c";
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, isFile);
        QFETCH(QString, user);
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, database);
        QFETCH(QString, caseName);
        QFETCH(QString, redacted);
        const CaseLocation loc = CaseLocation::parse(text.toStdString());
        QCOMPARE(loc.isFile(), isFile);
        QCOMPARE(QString::fromStdString(loc.redacted()), redacted);
        if (isFile) {
            QCOMPARE(QString::fromStdString(loc.path()), text);
            return;
        }
        QCOMPARE(QString::fromStdString(loc.user()), user);
        QCOMPARE(QString::fromStdString(loc.host()), host);
        QCOMPARE(QString::fromStdString(loc.port()), port);
        QCOMPARE(QString::fromStdString(loc.database()), database);
        QCOMPARE(QString::fromStdString(loc.caseName()), caseName);
        QCOMPARE(QString::fromStdString(loc.schemaName()), QStringLiteral("tt_") + caseName);
        // The redacted form parses back to the same location, less the password.
        QCOMPARE(CaseLocation::parse(loc.redacted()).redacted(), loc.redacted());
    }

    void libpqGetsEverythingButCase()
    {
        const auto loc = CaseLocation::parse(
            "postgresql://alice:s3cr%40t@db:5433/ir?case=acme&sslmode=verify-full&service=team&application_name=x");
        QVERIFY(loc.hasPassword());
        const auto params = loc.libpqParams();
        QVERIFY(has(params, "password", "s3cr@t"));
        QVERIFY(has(params, "user", "alice"));
        QVERIFY(has(params, "host", "db"));
        QVERIFY(has(params, "port", "5433"));
        QVERIFY(has(params, "dbname", "ir"));
        QVERIFY(has(params, "sslmode", "verify-full"));
        QVERIFY(has(params, "service", "team"));
        QVERIFY(has(params, "application_name", "x"));
        for (const auto &p : params)
            QVERIFY(p.first != "case");
        QVERIFY(!CaseLocation::parse("postgresql://h/ir?case=c").hasPassword());
        QVERIFY(CaseLocation::parse("postgresql://h/ir?case=c&password=x").hasPassword());
    }

    void badLocationsNameTheProblemWithoutThePassword_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString pw = QString::fromLatin1(kSecret);
        QTest::newRow("no case") << "postgresql://u:" + pw + "@h/ir"
                                 << "no case=NAME";
        QTest::newRow("upper-case case") << "postgresql://u:" + pw + "@h/ir?case=Acme"
                                         << "bad case name 'Acme'";
        QTest::newRow("case with a quote") << "postgresql://u:" + pw + "@h/ir?case=a%22b"
                                           << "bad case name";
        QTest::newRow("case twice") << "postgresql://u:" + pw + "@h/ir?case=a&case=b"
                                    << "'case' given twice";
        QTest::newRow("bad port") << "postgresql://u:" + pw + "@h:99999/ir?case=a"
                                  << "bad port";
        QTest::newRow("no database") << "postgresql://u:" + pw + "@h?case=a"
                                     << "no database";
        QTest::newRow("bad escape") << "postgresql://u:" + pw + "@h/i%zr?case=a"
                                    << "bad percent-escape";
        QTest::newRow("unescaped ? in the password") << "postgresql://u:a?" + pw + "@h/ir?case=a"
                                                     << "no database";
        QTest::newRow("password parameter") << "postgresql://u@h/ir?password=" + pw + "&case=Bad"
                                            << "bad case name";
        QTest::newRow("parameter without value") << "postgresql://u:" + pw + "@h/ir?case=a&sslmode"
                                                 << "without a value";
        QTest::newRow("empty") << ""
                               << "empty case location";
    }

    void badLocationsNameTheProblemWithoutThePassword()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            CaseLocation::parse(text.toStdString());
            QFAIL("accepted");
        } catch (const std::invalid_argument &e) {
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains(expected), qPrintable(msg));
            QVERIFY2(!msg.contains(QLatin1String(kSecret)), qPrintable(msg));
            QVERIFY2(!msg.contains(QLatin1String("Pw9z")), qPrintable(msg)); // not even a piece of it
        }
    }

    void connectionFailuresNeverShowThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        const QString dir = m_pg.socketDir();
        const QString wrong = QStringLiteral("Wr0ng") + QLatin1String(kSecret);
        QTest::newRow("authentication failure")
            << "postgresql://alice:" + wrong + "@/ir?case=a&host=" + dir << "password authentication failed";
        QTest::newRow("authentication failure, password=")
            << "postgresql://alice@/ir?case=a&password=" + wrong + "&host=" + dir << "password authentication failed";
        QTest::newRow("bad database") << "postgresql://alice:" + QLatin1String(kSecret) + "@/nosuchdb?case=a&host="
                + dir << "does not exist";
        QTest::newRow("bad host (no socket)")
            << "postgresql://alice:" + QLatin1String(kSecret) + "@/ir?case=a&host=" + dir + "/missing"
            << "cannot connect";
        QTest::newRow("refused port") << "postgresql://alice:" + QLatin1String(kSecret) + "@127.0.0.1:1/ir?case=a"
                                      << "cannot connect";
        QTest::newRow("unknown parameter")
            << "postgresql://alice:" + QLatin1String(kSecret) + "@/ir?case=a&sslmod=x&host=" + dir << "sslmod";
    }

    void connectionFailuresNeverShowThePassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        const QString msg = connectError(url.toStdString());
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("postgresql://alice@")), qPrintable(msg)); // names the location
        QVERIFY2(!msg.contains(QLatin1String(kSecret)), qPrintable(msg));
    }

    void rightPasswordConnectsAndTheLocationStaysRedacted()
    {
        tt::sql::PgDb db;
        db.open(CaseLocation::parse("postgresql://alice:" + std::string(kSecret)
                    + "@/ir?case=a&host=" + m_pg.socketDir().toStdString()),
            tt::sql::PgDb::Mode::ReadWrite);
        QCOMPARE(db.queryInt("SELECT 7"), 7);
        QVERIFY(db.location().find(kSecret) == std::string::npos);
        QVERIFY(db.location().find("alice@") != std::string::npos);
        // A failing statement's message carries no password either.
        try {
            db.exec("SELECT * FROM no_such_table");
            QFAIL("no error");
        } catch (const tt::sql::PgError &e) {
            QCOMPARE(QString::fromStdString(e.sqlstate()), QStringLiteral("42P01"));
            QVERIFY(std::string(e.what()).find(kSecret) == std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TstCaseLocation)
#include "tst_case_location.moc"
