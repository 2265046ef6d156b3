#pragma once

#include "query/AncestryQuery.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
}

// What the full-text index holds for one event (docs/event-search.md): a compact text, not the raw
// record: the host and account and the values of the fields that say what happened (images and
// command lines of the process and its parent, target file, share and relative target, object,
// service and its image path, users, workstation, addresses, DNS name); for records without those
// (Zeek, Linux) the summary the browser shows.
QString eventSearchText(const QString &host, const QString &account, const std::vector<EventField> &fields);

struct SearchIndexBuild {
    int64_t indexed = 0; // events added by this run
    int64_t total = 0; // events that were pending when it started
    int64_t skippedIds = 0; // ids past store::kSearchIdBits: not searchable
    bool cancelled = false;
    double seconds = 0;
    QString error;
};

// Indexes the events stored after the last build (id > search_indexed_through), in batches of at
// most `batch` events and about 300 ms, each its own transaction that also moves the mark: a kill or a cancel keeps
// what was committed and the next run goes on from there. `db` must be writable; `cancel` is read
// between batches; `progress(done, total)` is called after each one.
SearchIndexBuild buildSearchIndex(sql::Db &db, const std::atomic<bool> *cancel = nullptr,
    const std::function<void(int64_t done, int64_t total)> &progress = {}, int batch = 20000);
// Alone on the case (a headless build, a benchmark): batches of `batch` events whatever they take,
// no pause between them. Nobody else may be writing (a waiting writer would hit its busy timeout).
SearchIndexBuild buildSearchIndexAlone(
    sql::Db &db, const std::function<void(int64_t done, int64_t total)> &progress = {}, int batch = 100000);
SearchIndexBuild buildSearchIndex(store::CaseStore &store, const std::atomic<bool> *cancel = nullptr,
    const std::function<void(int64_t done, int64_t total)> &progress = {}, int batch = 20000);

} // namespace tt
