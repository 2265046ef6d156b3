#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::sql {
class Db;
}

namespace tt::store {

// The full-text index of events (events_fts, schema v5; docs/event-search.md).
//
// Its rowid is the search key of an event: the event's UTC second in the high bits and its id in
// the low kSearchIdBits, so FTS5 hands out hits in time order (to the second) and a page of
// results stops early instead of sorting every hit. Events without a time sort first (second 0).
inline constexpr int kSearchIdBits = 30; // events.id below 2^30 (a billion events) are indexed
inline constexpr int64_t kSearchIdMask = (int64_t(1) << kSearchIdBits) - 1;
inline constexpr int64_t kSearchMaxSecond = (int64_t(1) << 33) - 1; // year 2242

int64_t searchSecond(int64_t tsUs, bool hasTime); // clamped to [0, kSearchMaxSecond]
inline int64_t searchKey(int64_t tsUs, bool hasTime, int64_t eventId)
{
    return (searchSecond(tsUs, hasTime) << kSearchIdBits) | (eventId & kSearchIdMask);
}
inline int64_t searchKeyFirst(int64_t second)
{
    return second << kSearchIdBits;
}
inline int64_t searchKeyLast(int64_t second)
{
    return (second << kSearchIdBits) | kSearchIdMask;
}

// The analyst's text as an FTS5 query that cannot be misread as FTS5 syntax: each whitespace-
// separated word becomes one quoted string ("" for a quote inside), words are ANDed. The trigram
// tokenizer needs three characters: shorter words are left out (listed in *dropped). Empty when
// nothing is left to search for (the caller then matches nothing, never everything).
std::string ftsQueryForText(std::string_view text, std::vector<std::string> *dropped = nullptr);

// The last events.id the index holds (case_info 'search_indexed_through'; 0 = nothing yet).
int64_t searchIndexedThrough(sql::Db &db);
void setSearchIndexedThrough(sql::Db &db, int64_t eventId); // inside the caller's transaction
// Events not in the index yet (stored after the last build): counted when at most
// kExactPending ids lie past the mark, else that span of ids (the same number while ids have no
// gaps; never a scan of millions of rows).
inline constexpr int64_t kExactPending = 200000;
int64_t searchPendingEvents(sql::Db &db);

// After a build on a server: moves the trigram index's pending list (GIN fastupdate: up to
// gin_pending_list_limit, 4 MiB, of new entries that every search reads in full and that the
// planner prices page by page, so that it walks or scans events_fts instead until autovacuum
// merges them) into the index. Needs the index's owner; for another role it leaves the list to
// autovacuum. Returns the pages merged (0 on a case file).
int64_t settleSearchIndex(sql::Db &db);

} // namespace tt::store
