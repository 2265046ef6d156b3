// macOS exports through the real `transfertrace` (QProcess): the AirDrop fixture (mac05, sharingd's
// ask + the file sharingd creates, documented keys, assumed wording) imported with --host and
// listed by `transfers`, and a host-less export first imported through a folder then fixed with
// `import --host NAME` (issue 14: the SHA-256 dedupe used to keep it host-less for good): the
// source is replaced, the analyst's note on one of its records follows the record, and a second
// --host is a plain duplicate.

#include "TestSupport.h"

#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "CliRun.h"

using tt::test::cli;
using tt::test::Run;

namespace {
QString fixture(const char *name)
{
    return tt::test::fixturesDir() + QStringLiteral("/macos/") + QLatin1String(name);
}

QJsonArray transfersOf(const QString &casePath)
{
    const Run r = cli({QStringLiteral("transfers"), casePath, QStringLiteral("--format"), QStringLiteral("json")});
    if (r.code != 0)
        return {};
    return QJsonDocument::fromJson(r.out).array();
}

QString describe(const QJsonObject &t)
{
    QStringList parts;
    for (const char *k : {"source", "destination", "account", "file", "path", "method", "direction", "rules"})
        parts << t.value(QLatin1String(k)).toString();
    return parts.join(QStringLiteral(" | "));
}

QString all(const QJsonArray &rows)
{
    QStringList out;
    for (const QJsonValue v : rows)
        out << describe(v.toObject());
    return out.join(QLatin1Char('\n'));
}
} // namespace

class TstMacosCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    // AirDrop end to end: two asks (a Mac of the case, a phone with two files), each file created
    // by sharingd in ~/Downloads; a log line quoting the keys and a file of that name written by
    // curl are not AirDrop.
    void airDrop()
    {
        QVERIFY(m_dir.isValid());
        const QString c = m_dir.filePath(QStringLiteral("airdrop.ttcase"));
        const Run imp = cli({QStringLiteral("import"), c, QStringLiteral("--host"), QStringLiteral("MAC04"),
            fixture("mac05-airdrop-unifiedlog.ndjson"), fixture("mac05-airdrop-eslogger.ndjson")});
        QVERIFY2(imp.code == 0, imp.err.constData());
        const QJsonArray rows = transfersOf(c);
        QVERIFY2(rows.size() == 3, qPrintable(all(rows)));
        QStringList got;
        for (const QJsonValue v : rows)
            got << describe(v.toObject());
        got.sort();
        QCOMPARE(got,
            (QStringList {
                QStringLiteral(
                    "MAC05 | MAC04 | MAC04\\erin | updater.pkg | /Users/erin/Downloads/updater.pkg | airdrop "
                    "| push | airdrop"),
                QStringLiteral("unknown → MAC04 2026-03-12 | MAC04 | MAC04\\erin | IMG_4821.HEIC | "
                               "/Users/erin/Downloads/IMG_4821.HEIC | airdrop | push | airdrop"),
                QStringLiteral("unknown → MAC04 2026-03-12 | MAC04 | MAC04\\erin | notes.sh | "
                               "/Users/erin/Downloads/notes.sh | airdrop | push | airdrop"),
            }));
    }

    // The smbd fixture through the command line: the client's push into the Mac's share.
    void smbd()
    {
        const QString c = m_dir.filePath(QStringLiteral("smbd.ttcase"));
        const Run imp = cli({QStringLiteral("import"), c, QStringLiteral("--host"), QStringLiteral("MAC03"),
            fixture("mac04-unifiedlog-smbd.ndjson")});
        QVERIFY2(imp.code == 0, imp.err.constData());
        const QJsonArray rows = transfersOf(c);
        QVERIFY2(rows.size() == 1, qPrintable(all(rows)));
        QCOMPARE(describe(rows[0].toObject()),
            QStringLiteral(
                "10.30.0.40 | MAC03 | MAC03\\carol | payload.exe | /Users/Shared/Projects/drop/payload.exe | "
                "smb-share | push | smb-share-write"));
    }

    // A host-less export imported through a folder, then `import --host` of the same file.
    void hostFixedByReimport()
    {
        QDir(m_dir.path()).mkdir(QStringLiteral("mac"));
        const QString copy = m_dir.filePath(QStringLiteral("mac/smbd.ndjson"));
        QVERIFY(QFile::copy(fixture("mac04-unifiedlog-smbd.ndjson"), copy));
        const QString c = m_dir.filePath(QStringLiteral("fix.ttcase"));
        Run r = cli({QStringLiteral("import"), c, m_dir.filePath(QStringLiteral("mac"))});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(transfersOf(c).size(), 0); // no host: kept, not normalised
        int64_t oldEvent = 0;
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            auto st = cs->db().prepare("SELECT count(*), max(id), count(host_id) FROM events");
            QVERIFY(st.step());
            QCOMPARE(st.int64(0), int64_t(18));
            QCOMPARE(st.int64(2), int64_t(0));
            oldEvent = st.int64(1) - 12; // the 6th record: the create of drop\payload.exe
            tt::store::Annotation a;
            a.kind = tt::store::TargetKind::Event;
            a.key = std::to_string(oldEvent);
            a.note = "payload written over SMB";
            tt::store::AnnotationStore(*cs).put(a);
        }
        // The same file with the host: replaces the host-less source.
        r = cli({QStringLiteral("import"), c, QStringLiteral("--host"), QStringLiteral("MAC03"), copy,
            QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject sum = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(sum.value(QStringLiteral("hosts_fixed")).toInt(), 1);
        const QJsonObject file = sum.value(QStringLiteral("files")).toArray().at(0).toObject();
        QCOMPARE(file.value(QStringLiteral("status")).toString(), QStringLiteral("imported"));
        QVERIFY2(file.value(QStringLiteral("message")).toString().contains(QStringLiteral("replaces source #1")),
            r.out.constData());
        const QJsonArray rows = transfersOf(c);
        QVERIFY2(rows.size() == 1, qPrintable(all(rows)));
        QCOMPARE(describe(rows[0].toObject()),
            QStringLiteral(
                "10.30.0.40 | MAC03 | MAC03\\carol | payload.exe | /Users/Shared/Projects/drop/payload.exe | "
                "smb-share | push | smb-share-write"));
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadOnly);
            auto st = cs->db().prepare("SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM events), "
                                       "(SELECT count(*) FROM events WHERE host_id IS NULL), (SELECT count(*) FROM "
                                       "import_issues), (SELECT min(id) FROM events)");
            QVERIFY(st.step());
            QCOMPARE(st.int64(0), int64_t(1)); // one source: the old one is gone
            QCOMPARE(st.int64(1), int64_t(18));
            QCOMPARE(st.int64(2), int64_t(0));
            QCOMPARE(st.int64(3), int64_t(0)); // the "no host" warning went with it
            QVERIFY(st.int64(4) > oldEvent);
            // The timeline's kept counts (schema 12) hold the new records once, not the old ones too.
            QCOMPARE(cs->db().queryInt("SELECT sum(n) FROM event_minutes"),
                cs->db().queryInt("SELECT count(*) FROM events WHERE ts IS NOT NULL"));
            QCOMPARE(cs->db().queryInt("SELECT sum(n) FROM host_event_hours"),
                cs->db().queryInt("SELECT count(*) FROM events WHERE ts IS NOT NULL AND host_id IS NOT NULL"));
            QVERIFY(cs->db().queryInt("SELECT sum(n) FROM host_event_hours") > 0);
            // The note is on the same record of the new source.
            auto note = cs->db().prepare("SELECT a.note, e.position FROM annotations a JOIN events e ON e.id = "
                                         "CAST(a.target_key AS INTEGER) WHERE a.target_kind = 'event'");
            QVERIFY(note.step());
            QCOMPARE(note.text(0), std::string("payload written over SMB"));
            QCOMPARE(note.int64(1), int64_t(6));
        }
        // Not host-less any more: another --host is a duplicate, nothing changes.
        r = cli({QStringLiteral("import"), c, QStringLiteral("--host"), QStringLiteral("MAC09"), copy});
        QCOMPARE(r.code, 0); // a re-import of known content is a no-op, not an error
        QVERIFY2(r.out.contains("already in the case"), r.out.constData());
        QCOMPARE(transfersOf(c).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstMacosCli)
#include "tst_macos_cli.moc"
