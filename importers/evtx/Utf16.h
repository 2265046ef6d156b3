#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tt {

// UTF-16LE to UTF-8 conversion for EVTX strings. Never fails: a lone surrogate becomes U+FFFD.
class Utf16 {
public:
    // Appends nUnits UTF-16LE code units read from p (no alignment needed).
    static void appendUtf8(std::string &out, const uint8_t *p, size_t nUnits);
    // Same, dropping NUL code units that trail the string.
    static void appendUtf8TrimNul(std::string &out, const uint8_t *p, size_t nUnits);
    // Appends one code point as UTF-8 (invalid ones as U+FFFD).
    static void appendCodePoint(std::string &out, uint32_t cp);
};

} // namespace tt
