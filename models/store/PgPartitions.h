#pragma once

#include <cstdint>
#include <string>

namespace tt::sql {
class PgDb;
}

namespace tt::store {

class CaseLocation;

// The events table of a server case, partitioned by time (issue 13 item 6, docs/server.md "Scale
// on the server"). Layout:
//   events            PARTITION BY RANGE (ts): the same columns as the case file's events;
//                     UNIQUE (id, ts) instead of PRIMARY KEY (id): a key of a partitioned table
//                     must hold the partition key, and a primary key would make ts NOT NULL.
//                     id stays an identity column numbered from one sequence, so ids are unique
//                     over all partitions; look-ups by id use that index's leading column.
//   events_YYYY_MM    one partition per calendar month (UTC) of ts, made on demand;
//   events_undated    the DEFAULT partition: events without a time (and any time outside
//                     1900..2199, which gets no month partition);
//   events_ts_brin    a BRIN index on ts (a few pages for millions of rows; the B-tree indexes of
//                     the case file stay, they serve ORDER BY ts ... LIMIT paging).
// Month partitions are made by tt_ensure_event_partitions(lo, hi), a SECURITY DEFINER function of
// the case's owner in the case's schema, so an analyst role (no CREATE on the schema) can import
// into a new month. It makes each missing month's partition as a table of its own, moves rows of
// that month out of the default partition (there are none when every writer asks first) and
// ATTACHes it: ATTACH takes SHARE UPDATE EXCLUSIVE on events (readers and other writers go on)
// and ACCESS EXCLUSIVE on events_undated only.
// Server cases made before this layout keep a plain events table and work unchanged; the owner's
// writable open converts them (partitionPgEvents).

// Whether the case's events table (current search_path) is partitioned.
bool pgEventsPartitioned(sql::PgDb &db);

// Converts a plain events table (current search_path = the case's schema) into the layout above,
// rows, indexes, grants and the id sequence kept; in the caller's transaction. Also used on the
// empty table of a new case. Returns false when it was partitioned already. Needs the schema's
// owner.
bool partitionPgEvents(sql::PgDb &db, const CaseLocation &location);

// Month partitions covering [loTs, hiTs] (UTC microseconds). Returns how many it made; 0 on an
// unpartitioned case. Runs in the caller's transaction (partitions made in a file's import
// transaction go away with its rollback).
int ensurePgEventPartitions(sql::PgDb &db, int64_t loTs, int64_t hiTs);

// [start, end) of the UTC calendar month holding ts (microseconds), for callers that remember
// which months they have asked for. Works for any int64 time.
void utcMonthBounds(int64_t ts, int64_t *start, int64_t *end);

} // namespace tt::store
