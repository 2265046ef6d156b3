#pragma once

#include <optional>
#include <string>

namespace tt::sql {
class PgDb;
}

namespace tt::store {

class CaseLocation;

// Who may do what with a case on a PostgreSQL server (issue 13 item 4, docs/server.md "Roles"):
// PostgreSQL's own roles and grants, no user table of our own.
//   viewer:  USAGE on the schema tt_<case>, SELECT on its tables;
//   analyst: USAGE on the schema, SELECT / INSERT / UPDATE / DELETE on its tables, USAGE on its
//            sequences (identity columns);
// both also as DEFAULT PRIVILEGES of the granting role in that schema, so tables a later schema
// step adds (created by the same owner) follow.
enum class PgCaseRole { Viewer, Analyst };

// Grants `role` (an existing role) access to the case at `location` as viewer or analyst, in one
// transaction; whatever the role had on the case before is revoked first, so granting viewer to an
// analyst makes it a viewer. Throws std::runtime_error with a clear message when the role or the
// case does not exist, or the connected role may not grant (not the owner: SQLSTATE 42501).
void grantPgCase(sql::PgDb &db, const CaseLocation &location, const std::string &role, PgCaseRole as);
// Takes every privilege of `role` on the case away (schema, tables, sequences, default privileges).
void revokePgCase(sql::PgDb &db, const CaseLocation &location, const std::string &role);
// CREATE ROLE role LOGIN with a password: the SCRAM-SHA-256 verifier is computed by libpq on this
// side (PQencryptPasswordConn), so the password itself never reaches the server or its logs.
void createPgLoginRole(sql::PgDb &db, const std::string &role, const std::string &password);
bool pgRoleExists(sql::PgDb &db, const std::string &role);

// What the connected role may do with the case (from has_schema_privilege / has_table_privilege /
// has_sequence_privilege over every table and sequence of the case's schema). reason says why it
// cannot write (or read), for the workbench's read-only banner, e.g.
//   "role ana may only read this case (granted as viewer)".
struct PgCaseAccess {
    bool caseExists = false; // the case's schema is there (else reason: "there is no case ...")
    bool canRead = false;
    bool canWrite = false;
    std::string role; // current_user
    std::string reason; // "" when it can write
};
PgCaseAccess pgCaseAccess(sql::PgDb &db, const CaseLocation &location);
// The same for the case a PgDb was opened on (its search_path names the case's schema).
PgCaseAccess pgCaseAccess(sql::PgDb &db);

// The identifier quoted for SQL ("" doubled), for role names in GRANT / REVOKE (which take no
// parameters).
std::string quotePgIdentifier(const std::string &name);

} // namespace tt::store
