// Benign deployment tools told apart at scale (issue 14 item 5): generated recordings with
// Options::deployment (SCCM client push to several hosts, one of them while an attacker hop
// reaches it, PDQ Deploy, Ansible, a OneDrive-synced file), over several seeds. The
// "deployment-tool" label must match the generator's ground truth (`deployment`) with precision
// and recall >= 0.99, every attacker transfer must be found and never labelled benign, and the
// synced file must come out as cloud-sync.

#include "GeneratedCase.h"
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

class TstGeneratorDeploy : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int tp = 0, fp = 0, fn = 0; // benign labelling, over every seed

private slots:
    void deploymentLabels_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1ull, 7ull, 42ull, 20240611ull})
            QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }

    void deploymentLabels()
    {
        QFETCH(quint64, seed);
        gen::Options o;
        o.hosts = 16;
        o.linuxHosts = 3;
        o.days = 1;
        o.events = 20000;
        o.attackerHops = 6;
        o.seed = seed;
        o.deployment = true;
        o.outDir = m_dir.filePath(QStringLiteral("rec%1").arg(seed));
        GeneratedCase g = importGenerated(o, m_dir.filePath(QStringLiteral("g%1.ttcase").arg(seed)));
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        const std::vector<inference::TransferRow> &rows = g.rows;
        const QJsonArray truth = g.truth.value("transfers").toArray();
        std::vector<Label> labels;
        std::vector<QString> tools;
        for (const QJsonValue v : truth) {
            labels.push_back(GroundTruthMatcher::label(v.toObject()));
            tools.push_back(v.toObject().value("deployment").toString());
        }
        const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);

        int deployments = 0, attacks = 0, overlapped = 0, synced = 0;
        QStringList problems;
        for (size_t i = 0; i < labels.size(); ++i) {
            const int r = out.rowOfLabel[i];
            const inference::TransferRow *row = r >= 0 ? &rows[size_t(r)] : nullptr;
            if (!tools[i].isEmpty()) {
                ++deployments;
                if (row && QString::fromStdString(row->benignTool) == tools[i])
                    ++tp;
                else {
                    ++fn;
                    problems
                        << QStringLiteral("deployment %1 -> %2 %3 [%4]: %5")
                               .arg(labels[i].src, labels[i].dst, labels[i].file, tools[i],
                                   row ? QStringLiteral("labelled '%1'").arg(QString::fromStdString(row->benignTool))
                                       : QStringLiteral("not found"));
                }
            }
            if (labels[i].category == QLatin1String("attack")) {
                ++attacks;
                if (!row)
                    problems << QStringLiteral("attack transfer lost: %1 -> %2 %3")
                                    .arg(labels[i].src, labels[i].dst, labels[i].file);
                else if (!row->benignTool.empty())
                    problems << QStringLiteral("attack transfer labelled benign: %1 %2")
                                    .arg(labels[i].file, QString::fromStdString(row->benignTool));
                // An SCCM push reached the same host within seconds.
                for (size_t j = 0; j < labels.size(); ++j)
                    if (tools[j] == QLatin1String("sccm") && labels[j].dst == labels[i].dst
                        && std::abs(labels[j].utcMs - labels[i].utcMs) < 10000)
                        ++overlapped;
            }
            if (labels[i].method == QLatin1String("cloud-sync")) {
                ++synced;
                if (!row || row->method != "cloud-sync" || !row->benignTool.empty())
                    problems << QStringLiteral("cloud-sync %1 -> %2 %3 not found as cloud-sync")
                                    .arg(labels[i].src, labels[i].dst, labels[i].file);
            }
        }
        for (size_t j = 0; j < rows.size(); ++j) {
            if (rows[j].benignTool.empty())
                continue;
            const int l = out.labelOfRow[j];
            if (l < 0 || tools[size_t(l)] != QString::fromStdString(rows[j].benignTool)) {
                ++fp;
                problems << QStringLiteral("labelled %1 but is not: %2 -> %3 %4")
                                .arg(QString::fromStdString(rows[j].benignTool), QString::fromStdString(rows[j].source),
                                    QString::fromStdString(rows[j].destination), QString::fromStdString(rows[j].file));
            }
        }
        qInfo().noquote() << QStringLiteral("seed %1: %2 deployment, %3 attack, %4 cloud-sync labels; %5 rows; "
                                            "running TP %6 FP %7 FN %8")
                                 .arg(seed)
                                 .arg(deployments)
                                 .arg(attacks)
                                 .arg(synced)
                                 .arg(rows.size())
                                 .arg(tp)
                                 .arg(fp)
                                 .arg(fn);
        for (const QString &p : problems)
            qInfo().noquote() << " " << p;
        QVERIFY(deployments >= 8);
        QVERIFY(attacks >= 4);
        QCOMPARE(synced, 1);
        QVERIFY2(overlapped >= 1, "no SCCM push coincides with an attacker hop");
        const double precision = tp + fp ? double(tp) / (tp + fp) : 0, recall = tp + fn ? double(tp) / (tp + fn) : 0;
        QVERIFY2(precision >= 0.99 && recall >= 0.99,
            qPrintable(QStringLiteral("precision %1 recall %2").arg(precision).arg(recall)));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TstGeneratorDeploy)
#include "tst_generator_deploy.moc"
