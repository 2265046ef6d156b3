#pragma once

// ESXi and macOS hosts beside the Windows domain (Options::platforms, issue 14 generator methods),
// with the transfers T1570 names for them, each logged as those systems log it and labelled:
// - ESXi (one log forwarded by syslog per host, RFC 5424 with the host name, so it imports
//   without --host): a Mac pushes a tool with scp into /tmp and root runs it from the ESXi Shell
//   (auth.log sshd + shell.log; rules ssh-transfer + esxi), an administrator's browser uploads an
//   ISO through the Host Client datastore browser (hostd; rule esxi, method http), and root pulls a
//   script with wget from an internal web server (shell.log; rule source-command).
// - macOS (eslogger NDJSON + `log show --style ndjson`, which name no host: import with --host,
//   Summary::hostFiles): a Windows host pushes a file into the Mac with OpenSSH scp.exe (Sysmon 1
//   on Windows; unified-log sshd login, eslogger sftp-server create on the Mac), the Mac pulls one
//   with curl from an internal web server, and an AirDrop receipt from a phone (sharingd).
// Plus each host's ordinary activity and look-alikes (a script the admin wrote on the ESXi host
// before running it, files the Mac writes for itself).

#include "PlatformHost.h"
#include "Scenario.h"

namespace tt::gen {

class PlatformActivity {
public:
    explicit PlatformActivity(Scenario &s)
        : m_s(s)
    {
    }
    void run();

private:
    Scenario &m_s;
};

} // namespace tt::gen
