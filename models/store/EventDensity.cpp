#include "store/EventDensity.h"

#include "store/Sqlite.h"

#include <string>

namespace tt::store {

int64_t densityBucket(int64_t ts, int64_t width)
{
    if (ts >= 0)
        return ts / width;
    // -(ts + 1) cannot overflow, unlike -ts for INT64_MIN.
    return -((-(ts + 1)) / width) - 1;
}

std::string densityBucketSql(const char *ts, int64_t width)
{
    const std::string w = std::to_string(width);
    const std::string t(ts);
    return "(CASE WHEN " + t + " >= 0 THEN " + t + " / " + w + " ELSE -((-(" + t + " + 1)) / " + w + ") - 1 END)";
}

void EventDensityCounter::add(int64_t hostId, int64_t ts)
{
    ++m_minutes[densityBucket(ts, kDensityMinuteUs)];
    if (hostId)
        ++m_hostHours[HostHour {hostId, densityBucket(ts, kDensityHourUs)}];
}

void EventDensityCounter::remove(int64_t hostId, int64_t ts)
{
    --m_minutes[densityBucket(ts, kDensityMinuteUs)];
    if (hostId)
        --m_hostHours[HostHour {hostId, densityBucket(ts, kDensityHourUs)}];
}

void EventDensityCounter::flush(sql::Db &db)
{
    bool removed = false;
    if (!m_minutes.empty()) {
        auto up = db.cached("INSERT INTO event_minutes(minute, n) VALUES(?, ?) "
                            "ON CONFLICT(minute) DO UPDATE SET n = event_minutes.n + excluded.n");
        for (const auto &[minute, n] : m_minutes) {
            removed = removed || n < 0;
            up->bind(1, minute).bind(2, n);
            up->exec();
        }
    }
    if (!m_hostHours.empty()) {
        auto up = db.cached("INSERT INTO host_event_hours(host_id, hour, n) VALUES(?, ?, ?) "
                            "ON CONFLICT(host_id, hour) DO UPDATE SET n = host_event_hours.n + excluded.n");
        for (const auto &[key, n] : m_hostHours) {
            removed = removed || n < 0;
            up->bind(1, key.host).bind(2, key.hour).bind(3, n);
            up->exec();
        }
    }
    if (removed)
        db.exec("DELETE FROM event_minutes WHERE n <= 0; DELETE FROM host_event_hours WHERE n <= 0;");
    clear();
}

void EventDensityCounter::clear()
{
    m_minutes.clear();
    m_hostHours.clear();
}

void subtractSourceEvents(sql::Db &db, int64_t sourceId, int64_t firstEvent, int64_t lastEvent)
{
    EventDensityCounter gone;
    auto st = db.prepare("SELECT coalesce(host_id, 0), ts FROM events WHERE id BETWEEN ? AND ? AND source_id = ? AND "
                         "ts IS NOT NULL");
    st.bind(1, firstEvent).bind(2, lastEvent).bind(3, sourceId);
    while (st.step())
        gone.remove(st.int64(0), st.int64(1));
    gone.flush(db);
}

std::vector<std::string> eventDensityFillSql()
{
    // Derived from the events alone: whatever the tables held (a downgraded copy) is recounted.
    return {"DELETE FROM event_minutes", "DELETE FROM host_event_hours",
        "INSERT INTO event_minutes(minute, n) SELECT m, count(*) FROM (SELECT "
            + densityBucketSql("ts", kDensityMinuteUs) + " AS m FROM events WHERE ts IS NOT NULL) b GROUP BY m",
        "INSERT INTO host_event_hours(host_id, hour, n) SELECT host_id, h, count(*) FROM (SELECT host_id, "
            + densityBucketSql("ts", kDensityHourUs)
            + " AS h FROM events WHERE ts IS NOT NULL AND host_id IS NOT NULL) b GROUP BY host_id, h"};
}

void fillEventDensity(sql::Db &db)
{
    for (const std::string &sql : eventDensityFillSql())
        db.exec(sql);
}

} // namespace tt::store
