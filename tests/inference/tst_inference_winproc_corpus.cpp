// Windows remote-execution procedures on the real corpus (../shared/corpus/evtx, issue 14 item 4):
// the recordings the issue lists (Impacket atexec / wmiexec / smbexec, BITS, CrackMapExec, DCOM,
// Windows OpenSSH), each imported on its own. Every transfer expected here must be found with its
// source, destination, file, path on either end, method, direction, account and band (a found one
// lost or changed fails the test), and nothing else. Then every other EVTX file of the corpus: the
// rules of these procedures add no transfer to any of them (other tactics stay free of them).

#include "CorpusRun.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace tt;

namespace {
struct Procedure {
    const char *name;
    std::vector<std::string> files; // imported together
    // "SOURCE -> DESTINATION FILE src=SRC_PATH dst=DST_PATH METHOD DIRECTION ACCOUNT LABEL RULES"
    std::vector<std::string> transfers;
};

// The rules of this issue: a transfer of another recording citing one of them is a false positive.
const char *const kRules[]
    = {"smb-output-read", "bits-job", "winrm-write", "ps-remoting-copy", "task-drop", "smb-mount"};

const std::string kApt = "evtx/EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/";
const std::string kExec = "evtx/EVTX-to-MITRE-Attack/TA0002-Execution/";
const std::string kPersist = "evtx/EVTX-to-MITRE-Attack/TA0003-Persistence/";
const std::string kEvasion = "evtx/EVTX-to-MITRE-Attack/TA0005-Defense_Evasion/";
const std::string kLateral = "evtx/EVTX-to-MITRE-Attack/TA0008-Lateral_Movement/";

std::vector<Procedure> procedures()
{
    const std::string bits = kPersist + "T1197-BITS_jobs/";
    const std::string cme = kEvasion + "T1027-Obfuscated_Files_or_Information/";
    const std::string dcom = kLateral + "T1021.003-Distributed_Component_Object_Model_(DCOM)/";
    const std::string ssh = kLateral + "T1021.004-Remote_Service_SSH/";
    return {
        // Impacket atexec: the task writes C:\Windows\Temp\<8 letters>.tmp, the attacker reads it back.
        {"atexec, whole attack", {kApt + "ID4688,4698,4699,5145,4624-ATexec_remote_trask_creation_(GLOBAL).evtx"},
            {"FS01 -> 10.23.123.11 bouWFQYO.tmp src=C:\\Windows\\Temp\\bouWFQYO.tmp dst= smb-admin-share pull "
             "OFFSEC\\admmig medium smb-output-read"}},
        {"atexec, 5145 only", {kExec + "T1053.005-Scheduled_Task/ID5145-Remote_schedule_task_creation_(ATexec).evtx"},
            {"FS01 -> 10.23.123.11 bouWFQYO.tmp src=C:\\Windows\\Temp\\bouWFQYO.tmp dst= smb-admin-share pull "
             "OFFSEC\\admmig medium smb-output-read"}},
        // The task itself runs a command (cmd.exe /C whoami > ...): no file arrived.
        {"atexec, 4698 / 4699 only",
            {kExec + "T1053.005-Scheduled_Task/ID4698-4699-Fast_created_&_deleted_task_by_ATexec_(susp._arg.).evtx"},
            {}},
        {"atexec, EVTX-ATTACK-SAMPLES",
            {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_ScheduledTask_ATSVC_target_host.evtx"},
            {"WIN-77LTAPHIQ1R -> 10.0.2.17 CYAlyNSS.tmp src=C:\\Windows\\Temp\\CYAlyNSS.tmp dst= smb-admin-share pull "
             "EXAMPLE\\administrator medium smb-output-read"}},
        // Impacket wmiexec: cmd.exe ... 1> \\127.0.0.1\ADMIN$\__<epoch>, read back over ADMIN$.
        {"wmiexec, whole attack", {kApt + "ID4688,5140,5145-WMIexec_execution_via_SMB_(GLOBAL).evtx"},
            {"SRVDEFENDER01 -> 10.23.123.11 __1619425227.894209 src=C:\\Windows\\__1619425227.894209 dst= "
             "smb-admin-share pull OFFSEC\\admmig medium smb-output-read"}},
        {"wmiexec, 4688 + 5145",
            {kExec + "T1047-Windows_Management_Instrumentation/ID4688-5145-WMIexec_execution_via_SMB.evtx"},
            {"FS03VULN -> 10.23.123.11 __1619090610.0007844 src=C:\\Windows\\__1619090610.0007844 dst= "
             "smb-admin-share pull OFFSEC\\admmig medium smb-output-read",
                // The recorder copying the exported log onto the host (found before issue 14; a 5145
                // write with its logon and share: high since the refit of issue 10 item 4).
                "10.23.23.9 -> FS03VULN SMB exec.evtx src= dst=C:\\Users\\admmig\\Desktop\\SMB exec.evtx "
                "smb-admin-share push OFFSEC\\admmig high smb-share-write"}},
        {"wmiexec, Sysmon 1 only",
            {kExec + "T1047-Windows_Management_Instrumentation/ID1-WMIexec_process_execution.evtx"}, {}},
        {"wmiexec, Sysmon (EVTX-ATTACK-SAMPLES)",
            {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_wmiexec_impacket_sysmon_whoami.evtx"}, {}},
        // Impacket smbexec: the service is the command; the __output read-back is not in the file.
        {"smbexec, 7045 + 4697",
            {kPersist
                + "T1543.003-Create_or_Modify_System_Process-Windows_Service/"
                  "ID7045-4697-SMBexec_service_registration.evtx"},
            {}},
        {"smbexec, Sysmon 11 / 13", {kEvasion + "T1112-Modify_registry/ID11,13-SMBexec_service_registration.evtx"}, {}},
        // sam-the-admin (CVE-2021-42287) ends in an smbexec shell on the DC: its __output read back.
        {"smbexec after sam-the-admin", {kApt + "ID47x,4661-4662,5136,4688,4697-SAM_the_admin_(CVE-2021-42287).evtx"},
            {"ROOTDC1 -> ATTACKER __output src=C:\\__output dst= smb-admin-share pull OFFSEC\\admmhorvath medium "
             "smb-output-read"}},
        // BITS from an internal web server (bitsadmin, job "test").
        {"bits, internal URL", {"evtx/YamatoSecurity/Persistence/T1197_BitsClient.evtx"},
            {"192.168.10.254 -> SV-DC calc.exe src= dst= http pull HNS\\Administrator medium bits-job"}},
        // BITS from the internet: ingress from outside the network, no lateral transfer.
        {"bits, internet 3 / 59 / 60", {bits + "ID3-59-60-BITS_job_created.evtx"}, {}},
        {"bits, internet bitsadmin", {bits + "ID4688-BITS_transfer_initiated.evtx"}, {}},
        {"bits, internet ISO", {bits + "ID60-High_volume_file_downloaded_with_BITS.evtx"}, {}},
        {"bits, internet Start-BitsTransfer", {bits + "ID800-4103-4104-PowerShell_BITS_job_started.evtx"}, {}},
        // CrackMapExec's PowerShell payload: commands in memory, no file.
        {"crackmapexec, Sysmon 1", {cme + "ID1-CrackMapExec_payload_execution.evtx"}, {}},
        {"crackmapexec, 400 / 800", {cme + "ID400-800-CrackMapExec_payload_execution.evtx"}, {}},
        {"crackmapexec, 4103 / 4104", {cme + "ID4103-4104-CrackMapExec_payload_execution.evtx"}, {}},
        // DCOM: MMC20.Application instantiated remotely, a process spawned; no file copied.
        {"dcom, PowerShell", {dcom + "ID4103,4104-DCOMexec_native_via_PowerShell.evtx"}, {}},
        {"dcom, process spawned", {dcom + "ID4688,4674-DCOMexec_process_spawned.evtx"}, {}},
        // Windows OpenSSH installed and listening: no session, no file.
        {"openssh, listening", {ssh + "ID4-OpenSSH_server_listening.evtx"}, {}},
        {"openssh, install", {ssh + "ID4103-4104-OpenSSH_server_install.evtx"}, {}},
        // WinRM-Operational records (91: a winrs cmd shell whose resourceUri the file could not
        // render; 169 / 193: authentication): sessions, no file.
        {"winrm 91, shell started",
            {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_winrm_target_wrmlogs_91_wsmanShellStarted_poorLog.evtx"},
            {}},
        {"winrm 169 / 193",
            {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/"
             "RemotePowerShell_MS_Windows-Remote_Management_EventID_169.evtx"},
            {}},
        {"winrs, Sysmon 1", {"evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_winrm_exec_sysmon_1_winrshost.evtx"}, {}},
        // PowerShell remoting recorded with module logging (4103 in wsmprovhost sessions) and
        // Sysmon: commands in the session, no copy.
        {"psremoting, covenant command", {"mordor/covenant_psremoting_command.zip"}, {}},
        {"psremoting, covenant grunt", {"mordor/covenant_psremoting_grunt.zip"}, {}},
        {"psremoting, empire stager", {"mordor/empire_psremoting_stager.zip"}, {}},
    };
}

std::string describe(const inference::TransferRow &r)
{
    return r.source + " -> " + r.destination + " " + r.file + " src=" + r.srcPath + " dst=" + r.path + " " + r.method
        + " " + r.direction + " " + r.account + " " + r.confidenceLabel + " " + r.rules;
}
} // namespace

class TstInferenceWinprocCorpus : public QObject {
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
        std::vector<std::string> found;
        found.reserve(rows.size());
        for (const auto &r : rows)
            found.push_back(describe(r));
        for (const std::string &f : found)
            qInfo().noquote() << pr.name << "found:" << QString::fromStdString(f);
        QCOMPARE(found, pr.transfers);
    }

    void otherRecordingsGainNothing()
    {
        QStringList problems;
        int total = 0;
        const int checked = m_run.otherRecordings(total, [&](const QString &rel, const auto &rows) {
            for (const auto &r : rows)
                for (const char *rule : kRules)
                    if (r.rules.find(rule) != std::string::npos)
                        problems << rel + QStringLiteral(": ") + QString::fromStdString(describe(r));
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
    TstInferenceWinprocCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_inference_winproc_corpus.moc"
