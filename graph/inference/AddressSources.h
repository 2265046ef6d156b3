#pragma once

#include "inference/Candidate.h"

#include <vector>

namespace tt::inference {

struct RuleContext;

// After the merge: transfers of rule whose source is known only by the address a server logged
// (an sshd / hostd login) get that address's host, an IP-only one when the case knows none.
// Before the merge the address alone lets a named source-side candidate join them.
void resolveAddressSources(RuleContext &ctx, std::vector<Candidate> &transfers, const char *rule);

} // namespace tt::inference
