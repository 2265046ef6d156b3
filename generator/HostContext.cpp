#include "HostContext.h"

#include "Catalog.h"

namespace tt::gen {

namespace {
const char kHex[] = "0123456789abcdef";
void hex(std::string &s, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; --i)
        s.push_back(kHex[(v >> (i * 4)) & 15]);
}
} // namespace

HostContext::HostContext(const Topology &topo, int host, uint64_t seed, int stream)
    : m_topo(topo)
    , m_host(topo.host(host))
    , m_rng(Rng::derive(seed, static_cast<uint64_t>(host) * 16 + static_cast<uint64_t>(stream)))
{
    m_pidBase = stream == 0 ? 1200 : 9000;
    m_guidCounter = stream == 0 ? 0x100 : 0x8000;
    m_logonCounter = (stream == 0 ? 0x1a0000ULL : 0x2c00000ULL) + m_rng.below(0x40000);
    m_guidSuffix = m_host.index % 3 == 0 ? "000000000800" : "000000000400";

    Rng boot(Rng::derive(seed, 0xb007 + static_cast<uint64_t>(host)));
    const int64_t bootUs = topo.startUs() - boot.range(2, 9) * 86400000000LL - boot.range(0, 86399) * 1000000LL;
    uint32_t savedCounter = m_guidCounter;
    m_guidCounter = 1;
    auto sysProc = [&](const char *image, const char *cmd, uint32_t pid, int64_t offSec) {
        Proc p;
        p.image = image;
        p.cmd = cmd;
        p.pid = pid;
        p.guid = processGuid(bootUs + offSec * 1000000);
        p.user = "NT AUTHORITY\\SYSTEM";
        p.userSid = "S-1-5-18";
        p.subjectName = Topology::machineAccount(m_host);
        p.subjectDomain = topo.netbios();
        p.logonGuid = logonGuid(bootUs, 0x3e7);
        p.integrity = "System";
        p.logonId = 0x3e7;
        return p;
    };
    m_system = sysProc("System", "", 4, 0);
    m_services
        = sysProc("C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe", m_host.servicesPid, 6);
    m_svcDcom = sysProc("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p",
        m_host.servicesPid + 156, 7);
    m_svcNetsvcs = sysProc("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p",
        m_host.servicesPid + 400 + 4 * static_cast<uint32_t>(boot.below(60)), 8);
    m_svcSchedule
        = sysProc("C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
            m_host.servicesPid + 800 + 4 * static_cast<uint32_t>(boot.below(60)), 9);
    m_svcTerm = sysProc("C:\\Windows\\System32\\svchost.exe",
        "C:\\Windows\\System32\\svchost.exe -k NetworkService -s TermService",
        m_host.servicesPid + 1100 + 4 * static_cast<uint32_t>(boot.below(60)), 10);
    m_svcTerm.user = "NT AUTHORITY\\NETWORK SERVICE";
    m_defender = sysProc("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23090.2008-0\\MsMpEng.exe",
        "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.23090.2008-0\\MsMpEng.exe\"",
        3000 + 4 * static_cast<uint32_t>(boot.below(200)), 12);
    // The primary user's explorer, from a logon on the first morning (or at boot for servers).
    const int acct = m_host.primaryUser;
    const uint64_t lid = 0x60000 + boot.below(0x100000);
    m_explorer = userProc(
        bootUs + 600 * 1000000LL, acct, lid, 1, "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", false);
    m_explorer.pid = 4000 + 4 * static_cast<uint32_t>(boot.below(400));
    m_guidCounter = savedCounter;
}

uint32_t HostContext::newPid()
{
    m_pidBase += 4 * static_cast<uint32_t>(1 + m_rng.below(24));
    if (m_pidBase > 60000)
        m_pidBase = 1000 + 4 * static_cast<uint32_t>(m_rng.below(100));
    return m_pidBase;
}

uint64_t HostContext::newLogonId()
{
    m_logonCounter += 1 + m_rng.below(0x900);
    return m_logonCounter;
}

std::string HostContext::processGuid(int64_t startUs)
{
    const uint64_t secs = static_cast<uint64_t>(startUs / 1000000);
    const uint32_t c = m_guidCounter++;
    std::string s;
    s.reserve(38);
    s.push_back('{');
    s.append(m_host.guidPrefix);
    s.push_back('-');
    hex(s, secs & 0xffff, 4);
    s.push_back('-');
    hex(s, (secs >> 16) & 0xffff, 4);
    s.push_back('-');
    hex(s, c & 0xff, 2); // little-endian counter, as Sysmon renders it
    hex(s, (c >> 8) & 0xff, 2);
    s.push_back('-');
    s.append(m_guidSuffix);
    s.push_back('}');
    return s;
}

std::string HostContext::logonGuid(int64_t us, uint64_t logonId) const
{
    const uint64_t secs = static_cast<uint64_t>(us / 1000000);
    std::string s;
    s.reserve(38);
    s.push_back('{');
    s.append(m_host.guidPrefix);
    s.push_back('-');
    hex(s, secs & 0xffff, 4);
    s.push_back('-');
    hex(s, (secs >> 16) & 0xffff, 4);
    s.push_back('-');
    for (int i = 0; i < 6; ++i) {
        hex(s, (logonId >> (8 * i)) & 0xff, 2);
        if (i == 1)
            s.push_back('-');
    }
    s.append("0000");
    s.push_back('}');
    return s;
}

const std::string &HostContext::hashes(const std::string &image)
{
    auto it = m_hashes.find(image);
    if (it == m_hashes.end())
        it = m_hashes.emplace(image, Catalog::hashes(image)).first;
    return it->second;
}

Proc HostContext::spawn(int64_t us, const Proc &parent, std::string image, std::string cmd, const Proc *asUser)
{
    const Proc &u = asUser ? *asUser : parent;
    Proc p;
    p.image = std::move(image);
    p.cmd = std::move(cmd);
    p.guid = processGuid(us);
    p.pid = newPid();
    p.user = u.user;
    p.userSid = u.userSid;
    p.subjectName = u.subjectName;
    p.subjectDomain = u.subjectDomain;
    p.logonGuid = u.logonGuid;
    p.logonId = u.logonId;
    p.integrity = u.integrity;
    p.session = u.session;
    p.curDir = parent.image == "C:\\Windows\\explorer.exe" ? "C:\\Users\\" + u.subjectName + "\\" : parent.curDir;
    if (p.user == "NT AUTHORITY\\SYSTEM")
        p.curDir = "C:\\Windows\\system32\\";
    return p;
}

Proc HostContext::systemProc(int64_t us, std::string image, std::string cmd)
{
    return spawn(us, m_system, std::move(image), std::move(cmd));
}

Proc HostContext::userProc(
    int64_t us, int account, uint64_t logonId, int session, std::string image, std::string cmd, bool elevated)
{
    const Account &a = m_topo.account(account);
    Proc p;
    p.image = std::move(image);
    p.cmd = std::move(cmd);
    p.guid = processGuid(us);
    p.pid = newPid();
    p.user = m_topo.domainOf(account, m_host) + '\\' + a.sam;
    p.userSid = m_topo.sidOf(account, m_host);
    p.subjectName = a.sam;
    p.subjectDomain = m_topo.domainOf(account, m_host);
    p.logonId = logonId;
    p.logonGuid = logonGuid(us, logonId);
    p.integrity = elevated ? "High" : "Medium";
    p.session = session;
    p.curDir = "C:\\Users\\" + a.sam + "\\";
    return p;
}

Logon HostContext::logonFor(int account, int type, int64_t us, bool kerberos)
{
    const Account &a = m_topo.account(account);
    Logon l;
    // A local account has no Kerberos: always NTLM, domain = this host's name.
    if (a.kind == AccountKind::LocalAdmin)
        kerberos = false;
    l.sam = a.sam;
    l.sid = m_topo.sidOf(account, m_host);
    l.domain = kerberos ? m_topo.dnsUpper() : m_topo.domainOf(account, m_host);
    l.authPackage = kerberos ? "Kerberos" : "NTLM";
    l.type = type;
    l.logonId = newLogonId();
    l.logonGuid = kerberos ? logonGuid(us, l.logonId) : std::string("{00000000-0000-0000-0000-000000000000}");
    l.privileged = a.privileged();
    return l;
}

Logon HostContext::machineLogon(const Host &from, int64_t us)
{
    Logon l;
    l.sam = Topology::machineAccount(from);
    l.sid = m_topo.machineSidOf(from);
    l.domain = m_topo.dnsUpper();
    l.type = 3;
    l.logonId = newLogonId();
    l.logonGuid = logonGuid(us, l.logonId);
    l.ip = from.ipAt(us);
    l.port = std::to_string(49152 + m_rng.below(16000));
    l.privileged = from.role == HostRole::DomainController;
    return l;
}

} // namespace tt::gen
