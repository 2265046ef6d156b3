#pragma once

#include <string>

namespace tt::app {

// Returns the path of the built-in demo case, building it first when it does not exist yet
// (a generated multi-host intrusion, imported through the real importers). casePath empty:
// the user's data directory. Empty result and *error on failure.
std::string ensureDemoCase(const std::string &casePath, std::string *error);

} // namespace tt::app
