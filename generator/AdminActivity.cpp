#include "AdminActivity.h"

#include <algorithm>

namespace tt::gen {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;

struct Tool {
    const char *file;
    const char *srcDir;
};
const Tool kTools[] = {
    {"Procmon64.exe", "C:\\IT\\Tools\\Sysinternals"},
    {"Autoruns64.exe", "C:\\IT\\Tools\\Sysinternals"},
    {"Bginfo64.exe", "C:\\IT\\Tools\\Sysinternals"},
    {"AgentSetup-7.4.2.msi", "C:\\IT\\Packages"},
    {"npp.8.5.8.Installer.x64.exe", "C:\\IT\\Packages"},
};
} // namespace

int64_t AdminActivity::workTime(int day, int fromHour, int toHour)
{
    const Topology &t = m_s.topo();
    (void)t;
    return m_s.startUs() + day * 86400 * kSec + fromHour * 3600 * kSec
        + static_cast<int64_t>(m_s.rng().below(static_cast<uint64_t>(toHour - fromHour) * 3600)) * kSec
        + static_cast<int64_t>(m_s.rng().below(1000)) * kMs;
}

void AdminActivity::run()
{
    const Topology &t = m_s.topo();
    const auto adm = t.indicesOf(HostRole::AdminStation);
    const int src = adm.empty() ? t.dc() : adm.front();
    const auto admins = t.accountsOf(AccountKind::ItAdmin);
    const int n = std::min(2 * m_s.days() + 1, 40);
    for (int i = 0; i < n; ++i) {
        const int day = i % m_s.days();
        int dst = static_cast<int>(m_s.rng().below(static_cast<uint64_t>(t.windowsCount())));
        if (dst == src)
            dst = (dst + 1) % t.windowsCount();
        if (dst == src)
            continue;
        const int acct = admins[m_s.rng().below(admins.size())];
        const int64_t us = workTime(day, 9, 17);
        if (i % 3 == 2)
            adminPsexec(us, src, dst, acct);
        else
            adminCopy(us, src, dst, acct, i);
    }
    // Backup job on a server writing through the loopback admin share (nightly).
    const auto servers = t.indicesOf(HostRole::Server);
    const int backupHost = servers.empty() ? t.dc() : servers.back();
    for (int d = 0; d < std::min(m_s.days(), 60); ++d)
        loopbackBackup(workTime(d, 1, 4), backupHost);
}

void AdminActivity::adminCopy(int64_t us, int src, int dst, int acct, int variant)
{
    const Topology &t = m_s.topo();
    const Host &d = t.host(dst);
    const Tool &tool = kTools[static_cast<size_t>(variant) % (sizeof kTools / sizeof kTools[0])];
    Transfer tr;
    tr.category = Transfer::Category::BenignAdmin;
    tr.src = src;
    tr.dst = dst;
    tr.file = tool.file;
    tr.srcPath = std::string(tool.srcDir) + '\\' + tool.file;
    tr.path = std::string("C:\\IT\\Tools\\") + tool.file;
    tr.account = m_s.account(acct);
    tr.method = "smb-admin-share";
    tr.direction = "push";
    tr.share = "\\\\*\\C$";
    tr.notes = "IT admin deploying a legitimate tool from the admin workstation (benign look-alike).";
    const int tag = m_s.addTransfer(tr);

    HostContext &sc = m_s.ctx(src);
    const Proc shell = sc.userProc(us - 30 * kSec, acct, sc.newLogonId(), 2, "C:\\Windows\\System32\\cmd.exe",
        "\"C:\\Windows\\system32\\cmd.exe\" ", true);
    std::string cmd;
    std::string image = "C:\\Windows\\System32\\cmd.exe";
    const bool robo = variant % 2 == 1;
    if (robo) {
        image = "C:\\Windows\\System32\\Robocopy.exe";
        cmd = std::string("robocopy  ") + tool.srcDir + " \\\\" + d.name + "\\C$\\IT\\Tools " + tool.file
            + " /R:1 /W:1 /NP";
    } else {
        cmd = std::string("cmd.exe /c copy /y \"") + tr.srcPath + "\" \"\\\\" + d.name + "\\C$\\IT\\Tools\\\"";
    }
    const Proc p = m_s.start(src, us, shell, image, cmd, tag);
    const Scenario::Session s = m_s.smbSession(src, dst, us + 300 * kMs, acct, false, tag, &p);
    m_s.shareWrite(
        dst, us + 400 * kMs, s, "\\\\*\\C$", "\\??\\C:\\", std::string("IT\\Tools\\") + tool.file, tr.path, tag);
    m_s.transfer(tag).utcUs = us + 411 * kMs + d.skewUs;
    m_s.stop(src, us + 2 * kSec, p);
    m_s.logoff(dst, us + static_cast<int64_t>(m_s.rng().range(10, 60)) * kSec, s);
}

void AdminActivity::adminPsexec(int64_t us, int src, int dst, int acct)
{
    const Topology &t = m_s.topo();
    const Host &d = t.host(dst);
    Transfer tr;
    tr.category = Transfer::Category::BenignAdmin;
    tr.src = src;
    tr.dst = dst;
    tr.file = "PSEXESVC.exe";
    tr.path = "C:\\Windows\\PSEXESVC.exe";
    tr.account = m_s.account(acct);
    tr.method = "psexec-service-binary";
    tr.direction = "push";
    tr.share = "\\\\*\\ADMIN$";
    tr.notes = "Sysinternals PsExec run by an IT admin (gpupdate /force): PSEXESVC.exe pushed to ADMIN$ and "
               "installed as a service (benign look-alike).";
    const int tag = m_s.addTransfer(tr);

    HostContext &sc = m_s.ctx(src);
    const Proc shell = sc.userProc(us - 20 * kSec, acct, sc.newLogonId(), 2, "C:\\Windows\\System32\\cmd.exe",
        "\"C:\\Windows\\system32\\cmd.exe\" ", true);
    const Proc px = m_s.start(src, us, shell, "C:\\IT\\Tools\\Sysinternals\\PsExec.exe",
        "PsExec.exe  \\\\" + d.name + " -accepteula -s cmd /c gpupdate /force", tag);
    const Scenario::Session s = m_s.smbSession(src, dst, us + 200 * kMs, acct, false, tag, &px);
    m_s.shareWrite(dst, us + 300 * kMs, s, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "PSEXESVC.exe", tr.path, tag);
    m_s.transfer(tag).utcUs = us + 311 * kMs + d.skewUs;
    HostContext &dc = m_s.ctx(dst);
    m_s.installService(dst, us + 600 * kMs, s, acct, "PSEXESVC", "%SystemRoot%\\PSEXESVC.exe", tag);
    const Proc svc
        = m_s.start(dst, us + 700 * kMs, dc.services(), "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe", tag);
    const Proc cmd = m_s.start(dst, us + 900 * kMs, svc, "C:\\Windows\\System32\\cmd.exe", "cmd /c gpupdate /force");
    const Proc gp = m_s.start(dst, us + 950 * kMs, cmd, "C:\\Windows\\System32\\gpupdate.exe", "gpupdate  /force");
    m_s.stop(dst, us + 9 * kSec, gp);
    m_s.stop(dst, us + 9100 * kMs, cmd);
    m_s.stop(dst, us + 10 * kSec, svc);
    m_s.stop(src, us + 10500 * kMs, px);
    m_s.logoff(dst, us + 11 * kSec, s);
}

void AdminActivity::loopbackBackup(int64_t us, int host)
{
    const Topology &t = m_s.topo();
    const Host &h = t.host(host);
    HostContext &c = m_s.ctx(host);
    const int svc = t.accountsOf(AccountKind::Service).front();
    const Proc job = c.userProc(us - 2 * kSec, svc, c.newLogonId(), 0, "C:\\Windows\\System32\\cmd.exe", "", true);
    const std::string file = "nightly_" + m_s.randomName(6, 6) + ".bak";
    const Proc p = m_s.start(host, us, c.svchostSchedule(), "C:\\Windows\\System32\\cmd.exe",
        "C:\\Windows\\system32\\cmd.exe /c copy /y D:\\SQLBackup\\" + file + " \\\\127.0.0.1\\C$\\Backup\\", -1, &job);
    const std::string port = m_s.ephemeralPort();
    EventFactory &fh = m_s.f(host);
    m_s.put(host, fh.networkConnect(us + 100 * kMs, c.system(), true, "127.0.0.1", port, "127.0.0.1", "445"));
    Scenario::Session s;
    s.srcPort = port;
    s.logon = c.logonFor(svc, 3, us, false);
    s.logon.ip = "127.0.0.1";
    s.logon.port = port;
    s.logon.workstation = h.name;
    m_s.put(host, fh.logon(us + 120 * kMs, s.logon));
    m_s.put(host, fh.specialPrivileges(us + 120 * kMs, s.logon));
    m_s.shareWrite(host, us + 150 * kMs, s, "\\\\*\\C$", "\\??\\C:\\", "Backup\\" + file, "C:\\Backup\\" + file, -1,
        Trap::Loopback);
    m_s.stop(host, us + 40 * kSec, p);
    m_s.logoff(host, us + 41 * kSec, s);
}

} // namespace tt::gen
