#include "core/Normalizer.h"

#include "core/Integer.h"
#include "core/JsonText.h"
#include "core/RawEvent.h"
#include "esxi/EsxiNormalizer.h"
#include "linux/LinuxNormalizer.h"
#include "linux/SyslogAuthParser.h"
#include "macos/MacNormalizer.h"
#include "store/CaseWriter.h"
#include "store/HostName.h"
#include "store/ImageLoadBackfill.h"
#include "zeek/ZeekNormalizer.h"

#include <charconv>

namespace tt {

using store::kNoValue;

namespace {
bool ieq(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = static_cast<char>(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

std::string_view dashToEmpty(std::string_view v)
{
    return v == "-" ? std::string_view() : v;
}

// "C:\x\y.exe" stays; "\??\C:\" stays; empties and "-" become empty.
std::string_view clean(std::string_view v)
{
    return dashToEmpty(v);
}

bool isTrue(std::string_view v)
{
    return ieq(v, "true") || v == "1";
}

// "172.18.39.5:3389" / "[fe80::1]:3389" -> address and port.
void splitAddrPort(std::string_view in, std::string &addr, int64_t &port)
{
    addr.clear();
    port = kNoValue;
    if (in.empty())
        return;
    if (in.front() == '[') {
        auto close = in.find(']');
        if (close == std::string_view::npos)
            return;
        addr = std::string(in.substr(1, close - 1));
        if (close + 2 < in.size() && in[close + 1] == ':')
            port = Normalizer::parseInteger(in.substr(close + 2));
        return;
    }
    auto colon = in.rfind(':');
    if (colon != std::string_view::npos && in.find(':') == colon) {
        addr = std::string(in.substr(0, colon));
        port = Normalizer::parseInteger(in.substr(colon + 1));
    } else {
        addr = std::string(in);
    }
}
// "/C:/Users/x/a.exe" (how Windows sftp-server names files) -> "C:\\Users\\x\\a.exe".
std::string windowsSftpPath(std::string_view p)
{
    if (p.size() < 3 || p[0] != '/' || p[2] != ':')
        return std::string(p);
    std::string out(p.substr(1));
    for (char &ch : out)
        if (ch == '/')
            ch = '\\';
    return out;
}

// Windows OpenSSH logs sshd's and sftp-server's lines as events (OpenSSH/Operational, event data
// `process` + `payload`): they are read as the sshd log lines they are (importers/linux), with
// sftp-server's paths in Windows form.
void windowsOpenSsh(store::CaseWriter &w, const RawEvent &ev, int64_t eventRow, int64_t host)
{
    std::string_view process = ev.field("process");
    if (process.size() > 4 && ieq(process.substr(process.size() - 4), ".exe"))
        process.remove_suffix(4);
    RawEvent line;
    line.timeUs = ev.timeUs;
    line.timeSource = ev.timeSource;
    line.computer = ev.computer;
    linuxlog::classifyMessage(line, process, {}, ev.field("payload"));
    if (line.channel != "linux:sshd")
        return;
    for (Field &f : line.fields)
        if (f.name == "path")
            f.value = windowsSftpPath(f.value);
    LinuxNormalizer(w).normalise(line, eventRow, host);
}
} // namespace

Normalizer::Normalizer(store::CaseWriter &writer)
    : m_w(writer)
{
}
Normalizer::~Normalizer() = default;

int64_t Normalizer::parseInteger(std::string_view v)
{
    int64_t out = 0;
    return integer::parseInt64(v, out, integer::Hex::Allowed) ? out : kNoValue;
}

std::string Normalizer::normaliseLogonId(std::string_view v)
{
    int64_t n = parseInteger(v);
    if (n == kNoValue)
        return std::string(dashToEmpty(v));
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<uint64_t>(n), 16);
    return "0x" + std::string(buf, r.ptr);
}

std::string Normalizer::normaliseGuid(std::string_view v)
{
    return store::normaliseGuid(v);
}

void Normalizer::renderPayload(const RawEvent &ev, std::string &out)
{
    out.clear();
    out += "{\"System\":{";
    bool first = true;
    auto add = [&](std::string_view k, std::string_view v) {
        if (!first)
            out.push_back(',');
        first = false;
        json::appendString(out, k);
        out.push_back(':');
        json::appendString(out, v);
    };
    if (!ev.provider.empty())
        add("Provider", ev.provider);
    add("EventID", std::to_string(ev.eventId));
    if (ev.recordId >= 0)
        add("EventRecordID", std::to_string(ev.recordId));
    if (!ev.channel.empty())
        add("Channel", ev.channel);
    if (!ev.computer.empty())
        add("Computer", ev.computer);
    for (const Field &f : ev.system)
        add(f.name, f.value);
    out += "},\"EventData\":[";
    first = true;
    // An array of pairs keeps order and duplicates (both matter for some providers).
    for (const Field &f : ev.fields) {
        if (!first)
            out.push_back(',');
        first = false;
        out.push_back('[');
        json::appendString(out, f.name);
        out.push_back(',');
        json::appendString(out, f.value);
        out.push_back(']');
    }
    out += "]}";
}

Normalizer::Kind Normalizer::classify(const RawEvent &ev) const
{
    const std::string_view ch = ev.channel;
    if (ch == "Security")
        return Kind::Security;
    if (ch == "System")
        return Kind::System;
    if (ieq(ch, "Microsoft-Windows-Sysmon/Operational"))
        return Kind::Sysmon;
    if (ieq(ch, "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"))
        return Kind::RdpLsm;
    if (ieq(ch, "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"))
        return Kind::RdpRcm;
    if (ieq(ch, "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational"))
        return Kind::RdpCoreTs;
    if (ieq(ch, "security"))
        return Kind::Security;
    if (ch.starts_with("zeek:"))
        return Kind::Zeek;
    if (LinuxNormalizer::handles(ch))
        return Kind::Linux;
    if (EsxiNormalizer::handles(ch))
        return Kind::Esxi;
    if (MacNormalizer::handles(ch))
        return Kind::Mac;
    return Kind::Other;
}

int64_t Normalizer::accountFromQualified(std::string_view qualified, std::string_view sid)
{
    qualified = dashToEmpty(qualified);
    if (qualified.empty())
        return 0;
    auto bs = qualified.find('\\');
    if (bs != std::string_view::npos)
        return m_w.accountId(qualified.substr(0, bs), qualified.substr(bs + 1), sid);
    auto at = qualified.find('@');
    if (at != std::string_view::npos)
        return m_w.accountId(qualified.substr(at + 1), qualified.substr(0, at), sid);
    return m_w.accountId({}, qualified, sid);
}

int64_t Normalizer::primaryAccount(const RawEvent &ev, Kind kind)
{
    if (kind == Kind::Sysmon)
        return accountFromQualified(ev.field("User"));
    if (kind == Kind::Linux)
        return LinuxNormalizer(m_w).primaryAccount(ev);
    if (kind == Kind::Esxi)
        return EsxiNormalizer(m_w).primaryAccount(ev);
    if (kind == Kind::Mac)
        return MacNormalizer(m_w).primaryAccount(ev);
    // BITS jobs name their owner only as text (3 / 4 `jobOwner`, 4 `User`): the account a job
    // fetched a file for (inference bits-job, store/WindowsActivity).
    if (kind == Kind::Other && ieq(ev.channel, "Microsoft-Windows-Bits-Client/Operational"))
        return accountFromQualified(ev.hasField("jobOwner") ? ev.field("jobOwner") : ev.field("User"));
    if (kind == Kind::Security) {
        switch (ev.eventId) {
        case 4624:
        case 4625:
        case 4634:
        case 4647:
            return m_w.accountId(ev.field("TargetDomainName"), ev.field("TargetUserName"), ev.field("TargetUserSid"));
        default:
            break;
        }
        if (ev.hasField("SubjectUserName"))
            return m_w.accountId(
                ev.field("SubjectDomainName"), ev.field("SubjectUserName"), ev.field("SubjectUserSid"));
    }
    return 0;
}

int64_t Normalizer::store(const RawEvent &ev)
{
    const Kind kind = classify(ev);
    const int64_t host = m_w.hostId(ev.computer);
    store::EventRow row;
    row.ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    row.tsSource = static_cast<int>(ev.timeSource);
    row.hostId = host;
    row.channel = ev.channel;
    row.provider = ev.provider;
    row.eventId = ev.eventId;
    row.recordId = ev.recordId >= 0 ? ev.recordId : kNoValue;
    row.accountId = primaryAccount(ev, kind);
    row.position = ev.position;
    if (!ev.original.empty()) {
        row.payloadFormat = ev.originalFormat == "xml" ? 3 : 2;
        row.payload = ev.original;
    } else if (!ev.rendered.empty()) { // rendered on the parser's thread (ParsePipeline)
        row.payloadFormat = 1;
        row.payload = ev.rendered;
    } else {
        renderPayload(ev, m_payload);
        row.payloadFormat = 1;
        row.payload = m_payload;
    }
    const int64_t eventRow = m_w.insertEvent(row);
    if (kind == Kind::Zeek) { // a sensor's record: no host of its own (importers/zeek)
        if (!m_zeek)
            m_zeek = std::make_unique<ZeekNormalizer>(m_w);
        m_zeek->store(ev, eventRow);
        return eventRow;
    }
    if (!host)
        return eventRow;
    switch (kind) {
    case Kind::Security:
        security(ev, eventRow, host);
        break;
    case Kind::System:
        system(ev, eventRow, host);
        break;
    case Kind::Sysmon:
        sysmon(ev, eventRow, host);
        break;
    case Kind::RdpLsm:
    case Kind::RdpRcm:
    case Kind::RdpCoreTs:
        rdp(ev, kind, eventRow, host);
        break;
    case Kind::Linux:
        LinuxNormalizer(m_w).normalise(ev, eventRow, host);
        break;
    case Kind::Esxi:
        EsxiNormalizer(m_w).normalise(ev, eventRow, host);
        break;
    case Kind::Mac:
        MacNormalizer(m_w).normalise(ev, eventRow, host);
        break;
    case Kind::Other:
        if (ieq(ev.channel, "OpenSSH/Operational"))
            windowsOpenSsh(m_w, ev, eventRow, host);
        break;
    case Kind::Zeek:
        break;
    }
    return eventRow;
}

void Normalizer::security(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    const int64_t ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    auto subject = [&] {
        return m_w.accountId(ev.field("SubjectDomainName"), ev.field("SubjectUserName"), ev.field("SubjectUserSid"));
    };
    switch (ev.eventId) {
    case 4624:
    case 4625: {
        store::LogonRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.outcome = ev.eventId == 4624 ? "success" : "failure";
        r.origin = ev.eventId == 4624 ? "4624" : "4625";
        const std::string logonId = normaliseLogonId(ev.field("TargetLogonId"));
        r.logonId = logonId;
        r.logonType = parseInteger(ev.field("LogonType"));
        r.accountId
            = m_w.accountId(ev.field("TargetDomainName"), ev.field("TargetUserName"), ev.field("TargetUserSid"));
        const std::string ip = store::normaliseIp(dashToEmpty(ev.field("IpAddress")));
        r.sourceIp = ip;
        r.sourcePort = parseInteger(ev.field("IpPort"));
        if (r.sourcePort == 0)
            r.sourcePort = kNoValue;
        r.workstation = clean(ev.field("WorkstationName"));
        r.authPackage = clean(ev.field("AuthenticationPackageName"));
        r.logonProcess = clean(ev.field("LogonProcessName"));
        std::string_view elev = ev.field("ElevatedToken");
        if (!elev.empty())
            r.elevated = (elev == "%%1842" || isTrue(elev)) ? 1 : 0;
        m_w.insertLogon(r);
        // The remote workstation named itself and came from this address: evidence of its IP.
        // Anonymous NTLM null sessions write the literal name "NULL" (no machine of that name).
        if (ev.eventId == 4624 && !ip.empty() && !r.workstation.empty() && !ieq(r.workstation, "NULL")) {
            if (int64_t ws = m_w.hostId(r.workstation); ws && ws != host)
                m_w.noteAddress(ws, ip, "4624-workstation", ts, eventRow);
        }
        break;
    }
    case 4634:
    case 4647:
        m_w.endLogon(host, normaliseLogonId(ev.field("TargetLogonId")), ts);
        break;
    case 4672:
        m_w.markPrivileged(host, normaliseLogonId(ev.field("SubjectLogonId")));
        break;
    case 4648: {
        store::ExplicitLogonRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.subjectAccountId = subject();
        const std::string sl = normaliseLogonId(ev.field("SubjectLogonId"));
        r.subjectLogonId = sl;
        r.targetAccountId = m_w.accountId(ev.field("TargetDomainName"), ev.field("TargetUserName"), {});
        r.targetServer = clean(ev.field("TargetServerName"));
        r.targetInfo = clean(ev.field("TargetInfo"));
        const std::string ip = store::normaliseIp(dashToEmpty(ev.field("IpAddress")));
        r.ip = ip;
        r.port = parseInteger(ev.field("IpPort"));
        r.processImage = clean(ev.field("ProcessName"));
        r.pid = parseInteger(ev.field("ProcessId"));
        m_w.insertExplicitLogon(r);
        break;
    }
    case 4688: {
        store::ProcessRow r;
        r.event = eventRow;
        r.hostId = host;
        r.origin = "4688";
        r.pid = parseInteger(ev.field("NewProcessId"));
        r.image = clean(ev.field("NewProcessName"));
        r.commandLine = ev.field("CommandLine");
        r.parentPid = parseInteger(ev.field("ProcessId"));
        r.parentImage = clean(ev.field("ParentProcessName"));
        // Since Windows 10 the new process may run as another user (TargetUserName).
        std::string_view tu = dashToEmpty(ev.field("TargetUserName"));
        r.accountId
            = tu.empty() ? subject() : m_w.accountId(ev.field("TargetDomainName"), tu, ev.field("TargetUserSid"));
        const std::string lid = normaliseLogonId(tu.empty() ? ev.field("SubjectLogonId") : ev.field("TargetLogonId"));
        r.logonId = lid;
        r.startTs = ts;
        m_w.insertProcess(r);
        break;
    }
    case 4689:
        m_w.endProcessByPid(host, parseInteger(ev.field("ProcessId")), ts, eventRow);
        break;
    case 4697: {
        store::ServiceInstallRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.origin = "4697";
        r.serviceName = ev.field("ServiceName");
        r.imagePath = ev.field("ServiceFileName");
        r.serviceType = ev.field("ServiceType");
        r.startType = ev.field("ServiceStartType");
        r.serviceAccount = ev.field("ServiceAccount");
        r.accountId = subject();
        m_w.insertServiceInstall(r);
        break;
    }
    case 4663: {
        std::string_view type = ev.field("ObjectType");
        if (!type.empty() && type != "File")
            break;
        store::FileEventRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.kind = "access";
        r.path = ev.field("ObjectName");
        r.image = clean(ev.field("ProcessName"));
        r.pid = parseInteger(ev.field("ProcessId"));
        r.accountId = subject();
        r.accessMask = parseInteger(ev.field("AccessMask"));
        m_w.insertFileEvent(r);
        break;
    }
    case 4768:
    case 4769:
    case 4771:
        m_w.noteDomainController(host); // only a KDC logs these
        break;
    case 5140:
    case 5142:
    case 5145: {
        // SYSVOL and NETLOGON are served by domain controllers.
        const std::string_view share = ev.field("ShareName");
        if (share.size() >= 6) {
            const std::string upper = store::toUpperAscii(share);
            if (upper.ends_with("\\SYSVOL") || upper.ends_with("\\NETLOGON"))
                m_w.noteDomainController(host);
        }
        store::ShareAccessRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.code = ev.eventId;
        r.shareName = ev.field("ShareName");
        r.sharePath = ev.field("ShareLocalPath");
        r.relativeTarget = ev.field("RelativeTargetName");
        r.accessMask = parseInteger(ev.field("AccessMask"));
        r.accessList = ev.field("AccessList");
        const std::string ip = store::normaliseIp(dashToEmpty(ev.field("IpAddress")));
        r.srcIp = ip;
        r.srcPort = parseInteger(ev.field("IpPort"));
        r.accountId = subject();
        const std::string lid = normaliseLogonId(ev.field("SubjectLogonId"));
        r.logonId = lid;
        m_w.insertShareAccess(r);
        break;
    }
    default:
        break;
    }
}

void Normalizer::system(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    if (ev.eventId != 7045)
        return;
    store::ServiceInstallRow r;
    r.event = eventRow;
    r.hostId = host;
    r.ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    r.origin = "7045";
    r.serviceName = ev.field("ServiceName");
    r.imagePath = ev.field("ImagePath");
    r.serviceType = ev.field("ServiceType");
    r.startType = ev.field("StartType");
    r.serviceAccount = ev.field("AccountName");
    // 7045 names no installing account (only a SID in System/Security, kept in the payload).
    m_w.insertServiceInstall(r);
}

void Normalizer::sysmon(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    // Sysmon's UtcTime is the moment of the action; the record time can lag behind it.
    const int64_t ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    switch (ev.eventId) {
    case 1: {
        store::ProcessRow r;
        r.event = eventRow;
        r.hostId = host;
        r.origin = "sysmon1";
        const std::string guid = normaliseGuid(ev.field("ProcessGuid"));
        const std::string pguid = normaliseGuid(ev.field("ParentProcessGuid"));
        const std::string lid = normaliseLogonId(ev.field("LogonId"));
        r.guid = guid;
        r.pid = parseInteger(ev.field("ProcessId"));
        r.image = clean(ev.field("Image"));
        r.commandLine = ev.field("CommandLine");
        r.currentDirectory = ev.field("CurrentDirectory");
        r.parentGuid = pguid;
        r.parentPid = parseInteger(ev.field("ParentProcessId"));
        r.parentImage = clean(ev.field("ParentImage"));
        r.accountId = accountFromQualified(ev.field("User"));
        r.logonId = lid;
        r.hashes = ev.field("Hashes");
        r.startTs = ts;
        m_w.insertProcess(r);
        break;
    }
    case 5:
        m_w.endProcessByGuid(host, normaliseGuid(ev.field("ProcessGuid")), ts, eventRow);
        break;
    case 3: {
        store::NetConnRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.protocol = ev.field("Protocol");
        std::string_view init = ev.field("Initiated");
        if (!init.empty())
            r.initiated = isTrue(init) ? 1 : 0;
        const std::string sip = store::normaliseIp(ev.field("SourceIp"));
        const std::string dip = store::normaliseIp(ev.field("DestinationIp"));
        r.srcIp = sip;
        r.srcPort = parseInteger(ev.field("SourcePort"));
        r.srcName = clean(ev.field("SourceHostname"));
        r.dstIp = dip;
        r.dstPort = parseInteger(ev.field("DestinationPort"));
        r.dstName = clean(ev.field("DestinationHostname"));
        r.image = clean(ev.field("Image"));
        const std::string guid = normaliseGuid(ev.field("ProcessGuid"));
        r.processGuid = guid;
        r.pid = parseInteger(ev.field("ProcessId"));
        r.accountId = accountFromQualified(ev.field("User"));
        m_w.insertNetConn(r);
        // The local end is this host's address; an inbound record whose ends are swapped or whose
        // ports do not say which end listens gives no address (never the remote one).
        switch (store::localEndOfConnection(r.initiated, r.protocol, r.srcPort, r.dstPort)) {
        case store::LocalEnd::Source:
            m_w.noteAddress(host, sip, "sysmon3-local", ts, eventRow);
            break;
        case store::LocalEnd::Destination:
            m_w.noteAddress(host, dip, "sysmon3-local", ts, eventRow);
            break;
        case store::LocalEnd::Unknown:
            break;
        }
        break;
    }
    case 7:
        // Image loads are the most frequent Sysmon record; only a module mapped straight from a
        // share (ImageLoaded \\host\share\..., a remote image load: its bytes crossed the
        // network) is normalised, as a file event of kind "image-load" (User: Sysmon >= 13.30).
        if (const std::string_view loaded = ev.field("ImageLoaded");
            store::isUncImagePath(loaded.data(), loaded.data() + loaded.size()))
            sysmonFileEvent(ev, eventRow, host, ts, "image-load", loaded, ev.field("Hashes"));
        break;
    case 11:
        sysmonFileEvent(ev, eventRow, host, ts, "create", ev.field("TargetFilename"), ev.field("Hashes"));
        break;
    case 15:
        sysmonFileEvent(ev, eventRow, host, ts, "stream", ev.field("TargetFilename"), ev.field("Hash"));
        break;
    case 23:
        sysmonFileEvent(ev, eventRow, host, ts, "delete", ev.field("TargetFilename"), ev.field("Hashes"));
        break;
    case 26:
        sysmonFileEvent(ev, eventRow, host, ts, "delete-detected", ev.field("TargetFilename"), ev.field("Hashes"));
        break;
    case 17:
        sysmonFileEvent(ev, eventRow, host, ts, "pipe-create", ev.field("PipeName"), ev.field("Hashes"));
        break;
    case 18:
        sysmonFileEvent(ev, eventRow, host, ts, "pipe-connect", ev.field("PipeName"), ev.field("Hashes"));
        break;
    case 22: {
        store::DnsQueryRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.query = ev.field("QueryName");
        r.results = ev.field("QueryResults");
        r.status = ev.field("QueryStatus");
        r.image = clean(ev.field("Image"));
        const std::string guid = normaliseGuid(ev.field("ProcessGuid"));
        r.processGuid = guid;
        m_w.insertDnsQuery(r);
        break;
    }
    default:
        break;
    }
}

void Normalizer::sysmonFileEvent(const RawEvent &ev, int64_t eventRow, int64_t host, int64_t ts, std::string_view kind,
    std::string_view path, std::string_view hashes)
{
    store::FileEventRow r;
    r.event = eventRow;
    r.hostId = host;
    r.ts = ts;
    r.kind = kind;
    r.path = path;
    r.image = clean(ev.field("Image"));
    const std::string guid = normaliseGuid(ev.field("ProcessGuid"));
    r.processGuid = guid;
    r.pid = parseInteger(ev.field("ProcessId"));
    r.accountId = accountFromQualified(ev.field("User"));
    r.hashes = hashes;
    m_w.insertFileEvent(r);
}

void Normalizer::rdp(const RawEvent &ev, Kind kind, int64_t eventRow, int64_t host)
{
    store::LogonRow r;
    r.event = eventRow;
    r.hostId = host;
    r.ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    r.logonType = 10;
    std::string addr;
    int64_t port = kNoValue;
    if (kind == Kind::RdpLsm) {
        // 21 logon, 22 shell start, 25 reconnection: UserData User / SessionID / Address.
        if (ev.eventId != 21 && ev.eventId != 22 && ev.eventId != 25)
            return;
        r.origin = "rdp-lsm";
        r.accountId = accountFromQualified(ev.field("User"));
        addr = store::normaliseIp(dashToEmpty(ev.field("Address")));
        r.sessionId = ev.field("SessionID");
    } else if (kind == Kind::RdpRcm) {
        // 1149: "User authentication succeeded": Param1 user, Param2 domain, Param3 address.
        if (ev.eventId != 1149)
            return;
        r.origin = "rdp-rcm";
        r.accountId = m_w.accountId(ev.field("Param2"), ev.field("Param1"), {});
        addr = store::normaliseIp(dashToEmpty(ev.field("Param3")));
    } else {
        // 131: "The server accepted a new TCP connection from client <ClientIP>".
        if (ev.eventId != 131)
            return;
        r.origin = "rdp-corets";
        splitAddrPort(ev.field("ClientIP"), addr, port);
        addr = store::normaliseIp(addr);
    }
    if (store::isUninformativeIp(addr))
        addr.clear(); // "LOCAL", loopback and similar are not addresses
    r.sourceIp = addr;
    r.sourcePort = port;
    m_w.insertLogon(r);
}

} // namespace tt
