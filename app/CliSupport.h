#pragma once

#include <QStringList>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

class QCommandLineParser;

namespace tt::app {

// Exit status of every usage error (unknown command or option, bad value, wrong argument count).
inline constexpr int kUsageError = 2;

// Parses a sub-command's arguments. Returns an exit code when the command must stop here
// (--help printed: 0; bad options or positional count: kUsageError, with the usage line on
// stderr), nothing when it should go on.
std::optional<int> parseCommand(QCommandLineParser &p, const QStringList &args, const char *command, const char *usage,
    qsizetype minPositional, qsizetype maxPositional);

// Log text for a terminal: control characters shown as \xNN so that attacker-controlled
// content cannot move the cursor, recolour or rewrite earlier output; cut to `max` characters.
// (escapeControls with Escape::Text and no line breaks kept.)
std::string printable(const std::string &s, size_t max = std::string::npos);

// What a terminal could act on, made visible: C0 controls, DEL, C1 controls (U+0080-U+009F, which
// some terminals take as CSI / OSC even UTF-8 encoded), bidi overrides and isolates (U+202A-U+202E,
// U+2066-U+2069, which reorder what is shown) and bytes that are not UTF-8. Text: "\x1b",
// "\u202e"; Json: "\u001b" (still valid JSON, same string). keepLineBreaks keeps \n and \t.
enum class Escape { Text, Json };
std::string escapeControls(std::string_view s, Escape how, bool keepLineBreaks);

// Writes a command's whole output: exact when `out` is a file or pipe (CSV / JSON stay
// byte-for-byte what the data says), escaped (escapeControls, line breaks kept) when it is a
// terminal.
void writeOutput(const std::string &text, std::FILE *out, Escape how);

} // namespace tt::app
