#include "evtx/BinXmlValue.h"

#include "evtx/Utf16.h"

#include <charconv>
#include <cstring>

namespace tt {

namespace {

template<typename T> T load(const uint8_t *p)
{
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

template<typename T> void appendNumber(std::string &out, T v)
{
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

template<typename T> void appendFloat(std::string &out, T v)
{
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general);
    out.append(buf, r.ptr);
}

void appendHexLower(std::string &out, uint64_t v)
{
    char buf[20];
    auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
    out.append("0x");
    out.append(buf, r.ptr);
}

void appendDigits(char *&d, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; --i) {
        d[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    d += n;
}

// Inverse of daysFromCivil (Howard Hinnant).
void civilFromDays(int64_t z, int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

void appendDateTime(
    std::string &out, int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned frac7)
{
    char buf[40];
    char *p = buf;
    appendDigits(p, static_cast<unsigned>(y < 0 ? 0 : (y > 9999 ? 9999 : y)), 4);
    *p++ = '-';
    appendDigits(p, mo, 2);
    *p++ = '-';
    appendDigits(p, d, 2);
    *p++ = 'T';
    appendDigits(p, h, 2);
    *p++ = ':';
    appendDigits(p, mi, 2);
    *p++ = ':';
    appendDigits(p, s, 2);
    *p++ = '.';
    appendDigits(p, frac7, 7);
    *p++ = 'Z';
    out.append(buf, p);
}

void appendGuid(const uint8_t *p, std::string &out)
{
    static const char kHex[] = "0123456789ABCDEF";
    char buf[38];
    char *d = buf;
    auto hexByte = [&](uint8_t b) {
        *d++ = kHex[b >> 4];
        *d++ = kHex[b & 15];
    };
    *d++ = '{';
    for (int i = 3; i >= 0; --i)
        hexByte(p[i]);
    *d++ = '-';
    hexByte(p[5]);
    hexByte(p[4]);
    *d++ = '-';
    hexByte(p[7]);
    hexByte(p[6]);
    *d++ = '-';
    hexByte(p[8]);
    hexByte(p[9]);
    *d++ = '-';
    for (int i = 10; i < 16; ++i)
        hexByte(p[i]);
    *d++ = '}';
    out.append(buf, d);
}

void appendAnsi(const uint8_t *p, size_t size, std::string &out)
{
    while (size > 0 && p[size - 1] == 0)
        --size;
    for (size_t i = 0; i < size; ++i) {
        const uint8_t c = p[i];
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else { // Latin-1 as the closest code page guess
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
}

} // namespace

void BinXmlValue::appendHexUpper(const uint8_t *p, size_t size, std::string &out)
{
    static const char kHex[] = "0123456789ABCDEF";
    const size_t old = out.size();
    out.resize(old + size * 2);
    char *d = out.data() + old;
    for (size_t i = 0; i < size; ++i) {
        *d++ = kHex[p[i] >> 4];
        *d++ = kHex[p[i] & 15];
    }
}

void BinXmlValue::renderFileTime(uint64_t ft, std::string &out)
{
    const uint64_t secs = ft / 10000000ULL;
    const unsigned frac = static_cast<unsigned>(ft % 10000000ULL);
    const int64_t unixSecs = static_cast<int64_t>(secs) - 11644473600LL;
    int64_t days = unixSecs / 86400;
    int64_t rem = unixSecs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    int64_t y;
    unsigned m, d;
    civilFromDays(days, y, m, d);
    appendDateTime(out, y, m, d, static_cast<unsigned>(rem / 3600), static_cast<unsigned>(rem / 60 % 60),
        static_cast<unsigned>(rem % 60), frac);
}

void BinXmlValue::renderSid(const uint8_t *p, size_t size, std::string &out, size_t *consumed)
{
    if (size < 8) {
        appendHexUpper(p, size, out);
        *consumed = size;
        return;
    }
    const unsigned count = p[1];
    size_t need = 8 + 4 * static_cast<size_t>(count);
    if (need > size) {
        appendHexUpper(p, size, out);
        *consumed = size;
        return;
    }
    out.append("S-");
    appendNumber(out, static_cast<unsigned>(p[0]));
    out.push_back('-');
    uint64_t auth = 0;
    for (int i = 2; i < 8; ++i)
        auth = (auth << 8) | p[i];
    if (auth >> 32)
        appendHexLower(out, auth);
    else
        appendNumber(out, auth);
    for (unsigned i = 0; i < count; ++i) {
        out.push_back('-');
        appendNumber(out, load<uint32_t>(p + 8 + 4 * i));
    }
    *consumed = need;
}

size_t BinXmlValue::fixedSize(uint8_t type, size_t total)
{
    switch (type) {
    case Int8:
    case UInt8:
        return 1;
    case Int16:
    case UInt16:
        return 2;
    case Int32:
    case UInt32:
    case Real32:
    case Bool:
    case HexInt32:
        return 4;
    case Int64:
    case UInt64:
    case Real64:
    case FileTime:
    case HexInt64:
        return 8;
    case Guid:
    case SystemTime:
        return 16;
    case SizeT:
    case EvtHandle:
        return total % 8 == 0 ? 8 : 4;
    default:
        return 0;
    }
}

void BinXmlValue::renderScalar(uint8_t type, const uint8_t *p, size_t size, std::string &out)
{
    // Fixed-size types with a short buffer fall through to hex so that nothing is lost.
    const size_t fs = fixedSize(type, size);
    if (fs && size < fs) {
        appendHexUpper(p, size, out);
        return;
    }
    switch (type) {
    case Null:
        return;
    case String:
        Utf16::appendUtf8TrimNul(out, p, size / 2);
        return;
    case AnsiString:
        appendAnsi(p, size, out);
        return;
    case Int8:
        appendNumber(out, static_cast<int>(static_cast<int8_t>(p[0])));
        return;
    case UInt8:
        appendNumber(out, static_cast<unsigned>(p[0]));
        return;
    case Int16:
        appendNumber(out, load<int16_t>(p));
        return;
    case UInt16:
        appendNumber(out, load<uint16_t>(p));
        return;
    case Int32:
        appendNumber(out, load<int32_t>(p));
        return;
    case UInt32:
        appendNumber(out, load<uint32_t>(p));
        return;
    case Int64:
        appendNumber(out, load<int64_t>(p));
        return;
    case UInt64:
        appendNumber(out, load<uint64_t>(p));
        return;
    case Real32:
        appendFloat(out, load<float>(p));
        return;
    case Real64:
        appendFloat(out, load<double>(p));
        return;
    case Bool:
        out.append(load<uint32_t>(p) ? "true" : "false");
        return;
    case Binary:
        appendHexUpper(p, size, out);
        return;
    case Guid:
        appendGuid(p, out);
        return;
    case SizeT:
    case EvtHandle:
        appendHexLower(out, fs == 8 ? load<uint64_t>(p) : load<uint32_t>(p));
        return;
    case FileTime:
        renderFileTime(load<uint64_t>(p), out);
        return;
    case SystemTime: {
        const unsigned y = load<uint16_t>(p), mo = load<uint16_t>(p + 2), d = load<uint16_t>(p + 6),
                       h = load<uint16_t>(p + 8), mi = load<uint16_t>(p + 10), s = load<uint16_t>(p + 12),
                       ms = load<uint16_t>(p + 14);
        appendDateTime(out, y, mo % 100, d % 100, h % 100, mi % 100, s % 100, (ms % 1000) * 10000);
        return;
    }
    case Sid: {
        size_t used = 0;
        renderSid(p, size, out, &used);
        return;
    }
    case HexInt32:
        appendHexLower(out, load<uint32_t>(p));
        return;
    case HexInt64:
        appendHexLower(out, load<uint64_t>(p));
        return;
    case EvtXml:
        Utf16::appendUtf8TrimNul(out, p, size / 2);
        return;
    default:
        appendHexUpper(p, size, out);
        return;
    }
}

void BinXmlValue::arrayItems(
    uint8_t type, const uint8_t *p, size_t size, std::vector<std::pair<uint32_t, uint32_t>> &items)
{
    items.clear();
    const uint8_t base = type & 0x7F;
    auto add = [&](size_t off, size_t n) { items.emplace_back(static_cast<uint32_t>(off), static_cast<uint32_t>(n)); };
    if (base == String || base == AnsiString) {
        const size_t unit = base == String ? 2 : 1;
        size_t start = 0;
        for (size_t i = 0; i + unit <= size; i += unit) {
            if (p[i] == 0 && (unit == 1 || p[i + 1] == 0)) {
                add(start, i - start);
                start = i + unit;
            }
        }
        if (start + unit <= size)
            add(start, size - start - (size - start) % unit);
        return;
    }
    if (base == Sid) {
        size_t off = 0;
        while (off + 8 <= size) {
            const size_t need = 8 + 4 * static_cast<size_t>(p[off + 1]);
            if (need > size - off)
                break;
            add(off, need);
            off += need;
        }
        return;
    }
    const size_t fs = fixedSize(base, size);
    if (fs == 0) {
        add(0, size);
        return;
    }
    for (size_t off = 0; off + fs <= size; off += fs)
        add(off, fs);
}

void BinXmlValue::render(uint8_t type, const uint8_t *p, size_t size, std::string &out)
{
    if (!(type & ArrayFlag)) {
        renderScalar(type, p, size, out);
        return;
    }
    const uint8_t base = type & 0x7F;
    bool first = true;
    auto sep = [&] {
        if (!first)
            out.append(", ");
        first = false;
    };
    if (base == String) {
        // NUL-terminated UTF-16 strings one after the other.
        const size_t units = size / 2;
        size_t start = 0;
        for (size_t i = 0; i < units; ++i) {
            if (p[2 * i] == 0 && p[2 * i + 1] == 0) {
                sep();
                Utf16::appendUtf8(out, p + 2 * start, i - start);
                start = i + 1;
            }
        }
        if (start < units) {
            sep();
            Utf16::appendUtf8(out, p + 2 * start, units - start);
        }
        return;
    }
    if (base == AnsiString) {
        size_t start = 0;
        for (size_t i = 0; i <= size; ++i) {
            if (i == size || p[i] == 0) {
                if (i > start || i < size) {
                    sep();
                    appendAnsi(p + start, i - start, out);
                }
                start = i + 1;
            }
        }
        return;
    }
    if (base == Sid) {
        size_t off = 0;
        while (off < size) {
            sep();
            size_t used = 0;
            renderSid(p + off, size - off, out, &used);
            if (used == 0)
                break;
            off += used;
        }
        return;
    }
    const size_t fs = fixedSize(base, size);
    if (fs == 0) { // arrays of variable-size types other than the above: keep the bytes
        appendHexUpper(p, size, out);
        return;
    }
    for (size_t off = 0; off + fs <= size; off += fs) {
        sep();
        renderScalar(base, p + off, fs, out);
    }
}

} // namespace tt
