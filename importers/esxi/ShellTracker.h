#pragma once

#include <string>
#include <unordered_map>

namespace tt {

struct RawEvent;

namespace esxi {

// Follows the working directory of each ESXi shell (by host and shell pid) through its `cd`
// commands, so that "./x" in shell.log names /tmp/x: adds the fields "cwd" (when known) and
// "image" (the program the line runs, resolved against cwd when relative) to "esxi:shell"
// command events. A shell's directory is unknown until its first absolute `cd`.
class ShellTracker {
public:
    void apply(RawEvent &ev);

private:
    std::unordered_map<std::string, std::string> m_cwd; // host + '\n' + pid -> directory
};

} // namespace esxi
} // namespace tt
