#include "timeline/HayabusaTables.h"

#include <cstring>
#include <string>
#include <unordered_map>

namespace tt::hayabusa {

namespace {

struct ChannelAbbr {
    const char *shortName;
    const char *channel;
};

// From Yamato-Security/hayabusa-rules config/channel_abbreviations.txt ("AppLocker" names four
// channels and is left as it is).
constexpr ChannelAbbr kChannels[] = {
    {"App", "Application"},
    {"DNS-Svr", "DNS Server"},
    {"KeyMgtSvc", "Key Management Service"},
    {"SvcBusCli", "Microsoft-ServiceBus-Client"},
    {"CodeInteg", "Microsoft-Windows-CodeIntegrity/Operational"},
    {"LDAP-Cli", "Microsoft-Windows-LDAP-Client/Debug"},
    {"BitsCli", "Microsoft-Windows-Bits-Client/Operational"},
    {"DHCP-Svr", "Microsoft-Windows-DHCP-Server/Operational"},
    {"DvrFmwk", "Microsoft-Windows-DriverFrameworks-UserMode/Operational"},
    {"NTLM", "Microsoft-Windows-NTLM/Operational"},
    {"SmbCliSec", "Microsoft-Windows-SmbClient/Security"},
    {"Sysmon", "Microsoft-Windows-Sysmon/Operational"},
    {"TaskSch", "Microsoft-Windows-TaskScheduler/Operational"},
    {"RDP-Cli", "Microsoft-Windows-TerminalServices-RDPClient/Operational"},
    {"RDP-CoreTS", "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational"},
    {"PrintAdm", "Microsoft-Windows-PrintService/Admin"},
    {"PrintOp", "Microsoft-Windows-PrintService/Operational"},
    {"PwSh", "Microsoft-Windows-PowerShell/Operational"},
    {"Defender", "Microsoft-Windows-Windows Defender/Operational"},
    {"Firewall", "Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"},
    {"WinRM", "Microsoft-Windows-WinRM/Operational"},
    {"WMI", "Microsoft-Windows-WMI-Activity/Operational"},
    {"Exchange", "MSExchange Management"},
    {"OpenSSH", "OpenSSH/Operational"},
    {"Sec", "Security"},
    {"Sys", "System"},
    {"PwShClassic", "Windows PowerShell"},
    {"Forwarding", "Microsoft-Windows-Forwarding/Operational"},
    {"GroupPolicy", "Microsoft-Windows-GroupPolicy/Operational"},
    {"UserProfileSvc", "Microsoft-Windows-User Profile Service/Operational"},
    {"KernelWHEA", "Microsoft-Windows-Kernel-WHEA/Operational"},
    {"RDS-GTW", "Microsoft-Windows-TerminalServices-Gateway/Operational"},
    {"RDS-RCM", "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"},
    {"RDS-LSM", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"},
    {"PwShCore", "PowerShellCore"},
};

constexpr const char *kSec = "Security";
constexpr const char *kSys = "System";
constexpr const char *kSysmon = "Microsoft-Windows-Sysmon/Operational";

struct KeyMap {
    const char *channel;
    int eventId;
    const char *key;
    const char *field;
};

// From Yamato-Security/hayabusa-rules config/default_details.txt (the Details of every Sigma
// rule; Hayabusa's own rules use the same abbreviations). Earlier spellings kept ("CmdLine" /
// "Path" for 4688, "Cmd" / "ParentCmd" for Sysmon 1). Only events the normaliser reads.
constexpr KeyMap kKeys[] = {
    {kSec, 4624, "Type", "LogonType"},
    {kSec, 4624, "TgtUser", "TargetUserName"},
    {kSec, 4624, "SrcComp", "WorkstationName"},
    {kSec, 4624, "SrcIP", "IpAddress"},
    {kSec, 4624, "LID", "TargetLogonId"},
    {kSec, 4625, "Type", "LogonType"},
    {kSec, 4625, "TgtUser", "TargetUserName"},
    {kSec, 4625, "SrcComp", "WorkstationName"},
    {kSec, 4625, "SrcIP", "IpAddress"},
    {kSec, 4625, "AuthPkg", "AuthenticationPackageName"},
    {kSec, 4625, "Proc", "ProcessName"},
    {kSec, 4648, "TgtUser", "TargetUserName"},
    {kSec, 4648, "SrcUser", "SubjectUserName"},
    {kSec, 4648, "SrcIP", "IpAddress"},
    {kSec, 4648, "Proc", "ProcessName"},
    {kSec, 4648, "TgtSvr", "TargetInfo"},
    {kSec, 4672, "TgtUser", "SubjectUserName"},
    {kSec, 4672, "LID", "SubjectLogonId"},
    {kSec, 4688, "Cmdline", "CommandLine"},
    {kSec, 4688, "CmdLine", "CommandLine"},
    {kSec, 4688, "Proc", "NewProcessName"},
    {kSec, 4688, "Path", "NewProcessName"},
    {kSec, 4688, "PID", "NewProcessId"},
    {kSec, 4688, "User", "SubjectUserName"},
    {kSec, 4688, "LID", "SubjectLogonId"},
    {kSec, 4697, "Svc", "ServiceName"},
    {kSec, 4697, "Path", "ServiceFileName"},
    {kSec, 4697, "User", "SubjectUserName"},
    {kSec, 4697, "SvcAcct", "ServiceAccount"},
    {kSec, 4697, "SvcType", "ServiceType"},
    {kSec, 4697, "SvcStartType", "ServiceStartType"},
    {kSec, 4697, "LID", "SubjectLogonId"},
    {kSec, 4663, "User", "SubjectUserName"},
    {kSec, 4663, "ObjSvr", "ObjectServer"},
    {kSec, 4663, "ObjName", "ObjectName"},
    {kSec, 4663, "ObjType", "ObjectType"},
    {kSec, 4663, "Proc", "ProcessName"},
    {kSec, 4663, "PID", "ProcessId"},
    {kSec, 4663, "HID", "HandleId"},
    {kSec, 4663, "LID", "SubjectLogonId"},
    {kSec, 4768, "TgtUser", "TargetUserName"},
    {kSec, 4768, "Svc", "ServiceName"},
    {kSec, 4768, "SrcIP", "IpAddress"},
    {kSec, 4768, "Status", "Status"},
    {kSec, 4768, "PreAuthType", "PreAuthType"},
    {kSec, 4769, "TgtUser", "TargetUserName"},
    {kSec, 4769, "Svc", "ServiceName"},
    {kSec, 4769, "SrcIP", "IpAddress"},
    {kSec, 4769, "Status", "Status"},
    {kSec, 4776, "TgtUser", "TargetUserName"},
    {kSec, 4776, "SrcComp", "Workstation"},
    {kSec, 4776, "Status", "Status"},
    {kSec, 5140, "SrcUser", "SubjectUserName"},
    {kSec, 5140, "ShareName", "ShareName"},
    {kSec, 5140, "SharePath", "ShareLocalPath"},
    {kSec, 5140, "SrcIP", "IpAddress"},
    {kSec, 5140, "LID", "SubjectLogonId"},
    {kSec, 5142, "User", "SubjectUserName"},
    {kSec, 5142, "ShareName", "ShareName"},
    {kSec, 5142, "ShareLocalPath", "ShareLocalPath"},
    {kSec, 5142, "LID", "SubjectLogonId"},
    {kSec, 5145, "SrcUser", "SubjectUserName"},
    {kSec, 5145, "ShareName", "ShareName"},
    {kSec, 5145, "SharePath", "ShareLocalPath"},
    {kSec, 5145, "Path", "RelativeTargetName"},
    {kSec, 5145, "SrcIP", "IpAddress"},
    {kSec, 5145, "LID", "SubjectLogonId"},
    {kSys, 7045, "Svc", "ServiceName"},
    {kSys, 7045, "Path", "ImagePath"},
    {kSys, 7045, "Acct", "AccountName"},
    {kSys, 7045, "StartType", "StartType"},
    {kSysmon, 1, "Cmdline", "CommandLine"},
    {kSysmon, 1, "Cmd", "CommandLine"},
    {kSysmon, 1, "Proc", "Image"},
    {kSysmon, 1, "User", "User"},
    {kSysmon, 1, "ParentCmdline", "ParentCommandLine"},
    {kSysmon, 1, "ParentCmd", "ParentCommandLine"},
    {kSysmon, 1, "LID", "LogonId"},
    {kSysmon, 1, "LGUID", "LogonGuid"},
    {kSysmon, 1, "PID", "ProcessId"},
    {kSysmon, 1, "PGUID", "ProcessGuid"},
    {kSysmon, 1, "ParentPID", "ParentProcessId"},
    {kSysmon, 1, "ParentPGUID", "ParentProcessGuid"},
    {kSysmon, 1, "Description", "Description"},
    {kSysmon, 1, "Product", "Product"},
    {kSysmon, 1, "Company", "Company"},
    {kSysmon, 1, "Hashes", "Hashes"},
    {kSysmon, 3, "Initiated", "Initiated"},
    {kSysmon, 3, "Proto", "Protocol"},
    {kSysmon, 3, "SrcIP", "SourceIp"},
    {kSysmon, 3, "SrcPort", "SourcePort"},
    {kSysmon, 3, "SrcHost", "SourceHostname"},
    {kSysmon, 3, "TgtIP", "DestinationIp"},
    {kSysmon, 3, "TgtPort", "DestinationPort"},
    {kSysmon, 3, "TgtHost", "DestinationHostname"},
    {kSysmon, 3, "User", "User"},
    {kSysmon, 3, "Proc", "Image"},
    {kSysmon, 3, "PID", "ProcessId"},
    {kSysmon, 3, "PGUID", "ProcessGuid"},
    {kSysmon, 5, "Proc", "Image"},
    {kSysmon, 5, "PID", "ProcessId"},
    {kSysmon, 5, "PGUID", "ProcessGuid"},
    {kSysmon, 11, "Path", "TargetFilename"},
    {kSysmon, 11, "Proc", "Image"},
    {kSysmon, 11, "PID", "ProcessId"},
    {kSysmon, 11, "PGUID", "ProcessGuid"},
    {kSysmon, 15, "Path", "TargetFilename"},
    {kSysmon, 15, "Proc", "Image"},
    {kSysmon, 15, "PID", "ProcessId"},
    {kSysmon, 15, "PGUID", "ProcessGuid"},
    {kSysmon, 15, "Hash", "Hash"},
    {kSysmon, 17, "Pipe", "PipeName"},
    {kSysmon, 17, "Proc", "Image"},
    {kSysmon, 17, "PID", "ProcessId"},
    {kSysmon, 17, "PGUID", "ProcessGuid"},
    {kSysmon, 18, "Pipe", "PipeName"},
    {kSysmon, 18, "Proc", "Image"},
    {kSysmon, 18, "PID", "ProcessId"},
    {kSysmon, 18, "PGUID", "ProcessGuid"},
    {kSysmon, 22, "Query", "QueryName"},
    {kSysmon, 22, "Result", "QueryResults"},
    {kSysmon, 22, "Proc", "Image"},
    {kSysmon, 22, "PID", "ProcessId"},
    {kSysmon, 22, "PGUID", "ProcessGuid"},
    {kSysmon, 23, "Path", "TargetFilename"},
    {kSysmon, 23, "Proc", "Image"},
    {kSysmon, 23, "User", "User"},
    {kSysmon, 23, "PID", "ProcessId"},
    {kSysmon, 23, "PGUID", "ProcessGuid"},
    {kSysmon, 26, "Path", "TargetFilename"},
    {kSysmon, 26, "Proc", "Image"},
    {kSysmon, 26, "User", "User"},
    {kSysmon, 26, "PID", "ProcessId"},
    {kSysmon, 26, "PGUID", "ProcessGuid"},
};

std::string keyOf(std::string_view channel, int eventId, std::string_view key)
{
    std::string k = std::to_string(eventId);
    k += '|';
    k.append(channel);
    k += '|';
    k.append(key);
    return k;
}

const std::unordered_map<std::string, std::string_view> &keyTable()
{
    static const auto *t = [] {
        auto *m = new std::unordered_map<std::string, std::string_view>();
        for (const KeyMap &e : kKeys)
            m->emplace(keyOf(e.channel, e.eventId, e.key), e.field);
        return m;
    }();
    return *t;
}

struct ValueMap {
    const char *shown;
    const char *original;
};

constexpr ValueMap kAccessList[] = {
    {"DELETE", "%%1537"},
    {"READ_CONTROL", "%%1538"},
    {"WRITE_DAC", "%%1539"},
    {"WRITE_OWNER", "%%1540"},
    {"SYNCHRONIZE", "%%1541"},
    {"ACCESS_SYS_SEC", "%%1542"},
    {"READ_DATA", "%%4416"},
    {"WRITE_DATA", "%%4417"},
    {"APPEND_DATA", "%%4418"},
    {"READ_EXTENDED_ATTRIBUTES", "%%4419"},
    {"WRITE_EXTENDED_ATTRIBUTES", "%%4420"},
    {"EXECUTE/TRAVERSE", "%%4421"},
    {"DELETE_CHILD", "%%4422"},
    {"READ_ATTRIBUTES", "%%4423"},
    {"WRITE_ATTRIBUTES", "%%4424"},
};
constexpr ValueMap kYesNo[] = {{"YES", "%%1842"}, {"NO", "%%1843"}};
constexpr ValueMap kMandatoryLabel[] = {
    {"UNTRUSTED", "S-1-16-0"},
    {"LOW_INTEGRITY", "S-1-16-4096"},
    {"MEDIUM_INTEGRITY", "S-1-16-8192"},
    {"MEDIUM_HIGH_INTEGRITY", "S-1-16-8448"},
    {"HIGH_INTEGRITY", "S-1-16-12288"},
    {"SYSTEM_INTEGRITY", "S-1-16-16384"},
    {"PROTECTED_PROCESS", "S-1-16-20480"},
};
constexpr ValueMap kTokenElevation[]
    = {{"FULL_TOKEN", "%%1936"}, {"ELEVATED_TOKEN", "%%1937"}, {"LIMITED_TOKEN", "%%1938"}};

template<size_t N> const char *lookup(const ValueMap (&table)[N], std::string_view shown)
{
    for (const ValueMap &v : table)
        if (shown == v.shown)
            return v.original;
    return nullptr;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
} // namespace

std::string_view channelFromAbbreviation(std::string_view shortName)
{
    for (const ChannelAbbr &c : kChannels)
        if (shortName == c.shortName)
            return c.channel;
    return {};
}

std::string_view fieldFromDetailsKey(std::string_view channel, int eventId, std::string_view key)
{
    const auto &t = keyTable();
    auto it = t.find(keyOf(channel, eventId, key));
    return it == t.end() ? std::string_view() : it->second;
}

bool originalValue(
    std::string_view channel, int eventId, std::string_view field, std::string_view value, std::string &out)
{
    if (channel != kSec)
        return false;
    if ((eventId == 4624 || eventId == 4625) && field == "LogonType") {
        // "3 - NETWORK" -> "3"
        size_t i = 0;
        while (i < value.size() && value[i] >= '0' && value[i] <= '9')
            ++i;
        if (i == 0 || value.substr(i, 3) != " - ")
            return false;
        out.assign(value.substr(0, i));
        return true;
    }
    if ((eventId == 5140 || eventId == 5145) && field == "AccessList") {
        // Names separated by white space; every token must be one of them.
        std::string r;
        size_t i = 0;
        bool any = false;
        while (i < value.size()) {
            while (i < value.size() && isSpace(value[i]))
                ++i;
            size_t j = i;
            while (j < value.size() && !isSpace(value[j]))
                ++j;
            if (j == i)
                break;
            const char *orig = lookup(kAccessList, value.substr(i, j - i));
            if (!orig)
                return false;
            if (any)
                r += ' ';
            r += orig;
            any = true;
            i = j;
        }
        if (!any)
            return false;
        out = std::move(r);
        return true;
    }
    const char *orig = nullptr;
    if (eventId == 4624 && (field == "ElevatedToken" || field == "VirtualAccount" || field == "RestrictedAdminMode"))
        orig = lookup(kYesNo, value);
    else if (eventId == 4688 && field == "MandatoryLabel")
        orig = lookup(kMandatoryLabel, value);
    else if (eventId == 4688 && field == "TokenElevationType")
        orig = lookup(kTokenElevation, value);
    if (!orig)
        return false;
    out.assign(orig);
    return true;
}

} // namespace tt::hayabusa
