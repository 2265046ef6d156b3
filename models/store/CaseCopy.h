#pragma once

#include "store/QueryCancel.h"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tt::store {

class CaseLocation;

// Copying a whole case between a case file and a PostgreSQL server (issue 13 item 5,
// docs/server.md "Copying a case"). Works on the two connections directly (sql::Db, sql::PgDb):
// any pair of locations (file -> server, server -> file, also file -> file, server -> server).
//
// - Tables: the list comes from the source's catalogue (sqlite_schema / pg_catalog for schema
//   tt_<case>) and must equal the target's (created at the current schema version): a table
//   either side has and the other lacks is an error, never silently skipped; so is a column.
// - The full-text index (events_fts and, on SQLite, its FTS5 shadow tables) is derived data and
//   is NOT copied: the target's index starts empty and case_info 'search_indexed_through' is not
//   copied, so the workbench rebuilds the index on the target (docs/event-search.md). The SQLite
//   index is contentless: its text cannot be read back at all. That case_info key is therefore
//   also left out of the verification.
// - Ids are kept (explicit values); PostgreSQL identity sequences are set past the largest id.
// - Rows stream: one query per table in primary-key order (SQLite: a statement stepped row by
//   row; PostgreSQL: libpq's single-row mode on a connection that runs nothing else meanwhile),
//   written in batches of at most ~1000 rows / 8 MiB (PostgreSQL: COPY FROM STDIN, one per table).
//   Memory holds one batch. The big tables' secondary indexes are built once after the rows.
// - One transaction on the target. The verification (below) re-reads the target inside that
//   transaction; only a verified copy is committed. A failure, a cancel or a difference leaves
//   no half case: a file target is written to a temporary file beside it and renamed into place
//   at the end (an existing file is refused); a server case created by the copy is dropped again.
// - The source is read in one snapshot (SQLite read transaction / PostgreSQL REPEATABLE READ).

// Per table: the row count and a SHA-256 over a canonical rendering of its rows, the same on both
// engines (computed in C++ from the values read, never from the engine's text formatting):
// rows in primary-key order (tables without one: every column, columns by name), text compared
// bytewise (SQLite BINARY, PostgreSQL COLLATE "C"), NULLs first. Per row, the columns in byte
// order of their names; per value a tag byte and the value:
//   NULL 'N'; integer 'I' + 8 bytes big-endian two's complement; real 'R' + the 8 bytes of the
//   IEEE-754 double big-endian; text 'T' / blob 'B' + 8-byte big-endian length + the bytes.
// The tag follows the declared column type (INTEGER / REAL / TEXT / BLOB = bigint / double
// precision / text / bytea), so both engines render one value identically.
struct TableCheck {
    std::string table;
    int64_t sourceRows = 0, targetRows = 0;
    std::string sourceSha256, targetSha256; // lower-case hex
    bool matches() const { return sourceRows == targetRows && sourceSha256 == targetSha256; }
};

struct CopyOptions {
    bool replace = false; // a server case that already holds data is emptied first (else refused)
    std::string appVersion = "unknown"; // for the schema of a created server case
    sql::CancelFlag cancel; // checked between batches; running statements are interrupted
    // Called after each batch: the table being copied, rows done in it, its row count.
    std::function<void(const std::string &table, int64_t done, int64_t total)> progress;
    size_t batchRows = 1000; // rows per batch (and per progress call)
};

struct CopyReport {
    std::string from, to; // redacted
    std::vector<TableCheck> tables; // by name
    int64_t rows = 0; // rows copied
    double seconds = 0; // the copy, verification included
    bool verified = false; // every table matched; the target was committed only then
    bool createdTarget = false;
};

// Thrown by copyCase when the cancel flag was set: nothing was committed (or left behind).
class CopyCancelled : public std::runtime_error {
public:
    CopyCancelled()
        : std::runtime_error("cancelled; nothing was written")
    {
    }
};

// Copies the case at `from` to `to` and verifies it (see above). Returns the per-table checks;
// when verified is false the target was rolled back (and a created one removed). Throws
// std::runtime_error with a message for people (locations redacted) on every other failure:
// unreadable source, existing file target, server case holding data without `replace`, unknown
// tables or columns, values the target's type cannot hold.
CopyReport copyCase(const CaseLocation &from, const CaseLocation &to, const CopyOptions &options);

struct TableSum {
    std::string table;
    int64_t rows = 0;
    std::string sha256;
};
// The checksums of every copied table of a case (the definition above), by table name.
std::vector<TableSum> caseChecksums(const CaseLocation &location);

} // namespace tt::store
