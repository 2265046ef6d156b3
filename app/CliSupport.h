#pragma once

#include <QStringList>

#include <optional>
#include <string>

class QCommandLineParser;

namespace tt::app {

// Parses a sub-command's arguments. Returns an exit code when the command must stop here
// (--help printed: 0; bad options or positional count: 64, with the usage line on stderr),
// nothing when it should go on.
std::optional<int> parseCommand(QCommandLineParser &p, const QStringList &args, const char *command, const char *usage,
    qsizetype minPositional, qsizetype maxPositional);

// Log text for a terminal: control characters shown as \xNN so that attacker-controlled
// content cannot move the cursor, recolour or rewrite earlier output; cut to `max` characters.
std::string printable(const std::string &s, size_t max = std::string::npos);

} // namespace tt::app
