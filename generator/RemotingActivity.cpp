#include "RemotingActivity.h"

#include "Topology.h"

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
