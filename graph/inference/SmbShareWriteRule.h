#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "smb-share-write": a 5145 on the destination that asked for WriteData / AppendData
// (mask 0x2 / 0x4, or %%4417 / %%4418) on a file of a share other than IPC$ (where WriteData
// on a named pipe is RPC). Source from IpAddress (and the source's own Sysmon 3 with the same
// port), account from the subject, path from ShareLocalPath + RelativeTargetName. One
// candidate per (session, file) burst; the session's 4624 / 5140 / inbound Sysmon 3 attached.
class SmbShareWriteRule : public Rule {
public:
    const char *name() const override { return "smb-share-write"; }
    void collect(RuleContext &ctx, std::vector<Candidate> &out) override;
};

} // namespace tt::inference
