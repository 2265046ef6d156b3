#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tt {

struct RawEvent;
namespace store {
class CaseWriter;
}

// Canonical rows from Linux records (channels "linux:audit", "linux:sshd", "linux:syslog"):
// audit EXECVE events -> processes (origin 'auditd': pid / ppid, exe, argv, cwd, account from
// auid with the host as domain, logon id = audit session `ses`), audit USER_LOGIN -> logon
// sessions (origin 'auditd', logon id = ses), USER_END ends them, audit connect() -> outbound
// net_connections; sshd Accepted / Failed -> logon sessions (origin 'sshd', logon id
// "sshd:<pid>", source address and port), session close / disconnect end them, "Connection from
// A port P on B port Q" teaches the host its address B ('sshd-local'); sftp-server open with
// WRITE / CREATE -> file create events. See docs/record-conventions.md, "Linux".
class LinuxNormalizer {
public:
    explicit LinuxNormalizer(store::CaseWriter &writer)
        : m_w(writer)
    {
    }

    static bool handles(std::string_view channel) { return channel.rfind("linux:", 0) == 0; }
    // The account the record is about (events.account_id), 0 when none.
    int64_t primaryAccount(const RawEvent &ev);
    void normalise(const RawEvent &ev, int64_t eventRow, int64_t host);

    // Local accounts live in their host: domain = the host's short name, upper-case.
    static std::string accountDomain(std::string_view computer);

private:
    void audit(const RawEvent &ev, int64_t eventRow, int64_t host);
    void sshd(const RawEvent &ev, int64_t eventRow, int64_t host);
    int64_t auditAccount(const RawEvent &ev);

    store::CaseWriter &m_w;
};

} // namespace tt
