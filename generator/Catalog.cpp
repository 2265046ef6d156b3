#include "Catalog.h"

#include <cctype>
#include <cstdint>

namespace tt::gen {

namespace {

struct Entry {
    const char *file;
    ImageInfo info;
};

#define WINVER_ "10.0.19041.1 (WinBuild.160101.0800)"
#define MSWIN_ "Microsoft\xc2\xae Windows\xc2\xae Operating System"
#define MSC_ "Microsoft Corporation"
const Entry kEntries[] = {
    {"cmd.exe", {WINVER_, "Windows Command Processor", MSWIN_, MSC_, "Cmd.Exe"}},
    {"powershell.exe", {WINVER_, "Windows PowerShell", MSWIN_, MSC_, "PowerShell.EXE"}},
    {"conhost.exe", {WINVER_, "Console Window Host", MSWIN_, MSC_, "CONHOST.EXE"}},
    {"svchost.exe", {WINVER_, "Host Process for Windows Services", MSWIN_, MSC_, "svchost.exe"}},
    {"taskhostw.exe", {WINVER_, "Host Process for Windows Tasks", MSWIN_, MSC_, "taskhostw.exe"}},
    {"backgroundtaskhost.exe", {WINVER_, "Background Task Host", MSWIN_, MSC_, "backgroundTaskHost.exe"}},
    {"runtimebroker.exe", {WINVER_, "Runtime Broker", MSWIN_, MSC_, "RuntimeBroker.exe"}},
    {"wmiprvse.exe", {WINVER_, "WMI Provider Host", MSWIN_, MSC_, "Wmiprvse.exe"}},
    {"compattelrunner.exe", {WINVER_, "Microsoft Compatibility Telemetry", MSWIN_, MSC_, "CompatTelRunner.exe"}},
    {"sppsvc.exe", {WINVER_, "Microsoft Software Protection Platform Service", MSWIN_, MSC_, "sppsvc.exe"}},
    {"wermgr.exe", {WINVER_, "Windows Problem Reporting", MSWIN_, MSC_, "wermgr.exe"}},
    {"searchprotocolhost.exe",
        {WINVER_, "Microsoft Windows Search Protocol Host", MSWIN_, MSC_, "SearchProtocolHost.exe"}},
    {"ipconfig.exe", {WINVER_, "IP Configuration Utility", MSWIN_, MSC_, "ipconfig.exe"}},
    {"ping.exe", {WINVER_, "TCP/IP Ping Command", MSWIN_, MSC_, "ping.exe"}},
    {"whoami.exe", {WINVER_, "whoami - displays logged on user information", MSWIN_, MSC_, "whoami.exe"}},
    {"tasklist.exe", {WINVER_, "Lists the current running tasks", MSWIN_, MSC_, "tasklist.exe"}},
    {"net.exe", {WINVER_, "Net Command", MSWIN_, MSC_, "net.exe"}},
    {"net1.exe", {WINVER_, "Net Command", MSWIN_, MSC_, "net1.exe"}},
    {"nltest.exe", {WINVER_, "Microsoft\xc2\xae Logon Server Test Utility", MSWIN_, MSC_, "nltestrk.exe"}},
    {"robocopy.exe", {WINVER_, "Microsoft Robocopy", MSWIN_, MSC_, "robocopy.exe"}},
    {"xcopy.exe", {WINVER_, "Extended Copy Utility", MSWIN_, MSC_, "XCOPY.EXE"}},
    {"wmic.exe", {WINVER_, "WMI Commandline Utility", MSWIN_, MSC_, "wmic.exe"}},
    {"schtasks.exe", {WINVER_, "Task Scheduler Configuration Tool", MSWIN_, MSC_, "schtasks.exe"}},
    {"mstsc.exe", {WINVER_, "Remote Desktop Connection", MSWIN_, MSC_, "mstsc.exe"}},
    {"gpupdate.exe", {WINVER_, "Microsoft\xc2\xae Windows\xc2\xae GPUpdate", MSWIN_, MSC_, "gpupdate.exe"}},
    {"msiexec.exe",
        {"5.0.19041.1 (WinBuild.160101.0800)", "Windows\xc2\xae installer", "Windows Installer - Unicode", MSC_,
            "msiexec.exe"}},
    {"tiworker.exe", {WINVER_, "Windows Modules Installer Worker", MSWIN_, MSC_, "TiWorker.exe"}},
    {"notepad.exe", {WINVER_, "Notepad", MSWIN_, MSC_, "NOTEPAD.EXE"}},
    {"explorer.exe", {WINVER_, "Windows Explorer", MSWIN_, MSC_, "EXPLORER.EXE"}},
    {"mpcmdrun.exe",
        {"4.18.23090.2008 (WinBuild.160101.0800)", "Microsoft Malware Protection Command Line Utility", MSWIN_, MSC_,
            "MpCmdRun.exe"}},
    {"chrome.exe", {"119.0.6045.124", "Google Chrome", "Google Chrome", "Google LLC", "chrome.exe"}},
    {"msedge.exe", {"119.0.2151.58", "Microsoft Edge", "Microsoft Edge", MSC_, "msedge.exe"}},
    {"outlook.exe", {"16.0.16924.20150", "Microsoft Outlook", "Microsoft Outlook", MSC_, "Outlook.exe"}},
    {"winword.exe", {"16.0.16924.20150", "Microsoft Word", "Microsoft Office", MSC_, "WinWord.exe"}},
    {"excel.exe", {"16.0.16924.20150", "Microsoft Excel", "Microsoft Office", MSC_, "Excel.exe"}},
    {"ms-teams.exe", {"23285.3604.2469.4152", "Microsoft Teams", "Microsoft Teams", MSC_, "ms-teams.exe"}},
    {"acrord32.exe",
        {"23.6.20360.0", "Adobe Acrobat Reader", "Adobe Acrobat Reader", "Adobe Systems Incorporated", "AcroRd32.exe"}},
    {"sqlcmd.exe", {"2019.0150.2000.05", "T-SQL execution utility", "Microsoft SQL Server", MSC_, "sqlcmd.exe"}},
    {"procmon64.exe",
        {"3.96", "Process Monitor", "Sysinternals Process Monitor", "Sysinternals - www.sysinternals.com", "procmon"}},
    {"autoruns64.exe",
        {"14.10", "Autostart program viewer", "Sysinternals autoruns", "Sysinternals - www.sysinternals.com",
            "autoruns.exe"}},
    {"bginfo64.exe", {"4.32", "Background Info", "BgInfo", "Sysinternals - www.sysinternals.com", "BgInfo.exe"}},
    {"psexec.exe",
        {"2.43", "Execute processes remotely", "Sysinternals PsExec", "Sysinternals - www.sysinternals.com",
            "psexec.c"}},
    {"psexesvc.exe",
        {"2.43", "PsExec Service", "Sysinternals PsExec", "Sysinternals - www.sysinternals.com", "psexesvc.exe"}},
    {"code.exe", {"1.84.2", "Visual Studio Code", "Visual Studio Code", MSC_, "electron.exe"}},
    {"git.exe", {"2.42.0.2", "Git for Windows", "Git", "The Git Development Community", "git.exe"}},
};

bool iequals(std::string_view a, const char *b)
{
    size_t i = 0;
    for (; i < a.size() && b[i]; ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != b[i])
            return false;
    return i == a.size() && !b[i];
}

uint64_t fnv(std::string_view s, uint64_t h)
{
    for (char c : s)
        h = (h ^ static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)))) * 0x100000001b3ULL;
    return h;
}

void appendHex(std::string &out, std::string_view key, uint64_t salt, int nibbles)
{
    static const char d[] = "0123456789ABCDEF";
    uint64_t h = fnv(key, 0xcbf29ce484222325ULL ^ salt);
    for (int i = 0; i < nibbles; ++i) {
        if (i % 16 == 0)
            h = fnv(key, h + static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
        out.push_back(d[(h >> ((i % 16) * 4)) & 15]);
    }
}

} // namespace

ImageInfo Catalog::info(std::string_view image)
{
    const std::string_view file = fileName(image);
    for (const Entry &e : kEntries)
        if (iequals(file, e.file))
            return e.info;
    return {"-", "-", "-", "-", "-"};
}

std::string Catalog::hashes(std::string_view key)
{
    std::string s;
    s.reserve(200);
    s.append("SHA1=");
    appendHex(s, key, 1, 40);
    s.append(",MD5=");
    appendHex(s, key, 2, 32);
    s.append(",SHA256=");
    appendHex(s, key, 3, 64);
    s.append(",IMPHASH=");
    appendHex(s, key, 4, 32);
    return s;
}

} // namespace tt::gen
