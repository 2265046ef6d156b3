#pragma once

#include "inference/Rule.h"

#include <string_view>

namespace tt::inference {

// Rule "smb-read": a client fetching a program, script, installer or archive whole from a
// server's share, seen on the server (5145 asking ReadData, no write bit, on a share other than
// IPC$ / SYSVOL / NETLOGON, from a remote address) and confirmed on the client: the same file
// name created (Sysmon 11) or started (Sysmon 1 / 4688) by the host holding that address, from
// the skew before the read to kArrival after it. A pull: source = the server, destination = the
// reader. Reads of a file written through a share of this host in the 24 h before (a push read
// back, e.g. by the copy's verification) and reads the client shows nothing of stay out
// (docs/inference.md, "Pulls: what counts").
class SmbReadRule : public Rule {
public:
    static constexpr int64_t kArrival = 10LL * 60 * 1000000; // read -> the file on the client
    const char *name() const override { return "smb-read"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;

    // Programs, scripts, installers, archives by extension (what a tool transfer moves).
    static bool toolLike(std::string_view fileName);
};

} // namespace tt::inference
