// Remote procedures at scale (issue 14 item 6 and the generator methods): generated recordings
// with Options::procedures, over several seeds: PowerShell remoting copies (method winrm), Impacket
// smbexec and atexec with their output read back (pulls, smb-admin-share, rule smb-output-read)
// and bitsadmin downloads (pulls, http, rule bits-job). Per procedure, on (source, destination,
// file, time) plus the account, method and direction, the transfers must match the generator's
// ground truth with precision and recall >= 0.99 (summed over the seeds), and every other
// labelled attack transfer must still be found (the new activity hides nothing).

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

#include <map>

using namespace tt;

namespace {
constexpr qint64 kToleranceMs = 11000;

// The procedure a ground-truth transfer is an instance of (its notes say), "" for the others.
QString labelKind(const QJsonObject &o)
{
    const QString notes = o.value(QStringLiteral("notes")).toString();
    if (o.value(QStringLiteral("method")).toString() == QLatin1String("winrm"))
        return QStringLiteral("winrm");
    if (notes.startsWith(QLatin1String("Impacket smbexec")))
        return QStringLiteral("smbexec");
    if (notes.startsWith(QLatin1String("Impacket atexec")))
        return QStringLiteral("atexec");
    if (notes.startsWith(QLatin1String("bitsadmin")))
        return QStringLiteral("bits");
    return {};
}

// The procedure an inferred row claims to be, "" for the others.
QString rowKind(const inference::TransferRow &r)
{
    if (r.method == "winrm")
        return QStringLiteral("winrm");
    if (r.rules.find("smb-output-read") != std::string::npos)
        return r.file == "__output" ? QStringLiteral("smbexec") : QStringLiteral("atexec");
    if (r.rules.find("bits-job") != std::string::npos)
        return QStringLiteral("bits");
    return {};
}
} // namespace

class TstGeneratorProcedures : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    struct Counts {
        int tp = 0, fp = 0, fn = 0;
    };
    std::map<QString, Counts> m_counts; // per procedure, over every seed

private slots:
    void procedures_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1ull, 7ull, 42ull})
            QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }

    void procedures()
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
        GeneratedCase g = importGenerated(o, m_dir.filePath(QStringLiteral("g%1.ttcase").arg(seed)));
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        const std::vector<inference::TransferRow> &rows = g.rows;
        const QJsonArray truth = g.truth.value("transfers").toArray();
        std::vector<Label> labels;
        QStringList kinds;
        for (const auto &v : truth) {
            labels.push_back(GroundTruthMatcher::label(v.toObject()));
            kinds << labelKind(v.toObject());
        }
        const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);

        std::map<QString, int> perKind;
        QStringList problems;
        for (size_t i = 0; i < labels.size(); ++i) {
            const Label &l = labels[i];
            const QString kind = kinds[int(i)];
            const int r = out.rowOfLabel[i];
            const inference::TransferRow *row = r >= 0 ? &rows[size_t(r)] : nullptr;
            if (!kind.isEmpty()) {
                ++perKind[kind];
                // Paired = same destination, file, source and time (GroundTruthMatcher::pairs);
                // then the procedure, account, method and direction must agree too.
                const QString direction = truth[int(i)].toObject().value(QStringLiteral("direction")).toString();
                if (row && rowKind(*row) == kind && QString::fromStdString(row->method) == l.method
                    && QString::fromStdString(row->direction) == direction
                    && GroundTruthMatcher::sameAccount(l.account, row->account)) {
                    ++m_counts[kind].tp;
                } else {
                    ++m_counts[kind].fn;
                    problems << QStringLiteral("%1 %2 -> %3 %4 (%5): %6")
                                    .arg(kind, l.src, l.dst, l.file, l.account,
                                        row ? QStringLiteral("found as %1 %2 by %3 (rules %4)")
                                                  .arg(QString::fromStdString(row->method),
                                                      QString::fromStdString(row->direction),
                                                      QString::fromStdString(row->account),
                                                      QString::fromStdString(row->rules))
                                            : QStringLiteral("not found"));
                }
            } else if (l.category == QLatin1String("attack") && l.confidence == QLatin1String("high") && !row) {
                problems << QStringLiteral("attack transfer lost: %1 -> %2 %3").arg(l.src, l.dst, l.file);
            }
        }
        for (size_t j = 0; j < rows.size(); ++j) {
            const QString kind = rowKind(rows[j]);
            if (kind.isEmpty())
                continue;
            const int l = out.labelOfRow[j];
            if (l < 0 || kinds[l] != kind) {
                ++m_counts[kind].fp;
                problems << QStringLiteral("%1 row not labelled: %2 -> %3 %4")
                                .arg(kind, QString::fromStdString(rows[j].source),
                                    QString::fromStdString(rows[j].destination), QString::fromStdString(rows[j].file));
            }
        }
        QStringList seen;
        for (const auto &[k, n] : perKind)
            seen << QStringLiteral("%1 %2").arg(k).arg(n);
        qInfo().noquote()
            << QStringLiteral("seed %1: labels %2; %3 rows").arg(seed).arg(seen.join(", ")).arg(rows.size());
        for (const QString &p : problems)
            qInfo().noquote() << "  " << p;
        for (const char *k : {"winrm", "smbexec", "atexec", "bits"})
            QVERIFY2(perKind[QString::fromLatin1(k)] > 0, k);
        QVERIFY2(problems.filter(QStringLiteral("attack transfer lost")).isEmpty(), qPrintable(problems.join('\n')));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_counts.size(), size_t(4));
        for (const auto &[kind, c] : m_counts) {
            const double precision = c.tp + c.fp ? double(c.tp) / (c.tp + c.fp) : 0;
            const double recall = c.tp + c.fn ? double(c.tp) / (c.tp + c.fn) : 0;
            qInfo().noquote() << QStringLiteral("%1 over all seeds: TP %2 FP %3 FN %4, precision %5, recall %6")
                                     .arg(kind)
                                     .arg(c.tp)
                                     .arg(c.fp)
                                     .arg(c.fn)
                                     .arg(precision, 0, 'f', 3)
                                     .arg(recall, 0, 'f', 3);
            QVERIFY2(c.tp > 0, qPrintable(kind));
            QVERIFY2(precision >= 0.99, qPrintable(kind + QStringLiteral(" precision ") + QString::number(precision)));
            QVERIFY2(recall >= 0.99, qPrintable(kind + QStringLiteral(" recall ") + QString::number(recall)));
        }
    }
};

QTEST_GUILESS_MAIN(TstGeneratorProcedures)
#include "tst_generator_procedures.moc"
