#include "store/PgSchema.h"

#include "store/AddressBindings.h"
#include "store/CaseLocation.h"
#include "store/EventDensity.h"
#include "store/PgDb.h"
#include "store/PgPartitions.h"
#include "store/Schema.h"

#include <ctime>
#include <regex>
#include <stdexcept>
#include <vector>

namespace tt::store {

namespace {

// Drops -- comments (outside string literals), so the rules below only ever see SQL.
std::string stripComments(std::string_view sql)
{
    std::string out;
    bool inString = false;
    for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'')
            inString = !inString;
        if (!inString && c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n')
                ++i;
            out += '\n';
            continue;
        }
        out += c;
    }
    return out;
}

// CREATE VIRTUAL TABLE name USING fts5(col, ..., option=value) -> table + trigram GIN indexes.
std::string translateFts5(const std::string &sql, std::string_view trigramOps)
{
    static const std::regex fts(
        R"(CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5\s*\(([^)]*)\)\s*;)", std::regex::icase);
    std::string out;
    auto begin = sql.cbegin();
    for (std::sregex_iterator it(sql.begin(), sql.end(), fts), end; it != end; ++it) {
        const std::smatch &m = *it;
        out.append(begin, m[0].first);
        const std::string table = m[1];
        std::string columns, indexes;
        const std::string args = m[2];
        size_t pos = 0;
        while (pos <= args.size()) {
            size_t comma = args.find(',', pos);
            if (comma == std::string::npos)
                comma = args.size();
            std::string arg = args.substr(pos, comma - pos);
            pos = comma + 1;
            arg.erase(0, arg.find_first_not_of(" \t\n"));
            arg.erase(arg.find_last_not_of(" \t\n") + 1);
            if (arg.empty() || arg.find('=') != std::string::npos)
                continue; // content='', tokenize=..., columnsize=...: FTS5 options
            columns += ", " + arg + " text NOT NULL";
            indexes += "CREATE INDEX " + table + "_" + arg + "_trgm ON " + table + " USING gin (" + arg + " "
                + std::string(trigramOps) + ");";
            // A search pages by rowid (ORDER BY rowid LIMIT n): the planner either walks rowid in
            // order and filters, or reads the trigram index and sorts. It picks by the estimated
            // share of rows holding the word, which comes from the column's histogram: with the
            // default 100 entries a word in 0.2 % of the rows matches one entry in a fifth of
            // ANALYZE's samples, is estimated at 1 %, and the walk reads the whole table for it.
            // 1 000 entries (a sample of 300 000 rows) estimate such words to 0.1 %. Cases made
            // before get it when opened for writing (ensurePgSearchStatistics).
            indexes += "ALTER TABLE " + table + " ALTER COLUMN " + arg + " SET STATISTICS "
                + std::to_string(kPgTrigramStatistics) + ";";
        }
        out += "CREATE TABLE " + table + "(rowid bigint PRIMARY KEY" + columns + ");" + indexes;
        begin = m[0].second;
    }
    out.append(begin, sql.cend());
    return out;
}

// INSERT OR IGNORE ... ; -> INSERT ... ON CONFLICT DO NOTHING;
std::string translateInsertOrIgnore(const std::string &sql)
{
    static const std::regex orIgnore(R"(INSERT\s+OR\s+IGNORE\s+INTO\b([^;]*))", std::regex::icase);
    return std::regex_replace(sql, orIgnore, "INSERT INTO$1 ON CONFLICT DO NOTHING");
}

std::string trigramOpsIn(sql::PgDb &db)
{
    auto st = db.prepare("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                         "WHERE e.extname = 'pg_trgm'");
    if (!st.step())
        throw std::runtime_error("the pg_trgm extension is missing");
    return '"' + st.text(0) + "\".gin_trgm_ops";
}

} // namespace

namespace {

bool identChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
        || static_cast<unsigned char>(c) >= 0x80;
}

// The end of the quoted text starting at sql[i] (a quote character), past the closing quote.
size_t skipQuoted(std::string_view sql, size_t i)
{
    const char q = sql[i];
    size_t j = i + 1;
    while (j < sql.size()) {
        if (sql[j] == q) {
            if (j + 1 < sql.size() && sql[j + 1] == q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        ++j;
    }
    return sql.size();
}

// Top-level arguments of the call whose '(' is at sql[open]; *end is past the matching ')'.
std::vector<std::string_view> callArguments(std::string_view sql, size_t open, size_t *end)
{
    std::vector<std::string_view> args;
    int depth = 0;
    size_t start = open + 1;
    for (size_t j = open; j < sql.size();) {
        const char c = sql[j];
        if (c == '\'' || c == '"') {
            j = skipQuoted(sql, j);
            continue;
        }
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            if (--depth == 0) {
                args.push_back(sql.substr(start, j - start));
                *end = j + 1;
                return args;
            }
        } else if (c == ',' && depth == 1) {
            args.push_back(sql.substr(start, j - start));
            start = j + 1;
        }
        ++j;
    }
    *end = sql.size();
    return {}; // unbalanced: left as it is (the server reports the syntax error)
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

} // namespace

std::string toPostgresStatement(std::string_view sql)
{
    std::string out;
    out.reserve(sql.size() + 16);
    size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const size_t j = skipQuoted(sql, i);
            out.append(sql.substr(i, j - i));
            i = j;
            continue;
        }
        if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            size_t j = sql.find('\n', i);
            j = j == std::string_view::npos ? sql.size() : j;
            out.append(sql.substr(i, j - i));
            i = j;
            continue;
        }
        if (!identChar(c) || (i > 0 && identChar(sql[i - 1]))) {
            out += c;
            ++i;
            continue;
        }
        size_t j = i;
        while (j < sql.size() && identChar(sql[j]))
            ++j;
        const std::string word = lower(sql.substr(i, j - i));
        size_t k = j;
        while (k < sql.size() && (sql[k] == ' ' || sql[k] == '\n' || sql[k] == '\t'))
            ++k;
        const bool call = k < sql.size() && sql[k] == '(';
        if (call && word == "group_concat") {
            size_t end = 0;
            auto args = callArguments(sql, k, &end);
            if (args.size() == 1 || args.size() == 2) {
                std::string x = toPostgresStatement(args[0]);
                std::string distinct;
                const size_t first = x.find_first_not_of(" \n\t");
                if (first != std::string::npos && lower(x.substr(first, 9)) == "distinct ") {
                    distinct = "DISTINCT ";
                    x = x.substr(first + 9);
                }
                out += "string_agg(" + distinct + "(" + x + ")::text, "
                    + (args.size() == 2 ? toPostgresStatement(
                           args[1].substr(std::min(args[1].size(), args[1].find_first_not_of(" \n\t"))))
                                        : std::string("','"))
                    + ")";
                i = end;
                continue;
            }
        } else if (call && word == "json_each") {
            // json_each(a JSON array of ids) as a table of bigint `value`s.
            size_t end = 0;
            auto args = callArguments(sql, k, &end);
            if (args.size() == 1) {
                out += "(SELECT CAST(v AS bigint) AS value FROM unnest(string_to_array(trim(CAST("
                    + toPostgresStatement(args[0]) + " AS text), '[] '), ',')) AS u(v))";
                size_t n = end;
                while (n < sql.size() && (sql[n] == ' ' || sql[n] == '\n' || sql[n] == '\t'))
                    ++n;
                size_t w = n;
                while (w < sql.size() && identChar(sql[w]))
                    ++w;
                static const char *const kFollow[]
                    = {"where", "group", "order", "limit", "join", "left", "right", "inner", "cross", "on", "union",
                        "except", "intersect", "and", "or", "having", "offset", "natural", "full"};
                const std::string next = lower(sql.substr(n, w - n));
                bool alias = !next.empty();
                for (const char *kw : kFollow)
                    alias = alias && next != kw;
                if (!alias)
                    out += " AS json_each";
                i = end;
                continue;
            }
        } else if (call && word == "char") {
            out += "chr";
            i = j;
            continue;
        } else if (call && word == "instr") {
            out += "strpos"; // same arguments (text, what), same 1-based result, 0 when absent
            i = j;
            continue;
        } else if (call && word == "ifnull") {
            out += "coalesce";
            i = j;
            continue;
        }
        out.append(sql.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string toPostgres(std::string_view sqliteSql, std::string_view trigramOps)
{
    struct Rule {
        std::regex from;
        const char *to;
    };
    static const Rule rules[] = {
        {std::regex(R"(\bINTEGER\s+PRIMARY\s+KEY\b)"), "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {std::regex(R"(\bINTEGER\b)"), "bigint"},
        {std::regex(R"(\bREAL\b)"), "double precision"},
        {std::regex(R"(\bBLOB\b)"), "bytea"},
        {std::regex(R"(\)\s*WITHOUT\s+ROWID)"), ")"},
        {std::regex(R"(\s+REFERENCES\s+\w+\s*\(\s*\w+\s*\))"), ""},
    };
    std::string sql = translateFts5(stripComments(sqliteSql), trigramOps);
    sql = translateInsertOrIgnore(sql);
    for (const Rule &rule : rules)
        sql = std::regex_replace(sql, rule.from, rule.to);
    return sql;
}

int pgSchemaVersion(sql::PgDb &db, const CaseLocation &location)
{
    auto tables = db.prepare("SELECT count(*), count(*) FILTER (WHERE table_name = 'schema_version') "
                             "FROM information_schema.tables WHERE table_schema = ?");
    tables.bind(1, location.schemaName());
    tables.step();
    const int64_t count = tables.int64(0), versionTables = tables.int64(1);
    tables.reset();
    if (count == 0)
        return 0;
    if (versionTables == 0)
        throw std::runtime_error("schema " + location.schemaName() + " of " + location.redacted()
            + " is not a TransferTrace case (it has tables but no schema_version)");
    return static_cast<int>(db.queryInt("SELECT max(version) FROM schema_version", 0));
}

namespace {

struct NotifyTrigger {
    const char *table;
    const char *kind;
};
// The kinds are fixed words (CaseChangeListener knows the same list); the channel is the schema.
constexpr NotifyTrigger kNotifyTriggers[] = {
    {"annotations", "annotations"}, {"annotation_tags", "annotations"}, {"tags", "tags"}, {"saved_views", "views"},
    {"node_positions", "positions"}, {"sources", "sources"}, {"transfers", "transfers"}, // inference committed
    {"annotation_conflicts", "annotations"}, // schema 10: conflict copies (several analysts at once)
};

bool hasTrigger(sql::PgDb &db, const std::string &schema, const char *table, const std::string &name)
{
    auto st = db.prepare("SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                         "JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = ? AND c.relname = ? AND g.tgname = ?");
    st.bind(1, schema).bind(2, table).bind(3, name);
    st.step();
    return st.int64(0) > 0;
}

// Creates the missing triggers (and then the function); the search_path is the case's schema.
// When all are there it runs no DDL at all, so a role that may only read and write rows can
// open the case.
int createNotifyTriggers(sql::PgDb &db, const std::string &schema)
{
    std::vector<const NotifyTrigger *> missing;
    auto exists = db.prepare("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?");
    for (const NotifyTrigger &t : kNotifyTriggers) {
        exists.bind(1, schema).bind(2, std::string_view(t.table));
        const bool there = exists.step();
        exists.reset();
        if (there && !hasTrigger(db, schema, t.table, std::string("tt_notify_") + t.table))
            missing.push_back(&t); // a table of a later version is missing in an older case
    }
    if (missing.empty())
        return 0;
    // TG_TABLE_SCHEMA is the case's schema, tt_<case>: the channel. SET search_path makes the
    // function independent of the caller's path. Statement level: one call per statement (also
    // for one that changed no row: a harmless extra reload), and pg_notify folds identical
    // notifications of one transaction into one.
    db.exec("CREATE OR REPLACE FUNCTION \"" + schema
        + "\".tt_notify_change() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $f$"
          "BEGIN PERFORM pg_notify(TG_TABLE_SCHEMA, TG_ARGV[0]); RETURN NULL; END $f$");
    for (const NotifyTrigger *t : missing)
        // Table, trigger and kind are constants of this file; the schema was validated.
        db.exec(std::string("CREATE TRIGGER tt_notify_") + t->table
            + " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"" + schema + "\"." + t->table
            + " FOR EACH STATEMENT EXECUTE FUNCTION \"" + schema + "\".tt_notify_change('" + t->kind + "')");
    return static_cast<int>(missing.size());
}

} // namespace

std::string pgNotifyChannel(const CaseLocation &location)
{
    return location.schemaName();
}

bool ensurePgSearchStatistics(sql::PgDb &db)
{
    auto st = db.prepare("SELECT attstattarget FROM pg_attribute WHERE attrelid = to_regclass('events_fts') "
                         "AND attname = 'text'");
    if (!st.step() || st.int64(0) == kPgTrigramStatistics)
        return false;
    st.reset();
    db.exec("ALTER TABLE events_fts ALTER COLUMN text SET STATISTICS " + std::to_string(kPgTrigramStatistics));
    return true;
}

int ensurePgNotifyTriggers(sql::PgDb &db, const CaseLocation &location)
{
    sql::PgTransaction tx(db);
    auto lock = db.prepare("SELECT pg_advisory_xact_lock(hashtext(?))");
    lock.bind(1, "transfertrace case " + location.schemaName());
    lock.exec();
    if (pgSchemaVersion(db, location) == 0)
        throw std::runtime_error("the case " + location.redacted() + " does not exist");
    const int created = createNotifyTriggers(db, location.schemaName());
    tx.commit();
    return created;
}

namespace {

bool hasColumn(sql::PgDb &db, const char *table, const char *column)
{
    auto st = db.prepare("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                         "AND table_name = ? AND column_name = ?");
    st.bind(1, std::string_view(table)).bind(2, std::string_view(column));
    return st.step();
}

// The schema steps after `current` on an existing server case, inside the caller's transaction
// (which holds the case's creation lock): what migrate() does on a case file, in PostgreSQL's
// dialect (a later step that migrate() completes with more than its SQL needs the same here).
// Server cases exist from version 9 on (the first one with a PostgreSQL schema);
// events stay as they are (an unpartitioned case of version 9 keeps one events table: the writer
// and the queries handle both).
void upgradeSteps(sql::PgDb &db, const CaseLocation &location, int current, const std::string &appVersion)
{
    if (current < kFirstPgSchemaVersion)
        throw std::runtime_error("the case " + location.redacted() + " has schema version " + std::to_string(current)
            + ", older than any server case (" + std::to_string(kFirstPgSchemaVersion) + "); copy it to a file with "
            + "the TransferTrace that made it, then back with this one");
    // No other session may have the case open while its tables change: they hold the shared
    // session lock (CaseStore::openServer) until they close.
    auto excl = db.prepare("SELECT pg_try_advisory_xact_lock(hashtext(?))");
    excl.bind(1, "transfertrace session " + location.schemaName());
    const bool alone = excl.step() && excl.int64(0) != 0;
    excl.reset();
    if (!alone)
        throw std::runtime_error("the case " + location.redacted() + " has schema version " + std::to_string(current)
            + " and is open in another TransferTrace session; close it there so that it can be upgraded to version "
            + std::to_string(kSchemaVersion));
    const std::string trigramOps = trigramOpsIn(db);
    db.exec("SET LOCAL search_path = \"" + location.schemaName() + "\"");
    for (const SchemaStep &step : schemaSteps()) {
        if (step.version <= current)
            continue;
        db.exec(toPostgres(step.sql, trigramOps));
        if (step.version == 10 && !hasColumn(db, "annotations", "version"))
            db.exec(toPostgres(annotationsVersionColumnSql(), trigramOps));
        if (step.version == 11) {
            if (hasColumn(db, "processes", "hashes"))
                db.exec(toPostgres(processesV11Sql(), trigramOps));
            // The renamed (partial) indexes, unless a bulk import deferred them (as migrate()).
            for (const BulkIndex &ix : bulkIndexes()) {
                auto deferred = db.prepare("SELECT 1 FROM deferred_indexes WHERE name = ?");
                deferred.bind(1, std::string_view(ix.name));
                if (!deferred.step())
                    db.exec(std::string("CREATE INDEX IF NOT EXISTS ") + ix.name + " ON " + ix.on);
            }
        }
        if (step.version == 12) // the timeline's event counts, from the events already there
            for (const std::string &sql : eventDensityFillSql())
                db.exec(sql);
        if (step.version == 13) // address bindings in runs of sightings, as a new import cuts them
            rebuildSysmonBindings(db);
        auto ins = db.prepare("INSERT INTO schema_version(version, applied_utc, app_version) VALUES(?,?,?)");
        ins.bind(1, step.version).bind(2, static_cast<int64_t>(std::time(nullptr))).bind(3, appVersion);
        ins.exec();
    }
    createNotifyTriggers(db, location.schemaName()); // the new tables' (annotation_conflicts)
}

} // namespace

int upgradePgCase(sql::PgDb &db, const CaseLocation &location, const std::string &appVersion)
{
    sql::PgTransaction tx(db);
    auto lock = db.prepare("SELECT pg_advisory_xact_lock(hashtext(?))");
    lock.bind(1, "transfertrace case " + location.schemaName());
    lock.exec();
    const int current = pgSchemaVersion(db, location);
    if (current == 0)
        throw std::runtime_error("the case " + location.redacted() + " does not exist");
    if (current > kSchemaVersion)
        throw std::runtime_error("the case " + location.redacted() + " has schema version " + std::to_string(current)
            + ", newer than version " + std::to_string(kSchemaVersion)
            + " that this TransferTrace understands; open it with a newer TransferTrace");
    if (current == kSchemaVersion)
        return 0;
    try {
        upgradeSteps(db, location, current, appVersion);
    } catch (const sql::PgError &e) {
        if (e.sqlstate() == "42501") // insufficient_privilege: ALTER TABLE needs the owner
            throw std::runtime_error("the case " + location.redacted() + " has schema version "
                + std::to_string(current) + "; upgrading it to version " + std::to_string(kSchemaVersion)
                + " needs the role that owns it (" + e.what() + ")");
        throw;
    }
    tx.commit();
    return current;
}

bool createPgCase(sql::PgDb &db, const CaseLocation &location, const std::string &appVersion, int version)
{
    if (version < kFirstPgSchemaVersion || version > kSchemaVersion)
        throw std::logic_error("createPgCase: no server case of version " + std::to_string(version));
    sql::PgTransaction tx(db);
    // Two sessions creating one case: the second waits here, then finds it made.
    auto lock = db.prepare("SELECT pg_advisory_xact_lock(hashtext(?))");
    lock.bind(1, "transfertrace case " + location.schemaName());
    lock.exec();
    const int current = pgSchemaVersion(db, location);
    if (current == kSchemaVersion)
        return false;
    if (current > kSchemaVersion)
        throw std::runtime_error("the case " + location.redacted() + " has schema version " + std::to_string(current)
            + ", newer than version " + std::to_string(kSchemaVersion)
            + " that this TransferTrace understands; open it with a newer TransferTrace");
    if (current > 0) { // an older case: upgraded in this transaction
        upgradeSteps(db, location, current, appVersion);
        tx.commit();
        return false;
    }

    db.exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
    const std::string trigramOps = trigramOpsIn(db);
    // The name was validated by CaseLocation ([a-z][a-z0-9_]*): no quoting issue.
    db.exec("CREATE SCHEMA IF NOT EXISTS \"" + location.schemaName() + "\"");
    db.exec("SET LOCAL search_path = \"" + location.schemaName() + "\"");
    db.exec("CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
    for (const SchemaStep &step : schemaSteps()) {
        if (step.version > version)
            break;
        db.exec(toPostgres(step.sql, trigramOps));
        // What migrate() does besides the step's SQL, for an empty case.
        if (step.version == 1)
            for (const BulkIndex &ix : bulkIndexes())
                db.exec(std::string("CREATE INDEX ") + ix.name + " ON " + ix.on);
        if (step.version == 2)
            db.exec(std::string("UPDATE transfers SET key = ") + kTransferKeySql);
        if (step.version == 6) { // events keep block references instead of their payload
            db.exec(toPostgres(eventsBlockColumnsSql(), trigramOps));
            db.exec("ALTER TABLE events DROP COLUMN payload; ALTER TABLE events DROP COLUMN payload_codec;");
        }
        if (step.version == 11) // narrower processes rows
            db.exec(toPostgres(processesV11Sql(), trigramOps));
        if (step.version == 10)
            db.exec(toPostgres(annotationsVersionColumnSql(), trigramOps));
        auto ins = db.prepare("INSERT INTO schema_version(version, applied_utc, app_version) VALUES(?,?,?)");
        ins.bind(1, step.version).bind(2, static_cast<int64_t>(std::time(nullptr))).bind(3, appVersion);
        ins.exec();
    }
    // Events partitioned by month, a BRIN index on ts (store/PgPartitions.h): on the empty table.
    if (version >= 10) // version 9's TransferTrace made one events table
        partitionPgEvents(db, location);
    createNotifyTriggers(db, location.schemaName());
    tx.commit();
    return true;
}

} // namespace tt::store
