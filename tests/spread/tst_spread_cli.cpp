// `transfertrace spread` (the real executable) on SpreadCase: table, JSON and DOT, a hostile file
// name in each, an unknown file, usage errors.

#include "CliRun.h"
#include "DotWriter.h"
#include "SpreadCase.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using tt::test::cli;

class TestSpreadCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_case;
    spreadcase::Ids m_ids;

    QJsonObject json(const QString &file)
    {
        const auto r
            = cli({QStringLiteral("spread"), m_case, file, QStringLiteral("--format"), QStringLiteral("json")});
        if (r.code != 0)
            qWarning("%s", r.err.constData());
        QJsonParseError pe;
        const QJsonDocument d = QJsonDocument::fromJson(r.out, &pe);
        if (pe.error != QJsonParseError::NoError)
            qWarning("%s", qPrintable(pe.errorString()));
        return d.object();
    }
    static QStringList strings(const QJsonValue &v)
    {
        QStringList out;
        for (const QJsonValue x : v.toArray())
            out << x.toString();
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = m_dir.filePath(QStringLiteral("spread.ttcase"));
        const QString err = spreadcase::build(m_case, &m_ids);
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }

    void table()
    {
        const auto r = cli({QStringLiteral("spread"), m_case, QStringLiteral("tool.exe")});
        QCOMPARE(r.code, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QLatin1String("matched by hash (")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String(spreadcase::kHash)));
        QVERIFY(out.contains(QLatin1String("patient zero: WS1 (first seen 2024-03-18T14:00:10)")));
        QVERIFY(out.contains(QLatin1String("renamed svc.exe: 1 transfer(s) at C:\\Windows\\svc.exe")));
        QVERIFY(out.contains(QLatin1String("another file has this name")));
        // The tree, indented by depth, with who pushed each hop and whether it ran.
        const QStringList lines = out.split(QLatin1Char('\n'));
        auto row = [&](const QString &start) {
            for (const QString &l : lines)
                if (l.startsWith(start + QLatin1Char(' ')))
                    return l;
            return QString();
        };
        QVERIFY(row(QStringLiteral("WS1")).contains(QLatin1String("yes: process C:\\Tools\\tool.exe (same hash)")));
        QVERIFY(row(QStringLiteral("  WS2"))
                    .contains(QLatin1String("smb-admin-share by CORP\\alice (C:\\Tools\\PsExec.exe)")));
        QVERIFY(row(QStringLiteral("  WS2")).endsWith(QLatin1String(" no")));
        QVERIFY(row(QStringLiteral("    SRV1")).contains(QLatin1String("psexec-service-binary by CORP\\bob")));
        QVERIFY(
            row(QStringLiteral("    SRV1")).contains(QLatin1String("yes: executed by C:\\Windows\\Temp\\tool.exe")));
        QVERIFY(!row(QStringLiteral("  SRV2")).isEmpty());
        QVERIFY(lines.indexOf(row(QStringLiteral("WS1"))) < lines.indexOf(row(QStringLiteral("  WS2"))));
        QVERIFY(lines.indexOf(row(QStringLiteral("    SRV1"))) < lines.indexOf(row(QStringLiteral("  SRV2"))));
        QVERIFY(out.contains(QLatin1String("ran on: WS1, SRV1\n")));
        QVERIFY(out.contains(QLatin1String("received, never ran: WS2, SRV2\n")));
        QVERIFY(out.contains(QLatin1String("4 host(s), 5 hop(s)")));
    }

    void byNameSaysSo()
    {
        const auto r = cli({QStringLiteral("spread"), m_case, QStringLiteral("notes.TXT")});
        QCOMPARE(r.code, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QLatin1String("matched by file name 'notes.txt'")), qPrintable(out));
        QVERIFY(out.contains(QString::fromUtf8("patient zero: unknown \u2192 SRV1 2024-03-18 (first seen")));
    }

    void jsonDocument()
    {
        const QJsonObject o = json(QString::fromLatin1(spreadcase::kMd5));
        QCOMPARE(o.value(QStringLiteral("matching")).toString(), QStringLiteral("hash"));
        QCOMPARE(o.value(QStringLiteral("patient_zero")).toObject().value(QStringLiteral("host")).toString(),
            QStringLiteral("WS1"));
        QStringList hosts;
        for (const QJsonValue h : o.value(QStringLiteral("hosts")).toArray())
            hosts << h.toObject().value(QStringLiteral("host")).toString();
        QCOMPARE(hosts,
            (QStringList {
                QStringLiteral("WS1"), QStringLiteral("WS2"), QStringLiteral("SRV1"), QStringLiteral("SRV2")}));
        const QJsonArray hops = o.value(QStringLiteral("hops")).toArray();
        QCOMPARE(hops.size(), 5);
        QCOMPARE(hops[0].toObject().value(QStringLiteral("transfer_id")).toInteger(), m_ids.t[1]);
        QCOMPARE(hops[0].toObject().value(QStringLiteral("account")).toString(), QStringLiteral("CORP\\alice"));
        QCOMPARE(hops[1].toObject().value(QStringLiteral("executed")).toBool(), true);
        QCOMPARE(hops[4].toObject().value(QStringLiteral("matched_by")).toString(), QStringLiteral("name"));
        QCOMPARE(
            strings(o.value(QStringLiteral("ran_on"))), (QStringList {QStringLiteral("WS1"), QStringLiteral("SRV1")}));
        QCOMPARE(strings(o.value(QStringLiteral("received_never_ran"))),
            (QStringList {QStringLiteral("WS2"), QStringLiteral("SRV2")}));
        QCOMPARE(o.value(QStringLiteral("variants")).toArray().size(), 2);
    }

    void dotGraph()
    {
        const auto r = cli({QStringLiteral("spread"), m_case, QStringLiteral("svc.exe"), QStringLiteral("--format"),
            QStringLiteral("dot")});
        QCOMPARE(r.code, 0);
        std::string err;
        const auto g = tt::exporting::readDot(r.out.toStdString(), &err);
        QVERIFY2(g.has_value(), err.c_str());
        QCOMPARE(g->nodes.size(), size_t(4));
        QCOMPARE(g->edges.size(), size_t(5));
        QVERIFY(QString::fromStdString(g->nodes[0].attrs.at("label")).startsWith(QLatin1String("patient zero: WS1")));
        int dashed = 0;
        for (const auto &e : g->edges)
            dashed += e.attrs.count("style") && e.attrs.at("style") == "dashed";
        QCOMPARE(dashed, 2); // the second copy to WS2 and the copy without a hash
    }

    // Quotes, a newline, ESC, <> and %1 in a file name: shown, never acted on, in each format.
    void hostileName()
    {
        const QString name = QString::fromUtf8(spreadcase::kHostileName);
        const QByteArray shown = "ev\"il'\\x0a\\x1b[31m<b>%1.exe";
        const auto table = cli({QStringLiteral("spread"), m_case, name});
        QCOMPARE(table.code, 0);
        QVERIFY(!table.out.contains('\x1b'));
        QVERIFY2(table.out.contains(shown), table.out.constData());
        QVERIFY(!table.out.contains("ev\"il'\n"));

        const auto js
            = cli({QStringLiteral("spread"), m_case, name, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(js.code, 0);
        QVERIFY(!js.out.contains('\x1b'));
        QVERIFY(js.out.contains("\\u001b"));
        const QJsonObject o = QJsonDocument::fromJson(js.out).object();
        QCOMPARE(
            o.value(QStringLiteral("hops")).toArray()[0].toObject().value(QStringLiteral("file")).toString(), name);

        const auto dot
            = cli({QStringLiteral("spread"), m_case, name, QStringLiteral("--format"), QStringLiteral("dot")});
        QCOMPARE(dot.code, 0);
        QVERIFY(!dot.out.contains('\x1b'));
        std::string err;
        const auto g = tt::exporting::readDot(dot.out.toStdString(), &err);
        QVERIFY2(g.has_value(), err.c_str());
        QCOMPARE(g->nodes.size(), size_t(2)); // nothing injected
        QCOMPARE(g->edges.size(), size_t(1));
        QVERIFY(QByteArray::fromStdString(g->edges[0].attrs.at("label")).startsWith(QByteArray(shown + '\n')));
    }

    void unknownFile()
    {
        const auto r = cli({QStringLiteral("spread"), m_case, QStringLiteral("nothing.exe")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains("no transfer of a file named 'nothing.exe' in this case"), r.err.constData());
        const auto h = cli({QStringLiteral("spread"), m_case, QString(64, QLatin1Char('a'))});
        QCOMPARE(h.code, 1);
        QVERIFY(h.err.contains("no transfer of a file with hash"));
    }

    // A case whose last inference never committed: the spread is shown, with the warning, and the
    // read-only command leaves the case as it was.
    void staleInferenceWarns()
    {
        const QString copy = m_dir.filePath(QStringLiteral("stale.ttcase"));
        QVERIFY(QFile::copy(m_case, copy));
        {
            auto cs = tt::store::CaseStore::open(copy.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            tt::store::markInferencePending(cs->db());
        }
        const auto r = cli({QStringLiteral("spread"), copy, QStringLiteral("tool.exe")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("warning: the transfers are stale"), r.err.constData());
        QVERIFY(r.err.contains("transfertrace infer"));
        QVERIFY(r.out.contains("ran on: WS1, SRV1"));
        auto cs = tt::store::CaseStore::open(copy.toStdString(), tt::store::CaseStore::Access::ReadOnly);
        QVERIFY(tt::store::inferencePending(cs->db()));
    }

    void usage()
    {
        QCOMPARE(cli({QStringLiteral("spread"), QStringLiteral("--help")}).code, 0);
        QCOMPARE(cli({QStringLiteral("spread"), m_case}).code, 2);
        QCOMPARE(cli({QStringLiteral("spread"), m_case, QStringLiteral("tool.exe"), QStringLiteral("--format"),
                         QStringLiteral("csv")})
                     .code,
            2);
        const auto missing = cli(
            {QStringLiteral("spread"), m_dir.filePath(QStringLiteral("none.ttcase")), QStringLiteral("tool.exe")});
        QCOMPARE(missing.code, 1);
        QVERIFY(!missing.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSpreadCli)
#include "tst_spread_cli.moc"
