#pragma once

#include "store/QueryCancel.h"
#include "workbench/FilterState.h"

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
}

// What the event browser lists: every event of the case under the investigation filter (hosts,
// accounts, time window; with methodRelevant only the evidence of transfers in view, so the
// transfer facets apply too), narrowed by channel / event id and by a full-text search.
struct EventBrowserScope {
    FilterState filter; // filter.text is not applied here: the browser puts it in `search`
    QString channel; // "" = every channel
    int eventId = -1; // -1 = every event id
    bool methodRelevant = false;
    QString search; // the analyst's words (ANDed substrings, see store::ftsQueryForText); "" = none
    QStringList payloadColumns; // payload fields shown as extra columns, by name
};

// Where the next page starts (keyset pagination on (ts, id), never OFFSET). Events without a time
// come first, by id; a search walks the index's time-ordered keys.
struct EventCursor {
    bool nullPhase = true;
    int64_t ts = 0;
    int64_t id = 0;
    int64_t key = -1; // search: the last index key read (-1 = before the first)
};

struct EventBrowserRow {
    int64_t id = 0;
    bool hasTime = false;
    int64_t ts = 0;
    int64_t hostId = 0;
    QString host;
    QString channel;
    int eventId = 0;
    int64_t accountId = 0;
    QString account;
    QString process; // image of the process the record names
    QString summary;
    QStringList extra; // one per scope.payloadColumns
};

struct EventPage {
    std::vector<EventBrowserRow> rows; // in (time, id) order, continuing the previous page
    EventCursor next;
    bool atEnd = false;
    bool interrupted = false; // cancelled by a newer query
    QString error;
    QString note; // what the search left out (words under three characters)
    bool nothingToSearch = false; // the search text had no word to look for: no rows
    int64_t unindexed = 0; // first search page: events not in the index yet
};

inline constexpr int kEventPageSize = 200;
// A page ends on a whole second of the index's order (so pages of a search stay in time order);
// a second with more hits than this is cut there.
inline constexpr int kMaxSearchPage = 5000;

EventPage queryEventPage(sql::Db &db, const EventBrowserScope &scope, const EventCursor &from,
    int limit = kEventPageSize, const sql::CancelFlag &cancel = {});
EventPage queryEventPage(store::CaseStore &store, const EventBrowserScope &scope, const EventCursor &from,
    int limit = kEventPageSize, const sql::CancelFlag &cancel = {});

// Channel names of the case, for the browser's channel filter.
QStringList queryEventChannels(store::CaseStore &store);

} // namespace tt
