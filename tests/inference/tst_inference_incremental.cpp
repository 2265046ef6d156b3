// Incremental inference after an import (issue 12 item 1): InferenceEngine::runAfterImport
// recomputes only the transfers the new files can change. A case built by importing A, then B
// (the inference after B incremental) must hold exactly what a whole-case run (`infer`) writes on
// the same case: the same transfers (ids, keys, every column), evidence, hosts and account links,
// and annotations on transfers must point at the same transfers. Checked on hand-made fixtures
// where B completes a transfer whose other end is in A, on generated cases split by host and by
// day, and (tst_inference_incremental_corpus) on corpus recordings split in two.

#include "InferenceFixtures.h"
#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using namespace tt;
using namespace fixtures;

namespace {

std::vector<std::string> dumpTable(store::CaseStore &cs, const std::string &sql)
{
    auto st = cs.db().prepare(sql);
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

struct Dump {
    std::vector<std::string> transfers, evidence, hosts, links, annotated;
};

Dump dumpCase(store::CaseStore &cs)
{
    Dump d;
    d.transfers = dumpTable(cs, "SELECT * FROM transfers ORDER BY id");
    d.evidence = dumpTable(cs, "SELECT * FROM transfer_evidence ORDER BY 1, 2, 3");
    d.hosts = dumpTable(cs, "SELECT * FROM hosts ORDER BY id");
    d.links = dumpTable(cs, "SELECT * FROM account_links ORDER BY 1");
    // Which transfer each annotation on a transfer points at.
    d.annotated = dumpTable(cs,
        "SELECT a.target_key, t.id FROM annotations a JOIN transfers t ON t.key = a.target_key "
        "WHERE a.target_kind = 'transfer' ORDER BY 1, 2");
    return d;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

struct SplitRun {
    std::vector<inference::InferenceEngine::Result> results; // one per batch
    Dump incremental, full;
    size_t annotations = 0;
};

// Imports each batch into one case, inference after each as `import` runs it (runAfterImport);
// after the first batch, every transfer gets a note. Then a copy of the case is inferred whole.
// skipInference: batches whose inference is left out (as when it was killed: the case stays
// "inference pending" and the covered ids are not advanced).
SplitRun runSplit(const QString &dir, const std::vector<std::vector<std::string>> &batches,
    const inference::InferenceConfig &cfg, const std::vector<size_t> &skipInference = {})
{
    SplitRun out;
    const QString path = dir + QStringLiteral("/incremental.ttcase");
    for (size_t b = 0; b < batches.size(); ++b) {
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);
        ImportEngine(*cs, {}).run(batches[b]);
        if (std::find(skipInference.begin(), skipInference.end(), b) != skipInference.end()) {
            if (!store::inferencePending(*cs))
                qFatal("an import without its inference leaves the case pending");
            continue;
        }
        out.results.push_back(inference::InferenceEngine(*cs, cfg).runAfterImport());
        if (store::inferencePending(*cs))
            qFatal("a committed inference clears the pending mark");
        if (b == 0) {
            store::AnnotationStore notes(*cs);
            for (const std::string &key : dumpTable(*cs, "SELECT key FROM transfers ORDER BY id")) {
                store::Annotation a;
                a.kind = store::TargetKind::Transfer;
                a.key = key.substr(0, key.size() - 1); // without the field separator
                a.note = "seen after the first import";
                notes.put(a);
                ++out.annotations;
            }
        }
    }
    {
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
        out.incremental = dumpCase(*cs);
    }
    const QString copy = dir + QStringLiteral("/full.ttcase");
    QFile::remove(copy);
    if (!QFile::copy(path, copy))
        qFatal("cannot copy %s", qPrintable(path));
    auto cs = store::CaseStore::open(copy.toStdString(), store::CaseStore::Access::ReadWrite);
    const auto full = inference::InferenceEngine(*cs, cfg).run();
    if (full.incremental)
        qFatal("run() must recompute the whole case");
    out.full = dumpCase(*cs);
    return out;
}

void compare(const SplitRun &s)
{
    const inference::InferenceEngine::Result &last = s.results.back();
    qInfo().noquote() << QStringLiteral("%1 transfers; last inference %2 (%3), %4 host(s) read, %5 written, "
                                        "%6 replaced; %7 annotations, %8 still on a transfer")
                             .arg(s.full.transfers.size())
                             .arg(last.incremental ? QStringLiteral("incremental") : QStringLiteral("whole case"))
                             .arg(QString::fromStdString(last.fullReason))
                             .arg(last.scopeHosts)
                             .arg(last.transfersWritten)
                             .arg(last.transfersRemoved)
                             .arg(s.annotations)
                             .arg(s.full.annotated.size());
    QCOMPARE(s.incremental.transfers.size(), s.full.transfers.size());
    for (size_t i = 0; i < s.full.transfers.size(); ++i)
        QCOMPARE(QString::fromStdString(s.incremental.transfers[i]), QString::fromStdString(s.full.transfers[i]));
    QCOMPARE(s.incremental.evidence, s.full.evidence);
    QCOMPARE(s.incremental.hosts, s.full.hosts);
    QCOMPARE(s.incremental.links, s.full.links);
    QCOMPARE(s.incremental.annotated, s.full.annotated);
}

constexpr const char *kSrc = "WS5.corp.local";
constexpr const char *kDst = "WS6.corp.local";
constexpr const char *kSrcIp = "10.1.1.5";
constexpr const char *kDstIp = "10.1.1.6";

// The source end of a push: the staged file, the copy command, the outbound SMB connection.
QByteArray sourceEnd(
    const char *src, const char *srcIp, const char *dstName, const char *dstIp, double t, int port, const char *guid)
{
    QByteArray b;
    b += fileCreate(src, at(t - 50), "C:\\Users\\admin\\implant.exe", "C:\\ProgramData\\tool.exe", 3000);
    b += process(src, at(t), guid, 3100, "C:\\Windows\\System32\\cmd.exe",
        QStringLiteral(
            "C:\\Windows\\system32\\cmd.exe /c copy /y C:\\ProgramData\\tool.exe \\\\%1\\C$\\ProgramData\\tool.exe")
            .arg(QLatin1String(dstName))
            .toUtf8()
            .constData());
    b += netConnect(src, at(t + 0.1), true, srcIp, port, dstIp, 445);
    return b;
}

// The destination end: its session, the share write, System creating the file, the file running.
QByteArray destinationEnd(
    const char *dst, const char *srcIp, const char *dstIp, double t, int port, const char *logonId, const char *runGuid)
{
    QByteArray b;
    b += netConnect(dst, at(t + 0.12), false, srcIp, port, dstIp, 445);
    b += logon(dst, at(t + 0.15), srcIp, port, logonId);
    b += shareOpen(dst, at(t + 0.2), srcIp, port, logonId, "\\\\*\\C$", "\\??\\C:\\");
    b += shareCheck(
        dst, at(t + 0.21), srcIp, port, logonId, "\\\\*\\C$", "\\??\\C:\\", "ProgramData\\tool.exe", "0x17019f");
    b += shareCheck(dst, at(t + 0.22), srcIp, port, logonId, "\\\\*\\C$", "\\??\\C:\\", "ProgramData\\tool.exe", "0x2");
    b += fileCreate(dst, at(t + 0.23), "System", "C:\\ProgramData\\tool.exe");
    b += process(dst, at(t + 60), runGuid, 6160, "C:\\ProgramData\\tool.exe", "C:\\ProgramData\\tool.exe",
        "CORP\\admin", "0x2001", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
    return b;
}

// Hosts the new files never reach: a transfer of their own (WS10 -> WS11, both ends) and the
// everyday processes of four more.
QByteArray bystanders()
{
    QByteArray b = sourceEnd(
        "WS10.corp.local", "10.1.1.10", "WS11", "10.1.1.11", 300, 51000, "{DDDDDDDD-0000-0000-0000-000000000300}");
    b += destinationEnd(
        "WS11.corp.local", "10.1.1.10", "10.1.1.11", 305, 51000, "0x7000", "{EEEEEEEE-0000-0000-0000-000000000300}");
    for (int i = 12; i < 16; ++i) {
        const QByteArray host = QStringLiteral("WS%1.corp.local").arg(i).toUtf8();
        const QByteArray guid = QStringLiteral("{FFFFFFFF-0000-0000-0000-0000000000%1}").arg(i).toUtf8();
        b += process(host.constData(), at(200 + i), guid.constData(), 4000 + i, "C:\\Windows\\System32\\notepad.exe",
            "notepad.exe");
    }
    return b;
}

} // namespace

class TstInferenceIncremental : public QObject {
    Q_OBJECT

private:
    // A: bystanders + one end of WS5 -> WS6; B: the other end. B completes the transfer.
    void completeTransfer(bool sourceFirst)
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray src
            = sourceEnd(kSrc, kSrcIp, "WS6", kDstIp, 100, 50020, "{BBBBBBBB-0000-0000-0000-000000000100}");
        const QByteArray dst
            = destinationEnd(kDst, kSrcIp, kDstIp, 108, 50020, "0x2000", "{CCCCCCCC-0000-0000-0000-000000000160}");
        const QString a = dir.filePath(QStringLiteral("a.json")), b = dir.filePath(QStringLiteral("b.json"));
        writeFile(a, bystanders() + (sourceFirst ? src : dst));
        writeFile(b, sourceFirst ? dst : src);
        const SplitRun s = runSplit(dir.path(), {{a.toStdString()}, {b.toStdString()}}, {});
        QVERIFY(!s.results[0].incremental);
        QVERIFY(!s.results[0].fullReason.empty()); // never inferred before
        QVERIFY2(s.results[1].incremental, s.results[1].fullReason.c_str());
        // WS5 and WS6 read (and the address-only host of a one-ended transfer), not the six
        // bystanders; the one-ended transfer replaced by the whole one.
        QVERIFY(s.results[1].scopeHosts >= 2 && s.results[1].scopeHosts <= 3);
        QCOMPARE(s.results[1].transfersWritten, size_t(1));
        QCOMPARE(s.results[1].transfersRemoved, size_t(1));
        compare(s);
        QCOMPARE(s.full.transfers.size(), size_t(2)); // WS10 -> WS11 and WS5 -> WS6
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("incremental.ttcase")).toStdString(), store::CaseStore::Access::ReadWrite);
        // Both ends' evidence on the one transfer WS5 -> WS6, which ran.
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers t JOIN hosts s ON s.id = t.src_host_id "
                                   "JOIN hosts d ON d.id = t.dst_host_id WHERE s.name = 'WS5' AND d.name = 'WS6' "
                                   "AND t.executed = 1"),
            int64_t(1));
        for (const char *role : {"src-command", "src-connect", "dst-write", "dst-create", "dst-logon", "dst-exec"})
            QVERIFY2(cs->db().queryInt(
                         ("SELECT count(*) FROM transfer_evidence WHERE role = '" + std::string(role) + "'").c_str())
                    > 0,
                role);
        // The bystanders' transfer kept its row and its note.
        QVERIFY(s.full.annotated.size() >= 1);
    }

private slots:
#ifndef TT_INCREMENTAL_CORPUS
    void sourceInAThenDestinationInB()
    {
        completeTransfer(true);
    }
    void destinationInAThenSourceInB()
    {
        completeTransfer(false);
    }

    // Nothing new since the last run (a killed inference, a re-import of the same files): the whole
    // case, as before.
    void fallsBackWhenNothingIsNew()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString a = dir.filePath(QStringLiteral("a.json"));
        writeFile(a, bystanders());
        const SplitRun s = runSplit(dir.path(), {{a.toStdString()}, { a.toStdString() }}, {});
        QVERIFY(!s.results[1].incremental);
        QCOMPARE(s.results[1].fullReason, std::string("no new events"));
        compare(s);
    }

    // B's inference was killed (never committed): C's inference must cover B's events too.
    void killedInferenceIsCoveredByTheNext()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString a = dir.filePath(QStringLiteral("a.json")), b = dir.filePath(QStringLiteral("b.json")),
                      c = dir.filePath(QStringLiteral("c.json"));
        writeFile(a,
            bystanders()
                + sourceEnd(kSrc, kSrcIp, "WS6", kDstIp, 100, 50020, "{BBBBBBBB-0000-0000-0000-000000000100}"));
        writeFile(
            b, destinationEnd(kDst, kSrcIp, kDstIp, 108, 50020, "0x2000", "{CCCCCCCC-0000-0000-0000-000000000160}"));
        writeFile(c,
            process(kSrc, at(400), "{BBBBBBBB-0000-0000-0000-000000000400}", 3400, "C:\\Windows\\System32\\notepad.exe",
                "notepad.exe"));
        const SplitRun s = runSplit(dir.path(), {{a.toStdString()}, {b.toStdString()}, { c.toStdString() }}, {}, {1});
        QCOMPARE(s.results.size(), size_t(2));
        QVERIFY2(s.results[1].incremental, s.results[1].fullReason.c_str());
        QCOMPARE(s.results[1].transfersWritten, size_t(1)); // B's end completes WS5 -> WS6
        compare(s);
        QCOMPARE(s.full.transfers.size(), size_t(2));
    }

    void generatedSplits_data()
    {
        QTest::addColumn<QString>("split");
        QTest::newRow("by host") << QStringLiteral("host");
        QTest::newRow("by day") << QStringLiteral("day");
        // One workstation's last day with the default share: in this small, dense case its sessions
        // reach most hosts, so the whole case is run (the fallback must give the same case too).
        QTest::newRow("one host's day, default share") << QStringLiteral("one");
    }
    void generatedSplits()
    {
        QFETCH(QString, split);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        gen::Options o;
        o.hosts = 24;
        o.linuxHosts = 2;
        o.days = 3;
        o.events = 40000;
        o.seed = 2571;
        o.attackerHops = 12;
        o.deployment = true;
        o.outDir = dir.filePath(QStringLiteral("rec"));
        const gen::Summary g = gen::generate(o);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        // B: four Windows hosts' files (by host), or the last day of those four (by day).
        QStringList windows;
        for (const QString &f : g.files)
            if (f.endsWith(QLatin1String(".json")) && !f.endsWith(QLatin1String("ground_truth.json")))
                windows << f;
        windows.sort();
        QVERIFY(windows.size() >= 8);
        QStringList later;
        if (split == QLatin1String("one"))
            later << windows[5];
        else
            for (int i : {1, 5, 9, 13})
                later << windows[i];
        std::vector<std::string> a, b;
        for (const QString &f : g.files)
            if (!later.contains(f))
                a.push_back(f.toStdString());
        int64_t cut = 0;
        for (const QString &f : later) {
            if (split == QLatin1String("host")) {
                b.push_back(f.toStdString());
                continue;
            }
            // The lines of the last day go to B; the rest stays in A.
            QFile in(f);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = in.readAll().split('\n');
            QByteArray last;
            for (const QByteArray &l : lines) {
                const int at = l.indexOf("\"EventTime\":\"");
                if (at >= 0)
                    last = std::max(last, l.mid(at + 13, 10));
            }
            QByteArray early, late;
            const QByteArray lastDay = QByteArray("\"EventTime\":\"") + last;
            for (const QByteArray &l : lines) {
                if (l.isEmpty())
                    continue;
                QByteArray &to = l.contains(lastDay) ? late : early;
                to += l;
                to += '\n';
            }
            QVERIFY(!early.isEmpty() && !late.isEmpty());
            const QString base = dir.filePath(QFileInfo(f).completeBaseName());
            const QString earlyPath = base + QStringLiteral("-early.json");
            const QString latePath = base + QStringLiteral("-late.json");
            writeFile(earlyPath, early);
            writeFile(latePath, late);
            a.push_back(earlyPath.toStdString());
            b.push_back(latePath.toStdString());
            ++cut;
        }
        QVERIFY(split == QLatin1String("host") || cut == later.size());
        // The Zeek sensor logs (A) are read case-wide: they do not stop B from being incremental.
        inference::InferenceConfig cfg;
        if (split != QLatin1String("one"))
            cfg.incrementalHostShare = 1.0; // always scoped, however far B reaches: what is checked
        const SplitRun s = runSplit(dir.path(), {a, b}, cfg);
        if (split == QLatin1String("one"))
            QCOMPARE(s.results[1].fullReason, std::string("the new events reach most of the case's hosts"));
        else
            QVERIFY2(s.results[1].incremental, s.results[1].fullReason.c_str());
        QVERIFY(s.full.transfers.size() >= 10);
        QVERIFY(!s.results[1].incremental || s.results[1].transfersWritten > 0);
        compare(s);
    }
#else
    void corpusSplit_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("pattern");
        QTest::newRow("lateral movement")
            << QStringLiteral("/evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement") << QStringLiteral("*.evtx");
        QTest::newRow("mordor") << QStringLiteral("/mordor") << QStringLiteral("*.zip");
    }
    void corpusSplit()
    {
        QFETCH(QString, folder);
        QFETCH(QString, pattern);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QDirIterator it(test::corpusDir() + folder, {pattern}, QDir::Files, QDirIterator::Subdirectories);
        QStringList found;
        while (it.hasNext())
            found << it.next();
        found.sort();
        QVERIFY2(found.size() >= 10, "the corpus has its recordings");
        // Every other recording into B: a mixed subset, with A's and B's hosts overlapping.
        std::vector<std::string> a, b;
        for (int i = 0; i < found.size(); ++i)
            (i % 2 ? b : a).push_back(found[i].toStdString());
        inference::InferenceConfig cfg;
        cfg.incrementalHostShare = 1.0;
        const SplitRun s = runSplit(dir.path(), {a, b}, cfg);
        QVERIFY2(s.results[1].incremental, s.results[1].fullReason.c_str());
        QVERIFY(s.full.transfers.size() >= 2);
        compare(s);
    }
#endif
};

int main(int argc, char **argv)
{
#ifdef TT_INCREMENTAL_CORPUS
    test::requireCorpusOrSkip(); // exits 77: ctest reports this executable as skipped
#endif
    TstInferenceIncremental t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_inference_incremental.moc"
