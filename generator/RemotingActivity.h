#pragma once

// Remote-procedure transfers the attack chain does not produce (issue 14 item 6), behind
// Options::procedures so that the demo and the existing generated cases stay byte-identical:
// PowerShell remoting copies (`Copy-Item -ToSession`) between Windows hosts, labelled method
// `winrm`. What the destination logs: the WinRM listener's inbound 5985, the session's 4624
// type 3, wsmprovhost.exe started for that logon, the files every session writes for itself
// (`__PSScriptPolicyTest_*`: look-alikes) and the copied file created by wsmprovhost.exe; the
// source: the PowerShell process that ran the copy.
//
// Also (issue 14, generator methods): Impacket smbexec and atexec run against a target, whose
// output file is read back over SMB by the attacker's machine (a pull, target -> reader, method
// smb-admin-share: rule smb-output-read), and BITS downloads (bitsadmin /transfer from an internal
// web server: Bits-Client 3 / 59 / 60 + the command line, a pull, method http: rules bits-job +
// source-command).

#include "Scenario.h"

namespace tt::gen {

class RemotingActivity {
public:
    explicit RemotingActivity(Scenario &s)
        : m_s(s)
    {
    }
    void run();

private:
    void winrmCopy(int64_t us, int src, int dst, int account);
    // reader runs Impacket smbexec / atexec against target and reads the command's output back.
    void smbexec(int64_t us, int reader, int target, int account);
    void atexec(int64_t us, int reader, int target, int account);
    // dst downloads a file from server's web server with bitsadmin.
    void bitsDownload(int64_t us, int server, int dst, int account);
    // Two distinct Windows hosts and a time inside the recording (after its first hour).
    void pick(int &a, int &b, int64_t &us);

    Scenario &m_s;
};

} // namespace tt::gen
