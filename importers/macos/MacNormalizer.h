#pragma once

#include <cstdint>
#include <string_view>

namespace tt {

struct RawEvent;
namespace store {
class CaseWriter;
}

// Canonical rows from eslogger records (channel "macos:es"; unified-log sshd lines are
// "linux:sshd" and go through LinuxNormalizer): exec -> processes (origin 'eslogger': pid,
// ppid, the new image, argv as command line, cwd, the account of the euid in the host's domain,
// `root` for 0), create and the destination of rename -> file_events create (the acting process's
// image and pid), openssh_login with success -> an sshd logon (origin 'sshd', logon process
// 'eslogger', source address); smbd messages -> logons and share accesses (normaliseSmbd). See
// docs/record-conventions.md, "macOS".
class MacNormalizer {
public:
    explicit MacNormalizer(store::CaseWriter &writer)
        : m_w(writer)
    {
    }

    static bool handles(std::string_view channel) { return channel.rfind("macos:", 0) == 0; }
    int64_t primaryAccount(const RawEvent &ev);
    void normalise(const RawEvent &ev, int64_t eventRow, int64_t host);

private:
    // smbd (channel "macos:smbd"): session setup -> logon_sessions (origin 'smbd', type 3, the
    // client's address and port, the session id as logon id), tree connect -> share_accesses 5140,
    // a file create / open -> share_accesses 5145 (access mask as logged, WriteData added when the
    // file was created or overwritten), as a Windows file server's Security log has them.
    void normaliseSmbd(const RawEvent &ev, int64_t eventRow, int64_t host);
    int64_t smbdAccount(const RawEvent &ev);
    // The user name the parser learnt for the uid (nameField), else the uid, `root` for 0.
    int64_t uidAccount(const RawEvent &ev, std::string_view uidField, std::string_view nameField);

    store::CaseWriter &m_w;
};

} // namespace tt
