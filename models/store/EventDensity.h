#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::store {

// Event counts kept at import (schema 12) so that the timeline's density needs no count over the
// events: per minute for the whole case (`event_minutes`) and per hour and host
// (`host_event_hours`). A 10 M-event week is ~10 000 minute rows and hosts x 168 hour rows, where
// counting the events of a window reads one index entry per event (4.7-6.1 s of a 10 M-event
// workbench open, BENCHMARKS.md). Events without a time are not counted (the timeline cannot
// place them); events without a host count in the minutes only.
inline constexpr int64_t kDensityMinuteUs = 60'000'000;
inline constexpr int64_t kDensityHourUs = 3'600'000'000;

// floor(ts / width) for any int64 ts (INT64_MIN included) and width > 0.
int64_t densityBucket(int64_t ts, int64_t width);
// The same in SQL (SQLite and PostgreSQL), over the integer column expression `ts`.
std::string densityBucketSql(const char *ts, int64_t width);

// One file's counts, gathered while its events are written and added to the tables in its
// transaction (CaseWriter::commit); dropped with a rolled-back file.
class EventDensityCounter {
public:
    void add(int64_t hostId, int64_t ts); // hostId 0: no host
    void remove(int64_t hostId, int64_t ts); // an event deleted (a replaced source)
    void flush(sql::Db &db); // adds to the tables (drops the rows that reach 0), then clears
    void clear();

private:
    std::unordered_map<int64_t, int64_t> m_minutes; // minute -> events
    struct HostHour {
        int64_t host, hour;
        bool operator==(const HostHour &o) const { return host == o.host && hour == o.hour; }
    };
    struct HostHourHash {
        size_t operator()(const HostHour &k) const noexcept { return std::hash<int64_t>()(k.host * 1000003 ^ k.hour); }
    };
    std::unordered_map<HostHour, int64_t, HostHourHash> m_hostHours;
};

// Takes the events of one source in [firstEvent, lastEvent] out of the counts (before they are
// deleted).
void subtractSourceEvents(sql::Db &db, int64_t sourceId, int64_t firstEvent, int64_t lastEvent);

// Recounts both tables from the events (migration of an older case to schema 12): the statements
// (SQLite and PostgreSQL), and running them on a case file.
std::vector<std::string> eventDensityFillSql();
void fillEventDensity(sql::Db &db);

} // namespace tt::store
