// Issue 10 item 4: confidence means what it says. The reliability table (band -> transfers found,
// true, observed precision) over
//   - the labelled corpus: every EVTX / JSON-lines file of ground_truth.json (positive, borderline
//     and negative) imported alone; a transfer is true when it pairs with a label of its file
//     (`transfers` or `other_transfers`: same destination, file, compatible source, time within
//     the skew), every other transfer found in that file is false;
//   - generated recordings (tt::gen with the deployment-tool pushes, two seeds): true when it pairs
//     with a ground-truth transfer (attack or benign-admin), else false;
//   - generated enterprise recordings (gen --enterprise: cloned images, DHCP churn, VPN pool, jump
//     servers with pulls the Zeek sensor sees as SMB::FILE_READ, a deployment fan with attacker
//     hops beside it; two seeds), counted the same way. The transfers carrying the sensor's
//     `net-read` role (pulls) are also tallied on their own.
// Asserted: the high band's precision is >= 0.95, and every transfer labelled `high` in a file
// labelled positive is found and lands in the high band (borderline files are reported). A scoring change that drops
// one of them below 0.75, or lets false transfers into the band, fails here. The table is printed for
// docs/inference.md.

#include "GroundTruthMatcher.h"
#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/ConfidenceModel.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <array>

using namespace tt;

namespace {
constexpr qint64 kToleranceMs = 11000; // ~10 s clock skew + whole-second labels

struct Band {
    int found = 0, correct = 0;
    double precision() const { return found ? double(correct) / found : 1.0; }
};
using Table = std::array<Band, 3>; // high, medium, low

int bandOf(const std::string &label)
{
    return label == "high" ? 0 : label == "medium" ? 1 : 2;
}

QString describe(const inference::TransferRow &r)
{
    QStringList why;
    for (const std::string &s : inference::confidenceReasons(r))
        why << QString::fromStdString(s);
    return QStringLiteral("%1 (%2) -> %3 %4 [%5] %6 %7 (%8)")
        .arg(QString::fromStdString(r.source), QString::fromStdString(r.sourceIp),
            QString::fromStdString(r.destination), QString::fromStdString(r.file), QString::fromStdString(r.method),
            QString::fromStdString(r.confidenceLabel))
        .arg(r.confidence, 0, 'f', 3)
        .arg(why.join(QStringLiteral(", ")));
}

QString render(const QString &title, const Table &t)
{
    static const char *names[] = {"high (>= 0.75)", "medium (0.5-0.75)", "low (< 0.5)"};
    QString out
        = title + QStringLiteral("\n| band | transfers | true | false | observed precision |\n|---|---|---|---|---|\n");
    for (int b = 0; b < 3; ++b)
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                   .arg(QLatin1String(names[b]))
                   .arg(t[size_t(b)].found)
                   .arg(t[size_t(b)].correct)
                   .arg(t[size_t(b)].found - t[size_t(b)].correct)
                   .arg(t[size_t(b)].found ? QString::number(t[size_t(b)].precision(), 'f', 3) : QStringLiteral("-"));
    return out;
}
} // namespace

class TstInferenceCalibration : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_case = 0;
    Table m_corpus {}, m_generated {}, m_enterprise {}, m_netRead {};

    std::unique_ptr<store::CaseStore> importCase(const std::vector<std::string> &paths)
    {
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("c%1.ttcase").arg(++m_case)).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        engine.run(paths);
        inference::InferenceEngine(*cs).run();
        return cs;
    }

    static void tally(const std::vector<Label> &labels, const std::vector<inference::TransferRow> &rows, Table &t)
    {
        const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);
        for (size_t j = 0; j < rows.size(); ++j) {
            Band &b = t[size_t(bandOf(rows[j].confidenceLabel))];
            ++b.found;
            if (out.labelOfRow[j] >= 0)
                ++b.correct;
        }
    }

private slots:
    void corpus()
    {
        const QJsonArray truth = GroundTruthMatcher::corpusTruth();
        QVERIFY(!truth.isEmpty());
        QStringList problems;
        int files = 0, labelledHigh = 0;
        for (const auto &v : truth) {
            const QJsonObject o = v.toObject();
            const QString fmt = o.value(QStringLiteral("format")).toString();
            if (fmt != QLatin1String("evtx") && fmt != QLatin1String("jsonl"))
                continue;
            ++files;
            const QString file = o.value(QStringLiteral("file")).toString();
            auto cs = importCase({QString(tt::test::corpusDir() + QLatin1Char('/') + file).toStdString()});
            const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});
            std::vector<Label> labels;
            for (const char *key : {"transfers", "other_transfers"})
                for (const auto &t : o.value(QLatin1String(key)).toArray())
                    labels.push_back(GroundTruthMatcher::label(t.toObject()));
            tally(labels, rows, m_corpus);
            const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);
            for (size_t j = 0; j < rows.size(); ++j)
                qInfo().noquote() << (out.labelOfRow[j] >= 0 ? "  true: " : "  FALSE:") << file << describe(rows[j]);
            // Files labelled positive: each `high` label found and in the high band. Borderline
            // files (is it a transfer at all?) are reported, not asserted.
            const bool positive = o.value(QStringLiteral("label")).toString() == QLatin1String("positive");
            for (size_t i = 0; i < labels.size(); ++i) {
                if (labels[i].confidence != QLatin1String("high"))
                    continue;
                const int r = out.rowOfLabel[i];
                QString problem;
                if (r < 0)
                    problem = QStringLiteral("%1: labelled-high %2 not found").arg(file, labels[i].file);
                else if (rows[size_t(r)].confidenceLabel != "high")
                    problem = QStringLiteral("%1: labelled-high transfer in band %2: %3")
                                  .arg(file, QString::fromStdString(rows[size_t(r)].confidenceLabel),
                                      describe(rows[size_t(r)]));
                if (positive) {
                    ++labelledHigh;
                    if (!problem.isEmpty())
                        problems << problem;
                } else if (!problem.isEmpty()) {
                    qInfo().noquote() << "  borderline, not asserted:" << problem;
                }
            }
        }
        qInfo().noquote() << render(
            QStringLiteral("\nCorpus (%1 files, %2 labelled high in positive files):").arg(files).arg(labelledHigh),
            m_corpus);
        QVERIFY(files >= 65); // the EVTX and JSON-lines files of ground_truth.json (70 today)
        QVERIFY(labelledHigh >= 11);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(m_corpus[0].precision() >= 0.95, "corpus: high band precision below 0.95");
    }

    void generated()
    {
        for (const uint64_t seed : {uint64_t(3), uint64_t(20240611)}) {
            gen::Options o;
            o.hosts = 30;
            o.days = 2;
            o.events = 60000;
            o.seed = seed;
            o.attackerHops = 10;
            o.deployment = true;
            o.outDir = m_dir.filePath(QStringLiteral("gen%1").arg(seed));
            const gen::Summary s = gen::generate(o);
            QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
            std::vector<std::string> inputs;
            for (const QString &f : s.files)
                inputs.push_back(f.toStdString());
            auto cs = importCase(inputs);
            const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});
            QFile f(s.groundTruthPath);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonObject truth = QJsonDocument::fromJson(f.readAll()).array().first().toObject();
            std::vector<Label> labels;
            for (const auto &v : truth.value(QStringLiteral("transfers")).toArray())
                labels.push_back(GroundTruthMatcher::label(v.toObject()));
            QVERIFY(labels.size() >= 10);
            tally(labels, rows, m_generated);
            const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);
            for (size_t j = 0; j < rows.size(); ++j)
                if (out.labelOfRow[j] < 0)
                    qInfo().noquote() << "  FALSE (generated, seed" << seed << "):" << describe(rows[j]);
        }
        qInfo().noquote() << render(
            QStringLiteral("\nGenerated (30 hosts, 60 000 events, seeds 3 and 20240611):"), m_generated);
        QVERIFY(m_generated[0].found > 0);
        QVERIFY2(m_generated[0].precision() >= 0.95, "generated: high band precision below 0.95");
    }

    void enterprise()
    {
        for (const uint64_t seed : {uint64_t(5), uint64_t(11)}) {
            gen::Options o;
            o.hosts = 40;
            o.linuxHosts = 0;
            o.days = 3;
            o.events = 40000;
            o.seed = seed;
            o.attackerHops = 8;
            o.enterprise = true;
            o.outDir = m_dir.filePath(QStringLiteral("ent%1").arg(seed));
            const gen::Summary s = gen::generate(o);
            QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
            std::vector<std::string> inputs;
            for (const QString &f : s.files)
                inputs.push_back(f.toStdString());
            auto cs = importCase(inputs);
            const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});
            QFile f(s.groundTruthPath);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonObject truth = QJsonDocument::fromJson(f.readAll()).array().first().toObject();
            std::vector<Label> labels;
            for (const auto &v : truth.value(QStringLiteral("transfers")).toArray())
                labels.push_back(GroundTruthMatcher::label(v.toObject()));
            QVERIFY(labels.size() >= 50);
            tally(labels, rows, m_enterprise);
            const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);
            for (size_t j = 0; j < rows.size(); ++j) {
                if (out.labelOfRow[j] < 0)
                    qInfo().noquote() << "  FALSE (enterprise, seed" << seed << "):" << describe(rows[j]);
                const auto &roles = rows[j].roles;
                if (std::find(roles.begin(), roles.end(), std::string("net-read")) == roles.end())
                    continue;
                Band &b = m_netRead[size_t(bandOf(rows[j].confidenceLabel))];
                ++b.found;
                b.correct += out.labelOfRow[j] >= 0;
            }
        }
        qInfo().noquote() << render(
            QStringLiteral("\nEnterprise (gen --enterprise, 40 hosts, 3 days, 40 000 events, seeds 5 and 11):"),
            m_enterprise);
        qInfo().noquote() << render(
            QStringLiteral("\nEnterprise, transfers with the sensor's net-read role:"), m_netRead);
        QVERIFY(m_enterprise[0].found > 0);
        QVERIFY2(m_enterprise[0].precision() >= 0.95, "enterprise: high band precision below 0.95");
        QVERIFY2(m_netRead[0].found + m_netRead[1].found + m_netRead[2].found >= 4, "no net-read pull in the set");
        QVERIFY2(m_netRead[0].precision() >= 0.95, "net-read: high band precision below 0.95");
    }

    void combined()
    {
        Table all {};
        for (size_t b = 0; b < 3; ++b) {
            all[b].found = m_corpus[b].found + m_generated[b].found + m_enterprise[b].found;
            all[b].correct = m_corpus[b].correct + m_generated[b].correct + m_enterprise[b].correct;
        }
        qInfo().noquote() << render(QStringLiteral("\nCorpus + generated + enterprise:"), all);
        QVERIFY2(all[0].precision() >= 0.95, "all sets: high band precision below 0.95");
    }
};

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstInferenceCalibration t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_inference_calibration.moc"
