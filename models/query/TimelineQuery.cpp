#include "query/TimelineQuery.h"

#include "query/GraphQuery.h"
#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/EventDensity.h"
#include "store/Schema.h"
#include "store/Sqlite.h"
#include "workbench/TimeScale.h"

#include <QList>

#include <algorithm>
#include <exception>
#include <tuple>

namespace tt {

// Cost, on a case of N events (1 M and more):
// - case extent: two seeks on events_ts (ORDER BY ts LIMIT 1, both ends): O(log N).
// - density: per non-empty bin, one seek for the next event and one count(*) over the bin's
//   range of the covering index events_ts, or, for lanes / a host filter, of events_host_ts
//   (host_id = ? AND ts range) per host. No table row is read. O(non-empty bins x log N + events
//   in window). A GROUP BY on integer bin arithmetic reads the same index entries but sorts
//   them in a temp B-tree: on a 1 M-event, 60-host case (whole case, 300 bins) that took 460 ms;
//   this whole queryTimeline() takes 60-80 ms (with 60 lanes 190-210 ms, a 3-host filter 7 ms,
//   a one-hour window 2 ms).
//   No INDEXED BY: a case whose bulk indexes are still deferred must work, only slower;
//   tst_timeline_query checks the plans.
//   Since schema 12 the writer keeps event counts per minute (whole case) and per host hour
//   (store/EventDensity.h): when the bin width is a whole number of those units, the bins are
//   summed from them (O(minutes or hours in the window)) and only the window's two partial edge
//   units are counted in the index. 10 M events, whole week: a few thousand rows instead of
//   10 M index entries.
// - markers: transfers_ts range on first_ts plus the shared transfer filter: O(transfers in window).
// - host names: one scan of hosts (tens to hundreds of rows).

const char *const kTimelineCountSql = "SELECT count(*) FROM events WHERE ts >= ?1 AND ts < ?2";
const char *const kTimelineNextSql = "SELECT ts FROM events WHERE ts >= ?1 AND ts < ?2 ORDER BY ts LIMIT 1";
const char *const kTimelineHostCountSql = "SELECT count(*) FROM events WHERE host_id = ?3 AND ts >= ?1 AND ts < ?2";
const char *const kTimelineHostNextSql
    = "SELECT ts FROM events WHERE host_id = ?3 AND ts >= ?1 AND ts < ?2 ORDER BY ts LIMIT 1";

namespace {

constexpr int kMaxBins = 20000;

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

// The same bins as density(), summed from the counts kept at import: `event_minutes` for all
// events (hostId < 0), `host_event_hours` for one host. False (nothing counted) when the bin width
// is not a whole number of the table's unit or the window is too short to hold a whole unit; the
// caller then counts the events. The window's edges that cut a unit are counted exactly through
// `count` (each edge lies inside one bin: bins start at multiples of the unit).
bool densityFromSummary(sql::Db &db, sql::Stmt &count, int64_t hostId, int64_t fromUs, int64_t toUs, int64_t binFromUs,
    int64_t binUs, std::vector<int64_t> &counts, int64_t *total)
{
    const int64_t unit = hostId < 0 ? store::kDensityMinuteUs : store::kDensityHourUs;
    if (binUs % unit != 0)
        return false;
    constexpr int64_t kLimit = INT64_MAX / 4; // keeps the unit arithmetic below from overflowing
    if (fromUs < -kLimit || toUs > kLimit)
        return false;
    const int64_t firstUnit = floorDiv(fromUs + unit - 1, unit); // first whole unit in the window
    const int64_t endUnit = floorDiv(toUs, unit); // one past the last whole unit
    if (firstUnit >= endUnit)
        return false;
    const auto bins = static_cast<int64_t>(counts.size());
    auto addAt = [&](int64_t us, int64_t n) {
        const int64_t i = floorDiv(us - binFromUs, binUs);
        if (i >= 0 && i < bins) {
            counts[static_cast<size_t>(i)] += n;
            *total += n;
        }
    };
    auto exact = [&](int64_t lo, int64_t hi) {
        if (lo >= hi)
            return;
        count.bind(1, lo).bind(2, hi);
        if (hostId >= 0)
            count.bind(3, hostId);
        if (count.step())
            addAt(lo, count.int64(0));
        count.reset();
    };
    exact(fromUs, firstUnit * unit);
    exact(endUnit * unit, toUs);
    auto st = hostId < 0
        ? db.prepare("SELECT minute, n FROM event_minutes WHERE minute >= ?1 AND minute < ?2")
        : db.prepare("SELECT hour, n FROM host_event_hours WHERE host_id = ?3 AND hour >= ?1 AND hour < ?2");
    st.bind(1, firstUnit).bind(2, endUnit);
    if (hostId >= 0)
        st.bind(3, hostId);
    while (st.step())
        addAt(st.int64(0) * unit, st.int64(1));
    return true;
}

// Counts per bin for all events (hostId < 0) or one host; bin i covers
// [binFromUs + i * binUs, + binUs) clipped to the window [fromUs, toUs). Jumps from non-empty bin
// to non-empty bin: per non-empty bin one seek for the next event and one counted index range.
// With `kept` (a case of schema 12 or later) from the counts kept at import where the bin width
// allows it (densityFromSummary).
std::vector<int64_t> density(sql::Db *kept, sql::Stmt &next, sql::Stmt &count, int64_t hostId, int64_t fromUs,
    int64_t toUs, int64_t binFromUs, int64_t binUs, int bins, int64_t *total)
{
    std::vector<int64_t> counts(static_cast<size_t>(bins), 0);
    if (kept && densityFromSummary(*kept, count, hostId, fromUs, toUs, binFromUs, binUs, counts, total))
        return counts;
    auto bind = [&](sql::Stmt &st, int64_t lo, int64_t hi) {
        st.bind(1, lo).bind(2, hi);
        if (hostId >= 0)
            st.bind(3, hostId);
    };
    int64_t i = 0;
    while (i < bins) {
        bind(next, std::max(fromUs, binFromUs + i * binUs), toUs);
        const bool more = next.step();
        const int64_t ts = more ? next.int64(0) : 0;
        next.reset(); // also clears the bindings
        if (!more)
            break;
        i = (ts - binFromUs) / binUs;
        const int64_t lo = binFromUs + i * binUs;
        bind(count, std::max(fromUs, lo), std::min(toUs, lo + binUs));
        if (count.step()) {
            counts[static_cast<size_t>(i)] = count.int64(0);
            *total += count.int64(0);
        }
        count.reset();
        ++i;
    }
    return counts;
}

void caseExtent(sql::Db &db, TimelineData &out)
{
    auto lo = db.prepare("SELECT ts FROM events WHERE ts IS NOT NULL ORDER BY ts LIMIT 1");
    auto hi = db.prepare("SELECT ts FROM events WHERE ts IS NOT NULL ORDER BY ts DESC LIMIT 1");
    if (lo.step() && hi.step()) {
        out.caseFirstUs = lo.int64(0);
        out.caseLastUs = hi.int64(0);
    }
}

} // namespace

int64_t TimelineData::maxCount() const
{
    int64_t m = 0;
    if (lanes.empty()) {
        for (int64_t c : counts)
            m = std::max(m, c);
    } else {
        for (const TimelineLane &l : lanes)
            for (int64_t c : l.counts)
                m = std::max(m, c);
    }
    return m;
}

TimelineData queryTimeline(
    store::CaseStore &store, const FilterState &filter, int64_t fromUs, int64_t toUs, int bins, bool perHost)
{
    return queryTimeline(store.db(), filter, fromUs, toUs, bins, perHost);
}

TimelineData queryTimeline(
    sql::Db &db, const FilterState &filter, int64_t fromUs, int64_t toUs, int bins, bool perHost, DensityFrom from)
{
    TimelineData out;
    try {
        sql::Db *kept = from == DensityFrom::KeptCounts && store::hasTable(db, "event_minutes") ? &db : nullptr;
        caseExtent(db, out);
        if (toUs <= fromUs) {
            if (out.caseLastUs == 0 && out.caseFirstUs == 0)
                return out; // an empty case: nothing to bin
            std::tie(fromUs, toUs) = TimeScale::caseLimits(out.caseFirstUs, out.caseLastUs);
        }
        bins = std::clamp(bins, 1, kMaxBins);
        const int64_t span = toUs - fromUs;
        out.fromUs = fromUs;
        out.toUs = toUs;
        // A round bin width ("1 h", "15 min") on a grid of its multiples, so that bins start at
        // round times; fewer bins than asked for may then cover the window.
        out.binUs = TimeScale::niceBinWidth(std::max<int64_t>(1, (span + bins - 1) / bins));
        out.binFromUs = floorDiv(fromUs, out.binUs) * out.binUs;
        bins = static_cast<int>(std::max<int64_t>(1, (toUs - out.binFromUs + out.binUs - 1) / out.binUs));

        {
            auto st = db.prepare("SELECT id, name FROM hosts");
            while (st.step())
                out.hostNames.insert(st.int64(0), QString::fromStdString(st.text(1)));
        }

        // Lanes: the filter's hosts, or with perHost and no host filter every host with events.
        std::vector<std::pair<QString, int64_t>> laneHosts;
        if (!filter.hosts.isEmpty()) {
            for (qint64 id : filter.hosts)
                laneHosts.emplace_back(out.hostNames.value(id), id);
        } else if (perHost) {
            auto st = db.prepare(
                "SELECT h.id, h.name FROM hosts h WHERE EXISTS (SELECT 1 FROM events e WHERE e.host_id = h.id)");
            while (st.step())
                laneHosts.emplace_back(QString::fromStdString(st.text(1)), st.int64(0));
        }
        std::sort(laneHosts.begin(), laneHosts.end());

        if (filter.hosts.isEmpty()) {
            auto next = db.prepare(kTimelineNextSql);
            auto count = db.prepare(kTimelineCountSql);
            out.counts
                = density(kept, next, count, -1, fromUs, toUs, out.binFromUs, out.binUs, bins, &out.eventsInWindow);
        } else {
            out.counts.assign(static_cast<size_t>(bins), 0);
        }
        if (!laneHosts.empty()) {
            auto next = db.prepare(kTimelineHostNextSql);
            auto count = db.prepare(kTimelineHostCountSql);
            for (const auto &[name, id] : laneHosts) {
                int64_t laneTotal = 0;
                TimelineLane lane {
                    id, name, density(kept, next, count, id, fromUs, toUs, out.binFromUs, out.binUs, bins, &laneTotal)};
                if (!filter.hosts.isEmpty()) { // the total is the sum of the filter's hosts
                    for (size_t i = 0; i < lane.counts.size(); ++i)
                        out.counts[i] += lane.counts[i];
                    out.eventsInWindow += laneTotal;
                }
                if (perHost)
                    out.lanes.push_back(std::move(lane));
            }
        }

        // Markers: one filter definition for all views (transferFilterSql). The full filter is
        // evaluated per row in the select list; the WHERE leaves the time window out.
        FilterState noWindow = filter;
        noWindow.fromUs = 0;
        noWindow.toUs = 0;
        const TransferFilterSql full = transferFilterSql(filter);
        const TransferFilterSql base = transferFilterSql(noWindow);
        const QString sqlText
            = QStringLiteral(
                  "SELECT t.id, t.first_ts, t.last_ts, coalesce(t.src_host_id, -1), "
                  "t.dst_host_id, t.method, t.confidence, coalesce(t.account_id, 0), "
                  "coalesce(CASE WHEN a.domain <> '' THEN a.domain || '\\' ELSE '' END || a.name, ''), "
                  "t.file_name, coalesce(sp.parent_image, ''), coalesce(dp.parent_image, ''), coalesce(t.key, ''), (")
            + full.where
            + QStringLiteral(") FROM transfers t LEFT JOIN accounts a ON a.id = t.account_id "
                             "LEFT JOIN processes sp ON sp.id = t.src_process_id "
                             "LEFT JOIN processes dp ON dp.id = t.dst_process_id WHERE (")
            + base.where + QStringLiteral(") AND t.first_ts >= ? AND t.first_ts < ? ORDER BY t.first_ts, t.id");
        auto st = db.prepare(sqlText.toStdString());
        int next = bindTransferFilter(st, full, 1);
        next = bindTransferFilter(st, base, next);
        st.bind(next, fromUs).bind(next + 1, toUs);
        while (st.step()) {
            TimelineMarker m;
            m.id = st.int64(0);
            m.firstTs = st.int64(1);
            m.lastTs = st.int64(2);
            m.src = st.int64(3);
            m.dst = st.int64(4);
            m.method = QString::fromStdString(st.text(5));
            m.confidence = st.real(6);
            m.accountId = st.int64(7);
            m.account = QString::fromStdString(st.text(8));
            m.fileName = QString::fromStdString(st.text(9));
            for (int c : {10, 11}) {
                const QString img = QString::fromStdString(st.text(c));
                if (!img.isEmpty() && !m.parentImages.contains(img, Qt::CaseInsensitive))
                    m.parentImages << img;
            }
            m.key = QString::fromStdString(st.text(12));
            m.inWindow = st.int64(13) != 0;
            out.markers.push_back(std::move(m));
        }
        // Unknown sources named as the graph names their nodes (one grouping over the case).
        if (std::any_of(out.markers.cbegin(), out.markers.cend(), [](const TimelineMarker &m) { return m.src < 0; })) {
            const UnknownSources unknown = queryUnknownSources(db);
            for (TimelineMarker &m : out.markers)
                if (m.src < 0)
                    m.unknownSource = unknownSourceName(unknown.forTransfer(m.id));
        }
    } catch (const std::exception &e) {
        const int64_t first = out.caseFirstUs, last = out.caseLastUs;
        out = TimelineData {};
        out.caseFirstUs = first;
        out.caseLastUs = last;
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

} // namespace tt
