#pragma once

// A case file can be hand-edited or crafted: before the code trusts its tables, check that they
// are what this build's schema says they are. Both throw std::runtime_error("not a valid
// TransferTrace case: ...") naming the first problem found.

namespace tt::sql {
class Db;
}

namespace tt::store {

// Any schema version: no object that has the name of one of our tables is something else (a view,
// an index, a trigger). Reads only; safe before a migration.
void checkTableKinds(sql::Db &db);

// At kSchemaVersion: every table of the schema exists, is a table and has every expected column
// (extra columns are tolerated). Reads only.
void checkSchema(sql::Db &db);

} // namespace tt::store
