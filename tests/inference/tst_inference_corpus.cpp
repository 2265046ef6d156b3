// Inference on the real corpus (../shared/corpus): each evtx / jsonl file of ground_truth.json is
// imported on its own into a fresh case and inferred. Files labelled positive: every high-confidence
// labelled transfer is found (source by name or address, destination, file, account, time within
// the skew window) and nothing else is (fp_traps stay non-transfers). Negative files yield no
// transfer. Borderline files are reported, not asserted. Precision and recall per method are
// printed (and copied into docs/inference.md).

#include "GroundTruthMatcher.h"
#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace tt;

namespace {
constexpr qint64 kToleranceMs = 11000; // ~10 s clock skew + whole-second labels

QString iso(int64_t us)
{
    return QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

QString describe(const inference::TransferRow &r)
{
    return QStringLiteral("%1 -> %2 %3 [%4] %5 acct=%6 %7 conf=%8 exec=%9 rules=%10 path=%11")
        .arg(QString::fromStdString(r.source.empty() ? std::string("?") : r.source),
            QString::fromStdString(r.destination), QString::fromStdString(r.file), QString::fromStdString(r.method),
            QString::fromStdString(r.direction), QString::fromStdString(r.account), iso(r.firstTs))
        .arg(r.confidence)
        .arg(r.executed)
        .arg(QString::fromStdString(r.rules), QString::fromStdString(r.path));
}
} // namespace

class TstInferenceCorpus : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QJsonArray m_truth;
    std::map<QString, MethodStats> m_positive, m_all;
    int m_case = 0;
    double m_seconds = 0;
    int64_t m_events = 0;

private slots:
    void initTestCase()
    {
        m_truth = GroundTruthMatcher::corpusTruth();
        QVERIFY(!m_truth.isEmpty());
    }

    void perFile_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < m_truth.size(); ++i) {
            const QJsonObject o = m_truth.at(i).toObject();
            const QString fmt = o.value(QStringLiteral("format")).toString();
            if (fmt == QLatin1String("evtx") || fmt == QLatin1String("jsonl"))
                QTest::newRow(qPrintable(o.value(QStringLiteral("file")).toString())) << i;
        }
    }

    void perFile()
    {
        QFETCH(int, index);
        const QJsonObject o = m_truth.at(index).toObject();
        const QString file = tt::test::corpusDir() + QLatin1Char('/') + o.value(QStringLiteral("file")).toString();
        const QString labelKind = o.value(QStringLiteral("label")).toString();
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("c%1.ttcase").arg(++m_case)).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const ImportSummary sum = engine.run({file.toStdString()});
        QVERIFY2(sum.stored() > 0, qPrintable(file));
        inference::InferenceEngine inf(*cs);
        const inference::InferenceEngine::Result res = inf.run();
        m_seconds += res.seconds;
        m_events += res.events;
        const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});
        std::vector<Label> labels;
        for (const QJsonValue v : o.value(QStringLiteral("transfers")).toArray())
            labels.push_back(GroundTruthMatcher::label(v.toObject()));
        const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);
        for (const auto &r : rows)
            qInfo().noquote() << "  found:" << describe(r);
        if (labelKind == QLatin1String("negative")) {
            QVERIFY2(rows.empty(), qPrintable(QStringLiteral("negative file yields %1 transfer(s)").arg(rows.size())));
            return;
        }
        GroundTruthMatcher::count(labels, rows, out, m_all);
        if (labelKind != QLatin1String("positive")) {
            for (size_t i = 0; i < labels.size(); ++i)
                qInfo().noquote() << "  borderline label" << labels[i].file << labels[i].method
                                  << (out.rowOfLabel[i] >= 0 ? "found" : "not found");
            return;
        }
        GroundTruthMatcher::count(labels, rows, out, m_positive);
        QStringList problems;
        for (size_t i = 0; i < labels.size(); ++i) {
            const Label &l = labels[i];
            if (l.confidence != QLatin1String("high"))
                continue;
            const int r = out.rowOfLabel[i];
            if (r < 0) {
                problems << QStringLiteral("missed %1 -> %2 %3 at %4")
                                .arg(l.src.isEmpty() ? l.srcIp : l.src, l.dst, l.file)
                                .arg(QDateTime::fromMSecsSinceEpoch(l.utcMs, QTimeZone::utc()).toString(Qt::ISODate));
                continue;
            }
            if (!GroundTruthMatcher::sameAccount(l.account, rows[size_t(r)].account))
                problems << QStringLiteral("%1: account %2, labelled %3")
                                .arg(l.file, QString::fromStdString(rows[size_t(r)].account), l.account);
        }
        for (size_t j = 0; j < rows.size(); ++j)
            if (out.labelOfRow[j] < 0)
                problems << QStringLiteral("not labelled (fp): %1").arg(describe(rows[j]));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
    }

    void cleanupTestCase()
    {
        qInfo().noquote() << "\nCorpus, files labelled positive (all their labelled transfers):\n"
                          << GroundTruthMatcher::table(m_positive);
        qInfo().noquote() << "Corpus, positive + borderline files:\n" << GroundTruthMatcher::table(m_all);
        qInfo().noquote()
            << QStringLiteral("Inference: %1 events in %2 s over all files").arg(m_events).arg(m_seconds, 0, 'f', 3);
    }
};

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstInferenceCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_inference_corpus.moc"
