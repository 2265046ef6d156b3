#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "service-binary" (refines merged transfers): a transferred file that a service then points
// at is a PsExec-style service binary drop (PsExec, RemCom, renamed PSEXESVC): a 7045 / 4697
// whose ImagePath resolves to the destination path, or services.exe starting the file. Where the
// host logs no service installs at all, an IPC$\svcctl open by the same session right after an
// .exe lands on ADMIN$ stands in for them. Inline-command services (%COMSPEC% /c ..., powershell
// -enc) and services of pre-existing system binaries match no transfer and add nothing.
class ServiceBinaryRule : public Rule {
public:
    const char *name() const override { return "service-binary"; }
    void refine(RuleContext &ctx, std::vector<Candidate> &transfers) override;
};

} // namespace tt::inference
