#pragma once

#include "workbench/FilterState.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
} // namespace sql

// A transfer drawn on the timeline at its first_ts.
struct TimelineMarker {
    int64_t id = 0;
    int64_t firstTs = 0;
    int64_t lastTs = 0;
    int64_t src = 0; // kUnknownSourceHost (-1) when the source is unknown
    QString unknownSource; // then: its name as the graph gives it (unknownSourceName), else ""
    int64_t dst = 0;
    QString method;
    double confidence = 0;
    bool inWindow = true; // also inside the filter's time window (false: drawn faded)
    // For the pivots of the marker's context menu.
    int64_t accountId = 0;
    QString account; // DOMAIN\name as stored
    QString fileName;
    QString key; // transfers.key (annotations)
    QStringList parentImages; // parent image of the source process and of the executing process
};

// Event counts of one host over the bins.
struct TimelineLane {
    int64_t hostId = 0;
    QString name;
    std::vector<int64_t> counts;
};

// What the timeline draws for a window [fromUs, toUs): bin i covers
// [binFromUs + i * binUs, binFromUs + (i + 1) * binUs) clipped to the window; binUs is a round
// width (TimeScale::niceBinWidth) and binFromUs <= fromUs a multiple of it.
struct TimelineData {
    int64_t fromUs = 0;
    int64_t toUs = 0;
    int64_t binUs = 1;
    int64_t binFromUs = 0;
    int64_t binStartUs(int i) const { return binFromUs + static_cast<int64_t>(i) * binUs; }
    std::vector<int64_t> counts; // all events in view (of the filter's hosts when it has some)
    std::vector<TimelineLane> lanes; // perHost only, ordered by host name
    std::vector<TimelineMarker> markers; // ordered by first_ts, id
    QHash<qint64, QString> hostNames; // every host of the case (tooltips, lanes)
    int64_t caseFirstUs = 0; // extent of the case's event times (0, 0: no events)
    int64_t caseLastUs = 0;
    int64_t eventsInWindow = 0;
    QString error;

    int bins() const { return static_cast<int>(counts.size()); }
    int64_t maxCount() const;
};

// Event density and transfer markers for [fromUs, toUs) in at most `bins` + 1 bins (clamped to
// 1..20000) of a round width.
// Events are restricted to the filter's hosts only (events have no transfer attributes); markers
// are the transfers the filter keeps when its time window is ignored, with inWindow telling
// whether the full filter (time window included) keeps them too, so the brushed-out ones can be
// shown faded instead of vanishing. When toUs <= fromUs the whole case (plus margin) is used.
// Never throws: errors land in TimelineData::error.
// Where the event density comes from: the counts kept at import (schema 12; the events where a
// bin is not a whole number of minutes / host hours, or on an older read-only case), or always the
// events themselves (tests compare the two).
enum class DensityFrom { KeptCounts, Events };
TimelineData queryTimeline(sql::Db &db, const FilterState &filter, int64_t fromUs, int64_t toUs, int bins, bool perHost,
    DensityFrom from = DensityFrom::KeptCounts);
TimelineData queryTimeline(
    store::CaseStore &store, const FilterState &filter, int64_t fromUs, int64_t toUs, int bins, bool perHost);

// The density statements (?1 from, ?2 to, ?3 host), exposed so that tests can check that their
// plans are covering-index range searches.
extern const char *const kTimelineCountSql;
extern const char *const kTimelineNextSql;
extern const char *const kTimelineHostCountSql;
extern const char *const kTimelineHostNextSql;

} // namespace tt
