#pragma once

// Text helpers for every export. Everything in a case came from an attacker's machine: these
// are the one place where it is made inert for HTML / XML, CSV and time display.

#include <QString>
#include <QStringView>
#include <QTimeZone>

#include <cstdint>
#include <string>

namespace tt::exporting {

// Escapes text for XML / XHTML element content and attribute values (either quote): & < > " '
// become entities. Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR;
// lone surrogates; U+FFFE / U+FFFF) become their visible stand-ins (U+2400 + c for C0, U+FFFD
// otherwise), so the output is always well-formed and nothing is silently dropped.
QString htmlEscape(QStringView s);

// Replaces only the characters XML 1.0 cannot carry (as above); no entity escaping. For
// documents produced by a serialiser that escapes markup but not control characters.
QByteArray xmlSafeUtf8(const QByteArray &utf8);

// One CSV cell: always quoted, quotes doubled, and a cell a spreadsheet would take for a
// formula (leading = + - @, tab or CR) prefixed with ' so attacker text stays text.
std::string csvCell(const std::string &s);

// Times for display: ISO 8601 in `zone` (UTC: "...Z"; otherwise with the offset). 0 -> "".
QString formatTime(int64_t us, const QTimeZone &zone);

} // namespace tt::exporting
