#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "deployment-tool" (refines merged transfers): a transfer made by a benign software
// deployment tool (SCCM / ConfigMgr, PDQ Deploy, GPO software installation, Intune Management
// Extension, Ansible, Salt, Puppet, Chef) is labelled a benign-admin candidate with the reason.
// Each transfer is judged on its own evidence: the file must land where the tool puts its files
// AND a process or service of the tool must take part in this very transfer (the writer, the
// source command or its parents, the service installed, the process that ran it). Nothing about
// the host or the time does: an attacker's drop during a deployment on the same host stays a
// normal transfer. The label never removes a transfer nor changes its confidence.
class DeploymentToolRule : public Rule {
public:
    const char *name() const override { return "deployment-tool"; }
    void refine(RuleContext &ctx, std::vector<Candidate> &transfers) override;
};

} // namespace tt::inference
