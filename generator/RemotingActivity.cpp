#include "RemotingActivity.h"

#include "Topology.h"

#include <cstdio>

namespace tt::gen {

namespace {
constexpr int64_t kMs = 1000;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr const char *kTools[] = {"SharpHound.exe", "rclone.exe", "procdump64.exe", "agent.ps1", "update.dll",
    "nc64.exe", "svc-helper.exe", "backup.zip"};
} // namespace

void RemotingActivity::run()
{
    const Topology &t = m_s.topo();
    Rng &r = m_s.rng();
    const int n = t.windowsCount();
    if (n < 2)
        return;
    const auto admins = t.accountsOf(AccountKind::ItAdmin);
    const auto das = t.accountsOf(AccountKind::DomainAdmin);
    const int copies = std::min(6, n - 1);
    const int64_t span = std::max<int64_t>(m_s.endUs() - m_s.startUs() - 2 * 3600 * kSec, kMin);
    for (int i = 0; i < copies; ++i) {
        const int src = static_cast<int>(r.below(static_cast<uint64_t>(n)));
        int dst = static_cast<int>(r.below(static_cast<uint64_t>(n - 1)));
        if (dst >= src)
            ++dst;
        const int account = (i % 2 == 0 || das.empty()) ? admins[r.below(admins.size())] : das.front();
        const int64_t us = m_s.startUs() + 3600 * kSec + static_cast<int64_t>(r.below(static_cast<uint64_t>(span)));
        winrmCopy(us, src, dst, account);
    }
    m_s.note(
        "Remoting: " + std::to_string(copies) + " PowerShell remoting copies (Copy-Item -ToSession, method winrm).");

    // Impacket smbexec / atexec with their output read back, BITS downloads: each drawn after
    // the copies above so that those stay as they were.
    const int each = std::min(4, n - 1);
    for (int i = 0; i < each; ++i) {
        int a = 0, b = 0;
        int64_t us = 0;
        pick(a, b, us);
        smbexec(us, a, b, das.empty() ? admins.front() : das.front());
        pick(a, b, us);
        atexec(us, a, b, admins[r.below(admins.size())]);
        pick(a, b, us);
        bitsDownload(us, a, b, admins[r.below(admins.size())]);
    }
    m_s.note("Remoting: " + std::to_string(each) + " Impacket smbexec and " + std::to_string(each)
        + " atexec runs (output read back over SMB: pulls, method smb-admin-share), " + std::to_string(each)
        + " bitsadmin downloads from internal web servers (pulls, method http).");
}

void RemotingActivity::pick(int &a, int &b, int64_t &us)
{
    Rng &r = m_s.rng();
    const int n = m_s.topo().windowsCount();
    a = static_cast<int>(r.below(static_cast<uint64_t>(n)));
    b = static_cast<int>(r.below(static_cast<uint64_t>(n - 1)));
    if (b >= a)
        ++b;
    const int64_t span = std::max<int64_t>(m_s.endUs() - m_s.startUs() - 2 * 3600 * kSec, kMin);
    us = m_s.startUs() + 3600 * kSec + static_cast<int64_t>(r.below(static_cast<uint64_t>(span)));
}

void RemotingActivity::smbexec(int64_t us, int reader, int target, int account)
{
    const Topology &t = m_s.topo();
    const Host &rd = t.host(reader);
    const Host &tg = t.host(target);
    HostContext &tc = m_s.ctx(target);
    Rng &r = m_s.rng();

    Transfer tr;
    tr.category = Transfer::Category::Attack;
    tr.src = target;
    tr.dst = reader;
    tr.srcPath = "C:\\__output";
    tr.file = "__output";
    tr.account = m_s.account(account);
    tr.method = "smb-admin-share";
    tr.direction = "pull";
    tr.share = "\\\\*\\C$";
    tr.confidence = "medium";
    tr.notes = "Impacket smbexec from " + rd.fqdn + " against " + tg.fqdn
        + ": the command service writes \\\\127.0.0.1\\C$\\__output, the attacker reads it back over C$ (a pull).";
    const int tag = m_s.addTransfer(std::move(tr));

    // The attacker's session: SMB to C$ (by address, NTLM, as Impacket does by default).
    const Scenario::Session ses = m_s.smbSession(reader, target, us - 3 * kSec, account, true, tag, nullptr);
    // The service whose command is the typed command (a new random name per command).
    const std::string svc = m_s.randomName(8, 8, true);
    const std::string cmd = std::string(r.chance(0.5) ? "whoami /all" : "ipconfig /all");
    const std::string image = "%COMSPEC% /Q /c echo " + cmd
        + " ^> \\\\127.0.0.1\\C$\\__output 2^>^&1 > %TEMP%\\execute.bat & %COMSPEC% /Q /c %TEMP%\\execute.bat & del "
          "%TEMP%\\execute.bat";
    m_s.installService(target, us - 1 * kSec, ses, account, svc, image, tag);
    // The read back (ReadData on C$\__output), twice while the output grows: one read.
    const int64_t readUs = us + static_cast<int64_t>(r.range(300, 900)) * kMs;
    m_s.put(target, m_s.f(target).shareAccess(readUs - 20 * kMs, ses.logon, "\\\\*\\C$", "\\??\\C:\\"), tag);
    m_s.put(target, m_s.f(target).shareCheck(readUs, ses.logon, "\\\\*\\C$", "\\??\\C:\\", "__output", 0x120089), tag);
    m_s.put(target,
        m_s.f(target).shareCheck(readUs + 1200 * kMs, ses.logon, "\\\\*\\C$", "\\??\\C:\\", "__output", 0x120089), tag);
    m_s.transfer(tag).utcUs = readUs + tg.skewUs;
    m_s.logoff(target, readUs + 5 * kSec, ses, tag);
    (void)tc;
}

void RemotingActivity::atexec(int64_t us, int reader, int target, int account)
{
    const Topology &t = m_s.topo();
    const Host &rd = t.host(reader);
    const Host &tg = t.host(target);
    HostContext &tc = m_s.ctx(target);
    Rng &r = m_s.rng();
    const std::string name = m_s.randomName(8, 8, true);
    const std::string out = name + ".tmp";

    Transfer tr;
    tr.category = Transfer::Category::Attack;
    tr.src = target;
    tr.dst = reader;
    tr.srcPath = "C:\\Windows\\Temp\\" + out;
    tr.file = out;
    tr.account = m_s.account(account);
    tr.method = "smb-admin-share";
    tr.direction = "pull";
    tr.share = "\\\\*\\ADMIN$";
    tr.confidence = "medium";
    tr.notes = "Impacket atexec from " + rd.fqdn + " against " + tg.fqdn + ": task \\" + name
        + " (ATSVC) runs cmd.exe into %windir%\\Temp\\" + out + ", read back over ADMIN$ (a pull).";
    const int tag = m_s.addTransfer(std::move(tr));

    const Scenario::Session ses = m_s.smbSession(reader, target, us - 4 * kSec, account, r.chance(0.5), tag, nullptr);
    // The ATSVC pipe on IPC$ (read / write of a named pipe: no file).
    m_s.put(target, m_s.f(target).shareAccess(us - 3 * kSec, ses.logon, "\\\\*\\IPC$", ""), tag);
    m_s.put(target, m_s.f(target).shareCheck(us - 3 * kSec + 5 * kMs, ses.logon, "\\\\*\\IPC$", "", "atsvc", 0x12019f),
        -1, Trap::IpcPipeWrite);
    const std::string args = "/C " + std::string(r.chance(0.5) ? "whoami" : "net localgroup administrators")
        + " > %windir%\\Temp\\" + out + " 2>&1";
    m_s.put(target, m_s.f(target).taskCreated(us - 2 * kSec, ses.logon, "\\" + name, "cmd.exe", args), tag);
    // The Schedule service runs it as SYSTEM; cmd.exe writes the output locally.
    const Proc cmd = m_s.start(
        target, us, tc.svchostSchedule(), "C:\\Windows\\System32\\cmd.exe", "cmd.exe /C " + args.substr(3), tag);
    m_s.put(target, m_s.f(target).fileCreate(us + 40 * kMs, cmd, "C:\\Windows\\Temp\\" + out));
    m_s.stop(target, us + 900 * kMs, cmd);
    const int64_t readUs = us + 1500 * kMs;
    m_s.put(target, m_s.f(target).shareAccess(readUs - 20 * kMs, ses.logon, "\\\\*\\ADMIN$", "\\??\\C:\\Windows"), tag);
    m_s.put(target,
        m_s.f(target).shareCheck(readUs, ses.logon, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\" + out, 0x120089),
        tag);
    m_s.transfer(tag).utcUs = readUs + tg.skewUs;
    m_s.logoff(target, readUs + 4 * kSec, ses, tag);
}

void RemotingActivity::bitsDownload(int64_t us, int server, int dst, int account)
{
    const Topology &t = m_s.topo();
    const Host &sv = t.host(server);
    const Host &d = t.host(dst);
    HostContext &dc = m_s.ctx(dst);
    Rng &r = m_s.rng();
    const std::string file = kTools[r.below(std::size(kTools))];
    const bool byName = r.chance(0.5);
    const std::string url = "http://" + (byName ? sv.fqdn : sv.ip) + "/tools/" + file;
    const std::string path = "C:\\Users\\Public\\" + file;

    Transfer tr;
    tr.category = Transfer::Category::Attack;
    tr.src = server;
    tr.dst = dst;
    tr.path = path;
    tr.file = file;
    tr.account = m_s.account(account);
    tr.method = "http";
    tr.direction = "pull";
    tr.visibility = "destination";
    tr.confidence = "medium";
    tr.notes = "bitsadmin /transfer on " + d.fqdn + " downloading " + url + " (BITS job: Bits-Client 3 / 59 / 60).";
    const int tag = m_s.addTransfer(std::move(tr));

    const Proc user = dc.userProc(us - 20 * kSec, account, 0x3e7000 + static_cast<uint64_t>(r.below(0xfff)), 1,
        "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", true);
    const Proc shell
        = m_s.start(dst, us - 10 * kSec, user, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\" ");
    const std::string job = "job" + std::to_string(r.range(10, 99));
    const Proc ba = m_s.start(dst, us, shell, "C:\\Windows\\System32\\bitsadmin.exe",
        "bitsadmin /transfer " + job + " /download /priority normal " + url + " " + path, tag);
    char jobId[40], transferId[40];
    std::snprintf(jobId, sizeof jobId, "{%08X-%04X-%04X-%04X-%012llX}", static_cast<unsigned>(r.below(0xffffffffu)),
        static_cast<unsigned>(r.below(0xffff)), static_cast<unsigned>(r.below(0xffff)),
        static_cast<unsigned>(r.below(0xffff)), static_cast<unsigned long long>(r.below(0xffffffffffffull)));
    std::snprintf(transferId, sizeof transferId, "{%08X-%04X-%04X-%04X-%012llX}",
        static_cast<unsigned>(r.below(0xffffffffu)), static_cast<unsigned>(r.below(0xffff)),
        static_cast<unsigned>(r.below(0xffff)), static_cast<unsigned>(r.below(0xffff)),
        static_cast<unsigned long long>(r.below(0xffffffffffffull)));
    const uint64_t size = static_cast<uint64_t>(r.range(40, 4000)) * 1024 + r.below(1024);
    EventFactory &f = m_s.f(dst);
    m_s.put(dst, f.bitsJobCreated(us + 200 * kMs, ba, job, jobId), tag);
    m_s.put(dst, f.bitsTransfer(us + 400 * kMs, 59, ba, job, jobId, transferId, url, size, 0), tag);
    // The BITS service (svchost netsvcs) fetches over HTTP and renames its BIT*.tmp into place.
    const std::string port = m_s.ephemeralPort();
    m_s.put(dst, f.networkConnect(us + 450 * kMs, dc.svchostNetsvcs(), true, d.ip, port, sv.ip, "80"), tag);
    const int64_t doneUs = us + static_cast<int64_t>(r.range(2, 9)) * kSec;
    m_s.put(dst, f.fileCreate(doneUs - 100 * kMs, dc.svchostNetsvcs(), path), tag);
    m_s.put(dst, f.bitsTransfer(doneUs, 60, ba, job, jobId, transferId, url, size, size), tag);
    m_s.transfer(tag).utcUs = us + d.skewUs;
    m_s.stop(dst, doneUs + 200 * kMs, ba);
}

void RemotingActivity::winrmCopy(int64_t us, int src, int dst, int account)
{
    const Topology &t = m_s.topo();
    const Host &s = t.host(src);
    const Host &d = t.host(dst);
    HostContext &sc = m_s.ctx(src);
    HostContext &dc = m_s.ctx(dst);
    Rng &r = m_s.rng();
    const std::string file = kTools[r.below(std::size(kTools))];
    const std::string stage = "C:\\ProgramData\\" + file;
    const std::string path = (r.chance(0.5) ? "C:\\Windows\\Temp\\" : "C:\\Users\\Public\\") + file;

    Transfer tr;
    tr.category = Transfer::Category::Attack;
    tr.src = src;
    tr.dst = dst;
    tr.path = path;
    tr.srcPath = stage;
    tr.file = file;
    tr.account = m_s.account(account);
    tr.method = "winrm";
    tr.direction = "push";
    tr.visibility = "both";
    tr.confidence = "medium";
    tr.notes = "PowerShell remoting copy (Copy-Item -ToSession) from " + s.fqdn + " to " + d.fqdn
        + "; the destination's wsmprovhost.exe writes the file.";
    const int tag = m_s.addTransfer(std::move(tr));

    // Source: the administrator's PowerShell running the copy.
    const Proc user = sc.userProc(us - 30 * kSec, account, 0x3e7000 + static_cast<uint64_t>(r.below(0xfff)), 1,
        "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", true);
    const Proc ps
        = m_s.start(src, us - 5 * kSec, user, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            "powershell.exe -NoProfile -File C:\\Scripts\\push-" + std::to_string(r.range(100, 999)) + ".ps1", tag);
    const std::string port = m_s.ephemeralPort();
    m_s.put(src, m_s.f(src).networkConnect(us - 2 * kSec, ps, true, s.ipAt(us), port, d.ipAt(us), "5985"), tag);

    // Destination: the listener's inbound connection, the session's logon, wsmprovhost.exe.
    m_s.put(dst,
        m_s.f(dst).networkConnect(
            us - 2 * kSec + 30 * kMs, dc.svchostNetsvcs(), false, s.ipAt(us), port, d.ipAt(us), "5985"),
        tag);
    Logon l = dc.logonFor(account, 3, us - 2 * kSec, true);
    l.ip = s.ipAt(us);
    l.port = port;
    m_s.put(dst, m_s.f(dst).logon(us - 2 * kSec + 60 * kMs, l), tag);
    if (l.privileged)
        m_s.put(dst, m_s.f(dst).specialPrivileges(us - 2 * kSec + 60 * kMs, l));
    Proc asUser = dc.userProc(us - 2 * kSec, account, l.logonId, 0, "", "", true);
    const Proc host = m_s.start(dst, us - 1 * kSec, dc.svchostDcom(), "C:\\Windows\\System32\\wsmprovhost.exe",
        "C:\\Windows\\system32\\wsmprovhost.exe -Embedding", tag, &asUser);
    // Every session's own files: not transfers.
    m_s.put(dst,
        m_s.f(dst).fileCreate(us - 500 * kMs, host,
            "C:\\Users\\" + l.sam + "\\AppData\\Local\\Temp\\__PSScriptPolicyTest_" + m_s.randomName(8, 8) + "."
                + m_s.randomName(3, 3) + ".ps1"));
    m_s.put(dst, m_s.f(dst).fileCreate(us, host, path), tag);
    m_s.transfer(tag).utcUs = us + d.skewUs;
    m_s.stop(dst, us + 20 * kSec, host);
    m_s.stop(src, us + 3 * kSec, ps);
}

} // namespace tt::gen
