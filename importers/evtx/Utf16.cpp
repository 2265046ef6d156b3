#include "evtx/Utf16.h"

namespace tt {

namespace {
inline uint16_t unitAt(const uint8_t *p, size_t i)
{
    return static_cast<uint16_t>(p[2 * i] | (p[2 * i + 1] << 8));
}
} // namespace

void Utf16::appendUtf8(std::string &out, const uint8_t *p, size_t nUnits)
{
    if (nUnits == 0)
        return;
    const size_t old = out.size();
    out.resize(old + nUnits * 3);
    char *d = out.data() + old;
    for (size_t i = 0; i < nUnits; ++i) {
        const uint32_t u = unitAt(p, i);
        if (u < 0x80) {
            *d++ = static_cast<char>(u);
        } else if (u < 0x800) {
            *d++ = static_cast<char>(0xC0 | (u >> 6));
            *d++ = static_cast<char>(0x80 | (u & 0x3F));
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            uint32_t cp = 0xFFFD;
            if (u <= 0xDBFF && i + 1 < nUnits) {
                const uint32_t lo = unitAt(p, i + 1);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    ++i;
                }
            }
            if (cp >= 0x10000) {
                *d++ = static_cast<char>(0xF0 | (cp >> 18));
                *d++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                *d++ = static_cast<char>(0x80 | (cp & 0x3F));
            } else {
                *d++ = static_cast<char>(0xEF);
                *d++ = static_cast<char>(0xBF);
                *d++ = static_cast<char>(0xBD);
            }
        } else {
            *d++ = static_cast<char>(0xE0 | (u >> 12));
            *d++ = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
            *d++ = static_cast<char>(0x80 | (u & 0x3F));
        }
    }
    out.resize(static_cast<size_t>(d - out.data()));
}

void Utf16::appendUtf8TrimNul(std::string &out, const uint8_t *p, size_t nUnits)
{
    while (nUnits > 0 && unitAt(p, nUnits - 1) == 0)
        --nUnits;
    appendUtf8(out, p, nUnits);
}

void Utf16::appendCodePoint(std::string &out, uint32_t cp)
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace tt
