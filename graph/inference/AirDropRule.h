#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "airdrop" (macOS, issue 14 item 2): a file received by AirDrop. On the receiving Mac,
// sharingd logs the AirDrop ask (unified log, process sharingd, subsystem com.apple.sharing)
// with the request's SenderComputerName and each item's FileName (keys of the AirDrop /Ask
// request); the transfer is the file arriving from the sender: a push, method airdrop, source =
// the host of that computer name when the case knows or can name it (a Mac: "MAC-DSGN-02"),
// else unknown (a phone's "Bob's iPhone" is no host name), destination = this Mac. The file
// sharingd then creates under ~/Downloads (eslogger create by /usr/libexec/sharingd, up to 10 min
// after the ask, same name) gives the path (dst-create); without it the ask alone is the
// evidence (the user may have declined: lower confidence).
class AirDropRule : public Rule {
public:
    const char *name() const override { return "airdrop"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
};

} // namespace tt::inference
