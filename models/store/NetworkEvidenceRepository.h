#pragma once

// What a network sensor (Zeek) saw, as inference reads it: flows, named file movements and
// Kerberos / NTLM logins (net_flows, net_files, net_auth). Addresses come back as stored.

#include "store/InferenceRows.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tt::store {

class CaseStore;

class NetworkEvidenceRepository {
public:
    explicit NetworkEvidenceRepository(CaseStore &cs)
        : m_cs(cs)
    {
    }

    // False for a case without the network tables or with nothing in them.
    bool hasNetworkEvidence();
    // Addresses with evidence of belonging to the site's domain (Kerberos / NTLM clients, KDCs,
    // SMB peers that negotiated Kerberos or NTLM) and every address a host was bound to.
    std::vector<std::string> domainAddresses();
    // Successful Kerberos cifs/ service tickets and NTLM logins, by time.
    std::vector<NetAuthRow> smbLogins();
    // File movements with both ends known, by time.
    std::vector<NetFileRow> fileMovements();
    // conn.log SMB flows (to 445 / 139) that sent at least minOrigBytes, by pair then time.
    std::vector<NetFlowRow> smbFlows(int64_t minOrigBytes);

private:
    CaseStore &m_cs;
};

} // namespace tt::store
