#pragma once

// Builds events with the data fields of the real providers, in manifest order:
// Sysmon 1/3/5/11/13/22, Security 4624/4625/4634/4648/4672/4688/4689/4697/4663/5140/5145,
// System 7045.

#include "Event.h"
#include "HostContext.h"

#include <string_view>

namespace tt::gen {

class EventFactory {
public:
    explicit EventFactory(HostContext &ctx)
        : m_ctx(ctx)
    {
    }

    // Sysmon
    Event processCreate(int64_t us, const Proc &child, const Proc &parent); // 1
    Event networkConnect(int64_t us, const Proc &p, bool initiated, std::string_view srcIp, std::string_view srcPort,
        std::string_view dstIp, std::string_view dstPort); // 3
    Event processEnd(int64_t us, const Proc &p); // 5
    Event fileCreate(int64_t us, const Proc &p, std::string_view target); // 11
    Event registrySet(int64_t us, const Proc &p, std::string_view key, std::string_view details); // 13
    Event dnsQuery(int64_t us, const Proc &p, std::string_view name, std::string_view results); // 22

    // Security
    Event newProcess(int64_t us, const Proc &child, const Proc &parent); // 4688
    Event processExit(int64_t us, const Proc &p); // 4689
    Event logon(int64_t us, const Logon &l, std::string_view procName = "-", uint32_t pid = 0); // 4624
    Event logonFailed(int64_t us, const Logon &l); // 4625
    Event logoff(int64_t us, const Logon &l); // 4634
    Event explicitCredentials(int64_t us, const Proc &p, const Logon &target, std::string_view server,
        std::string_view info); // 4648
    Event specialPrivileges(int64_t us, const Logon &l); // 4672
    Event objectAccess(int64_t us, const Proc &p, std::string_view objectType, std::string_view object,
        uint32_t mask); // 4663
    Event serviceInstalledSecurity(int64_t us, const Logon &by, std::string_view name, std::string_view file); // 4697
    Event shareAccess(int64_t us, const Logon &l, std::string_view share, std::string_view localPath); // 5140
    Event shareCheck(int64_t us, const Logon &l, std::string_view share, std::string_view localPath,
        std::string_view relTarget, uint32_t mask); // 5145
    Event taskCreated(int64_t us, const Logon &by, std::string_view name, std::string_view command,
        std::string_view arguments); // 4698 (TaskContent: the task XML the Schedule service was given)

    // Microsoft-Windows-Bits-Client/Operational: 3 (job created), 59 (transfer started), 60 (stopped).
    // The record's UserID is the job owner (userSid / userName / userDomain, as on System).
    Event bitsJobCreated(int64_t us, const Proc &owner, std::string_view title, std::string_view jobId);
    Event bitsTransfer(int64_t us, int id, const Proc &owner, std::string_view title, std::string_view jobId,
        std::string_view transferId, std::string_view url, uint64_t bytesTotal, uint64_t bytesTransferred);

    // System
    Event serviceInstalled(int64_t us, const Logon &by, std::string_view name, std::string_view imagePath); // 7045

    static std::string_view accessList(uint32_t mask);
    static std::string hexUpper(uint64_t v);

private:
    void subject(Event &e, const Proc &p);
    void subject(Event &e, const Logon &l);
    std::string netbiosDomain(const Logon &l) const;
    HostContext &m_ctx;
};

} // namespace tt::gen
