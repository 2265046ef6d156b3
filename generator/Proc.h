#pragma once

// A Windows process as the generator tracks it, so that every Sysmon 1 / 4688 names a real
// parent (ProcessGuid / ParentProcessGuid and NewProcessId / ProcessId agree across events).

#include <cstdint>
#include <string>

namespace tt::gen {

struct Proc {
    std::string image; // C:\Windows\System32\cmd.exe
    std::string cmd; // command line
    std::string guid; // {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}
    std::string user; // HALCYON\mreyes or NT AUTHORITY\SYSTEM
    std::string userSid;
    std::string subjectName; // 4688 Subject: account name (user or HOST$)
    std::string subjectDomain; // 4688 Subject: domain
    std::string logonGuid;
    std::string integrity = "Medium";
    std::string curDir = "C:\\Windows\\system32\\";
    uint64_t logonId = 0x3e7;
    uint32_t pid = 0;
    int session = 0;
};

} // namespace tt::gen
