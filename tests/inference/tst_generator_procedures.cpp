// Remote procedures at scale (issue 14 item 6): generated recordings with Options::procedures
// (PowerShell remoting copies, method winrm), over several seeds. On (source, destination,
// account, file) the winrm transfers must match the generator's ground truth with precision and
// recall >= 0.99 (summed over the seeds), and every other labelled attack transfer must still be
// found (the new activity hides nothing).

#include "GroundTruthMatcher.h"

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

namespace {
constexpr qint64 kToleranceMs = 11000;
}

class TstGeneratorProcedures : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int tp = 0, fp = 0, fn = 0; // winrm, over every seed

private slots:
    void winrmCopies_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1ull, 7ull, 42ull})
            QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }

    void winrmCopies()
    {
        QFETCH(quint64, seed);
        gen::Options o;
        o.hosts = 14;
        o.linuxHosts = 0;
        o.days = 1;
        o.events = 15000;
        o.attackerHops = 4;
        o.seed = seed;
        o.procedures = true;
        o.sensor = false;
        o.outDir = m_dir.filePath(QStringLiteral("rec%1").arg(seed));
        const gen::Summary s = gen::generate(o);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));

        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("g%1.ttcase").arg(seed)).toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const QString &f : s.files)
            inputs.push_back(f.toStdString());
        ImportEngine engine(*cs, {});
        QCOMPARE(engine.run(inputs).exitCode(), 0);
        inference::InferenceEngine(*cs).run();
        const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});

        QFile f(s.groundTruthPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray truth
            = QJsonDocument::fromJson(f.readAll()).array().first().toObject().value("transfers").toArray();
        std::vector<Label> labels;
        for (const auto &v : truth)
            labels.push_back(GroundTruthMatcher::label(v.toObject()));
        const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);

        int winrm = 0;
        QStringList problems;
        for (size_t i = 0; i < labels.size(); ++i) {
            const Label &l = labels[i];
            const int r = out.rowOfLabel[i];
            const inference::TransferRow *row = r >= 0 ? &rows[size_t(r)] : nullptr;
            if (l.method == QLatin1String("winrm")) {
                ++winrm;
                // Paired = same destination, file, source and time (GroundTruthMatcher::pairs);
                // then the account and the method must agree too.
                if (row && row->method == "winrm" && GroundTruthMatcher::sameAccount(l.account, row->account)) {
                    ++tp;
                } else {
                    ++fn;
                    problems << QStringLiteral("winrm %1 -> %2 %3 (%4): %5")
                                    .arg(l.src, l.dst, l.file, l.account,
                                        row ? QStringLiteral("found as %1 by %2")
                                                  .arg(QString::fromStdString(row->method),
                                                      QString::fromStdString(row->account))
                                            : QStringLiteral("not found"));
                }
            } else if (l.category == QLatin1String("attack") && l.confidence == QLatin1String("high") && !row) {
                problems << QStringLiteral("attack transfer lost: %1 -> %2 %3").arg(l.src, l.dst, l.file);
            }
        }
        for (size_t j = 0; j < rows.size(); ++j) {
            if (rows[j].method != "winrm")
                continue;
            const int l = out.labelOfRow[j];
            if (l < 0 || labels[size_t(l)].method != QLatin1String("winrm")) {
                ++fp;
                problems << QStringLiteral("winrm row not labelled: %1 -> %2 %3")
                                .arg(QString::fromStdString(rows[j].source),
                                    QString::fromStdString(rows[j].destination), QString::fromStdString(rows[j].file));
            }
        }
        qInfo().noquote() << QStringLiteral("seed %1: %2 winrm labels, %3 rows; running TP %4 FP %5 FN %6")
                                 .arg(seed)
                                 .arg(winrm)
                                 .arg(rows.size())
                                 .arg(tp)
                                 .arg(fp)
                                 .arg(fn);
        for (const QString &p : problems)
            qInfo().noquote() << "  " << p;
        QVERIFY(winrm > 0);
        QVERIFY2(problems.filter(QStringLiteral("attack transfer lost")).isEmpty(), qPrintable(problems.join('\n')));
    }

    void cleanupTestCase()
    {
        const double precision = tp + fp ? double(tp) / (tp + fp) : 0;
        const double recall = tp + fn ? double(tp) / (tp + fn) : 0;
        qInfo().noquote() << QStringLiteral("winrm over all seeds: TP %1 FP %2 FN %3, precision %4, recall %5")
                                 .arg(tp)
                                 .arg(fp)
                                 .arg(fn)
                                 .arg(precision, 0, 'f', 3)
                                 .arg(recall, 0, 'f', 3);
        QVERIFY(tp > 0);
        QVERIFY2(precision >= 0.99, qPrintable(QString::number(precision)));
        QVERIFY2(recall >= 0.99, qPrintable(QString::number(recall)));
    }
};

QTEST_GUILESS_MAIN(TstGeneratorProcedures)
#include "tst_generator_procedures.moc"
