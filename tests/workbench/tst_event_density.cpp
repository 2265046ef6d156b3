// The event counts kept at import (schema 12, store/EventDensity.h) and the timeline density read
// from them: the buckets agree with their SQL form for every int64 (INT64_MIN included), the kept
// tables equal a GROUP BY over the events of a generated case, the timeline's bins from the kept
// counts equal the bins counted from the events for whole / odd-edged windows, lanes and a host
// filter, a duplicate file adds nothing, and an older case gets its counts by migration.

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "query/TimelineQuery.h"
#include "store/CaseStore.h"
#include "store/EventDensity.h"
#include "store/Schema.h"
#include "store/Sqlite.h"
#include "workbench/FilterState.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <climits>

using namespace tt;

namespace {

constexpr int64_t kMin = 60'000'000;
// Exact products of any bucket and width; __extension__ (no -Wpedantic error) needs the typedef form.
__extension__ typedef __int128 Wide; // NOLINT(modernize-use-using)

// (bucket, n) rows of a query, in order.
std::vector<std::pair<int64_t, int64_t>> rows(sql::Db &db, const std::string &sql)
{
    std::vector<std::pair<int64_t, int64_t>> out;
    auto st = db.prepare(sql);
    while (st.step())
        out.emplace_back(st.int64(0), st.int64(1));
    return out;
}

std::vector<std::pair<int64_t, int64_t>> hostRows(sql::Db &db, const std::string &sql)
{
    std::vector<std::pair<int64_t, int64_t>> out;
    auto st = db.prepare(sql);
    while (st.step())
        out.emplace_back(st.int64(0) * 1'000'000'000 + st.int64(1), st.int64(2));
    return out;
}

const std::string kMinutesKept = "SELECT minute, n FROM event_minutes ORDER BY minute";
const std::string kHoursKept = "SELECT host_id, hour, n FROM host_event_hours ORDER BY host_id, hour";

std::string minutesCounted()
{
    return "SELECT m, count(*) FROM (SELECT " + store::densityBucketSql("ts", store::kDensityMinuteUs)
        + " AS m FROM events WHERE ts IS NOT NULL) GROUP BY m ORDER BY m";
}

std::string hoursCounted()
{
    return "SELECT host_id, h, count(*) FROM (SELECT host_id, " + store::densityBucketSql("ts", store::kDensityHourUs)
        + " AS h FROM events WHERE ts IS NOT NULL AND host_id IS NOT NULL) GROUP BY host_id, h ORDER BY host_id, h";
}

} // namespace

class TstEventDensity : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_casePath;
    QStringList m_files;
    std::unique_ptr<store::CaseStore> m_cs;
    int64_t m_first = 0, m_last = 0;

    void compareTimelines(sql::Db &db, const FilterState &f, int64_t from, int64_t to, int bins, bool perHost)
    {
        const TimelineData kept = queryTimeline(db, f, from, to, bins, perHost, DensityFrom::KeptCounts);
        const TimelineData counted = queryTimeline(db, f, from, to, bins, perHost, DensityFrom::Events);
        QVERIFY2(kept.error.isEmpty(), qPrintable(kept.error));
        QVERIFY2(counted.error.isEmpty(), qPrintable(counted.error));
        QCOMPARE(kept.binUs, counted.binUs);
        QCOMPARE(kept.binFromUs, counted.binFromUs);
        QCOMPARE(kept.counts, counted.counts);
        QCOMPARE(kept.eventsInWindow, counted.eventsInWindow);
        QCOMPARE(kept.lanes.size(), counted.lanes.size());
        for (size_t i = 0; i < kept.lanes.size(); ++i) {
            QCOMPARE(kept.lanes[i].hostId, counted.lanes[i].hostId);
            QCOMPARE(kept.lanes[i].counts, counted.lanes[i].counts);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        gen::Options o;
        o.hosts = 8;
        o.days = 3;
        o.events = 30000;
        o.seed = 12;
        o.linuxHosts = 1;
        o.outDir = m_dir.filePath(QStringLiteral("rec"));
        const gen::Summary s = gen::generate(o);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        m_files = s.files;
        m_casePath = m_dir.filePath(QStringLiteral("density.ttcase"));
        m_cs = store::CaseStore::open(m_casePath.toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const QString &f : m_files)
            inputs.push_back(f.toStdString());
        ImportEngine engine(*m_cs, {});
        QCOMPARE(engine.run(inputs).exitCode(), 0);
        m_first = m_cs->db().queryInt("SELECT min(ts) FROM events");
        m_last = m_cs->db().queryInt("SELECT max(ts) FROM events");
        QVERIFY(m_last - m_first > 2 * 24 * 3600 * 1'000'000LL); // the generator's three days
    }

    void bucketsAgreeWithSql()
    {
        const int64_t values[] = {0, 1, kMin - 1, kMin, kMin + 1, -1, -kMin + 1, -kMin, -kMin - 1, INT64_MAX, INT64_MIN,
            INT64_MIN + 1, 1'700'000'000'000'000LL, -1'700'000'000'000'123LL};
        for (const int64_t width : {store::kDensityMinuteUs, store::kDensityHourUs}) {
            auto st = m_cs->db().prepare("SELECT " + store::densityBucketSql("?1", width));
            for (const int64_t v : values) {
                const int64_t b = store::densityBucket(v, width);
                // floor: the bucket's start is <= v and the next one's is > v (in 128 bits).
                QVERIFY(static_cast<Wide>(b) * width <= v);
                QVERIFY(static_cast<Wide>(b + 1) * width > v);
                st.bind(1, v);
                QVERIFY(st.step());
                QCOMPARE(st.int64(0), b);
                st.reset();
            }
        }
    }

    void keptCountsEqualTheEvents()
    {
        sql::Db &db = m_cs->db();
        const auto minutes = rows(db, kMinutesKept);
        QVERIFY(minutes.size() > 1000); // three days of minutes with events
        QCOMPARE(minutes, rows(db, minutesCounted()));
        const auto hours = hostRows(db, kHoursKept);
        QVERIFY(hours.size() > 100);
        QCOMPARE(hours, hostRows(db, hoursCounted()));
        int64_t total = 0;
        for (const auto &r : minutes)
            total += r.second;
        QCOMPARE(total, db.queryInt("SELECT count(*) FROM events WHERE ts IS NOT NULL"));
    }

    void timelineFromKeptCountsEqualsCounted()
    {
        sql::Db &db = m_cs->db();
        // Whole case (default window) at several widths: 1 h, 15 min, 5 min, 1 min, 10 s bins.
        for (const int bins : {60, 300, 1000, 4000, 20000})
            compareTimelines(db, {}, 0, 0, bins, false);
        // Odd edges: the window cuts minutes and hours at both ends.
        const int64_t from = m_first + 37 * 1'000'000 + 123;
        const int64_t to = m_last - 11 * kMin - 7;
        for (const int bins : {1, 7, 70, 700, 7000})
            compareTimelines(db, {}, from, to, bins, false);
        // Lanes (host hours) and a host filter, hour-wide and day-wide bins.
        for (const int bins : {10, 72, 300})
            compareTimelines(db, {}, from, to, bins, true);
        FilterState two;
        {
            auto st = db.prepare("SELECT id FROM hosts WHERE event_count > 0 ORDER BY id LIMIT 2");
            while (st.step())
                two.hosts.insert(st.int64(0));
        }
        QCOMPARE(two.hosts.size(), 2);
        for (const int bins : {3, 72, 500})
            compareTimelines(db, two, from, to, bins, false);
        // A window shorter than a minute and one inside a single hour.
        compareTimelines(db, {}, m_first + kMin / 3, m_first + kMin / 2, 10, true);
        compareTimelines(db, two, m_first + 5 * kMin, m_first + 50 * kMin, 3, true);
    }

    void keptCountsAreWhatTheTimelineReads()
    {
        // A copy whose kept counts are altered: the kept-count timeline shows the alteration,
        // the counted one does not (so the comparisons above compared two different paths).
        m_cs->db().exec("PRAGMA wal_checkpoint(TRUNCATE)"); // the copy below takes the main file only
        const QString copy = m_dir.filePath(QStringLiteral("altered.ttcase"));
        QVERIFY(QFile::copy(m_casePath, copy));
        auto cs = store::CaseStore::open(copy.toStdString(), store::CaseStore::Access::ReadWrite);
        cs->db().exec("UPDATE event_minutes SET n = n + 1000");
        const TimelineData kept = queryTimeline(cs->db(), {}, 0, 0, 300, false, DensityFrom::KeptCounts);
        const TimelineData counted = queryTimeline(cs->db(), {}, 0, 0, 300, false, DensityFrom::Events);
        QVERIFY(kept.eventsInWindow > counted.eventsInWindow + 1000);
    }

    void duplicateFileAddsNothing()
    {
        const auto before = rows(m_cs->db(), kMinutesKept);
        ImportEngine engine(*m_cs, {});
        QCOMPARE(engine.run({m_files.first().toStdString()}).exitCode(), 0);
        QCOMPARE(rows(m_cs->db(), kMinutesKept), before);
    }

    void olderCaseIsMigrated()
    {
        m_cs->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
        const QString old = m_dir.filePath(QStringLiteral("v11.ttcase"));
        QVERIFY(QFile::copy(m_casePath, old));
        {
            auto cs = store::CaseStore::open(old.toStdString(), store::CaseStore::Access::ReadWrite);
            cs->db().exec("DROP TABLE event_minutes; DROP TABLE host_event_hours; "
                          "DELETE FROM schema_version WHERE version >= 12");
        }
        {
            sql::Db raw;
            raw.open(old.toStdString(), sql::Db::Mode::ReadOnly);
            QCOMPARE(store::schemaVersion(raw), 11);
        }
        auto cs = store::CaseStore::open(old.toStdString(), store::CaseStore::Access::ReadWrite);
        QCOMPARE(store::schemaVersion(cs->db()), store::kSchemaVersion);
        QCOMPARE(rows(cs->db(), kMinutesKept), rows(m_cs->db(), kMinutesKept));
        QCOMPARE(hostRows(cs->db(), kHoursKept), hostRows(m_cs->db(), kHoursKept));
    }
};

QTEST_GUILESS_MAIN(TstEventDensity)
#include "tst_event_density.moc"
