#include "store/PgRoles.h"

#include "store/CaseLocation.h"
#include "store/PgDb.h"
#include "store/PgSchema.h"

#include <libpq-fe.h>

#include <stdexcept>

namespace tt::store {

namespace {

std::string currentUser(sql::PgDb &db)
{
    auto st = db.prepare("SELECT current_user");
    return st.step() ? st.text(0) : std::string();
}

// Only the schema's owner (or a member of its owning role) and superusers may grant; anyone else
// would get warnings ("no privileges were granted"), not errors, so this is checked first.
void requireOwner(sql::PgDb &db, const CaseLocation &location)
{
    if (pgSchemaVersion(db, location) == 0)
        throw std::runtime_error("there is no case '" + location.caseName() + "' at " + location.redacted());
    auto st = db.prepare("SELECT pg_has_role(current_user, n.nspowner, 'USAGE') OR r.rolsuper, o.rolname "
                         "FROM pg_namespace n JOIN pg_roles o ON o.oid = n.nspowner "
                         "JOIN pg_roles r ON r.rolname = current_user WHERE n.nspname = ?");
    st.bind(1, location.schemaName());
    if (!st.step() || st.int64(0) == 0) {
        const std::string owner = st.columnCount() > 1 && !st.isNull(1) ? st.text(1) : std::string("?");
        st.reset();
        throw std::runtime_error("role " + currentUser(db) + " does not own the case " + location.redacted()
            + " (its owner is " + owner + "); only the owner or a superuser can grant or revoke access");
    }
}

void revokeAll(sql::PgDb &db, const std::string &schema, const std::string &role)
{
    const std::string s = quotePgIdentifier(schema), r = quotePgIdentifier(role);
    db.exec("REVOKE ALL ON ALL TABLES IN SCHEMA " + s + " FROM " + r + ";" + "REVOKE ALL ON ALL SEQUENCES IN SCHEMA "
        + s + " FROM " + r + ";" + "REVOKE ALL ON SCHEMA " + s + " FROM " + r + ";"
        + "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA " + s + " FROM " + r + ";" + "ALTER DEFAULT PRIVILEGES IN SCHEMA " + s
        + " REVOKE ALL ON TABLES FROM " + r + ";" + "ALTER DEFAULT PRIVILEGES IN SCHEMA " + s
        + " REVOKE ALL ON SEQUENCES FROM " + r + ";");
}

void requireRole(sql::PgDb &db, const std::string &role)
{
    if (role.empty())
        throw std::runtime_error("no role named");
    if (!pgRoleExists(db, role))
        throw std::runtime_error("there is no role '" + role
            + "' on the server; create it first (CREATE ROLE ... LOGIN PASSWORD ..., or `transfertrace server grant "
              "URL --analyst|--viewer ROLE --create` with the password on stdin)");
}

PgCaseAccess accessFor(sql::PgDb &db, const std::string &schema, const std::string &caseLabel)
{
    PgCaseAccess a;
    a.role = currentUser(db);
    auto exists = db.prepare("SELECT count(*) FROM pg_namespace WHERE nspname = ?");
    exists.bind(1, schema);
    const bool found = exists.step() && exists.int64(0) > 0;
    exists.reset();
    if (!found) {
        a.reason = "there is no case " + caseLabel;
        return a;
    }
    a.caseExists = true;
    auto usage = db.prepare("SELECT has_schema_privilege(?, 'USAGE')");
    usage.bind(1, schema);
    const bool hasUsage = usage.step() && usage.int64(0) != 0;
    usage.reset();
    if (!hasUsage) {
        a.reason = "role " + a.role + " may not read this case (no USAGE on schema " + schema
            + "; the owner grants it with `transfertrace server grant URL --viewer " + a.role + "`)";
        return a;
    }
    auto tables = db.prepare(
        "SELECT coalesce(bool_and(has_table_privilege(c.oid, 'SELECT')), true), "
        "coalesce(bool_and(has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'UPDATE') "
        "AND has_table_privilege(c.oid, 'DELETE')), true), "
        "coalesce(bool_or(has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE') "
        "OR has_table_privilege(c.oid, 'DELETE')), false), "
        "coalesce(string_agg(c.relname, ', ' ORDER BY c.relname) FILTER (WHERE NOT has_table_privilege(c.oid, "
        "'SELECT')), ''), "
        "coalesce(string_agg(c.relname, ', ' ORDER BY c.relname) FILTER (WHERE NOT (has_table_privilege(c.oid, "
        "'INSERT') AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))), '') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
        "AND c.relkind IN ('r', 'p') AND NOT c.relispartition"); // partitions are reached through events
    tables.bind(1, schema);
    tables.step();
    const bool selectAll = tables.int64(0) != 0, writeAll = tables.int64(1) != 0, writeAny = tables.int64(2) != 0;
    const std::string unreadable = tables.text(3), unwritable = tables.text(4);
    tables.reset();
    auto sequences = db.prepare("SELECT coalesce(bool_and(has_sequence_privilege(c.oid, 'USAGE')), true) "
                                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE n.nspname = ? AND c.relkind = 'S'");
    sequences.bind(1, schema);
    const bool sequencesOk = sequences.step() && sequences.int64(0) != 0;
    sequences.reset();
    const bool readOnlySession
        = db.queryInt("SELECT (current_setting('default_transaction_read_only') = 'on')::int") != 0;

    a.canRead = selectAll;
    a.canWrite = selectAll && writeAll && sequencesOk && !readOnlySession;
    if (!selectAll)
        a.reason = "role " + a.role + " may not read every table of this case (no SELECT on " + unreadable + ")";
    else if (!writeAny)
        a.reason = "role " + a.role + " may only read this case (granted as viewer)";
    else if (!writeAll)
        a.reason = "role " + a.role + " may not change every table of this case (no INSERT, UPDATE or DELETE on "
            + unwritable + ")";
    else if (!sequencesOk)
        a.reason = "role " + a.role + " may not add rows to this case (no USAGE on its sequences)";
    else if (readOnlySession)
        a.reason = "the case was opened read-only";
    return a;
}

} // namespace

std::string quotePgIdentifier(const std::string &name)
{
    if (name.find('\0') != std::string::npos)
        throw std::runtime_error("a role name cannot hold a NUL character");
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

bool pgRoleExists(sql::PgDb &db, const std::string &role)
{
    auto st = db.prepare("SELECT count(*) FROM pg_roles WHERE rolname = ?");
    st.bind(1, role);
    return st.step() && st.int64(0) > 0;
}

void grantPgCase(sql::PgDb &db, const CaseLocation &location, const std::string &role, PgCaseRole as)
{
    requireRole(db, role);
    requireOwner(db, location);
    const std::string s = quotePgIdentifier(location.schemaName()), r = quotePgIdentifier(role);
    sql::PgTransaction tx(db);
    revokeAll(db, location.schemaName(), role);
    db.exec("GRANT USAGE ON SCHEMA " + s + " TO " + r);
    if (as == PgCaseRole::Viewer) {
        db.exec("GRANT SELECT ON ALL TABLES IN SCHEMA " + s + " TO " + r + ";" + "ALTER DEFAULT PRIVILEGES IN SCHEMA "
            + s + " GRANT SELECT ON TABLES TO " + r + ";");
    } else {
        db.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r + ";"
            + "GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r
            + ";"
            // tt_ensure_event_partitions: an import into a month the case has no partition for
            // (store/PgPartitions.h); not executable by PUBLIC.
            + "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA " + s + " TO " + r + ";" + "ALTER DEFAULT PRIVILEGES IN SCHEMA "
            + s + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + r + ";"
            + "ALTER DEFAULT PRIVILEGES IN SCHEMA " + s + " GRANT USAGE ON SEQUENCES TO " + r + ";");
    }
    tx.commit();
}

void revokePgCase(sql::PgDb &db, const CaseLocation &location, const std::string &role)
{
    requireRole(db, role);
    requireOwner(db, location);
    sql::PgTransaction tx(db);
    revokeAll(db, location.schemaName(), role);
    tx.commit();
}

void createPgLoginRole(sql::PgDb &db, const std::string &role, const std::string &password)
{
    if (password.empty())
        throw std::runtime_error("no password given for the new role " + role + " (read from stdin)");
    if (pgRoleExists(db, role))
        throw std::runtime_error("role " + role + " exists already; leave out --create");
    char *verifier = PQencryptPasswordConn(db.handle(), password.c_str(), role.c_str(), "scram-sha-256");
    if (!verifier)
        throw std::runtime_error("cannot compute the password verifier for role " + role);
    std::string v(verifier);
    PQfreemem(verifier);
    if (v.find_first_of("'\\") != std::string::npos)
        throw std::runtime_error("unexpected characters in the password verifier");
    db.exec("CREATE ROLE " + quotePgIdentifier(role) + " LOGIN PASSWORD '" + v + "'");
}

PgCaseAccess pgCaseAccess(sql::PgDb &db, const CaseLocation &location)
{
    return accessFor(db, location.schemaName(), location.redacted());
}

PgCaseAccess pgCaseAccess(sql::PgDb &db)
{
    // PgDb::open sets search_path to the case's schema alone ("tt_<case>", quoted).
    auto st = db.prepare("SELECT current_setting('search_path')");
    std::string path = st.step() ? st.text(0) : std::string();
    st.reset();
    path = path.substr(0, path.find(','));
    if (path.size() >= 2 && path.front() == '"' && path.back() == '"')
        path = path.substr(1, path.size() - 2);
    return accessFor(db, path, "in schema " + path);
}

} // namespace tt::store
