#include "EnterpriseActivity.h"

#include "AdminActivity.h"
#include "DeploymentActivity.h"

#include <algorithm>
#include <set>

namespace tt::gen {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;
} // namespace

void EnterpriseActivity::run()
{
    const Topology &t = m_s.topo();
    if (!t.enterprise())
        return;
    const auto admStations = t.indicesOf(HostRole::AdminStation);
    const int adminSrc = admStations.empty() ? t.dc() : admStations.front();
    // Jump servers: each day, each jump server serves an admin session that reaches four hosts
    // (servers first, then workstations), in turn over the whole list.
    std::vector<int> targets;
    for (int i = 0; i < t.windowsCount(); ++i) {
        const Host &h = t.host(i);
        if (h.role != HostRole::Workstation && h.serverKind != "JMP" && i != t.deployServer())
            targets.push_back(i);
    }
    for (int i : t.indicesOf(HostRole::Workstation))
        if (!t.host(i).vpn)
            targets.push_back(i);
    size_t next = 0;
    for (int d = 0; d < m_s.days(); ++d)
        for (int j : t.jumpServers())
            jumpDay(d, j, adminSrc, targets, next);

    // VPN laptops: the holders of the pool's first two addresses each day.
    const auto servers = t.indicesOf(HostRole::Server);
    if (t.vpnPool().size() >= 2 && !servers.empty())
        for (int d = 0; d < m_s.days(); ++d)
            for (size_t p = 0; p < 2; ++p) {
                const int64_t us = m_s.startUs() + d * 86400 * kSec + (10 + 3 * static_cast<int64_t>(p)) * 3600 * kSec
                    + static_cast<int64_t>(m_s.rng().below(7200)) * kSec;
                const int laptop = t.vpnHolder(t.vpnPool()[p], us);
                if (laptop >= 0)
                    laptopPush(us, laptop, servers.front());
            }

    if (t.deployServer() >= 0)
        deploymentFan();
}

void EnterpriseActivity::rdpLogon(int64_t us, int src, int dst, int acct)
{
    const Topology &t = m_s.topo();
    const Host &s = t.host(src);
    const Host &d = t.host(dst);
    HostContext &sc = m_s.ctx(src);
    HostContext &dc = m_s.ctx(dst);
    const Proc shell = sc.userProc(
        us - 60 * kSec, acct, sc.newLogonId(), 2, "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", false);
    const Proc mstsc = m_s.start(
        src, us, shell, "C:\\Windows\\System32\\mstsc.exe", "\"C:\\Windows\\system32\\mstsc.exe\" /v:" + d.name);
    const std::string port = m_s.ephemeralPort();
    m_s.put(src, m_s.f(src).networkConnect(us + 500 * kMs, mstsc, true, s.ipAt(us), port, d.ipAt(us), "3389"));
    m_s.put(
        dst, m_s.f(dst).networkConnect(us + 530 * kMs, dc.svchostTerm(), false, s.ipAt(us), port, d.ipAt(us), "3389"));
    Logon l = dc.logonFor(acct, 10, us + 4 * kSec, true);
    l.ip = s.ipAt(us);
    l.port = "0";
    m_s.put(dst, m_s.f(dst).logon(us + 4 * kSec, l, "C:\\Windows\\System32\\svchost.exe", dc.svchostNetsvcs().pid));
    if (l.privileged)
        m_s.put(dst, m_s.f(dst).specialPrivileges(us + 4 * kSec, l));
    m_s.stop(src, us + 3 * 3600 * kSec, mstsc);
}

void EnterpriseActivity::jumpDay(int day, int jump, int from, const std::vector<int> &targets, size_t &next)
{
    const Topology &t = m_s.topo();
    const auto admins = t.accountsOf(AccountKind::ItAdmin);
    const int acct = admins[m_s.rng().below(admins.size())];
    const int64_t us
        = m_s.startUs() + day * 86400 * kSec + 8 * 3600 * kSec + static_cast<int64_t>(m_s.rng().below(4 * 3600)) * kSec;
    rdpLogon(us, from, jump, acct);
    const auto servers = t.indicesOf(HostRole::Server);
    if (!servers.empty() && servers.front() != jump) {
        static const char *const kPulled[] = {"Procmon64.exe", "Autoruns64.exe", "Bginfo64.exe", "Tcpview64.exe"};
        toolPull(us + 2 * 60 * kSec, jump, servers.front(), acct,
            kPulled[static_cast<size_t>(day * 2 + jump) % (sizeof kPulled / sizeof kPulled[0])]);
    }
    AdminActivity admin(m_s);
    int64_t at = us + 5 * 60 * kSec;
    for (int k = 0; k < 4 && !targets.empty(); ++k) {
        int dst = targets[next++ % targets.size()];
        if (dst == jump)
            dst = targets[next++ % targets.size()];
        if (dst == jump)
            continue;
        if (k == 3)
            admin.adminPsexec(at, jump, dst, acct);
        else
            admin.adminCopy(at, jump, dst, acct, static_cast<int>(next));
        at += static_cast<int64_t>(m_s.rng().range(3 * 60, 20 * 60)) * kSec;
    }
}

void EnterpriseActivity::toolPull(int64_t us, int jump, int server, int acct, const std::string &file)
{
    const Topology &t = m_s.topo();
    const Host &j = t.host(jump);
    const Host &fs = t.host(server);
    Transfer tr;
    tr.category = Transfer::Category::BenignAdmin;
    tr.src = server;
    tr.dst = jump;
    tr.file = file;
    tr.srcPath = "D:\\Software\\Sysinternals\\" + file;
    tr.path = "C:\\IT\\Tools\\Sysinternals\\" + file;
    tr.account = m_s.account(acct);
    tr.method = "smb-share";
    tr.direction = "pull";
    tr.share = "\\\\*\\Software";
    tr.notes = "An IT admin on the jump server copies a tool from the file server's Software share (a pull: the "
               "server sends the file to the jump server at its request; benign).";
    const int tag = m_s.addTransfer(tr);
    HostContext &jc = m_s.ctx(jump);
    const Proc shell = jc.userProc(us - 30 * kSec, acct, jc.newLogonId(), 2, "C:\\Windows\\System32\\cmd.exe",
        "\"C:\\Windows\\system32\\cmd.exe\" ", true);
    const Proc copy = m_s.start(jump, us, shell, "C:\\Windows\\System32\\cmd.exe",
        "cmd.exe /c copy /y \"\\\\" + fs.name + "\\Software\\Sysinternals\\" + file + "\" \"" + tr.path + "\"", tag);
    const Scenario::Session s = m_s.smbSession(jump, server, us + 300 * kMs, acct, false, tag, &copy);
    EventFactory &ff = m_s.f(server);
    m_s.put(server, ff.shareAccess(us + 400 * kMs, s.logon, "\\\\*\\Software", "\\??\\D:\\Software"), tag);
    m_s.put(server,
        ff.shareCheck(
            us + 405 * kMs, s.logon, "\\\\*\\Software", "\\??\\D:\\Software", "Sysinternals\\" + file, 0x120089),
        tag);
    if (s.flow >= 0) {
        NetFile nf;
        nf.share = "\\\\" + fs.name + "\\Software";
        nf.name = "Sysinternals\\" + file;
        nf.us = us + 410 * kMs;
        nf.size = static_cast<int64_t>(m_s.rng().range(900, 4000)) * 1024;
        nf.transfer = static_cast<int16_t>(tag);
        nf.read = true;
        NetFlow &flow = m_s.flow(s.flow);
        flow.respBytes += nf.size + nf.size / 40;
        flow.files.push_back(std::move(nf));
    }
    m_s.put(jump, m_s.f(jump).fileCreate(us + 900 * kMs, copy, tr.path), tag);
    m_s.transfer(tag).utcUs = us + 900 * kMs + j.skewUs;
    m_s.stop(jump, us + 1500 * kMs, copy);
    m_s.logoff(server, us + 20 * kSec, s);
}

void EnterpriseActivity::laptopPush(int64_t us, int laptop, int server)
{
    const Topology &t = m_s.topo();
    const Host &l = t.host(laptop);
    const Host &d = t.host(server);
    const int user = l.primaryUser >= 0 ? l.primaryUser : t.accountsOf(AccountKind::User).front();
    const std::string sam = t.account(user).sam;
    Transfer tr;
    tr.category = Transfer::Category::BenignAdmin;
    tr.src = laptop;
    tr.dst = server;
    tr.file = "SupportBundle-" + l.name + '-' + std::to_string(100 + m_s.rng().below(900)) + ".zip";
    tr.srcPath = "C:\\Users\\" + sam + "\\Downloads\\" + tr.file;
    tr.path = "D:\\Support\\Incoming\\" + tr.file;
    tr.account = m_s.account(user);
    tr.method = "smb-share";
    tr.direction = "push";
    tr.share = "\\\\*\\Support";
    tr.notes = "A remote user on the VPN (pool address " + l.ipAt(us)
        + ") drags a support bundle onto the file server's Support share in Explorer (benign; the source is "
          "known by the VPN address it held that day).";
    const int tag = m_s.addTransfer(tr);
    HostContext &lc = m_s.ctx(laptop);
    m_s.put(laptop, m_s.f(laptop).fileCreate(us - 90 * kSec, lc.explorer(), tr.srcPath), tag);
    const Scenario::Session s = m_s.smbSession(laptop, server, us, user, false, tag, &lc.explorer());
    m_s.shareWrite(
        server, us + 200 * kMs, s, "\\\\*\\Support", "\\??\\D:\\Support", "Incoming\\" + tr.file, tr.path, tag);
    m_s.transfer(tag).utcUs = us + 211 * kMs + d.skewUs;
    m_s.logoff(server, us + static_cast<int64_t>(m_s.rng().range(20, 90)) * kSec, s);
}

void EnterpriseActivity::deploymentFan()
{
    const Topology &t = m_s.topo();
    const int server = t.deployServer();
    const auto service = t.accountsOf(AccountKind::Service);
    const int acct = service.size() > 1 ? service[1] : service.front(); // svc_deploy
    DeploymentActivity deploy(m_s);
    // Attacker hops into Windows hosts: a push lands there one second before the hop.
    std::set<int> hit;
    int64_t firstHop = 0;
    // By index over the transfers made so far, each copied: pdqPush appends to transfers().
    const size_t made = m_s.transfers().size();
    for (size_t i = 0; i < made; ++i) { // NOLINT(modernize-loop-convert): the vector grows in the loop
        const Transfer a = m_s.transfers()[i];
        if (a.category != Transfer::Category::Attack || a.hop < 0 || a.dst < 0 || t.isLinux(a.dst) || a.dst == server
            || hit.count(a.dst))
            continue;
        const int64_t hopUs = a.utcUs - t.host(a.dst).skewUs;
        if (!firstHop || hopUs < firstHop)
            firstHop = hopUs;
        hit.insert(a.dst);
        deploy.pdqPush(hopUs - 1 * kSec, server, a.dst, acct);
    }
    // The wave: from 20 minutes before the first hop (or 10:00 on the first day), eight
    // workstations at a time, a batch every 50 s.
    const int64_t start = firstHop ? firstHop - 20 * 60 * kSec : m_s.startUs() + 10 * 3600 * kSec;
    size_t n = 0;
    for (int dst : t.indicesOf(HostRole::Workstation)) {
        if (n >= kMaxFanTargets)
            break;
        if (hit.count(dst))
            continue;
        deploy.pdqPush(start + static_cast<int64_t>(n / 8) * 50 * kSec + static_cast<int64_t>(n % 8) * 700 * kMs
                + static_cast<int64_t>(m_s.rng().below(300)) * kMs,
            server, dst, acct);
        ++n;
    }
    m_s.note("Enterprise: the deployment server " + t.host(server).fqdn + " pushes one package (PDQ Deploy) to "
        + std::to_string(n + hit.size()) + " hosts, " + std::to_string(hit.size())
        + " of them one second before an attacker hop; " + std::to_string(t.jumpServers().size())
        + " jump servers; VPN pool of " + std::to_string(t.vpnPool().size()) + " addresses.");
}

} // namespace tt::gen
