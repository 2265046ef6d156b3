// `transfertrace notes`, `meta` and `info` on annotated cases and on the v1 fixture, through the
// real executable: filters, JSON intact, terminal output escaped, the session lock respected,
// read-only `info` of an old file leaving it unchanged.

#include "store/AnnotationStore.h"
#include "store/CaseLock.h"
#include "store/CaseStore.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "CliRun.h"
#include "V1Fixture.h"

#include "store/Schema.h"

using namespace tt;
using tt::test::fileBytes;
using tt::test::Run;
using tt::test::unpackV1Fixture;

// The notes CLI waits at most 2 minutes per command.
static tt::test::Run cli(const QStringList &args)
{
    return tt::test::cli(args, 120000);
}

class TstNotesCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    const std::string m_hostile = "run \x1b[31mred\x1b[0m\nsecond line\twith tab; '); DROP TABLE annotations; --";

private slots:
    void notesListsFiltersAndEscapes()
    {
        const QString c = m_dir.filePath("n.ttcase");
        {
            auto cs = store::CaseStore::open(c.toStdString(), store::CaseStore::Access::Create);
            store::AnnotationStore s(cs->db());
            s.setMeta({"Night shift", "Ana Lyst", "", ""});
            const int64_t mal = s.tagByName("malicious")->id;
            // A hostile file can carry names the API would refuse: planted directly.
            auto plant
                = cs->db().prepare("INSERT INTO tags(name, color, builtin, created_utc) VALUES(?, '#123456', 0, 0)");
            plant.bind(1, std::string_view("lab \x1b[2Jclear"));
            plant.exec();
            const int64_t mine = cs->db().lastInsertId();
            store::Annotation a;
            a.kind = store::TargetKind::Host;
            a.key = "WS01";
            a.note = m_hostile;
            a.tagIds = {mal, mine};
            s.put(a);
            a.kind = store::TargetKind::Transfer;
            a.key = "SRV02|c:\\x.exe|1700000000";
            a.note = "**pushed**";
            a.markdown = true;
            a.tagIds = {};
            a.bookmarked = true;
            s.put(a);
            a.kind = store::TargetKind::Event;
            a.key = "77";
            a.note = "plain";
            a.markdown = false;
            a.bookmarked = false;
            a.tagIds = {mal};
            s.put(a);
        }
        Run r = cli({"notes", c, "--json"});
        QCOMPARE(r.code, 0);
        QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QJsonArray arr = root.value("annotations").toArray();
        QCOMPARE(arr.size(), 3);
        QCOMPARE(root.value("meta").toObject().value("analyst").toString(), QString("Ana Lyst"));
        QCOMPARE(root.value("tags").toArray().size(), 4);
        bool found = false;
        for (const auto &v : arr) {
            const QJsonObject o = v.toObject();
            if (o.value("key").toString() == "WS01") {
                found = true;
                QCOMPARE(o.value("note").toString().toStdString(), m_hostile); // intact in JSON
                QCOMPARE(o.value("tags").toArray().size(), 2);
                QCOMPARE(o.value("author").toString(), QString("Ana Lyst"));
                QCOMPARE(o.value("kind").toString(), QString("host"));
            }
            if (o.value("kind").toString() == "transfer")
                QCOMPARE(o.value("format").toString(), QString("markdown"));
        }
        QVERIFY(found);

        r = cli({"notes", c, "--json", "--tag", "MALICIOUS"});
        QCOMPARE(r.code, 0);
        arr = QJsonDocument::fromJson(r.out).object().value("annotations").toArray();
        QCOMPARE(arr.size(), 2);
        r = cli({"notes", c, "--json", "--bookmarked"});
        arr = QJsonDocument::fromJson(r.out).object().value("annotations").toArray();
        QCOMPARE(arr.size(), 1);
        QCOMPARE(arr.at(0).toObject().value("kind").toString(), QString("transfer"));
        r = cli({"notes", c, "--json", "--kind", "event"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("annotations").toArray().size(), 1);
        QCOMPARE(cli({"notes", c, "--kind", "planet"}).code, 2);
        r = cli({"notes", c, "--tag", "no-such-tag"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("no tag named 'no-such-tag'"));
        QVERIFY(!r.err.contains('\x1b')); // the tag list in the message is escaped too

        // Terminal output: no raw control characters from notes or tag names.
        r = cli({"notes", c});
        QCOMPARE(r.code, 0);
        QVERIFY(!r.out.contains('\x1b'));
        QVERIFY(!r.out.contains('\t'));
        QVERIFY(r.out.contains("run \\x1b[31mred\\x1b[0m"));
        QVERIFY(r.out.contains("    second line\\x09with tab"));
        QVERIFY(r.out.contains("lab \\x1b[2Jclear"));
        QVERIFY(r.out.contains("*bookmarked*"));
        QVERIFY(r.out.contains("3 annotation(s)"));
    }

    void metaSetsAndShowsAndRespectsTheLock()
    {
        const QString c = m_dir.filePath("m.ttcase");
        store::CaseStore::open(c.toStdString(), store::CaseStore::Access::Create);
        Run r = cli({"meta", c, "--title", "Case \x1b[1m42", "--analyst", "Bob", "--tz", "Europe/Berlin",
            "--description", "line one\nline two"});
        QCOMPARE(r.code, 0);
        QVERIFY(!r.out.contains('\x1b'));
        QVERIFY(r.out.contains("line one\n             line two"));
        r = cli({"meta", c, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("title").toString(), QString("Case \x1b[1m42"));
        QCOMPARE(o.value("display_tz").toString(), QString("Europe/Berlin"));
        // Only the given fields change.
        QCOMPARE(cli({"meta", c, "--analyst", "Carol"}).code, 0);
        r = cli({"meta", c, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("title").toString(), QString("Case \x1b[1m42"));
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("analyst").toString(), QString("Carol"));
        QCOMPARE(cli({"meta", c, "--tz", "Not/AZone"}).code, 2);
        // info shows title and analyst (escaped).
        r = cli({"info", c});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("title       Case \\x1b[1m42\n"));
        QVERIFY(r.out.contains("analyst     Carol\n"));
        r = cli({"info", c, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("analyst").toString(), QString("Carol"));
        // Another session has the case open: meta refuses to change it and says why.
        {
            auto lock = store::CaseLock::acquire(c.toStdString());
            QVERIFY(lock);
            r = cli({"meta", c, "--title", "mine now"});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(QByteArray(
                         "opened by another TransferTrace (pid " + QByteArray::number(qApp->applicationPid()))),
                r.err.constData());
            QCOMPARE(cli({"meta", c}).code, 0); // reading is fine
            r = cli({"import", c, m_dir.filePath("whatever.json")});
            QCOMPARE(r.code, 1);
            QVERIFY2(
                r.err.contains("is read-only: the case is opened by another TransferTrace (pid"), r.err.constData());
        }
        QCOMPARE(cli({"meta", c, "--title", "mine now"}).code, 0);
    }

    void oldCaseThroughTheCli()
    {
        const QString c = m_dir.filePath("v1.ttcase");
        QVERIFY(unpackV1Fixture(c));
        const QByteArray original = fileBytes(c);
        // info opens read-only: works on the v1 file and leaves it as it was.
        Run r = cli({"info", c});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(
                     QStringLiteral("(schema v%1, read from a copy upgraded from v1; the file itself is unchanged)")
                         .arg(store::kSchemaVersion)
                         .toUtf8()),
            r.out.constData());
        r = cli({"info", c, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("events").toInt(), 400);
        QCOMPARE(o.value("file_schema_version").toInt(), 1);
        QCOMPARE(cli({"notes", c}).code, 0);
        QCOMPARE(fileBytes(c), original);
        QVERIFY(!QFileInfo::exists(c + ".v1.bak"));
        // A change upgrades it in place, keeping the original beside it.
        r = cli({"meta", c, "--title", "upgraded"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("upgraded the case from schema v1"), r.err.constData());
        QCOMPARE(fileBytes(c + ".v1.bak").size() > 0, true);
        r = cli({"info", c, "--json"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("file_schema_version").toInt(), store::kSchemaVersion);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("title").toString(), QString("upgraded"));
    }
};

QTEST_GUILESS_MAIN(TstNotesCli)
#include "tst_notes_cli.moc"
