// The SQLite dialect of store/CaseMaintenance.h: statements only SQLite understands, moved here
// from importers/ and app/ (issue 13) so that a PostgreSQL backend replaces them in one place.
//   fileBytes                  PRAGMA page_count, PRAGMA page_size
//   checkpoint                 PRAGMA wal_checkpoint(TRUNCATE)
//   checkpointInBackground     sqlite3_wal_hook, PRAGMA wal_checkpoint(PASSIVE) (sql::WalCheckpointer)
//   drop / restoreBulkIndexes  sqlite_master, INSERT OR IGNORE INTO deferred_indexes (store/Schema.cpp)
// On a server case (PostgreSQL, issue 13) fileBytes is the size of the case schema's tables with
// their indexes and TOAST, checkpoint does nothing (the server manages its WAL) and the background
// checkpointer stays inactive. See docs/server.md for the other dialect differences.
// SQLite-only SQL that was already inside models/ stays where it is used: the schema and its
// migrations (store/Schema.cpp), INSERT OR REPLACE / OR IGNORE in the writers and the annotation
// store, FTS5 (store/SearchIndex.cpp).
#include "store/CaseMaintenance.h"
#include "store/Schema.h"

namespace tt::store {

int64_t fileBytes(CaseStore &store)
{
    if (store.db().isPostgres())
        return store.db().queryInt("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c "
                                   "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "WHERE n.nspname = current_schema() AND c.relkind = 'r'");
    return store.db().queryInt("PRAGMA page_count") * store.db().queryInt("PRAGMA page_size");
}

void checkpoint(CaseStore &store)
{
    if (!store.db().isPostgres())
        store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

std::unique_ptr<sql::WalCheckpointer> checkpointInBackground(CaseStore &store)
{
    return std::make_unique<sql::WalCheckpointer>(store.db(), store.path());
}

void dropBulkIndexes(CaseStore &store)
{
    dropBulkIndexes(store.db());
}

int restoreBulkIndexes(CaseStore &store)
{
    return restoreBulkIndexes(store.db());
}

} // namespace tt::store
