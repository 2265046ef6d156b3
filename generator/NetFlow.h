#pragma once

// A network conversation of the recording as the Zeek sensor sees it: the connection (conn.log)
// with what travelled over it (SMB file writes -> smb_files.log + files.log), the Kerberos
// ticket request and DNS lookup that preceded it. Times are true UTC (the sensor keeps NTP time).

#include <cstdint>
#include <string>
#include <vector>

namespace tt::gen {

struct NetFile {
    std::string share; // \\WS-FIN-07\C$
    std::string name; // ProgramData\tool.exe (relative to the share)
    int64_t us = 0;
    int64_t size = 0;
    int16_t transfer = -1;
    bool read = false; // the client read it from the server (SMB::FILE_READ, files.log server -> client)
};

struct NetFlow {
    int64_t us = 0;
    int64_t durationUs = 0;
    std::string origIp, respIp;
    int origPort = 0, respPort = 0;
    std::string proto = "tcp";
    std::string service; // smb,gssapi,krb | ssh | dns ... (empty: unknown)
    int64_t origBytes = 0, respBytes = 0;
    std::string state = "SF";
    std::vector<NetFile> files;
    std::string krbClient, krbService; // TGS request of the client just before (empty: none)
    std::string krbKdc;
    std::string dnsQuery, dnsAnswer, dnsServer; // lookup of the client just before (empty: none)
    int16_t transfer = -1;
};

} // namespace tt::gen
