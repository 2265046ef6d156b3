#pragma once

#include "core/RawEvent.h"

#include <string_view>
#include <vector>

namespace tt::sshd {

// Event ids of channel "linux:sshd" (docs/record-conventions.md, "Linux").
enum EventId : int {
    kOther = 0, // any other sshd / sftp-server message (kept, not normalised)
    kAccepted = 1, // Accepted METHOD for USER from IP port PORT
    kFailed = 2, // Failed METHOD for [invalid user] USER from IP port PORT
    kInvalidUser = 3, // Invalid user USER from IP port PORT
    kPamSessionOpen = 4, // pam_unix(sshd:session): session opened for user USER
    kPamSessionClose = 5, // pam_unix(sshd:session): session closed for user USER
    kSubsystem = 6, // subsystem request for sftp by user USER
    kSessionStart = 7, // Starting session: shell / command / subsystem 'sftp' for USER from IP port PORT (VERBOSE)
    kConnection = 8, // Connection from IP port PORT on LOCAL_IP port LOCAL_PORT (VERBOSE)
    kDisconnect = 9, // Disconnected from user USER IP port PORT / Received disconnect from IP port PORT
    kSessionClose = 10, // Close session: user USER from IP port PORT id N (VERBOSE)
    kSftpSessionOpen = 20, // sftp-server: session opened for local user USER from [IP]
    kSftpOpen = 21, // sftp-server: open "PATH" flags FLAGS mode MODE
    kSftpClose = 22, // sftp-server: close "PATH" bytes read R written W
    kSftpSessionClose = 23 // sftp-server: session closed for local user USER from [IP]
};

// Is this syslog identifier (program name) sshd's? sshd, sshd-session (OpenSSH 9.8+),
// sftp-server, internal-sftp.
bool isSshIdentifier(std::string_view identifier);

// Reads one sshd / sftp-server message; returns the event id and appends the parts it names as
// fields: user, method, ip, port, local_ip, local_port, subsystem, session_kind, session_id,
// invalid_user, path, flags, mode, bytes_read, bytes_written.
int classify(std::string_view message, std::vector<Field> &fields);

} // namespace tt::sshd
