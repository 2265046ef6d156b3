#include "core/Integer.h"

namespace tt::integer {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

bool isHexPrefixed(std::string_view s)
{
    return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

// "0x..." after trimming: 1 to 16 hex digits.
bool hexBits(std::string_view s, uint64_t &out)
{
    s.remove_prefix(2);
    if (s.empty() || s.size() > 16)
        return false;
    uint64_t v = 0;
    for (char c : s) {
        const int d = hexDigit(c);
        if (d < 0)
            return false;
        v = (v << 4) | uint64_t(d);
    }
    out = v;
    return true;
}

// Decimal digits only, at most limit.
bool decimal(std::string_view s, uint64_t limit, uint64_t &out)
{
    if (s.empty())
        return false;
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        const uint64_t d = uint64_t(c - '0');
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

// Sign and magnitude of trimmed decimal text; negative only when allowed.
bool signedMagnitude(
    std::string_view s, bool allowMinus, bool &negative, uint64_t limitPos, uint64_t limitNeg, uint64_t &mag)
{
    negative = false;
    if (!s.empty() && (s[0] == '+' || (allowMinus && s[0] == '-'))) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    return decimal(s, negative ? limitNeg : limitPos, mag);
}

} // namespace

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool parseUInt64(std::string_view text, uint64_t &out, Hex hex)
{
    const std::string_view s = trim(text);
    if (hex == Hex::Allowed && isHexPrefixed(s))
        return hexBits(s, out);
    bool neg = false;
    uint64_t v = 0;
    if (!signedMagnitude(s, false, neg, UINT64_MAX, 0, v))
        return false;
    out = v;
    return true;
}

bool parseInt64(std::string_view text, int64_t &out, Hex hex)
{
    const std::string_view s = trim(text);
    uint64_t v = 0;
    if (hex == Hex::Allowed && isHexPrefixed(s)) {
        if (!hexBits(s, v))
            return false;
        out = static_cast<int64_t>(v); // a bit pattern: modular since C++20
        return true;
    }
    bool neg = false;
    if (!signedMagnitude(s, true, neg, uint64_t(INT64_MAX), uint64_t(INT64_MAX) + 1, v))
        return false;
    // -(INT64_MAX + 1) without overflowing: negate in unsigned arithmetic.
    out = neg ? static_cast<int64_t>(uint64_t(0) - v) : static_cast<int64_t>(v);
    return true;
}

bool parseBits64(std::string_view text, uint64_t &out, Hex hex)
{
    if (parseUInt64(text, out, hex))
        return true;
    int64_t v = 0;
    if (!parseInt64(text, v) || v >= 0)
        return false;
    out = static_cast<uint64_t>(v);
    return true;
}

std::string recordNumberWarning(std::string_view field, std::string_view text)
{
    constexpr size_t kShown = 40;
    std::string shown(text.substr(0, kShown));
    for (char &c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return std::string(field) + " '" + shown + (text.size() > kShown ? "...'" : "'")
        + " is not a record number from 0 to 9223372036854775807: record kept without it";
}

} // namespace tt::integer
