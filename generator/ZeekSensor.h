#pragma once

// The network sensor of the recording: Zeek conn.log, smb_files.log, files.log, kerberos.log
// and dns.log (TSV with Zeek's header block, or JSON lines as the JSON writer / json-streaming
// package write them) for the scenario's flows (SMB sessions with their file writes, SSH copies)
// plus background (DNS lookups, Kerberos tickets, LDAP / HTTPS flows, SYSVOL reads).

#include "GroundTruth.h"
#include "NetFlow.h"
#include "Topology.h"

#include <string>
#include <vector>

namespace tt::gen {

class ZeekSensor {
public:
    // Writes the logs into dir (created by the caller); background: about this many extra records.
    static void write(const Topology &topo, uint64_t seed, const std::vector<NetFlow> &flows, int64_t background,
        int64_t startUs, int64_t endUs, bool json, const std::string &dir, HostResult &res);
};

} // namespace tt::gen
