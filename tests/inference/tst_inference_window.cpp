// Inference in bounded memory (issue 12 item 1): processes are read one host at a time into a
// cache of InferenceConfig::processCacheBytes. A run that keeps only the host a rule is reading
// (budget 0: every host read again by every rule that needs it, the cross-host look-ups of
// ancestry, ssh servers and a transfer's processes read through the store) must write the same
// transfers, evidence and keys as a run whose cache holds the whole case. Checked on a generated
// case with Linux servers, deployment tools and remote procedures, and (tst_inference_window_corpus)
// on the corpus's lateral-movement recordings, all its EVTX files in one case and its Mordor
// recordings in one case. A third run without the process markers of every host read up front
// (InferenceConfig::primeProcessMarks: rules then read hosts they find nothing on) must write
// the same tables too. File events, logons, SMB / RDP connections and share accesses are read
// the same way (InferenceConfig::rowCacheBytes, with SmbSessions' session starts): the budget-0
// run keeps none of them beyond the host being read either.

#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/CaseStore.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <vector>

using namespace tt;

namespace {

// Every row of a table as text, in a fixed order.
std::vector<std::string> dumpTable(store::CaseStore &cs, const std::string &table, const std::string &order)
{
    auto st = cs.db().prepare("SELECT * FROM " + table + " ORDER BY " + order);
    std::vector<std::string> rows;
    while (st.step()) {
        std::string r;
        for (int c = 0; c < st.columnCount(); ++c) {
            r += st.isNull(c) ? std::string("<null>") : st.text(c);
            r += '\x1f';
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

struct Run {
    inference::InferenceEngine::Result result;
    std::vector<std::string> transfers, evidence, hosts;
};

Run inferCopy(const QString &imported, const QString &copy, size_t budget, bool primeMarks = true)
{
    QFile::remove(copy);
    if (!QFile::copy(imported, copy))
        qFatal("cannot copy %s", qPrintable(imported));
    auto cs = store::CaseStore::open(copy.toStdString(), store::CaseStore::Access::ReadWrite);
    inference::InferenceConfig cfg;
    cfg.processCacheBytes = budget;
    cfg.primeProcessMarks = primeMarks;
    cfg.rowCacheBytes = budget;
    Run r;
    r.result = inference::InferenceEngine(*cs, cfg).run();
    r.transfers = dumpTable(*cs, "transfers", "id");
    r.evidence = dumpTable(*cs, "transfer_evidence", "1, 2, 3");
    r.hosts = dumpTable(*cs, "hosts", "id");
    return r;
}

// Imports files into dir/imported.ttcase (closed, so the file is whole), then infers two copies:
// the whole case in the cache, and nothing beyond the host being read.
void compareBudgets(const QString &dir, const std::vector<std::string> &files, size_t minTransfers)
{
    const QString imported = dir + QStringLiteral("/imported.ttcase");
    {
        auto cs = store::CaseStore::open(imported.toStdString(), store::CaseStore::Access::Create);
        ImportEngine(*cs, {}).run(files);
    }
    const Run whole = inferCopy(imported, dir + QStringLiteral("/whole.ttcase"), size_t(1) << 40);
    const Run bounded = inferCopy(imported, dir + QStringLiteral("/bounded.ttcase"), 0);
    // Without the markers of every host read up front, rules read the hosts they then find
    // nothing on: more hosts read, the same tables.
    const Run unprimed = inferCopy(imported, dir + QStringLiteral("/unprimed.ttcase"), 0, false);
    qInfo().noquote() << QStringLiteral("%1 events, %2 transfers; process cache peak %3 KiB (whole case) vs "
                                        "%4 KiB (budget 0), hosts read %5 vs %6; other rows: peak %7 vs %8 KiB, "
                                        "hosts read %9 vs %10")
                             .arg(whole.result.events)
                             .arg(whole.result.transfers)
                             .arg(whole.result.processCachePeakBytes / 1024)
                             .arg(bounded.result.processCachePeakBytes / 1024)
                             .arg(whole.result.processHostLoads)
                             .arg(bounded.result.processHostLoads)
                             .arg(whole.result.rowCachePeakBytes / 1024)
                             .arg(bounded.result.rowCachePeakBytes / 1024)
                             .arg(whole.result.rowHostLoads)
                             .arg(bounded.result.rowHostLoads);
    QVERIFY(whole.result.transfers >= minTransfers);
    QVERIFY(!whole.evidence.empty());
    // The bounded run did read hosts again and held less than the whole case at once.
    QVERIFY(bounded.result.processHostLoads > whole.result.processHostLoads);
    QVERIFY(bounded.result.processCachePeakBytes < whole.result.processCachePeakBytes);
    QVERIFY(bounded.result.rowHostLoads > whole.result.rowHostLoads);
    QVERIFY(bounded.result.rowCachePeakBytes < whole.result.rowCachePeakBytes);
    QCOMPARE(bounded.result.candidates, whole.result.candidates);
    QCOMPARE(bounded.transfers.size(), whole.transfers.size());
    for (size_t i = 0; i < whole.transfers.size(); ++i)
        QCOMPARE(bounded.transfers[i], whole.transfers[i]);
    QCOMPARE(bounded.evidence, whole.evidence);
    QCOMPARE(bounded.hosts, whole.hosts);
    qInfo().noquote() << QStringLiteral("hosts read with budget 0 without markers up front: %1")
                             .arg(unprimed.result.processHostLoads);
    QVERIFY(unprimed.result.processHostLoads > bounded.result.processHostLoads);
    QCOMPARE(unprimed.result.candidates, whole.result.candidates);
    QCOMPARE(unprimed.transfers, whole.transfers);
    QCOMPARE(unprimed.evidence, whole.evidence);
    QCOMPARE(unprimed.hosts, whole.hosts);
}

} // namespace

class TstInferenceWindow : public QObject {
    Q_OBJECT

private slots:
#ifndef TT_WINDOW_CORPUS
    void generatedCaseSameWithAnyCache()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        gen::Options o;
        o.hosts = 16;
        o.linuxHosts = 3;
        o.days = 2;
        o.events = 40000;
        o.seed = 2570;
        o.attackerHops = 10;
        o.deployment = true;
        o.procedures = true;
        o.outDir = dir.filePath(QStringLiteral("rec"));
        const gen::Summary s = gen::generate(o);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        std::vector<std::string> files;
        for (const QString &f : s.files)
            files.push_back(f.toStdString());
        compareBudgets(dir.path(), files, 10);
    }
#else
    void corpusSameWithAnyCache_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<int>("minTransfers");
        QTest::newRow("lateral movement")
            << QStringLiteral("/evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement") << QStringLiteral("*.evtx") << 5;
        QTest::newRow("every evtx") << QStringLiteral("/evtx") << QStringLiteral("*.evtx") << 20;
        QTest::newRow("mordor") << QStringLiteral("/mordor") << QStringLiteral("*.zip") << 2;
    }
    void corpusSameWithAnyCache()
    {
        QFETCH(QString, folder);
        QFETCH(QString, pattern);
        QFETCH(int, minTransfers);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QDirIterator it(test::corpusDir() + folder, {pattern}, QDir::Files, QDirIterator::Subdirectories);
        QStringList found;
        while (it.hasNext())
            found << it.next();
        found.sort();
        QVERIFY2(found.size() >= 10, "the corpus has its recordings");
        std::vector<std::string> files;
        for (const QString &f : found)
            files.push_back(f.toStdString());
        compareBudgets(dir.path(), files, size_t(minTransfers));
    }
#endif
};

int main(int argc, char **argv)
{
#ifdef TT_WINDOW_CORPUS
    test::requireCorpusOrSkip(); // exits 77: ctest reports this executable as skipped
#endif
    TstInferenceWindow t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_inference_window.moc"
