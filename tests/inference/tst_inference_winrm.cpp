// WinRM / PowerShell remoting as its own method (issue 14 item 4, what was left): method `winrm`
// (schema 8), PowerShell module logging (4103: Copy-Item -ToSession / -FromSession parameter
// bindings, New-PSSession) on the machine running the copy, WinRM-Operational 6 (client: session
// created, connection string) / 142 (operation failed) / 91 (server: shell created) as evidence,
// and the look-alikes that must stay out. Records are built in the documented shapes (the
// PowerShell 4103 ContextInfo / Payload text as in the Mordor recordings of
// ../shared/corpus/mordor/covenant_psremoting_*; WinRM event data names from the
// Microsoft-Windows-WinRM manifest, as in the corpus' LM_winrm_* / RemotePowerShell_* EVTX files).

#include "InferenceFixtures.h"

#include "inference/TransferQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"
#include "store/WindowsActivity.h"

#include <QTest>

using namespace tt;
using namespace fixtures;

namespace {
constexpr const char *kSrc = "WS5.corp.local";
constexpr const char *kDst = "WS6.corp.local";
constexpr const char *kSrcIp = "10.1.1.5";
constexpr const char *kPs = "Microsoft-Windows-PowerShell/Operational";
constexpr const char *kWinrm = "Microsoft-Windows-WinRM/Operational";
constexpr const char *kRunspace = "c1c61e0c-fa39-457f-bb50-49692f950904";

QString s(const char *v)
{
    return QString::fromLatin1(v);
}

// ContextInfo of a 4103 as PowerShell writes it (one "Key = value" per line, CRLF).
QString contextInfo(const char *runspace, const char *command, const char *hostApplication)
{
    return QStringLiteral("        Severity = Informational\r\n        Host Name = ConsoleHost\r\n"
                          "        Host Version = 5.1.19041.1\r\n"
                          "        Host ID = 3a01e863-e5f7-4fe6-a55d-36e4078d77f9\r\n"
                          "        Host Application = %3\r\n        Engine Version = 5.1.19041.1\r\n"
                          "        Runspace ID = %1\r\n        Pipeline ID = 12\r\n        Command Name = %2\r\n"
                          "        Command Type = Cmdlet\r\n        Script Name = \r\n        Command Path = \r\n"
                          "        Sequence Number = 42\r\n        User = CORP\\admin\r\n"
                          "        Connected User = \r\n        Shell ID = Microsoft.PowerShell\r\n")
        .arg(s(runspace), s(command), s(hostApplication));
}

// A 4103 record: `payload` is the CommandInvocation / ParameterBinding lines.
QByteArray moduleLog(const char *host, double t, const char *command, const QString &payload,
    const char *runspace = kRunspace,
    const char *hostApplication = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe")
{
    return event(host, 4103, at(t), kPs, "Microsoft-Windows-PowerShell",
        {{"ContextInfo", contextInfo(runspace, command, hostApplication)}, {"UserData", s("")}, {"Payload", payload}});
}

QString newSession(const char *computer, const char *name = nullptr)
{
    QString p = QStringLiteral("CommandInvocation(New-PSSession): \"New-PSSession\"\r\n"
                               "ParameterBinding(New-PSSession): name=\"ComputerName\"; value=\"%1\"\r\n")
                    .arg(s(computer));
    if (name)
        p += QStringLiteral("ParameterBinding(New-PSSession): name=\"Name\"; value=\"%1\"\r\n").arg(s(name));
    return p;
}

QString copyItem(const char *path, const char *destination, const char *sessionParameter, const char *session)
{
    return QStringLiteral("CommandInvocation(Copy-Item): \"Copy-Item\"\r\n"
                          "ParameterBinding(Copy-Item): name=\"Path\"; value=\"%1\"\r\n"
                          "ParameterBinding(Copy-Item): name=\"Destination\"; value=\"%2\"\r\n"
                          "ParameterBinding(Copy-Item): name=\"%3\"; value=\"[PSSession]%4\"\r\n")
        .arg(s(path), s(destination), s(sessionParameter), s(session));
}

QByteArray winrm(const char *host, int id, double t, const char *field, const char *value)
{
    return event(host, id, at(t), kWinrm, "Microsoft-Windows-WinRM", {{field, s(value)}});
}

QByteArray scriptBlock(const char *host, double t, const char *text)
{
    return event(host, 4104, at(t), kPs, "Microsoft-Windows-PowerShell",
        {{"MessageNumber", s("1")}, {"MessageTotal", s("1")}, {"ScriptBlockText", s(text)},
            {"ScriptBlockId", s("7319562f-1401-46e1-92a8-57c1f8c05b33")}, {"Path", s("")}});
}

// The receiving end: the session's logon, wsmprovhost.exe, its write.
QByteArray wsmanReceives(double t, const char *path)
{
    QByteArray b;
    b += logon(kDst, at(t), kSrcIp, 50200, "0x8000");
    b += process(kDst, at(t + 0.2), "{00000000-0000-0000-0000-0000000000c1}", 3000,
        "C:\\Windows\\System32\\wsmprovhost.exe", "C:\\Windows\\system32\\wsmprovhost.exe -Embedding", "CORP\\admin",
        "0x8000", "C:\\Windows\\System32\\svchost.exe");
    b += fileCreate(kDst, at(t + 2), "C:\\Windows\\System32\\wsmprovhost.exe", path, 3000);
    return b;
}
} // namespace

class TstInferenceWinrm : public QObject {
    Q_OBJECT
private:
    CaseFactory m_cases;

    static QStringList roles(store::CaseStore &cs, int64_t transfer)
    {
        QStringList out;
        auto st = cs.db().prepare("SELECT DISTINCT role FROM transfer_evidence WHERE transfer_id=?1 ORDER BY role");
        st.bind(1, transfer);
        while (st.step())
            out << QString::fromStdString(st.text(0));
        return out;
    }

    // "channel:id" of every evidence event of a transfer, sorted.
    static QStringList evidenceKinds(store::CaseStore &cs, int64_t transfer)
    {
        QStringList out;
        auto st = cs.db().prepare("SELECT c.name || ':' || e.event_id FROM transfer_evidence t "
                                  "JOIN events e ON e.id = t.event JOIN channels c ON c.id = e.channel_id "
                                  "WHERE t.transfer_id=?1 GROUP BY e.id ORDER BY 1");
        st.bind(1, transfer);
        while (st.step())
            out << QString::fromStdString(st.text(0));
        return out;
    }

private slots:
    // The source's module log (New-PSSession then Copy-Item -ToSession) and the destination's
    // wsmprovhost write with its WinRM 91 shell: one `winrm` push with both ends.
    void moduleLogCopyBothEnds()
    {
        QByteArray b;
        b += moduleLog(kSrc, 10, "New-PSSession", newSession("WS6"));
        b += winrm(kSrc, 6, 10.1, "connection", "WS6/wsman?PSVersion=5.1.19041.1");
        b += winrm(kDst, 91, 16.5, "resourceUri", "http://schemas.microsoft.com/powershell/Microsoft.PowerShell");
        b += moduleLog(kSrc, 12, "Copy-Item",
            copyItem("C:\\tools\\agent.exe", "C:\\Windows\\Temp\\agent.exe", "ToSession", "WinRM1"));
        b += wsmanReceives(17, "C:\\Windows\\Temp\\agent.exe");
        auto cs = m_cases.fromLines(b);
        QVERIFY(cs);
        const auto rows = inferTransfers(*cs);
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
        const QStringList kinds = evidenceKinds(*cs, r.id);
        QVERIFY2(kinds.contains(QStringLiteral("Microsoft-Windows-PowerShell/Operational:4103")),
            qPrintable(kinds.join(',')));
        QVERIFY2(kinds.contains(QStringLiteral("Microsoft-Windows-WinRM/Operational:91")), qPrintable(kinds.join(',')));
        QCOMPARE(r.confidenceLabel, std::string("high"));
    }

    // -FromSession with the session named by -Name: a pull from that computer, though the runspace
    // also opened an unnamed session elsewhere.
    void moduleLogPullFromNamedSession()
    {
        QByteArray b;
        b += moduleLog(kSrc, 5, "New-PSSession", newSession("FS02"));
        b += moduleLog(kSrc, 10, "New-PSSession", newSession("FS01", "loot"));
        b += moduleLog(
            kSrc, 12, "Copy-Item", copyItem("C:\\loot\\db.kdbx", "C:\\Users\\Public\\", "FromSession", "loot"));
        auto cs = m_cases.fromLines(b);
        QVERIFY(cs);
        const auto rows = inferTransfers(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("FS01"));
        QCOMPARE(rows[0].destination, std::string("WS5"));
        QCOMPARE(rows[0].file, std::string("db.kdbx"));
        QCOMPARE(rows[0].srcPath, std::string("C:\\loot\\db.kdbx"));
        QCOMPARE(rows[0].path, std::string("C:\\Users\\Public\\db.kdbx"));
        QCOMPARE(rows[0].method, std::string("winrm"));
        QCOMPARE(rows[0].direction, std::string("pull"));
        QCOMPARE(roles(*cs, rows[0].id), (QStringList {"dst-command", "src-connect"}));
    }

    // No New-PSSession in the module log (the session was opened before logging was on): the one
    // computer WinRM-Operational 6 shows this host connecting to. Also for a 4104 variable.
    void sessionFromWinrmConnection()
    {
        QByteArray b;
        b += winrm(kSrc, 6, 8, "connection", "http://fs01.corp.local:5985/wsman?PSVersion=5.1.17763.1");
        b += moduleLog(kSrc, 12, "Copy-Item", copyItem("C:\\tools\\a.exe", "C:\\Temp\\", "ToSession", "WinRM3"));
        b += scriptBlock(kSrc, 20, "Copy-Item C:\\tools\\b.exe C:\\Temp\\ -ToSession $remote");
        auto cs = m_cases.fromLines(b);
        QVERIFY(cs);
        const auto rows = inferTransfers(*cs);
        QCOMPARE(rows.size(), size_t(2));
        for (const auto &r : rows) {
            QCOMPARE(r.source, std::string("WS5"));
            QCOMPARE(r.destination, std::string("FS01"));
            QCOMPARE(r.method, std::string("winrm"));
            QCOMPARE(roles(*cs, r.id), (QStringList {"src-command", "src-connect"}));
        }
        QCOMPARE(rows[0].file, std::string("a.exe"));
        QCOMPARE(rows[1].file, std::string("b.exe"));
    }

    // Look-alikes: a session 142 reported failed, two computers connected to (which one?), a
    // folder, a wildcard, a local Copy-Item, a session to this host itself.
    void lookAlikes()
    {
        QByteArray b;
        b += winrm(kSrc, 6, 1, "connection", "FS09/wsman?PSVersion=5.1.17763.1");
        b += winrm(kSrc, 142, 3, "operationName", "Create");
        b += moduleLog(kSrc, 10, "Copy-Item", copyItem("C:\\tools\\a.exe", "C:\\Temp\\", "ToSession", "WinRM1"));
        auto cs = m_cases.fromLines(b);
        QVERIFY(cs);
        QCOMPARE(inferTransfers(*cs).size(), size_t(0));

        QByteArray two;
        two += winrm(kSrc, 6, 1, "connection", "FS01/wsman?PSVersion=5.1.17763.1");
        two += winrm(kSrc, 6, 2, "connection", "FS02/wsman?PSVersion=5.1.17763.1");
        two += moduleLog(kSrc, 10, "Copy-Item", copyItem("C:\\tools\\a.exe", "C:\\Temp\\", "ToSession", "WinRM2"));
        two += moduleLog(kSrc, 11, "New-PSSession", newSession("FS03"), "aaaaaaaa-0000-0000-0000-000000000001");
        two += moduleLog(kSrc, 12, "New-PSSession", newSession("FS04"), "aaaaaaaa-0000-0000-0000-000000000001");
        two += moduleLog(kSrc, 13, "Copy-Item", copyItem("C:\\tools\\b.exe", "C:\\Temp\\", "ToSession", "WinRM1"),
            "aaaaaaaa-0000-0000-0000-000000000001");
        cs = m_cases.fromLines(two);
        QVERIFY(cs);
        QCOMPARE(inferTransfers(*cs).size(), size_t(0));

        QByteArray other;
        other += moduleLog(kSrc, 10, "New-PSSession", newSession("FS01"));
        other += moduleLog(kSrc, 11, "Copy-Item", copyItem("C:\\tools", "C:\\Temp\\", "ToSession", "WinRM1"));
        other += moduleLog(kSrc, 12, "Copy-Item", copyItem("C:\\tools\\*.exe", "C:\\Temp\\", "ToSession", "WinRM1"));
        other += moduleLog(kSrc, 13, "Copy-Item",
            QStringLiteral("CommandInvocation(Copy-Item): \"Copy-Item\"\r\n"
                           "ParameterBinding(Copy-Item): name=\"Path\"; value=\"C:\\a\\x.exe\"\r\n"
                           "ParameterBinding(Copy-Item): name=\"Destination\"; value=\"C:\\b\\x.exe\"\r\n"));
        other += moduleLog(kSrc, 14, "New-PSSession", newSession("localhost", "self"));
        other += moduleLog(kSrc, 15, "Copy-Item", copyItem("C:\\tools\\c.exe", "C:\\Temp\\", "ToSession", "self"));
        cs = m_cases.fromLines(other);
        QVERIFY(cs);
        QCOMPARE(inferTransfers(*cs).size(), size_t(0));
    }

    // A WinRM 91 of winrs' cmd shell or of another account is not this write's session.
    void shellOfAnotherKindIsNoEvidence()
    {
        QByteArray b;
        b += winrm(kDst, 91, 10, "resourceUri", "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd");
        b += wsmanReceives(12, "C:\\ProgramData\\svc.dll");
        auto cs = m_cases.fromLines(b);
        QVERIFY(cs);
        const auto rows = inferTransfers(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].method, std::string("winrm"));
        QVERIFY(!evidenceKinds(*cs, rows[0].id).contains(QStringLiteral("Microsoft-Windows-WinRM/Operational:91")));
    }

    void contextInfoValue()
    {
        const std::string ctx = contextInfo(kRunspace, "Copy-Item", "C:\\x\\powershell.exe").toStdString();
        QCOMPARE(store::contextInfoValue(ctx, "Runspace ID"), std::string(kRunspace));
        QCOMPARE(store::contextInfoValue(ctx, "Host Application"), std::string("C:\\x\\powershell.exe"));
        QCOMPARE(store::contextInfoValue(ctx, "Script Name"), std::string());
        QCOMPARE(store::contextInfoValue(ctx, "Missing"), std::string());
    }
};

QTEST_GUILESS_MAIN(TstInferenceWinrm)
#include "tst_inference_winrm.moc"
