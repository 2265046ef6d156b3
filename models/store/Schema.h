#pragma once

#include <span>
#include <string>
#include <string_view>

namespace tt::sql {
class Db;
}

namespace tt::store {

// Schema version written by this build. A case file with a higher version is refused; a lower
// one is migrated step by step (each step in its own transaction).
inline constexpr int kSchemaVersion = 14;

// The stable identity of a transfer row (transfers.key), as an SQL expression over its columns:
// destination host name | lower-case destination path or file name | first second (UTC).
// Inference sets it after writing the rows; annotations on transfers refer to it.
inline constexpr const char *kTransferKeySql
    = "(SELECT name FROM hosts WHERE hosts.id = transfers.dst_host_id) || '|' || "
      "lower(coalesce(transfers.dst_path, transfers.file_name)) || '|' || (transfers.first_ts / 1000000)";

// A secondary index of a big table that a bulk import drops and rebuilds; the PostgreSQL schema
// (store/PgSchema) creates the same ones.
struct BulkIndex {
    const char *name;
    const char *on; // "table(columns)"
};
std::span<const BulkIndex> bulkIndexes();

// The numbered steps from an empty database to kSchemaVersion, in SQLite's dialect. The
// PostgreSQL schema (store/PgSchema) runs the same steps through toPostgres(): one definition.
struct SchemaStep {
    int version;
    const char *sql;
};
std::span<const SchemaStep> schemaSteps();
// The events columns schema 6 adds (block_id, block_index) before it drops the payload columns;
// migrate() and the PostgreSQL schema both run it after step 6's own SQL.
const char *eventsBlockColumnsSql();
// The processes columns of schema 11 (hashes into process_hashes, two unread columns dropped);
// migrate() runs it after step 11's own SQL while processes still has `hashes`, the PostgreSQL
// schema always (a new case).
const char *processesV11Sql();
// annotations.version (schema 10), added after step 10's own SQL by migrate() (when missing) and
// by the PostgreSQL schema.
const char *annotationsVersionColumnSql();

// Whether the case has a table of that name: sqlite_schema on a case file, the case's schema
// (information_schema) on a server case.
bool hasTable(sql::Db &db, std::string_view name);

// Reads the version of an open case (0 for an empty database).
int schemaVersion(sql::Db &db);

// Creates or migrates the schema to kSchemaVersion. Throws sql::Error, or std::runtime_error
// when the file is newer than this build or is not a TransferTrace case.
void migrate(sql::Db &db, const std::string &appVersion);

// Bulk import: drop the big tables' secondary indexes (noting them in deferred_indexes, in the
// same transaction) and rebuild them afterwards. A crash in between leaves the note, and the
// next read-write open rebuilds them.
void dropBulkIndexes(sql::Db &db);
int restoreBulkIndexes(sql::Db &db); // returns how many were rebuilt
int pendingBulkIndexes(sql::Db &db);

} // namespace tt::store
