#pragma once

// A labelled file transfer (ground truth): attacker hops, benign admin copies, and the
// attacker's ingress from outside (other_transfers).

#include <cstdint>
#include <string>

namespace tt::gen {

struct Transfer {
    enum class Category { Attack, BenignAdmin, Ingress };
    Category category = Category::Attack;
    int src = -1; // host index, -1 for an external source
    int dst = -1;
    std::string srcName; // FQDN, or "external" for ingress; used when src is -1
    std::string srcIp;
    std::string dstName, dstIp; // used when dst is -1 (an ESXi / macOS host: Scenario::platformHosts)
    std::string path; // on the destination
    std::string srcPath; // on the source, when known
    std::string file;
    std::string account; // DOMAIN\sam
    int64_t utcUs = 0; // destination host clock at the write
    std::string method; // smb-admin-share | smb-share | psexec-service-binary | rdp-tsclient | other
    std::string direction; // push | pull
    std::string visibility = "both";
    std::string confidence = "high";
    std::string share; // \\*\C$ ...
    std::string notes;
    int hop = -1; // attacker hop number (0-based), -1 otherwise
    std::string deployTool; // the benign deployment tool that moved it ("sccm", "pdq", "ansible"), else empty
};

} // namespace tt::gen
