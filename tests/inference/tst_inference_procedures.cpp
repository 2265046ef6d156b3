// Remote-execution procedures of the real corpus (../shared/corpus/evtx) that ground_truth.json
// does not label: Metasploit / Sysinternals PsExec service drops, the commands-as-services that
// are no drop (Metasploit psexec_psh, Impacket smbexec), RDP drive redirection. Each file is
// imported on its own; every transfer expected here must be found with its destination, file,
// path, method, direction, source and account (a found one lost fails the test), and nothing else.
// Then every other EVTX file of the corpus: the service-drop and remote-image rules add no transfer
// to any of them (recordings of other tactics stay free of them: tools run from a VirtualBox shared
// folder, \\VBOXSVR, in Credential_Access/tutto_malseclogon and Execution/exec_msxsl_xsl_sysmon_1_7
// are the analyst's lab host, not the network).

#include "CorpusRun.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace tt;

namespace {
struct Expected {
    const char *dst, *file, *path, *method, *direction, *source, *account, *label;
    bool executed;
};

struct Procedure {
    const char *name;
    std::vector<std::string> files; // imported together
    std::vector<Expected> transfers;
};

const char *const kT1543 = "evtx/EVTX-to-MITRE-Attack/TA0003-Persistence/"
                           "T1543.003-Create_or_Modify_System_Process-Windows_Service/";

std::vector<Procedure> procedures()
{
    const std::string t1543 = kT1543;
    return {
        // Metasploit exploit/windows/smb/psexec: %SYSTEMROOT%\<8 random letters>.exe, source out of view.
        {"metasploit psexec, System log", {"evtx/DeepBlueCLI/metasploit-psexec-native-target-system.evtx"},
            {{"IE10WIN7", "duKhLYUX.exe", "C:\\Windows\\duKhLYUX.exe", "psexec-service-binary", "push", "", "",
                "medium", false}}},
        {"metasploit psexec, System + Security",
            {"evtx/DeepBlueCLI/metasploit-psexec-native-target-system.evtx",
                "evtx/DeepBlueCLI/metasploit-psexec-native-target-security.evtx"},
            {{"IE10WIN7", "duKhLYUX.exe", "C:\\Windows\\duKhLYUX.exe", "psexec-service-binary", "push", "", "",
                "medium", true}}},
        // Missed by design: a 4688 of C:\Windows\x.exe whose parent is only a pid, no service record.
        {"metasploit psexec, Security only", {"evtx/DeepBlueCLI/metasploit-psexec-native-target-security.evtx"}, {}},
        // psexec_psh: %COMSPEC% /b /c start ... powershell -enc: no file dropped.
        {"metasploit psexec_psh, System", {"evtx/DeepBlueCLI/metasploit-psexec-powershell-target-system.evtx"}, {}},
        {"metasploit psexec_psh, Security", {"evtx/DeepBlueCLI/metasploit-psexec-powershell-target-security.evtx"}, {}},
        {"metasploit psexec, pwsh payload", {"evtx/DeepBlueCLI/metasploit-psexec-pwshpayload.evtx"}, {}},
        // Impacket smbexec: a command as the service, output written through \\127.0.0.1\C$.
        {"impacket smbexec", {t1543 + "ID7045-4697-SMBexec_service_registration.evtx"}, {}},
        // Sysinternals PsExec: PSEXESVC.exe copied into ADMIN$, seen only by its 7045.
        {"psexec 7045 only", {t1543 + "ID7045-7036_PSexec_service_installation.evtx"},
            {{"JUMP01", "PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe", "psexec-service-binary", "push", "", "", "medium",
                false}}},
        // ... and with the 5145 write and the 4697 of the same session.
        {"psexec 5145 + 4697",
            {"evtx/EVTX-to-MITRE-Attack/TA0008-Lateral_Movement/T1021.002-SMB_Windows_Admin_Shares/"
             "ID4688,4697,5140-5145_PSexec_remote_execution_+_admin_share.evtx"},
            {{"SRVDEFENDER01", "PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe", "psexec-service-binary", "push",
                 "10.23.42.22", "OFFSEC\\admmig", "high", true},
                {"SRVDEFENDER01", "cmd.exe", "C:\\Windows\\cmd.exe", "smb-admin-share", "push", "10.23.42.22",
                    "OFFSEC\\admmig", "high", true}}},
        // A program run from the RDP client's redirected drive (SharpRDP).
        {"tsclient SharpRdp", {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_sysmon_1_12_13_3_tsclient_SharpRdp.evtx"},
            {{"MSEDGEWIN10", "a.exe", "", "rdp-tsclient", "pull", "LAPTOP-JU4M3I0E", "MSEDGEWIN10\\IEUser", "medium",
                true}}},
        // lsass mapping an NTDS extension DLL straight from an attacker's share (Sysmon 7, UNC
        // ImageLoaded): a pull from the share's address, no copy on disk; lsass runs as SYSTEM, so
        // no person's account.
        {"remote image load", {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_ImageLoad_NFSH_Sysmon_7.evtx"},
            {{"02694W-WIN10", "lsadb.dll", "", "smb-share", "pull", "172.16.66.254", "", "medium", true}}},
    };
}

} // namespace

class TstInferenceProcedures : public QObject {
    Q_OBJECT
private:
    corpusrun::Session m_run;

private slots:
    void perProcedure_data() { corpusrun::addProcedureRows(procedures()); }

    void perProcedure()
    {
        QFETCH(int, index);
        const Procedure pr = procedures()[size_t(index)];
        QString missing;
        const auto rows = m_run.procedure(pr.files, missing);
        QVERIFY2(missing.isEmpty(), qPrintable(missing));
        QStringList found;
        for (const auto &r : rows)
            found << QString::fromStdString(r.source + " -> " + r.destination + " " + r.file + " " + r.method + " "
                + r.direction + " " + r.account + " " + r.confidenceLabel);
        qInfo().noquote() << pr.name << "found:" << found.join(QStringLiteral("; "));
        QCOMPARE(rows.size(), pr.transfers.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            const Expected &e = pr.transfers[i];
            const auto &r = rows[i];
            QCOMPARE(r.destination, std::string(e.dst));
            QCOMPARE(r.file, std::string(e.file));
            QCOMPARE(r.path, std::string(e.path));
            QCOMPARE(r.method, std::string(e.method));
            QCOMPARE(r.direction, std::string(e.direction));
            QCOMPARE(r.source, std::string(e.source));
            QCOMPARE(r.account, std::string(e.account));
            QCOMPARE(r.confidenceLabel, std::string(e.label));
            QCOMPARE(r.executed, e.executed);
        }
    }

    void otherRecordingsGainNoServiceDropOrRemoteImage()
    {
        QStringList problems;
        int total = 0;
        const int checked = m_run.otherRecordings(total, [&](const QString &rel, const auto &rows) {
            for (const auto &r : rows)
                if (r.rules.find("service-drop") != std::string::npos
                    || r.rules.find("remote-image") != std::string::npos)
                    problems << rel + QStringLiteral(": ") + QString::fromStdString(r.file + " (" + r.rules + ")");
        });
        QVERIFY(total > 500);
        qInfo() << checked << "other EVTX files checked";
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstInferenceProcedures t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_inference_procedures.moc"
