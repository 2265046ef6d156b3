#pragma once

// Remote-procedure transfers the attack chain does not produce (issue 14 item 6), behind
// Options::procedures so that the demo and the existing generated cases stay byte-identical:
// PowerShell remoting copies (`Copy-Item -ToSession`) between Windows hosts, labelled method
// `winrm`. What the destination logs: the WinRM listener's inbound 5985, the session's 4624
// type 3, wsmprovhost.exe started for that logon, the files every session writes for itself
// (`__PSScriptPolicyTest_*`: look-alikes) and the copied file created by wsmprovhost.exe; the
// source: the PowerShell process that ran the copy.

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

    Scenario &m_s;
};

} // namespace tt::gen
