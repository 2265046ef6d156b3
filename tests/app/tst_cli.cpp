// The transfertrace command line end to end (the real executable through QProcess): import exit
// codes and JSON summary, info, transfers in table / CSV / JSON with hostile file names kept
// intact and inert, infer determinism, a newer case refused.

#include "CaseBuilder.h"
#include "store/CaseStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct Run {
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace"));
    p.setArguments(args);
    p.start();
    if (!p.waitForFinished(180000))
        return {};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}
} // namespace

class TstCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void importExitCodesAndJson()
    {
        const QString good = m_dir.filePath("good.json");
        const QString bad = m_dir.filePath("bad.json");
        QFile g(good);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("{\"EventID\":4624,\"Channel\":\"Security\",\"Hostname\":\"WS1.corp.local\",\"EventTime\":\"2024-03-04 10:00:00\","
                "\"@timestamp\":\"2024-03-04T10:00:01.000Z\",\"TargetUserName\":\"bob\",\"TargetDomainName\":\"CORP\","
                "\"LogonType\":\"3\",\"IpAddress\":\"10.0.0.9\",\"TargetLogonId\":\"0x10\"}\n");
        g.close();
        QFile b(bad);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("not telemetry at all\n");
        b.close();
        const QString c = m_dir.filePath("cli.ttcase");
        Run r = cli({"import", c, good, "--json", "--quiet"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("stored").toInt(), 1);
        QCOMPARE(o.value("imported").toInt(), 1);
        QCOMPARE(o.value("transfers").toInt(), 0);
        // Same file again: a no-op that says so, still exit 0.
        r = cli({"import", c, good, "--quiet"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("already in the case"));
        // Nothing importable: exit 1 with the reason.
        r = cli({"import", c, bad, "--quiet"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.contains("not a supported format"));
        // A bad --format: usage error.
        QCOMPARE(cli({"import", c, good, "--format", "pdf"}).code, 64);
        r = cli({"info", c, "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("events").toInt(), 1);
    }

    void transfersAreEscapedInEveryFormat()
    {
        QString error;
        const QString c = buildGeneratedCase(m_dir.filePath("gen"), 10, 6000, 5, &error);
        QVERIFY2(!c.isEmpty(), qPrintable(error));
        // Plant hostile text in a transfer (as a crafted file name would arrive).
        const QString hostile = QStringLiteral("=cmd|' /C calc'!A0\",<script>alert(1)</script>\n-> ]{}.exe");
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            auto st = cs->db().prepare("UPDATE transfers SET file_name=? WHERE id=(SELECT min(id) FROM transfers)");
            st.bind(1, hostile.toStdString());
            st.exec();
            auto st2 = cs->db().prepare("UPDATE transfers SET file_name=? WHERE id=(SELECT max(id) FROM transfers)");
            st2.bind(1, std::string_view("x\n\x1b[31my.exe"));
            st2.exec();
        }
        Run r = cli({"transfers", c, "--format", "json"});
        QCOMPARE(r.code, 0);
        const QJsonArray arr = QJsonDocument::fromJson(r.out).array();
        QVERIFY(arr.size() >= 3);
        bool found = false;
        for (const auto &v : arr)
            found |= v.toObject().value("file").toString() == hostile; // intact through JSON
        QVERIFY(found);

        r = cli({"transfers", c, "--format", "csv"});
        QCOMPARE(r.code, 0);
        // The cell is quoted, quotes doubled, and the leading '=' neutralised with a quote.
        QVERIFY(r.out.contains("\"'=cmd|' /C calc'!A0\"\",<script>alert(1)</script>\n-> ]{}.exe\""));
        QCOMPARE(r.out.count('\n') >= arr.size() + 1, true);

        r = cli({"transfers", c});
        QCOMPARE(r.code, 0);
        // Control characters never reach the terminal raw: one line per transfer plus header and total.
        QCOMPARE(r.out.count('\n'), arr.size() + 2);
        QVERIFY(r.out.contains("=cmd|' /C calc'!A0\","));
        QVERIFY(r.out.contains("x\\x0a\\x1b[31my.exe"));
        QVERIFY(r.out.contains(QByteArray(QByteArray::number(arr.size()) + " transfer(s)")));

        // Filters.
        r = cli({"transfers", c, "--format", "json", "--min-confidence", "high"});
        for (const auto &v : QJsonDocument::fromJson(r.out).array())
            QVERIFY(v.toObject().value("confidence").toDouble() >= 0.8);
        QCOMPARE(cli({"transfers", c, "--min-confidence", "2"}).code, 64);
    }

    void inferIsDeterministic()
    {
        QString error;
        const QString c = buildGeneratedCase(m_dir.filePath("det"), 10, 5000, 11, &error);
        QVERIFY2(!c.isEmpty(), qPrintable(error));
        const QByteArray first = cli({"transfers", c, "--format", "csv"}).out;
        QCOMPARE(cli({"infer", c}).code, 0);
        QCOMPARE(cli({"transfers", c, "--format", "csv"}).out, first);
    }

    void newerCaseIsRefused()
    {
        const QString c = m_dir.filePath("newer.ttcase");
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::Create);
            cs->db().exec("INSERT INTO schema_version VALUES(999, 0, 'future')");
        }
        Run r = cli({"info", c});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("999"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
