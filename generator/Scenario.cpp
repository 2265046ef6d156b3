#include "Scenario.h"

#include "AdminActivity.h"
#include "AttackChain.h"
#include "DeploymentActivity.h"
#include "EnterpriseActivity.h"
#include "LinuxActivity.h"
#include "PlatformActivity.h"
#include "RemotingActivity.h"

#include <algorithm>

namespace tt::gen {

namespace {
constexpr int64_t kMs = 1000;
}

Scenario::Scenario(const Topology &topo, uint64_t seed, int64_t startUs, int64_t endUs, int days, int hops,
    int64_t linuxBudget, bool deployment, bool procedures, bool platforms)
    : m_topo(topo)
    , m_rng(Rng::derive(seed, 0xa77ac))
    , m_startUs(startUs)
    , m_endUs(endUs)
    , m_days(days)
    , m_hops(std::clamp(hops, 0, topo.windowsCount() - 1))
    , m_deployment(deployment)
    , m_procedures(procedures)
{
    const size_t n = topo.hosts().size();
    m_events.resize(n);
    m_linux.resize(n);
    for (size_t i = 0; i < n; ++i) {
        m_ctx.push_back(std::make_unique<HostContext>(topo, static_cast<int>(i), seed, 1));
        m_factories.push_back(std::make_unique<EventFactory>(*m_ctx.back()));
    }
    AdminActivity(*this).run();
    if (m_hops > 0)
        AttackChain(*this).run();
    if (topo.windowsCount() < static_cast<int>(n))
        LinuxActivity(*this, seed, linuxBudget).run();
    // Last, so that everything before draws the same random numbers with or without it.
    if (m_deployment)
        DeploymentActivity(*this).run();
    if (m_procedures)
        RemotingActivity(*this).run(); // after deployment: both stay byte-identical when off
    if (platforms)
        PlatformActivity(*this).run(); // last, for the same reason
    if (topo.enterprise())
        EnterpriseActivity(*this).run(); // enterprise mode only: after everything else
    for (auto &v : m_events)
        std::sort(v.begin(), v.end(), [](const Event &a, const Event &b) { return b < a; });
    for (auto &v : m_linux)
        std::sort(v.begin(), v.end());
    std::sort(m_flows.begin(), m_flows.end(), [](const NetFlow &a, const NetFlow &b) { return a.us < b.us; });
}

int64_t Scenario::eventCount() const
{
    int64_t n = 0;
    for (const auto &v : m_events)
        n += static_cast<int64_t>(v.size());
    return n;
}

void Scenario::put(int host, Event &&e, int tag, Trap trap)
{
    e.seq = m_seq++;
    e.transfer = static_cast<int16_t>(tag);
    if (trap != Trap::None)
        e.trap = trap;
    m_events[static_cast<size_t>(host)].push_back(std::move(e));
}

void Scenario::putLinux(int host, LinuxRecord &&r)
{
    r.seq = m_seq++;
    m_linux[static_cast<size_t>(host)].push_back(std::move(r));
}

int Scenario::addFlow(NetFlow f)
{
    m_flows.push_back(std::move(f));
    return static_cast<int>(m_flows.size()) - 1;
}

int Scenario::addTransfer(Transfer t)
{
    m_transfers.push_back(std::move(t));
    return static_cast<int>(m_transfers.size()) - 1;
}

std::string Scenario::account(int a) const
{
    return m_topo.netbios() + '\\' + m_topo.account(a).sam;
}

Proc Scenario::start(
    int host, int64_t us, const Proc &parent, std::string image, std::string cmd, int tag, const Proc *asUser)
{
    Proc p = ctx(host).spawn(us, parent, std::move(image), std::move(cmd), asUser);
    put(host, f(host).processCreate(us, p, parent), tag);
    put(host, f(host).newProcess(us + static_cast<int64_t>(m_rng.below(300)) * kMs, p, parent), tag);
    return p;
}

void Scenario::stop(int host, int64_t us, const Proc &p)
{
    put(host, f(host).processEnd(us, p));
    put(host, f(host).processExit(us + 5 * kMs, p));
}

std::string Scenario::ephemeralPort()
{
    return std::to_string(49152 + m_rng.below(16300));
}

std::string Scenario::randomName(int minLen, int maxLen, bool mixedCase)
{
    const int n = static_cast<int>(m_rng.range(minLen, maxLen));
    std::string s;
    for (int i = 0; i < n; ++i) {
        char c = static_cast<char>('a' + m_rng.below(26));
        if (mixedCase && m_rng.chance(0.5))
            c = static_cast<char>(c - 'a' + 'A');
        s.push_back(c);
    }
    return s;
}

Scenario::Session Scenario::smbSession(int src, int dst, int64_t us, int acct, bool byIp, int tag, const Proc *srcProc)
{
    const Host &s = m_topo.host(src);
    const Host &d = m_topo.host(dst);
    Session out;
    out.srcPort = ephemeralPort();
    if (!byIp && srcProc)
        put(src, f(src).dnsQuery(us - 40 * kMs, *srcProc, d.fqdn, "::ffff:" + d.ipAt(us) + ';'), tag);
    put(src, f(src).networkConnect(us, ctx(src).system(), true, s.ipAt(us), out.srcPort, d.ipAt(us), "445"), tag);
    const int64_t arrive = us + static_cast<int64_t>(m_rng.range(2, 40)) * kMs;
    put(dst, f(dst).networkConnect(arrive, ctx(dst).system(), false, s.ipAt(us), out.srcPort, d.ipAt(us), "445"), tag);
    out.logon = ctx(dst).logonFor(acct, 3, arrive, !byIp);
    out.logon.ip = s.ipAt(us);
    out.logon.port = out.srcPort;
    if (byIp)
        out.logon.workstation = s.name;
    put(dst, f(dst).logon(arrive + 20 * kMs, out.logon), tag);
    NetFlow nf;
    nf.us = us + 2 * kMs;
    nf.durationUs = static_cast<int64_t>(m_rng.range(2000, 9000)) * kMs;
    nf.origIp = s.ipAt(us);
    nf.origPort = std::stoi(out.srcPort);
    nf.respIp = d.ipAt(us);
    nf.respPort = 445;
    nf.service = byIp ? "gssapi,smb,ntlm" : "gssapi,smb,krb";
    nf.origBytes = static_cast<int64_t>(m_rng.range(3000, 12000));
    nf.respBytes = static_cast<int64_t>(m_rng.range(2000, 9000));
    if (!byIp) {
        nf.krbClient = m_topo.account(acct).sam + '/' + m_topo.dnsUpper();
        nf.krbService = "cifs/" + d.fqdn;
        nf.krbKdc = m_topo.host(m_topo.dc()).ip;
        nf.dnsQuery = d.fqdn;
        nf.dnsAnswer = d.ipAt(us);
        nf.dnsServer = nf.krbKdc;
    }
    nf.transfer = static_cast<int16_t>(tag);
    out.flow = addFlow(std::move(nf));
    if (out.logon.privileged)
        put(dst, f(dst).specialPrivileges(arrive + 20 * kMs, out.logon));
    return out;
}

void Scenario::shareWrite(int dst, int64_t us, const Session &s, const std::string &share, const std::string &localPath,
    const std::string &rel, const std::string &fullPath, int tag, Trap trap)
{
    EventFactory &fd = f(dst);
    put(dst, fd.shareAccess(us, s.logon, share, localPath), tag, trap);
    const bool classic = m_rng.chance(0.5);
    put(dst, fd.shareCheck(us + 3 * kMs, s.logon, share, localPath, rel, classic ? 0x17019f : 0x13019f), tag, trap);
    put(dst, fd.shareCheck(us + 9 * kMs, s.logon, share, localPath, rel, 0x2), tag, trap);
    put(dst, fd.fileCreate(us + 11 * kMs, ctx(dst).system(), fullPath), tag, trap);
    if (s.flow >= 0) {
        NetFlow &nf = flow(s.flow);
        NetFile file;
        std::string host = m_topo.host(dst).name;
        file.share = share;
        if (file.share.size() > 3 && file.share[2] == '*')
            file.share = "\\\\" + host + file.share.substr(3);
        file.name = rel;
        file.us = us + 5 * kMs;
        file.size = static_cast<int64_t>(m_rng.range(60, 2400)) * 1024 + static_cast<int64_t>(m_rng.below(1024));
        file.transfer = static_cast<int16_t>(tag);
        nf.origBytes += file.size + file.size / 40;
        nf.files.push_back(std::move(file));
    }
}

void Scenario::logoff(int dst, int64_t us, const Session &s, int tag)
{
    put(dst, f(dst).logoff(us, s.logon), tag);
}

void Scenario::installService(
    int dst, int64_t us, const Session &s, int account, const std::string &name, const std::string &imagePath, int tag)
{
    Event sys = f(dst).serviceInstalled(us, s.logon, name, imagePath);
    sys.userSid = m_topo.account(account).sid;
    sys.userName = m_topo.account(account).sam;
    sys.userDomain = m_topo.netbios();
    put(dst, std::move(sys), tag);
    put(dst, f(dst).serviceInstalledSecurity(us, s.logon, name, imagePath), tag);
}

} // namespace tt::gen
