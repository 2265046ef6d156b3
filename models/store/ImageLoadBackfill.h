#pragma once

// Schema 14 (2026-12-03): Sysmon 7 records whose ImageLoaded is a UNC path (a module mapped
// straight from a share) are normalised as file_events of kind "image-load" (rule remote-image).
// A case imported before holds those records only as payloads; migrate() re-reads them here.

#include <cstdint>

namespace tt::sql {
class Db;
}

namespace tt::store {

// "\\host\share\..." / "//host/share/...", not the "\\?\" / "\\.\" prefixes of local paths.
bool isUncImagePath(const char *begin, const char *end);

// Adds the image-load rows of every stored Sysmon 7 record with a UNC ImageLoaded (image, process
// GUID and id, hashes and, when the record names one the case knows, the account), and marks
// inference pending when it added any. Returns the rows added. SQLite cases (a server case's
// records are read through the same interface only once it is opened, see docs/server.md).
int64_t backfillImageLoads(sql::Db &db);

} // namespace tt::store
