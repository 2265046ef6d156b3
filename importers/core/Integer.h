#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tt::integer {

// The one integer parser of the importers: log text is attacker-controlled, so every number
// read from it goes through these checks and never overflows.
//
// Accepted: optional ASCII white space (space, tab, CR, LF) before and after; then an optional
// sign ('+', or '-' for parseInt64 only; "-0" is 0); then at least one decimal digit (leading
// zeros allowed, any count). With Hex::Allowed, "0x" / "0X" followed by 1 to 16 hex digits (no
// sign) is read as a 64-bit pattern: parseInt64 returns that pattern as a two's-complement value
// ("0xFFFFFFFFFFFFFFFF" is -1), as Windows writes logon ids and keyword masks.
// Refused (false, out untouched): empty or blank text, a lone sign, any other character
// (inner spaces, '_', '.', exponents, a sign after white space inside), a value outside the
// type (INT64_MAX + 1, 20 nines, a negative value for parseUInt64), hex with a sign or more
// than 16 digits.
enum class Hex : bool { Refused = false, Allowed = true };

bool parseInt64(std::string_view text, int64_t &out, Hex hex = Hex::Refused);
bool parseUInt64(std::string_view text, uint64_t &out, Hex hex = Hex::Refused);
// A 64-bit pattern written as either a signed or an unsigned decimal (NXLog writes keyword
// masks as -9214364837600034816, others as 9232379236109516800), or as hex with Hex::Allowed.
bool parseBits64(std::string_view text, uint64_t &out, Hex hex = Hex::Refused);

// The value of a hex digit (0-9, a-f, A-F), -1 for any other character.
int hexDigit(char c);

// A record number (EventRecordID, RecordNumber, audit serial) that is not a number from 0 to
// INT64_MAX: every importer keeps the record without a record number and warns with this text.
std::string recordNumberWarning(std::string_view field, std::string_view text);

} // namespace tt::integer
