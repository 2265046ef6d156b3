#include "DeploymentActivity.h"

#include <algorithm>

namespace tt::gen {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;
} // namespace

void DeploymentActivity::run()
{
    const Topology &t = m_s.topo();
    const auto servers = t.indicesOf(HostRole::Server);
    const auto admins = t.indicesOf(HostRole::AdminStation);
    const auto workstations = t.indicesOf(HostRole::Workstation);
    const auto service = t.accountsOf(AccountKind::Service);
    const auto itAdmins = t.accountsOf(AccountKind::ItAdmin);
    if (servers.empty() || workstations.size() < 2 || service.empty() || itAdmins.empty())
        return;
    const int site = servers.front();
    const int pdq = admins.empty() ? servers.back() : admins.front();
    const int pushAccount = service.front();
    const int day = static_cast<int>(m_s.rng().below(static_cast<uint64_t>(m_s.days())));
    const int64_t morning = m_s.startUs() + day * 86400 * kSec + 10 * 3600 * kSec;

    // SCCM client push: a wave over up to 8 workstations, a few seconds apart.
    const size_t wave = std::min<size_t>(8, workstations.size());
    for (size_t i = 0; i < wave; ++i)
        if (workstations[i] != site)
            sccmPush(morning + static_cast<int64_t>(i) * 7 * kSec + static_cast<int64_t>(m_s.rng().below(900)) * kMs,
                site, workstations[i], pushAccount);
    // A push that reaches an attacker hop's destination in the same seconds: both must stay what
    // they are (the deployment benign, the attacker's drop a normal transfer).
    // A PsExec-style drop is preferred (the case the label must never hide), else any hop.
    int hopDst = -1;
    int64_t hopUs = 0;
    for (const char *method : {"psexec-service-binary", "smb-admin-share", "smb-share"}) {
        for (const Transfer &a : m_s.transfers())
            if (a.category == Transfer::Category::Attack && a.hop >= 0 && a.method == method && a.dst != site
                && !t.isLinux(a.dst)) {
                hopDst = a.dst;
                hopUs = a.utcUs - t.host(a.dst).skewUs; // the label is on the destination's clock
                break;
            }
        if (hopDst >= 0)
            break;
    }
    if (hopDst >= 0)
        sccmPush(hopUs - 1 * kSec, site, hopDst, pushAccount);
    // PDQ Deploy: three targets in the afternoon.
    for (size_t i = 0; i < std::min<size_t>(3, workstations.size()); ++i) {
        const int dst = workstations[workstations.size() - 1 - i];
        if (dst != pdq)
            pdqPush(morning + 5 * 3600 * kSec + static_cast<int64_t>(i) * 40 * kSec, pdq, dst,
                itAdmins[i % itAdmins.size()]);
    }
    oneDrivePair(morning + 2 * 3600 * kSec, workstations[0], workstations[1]);
}

int DeploymentActivity::serviceDrop(int64_t us, int src, int dst, int acct, const Proc &srcProc, Transfer tr,
    const std::string &rel, const std::string &service, const std::string &imagePath, Proc *started)
{
    const Topology &t = m_s.topo();
    const Host &d = t.host(dst);
    tr.src = src;
    tr.dst = dst;
    tr.account = m_s.account(acct);
    tr.method = "psexec-service-binary";
    tr.direction = "push";
    tr.share = "\\\\*\\ADMIN$";
    tr.category = Transfer::Category::BenignAdmin;
    const int tag = m_s.addTransfer(tr);
    const Scenario::Session s = m_s.smbSession(src, dst, us + 200 * kMs, acct, false, tag, &srcProc);
    m_s.shareWrite(dst, us + 300 * kMs, s, "\\\\*\\ADMIN$", "\\??\\C:\\Windows", rel, tr.path, tag);
    m_s.transfer(tag).utcUs = us + 311 * kMs + d.skewUs;
    m_s.installService(dst, us + 600 * kMs, s, acct, service, imagePath, tag);
    const Proc svc = m_s.start(dst, us + 700 * kMs, m_s.ctx(dst).services(), tr.path, imagePath, tag);
    if (started)
        *started = svc;
    m_s.logoff(dst, us + 30 * kSec, s);
    return tag;
}

void DeploymentActivity::sccmPush(int64_t us, int site, int dst, int acct)
{
    Transfer tr;
    tr.file = "ccmsetup.exe";
    tr.path = "C:\\Windows\\ccmsetup\\ccmsetup.exe";
    tr.deployTool = "sccm";
    tr.notes = "SCCM client push: the site server's push account copies ccmsetup.exe to ADMIN$\\ccmsetup and "
               "installs the ccmsetup service (benign deployment).";
    const Proc smsexec = m_s.ctx(site).systemProc(
        us - 3600 * kSec, "C:\\Program Files\\Microsoft Configuration Manager\\bin\\X64\\smsexec.exe", "");
    Proc setup;
    serviceDrop(us, site, dst, acct, smsexec, tr, "ccmsetup\\ccmsetup.exe", "ccmsetup",
        "\"C:\\Windows\\ccmsetup\\ccmsetup.exe\" /runservice /config:MobileClient.tcf", &setup);
    const Proc ccm
        = m_s.start(dst, us + 20 * kSec, setup, "C:\\Windows\\CCM\\CcmExec.exe", "C:\\Windows\\CCM\\CcmExec.exe");
    m_s.stop(dst, us + 25 * kSec, setup);
    (void)ccm;
}

void DeploymentActivity::pdqPush(int64_t us, int server, int dst, int acct)
{
    const std::string dir = "C:\\Windows\\AdminArsenal\\PDQDeployRunner\\service-1\\";
    Transfer tr;
    tr.file = "PDQDeployRunner-1.exe";
    tr.path = dir + tr.file;
    tr.deployTool = "pdq";
    tr.notes = "PDQ Deploy: the runner service copied to ADMIN$\\AdminArsenal and installed (benign deployment).";
    const Proc console = m_s.ctx(server).systemProc(
        us - 1800 * kSec, "C:\\Program Files (x86)\\Admin Arsenal\\PDQ Deploy\\PDQDeployService.exe", "");
    Proc runner;
    const int runnerTag = serviceDrop(us, server, dst, acct, console, tr,
        "AdminArsenal\\PDQDeployRunner\\service-1\\PDQDeployRunner-1.exe", "PDQDeployRunner-1", tr.path, &runner);
    (void)runnerTag;

    // The package, copied into the runner's exec folder and run by the runner.
    Transfer pkg;
    pkg.file = "npp.8.5.8.Installer.x64.exe";
    pkg.path = dir + "exec\\" + pkg.file;
    pkg.src = server;
    pkg.dst = dst;
    pkg.account = m_s.account(acct);
    pkg.method = "smb-admin-share";
    pkg.direction = "push";
    pkg.share = "\\\\*\\ADMIN$";
    pkg.category = Transfer::Category::BenignAdmin;
    pkg.deployTool = "pdq";
    pkg.notes = "PDQ Deploy: the package copied next to the runner, which installs it (benign deployment).";
    const int tag = m_s.addTransfer(pkg);
    const int64_t t2 = us + 3 * kSec;
    const Scenario::Session s = m_s.smbSession(server, dst, t2, acct, false, tag, &console);
    m_s.shareWrite(dst, t2 + 100 * kMs, s, "\\\\*\\ADMIN$", "\\??\\C:\\Windows",
        "AdminArsenal\\PDQDeployRunner\\service-1\\exec\\" + pkg.file, pkg.path, tag);
    m_s.transfer(tag).utcUs = t2 + 111 * kMs + m_s.topo().host(dst).skewUs;
    const Proc inst = m_s.start(dst, t2 + 2 * kSec, runner, pkg.path, "\"" + pkg.path + "\" /S", tag);
    m_s.stop(dst, t2 + 40 * kSec, inst);
    m_s.stop(dst, t2 + 45 * kSec, runner);
    m_s.logoff(dst, t2 + 50 * kSec, s);
}

void DeploymentActivity::oneDrivePair(int64_t us, int src, int dst)
{
    const Topology &t = m_s.topo();
    const Host &s = t.host(src);
    const Host &d = t.host(dst);
    const int su = s.primaryUser >= 0 ? s.primaryUser : t.accountsOf(AccountKind::User).front();
    const int du = d.primaryUser >= 0 ? d.primaryUser : su;
    const std::string org = "OneDrive - " + t.netbios();
    const std::string file = "Q" + std::to_string(1 + m_s.rng().below(4)) + "-forecast.xlsx";
    Transfer tr;
    tr.category = Transfer::Category::BenignAdmin;
    tr.src = src;
    tr.dst = dst;
    tr.file = file;
    tr.srcPath = "C:\\Users\\" + t.account(su).sam + "\\" + org + "\\Finance\\" + file;
    tr.path = "C:\\Users\\" + t.account(du).sam + "\\" + org + "\\Finance\\" + file;
    tr.account = m_s.account(su);
    tr.method = "cloud-sync";
    tr.direction = "push";
    tr.confidence = "medium";
    tr.notes = "A user saves a workbook into the OneDrive folder; the OneDrive client creates it on a colleague's "
               "workstation (cloud-synced folder; benign, not a deployment tool).";
    const int tag = m_s.addTransfer(tr);
    HostContext &sc = m_s.ctx(src);
    const Proc excel
        = m_s.start(src, us, sc.explorer(), "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
            "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" ");
    Event w = m_s.f(src).fileCreate(us + 90 * kSec, excel, tr.srcPath);
    w.add("User", excel.user);
    m_s.put(src, std::move(w), tag);
    HostContext &dc = m_s.ctx(dst);
    const Proc od
        = m_s.start(dst, us - 3600 * kSec, dc.explorer(), "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe",
            "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background");
    const int64_t arrive = us + 90 * kSec + static_cast<int64_t>(m_s.rng().range(20, 300)) * kSec;
    Event c = m_s.f(dst).fileCreate(arrive, od, tr.path);
    c.add("User", od.user);
    m_s.put(dst, std::move(c), tag);
    m_s.transfer(tag).utcUs = arrive + d.skewUs;
    m_s.stop(src, us + 600 * kSec, excel);
}

} // namespace tt::gen
