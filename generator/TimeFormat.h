#pragma once

// Fast fixed-width time rendering for the generator (no locale, no allocation).
// All inputs are microseconds since 1970-01-01 (already shifted to the wanted zone).

#include <cstdint>
#include <string>

namespace tt::gen {

class TimeFormat {
public:
    struct Civil {
        int y;
        unsigned mo, d, h, mi, s, ms, us;
    };

    static int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
    {
        y -= m <= 2;
        const int64_t era = (y >= 0 ? y : y - 399) / 400;
        const unsigned yoe = static_cast<unsigned>(y - era * 400);
        const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + static_cast<int64_t>(doe) - 719468;
    }

    static Civil civil(int64_t us)
    {
        int64_t secs = floorDiv(us, 1000000);
        const int64_t frac = us - secs * 1000000;
        int64_t days = floorDiv(secs, 86400);
        const int64_t sod = secs - days * 86400;
        days += 719468;
        const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
        const unsigned doe = static_cast<unsigned>(days - era * 146097);
        const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const unsigned mp = (5 * doy + 2) / 153;
        Civil c;
        c.d = doy - (153 * mp + 2) / 5 + 1;
        c.mo = mp < 10 ? mp + 3 : mp - 9;
        c.y = static_cast<int>(yoe + era * 400 + (c.mo <= 2));
        c.h = static_cast<unsigned>(sod / 3600);
        c.mi = static_cast<unsigned>(sod / 60 % 60);
        c.s = static_cast<unsigned>(sod % 60);
        c.ms = static_cast<unsigned>(frac / 1000);
        c.us = static_cast<unsigned>(frac);
        return c;
    }

    // 0 = Monday ... 6 = Sunday
    static int weekday(int64_t us)
    {
        const int64_t days = floorDiv(us, 86400000000LL);
        return static_cast<int>(((days % 7) + 7 + 3) % 7); // 1970-01-01 was a Thursday
    }

    // "YYYY-MM-DD hh:mm:ss"
    static void appendLocal(std::string &out, int64_t us) { appendDateTime(out, civil(us), ' '); }
    // "YYYY-MM-DD hh:mm:ss.mmm"
    static void appendSysmon(std::string &out, int64_t us)
    {
        const Civil c = civil(us);
        appendDateTime(out, c, ' ');
        out.push_back('.');
        put(out, c.ms, 3);
    }
    // "YYYY-MM-DDThh:mm:ss.mmmZ"
    static void appendIsoMs(std::string &out, int64_t us)
    {
        const Civil c = civil(us);
        appendDateTime(out, c, 'T');
        out.push_back('.');
        put(out, c.ms, 3);
        out.push_back('Z');
    }
    // "YYYY-MM-DDThh:mm:ssZ"
    static void appendIsoSec(std::string &out, int64_t us)
    {
        appendDateTime(out, civil(us), 'T');
        out.push_back('Z');
    }
    // "YYYY-MM-DDThh:mm:ss.fffffffZ" (SystemTime as wevtutil renders it; 100 ns digits)
    static void appendSystemTime(std::string &out, int64_t us)
    {
        const Civil c = civil(us);
        appendDateTime(out, c, 'T');
        out.push_back('.');
        put(out, c.us, 6);
        out.append("0Z", 2);
    }
    // "YYYY-MM-DDThh:mm:ss.uuuuuu+00:00" (rsyslog's RFC 3339 high-precision format, UTC)
    static void appendRfc3339Utc(std::string &out, int64_t us)
    {
        const Civil c = civil(us);
        appendDateTime(out, c, 'T');
        out.push_back('.');
        put(out, c.us, 6);
        out.append("+00:00", 6);
    }
    // "YYYY-MM-DD-hh-mm-ss" (Zeek's #open / #close stamps)
    static void appendDateTime(std::string &out, int64_t us)
    {
        const Civil c = civil(us);
        put(out, static_cast<unsigned>(c.y), 4);
        for (unsigned v : {c.mo, c.d, c.h, c.mi, c.s}) {
            out.push_back('-');
            put(out, v, 2);
        }
    }
    static std::string isoSec(int64_t us)
    {
        std::string s;
        appendIsoSec(s, us);
        return s;
    }

private:
    static int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
    static void put(std::string &out, unsigned v, int width)
    {
        char buf[12];
        for (int i = width - 1; i >= 0; --i) {
            buf[i] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        out.append(buf, static_cast<size_t>(width));
    }
    static void appendDateTime(std::string &out, const Civil &c, char sep)
    {
        put(out, static_cast<unsigned>(c.y), 4);
        out.push_back('-');
        put(out, c.mo, 2);
        out.push_back('-');
        put(out, c.d, 2);
        out.push_back(sep);
        put(out, c.h, 2);
        out.push_back(':');
        put(out, c.mi, 2);
        out.push_back(':');
        put(out, c.s, 2);
    }
};

} // namespace tt::gen
