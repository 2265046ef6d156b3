#pragma once

#include "inference/Candidate.h"

#include <vector>

namespace tt::inference {

struct RuleContext;

// A named inference rule (see docs/inference.md). collect() turns evidence into candidates before
// the merge; refine() adds to merged transfers (method, corroboration, execution) after it.
class Rule {
public:
    virtual ~Rule() = default;
    virtual const char *name() const = 0;
    virtual void collect(RuleContext &, std::vector<Candidate> &) { }
    virtual void refine(RuleContext &, std::vector<Candidate> &) { }
};

} // namespace tt::inference
