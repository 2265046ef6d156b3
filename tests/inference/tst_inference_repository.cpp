// The repositories inference reads and writes through (models/store, issue 13) and the one reader
// of transfer rows (models/query/TransferRecordQuery): scoped loads read only their hosts and time
// window, transfers written in batches keep the order given, and the CLI, the exports and the
// transfers table read the same row the same way.

#include "InferenceFixtures.h"

#include "core/ImportEngine.h"
#include "inference/CaseSnapshot.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "query/ExportQuery.h"
#include "query/TransferRecordQuery.h"
#include "query/TransferTableQuery.h"
#include "store/CaseStore.h"
#include "store/EntityRepository.h"
#include "store/InferenceRepository.h"
#include "store/Sqlite.h"
#include "store/TransferRepository.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace tt;
using namespace fixtures;

namespace {
constexpr const char *kDst = "WS6.corp.local";
constexpr const char *kSrc = "WS5.corp.local";
constexpr const char *kSrcIp = "10.1.1.5";
constexpr const char *kDstIp = "10.1.1.6";

int64_t us(double seconds)
{
    return at(seconds) * 1000;
}

// An SMB push of C:\Windows\Temp\tool.exe from WS5 to WS6 seen from both ends.
QByteArray push()
{
    QByteArray b;
    b += netConnect(kSrc, at(0.1), true, kSrcIp, 50001, kDstIp, 445);
    b += netConnect(kDst, at(0.12), false, kSrcIp, 50001, kDstIp, 445);
    b += logon(kDst, at(0.15), kSrcIp, 50001, "0x9000");
    b += shareOpen(kDst, at(0.2), kSrcIp, 50001, "0x9000", "\\\\*\\C$", "\\??\\C:\\");
    b += shareCheck(
        kDst, at(0.21), kSrcIp, 50001, "0x9000", "\\\\*\\C$", "\\??\\C:\\", "Windows\\Temp\\tool.exe", "0x2");
    b += fileCreate(kDst, at(0.23), "System", "C:\\Windows\\Temp\\tool.exe");
    return b;
}

int64_t hostId(store::CaseStore &cs, const char *name)
{
    for (const store::HostEntityRow &h : store::EntityRepository(cs).hosts())
        if (h.name == name)
            return h.id;
    return 0;
}

std::vector<store::ProcessInfo> processes(store::CaseStore &cs, const store::InferenceScope &scope)
{
    std::vector<store::ProcessInfo> out;
    store::InferenceRepository(cs).loadProcesses(scope, [&](store::ProcessInfo &&p) { out.push_back(std::move(p)); });
    return out;
}
} // namespace

class TstInferenceRepository : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;

    std::unique_ptr<store::CaseStore> makeCase(const QByteArray &lines)
    {
        ++m_n;
        const QString input = m_dir.filePath(QStringLiteral("in%1.json").arg(m_n));
        QFile f(input);
        if (!f.open(QIODevice::WriteOnly))
            return nullptr;
        f.write(lines);
        f.close();
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("c%1.ttcase").arg(m_n)).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        if (engine.run({input.toStdString()}).stored() == 0)
            return nullptr;
        return cs;
    }

private slots:
    void scopedLoadsReadOnlyTheirHostsAndWindow()
    {
        QByteArray b;
        b += process(kSrc, at(0), "{00000000-0000-0000-0000-00000000000a}", 200, "C:\\a.exe", "a");
        b += process(kDst, at(30), "{00000000-0000-0000-0000-00000000000b}", 201, "C:\\b.exe", "b");
        b += process(kSrc, at(60), "{00000000-0000-0000-0000-00000000000c}", 202, "C:\\c.exe", "c");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const int64_t ws5 = hostId(*cs, "WS5"), ws6 = hostId(*cs, "WS6");
        QVERIFY(ws5 && ws6);

        auto images = [](const std::vector<store::ProcessInfo> &rows) {
            QStringList out;
            for (const store::ProcessInfo &p : rows)
                out << QString::fromStdString(p.image);
            return out;
        };
        QCOMPARE(images(processes(*cs, {})), QStringList({"C:\\a.exe", "C:\\b.exe", "C:\\c.exe"}));
        QCOMPARE(
            images(processes(*cs, {{ws5}, store::kNoValue, store::kNoValue})), QStringList({"C:\\a.exe", "C:\\c.exe"}));
        QCOMPARE(images(processes(*cs, {{ws6}, store::kNoValue, store::kNoValue})), QStringList({"C:\\b.exe"}));
        // Inclusive bounds, each open on its own.
        QCOMPARE(images(processes(*cs, {{}, us(30), us(60)})), QStringList({"C:\\b.exe", "C:\\c.exe"}));
        QCOMPARE(images(processes(*cs, {{}, store::kNoValue, us(30)})), QStringList({"C:\\a.exe", "C:\\b.exe"}));
        QCOMPARE(images(processes(*cs, {{ws5}, us(1), store::kNoValue})), QStringList({"C:\\c.exe"}));
        QCOMPARE(images(processes(*cs, {{ws5, ws6}, us(0), us(30)})), QStringList({"C:\\a.exe", "C:\\b.exe"}));
    }

    // The snapshot loads processes without their hashes (the largest string of a row, issue 12):
    // the load leaves them empty when asked and processHashes() reads one process's.
    void processHashesOnDemand()
    {
        auto cs = makeCase(process(kDst, at(0), "{00000000-0000-0000-0000-00000000000d}", 300, "C:\\d.exe", "d"));
        QVERIFY(cs);
        const std::vector<store::ProcessInfo> with = processes(*cs, {});
        QCOMPARE(with.size(), size_t(1));
        QCOMPARE(QString::fromStdString(with[0].hashes), QStringLiteral("SHA256=FEEDFACE"));
        store::InferenceScope scope;
        scope.processHashes = false;
        const std::vector<store::ProcessInfo> without = processes(*cs, scope);
        QCOMPARE(without.size(), size_t(1));
        QVERIFY(without[0].hashes.empty());
        QCOMPARE(without[0].id, with[0].id);
        QCOMPARE(without[0].image, with[0].image);
        store::InferenceRepository repo(*cs);
        QCOMPARE(QString::fromStdString(repo.processHashes(with[0].id)), QStringLiteral("SHA256=FEEDFACE"));
        QVERIFY(repo.processHashes(with[0].id + 1000).empty());
    }

    // The snapshot's process look-ups (sorted vectors since issue 12, hash maps before): a guid is
    // per host, the earliest process of a guid on a host is the one found, ids are exact, and
    // each host's rows are in time order whatever order they were read in.
    void snapshotLookups()
    {
        const char *g = "{00000000-0000-0000-0000-0000000000f1}";
        QByteArray b;
        b += process(kDst, at(50), g, 401, "C:\\later.exe", "later"); // read first, runs later
        b += process(kDst, at(10), g, 400, "C:\\first.exe", "first");
        b += process(kSrc, at(20), g, 402, "C:\\other-host.exe", "other");
        b += process(kSrc, at(5), "{00000000-0000-0000-0000-0000000000f2}", 403, "C:\\early.exe", "early");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const int64_t ws5 = hostId(*cs, "WS5"), ws6 = hostId(*cs, "WS6");
        QVERIFY(ws5 && ws6);
        store::InferenceRepository repo(*cs);
        inference::CaseSnapshot snap;
        snap.load(repo, {});
        QCOMPARE(snap.processes.size(), size_t(4));
        const std::vector<store::ProcessInfo> &dst = snap.processes.of(ws6);
        QCOMPARE(dst.size(), size_t(2));
        QCOMPARE(QString::fromStdString(dst[0].image), QStringLiteral("C:\\first.exe"));
        QCOMPARE(QString::fromStdString(dst[1].image), QStringLiteral("C:\\later.exe"));
        QVERIFY(dst[0].hashes.empty()); // not loaded: processHashes() on demand
        const std::string stored = dst[0].guid; // as the importer normalised it
        QVERIFY(!stored.empty());
        QCOMPARE(dst[1].guid, stored);

        const store::ProcessInfo *p = snap.processByGuid(ws6, stored);
        QVERIFY(p);
        QCOMPARE(QString::fromStdString(p->image), QStringLiteral("C:\\first.exe"));
        p = snap.processByGuid(ws5, stored);
        QVERIFY(p);
        QCOMPARE(QString::fromStdString(p->image), QStringLiteral("C:\\other-host.exe"));
        QVERIFY(!snap.processByGuid(ws6, snap.processes.of(ws5)[0].guid)); // the other guid, on WS5 only
        QVERIFY(!snap.processByGuid(ws6, ""));
        QVERIFY(!snap.processByGuid(ws6 + ws5 + 100, stored));

        for (int64_t host : {ws5, ws6})
            for (const store::ProcessInfo &q : snap.processes.of(host)) {
                QCOMPARE(snap.processById(q.id), &q);
                QCOMPARE(snap.processByPid(host, q.pid, q.ts), &q);
            }
        int64_t maxId = 0;
        for (int64_t host : snap.processes.hosts())
            for (const store::ProcessInfo &q : snap.processes.of(host))
                maxId = std::max(maxId, q.id);
        QVERIFY(!snap.processById(maxId + 1));
        QVERIFY(!snap.processById(0));
        auto [rb, re] = snap.processes.range(ws6, us(10), us(49));
        QCOMPARE(re - rb, 1);
        QCOMPARE(QString::fromStdString(rb->image), QStringLiteral("C:\\first.exe"));
    }

    // A process looked up by id on a host that is not cached is read alone (the refine passes
    // look up one process per transfer): the same row as the host's load gives, the host not read,
    // and outside the snapshot's window not found.
    void processByIdWithoutItsHost()
    {
        QByteArray b;
        b += process(kDst, at(10), "{00000000-0000-0000-0000-0000000000e1}", 500, "C:\\one.exe", "one");
        b += process(kDst, at(40), "{00000000-0000-0000-0000-0000000000e2}", 501, "C:\\two.exe", "two");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const int64_t ws6 = hostId(*cs, "WS6");
        QVERIFY(ws6);
        store::InferenceRepository repo(*cs);
        const std::vector<store::ProcessInfo> all = processes(*cs, {});
        QCOMPARE(all.size(), size_t(2));

        inference::CaseSnapshot snap;
        snap.load(repo, {}, 0);
        const store::ProcessInfo *alone = snap.processById(all[1].id);
        QVERIFY(alone);
        QCOMPARE(snap.processes.hostLoads(), size_t(0));
        QCOMPARE(snap.processById(all[1].id), alone); // the same row until the next trim
        snap.processes.trim();
        const store::ProcessInfo &loaded = snap.processes.of(ws6)[1];
        QCOMPARE(snap.processes.hostLoads(), size_t(1));
        for (const store::ProcessInfo *q : {snap.processById(all[1].id), &loaded}) {
            QCOMPARE(q->id, all[1].id);
            QCOMPARE(q->event, all[1].event);
            QCOMPARE(q->host, ws6);
            QCOMPARE(q->source, all[1].source);
            QCOMPARE(q->ts, all[1].ts);
            QCOMPARE(q->guid, all[1].guid);
            QCOMPARE(q->pid, all[1].pid);
            QCOMPARE(q->image, all[1].image);
            QCOMPARE(q->cmd, all[1].cmd);
            QCOMPARE(q->parentGuid, all[1].parentGuid);
            QCOMPARE(q->parentPid, all[1].parentPid);
            QCOMPARE(q->parentImage, all[1].parentImage);
            QCOMPARE(q->account, all[1].account);
            QCOMPARE(q->logonId, all[1].logonId);
            QCOMPARE(q->sysmon, all[1].sysmon);
            QVERIFY(q->hashes.empty());
        }

        inference::CaseSnapshot window;
        window.load(repo, {{}, us(0), us(20)}, 0);
        window.processes.trim();
        QVERIFY(window.processById(all[0].id));
        window.processes.trim();
        QVERIFY(!window.processById(all[1].id)); // started after the window
        QCOMPARE(window.processes.hostLoads(), size_t(0));
    }

    // Inference lowers the page cache for its run and gives the case its size back.
    void pageCacheLimitRestores()
    {
        auto cs = makeCase(process(kDst, at(0), "{00000000-0000-0000-0000-00000000000e}", 301, "C:\\e.exe", "e"));
        QVERIFY(cs);
        const int64_t before = cs->db().queryInt("PRAGMA cache_size");
        QCOMPARE(before, int64_t(-65536));
        {
            const store::InferenceRepository::PageCacheLimit limit(*cs, 1024);
            QCOMPARE(cs->db().queryInt("PRAGMA cache_size"), int64_t(-1024));
        }
        QCOMPARE(cs->db().queryInt("PRAGMA cache_size"), before);
        {
            const store::InferenceRepository::PageCacheLimit larger(*cs, 1 << 20); // never raises
            QCOMPARE(cs->db().queryInt("PRAGMA cache_size"), before);
        }
        inference::InferenceEngine(*cs).run();
        QCOMPARE(cs->db().queryInt("PRAGMA cache_size"), before);
    }

    void transfersAreWrittenInBatchesInTheOrderGiven()
    {
        auto cs = makeCase(push());
        QVERIFY(cs);
        const int64_t ws5 = hostId(*cs, "WS5"), ws6 = hostId(*cs, "WS6");
        QVERIFY(ws5 && ws6);
        const char *const files[] = {"c.exe", "a.exe", "b.exe"};
        std::vector<store::TransferWriteRow> rows;
        for (int i = 0; i < 3; ++i) {
            store::TransferWriteRow w;
            w.srcHost = ws5;
            w.dstHost = ws6;
            w.fileName = files[i];
            w.method = "smb-admin-share";
            w.direction = "push";
            w.firstTs = w.lastTs = us(100 - i); // later ids, earlier times: ids follow the order given
            w.confidence = 0.5;
            w.confidenceLabel = "medium";
            w.rules = "smb-share-write";
            w.evidence = {{1, "dst-write", "smb-share-write"}, {2, "src-connect", "smb-share-write"},
                {1, "dst-write", "smb-share-write"}}; // the same link twice is one link
            rows.push_back(w);
        }
        {
            store::InferenceRepository::RunTransaction tx(*cs);
            store::TransferRepository repo(*cs);
            repo.clear();
            repo.append({rows[0], rows[1]});
            repo.append({});
            repo.append({rows[2]});
            repo.finish();
            tx.commit();
        }
        std::vector<TransferRecord> read = readTransferRecords(*cs, {});
        QCOMPARE(read.size(), size_t(3));
        std::sort(read.begin(), read.end(), [](const auto &x, const auto &y) { return x.id < y.id; });
        for (int i = 0; i < 3; ++i) {
            const TransferRecord &r = read[size_t(i)];
            QCOMPARE(r.file, std::string(files[i]));
            QCOMPARE(r.source, std::string("WS5"));
            QCOMPARE(r.destination, std::string("WS6"));
            QCOMPARE(r.evidence, 2);
            QCOMPARE(r.srcEvidence, 1);
            QCOMPARE(r.dstEvidence, 1);
            QCOMPARE(r.roles, std::vector<std::string>({"dst-write", "src-connect"}));
            QCOMPARE(r.key, "WS6|" + std::string(files[i]) + '|' + std::to_string(us(100 - i) / 1000000));
            QCOMPARE(r.accountId, int64_t(0));
            QVERIFY(r.sourceIp.empty()); // an empty view is stored as NULL
        }
        // A run that rolls back leaves the case as it was.
        {
            store::InferenceRepository::RunTransaction tx(*cs);
            store::TransferRepository repo(*cs);
            repo.clear();
        }
        QCOMPARE(readTransferRecords(*cs, {}).size(), size_t(3));
    }

    void oneReaderForCliExportsAndTable()
    {
        auto cs = makeCase(push());
        QVERIFY(cs);
        inference::InferenceEngine(*cs).run();
        const std::vector<inference::TransferRow> cli = inference::listTransfers(*cs, {});
        QCOMPARE(cli.size(), size_t(1));
        const TransferRecord &t = cli[0];
        QCOMPARE(t.file, std::string("tool.exe"));
        QCOMPARE(t.source, std::string("WS5"));
        QCOMPARE(t.destination, std::string("WS6"));
        QVERIFY(!t.key.empty());
        QVERIFY(!t.roles.empty());

        // The CLI's host filter, any spelling or address of either end.
        for (const char *host : {"ws5", "WS6.corp.local", kSrcIp})
            QCOMPARE(inference::listTransfers(*cs, {0, host, {}}).size(), size_t(1));
        QCOMPARE(inference::listTransfers(*cs, {0, "WS7", {}}).size(), size_t(0));
        QCOMPARE(inference::listTransfers(*cs, {0.99, {}, {}}).size(), size_t(0));

        // The exports read the same row.
        const auto exported = exporting::queryExportTransfers(*cs, FilterState {}, true);
        QCOMPARE(exported.size(), size_t(1));
        QCOMPARE(exported[0].row.id, t.id);
        QCOMPARE(exported[0].row.file, t.file);
        QCOMPARE(exported[0].row.roles, t.roles);
        QCOMPARE(exported[0].key, t.key);
        QVERIFY(!exported[0].evidence.empty());

        // The table reads it by id, with the same columns (the source's address has a column of its own).
        const std::vector<TransferTableRow> table = queryTransferTableRows(*cs, {t.id, 999999});
        QCOMPARE(table.size(), size_t(1));
        const TransferTableRow &r = table[0];
        QCOMPARE(r.id, t.id);
        QCOMPARE(r.key.toStdString(), t.key);
        QCOMPARE(r.source.toStdString(), t.source);
        QCOMPARE(r.sourceIp.toStdString(), t.sourceIp);
        QCOMPARE(r.destination.toStdString(), t.destination);
        QCOMPARE(r.file.toStdString(), t.file);
        QCOMPARE(r.path.toStdString(), t.path);
        QCOMPARE(r.method.toStdString(), t.method);
        QCOMPARE(r.account.toStdString(), t.account);
        QCOMPARE(r.confidence, t.confidence);
        QCOMPARE(r.confidenceLabel.toStdString(), t.confidenceLabel);
        QCOMPARE(r.srcEvidence, t.srcEvidence);
        QCOMPARE(r.dstEvidence, t.dstEvidence);
        QCOMPARE(r.firstTs, t.firstTs);
        QCOMPARE(r.executingProcess.toStdString(), t.executingProcess);
        const std::vector<TransferRecord> byId = readTransferRecordsById(cs->db(), {999999, t.id});
        QCOMPARE(byId.size(), size_t(1));
        QCOMPARE(byId[0].roles, t.roles);
    }
};

QTEST_GUILESS_MAIN(TstInferenceRepository)
#include "tst_inference_repository.moc"
