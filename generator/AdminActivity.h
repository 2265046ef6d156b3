#pragma once

// Benign, scripted activity that looks like lateral tool transfer: IT admins copying
// legitimate tools to C$ / ADMIN$ and running Sysinternals PsExec (real transfers, labelled
// benign-admin), and backup jobs writing through \\127.0.0.1\C$ (a look-alike, not a transfer).

#include "Scenario.h"

namespace tt::gen {

class AdminActivity {
public:
    explicit AdminActivity(Scenario &s)
        : m_s(s)
    {
    }
    void run();
    // A tool copied over C$ by copy / robocopy; PsExec's PSEXESVC.exe (also EnterpriseActivity's jump servers).
    void adminCopy(int64_t us, int src, int dst, int account, int variant);
    void adminPsexec(int64_t us, int src, int dst, int account);

private:
    void loopbackBackup(int64_t us, int host);
    int64_t workTime(int day, int fromHour, int toHour);

    Scenario &m_s;
};

} // namespace tt::gen
