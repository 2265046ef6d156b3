#include "EventFactory.h"

#include "Catalog.h"
#include "TimeFormat.h"

namespace tt::gen {

namespace {
std::string sysmonTime(int64_t us)
{
    std::string s;
    s.reserve(24);
    TimeFormat::appendSysmon(s, us);
    return s;
}
const char *mandatoryLabel(const std::string &integrity)
{
    if (integrity == "System")
        return "S-1-16-16384";
    if (integrity == "High")
        return "S-1-16-12288";
    return "S-1-16-8192";
}
} // namespace

// Event times are true UTC; what a host records (UtcTime, EventTime) is its own clock, which is
// off by the host's skew: sysmonTime() renders the host clock.
Event EventFactory::processCreate(int64_t us, const Proc &c, const Proc &parent)
{
    Event e(us, Channel::Sysmon, 1);
    const ImageInfo info = Catalog::info(c.image);
    e.add("RuleName", "-")
        .add("UtcTime", sysmonTime(us + m_ctx.host().skewUs))
        .add("ProcessGuid", c.guid)
        .addInt("ProcessId", c.pid);
    e.add("Image", c.image).add("FileVersion", info.fileVersion).add("Description", info.description);
    e.add("Product", info.product).add("Company", info.company).add("OriginalFileName", info.originalFileName);
    e.add("CommandLine", c.cmd).add("CurrentDirectory", c.curDir).add("User", c.user).add("LogonGuid", c.logonGuid);
    e.add("LogonId", hexUpper(c.logonId)).addInt("TerminalSessionId", static_cast<uint64_t>(c.session));
    e.add("IntegrityLevel", c.integrity).add("Hashes", m_ctx.hashes(c.image));
    e.add("ParentProcessGuid", parent.guid).addInt("ParentProcessId", parent.pid).add("ParentImage", parent.image);
    e.add("ParentCommandLine", parent.cmd);
    return e;
}

Event EventFactory::networkConnect(int64_t us, const Proc &p, bool initiated, std::string_view srcIp,
    std::string_view srcPort, std::string_view dstIp, std::string_view dstPort)
{
    Event e(us, Channel::Sysmon, 3);
    e.add("RuleName", "-")
        .add("UtcTime", sysmonTime(us + m_ctx.host().skewUs))
        .add("ProcessGuid", p.guid)
        .addInt("ProcessId", p.pid);
    e.add("Image", p.image).add("User", p.user).add("Protocol", "tcp").add("Initiated", initiated ? "true" : "false");
    e.add("SourceIsIpv6", "false").add("SourceIp", srcIp).add("SourceHostname", "-").add("SourcePort", srcPort);
    e.add("SourcePortName", "-").add("DestinationIsIpv6", "false").add("DestinationIp", dstIp);
    e.add("DestinationHostname", "-").add("DestinationPort", dstPort);
    e.add("DestinationPortName", dstPort == "445" ? "microsoft-ds" : dstPort == "135" ? "epmap" : "-");
    return e;
}

Event EventFactory::processEnd(int64_t us, const Proc &p)
{
    Event e(us, Channel::Sysmon, 5);
    e.add("RuleName", "-")
        .add("UtcTime", sysmonTime(us + m_ctx.host().skewUs))
        .add("ProcessGuid", p.guid)
        .addInt("ProcessId", p.pid);
    e.add("Image", p.image);
    return e;
}

Event EventFactory::fileCreate(int64_t us, const Proc &p, std::string_view target)
{
    Event e(us, Channel::Sysmon, 11);
    const std::string t = sysmonTime(us + m_ctx.host().skewUs);
    e.add("RuleName", "-").add("UtcTime", t).add("ProcessGuid", p.guid).addInt("ProcessId", p.pid);
    e.add("Image", p.image).add("TargetFilename", target).add("CreationUtcTime", t);
    return e;
}

Event EventFactory::registrySet(int64_t us, const Proc &p, std::string_view key, std::string_view details)
{
    Event e(us, Channel::Sysmon, 13);
    e.add("RuleName", "-")
        .add("EventType", "SetValue")
        .add("UtcTime", sysmonTime(us + m_ctx.host().skewUs))
        .add("ProcessGuid", p.guid);
    e.addInt("ProcessId", p.pid).add("Image", p.image).add("TargetObject", key).add("Details", details);
    return e;
}

Event EventFactory::dnsQuery(int64_t us, const Proc &p, std::string_view name, std::string_view results)
{
    Event e(us, Channel::Sysmon, 22);
    e.add("RuleName", "-")
        .add("UtcTime", sysmonTime(us + m_ctx.host().skewUs))
        .add("ProcessGuid", p.guid)
        .addInt("ProcessId", p.pid);
    e.add("QueryName", name).add("QueryStatus", "0").add("QueryResults", results).add("Image", p.image);
    return e;
}

void EventFactory::subject(Event &e, const Proc &p)
{
    const bool system = p.userSid == "S-1-5-18";
    e.add("SubjectUserSid", p.userSid)
        .add("SubjectUserName", system ? Topology::machineAccount(m_ctx.host()) : p.subjectName);
    e.add("SubjectDomainName", p.subjectDomain).addHex("SubjectLogonId", p.logonId);
}

std::string EventFactory::netbiosDomain(const Logon &l) const
{
    // A Kerberos logon's 4624 names the DNS realm; the session's other records the NetBIOS
    // domain; a local account's records its host's own name.
    return l.domain.empty() || l.domain == m_ctx.topo().dnsUpper() ? m_ctx.topo().netbios() : l.domain;
}

void EventFactory::subject(Event &e, const Logon &l)
{
    e.add("SubjectUserSid", l.sid).add("SubjectUserName", l.sam).add("SubjectDomainName", netbiosDomain(l));
    e.addHex("SubjectLogonId", l.logonId);
}

Event EventFactory::newProcess(int64_t us, const Proc &c, const Proc &parent)
{
    Event e(us, Channel::Security, 4688);
    subject(e, c);
    e.addHex("NewProcessId", c.pid).add("NewProcessName", c.image);
    e.add("TokenElevationType", c.integrity == "High" ? "%%1937" : c.integrity == "System" ? "%%1936" : "%%1938");
    e.addHex("ProcessId", parent.pid).add("CommandLine", c.cmd);
    e.add("TargetUserSid", "S-1-0-0")
        .add("TargetUserName", "-")
        .add("TargetDomainName", "-")
        .add("TargetLogonId", "0x0");
    e.add("ParentProcessName", parent.image).add("MandatoryLabel", mandatoryLabel(c.integrity));
    return e;
}

Event EventFactory::processExit(int64_t us, const Proc &p)
{
    Event e(us, Channel::Security, 4689);
    subject(e, p);
    e.add("Status", "0x0").addHex("ProcessId", p.pid).add("ProcessName", p.image);
    return e;
}

Event EventFactory::logon(int64_t us, const Logon &l, std::string_view procName, uint32_t pid)
{
    Event e(us, Channel::Security, 4624);
    const bool local = l.type == 2 || l.type == 10 || l.type == 11;
    if (local) {
        e.add("SubjectUserSid", "S-1-5-18").add("SubjectUserName", Topology::machineAccount(m_ctx.host()));
        e.add("SubjectDomainName", m_ctx.topo().netbios()).add("SubjectLogonId", "0x3e7");
    } else {
        e.add("SubjectUserSid", "S-1-0-0")
            .add("SubjectUserName", "-")
            .add("SubjectDomainName", "-")
            .add("SubjectLogonId", "0x0");
    }
    e.add("TargetUserSid", l.sid).add("TargetUserName", l.sam).add("TargetDomainName", l.domain);
    e.addHex("TargetLogonId", l.logonId).addInt("LogonType", static_cast<uint64_t>(l.type));
    const bool ntlm = l.authPackage == "NTLM";
    e.add("LogonProcessName", local ? "User32 " : ntlm ? "NtLmSsp " : "Kerberos");
    e.add("AuthenticationPackageName", local ? "Negotiate" : l.authPackage);
    e.add("WorkstationName", local ? m_ctx.host().name : l.workstation).add("LogonGuid", l.logonGuid);
    e.add("TransmittedServices", "-").add("LmPackageName", ntlm ? "NTLM V2" : "-").add("KeyLength", ntlm ? "128" : "0");
    if (pid)
        e.addHex("ProcessId", pid);
    else
        e.add("ProcessId", "0x0");
    e.add("ProcessName", procName).add("IpAddress", l.ip).add("IpPort", l.port).add("ImpersonationLevel", "%%1833");
    e.add("RestrictedAdminMode", l.type == 10 ? "%%1843" : "-").add("TargetOutboundUserName", "-");
    e.add("TargetOutboundDomainName", "-").add("VirtualAccount", "%%1843").add("TargetLinkedLogonId", "0x0");
    e.add("ElevatedToken", l.privileged ? "%%1842" : "%%1843");
    return e;
}

Event EventFactory::logonFailed(int64_t us, const Logon &l)
{
    Event e(us, Channel::Security, 4625);
    e.add("SubjectUserSid", "S-1-0-0")
        .add("SubjectUserName", "-")
        .add("SubjectDomainName", "-")
        .add("SubjectLogonId", "0x0");
    e.add("TargetUserSid", "S-1-0-0").add("TargetUserName", l.sam).add("TargetDomainName", l.domain);
    e.add("Status", "0xc000006d").add("FailureReason", "%%2313").add("SubStatus", "0xc000006a");
    e.addInt("LogonType", static_cast<uint64_t>(l.type)).add("LogonProcessName", "NtLmSsp ");
    e.add("AuthenticationPackageName", "NTLM").add("WorkstationName", l.workstation).add("TransmittedServices", "-");
    e.add("LmPackageName", "-").add("KeyLength", "0").add("ProcessId", "0x0").add("ProcessName", "-");
    e.add("IpAddress", l.ip).add("IpPort", l.port);
    return e;
}

Event EventFactory::logoff(int64_t us, const Logon &l)
{
    Event e(us, Channel::Security, 4634);
    e.add("TargetUserSid", l.sid).add("TargetUserName", l.sam).add("TargetDomainName", netbiosDomain(l));
    e.addHex("TargetLogonId", l.logonId).addInt("LogonType", static_cast<uint64_t>(l.type));
    return e;
}

Event EventFactory::explicitCredentials(
    int64_t us, const Proc &p, const Logon &target, std::string_view server, std::string_view info)
{
    Event e(us, Channel::Security, 4648);
    subject(e, p);
    e.add("LogonGuid", p.logonGuid)
        .add("TargetUserName", target.sam)
        .add("TargetDomainName", target.domain.empty() ? m_ctx.topo().netbios() : target.domain);
    e.add("TargetLogonGuid", "{00000000-0000-0000-0000-000000000000}").add("TargetServerName", server);
    e.add("TargetInfo", info)
        .addHex("ProcessId", p.pid)
        .add("ProcessName", p.image)
        .add("IpAddress", "-")
        .add("IpPort", "-");
    return e;
}

Event EventFactory::specialPrivileges(int64_t us, const Logon &l)
{
    Event e(us, Channel::Security, 4672);
    subject(e, l);
    e.add("PrivilegeList",
        "SeSecurityPrivilege\r\n\t\t\tSeBackupPrivilege\r\n\t\t\tSeRestorePrivilege\r\n\t\t\t"
        "SeTakeOwnershipPrivilege\r\n\t\t\tSeDebugPrivilege\r\n\t\t\tSeSystemEnvironmentPrivilege\r\n\t\t\t"
        "SeLoadDriverPrivilege\r\n\t\t\tSeImpersonatePrivilege\r\n\t\t\tSeDelegateSessionUserImpersonatePrivilege");
    return e;
}

Event EventFactory::objectAccess(
    int64_t us, const Proc &p, std::string_view objectType, std::string_view object, uint32_t mask)
{
    Event e(us, Channel::Security, 4663);
    subject(e, p);
    e.add("ObjectServer", "Security").add("ObjectType", objectType).add("ObjectName", object);
    e.addHex("HandleId", 0x200 + 4 * m_ctx.rng().below(400))
        .add("AccessList", accessList(mask))
        .addHex("AccessMask", mask);
    e.addHex("ProcessId", p.pid).add("ProcessName", p.image).add("ResourceAttributes", "-");
    return e;
}

Event EventFactory::serviceInstalledSecurity(int64_t us, const Logon &by, std::string_view name, std::string_view file)
{
    Event e(us, Channel::Security, 4697);
    subject(e, by);
    e.add("ServiceName", name).add("ServiceFileName", file).add("ServiceType", "0x10").add("ServiceStartType", "3");
    e.add("ServiceAccount", "LocalSystem");
    return e;
}

Event EventFactory::shareAccess(int64_t us, const Logon &l, std::string_view share, std::string_view localPath)
{
    Event e(us, Channel::Security, 5140);
    subject(e, l);
    e.add("ObjectType", "File").add("IpAddress", l.ip).add("IpPort", l.port).add("ShareName", share);
    e.add("ShareLocalPath", localPath).add("AccessMask", "0x1").add("AccessList", "%%4416\r\n\t\t\t\t");
    return e;
}

Event EventFactory::shareCheck(int64_t us, const Logon &l, std::string_view share, std::string_view localPath,
    std::string_view relTarget, uint32_t mask)
{
    Event e(us, Channel::Security, 5145);
    subject(e, l);
    e.add("ObjectType", "File").add("IpAddress", l.ip).add("IpPort", l.port).add("ShareName", share);
    e.add("ShareLocalPath", localPath).add("RelativeTargetName", relTarget).addHex("AccessMask", mask);
    e.add("AccessList", accessList(mask)).add("AccessReason", "-");
    return e;
}

Event EventFactory::taskCreated(
    int64_t us, const Logon &by, std::string_view name, std::string_view command, std::string_view arguments)
{
    Event e(us, Channel::Security, 4698);
    subject(e, by);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.2\" "
                      "xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n  <Triggers>\r\n"
                      "    <CalendarTrigger>\r\n      <StartBoundary>2015-07-15T20:35:13.2757294</StartBoundary>\r\n"
                      "      <Enabled>true</Enabled>\r\n      <ScheduleByDay>\r\n        <DaysInterval>1</DaysInterval>"
                      "\r\n      </ScheduleByDay>\r\n    </CalendarTrigger>\r\n  </Triggers>\r\n  <Principals>\r\n"
                      "    <Principal id=\"LocalSystem\">\r\n      <UserId>S-1-5-18</UserId>\r\n"
                      "      <RunLevel>HighestAvailable</RunLevel>\r\n    </Principal>\r\n  </Principals>\r\n"
                      "  <Actions Context=\"LocalSystem\">\r\n    <Exec>\r\n      <Command>";
    xml.append(command);
    xml.append("</Command>\r\n      <Arguments>");
    for (const char c : arguments) {
        if (c == '>')
            xml.append("&gt;");
        else if (c == '<')
            xml.append("&lt;");
        else if (c == '&')
            xml.append("&amp;");
        else
            xml.push_back(c);
    }
    xml.append("</Arguments>\r\n    </Exec>\r\n  </Actions>\r\n</Task>");
    e.add("TaskName", name).add("TaskContent", xml);
    return e;
}

namespace {
void bitsOwner(Event &e, const Proc &owner, const Topology &topo)
{
    e.userSid = owner.userSid;
    const size_t slash = owner.user.find('\\');
    e.userName = slash == std::string::npos ? owner.user : owner.user.substr(slash + 1);
    e.userDomain = slash == std::string::npos ? topo.netbios() : owner.user.substr(0, slash);
}
} // namespace

Event EventFactory::bitsJobCreated(int64_t us, const Proc &owner, std::string_view title, std::string_view jobId)
{
    Event e(us, Channel::BitsClient, 3);
    bitsOwner(e, owner, m_ctx.topo());
    e.add("jobTitle", title).add("jobId", jobId).add("jobOwner", owner.user).add("processPath", owner.image);
    e.addInt("processId", owner.pid);
    return e;
}

Event EventFactory::bitsTransfer(int64_t us, int id, const Proc &owner, std::string_view title, std::string_view jobId,
    std::string_view transferId, std::string_view url, uint64_t bytesTotal, uint64_t bytesTransferred)
{
    Event e(us, Channel::BitsClient, static_cast<uint16_t>(id));
    bitsOwner(e, owner, m_ctx.topo());
    e.add("transferId", transferId).add("name", title).add("Id", jobId).add("url", url).add("peer", "");
    e.add("fileTime", "2026-01-01T00:00:00.000000000Z").addInt("fileLength", bytesTotal);
    if (id == 60)
        e.add("hr", "0");
    e.addInt("bytesTotal", bytesTotal).addInt("bytesTransferred", bytesTransferred);
    e.addInt("bytesTransferredFromPeer", 0);
    return e;
}

Event EventFactory::serviceInstalled(int64_t us, const Logon &by, std::string_view name, std::string_view imagePath)
{
    Event e(us, Channel::System, 7045);
    (void)by; // the installing account is the event's Security UserID (see RecordWriter)
    e.add("ServiceName", name).add("ImagePath", imagePath).add("ServiceType", "user mode service");
    e.add("StartType", "demand start").add("AccountName", "LocalSystem");
    return e;
}

std::string_view EventFactory::accessList(uint32_t mask)
{
    switch (mask) {
    case 0x1:
        return "%%4416\r\n\t\t\t\t";
    case 0x2:
        return "%%4417\r\n\t\t\t\t";
    case 0x80:
        return "%%4423\r\n\t\t\t\t";
    case 0x100080:
        return "%%1541\r\n\t\t\t\t%%4423\r\n\t\t\t\t";
    case 0x120089:
        return "%%1538\r\n\t\t\t\t%%1541\r\n\t\t\t\t%%4416\r\n\t\t\t\t%%4419\r\n\t\t\t\t%%4423\r\n\t\t\t\t";
    case 0x12019f:
        return "%%1538\r\n\t\t\t\t%%1541\r\n\t\t\t\t%%4416\r\n\t\t\t\t%%4417\r\n\t\t\t\t%%4418\r\n\t\t\t\t"
               "%%4419\r\n\t\t\t\t%%4420\r\n\t\t\t\t%%4423\r\n\t\t\t\t%%4424\r\n\t\t\t\t";
    case 0x13019f:
    case 0x17019f:
        return "%%1537\r\n\t\t\t\t%%1538\r\n\t\t\t\t%%1541\r\n\t\t\t\t%%4416\r\n\t\t\t\t%%4417\r\n\t\t\t\t"
               "%%4418\r\n\t\t\t\t%%4419\r\n\t\t\t\t%%4420\r\n\t\t\t\t%%4423\r\n\t\t\t\t%%4424\r\n\t\t\t\t";
    default:
        return "%%4416\r\n\t\t\t\t";
    }
}

std::string EventFactory::hexUpper(uint64_t v)
{
    static const char d[] = "0123456789ABCDEF";
    char buf[20];
    int n = 0;
    do {
        buf[19 - n++] = d[v & 15];
        v >>= 4;
    } while (v);
    return "0x" + std::string(buf + 20 - n, static_cast<size_t>(n));
}

} // namespace tt::gen
