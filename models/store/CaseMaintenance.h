#pragma once

#include "store/CaseStore.h"

#include <cstdint>
#include <memory>

namespace tt::store {

// What the import and the command line ask of the case file itself. Each is SQLite-only; all of
// them live in store/SqliteDialect.cpp, the one place a PostgreSQL backend replaces.

// Size of the case's database, for the import's bulk-mode decision.
int64_t fileBytes(CaseStore &store);
// Folds the WAL into the file and truncates it: the file alone is the whole case.
void checkpoint(CaseStore &store);
// Until the returned object goes, WAL checkpoints run on a helper thread (sql::WalCheckpointer).
std::unique_ptr<sql::WalCheckpointer> checkpointInBackground(CaseStore &store);
// Bulk import: secondary indexes dropped until restoreBulkIndexes (see store/Schema.h).
void dropBulkIndexes(CaseStore &store);
int restoreBulkIndexes(CaseStore &store); // returns how many were rebuilt

} // namespace tt::store
