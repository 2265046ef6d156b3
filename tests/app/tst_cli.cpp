// The transfertrace command line end to end (the real executable through QProcess): import exit
// codes and JSON summary, info, transfers in table / CSV / JSON with hostile file names kept
// intact and inert, infer determinism, a newer case refused.

#include "CaseBuilder.h"
#include "HostileCase.h"
#include "store/CaseStore.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "CliRun.h"

using tt::test::cli;
using tt::test::Run;

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
        g.write("{\"EventID\":4624,\"Channel\":\"Security\",\"Hostname\":\"WS1.corp.local\",\"EventTime\":\"2024-03-04 "
                "10:00:00\","
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
        QCOMPARE(cli({"import", c, good, "--format", "pdf"}).code, 2);
        r = cli({"info", c, "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("events").toInt(), 1);
    }

    // `import DIR` on the generator's own output (ground_truth.json beside the logs) and with a
    // Mac's ._ file in it: the ground truth is skipped by name, the ._ file counted once, exit 0.
    void importGeneratedFolderSkipsNonTelemetry()
    {
        const QString dir = m_dir.filePath("genout");
        Run r = cli({"gen", "--out", dir, "--hosts", "3", "--events", "500"});
        QCOMPARE(r.code, 0);
        QVERIFY(QFile::exists(dir + "/ground_truth.json"));
        QFile mac(dir + "/._ground_truth.json");
        QVERIFY(mac.open(QIODevice::WriteOnly));
        mac.write(QByteArray("\x00\x05\x16\x07\x00\x02\x00\x00", 8));
        mac.close();
        const QString c = m_dir.filePath("genout.ttcase");
        r = cli({"import", c, dir, "--json", "--quiet"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("failed").toInt(), 0);
        QCOMPARE(o.value("skipped").toInt(), 1);
        QCOMPARE(o.value("apple_double_skipped").toInt(), 1);
        QStringList skipped;
        for (const QJsonValue f : o.value("files").toArray())
            if (f.toObject().value("status").toString() == "skipped")
                skipped << f.toObject().value("path").toString().section('/', -1) + ": "
                        + f.toObject().value("message").toString().section(':', 0, 1);
        QCOMPARE(skipped, QStringList({"ground_truth.json: not telemetry: no known format (first bytes"}));
        // The text summary says it once; re-importing is a no-op, still exit 0.
        r = cli({"import", c, dir});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("1 skipped (not telemetry), 1 macOS metadata file(s) (__MACOSX/, ._*) skipped"),
            r.out.constData());
        const QByteArray line
            = QByteArray("skipped   ") + dir.toUtf8() + QByteArray("/ground_truth.json: not telemetry");
        QVERIFY(r.out.contains(line));
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
        QCOMPARE(cli({"transfers", c, "--min-confidence", "2"}).code, 2);
    }

    // `export` and `report` run without a display (offscreen) and write valid files; hostile text
    // stays inert; bad arguments and unknown suffixes exit 2.
    void exportAndReportCommands()
    {
        QString error;
        const HostileCase hc = buildHostileCase(m_dir.filePath("exp"), &error);
        QVERIFY2(!hc.path.isEmpty(), qPrintable(error));
        const QString c = hc.path;
        auto path = [&](const char *n) { return m_dir.filePath(QString::fromLatin1(n)); };
        auto bytes = [](const QString &p) {
            QFile f(p);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        auto wellFormed = [](const QByteArray &b) {
            QXmlStreamReader r(b);
            while (!r.atEnd())
                r.readNext();
            return !r.hasError();
        };
        Run r = cli({"export", "graph", c, path("g.svg")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(wellFormed(bytes(path("g.svg"))));
        QVERIFY(!bytes(path("g.svg")).contains("<script"));
        QCOMPARE(cli({"export", "graph", c, path("g1.png"), "--scale", "1"}).code, 0);
        QCOMPARE(cli({"export", "graph", c, path("g2.png"), "--dpi", "192", "--whole"}).code, 0);
        const QImage one(path("g1.png")), two(path("g2.png"));
        QVERIFY(!one.isNull() && !two.isNull());
        QVERIFY(qAbs(two.width() - 2 * one.width()) <= 1 && qAbs(two.height() - 2 * one.height()) <= 1);
        QCOMPARE(cli({"export", "graph", c, path("g.pdf")}).code, 0);
        QVERIFY(bytes(path("g.pdf")).startsWith("%PDF"));
        QCOMPARE(cli({"export", "graph", c, path("g.dot")}).code, 0);
        QVERIFY(bytes(path("g.dot")).contains("digraph"));
        QCOMPARE(cli({"export", "timeline", c, path("t.png")}).code, 0);
        QVERIFY(!QImage(path("t.png")).isNull());
        QCOMPARE(cli({"export", "transfers", c, path("t.json")}).code, 0);
        const QJsonArray arr = QJsonDocument::fromJson(bytes(path("t.json"))).array();
        QCOMPARE(arr.size(), hc.fileNames.size());
        QCOMPARE(cli({"export", "transfers", c, path("t.csv")}).code, 0);
        QVERIFY(bytes(path("t.csv")).contains("\"'=cmd|' /C calc'!A0.exe\""));
        r = cli({"report", c, path("r.html"), "--pdf", path("r.pdf")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray html = bytes(path("r.html"));
        QVERIFY(wellFormed(html));
        QVERIFY(!html.contains("<script"));
        QVERIFY(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.exe"));
        QVERIFY(bytes(path("r.pdf")).startsWith("%PDF"));

        // Filters: an account nobody used leaves nothing in view; a time window before the case too.
        r = cli({"export", "transfers", c, path("none.json"), "--account", "NOBODY\\nobody"});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(bytes(path("none.json"))).array().size(), 0);
        QCOMPARE(cli({"export", "transfers", c, path("old.json"), "--from", "1990-01-01T00:00:00Z", "--to",
                         "1990-01-02T00:00:00Z"})
                     .code,
            0);
        QCOMPARE(QJsonDocument::fromJson(bytes(path("old.json"))).array().size(), 0);
        QCOMPARE(cli({"export", "graph", c, path("p.svg"), "--parent-image", "C:\\nothing.exe"}).code, 0);

        // Bad arguments: exit 2 with a message.
        r = cli({"export", "graph", c, path("g.bmp")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(".svg"));
        QCOMPARE(cli({"export", "timeline", c, path("t.pdf")}).code, 2);
        QCOMPARE(cli({"export", "transfers", c, path("t.txt")}).code, 2);
        QCOMPARE(cli({"export", "pictures", c, path("g.svg")}).code, 2);
        QCOMPARE(cli({"export", "graph", c}).code, 2);
        QCOMPARE(cli({"export", "graph", c, path("g.png"), "--scale", "0"}).code, 2);
        QCOMPARE(cli({"export", "graph", c, path("g.png"), "--scale", "2", "--dpi", "96"}).code, 2);
        QCOMPARE(cli({"export", "graph", c, path("g.svg"), "--from", "yesterday"}).code, 2);
        QCOMPARE(cli({"export", "graph", c, path("g.svg"), "--bogus"}).code, 2);
        QCOMPARE(cli({"report", c, path("r.txt")}).code, 2);
        QCOMPARE(cli({"report", c, path("r2.html"), "--pdf", path("r.doc")}).code, 2);
        QCOMPARE(cli({"export", "graph", m_dir.filePath("missing.ttcase"), path("m.svg")}).code, 1);
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
