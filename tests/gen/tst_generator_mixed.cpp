// The generated mixed Windows / Linux recording with a Zeek sensor, end to end: every file
// (Windows JSON lines, Linux audit.log / auth.log, zeek/*.log) imports with zero rejects, and the
// real inference engine finds exactly the labelled transfers (attack and benign-admin, SMB, PsExec,
// RDP, scp, rsync), one transfer per copy although the sensor sees the SMB hops too: precision
// and recall 1.000 per method, for several seeds.

#include "../inference/GroundTruthMatcher.h"

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;

class TstGeneratorMixed : public QObject {
    Q_OBJECT

private slots:
    void endToEnd_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<bool>("json");
        QTest::newRow("seed 1") << quint64(1) << false;
        QTest::newRow("seed 2") << quint64(2) << false;
        QTest::newRow("seed 6") << quint64(6) << false;
        QTest::newRow("seed 13 json") << quint64(13) << true;
        QTest::newRow("seed 1570") << quint64(1570) << false;
    }
    void endToEnd()
    {
        QFETCH(quint64, seed);
        QFETCH(bool, json);
        QTemporaryDir dir;
        gen::Options o;
        o.hosts = 12;
        o.days = 2;
        o.events = 25000;
        o.seed = seed;
        o.attackerHops = 5;
        o.linuxHosts = 4;
        o.zeekJson = json;
        // For comparisons by hand: the same case without the sensor or the Linux servers.
        const bool full = !qEnvironmentVariableIsSet("TT_NO_SENSOR") && !qEnvironmentVariableIsSet("TT_NO_LINUX");
        o.sensor = !qEnvironmentVariableIsSet("TT_NO_SENSOR");
        o.linuxHosts = qEnvironmentVariableIsSet("TT_NO_LINUX") ? 0 : o.linuxHosts;
        o.outDir = dir.filePath(QStringLiteral("rec"));
        const gen::Summary s = gen::generate(o);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        if (full)
            QCOMPARE(s.hosts, 16);
        int linuxFiles = 0, zeekFiles = 0;
        for (const QString &f : s.files) {
            linuxFiles += f.endsWith(QLatin1String("-audit.log")) || f.endsWith(QLatin1String("-auth.log"));
            zeekFiles += f.contains(QLatin1String("/zeek/"));
        }
        if (full)
            QCOMPARE(linuxFiles, 8);
        if (full)
            QCOMPARE(zeekFiles, 5);

        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("m.ttcase")).toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const QString &f : s.files)
            inputs.push_back(f.toStdString());
        ImportEngine engine(*cs, {});
        const ImportSummary sum = engine.run(inputs);
        QCOMPARE(sum.rejected(), int64_t(0));
        QCOMPARE(sum.exitCode(), 0);
        QCOMPARE(sum.stored(), s.eventsWritten);
        if (full)
            QVERIFY(cs->db().queryInt("SELECT count(*) FROM processes WHERE origin = 'auditd'") > 0);
        if (full)
            QVERIFY(cs->db().queryInt("SELECT count(*) FROM net_files") > 0);

        inference::InferenceEngine(*cs).run();
        const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});
        QFile f(s.groundTruthPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject truth = QJsonDocument::fromJson(f.readAll()).array().first().toObject();
        std::vector<Label> labels;
        QSet<QString> methods;
        int linuxAttack = 0, linuxBenign = 0;
        for (const QJsonValue v : truth.value(QStringLiteral("transfers")).toArray()) {
            labels.push_back(GroundTruthMatcher::label(v.toObject()));
            methods.insert(labels.back().method);
            if (labels.back().method == QLatin1String("scp") || labels.back().method == QLatin1String("rsync"))
                (labels.back().category == QLatin1String("attack") ? linuxAttack : linuxBenign)++;
        }
        if (full)
            QVERIFY(linuxAttack >= 2);
        if (full)
            QVERIFY(linuxBenign >= 2);
        if (full)
            QVERIFY(methods.contains(QStringLiteral("scp")) && methods.contains(QStringLiteral("rsync")));
        const auto out = GroundTruthMatcher::match(labels, rows, 11000);
        std::map<QString, MethodStats> stats;
        GroundTruthMatcher::count(labels, rows, out, stats);
        qInfo().noquote() << "\n" << GroundTruthMatcher::table(stats);
        QStringList problems;
        for (size_t i = 0; i < labels.size(); ++i) {
            const int r = out.rowOfLabel[i];
            if (r < 0)
                problems << QStringLiteral("missed %1 %2 -> %3 %4 [%5]")
                                .arg(
                                    labels[i].category, labels[i].src, labels[i].dst, labels[i].file, labels[i].method);
            else if (!GroundTruthMatcher::sameAccount(labels[i].account, rows[size_t(r)].account))
                problems << QStringLiteral("account of %1: %2, labelled %3")
                                .arg(
                                    labels[i].file, QString::fromStdString(rows[size_t(r)].account), labels[i].account);
        }
        for (size_t j = 0; j < rows.size(); ++j)
            if (out.labelOfRow[j] < 0)
                problems << QStringLiteral("unlabelled: %1 -> %2 %3 [%4] rules=%5 path=%6")
                                .arg(QString::fromStdString(rows[j].source),
                                    QString::fromStdString(rows[j].destination), QString::fromStdString(rows[j].file),
                                    QString::fromStdString(rows[j].method), QString::fromStdString(rows[j].rules),
                                    QString::fromStdString(rows[j].path));
        for (const QString &p : problems)
            qInfo().noquote() << " " << p;
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1String("; "))));
        for (const auto &[method, st] : stats) {
            QVERIFY2(st.precision() == 1.0, qPrintable(QStringLiteral("precision of %1").arg(method)));
            QVERIFY2(st.recall() == 1.0, qPrintable(QStringLiteral("recall of %1").arg(method)));
        }
        QCOMPARE(rows.size(), labels.size());
    }
};

QTEST_GUILESS_MAIN(TstGeneratorMixed)
#include "tst_generator_mixed.moc"
