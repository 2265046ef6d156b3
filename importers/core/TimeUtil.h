#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tt::timeutil {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d);

// Windows FILETIME (100 ns ticks since 1601-01-01 UTC) to Unix microseconds.
int64_t filetimeToUs(uint64_t filetime);

struct ParsedTime {
    int64_t us = 0; // microseconds since the epoch, UTC if hasZone, else wall-clock as if UTC
    bool hasZone = false; // 'Z' or +hh:mm / -hhmm present
};

// Parses "YYYY-MM-DD[T| ]hh:mm[:ss[.fraction]][Z|+hh:mm|-hhmm|+hh]" (fraction: any number of
// digits, extra precision truncated to microseconds). Rejects out-of-range fields.
std::optional<ParsedTime> parseIso8601(std::string_view s);

// Renders UTC microseconds as "YYYY-MM-DDThh:mm:ss.ffffffZ".
std::string formatIsoUtc(int64_t us);

// Rounds an offset (in microseconds) to the nearest 15 minutes: time-zone offsets are multiples
// of 15 min, and collector lag or clock skew below 7.5 min vanishes.
int64_t roundToQuarterHour(int64_t us);

} // namespace tt::timeutil
