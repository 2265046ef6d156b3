#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tt::utf8 {

// The one UTF-8 decoder of the tree (log text is attacker-controlled: every reader and every
// printer of it decides "is this UTF-8" the same way).
//
// A valid sequence is the shortest form of a code point up to U+10FFFF that is not a UTF-16
// surrogate (U+D800..U+DFFF): overlong forms (C0 80 for U+0000), surrogates (ED A0 80), values
// past U+10FFFF (F4 90 80 80), stray continuation bytes, F8..FF lead bytes and sequences cut
// short (by the end of the text or by a byte that is not a continuation) are all invalid.

// Length (1 to 4) of the valid sequence at s[i], its code point in *cp when cp is not null;
// 0 when the bytes at s[i] are not a valid sequence (cp untouched). i must be < s.size().
size_t decode(std::string_view s, size_t i, char32_t *cp = nullptr);
// True when all of s is valid UTF-8.
bool isValid(std::string_view s);
// s with each byte that does not start a valid sequence replaced by U+FFFD (one per byte, as
// WHATWG and Python's "replace" do for a lone byte; a cut sequence gives one U+FFFD per byte).
std::string repair(std::string_view s);
// Appends the UTF-8 form of cp (a scalar value; the caller replaces surrogates) to out.
void append(std::string &out, char32_t cp);

} // namespace tt::utf8
