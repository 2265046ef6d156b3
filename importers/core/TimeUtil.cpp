#include "core/TimeUtil.h"

#include <cstdio>

namespace tt::timeutil {

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t filetimeToUs(uint64_t filetime)
{
    // 11644473600 s between 1601-01-01 and 1970-01-01.
    constexpr int64_t kEpochDiffUs = 11644473600LL * 1000000LL;
    return static_cast<int64_t>(filetime / 10) - kEpochDiffUs;
}

namespace {
bool digits(std::string_view s, size_t pos, size_t n, int &out)
{
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int daysInMonth(int y, int m)
{
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}
} // namespace

std::optional<ParsedTime> parseIso8601(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '"'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '"'))
        s.remove_suffix(1);
    int y, mo, d, h, mi, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 16 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-'
        || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':'
        || !digits(s, 14, 2, mi))
        return std::nullopt;
    size_t pos = 16;
    int64_t frac = 0;
    if (pos < s.size() && s[pos] == ':') {
        if (!digits(s, pos + 1, 2, sec))
            return std::nullopt;
        pos += 3;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            int n = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (n < 6) {
                    frac = frac * 10 + (s[pos] - '0');
                    ++n;
                }
                ++pos;
            }
            if (n == 0)
                return std::nullopt;
            while (n < 6) {
                frac *= 10;
                ++n;
            }
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    if (sec == 60)
        sec = 59; // leap second: clamp rather than reject
    ParsedTime out;
    int64_t offsetSec = 0;
    if (pos < s.size()) {
        char c = s[pos];
        if (c == 'Z' || c == 'z') {
            out.hasZone = true;
            ++pos;
        } else if (c == '+' || c == '-') {
            int oh = 0, om = 0;
            if (!digits(s, pos + 1, 2, oh))
                return std::nullopt;
            size_t p = pos + 3;
            if (p < s.size() && s[p] == ':')
                ++p;
            if (p < s.size()) {
                if (!digits(s, p, 2, om))
                    return std::nullopt;
                p += 2;
            }
            if (oh > 23 || om > 59)
                return std::nullopt;
            offsetSec = (oh * 3600 + om * 60) * (c == '+' ? 1 : -1);
            out.hasZone = true;
            pos = p;
        }
        if (pos != s.size())
            return std::nullopt;
    }
    const int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    const int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offsetSec;
    out.us = secs * 1000000 + frac;
    return out;
}

std::string formatIsoUtc(int64_t us)
{
    int64_t secs = us / 1000000;
    int64_t micro = us % 1000000;
    if (micro < 0) {
        micro += 1000000;
        --secs;
    }
    int64_t days = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // civil_from_days
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m, d,
        static_cast<long long>(rem / 3600), static_cast<long long>((rem / 60) % 60), static_cast<long long>(rem % 60),
        static_cast<long long>(micro));
    return buf;
}

int64_t roundToQuarterHour(int64_t us)
{
    constexpr int64_t q = 15LL * 60 * 1000000;
    const int64_t half = q / 2;
    return (us >= 0 ? (us + half) / q : -((-us + half) / q)) * q;
}

} // namespace tt::timeutil
