#pragma once

// A pull seen from the server: a 5145 read of a whole file through a share (store::ShareReadRow)
// becomes a candidate with source = the server. Shared by the rules that claim such reads
// (OutputReadRule: a command's output read back; SmbReadRule: a tool the reader then has).

#include "inference/Candidate.h"

#include <cstdint>
#include <string>

namespace tt::store {
struct ShareReadRow;
}

namespace tt::inference {

struct RuleContext;

// Source host and path (\\server\share\rel when the share's root is known), file name, SMB
// method (admin share or not), direction pull, the reader's account (not a service identity),
// the read's time, the rule and the read as src-read evidence. The caller sets the destination
// and adds its own evidence.
Candidate shareReadPull(const RuleContext &ctx, int64_t server, const store::ShareReadRow &r,
    const std::string &shareShort, const char *rule);

} // namespace tt::inference
