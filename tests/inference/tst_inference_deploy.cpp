// Issue 14 items 3 and 5: transfers through cloud-synced folders (rule "cloud-sync") and benign
// deployment tools told apart (rule "deployment-tool"), on documented-format fixtures
// (tests/fixtures/inference, see its README) and small cases built through the real importer.
// The CLI shows and filters the label (`transfers --exclude-benign / --benign-only`, JSON, CSV).

#include "CliRun.h"
#include "InferenceFixtures.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/SyncFolder.h"
#include "inference/TransferQuery.h"
#include "query/GraphQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;
using namespace fixtures;

namespace {
QString fixture(const char *name)
{
    return QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR")) + QStringLiteral("/inference/") + QLatin1String(name);
}

QByteArray syncWrite(const char *host, double t, const char *image, const char *path, const char *user)
{
    return sysmon(host, 11, at(t),
        {{"ProcessGuid", "{6E1C4B1A-1111-6643-0000-0010AB000000}"}, {"ProcessId", "4242"}, {"Image", image},
            {"TargetFilename", path}, {"User", user}});
}

QByteArray streamHash(const char *host, double t, const char *image, const char *path, const char *sha256)
{
    return sysmon(host, 15, at(t),
        {{"ProcessId", "4242"}, {"Image", image}, {"TargetFilename", QString::fromUtf8(path) + ":Zone.Identifier"},
            {"Hash", QStringLiteral("MD5=00112233445566778899AABBCCDDEEFF,SHA256=%1").arg(QLatin1String(sha256))}});
}

QByteArray objectWrite(const char *host, double t, const char *image, const char *path, const char *user)
{
    return security(host, 4663, at(t),
        {{"SubjectUserName", user}, {"SubjectDomainName", "CORP"}, {"SubjectLogonId", "0x7001"},
            {"ObjectServer", "Security"}, {"ObjectType", "File"}, {"ObjectName", path}, {"AccessList", "%%4417"},
            {"AccessMask", "0x2"}, {"ProcessId", "0x1c8"}, {"ProcessName", image}});
}

constexpr const char *kOneDrive = "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe";
constexpr const char *kWord = "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE";
constexpr const char *kAlicePath = "C:\\Users\\alice\\OneDrive - Corp\\Shared\\payload.docm";
constexpr const char *kBobPath = "C:\\Users\\bob\\OneDrive - Corp\\Shared\\payload.docm";

// One SMB admin-share write with its session and, when given, the service that installs it.
QByteArray adminShareDrop(const char *host, double t, const char *ip, int port, const char *logonId, const char *user,
    const char *rel, const char *full, const char *svcName = nullptr, const char *svcImage = nullptr)
{
    QByteArray b;
    b += logon(host, at(t), ip, port, logonId, 3, "CORP", user);
    b += shareOpen(host, at(t + 0.05), ip, port, logonId, "\\\\*\\ADMIN$", "\\??\\C:\\Windows");
    b += shareCheck(host, at(t + 0.1), ip, port, logonId, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", rel, "0x2");
    b += sysmon(host, 11, at(t + 0.12), {{"Image", "System"}, {"ProcessId", "4"}, {"TargetFilename", full}});
    if (svcName)
        b += service(host, at(t + 0.6), svcName, svcImage);
    return b;
}

const inference::TransferRow *byFile(const std::vector<inference::TransferRow> &rows, const char *file)
{
    for (const auto &r : rows)
        if (QString::fromStdString(r.file).compare(QLatin1String(file), Qt::CaseInsensitive) == 0)
            return &r;
    return nullptr;
}

bool hasReason(const inference::TransferRow &r, const char *prefix)
{
    for (const std::string &why : inference::confidenceReasons(r))
        if (why.rfind(prefix, 0) == 0)
            return true;
    return false;
}
} // namespace

class TstInferenceDeploy : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    CaseFactory m_cases;

    std::unique_ptr<store::CaseStore> makeCase(const QByteArray &lines) { return m_cases.fromLines(lines); }
    std::unique_ptr<store::CaseStore> importFile(const QString &input) { return m_cases.fromFile(input); }

    static std::vector<inference::TransferRow> infer(store::CaseStore &cs)
    {
        inference::InferenceEngine(cs).run();
        auto rows = inference::listTransfers(cs, {});
        return rows;
    }

private slots:
    void syncFolders_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("relative");
        QTest::newRow("onedrive personal") << QStringLiteral("C:\\Users\\a\\OneDrive\\x\\f.exe")
                                           << QStringLiteral("onedrive") << QStringLiteral("x\\f.exe");
        QTest::newRow("onedrive business") << QStringLiteral("C:\\Users\\a\\OneDrive - Contoso Ltd\\f.exe")
                                           << QStringLiteral("onedrive") << QStringLiteral("f.exe");
        QTest::newRow("dropbox team") << QStringLiteral("C:\\Users\\a\\Dropbox (Contoso)\\d\\f.zip")
                                      << QStringLiteral("dropbox") << QStringLiteral("d\\f.zip");
        QTest::newRow("dropbox linux") << QStringLiteral("/home/a/Dropbox/d/f.sh") << QStringLiteral("dropbox")
                                       << QStringLiteral("d\\f.sh");
        QTest::newRow("drive for desktop")
            << QStringLiteral("G:\\My Drive\\f.exe") << QStringLiteral("gdrive") << QStringLiteral("f.exe");
        QTest::newRow("drive shared") << QStringLiteral("G:\\Shared drives\\IT\\f.exe") << QStringLiteral("gdrive")
                                      << QStringLiteral("it\\f.exe");
        QTest::newRow("backup and sync") << QStringLiteral("C:\\Users\\a\\Google Drive\\f.exe")
                                         << QStringLiteral("gdrive") << QStringLiteral("f.exe");
        QTest::newRow("box drive") << QStringLiteral("C:\\Users\\a\\Box\\f.exe") << QStringLiteral("box")
                                   << QStringLiteral("f.exe");
        QTest::newRow("macos file provider") << QStringLiteral("/Users/a/Library/CloudStorage/OneDrive-Contoso/f.pkg")
                                             << QStringLiteral("onedrive") << QStringLiteral("f.pkg");
        QTest::newRow("not synced") << QStringLiteral("C:\\Users\\a\\Documents\\f.exe") << QStringLiteral("")
                                    << QStringLiteral("");
        QTest::newRow("onedrive logs") << QStringLiteral(
            "C:\\Users\\a\\AppData\\Local\\Microsoft\\OneDrive\\logs\\x.odl")
                                       << QStringLiteral("") << QStringLiteral("");
        QTest::newRow("lookalike folder")
            << QStringLiteral("C:\\Users\\a\\OneDriveBackup\\f.exe") << QStringLiteral("") << QStringLiteral("");
        QTest::newRow("dropbox cache") << QStringLiteral("C:\\Users\\a\\Dropbox\\.dropbox.cache\\f.exe")
                                       << QStringLiteral("") << QStringLiteral("");
        QTest::newRow("profile root file")
            << QStringLiteral("C:\\Users\\a\\OneDrive") << QStringLiteral("") << QStringLiteral("");
    }

    void syncFolders()
    {
        QFETCH(QString, path);
        QFETCH(QString, provider);
        QFETCH(QString, relative);
        const auto place = inference::SyncFolder::locate(path.toStdString());
        QCOMPARE(place ? QString::fromStdString(place->provider) : QString(), provider);
        QCOMPARE(place ? QString::fromStdString(place->relative) : QString(), relative);
    }

    // The fixture: alice's file arrives on DESK02 through OneDrive; the Downloads copy and a file
    // nobody in the case wrote are not transfers.
    void cloudSyncFixture()
    {
        auto cs = importFile(fixture("cloud-sync-onedrive.xml"));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.method, std::string("cloud-sync"));
        QCOMPARE(r.source, std::string("LAPTOP01"));
        QCOMPARE(r.destination, std::string("DESK02"));
        QCOMPARE(r.file, std::string("tools.zip"));
        QCOMPARE(r.path, std::string("C:\\Users\\bob\\OneDrive - Contoso\\Projects\\Q3\\tools.zip"));
        QCOMPARE(r.srcPath, std::string("C:\\Users\\alice\\OneDrive - Contoso\\Projects\\Q3\\tools.zip"));
        QCOMPARE(r.direction, std::string("push"));
        QCOMPARE(r.account, std::string("CONTOSO\\alice"));
        QVERIFY(hasReason(r, "src-sync-write"));
        QVERIFY(hasReason(r, "dst-sync-create"));
        QVERIFY(hasReason(r, "sync-path"));
        QVERIFY(!hasReason(r, "sync-hash"));
        QVERIFY(r.benignTool.empty());
    }

    // Name only: below a direct SMB copy's 5145 alone (0.80); the same content hash at both ends
    // (Sysmon 15) makes it high; a different hash is a different file.
    void cloudSyncConfidenceByHash()
    {
        QByteArray direct;
        direct += adminShareDrop(
            "WS9.corp.local", 5, "10.1.1.5", 50001, "0x1000", "admin", "Temp\\x.exe", "C:\\Windows\\Temp\\x.exe");
        auto dc = makeCase(direct);
        QVERIFY(dc);
        const auto directRows = infer(*dc);
        QCOMPARE(directRows.size(), size_t(1));

        QByteArray base;
        base += syncWrite("WS5.corp.local", 10, kWord, kAlicePath, "CORP\\alice");
        base += syncWrite("WS6.corp.local", 70, kOneDrive, kBobPath, "CORP\\bob");
        {
            auto cs = makeCase(base);
            QVERIFY(cs);
            const auto rows = infer(*cs);
            QCOMPARE(rows.size(), size_t(1));
            QCOMPARE(rows[0].method, std::string("cloud-sync"));
            QCOMPARE(rows[0].account, std::string("CORP\\alice"));
            QVERIFY2(rows[0].confidence < directRows[0].confidence,
                qPrintable(QStringLiteral("%1 vs direct %2").arg(rows[0].confidence).arg(directRows[0].confidence)));
            QVERIFY(rows[0].hashes.empty());
        }
        {
            QByteArray b = base;
            b += streamHash("WS5.corp.local", 10.2, kWord, kAlicePath, "AB12");
            b += streamHash("WS6.corp.local", 70.1, kOneDrive, kBobPath, "AB12");
            auto cs = makeCase(b);
            QVERIFY(cs);
            const auto rows = infer(*cs);
            QCOMPARE(rows.size(), size_t(1));
            QVERIFY(hasReason(rows[0], "sync-hash"));
            // High like the direct copy (a 5145 write is high alone since the refit of issue 10
            // item 4, so the two are no longer ordered).
            QCOMPARE(rows[0].confidenceLabel, std::string("high"));
            QCOMPARE(directRows[0].confidenceLabel, std::string("high"));
            QVERIFY(QString::fromStdString(rows[0].hashes).contains(QLatin1String("SHA256=AB12")));
        }
        {
            QByteArray b = base;
            b += streamHash("WS5.corp.local", 10.2, kWord, kAlicePath, "AB12");
            b += streamHash("WS6.corp.local", 70.1, kOneDrive, kBobPath, "CD34");
            auto cs = makeCase(b);
            QVERIFY(cs);
            QCOMPARE(infer(*cs).size(), size_t(0));
        }
    }

    void cloudSyncLookalikes()
    {
        // Outside the window (25 h), another provider's folder, the sync client on both ends (a
        // third host uploaded it, out of view), and the client writing where no person wrote.
        const struct {
            const char *name;
            QByteArray lines;
        } cases[] = {
            {"too late",
                syncWrite("WS5.corp.local", 10, kWord, kAlicePath, "CORP\\alice")
                    + syncWrite("WS6.corp.local", 10 + 25 * 3600, kOneDrive, kBobPath, "CORP\\bob")},
            {"other provider",
                syncWrite("WS5.corp.local", 10, kWord, "C:\\Users\\alice\\Dropbox\\Shared\\payload.docm", "CORP\\alice")
                    + syncWrite("WS6.corp.local", 70, kOneDrive, kBobPath, "CORP\\bob")},
            {"client on both ends",
                syncWrite("WS5.corp.local", 10, kOneDrive, kAlicePath, "CORP\\alice")
                    + syncWrite("WS6.corp.local", 70, kOneDrive, kBobPath, "CORP\\bob")},
            {"destination before source",
                syncWrite("WS6.corp.local", 10, kOneDrive, kBobPath, "CORP\\bob")
                    + syncWrite("WS5.corp.local", 70, kWord, kAlicePath, "CORP\\alice")},
            {"per-host noise",
                syncWrite("WS5.corp.local", 10, "C:\\Windows\\explorer.exe",
                    "C:\\Users\\alice\\OneDrive - Corp\\Shared\\desktop.ini", "CORP\\alice")
                    + syncWrite("WS6.corp.local", 70, kOneDrive, "C:\\Users\\bob\\OneDrive - Corp\\Shared\\desktop.ini",
                        "CORP\\bob")},
            {"not in a synced folder",
                syncWrite("WS5.corp.local", 10, kWord, "C:\\Users\\alice\\Documents\\payload.docm", "CORP\\alice")
                    + syncWrite("WS6.corp.local", 70, kOneDrive, kBobPath, "CORP\\bob")},
        };
        for (const auto &c : cases) {
            auto cs = makeCase(c.lines);
            QVERIFY2(cs, c.name);
            QVERIFY2(infer(*cs).empty(), c.name);
        }
    }

    // Object access auditing (4663 WriteData) at both ends instead of Sysmon.
    void cloudSyncFromObjectAccess()
    {
        QByteArray b;
        b += objectWrite("WS5.corp.local", 10, kWord, kAlicePath, "alice");
        b += objectWrite("WS6.corp.local", 95, kOneDrive, kBobPath, "bob");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].method, std::string("cloud-sync"));
        QCOMPARE(rows[0].source, std::string("WS5"));
        QCOMPARE(rows[0].destination, std::string("WS6"));
    }

    // The fixture: an SCCM client push and a PsExec drop on one host in the same second. The push
    // is a benign-admin candidate; the PsExec drop stays a normal transfer.
    void sccmPushKeepsPsexecDrop()
    {
        auto cs = importFile(fixture("sccm-push-with-psexec.xml"));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(2));
        const auto *sccm = byFile(rows, "ccmsetup.exe");
        const auto *psexec = byFile(rows, "PSEXESVC.exe");
        QVERIFY(sccm && psexec);
        QCOMPARE(sccm->benignTool, std::string("sccm"));
        QVERIFY2(QString::fromStdString(sccm->benignReason).contains(QLatin1String("service ccmsetup")),
            sccm->benignReason.c_str());
        QCOMPARE(sccm->source, std::string("10.20.0.5"));
        QCOMPARE(sccm->account, std::string("CONTOSO\\svc-sccmpush"));
        QVERIFY(psexec->benignTool.empty());
        QCOMPARE(psexec->method, std::string("psexec-service-binary"));
        QCOMPARE(psexec->source, std::string("10.20.0.66"));
        QCOMPARE(psexec->account, std::string("CONTOSO\\jdoe"));
        // The label changes nothing else: same confidence as the drop of the same shape.
        QCOMPARE(sccm->confidenceLabel, psexec->confidenceLabel);
    }

    // The graph: the push's edge (site server -> WS07) is all benign and drawn muted; the
    // attacker's edge is not.
    void graphEdgesKnowBenign()
    {
        auto cs = importFile(fixture("sccm-push-with-psexec.xml"));
        QVERIFY(cs);
        inference::InferenceEngine(*cs).run();
        const GraphData g = queryGraph(cs->db(), FilterState {});
        QVERIFY(g.error.isEmpty());
        QCOMPARE(g.edges.size(), size_t(2));
        int muted = 0;
        for (const GraphEdge &e : g.edges) {
            QCOMPARE(e.count, 1);
            muted += e.allBenign() ? 1 : 0;
            QCOMPARE(e.benign, e.allBenign() ? 1 : 0);
        }
        QCOMPARE(muted, 1);
    }

    // An attacker using the push account's own session: still not benign (nothing of the tool
    // took part in that file's transfer). A file in ccmcache with no SCCM process or service is
    // not benign either: the folder alone is no proof.
    void deploymentNeedsPlaceAndActor()
    {
        QByteArray b;
        b += adminShareDrop("WS7.corp.local", 10, "10.1.1.5", 50001, "0x1000", "svc-sccmpush", "ccmsetup\\ccmsetup.exe",
            "C:\\Windows\\ccmsetup\\ccmsetup.exe", "ccmsetup", "C:\\Windows\\ccmsetup\\ccmsetup.exe /runservice");
        b += shareCheck("WS7.corp.local", at(10.3), "10.1.1.5", 50001, "0x1000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows",
            "evil.exe", "0x2");
        b += sysmon("WS7.corp.local", 11, at(10.31),
            {{"Image", "System"}, {"ProcessId", "4"}, {"TargetFilename", "C:\\Windows\\evil.exe"}});
        b += service("WS7.corp.local", at(10.5), "evilsvc", "%SystemRoot%\\evil.exe");
        b += adminShareDrop("WS8.corp.local", 20, "10.1.1.9", 50002, "0x2000", "jdoe", "ccmcache\\a\\tool.exe",
            "C:\\Windows\\ccmcache\\a\\tool.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(3));
        QCOMPARE(byFile(rows, "ccmsetup.exe")->benignTool, std::string("sccm"));
        QVERIFY(byFile(rows, "evil.exe")->benignTool.empty());
        QVERIFY(byFile(rows, "tool.exe")->benignTool.empty());
    }

    void otherDeploymentTools_data()
    {
        QTest::addColumn<QString>("rel");
        QTest::addColumn<QString>("svc");
        QTest::addColumn<QString>("tool");
        QTest::newRow("pdq") << QStringLiteral("AdminArsenal\\PDQDeployRunner\\service-1\\PDQDeployRunner-1.exe")
                             << QStringLiteral("PDQDeployRunner-1") << QStringLiteral("pdq");
        QTest::newRow("intune") << QStringLiteral("IMECache\\pkg\\setup.exe")
                                << QStringLiteral("IntuneManagementExtension") << QStringLiteral("intune");
        QTest::newRow("psexec is none") << QStringLiteral("PSEXESVC.exe") << QStringLiteral("PSEXESVC")
                                        << QStringLiteral("");
    }

    void otherDeploymentTools()
    {
        QFETCH(QString, rel);
        QFETCH(QString, svc);
        QFETCH(QString, tool);
        const QByteArray relU = rel.toUtf8(), full = ("C:\\Windows\\" + rel).toUtf8(), svcU = svc.toUtf8();
        auto cs = makeCase(adminShareDrop("WS7.corp.local", 10, "10.1.1.5", 50001, "0x1000", "deploy", relU.constData(),
            full.constData(), svcU.constData(), full.constData()));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(QString::fromStdString(rows[0].benignTool), tool);
    }

    // `transfertrace transfers`: the label in JSON / CSV / table, and both filters.
    void cliShowsAndFilters()
    {
        const QString caseFile = m_dir.filePath(QStringLiteral("cli.ttcase"));
        auto r = test::cli({"import", caseFile, fixture("sccm-push-with-psexec.xml"), "--quiet"});
        QCOMPARE(r.code, 0);
        r = test::cli({"transfers", caseFile, "--format", "json"});
        QCOMPARE(r.code, 0);
        const QJsonArray all = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(all.size(), 2);
        int benign = 0;
        for (const auto &v : all) {
            const QJsonObject o = v.toObject();
            if (o.value("file").toString() == QLatin1String("ccmsetup.exe")) {
                QCOMPARE(o.value("benign_tool").toString(), QStringLiteral("sccm"));
                QVERIFY(o.value("benign_reason").toString().contains(QLatin1String("ccmsetup")));
                ++benign;
            } else {
                QVERIFY(o.value("benign_tool").isNull());
            }
        }
        QCOMPARE(benign, 1);
        r = test::cli({"transfers", caseFile, "--format", "json", "--exclude-benign"});
        QCOMPARE(r.code, 0);
        const QJsonArray kept = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept[0].toObject().value("file").toString(), QStringLiteral("PSEXESVC.exe"));
        r = test::cli({"transfers", caseFile, "--format", "csv", "--benign-only"});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].endsWith("benign_tool,benign_reason"));
        QVERIFY(lines[1].contains(",\"sccm\",\"SCCM / ConfigMgr: "));
        r = test::cli({"transfers", caseFile});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("benign-admin: sccm"));
        r = test::cli({"transfers", caseFile, "--exclude-benign", "--benign-only"});
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TstInferenceDeploy)
#include "tst_inference_deploy.moc"
