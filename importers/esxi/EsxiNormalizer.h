#pragma once

#include <cstdint>
#include <string_view>

namespace tt {

struct RawEvent;
namespace store {
class CaseWriter;
}

// Canonical rows from ESXi records (channels "esxi:*"; ESXi's sshd lines are "linux:sshd" and
// go through LinuxNormalizer like any OpenSSH): shell.log commands -> processes (origin
// 'esxi-shell': the line as command line, the program as image, the shell's pid as parent pid,
// the user in the host's domain); hostd "User U@IP logged in" -> logon sessions (origin 'hostd',
// logon type 3, source address), "Cannot login" -> failed ones; datastore uploads / downloads
// through hostd -> file_events create / read (image 'hostd', the /vmfs/volumes path) and, when the
// request names its client, a logon session of that request (origin 'hostd', logon process
// 'hostd-http'); vobd "SSH session was opened for 'U@IP'" -> an sshd logon (origin 'sshd', logon
// process 'vobd'). See docs/record-conventions.md, "ESXi".
class EsxiNormalizer {
public:
    explicit EsxiNormalizer(store::CaseWriter &writer)
        : m_w(writer)
    {
    }

    static bool handles(std::string_view channel) { return channel.rfind("esxi:", 0) == 0; }
    int64_t primaryAccount(const RawEvent &ev);
    void normalise(const RawEvent &ev, int64_t eventRow, int64_t host);

private:
    void logon(const RawEvent &ev, int64_t eventRow, int64_t host, std::string_view origin, std::string_view process,
        bool success);

    store::CaseWriter &m_w;
};

} // namespace tt
