// ESXi hosts and Macs in generated recordings (issue 14, generator methods; Options::platforms),
// over several seeds: gen -> import (the Macs' eslogger / unified-log files with --host, as the
// generator says) -> inference. Every transfer into or out of an ESXi host or a Mac must match the
// generator's ground truth per method (scp into ESXi and into Macs, hostd datastore uploads and
// wget / curl pulls: http, AirDrop receipts) on (source, destination, file, time) plus the
// account, method and direction, with precision and recall >= 0.99 summed over the seeds; no other
// transfer may touch those hosts, and every labelled attack transfer of the Windows part is still
// found.

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
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace tt;

namespace {
constexpr qint64 kToleranceMs = 11000;
}

class TstGeneratorPlatforms : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    struct Counts {
        int tp = 0, fp = 0, fn = 0;
    };
    std::map<QString, Counts> m_counts; // "esxi scp push", "macos http pull", ...

private slots:
    void platforms_data()
    {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed : {1ull, 7ull, 42ull})
            QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }

    void platforms()
    {
        QFETCH(quint64, seed);
        gen::Options o;
        o.hosts = 14;
        o.linuxHosts = 0;
        o.days = 1;
        o.events = 15000;
        o.attackerHops = 4;
        o.seed = seed;
        o.platforms = true;
        o.sensor = false;
        o.outDir = m_dir.filePath(QStringLiteral("rec%1").arg(seed));
        const gen::Summary s = gen::generate(o);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QVERIFY(!s.hostFiles.isEmpty());

        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("p%1.ttcase").arg(seed)).toStdString(), store::CaseStore::Access::Create);
        for (const auto &[file, host] : s.hostFiles) {
            ImportEngine::Options io;
            io.defaultHost = host.toStdString();
            ImportEngine engine(*cs, io);
            QCOMPARE(engine.run({file.toStdString()}).exitCode(), 0);
        }
        std::vector<std::string> inputs;
        for (const QString &f : s.files)
            inputs.push_back(f.toStdString());
        ImportEngine engine(*cs, {});
        QCOMPARE(engine.run(inputs).exitCode(), 0);
        inference::InferenceEngine(*cs).run();
        const std::vector<inference::TransferRow> rows = inference::listTransfers(*cs, {});

        QFile f(s.groundTruthPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject rec = QJsonDocument::fromJson(f.readAll()).array().first().toObject();
        std::map<QString, QString> kindOf; // host key -> esxi | macos
        for (const auto &v : rec.value(QStringLiteral("platform_hosts")).toArray())
            kindOf[GroundTruthMatcher::hostKey(v.toObject().value(QStringLiteral("host")).toString())]
                = v.toObject().value(QStringLiteral("kind")).toString();
        QCOMPARE(kindOf.size(), size_t(4));
        auto platformOf = [&](const QString &a, const QString &b) {
            for (const QString &h : {b, a}) {
                const auto it = kindOf.find(GroundTruthMatcher::hostKey(h));
                if (it != kindOf.end())
                    return it->second;
            }
            return QString();
        };

        const QJsonArray truth = rec.value(QStringLiteral("transfers")).toArray();
        std::vector<Label> labels;
        QStringList kinds, directions;
        for (const auto &v : truth) {
            const QJsonObject t = v.toObject();
            labels.push_back(GroundTruthMatcher::label(t));
            const QString platform = platformOf(labels.back().src, labels.back().dst);
            directions << t.value(QStringLiteral("direction")).toString();
            kinds << (platform.isEmpty() ? QString() : platform + ' ' + labels.back().method + ' ' + directions.back());
        }
        const auto out = GroundTruthMatcher::match(labels, rows, kToleranceMs);

        std::map<QString, int> perKind;
        QStringList problems;
        for (size_t i = 0; i < labels.size(); ++i) {
            const Label &l = labels[i];
            const QString &kind = kinds[int(i)];
            const int r = out.rowOfLabel[i];
            const inference::TransferRow *row = r >= 0 ? &rows[size_t(r)] : nullptr;
            if (kind.isEmpty()) {
                if (l.category == QLatin1String("attack") && l.confidence == QLatin1String("high") && !row)
                    problems << QStringLiteral("attack transfer lost: %1 -> %2 %3").arg(l.src, l.dst, l.file);
                continue;
            }
            ++perKind[kind];
            if (row && QString::fromStdString(row->method) == l.method
                && QString::fromStdString(row->direction) == directions[int(i)]
                && GroundTruthMatcher::sameAccount(l.account, row->account)) {
                ++m_counts[kind].tp;
            } else {
                ++m_counts[kind].fn;
                problems << QStringLiteral("%1: %2 -> %3 %4 (%5): %6")
                                .arg(kind, l.src, l.dst, l.file, l.account,
                                    row ? QStringLiteral("found as %1 %2 by %3")
                                              .arg(QString::fromStdString(row->method),
                                                  QString::fromStdString(row->direction),
                                                  QString::fromStdString(row->account))
                                        : QStringLiteral("not found"));
            }
        }
        for (size_t j = 0; j < rows.size(); ++j) {
            const QString platform
                = platformOf(QString::fromStdString(rows[j].source), QString::fromStdString(rows[j].destination));
            if (platform.isEmpty())
                continue;
            const int l = out.labelOfRow[j];
            if (l < 0 || kinds[l].isEmpty()) {
                const QString kind = platform + ' ' + QString::fromStdString(rows[j].method) + ' '
                    + QString::fromStdString(rows[j].direction);
                ++m_counts[kind].fp;
                problems << QStringLiteral("%1 row not labelled: %2 -> %3 %4")
                                .arg(kind, QString::fromStdString(rows[j].source),
                                    QString::fromStdString(rows[j].destination), QString::fromStdString(rows[j].file));
            }
        }
        QStringList seen;
        for (const auto &[k, n] : perKind)
            seen << QStringLiteral("%1: %2").arg(k).arg(n);
        qInfo().noquote() << QStringLiteral("seed %1: %2; %3 rows").arg(seed).arg(seen.join(", ")).arg(rows.size());
        for (const QString &p : problems)
            qInfo().noquote() << "  " << p;
        for (const char *k : {"esxi scp push", "esxi http push", "esxi http pull", "macos scp push", "macos http pull",
                 "macos airdrop push", "macos smb-share push"})
            QVERIFY2(perKind[QString::fromLatin1(k)] > 0, k);
        QVERIFY2(problems.filter(QStringLiteral("attack transfer lost")).isEmpty(), qPrintable(problems.join('\n')));
    }

    void cleanupTestCase()
    {
        QVERIFY(!m_counts.empty());
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

QTEST_GUILESS_MAIN(TstGeneratorPlatforms)
#include "tst_generator_platforms.moc"
