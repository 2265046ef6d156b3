#pragma once

#include "inference/Rule.h"

namespace tt::inference {

// Rule "task-drop" (refine): a file that arrived over SMB and that a scheduled task created
// remotely right after runs (Security 4698: an Exec action of its TaskContent names the file's
// path, as the command or in its arguments), the task created from the same session as the write
// (the same logon id, or a network logon from the same address). The task is corroboration that
// the file was pushed to be run (role dst-task); the write rules found the transfer itself.
// atexec's own tasks run a command (`cmd.exe /C whoami > ...`) and name no transferred file.
class ScheduledTaskRule : public Rule {
public:
    const char *name() const override { return "task-drop"; }
    void refine(RuleContext &ctx, std::vector<Candidate> &transfers) override;
};

} // namespace tt::inference
