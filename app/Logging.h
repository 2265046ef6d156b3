#pragma once

#include <string>

namespace tt::app {

// spdlog set-up: a rotating log file in the user's data directory (always, at info level or
// debug with verbose) and, with verbose, the console (stderr). Returns the log file path.
std::string setupLogging(bool verbose, bool console);

} // namespace tt::app
