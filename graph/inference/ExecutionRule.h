#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "execution" (refines merged transfers): the transferred file runs on the destination
// after it arrived and before the same path was written again: a Sysmon 1 / 4688 whose image is
// the destination path, or, for DLLs and scripts, a command line that names the path (rundll32
// x.dll,Entry / rundll32 x,Entry, regsvr32, msbuild, cscript, powershell -File ...). The transfer
// is flagged executed and linked to that process. Telemetry that names nobody for the copy
// (System writes) takes the account of that process, when it is a person.
class ExecutionRule : public Rule {
public:
    const char *name() const override { return "execution"; }
    void refine(RuleContext &ctx, std::vector<Candidate> &transfers) override;
};

} // namespace tt::inference
