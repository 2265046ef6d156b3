#pragma once

#include "core/RawEvent.h"

#include <string_view>

namespace tt::esxi {

// Event ids of the ESXi channels (docs/record-conventions.md, "ESXi"). sshd lines of ESXi are
// OpenSSH's and go to "linux:sshd" with the ids of linux/SshdMessage.h.
namespace shell { // channel "esxi:shell" (shell.log)
inline constexpr int kCommand = 1; // [USER]: COMMAND LINE
inline constexpr int kOther = 2; // shell enabled / session started / any other shell line
} // namespace shell
namespace hostd { // channel "esxi:hostd" (hostd.log)
inline constexpr int kLogin = 1; // Event N : User USER@IP logged in as AGENT
inline constexpr int kLogout = 2; // Event N : User USER@IP logged out
inline constexpr int kLoginFailed = 3; // Event N : Cannot login USER@IP
inline constexpr int kUpload = 10; // PUT /folder/PATH?dcPath=DC&dsName=DS (datastore file upload)
inline constexpr int kDownload = 11; // GET /folder/PATH?dcPath=DC&dsName=DS (datastore file download)
} // namespace hostd
namespace vobd { // channel "esxi:vobd" (vobd.log)
inline constexpr int kSshOpened = 1; // [esx.audit.ssh.session.opened] SSH session was opened for 'USER@IP'
inline constexpr int kSshClosed = 2; // [esx.audit.ssh.session.closed] SSH session was closed for 'USER@IP'
inline constexpr int kOther = 3; // any other observation ([esx.audit.ssh.enabled], ...)
} // namespace vobd

// Programs whose lines ESXi writes to shell.log, hostd.log, vobd.log (also as syslog tags).
bool isEsxiIdentifier(std::string_view identifier);

// Classifies one message of an ESXi program: sets channel ("esxi:shell", "esxi:hostd",
// "esxi:vobd"), provider, eventId and the fields (identifier, pid, message, then what the message
// names: user, command, ip, user_agent, http_method, url, path, datastore, dc_path, vob, sub,
// op_id). strict (syslog forwarding, where any program may use the tag): a message that does not
// have the ESXi shape returns false and leaves ev untouched; otherwise the line is kept with
// event id 0 on channel "esxi:<identifier>" ("esxi:syslog" for programs not read here).
bool classify(RawEvent &ev, std::string_view identifier, std::string_view pid, std::string_view message, bool strict);

// "/folder/a%20b/x.vib?dcPath=ha-datacenter&dsName=datastore1" -> "/vmfs/volumes/datastore1/a b/x.vib"
// (percent-decoded); empty when the URL is no datastore file URL.
std::string datastorePath(std::string_view url, std::string *datastore = nullptr, std::string *dcPath = nullptr);

} // namespace tt::esxi
