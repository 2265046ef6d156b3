#include "Background.h"

#include "TimeFormat.h"

#include <algorithm>

namespace tt::gen {

namespace {

constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;

struct Site {
    const char *name;
    const char *ip;
};
const Site kSites[] = {
    {"login.microsoftonline.com", "20.190.160.20"},
    {"outlook.office365.com", "52.96.165.18"},
    {"teams.microsoft.com", "52.113.194.132"},
    {"www.google.com", "142.250.72.100"},
    {"github.com", "140.82.112.3"},
    {"cdn.jsdelivr.net", "104.16.85.20"},
    {"update.googleapis.com", "142.250.72.110"},
    {"officecdn.microsoft.com", "13.107.42.14"},
    {"www.bing.com", "204.79.197.200"},
    {"settings-win.data.microsoft.com", "20.42.65.92"},
    {"slack.com", "54.192.21.31"},
    {"zoom.us", "170.114.52.2"},
};
struct App {
    const char *image;
    const char *cmd;
    bool web;
};
const App kApps[] = {
    {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
        "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" ", true},
    {"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
        "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument", true},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
        "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" ", true},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
        "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n", false},
    {"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
        "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" ", false},
    {"C:\\Windows\\System32\\notepad.exe", "\"C:\\Windows\\system32\\NOTEPAD.EXE\" ", false},
    {"C:\\Program Files\\WindowsApps\\MSTeams_23285.3604.2469.4152_x64__8wekyb3d8bbwe\\ms-teams.exe",
        "\"C:\\Program Files\\WindowsApps\\MSTeams_23285.3604.2469.4152_x64__8wekyb3d8bbwe\\ms-teams.exe\" "
        "--system-initiated",
        true},
    {"C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe",
        "\"C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe\" ", false},
};
const char *const kShellCmds[][2] = {
    {"C:\\Windows\\System32\\ipconfig.exe", "ipconfig  /all"},
    {"C:\\Windows\\System32\\PING.EXE", "ping  -n 4 8.8.8.8"},
    {"C:\\Windows\\System32\\whoami.exe", "whoami  /groups"},
    {"C:\\Windows\\System32\\tasklist.exe", "tasklist  /v"},
    {"C:\\Windows\\System32\\gpupdate.exe", "gpupdate  /force"},
    {"C:\\Program Files\\Git\\cmd\\git.exe", "git  pull --rebase"},
    {"C:\\Windows\\System32\\nltest.exe", "nltest  /dsgetdc:"},
};
const char *const kTasks[][2] = {
    {"C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe SYSTEM"},
    {"C:\\Windows\\System32\\CompatTelRunner.exe", "C:\\Windows\\system32\\compattelrunner.exe -maintenance"},
    {"C:\\Windows\\System32\\sppsvc.exe", "C:\\Windows\\system32\\sppsvc.exe"},
    {"C:\\Windows\\System32\\wermgr.exe", "C:\\Windows\\system32\\wermgr.exe -upload"},
    {"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23090.2008-0\\MpCmdRun.exe",
        "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23090.2008-0\\MpCmdRun.exe\" -IdleTask "
        "-TaskName WdCacheMaintenance"},
    {"C:\\Windows\\System32\\SearchProtocolHost.exe",
        "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe1_ "
        "Global\\UsGthrCtrlFltPipeMssGthrPipe1 1"},
};
const char *const kRegKeys[][2] = {
    {"HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignaturesLastUpdated", "Binary Data"},
    {"HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-"
     "18\\\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe",
        "Binary Data"},
    {"HKU\\S-1-5-20\\Software\\Microsoft\\Windows\\CurrentVersion\\DeliveryOptimization\\Config\\DownloadMode_"
     "BackCompat",
        "DWORD (0x00000001)"},
    {"HKLM\\SOFTWARE\\Microsoft\\Windows "
     "NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan\\Index",
        "DWORD (0x00000003)"},
    {"HKLM\\System\\CurrentControlSet\\Services\\W32Time\\Config\\LastKnownGoodTime", "QWORD (0x01da15f3-0x8c2a1e40)"},
};
const char *const kEtl[] = {
    "C:\\Windows\\System32\\LogFiles\\WMI\\RtBackup\\EtwRTEventLog-System.etl",
    "C:\\Windows\\System32\\LogFiles\\WMI\\RtBackup\\EtwRTDiagLog.etl",
    "C:\\Windows\\System32\\LogFiles\\WMI\\RtBackup\\EtwRTUBPM.etl",
    "C:\\ProgramData\\Microsoft\\Windows\\wfp\\wfpdiag.etl",
    "C:\\Windows\\System32\\WDI\\LogFiles\\BootCKCL.etl",
    "C:\\Windows\\Logs\\NetSetup\\service.0.etl",
};
const char *const kDocs[] = {"Q3 forecast", "budget 2024", "meeting notes", "contract draft", "invoice 4471", "roadmap",
    "onboarding checklist", "timesheet", "vendor list", "incident review"};
const char *const kExt[] = {".docx", ".xlsx", ".pdf", ".pptx", ".txt"};
const char *const kPipes[] = {"srvsvc", "lsarpc", "samr", "wkssvc", "netlogon", "spoolss", "winreg"};
const char *const kGpo[] = {"{31B2F340-016D-11D2-945F-00C04FB984F9}", "{6AC1786C-016F-11D2-945F-00C04FB984F9}",
    "{A6E1C2B4-43C1-4D1F-9F2E-7B1C2D3E4F50}"};

} // namespace

Background::Background(const Topology &topo, int host, uint64_t seed, int64_t budget, int64_t startUs, int64_t endUs)
    : m_topo(topo)
    , m_host(topo.host(host))
    , m_ctx(topo, host, seed, 0)
    , m_f(m_ctx)
    , m_budget(budget)
    , m_startUs(startUs)
{
    m_slots = (endUs - startUs) / kSlotUs;
    for (int64_t i = 0; i < m_slots; ++i)
        m_totalWeight += weightOf(startUs + i * kSlotUs);
}

int Background::weightOf(int64_t slotStartUs) const
{
    const int64_t local = slotStartUs + m_host.tzMinutes * 60 * kSec;
    const TimeFormat::Civil c = TimeFormat::civil(local);
    const bool weekend = TimeFormat::weekday(local) >= 5;
    const bool ws = m_host.role == HostRole::Workstation || m_host.role == HostRole::AdminStation;
    if (weekend)
        return ws ? 5 : 30;
    if (c.h >= 8 && c.h < 18)
        return c.h == 12 ? 70 : 100;
    if (c.h == 7 || c.h == 18)
        return ws ? 40 : 50;
    return ws ? 5 : 35;
}

bool Background::nextSlot(std::vector<Event> &out, int64_t &slotEnd)
{
    if (m_slot >= m_slots)
        return false;
    const int64_t start = m_startUs + m_slot * kSlotUs;
    m_cumWeight += weightOf(start);
    ++m_slot;
    const int64_t target
        = m_totalWeight ? static_cast<int64_t>(static_cast<Int128>(m_budget) * m_cumWeight / m_totalWeight) : m_budget;
    m_slotLimit = target - m_emitted;
    m_slotCount = 0;
    slotEnd = start + kSlotUs;
    Rng &r = m_ctx.rng();
    while (m_slotCount < m_slotLimit)
        activity(start + static_cast<int64_t>(r.below(static_cast<uint64_t>(kSlotUs))), out);
    m_emitted += m_slotCount;
    return true;
}

void Background::push(Out &out, Event &&e)
{
    if (m_slotCount >= m_slotLimit)
        return;
    e.seq = m_seq++;
    out.push_back(std::move(e));
    ++m_slotCount;
}

std::string Background::port()
{
    return std::to_string(49152 + m_ctx.rng().below(16300));
}

const Host &Background::otherHost(bool workstationsOnly)
{
    const auto &hs = m_topo.hosts();
    const size_t windows = static_cast<size_t>(m_topo.windowsCount()); // Linux hosts have no Windows peers
    for (int tries = 0; tries < 8; ++tries) {
        const Host &h = hs[m_ctx.rng().below(windows)];
        if (h.index != m_host.index && (!workstationsOnly || h.role == HostRole::Workstation))
            return h;
    }
    return hs[static_cast<size_t>(m_host.index == 0 ? windows - 1 : 0)];
}

void Background::activity(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const uint64_t x = r.below(100);
    switch (m_host.role) {
    case HostRole::Workstation:
    case HostRole::AdminStation:
        if (x < 26)
            return userApp(t, out);
        if (x < 32)
            return userShell(t, out);
        if (x < 52)
            return serviceTask(t, out);
        if (x < 62)
            return registry(t, out);
        if (x < 72)
            return dns(t, out);
        if (x < 77)
            return inboundLogon(t, out, r.chance(0.5));
        if (x < 79)
            return interactiveLogon(t, out);
        if (x < 82)
            return etlFlush(t, out);
        if (x < 91)
            return fileWork(t, out);
        if (x < 93)
            return update(t, out);
        if (x < 96)
            return gpoClient(t, out);
        return inboundConnection(t, out);
    case HostRole::DomainController:
        if (x < 36)
            return inboundLogon(t, out, r.chance(0.6));
        if (x < 50)
            return gpoServe(t, out);
        if (x < 60)
            return ipcPipe(t, out);
        if (x < 76)
            return serviceTask(t, out);
        if (x < 82)
            return registry(t, out);
        if (x < 85)
            return etlFlush(t, out);
        if (x < 92)
            return inboundConnection(t, out);
        if (x < 94)
            return interactiveLogon(t, out);
        return dns(t, out);
    case HostRole::Server:
        if (x < 24)
            return inboundLogon(t, out, r.chance(0.3));
        if (x < 36)
            return ipcPipe(t, out);
        if (x < 50)
            return m_host.serverKind == "FS" ? shareRead(t, out) : serverApp(t, out);
        if (x < 70)
            return serviceTask(t, out);
        if (x < 76)
            return registry(t, out);
        if (x < 79)
            return etlFlush(t, out);
        if (x < 90)
            return inboundConnection(t, out);
        if (x < 92)
            return interactiveLogon(t, out);
        if (x < 94)
            return update(t, out);
        return dns(t, out);
    case HostRole::Linux: // written by LinuxWriter, never through this class
        return;
    }
}

void Background::procPair(int64_t t, Out &out, const Proc &child, const Proc &parent, bool end)
{
    Rng &r = m_ctx.rng();
    push(out, m_f.processCreate(t, child, parent));
    push(out, m_f.newProcess(t + r.range(0, 900) * kMs - 400 * kMs, child, parent));
    if (end) {
        const int64_t te = t + r.range(2, 600) * kSec + r.range(0, 999) * kMs;
        push(out, m_f.processEnd(te, child));
        push(out, m_f.processExit(te + r.range(0, 40) * kMs, child));
    }
}

void Background::userApp(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const App &app = r.pick(kApps);
    const Proc p = m_ctx.spawn(t, m_ctx.explorer(), app.image, app.cmd);
    procPair(t, out, p, m_ctx.explorer(), r.chance(0.5));
    int64_t tt = t + r.range(300, 3000) * kMs;
    if (app.web) {
        const int n = static_cast<int>(r.range(1, 3));
        for (int i = 0; i < n; ++i) {
            const Site &s = r.pick(kSites);
            push(out, m_f.dnsQuery(tt, p, s.name, std::string("::ffff:") + s.ip + ';'));
            tt += r.range(5, 80) * kMs;
            push(out, m_f.networkConnect(tt, p, true, m_host.ipAt(t), port(), s.ip, "443"));
            tt += r.range(200, 20000) * kMs;
        }
    }
    const std::string &user = m_ctx.explorer().subjectName;
    const int files = static_cast<int>(r.range(0, 2));
    for (int i = 0; i < files; ++i) {
        std::string target = "C:\\Users\\" + user + "\\AppData\\Local\\Temp\\";
        if (r.chance(0.4))
            target += "~$" + std::string(r.pick(kDocs)) + r.pick(kExt);
        else
            target += std::to_string(r.range(100000, 999999)) + ".tmp";
        push(out, m_f.fileCreate(tt, p, target));
        tt += r.range(100, 5000) * kMs;
    }
}

void Background::userShell(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const bool ps = r.chance(0.4);
    const Proc shell = m_ctx.spawn(t, m_ctx.explorer(),
        ps ? "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" : "C:\\Windows\\System32\\cmd.exe",
        ps ? "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" "
           : "\"C:\\Windows\\system32\\cmd.exe\" ");
    procPair(t, out, shell, m_ctx.explorer(), false);
    const Proc con = m_ctx.spawn(t + 20 * kMs, shell, "C:\\Windows\\System32\\conhost.exe",
        "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1");
    push(out, m_f.processCreate(t + 20 * kMs, con, shell));
    int64_t tt = t + r.range(2, 40) * kSec;
    const int n = static_cast<int>(r.range(1, 3));
    for (int i = 0; i < n; ++i) {
        const auto &c = kShellCmds[r.below(sizeof kShellCmds / sizeof kShellCmds[0])];
        const Proc child = m_ctx.spawn(tt, shell, c[0], c[1]);
        procPair(tt, out, child, shell, true);
        tt += r.range(3, 90) * kSec;
    }
    push(out, m_f.processEnd(tt, shell));
    push(out, m_f.processExit(tt + 10 * kMs, shell));
}

void Background::serviceTask(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const uint64_t k = r.below(10);
    if (k < 6) {
        const auto &task = kTasks[r.below(sizeof kTasks / sizeof kTasks[0])];
        const Proc p = m_ctx.spawn(t, m_ctx.svchostSchedule(), task[0], task[1]);
        procPair(t, out, p, m_ctx.svchostSchedule(), true);
        if (r.chance(0.5))
            push(out,
                m_f.fileCreate(t + r.range(100, 4000) * kMs, p,
                    "C:\\Windows\\Temp\\" + std::to_string(r.range(10000000, 99999999)) + ".tmp"));
        if (r.chance(0.1)) {
            Event e = m_f.fileCreate(t + r.range(1, 10) * kSec, m_ctx.svchostSchedule(),
                "C:\\Windows\\System32\\Tasks\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan");
            e.trap = Trap::TaskXml;
            push(out, std::move(e));
        }
    } else if (k < 8) {
        const Proc p = m_ctx.spawn(t, m_ctx.svchostDcom(), "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
            "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding");
        procPair(t, out, p, m_ctx.svchostDcom(), true);
    } else if (k < 9) {
        const Proc p = m_ctx.spawn(t, m_ctx.svchostDcom(), "C:\\Windows\\System32\\RuntimeBroker.exe",
            "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding", &m_ctx.explorer());
        procPair(t, out, p, m_ctx.svchostDcom(), true);
    } else {
        const Proc p = m_ctx.spawn(t, m_ctx.services(), "C:\\Windows\\System32\\svchost.exe",
            "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s BITS");
        procPair(t, out, p, m_ctx.services(), true);
    }
}

void Background::registry(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const int n = static_cast<int>(r.range(1, 4));
    const Proc &p = r.chance(0.6) ? m_ctx.svchostNetsvcs() : m_ctx.defender();
    for (int i = 0; i < n; ++i) {
        const auto &k = kRegKeys[r.below(sizeof kRegKeys / sizeof kRegKeys[0])];
        push(out, m_f.registrySet(t + i * r.range(1, 200) * kMs, p, k[0], k[1]));
    }
}

void Background::dns(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const Host &dc = m_topo.host(m_topo.dc());
    if (r.chance(0.5)) {
        const Site &s = r.pick(kSites);
        push(out, m_f.dnsQuery(t, m_ctx.svchostNetsvcs(), s.name, std::string("::ffff:") + s.ip + ';'));
        push(out,
            m_f.networkConnect(
                t + r.range(5, 90) * kMs, m_ctx.svchostNetsvcs(), true, m_host.ipAt(t), port(), s.ip, "443"));
    } else {
        const Host &h = otherHost(false);
        push(out, m_f.dnsQuery(t, m_ctx.svchostNetsvcs(), h.fqdn, "::ffff:" + h.ipAt(t) + ';'));
        if (m_host.index != dc.index)
            push(out,
                m_f.networkConnect(t + r.range(5, 90) * kMs, m_ctx.svchostNetsvcs(), true, m_host.ipAt(t), port(),
                    dc.ipAt(t), r.chance(0.5) ? "389" : "88"));
    }
}

void Background::inboundLogon(int64_t t, Out &out, bool machine)
{
    Rng &r = m_ctx.rng();
    const Host &from = otherHost(m_host.role == HostRole::DomainController);
    Logon l;
    if (machine) {
        l = m_ctx.machineLogon(from, t);
    } else {
        const int acct = from.primaryUser >= 0 ? from.primaryUser : 0;
        l = m_ctx.logonFor(acct, 3, t, r.chance(0.85));
        l.ip = from.ipAt(t);
        l.port = port();
        if (l.authPackage == "NTLM")
            l.workstation = from.name;
    }
    if (r.chance(0.03)) {
        push(out, m_f.logonFailed(t - r.range(1, 20) * kSec, l));
    }
    push(out, m_f.logon(t, l));
    if (l.privileged || m_host.role == HostRole::DomainController)
        push(out, m_f.specialPrivileges(t, l));
    push(out, m_f.logoff(t + r.range(1, 120) * kSec, l));
}

void Background::interactiveLogon(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const int acct = m_host.primaryUser >= 0 ? m_host.primaryUser : 0;
    const bool rdp = m_host.role != HostRole::Workstation && r.chance(0.5);
    Logon l = m_ctx.logonFor(acct, rdp ? 10 : 2, t, true);
    if (rdp) {
        const auto admins = m_topo.accountsOf(AccountKind::ItAdmin);
        l = m_ctx.logonFor(admins[r.below(admins.size())], 10, t, true);
        const Host &from = m_topo.host(m_topo.indicesOf(HostRole::AdminStation).empty()
                ? otherHost(true).index
                : m_topo.indicesOf(HostRole::AdminStation).front());
        l.ip = from.ipAt(t);
        l.port = "0";
    } else {
        l.ip = "127.0.0.1";
        l.port = "0";
    }
    if (r.chance(0.1))
        push(out, m_f.logonFailed(t - r.range(2, 15) * kSec, l));
    push(out, m_f.logon(t, l, "C:\\Windows\\System32\\svchost.exe", m_ctx.svchostNetsvcs().pid));
    if (l.privileged)
        push(out, m_f.specialPrivileges(t, l));
    Proc ui = m_ctx.userProc(t, acct, l.logonId, static_cast<int>(r.range(1, 4)), "C:\\Windows\\System32\\userinit.exe",
        "C:\\Windows\\system32\\userinit.exe", l.privileged);
    procPair(t + 800 * kMs, out, ui, m_ctx.services(), true);
    push(out, m_f.logoff(t + r.range(600, 7200) * kSec, l));
}

void Background::etlFlush(int64_t t, Out &out)
{
    Event e = m_f.fileCreate(t, m_ctx.system(), m_ctx.rng().pick(kEtl));
    e.trap = Trap::EtlFlush;
    push(out, std::move(e));
}

void Background::fileWork(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const App &app = kApps[3 + r.below(2)];
    const Proc p = m_ctx.spawn(t, m_ctx.explorer(), app.image, app.cmd);
    const std::string &user = m_ctx.explorer().subjectName;
    const std::string doc = "C:\\Users\\" + user + "\\Documents\\" + r.pick(kDocs) + r.pick(kExt);
    push(out, m_f.objectAccess(t, p, "File", doc, 0x1));
    push(out, m_f.fileCreate(t + r.range(1, 20) * kSec, p, doc));
    if (r.chance(0.3))
        push(out,
            m_f.fileCreate(t + r.range(20, 60) * kSec, m_ctx.explorer(),
                "C:\\Users\\" + user + "\\Downloads\\" + r.pick(kDocs) + r.pick(kExt)));
}

void Background::update(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const auto wsus = m_topo.indicesOf(HostRole::Server);
    std::string srv = "13.107.4.50";
    std::string port80 = "80";
    for (int i : wsus)
        if (m_topo.host(i).serverKind == "WSUS") {
            srv = m_topo.host(i).ipAt(t);
            port80 = "8530";
        }
    const Proc &wu = m_ctx.svchostNetsvcs();
    push(out, m_f.networkConnect(t, wu, true, m_host.ipAt(t), port(), srv, port80));
    const std::string kb = "windows10.0-kb50" + std::to_string(r.range(20000, 39999)) + "-x64";
    const std::string dir = "C:\\Windows\\SoftwareDistribution\\Download\\" + m_ctx.processGuid(t).substr(1, 8)
        + std::to_string(r.range(1000, 9999));
    push(out, m_f.fileCreate(t + r.range(2, 30) * kSec, wu, dir + '\\' + kb + ".cab"));
    const Proc ti = m_ctx.spawn(t + 40 * kSec, m_ctx.svchostDcom(),
        "C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.3266_none_"
        "7e0d5a1c8f6c2f5a\\TiWorker.exe",
        "C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.3266_none_"
        "7e0d5a1c8f6c2f5a\\TiWorker.exe -Embedding");
    procPair(t + 40 * kSec, out, ti, m_ctx.svchostDcom(), true);
}

void Background::gpoClient(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const Host &dc = m_topo.host(m_topo.dc());
    push(out, m_f.dnsQuery(t, m_ctx.svchostNetsvcs(), m_topo.dnsDomain(), "::ffff:" + dc.ipAt(t) + ';'));
    push(out,
        m_f.networkConnect(
            t + r.range(10, 200) * kMs, m_ctx.system(), true, m_host.ipAt(t), port(), dc.ipAt(t), "445"));
}

void Background::gpoServe(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const Host &from = otherHost(false);
    Logon l = m_ctx.machineLogon(from, t);
    push(out, m_f.logon(t, l));
    push(out, m_f.shareAccess(t + 5 * kMs, l, "\\\\*\\SYSVOL", "\\??\\C:\\Windows\\SYSVOL\\sysvol"));
    const char *gpo = r.pick(kGpo);
    const std::string base = m_topo.dnsDomain() + "\\Policies\\" + gpo;
    const char *const files[]
        = {"\\gpt.ini", "\\Machine\\Registry.pol", "\\Machine\\Microsoft\\Windows NT\\SecEdit\\GptTmpl.inf"};
    const int n = static_cast<int>(r.range(1, 3));
    for (int i = 0; i < n; ++i) {
        Event e = m_f.shareCheck(t + (10 + i * 15) * kMs, l, "\\\\*\\SYSVOL", "\\??\\C:\\Windows\\SYSVOL\\sysvol",
            base + files[i], 0x120089);
        e.trap = Trap::SysvolRead;
        push(out, std::move(e));
    }
    push(out, m_f.logoff(t + r.range(1, 30) * kSec, l));
}

void Background::ipcPipe(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const Host &from = otherHost(false);
    Logon l = r.chance(0.5) ? m_ctx.machineLogon(from, t)
                            : m_ctx.logonFor(from.primaryUser >= 0 ? from.primaryUser : 0, 3, t, true);
    l.ip = from.ipAt(t);
    l.port = port();
    push(out, m_f.logon(t, l));
    push(out, m_f.shareAccess(t + 3 * kMs, l, "\\\\*\\IPC$", ""));
    Event e = m_f.shareCheck(t + 6 * kMs, l, "\\\\*\\IPC$", "", r.pick(kPipes), 0x12019f);
    e.trap = Trap::IpcPipeWrite;
    push(out, std::move(e));
    push(out, m_f.logoff(t + r.range(1, 10) * kSec, l));
}

void Background::shareRead(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const Host &from = otherHost(true);
    Logon l = m_ctx.logonFor(from.primaryUser >= 0 ? from.primaryUser : 0, 3, t, true);
    l.ip = from.ipAt(t);
    l.port = port();
    push(out, m_f.logon(t, l));
    const char *share = r.chance(0.5) ? "\\\\*\\Shares" : "\\\\*\\Public";
    const char *local = share[4] == 'S' ? "\\??\\D:\\Shares" : "\\??\\D:\\Public";
    push(out, m_f.shareAccess(t + 4 * kMs, l, share, local));
    const int n = static_cast<int>(r.range(1, 3));
    for (int i = 0; i < n; ++i)
        push(out,
            m_f.shareCheck(t + (8 + 20 * i) * kMs, l, share, local, std::string(r.pick(kDocs)) + r.pick(kExt),
                r.chance(0.5) ? 0x120089 : 0x100080));
    push(out, m_f.logoff(t + r.range(5, 300) * kSec, l));
}

void Background::inboundConnection(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    const Host &from = otherHost(false);
    const char *ports[] = {"445", "135", "3389", "5985"};
    const char *dport = m_host.role == HostRole::Workstation ? ports[r.below(2)] : ports[r.below(4)];
    const Proc &p = dport[0] == '4' ? m_ctx.system() : dport[0] == '3' ? m_ctx.svchostTerm() : m_ctx.svchostNetsvcs();
    push(out, m_f.networkConnect(t, p, false, from.ipAt(t), port(), m_host.ipAt(t), dport));
}

void Background::serverApp(int64_t t, Out &out)
{
    Rng &r = m_ctx.rng();
    if (m_host.serverKind == "SQL") {
        const Proc p = m_ctx.spawn(t, m_ctx.services(),
            "C:\\Program Files\\Microsoft SQL Server\\Client SDK\\ODBC\\170\\Tools\\Binn\\SQLCMD.EXE",
            "sqlcmd -S localhost -E -Q \"EXEC msdb.dbo.sp_purge_jobhistory\"");
        procPair(t, out, p, m_ctx.services(), true);
        push(out,
            m_f.fileCreate(t + r.range(1, 30) * kSec, p,
                "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Log\\SQLAGENT.OUT"));
    } else {
        const Proc p = m_ctx.spawn(t, m_ctx.services(), "C:\\Windows\\System32\\inetsrv\\w3wp.exe",
            "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"DefaultAppPool\" -v \"v4.0\" -l \"webengine4.dll\"");
        procPair(t, out, p, m_ctx.services(), r.chance(0.3));
        const Host &from = otherHost(true);
        push(out, m_f.networkConnect(t + r.range(1, 500) * kMs, p, false, from.ipAt(t), port(), m_host.ipAt(t), "443"));
        push(out,
            m_f.fileCreate(t + r.range(1, 30) * kSec, p,
                "C:\\inetpub\\temp\\IIS Temporary Compressed Files\\DefaultAppPool\\"
                    + std::to_string(r.range(100000, 999999)) + ".tmp"));
    }
}

} // namespace tt::gen
