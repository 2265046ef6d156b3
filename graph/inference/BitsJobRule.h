#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "bits-job": a BITS job on this host fetched a file from another machine of the network.
// Bits-Client/Operational 59 (transfer started) / 60 (stopped, bytes transferred) name the job's
// remote `url`: an http(s) URL whose host the case knows or that is a private address, or a UNC
// path. The file moved from that host to this one at this host's request: a pull. The owner comes
// from the job's 3 (created: jobOwner, processPath) / 4; the local file name is not in these
// records (a bitsadmin / Start-BitsTransfer command line, rule source-command, adds it on merge).
class BitsJobRule : public Rule {
public:
    const char *name() const override { return "bits-job"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
};

} // namespace tt::inference
