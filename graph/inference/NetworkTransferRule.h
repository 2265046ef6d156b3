#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Network-observed transfers (docs/inference.md, "zeek-network"): what a network sensor (Zeek)
// saw cross the wire between two internal hosts, from the schema v3 net_* tables.
//  - Named writes: smb_files SMB::FILE_WRITE, files.log with the client as sender (SMB / HTTP),
//    ftp STOR / STOU / APPE, http PUT / POST with a body (role net-write).
//  - Unnamed SMB uploads: conn.log bursts of client->server bytes on 445 / 139 (role net-volume),
//    linked to the source's Kerberos cifs/ ticket for the destination (net-auth) and to a
//    download of about the same size that reached the source just before (net-relay, which
//    also names the file).
// Both ends must be internal: private addresses with domain evidence (a Kerberos / NTLM client,
// a KDC, an SMB server accepting Kerberos, or an address a host of the case holds). Downloads
// and reads are not claimed (GPO reads from SYSVOL, ingress from the internet or an attacker).
class NetworkTransferRule final : public Rule {
public:
    const char *name() const override { return "zeek-network"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
};

} // namespace tt::inference
