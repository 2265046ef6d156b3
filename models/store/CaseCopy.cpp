#include "store/CaseCopy.h"

#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/PgDb.h"
#include "store/PgPartitions.h"
#include "store/PgSchema.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QCryptographicHash>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace tt::store {

namespace {

// Derived full-text index tables: never copied, rebuilt on the target (CaseCopy.h).
const std::set<std::string> kDerivedTables = {"events_fts"};
// FTS5 keeps its index in shadow tables named after the virtual table.
const char *const kFts5Shadows[] = {"_data", "_idx", "_config", "_docsize", "_content"};

enum class Cls { Integer, Real, Text, Blob };

const char *clsName(Cls c)
{
    switch (c) {
    case Cls::Integer:
        return "INTEGER";
    case Cls::Real:
        return "REAL";
    case Cls::Text:
        return "TEXT";
    case Cls::Blob:
        return "BLOB";
    }
    return "?";
}

struct Column {
    std::string name;
    Cls cls = Cls::Text;
    bool identity = false; // PostgreSQL identity column
};

struct Table {
    std::string name;
    std::vector<Column> columns; // catalogue order
    std::vector<std::string> pk; // primary-key columns in key order (empty: none)
    std::vector<size_t> canonical; // column indices in byte order of their names
    std::string where; // rows left out of copy and checksum ("" = none)

    const Column *column(const std::string &n) const
    {
        for (const Column &c : columns)
            if (c.name == n)
                return &c;
        return nullptr;
    }
    void finish()
    {
        canonical.resize(columns.size());
        for (size_t i = 0; i < columns.size(); ++i)
            canonical[i] = i;
        std::sort(
            canonical.begin(), canonical.end(), [&](size_t a, size_t b) { return columns[a].name < columns[b].name; });
        // The search index's progress mark is derived state of the index, which is not copied.
        if (name == "case_info")
            where = "key <> 'search_indexed_through'";
    }
};

struct Value {
    bool null = true;
    int64_t i = 0;
    double r = 0;
    std::string s;
};
using Row = std::vector<Value>;

std::string quoteIdent(std::string_view name)
{
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

void putBigEndian(std::string &buf, uint64_t v)
{
    char b[8];
    for (int k = 7; k >= 0; --k) {
        b[k] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
    buf.append(b, 8);
}

// The canonical rendering of one row (CaseCopy.h), appended to buf.
void renderRow(std::string &buf, const Table &t, const Row &row)
{
    for (size_t idx : t.canonical) {
        const Value &v = row[idx];
        if (v.null) {
            buf += 'N';
            continue;
        }
        switch (t.columns[idx].cls) {
        case Cls::Integer:
            buf += 'I';
            putBigEndian(buf, static_cast<uint64_t>(v.i));
            break;
        case Cls::Real: {
            uint64_t bits;
            std::memcpy(&bits, &v.r, 8);
            buf += 'R';
            putBigEndian(buf, bits);
            break;
        }
        case Cls::Text:
        case Cls::Blob:
            buf += t.columns[idx].cls == Cls::Text ? 'T' : 'B';
            putBigEndian(buf, v.s.size());
            buf += v.s;
            break;
        }
    }
}

class Checksum {
public:
    void add(const Table &t, const Row &row)
    {
        m_buf.clear();
        renderRow(m_buf, t, row);
        m_hash.addData(QByteArrayView(m_buf.data(), static_cast<qsizetype>(m_buf.size())));
        ++m_rows;
    }
    std::string hex() const { return m_hash.result().toHex().toStdString(); }
    int64_t rows() const { return m_rows; }

private:
    QCryptographicHash m_hash {QCryptographicHash::Sha256};
    std::string m_buf;
    int64_t m_rows = 0;
};

// One end of a copy: a case file or a server case.
class Side {
public:
    virtual ~Side() = default;
    virtual std::vector<std::string> tableNames() = 0; // every table but the derived ones, sorted
    virtual Table describe(const std::string &name) = 0;
    virtual int64_t count(const Table &t) = 0;
    virtual void scan(const Table &t, const std::function<void(const Row &)> &row) = 0;
    virtual void clear(const Table &t) = 0;
    virtual void insert(const Table &t, const std::vector<Row> &rows, size_t n) = 0; // the first n rows
    virtual void clearDerived() { }
    virtual void afterTable(const Table &) { }
    // Before the rows of a table go in (a server case makes the month partitions of events).
    virtual void beforeTable(const Table &, Side & /*source*/) { }
    // [min, max] of events.ts; false when no event has a time.
    bool eventTimeRange(int64_t *lo, int64_t *hi) { return queryRange("SELECT min(ts), max(ts) FROM events", lo, hi); }
    virtual bool queryRange(const std::string &sql, int64_t *lo, int64_t *hi) = 0;
    // Secondary indexes of the big tables (store::bulkIndexes, as the import does): dropped in the
    // target's transaction before the rows go in and built once afterwards, in the same
    // transaction (sorting once beats updating B-trees row by row).
    virtual void exec(const std::string &sql) = 0;
    void dropBulkIndexes()
    {
        for (const BulkIndex &ix : bulkIndexes())
            exec(std::string("DROP INDEX IF EXISTS ") + ix.name);
    }
    void createBulkIndexes()
    {
        for (const BulkIndex &ix : bulkIndexes())
            exec(std::string("CREATE INDEX IF NOT EXISTS ") + ix.name + " ON " + ix.on);
    }
    virtual size_t maxBatch(const Table &, size_t wanted) { return wanted; }
    virtual void beginRead() = 0;
    virtual void beginWrite() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;

protected:
    std::string selectSql(const Table &t, bool pg) const
    {
        std::string sql = "SELECT ";
        for (size_t i = 0; i < t.columns.size(); ++i)
            sql += (i ? ", " : "") + quoteIdent(t.columns[i].name);
        sql += " FROM " + quoteIdent(t.name);
        if (!t.where.empty())
            sql += " WHERE " + t.where;
        std::vector<const Column *> keys;
        if (!t.pk.empty()) {
            for (const std::string &k : t.pk)
                keys.push_back(t.column(k));
        } else {
            for (size_t idx : t.canonical)
                keys.push_back(&t.columns[idx]);
        }
        sql += " ORDER BY ";
        for (size_t i = 0; i < keys.size(); ++i) {
            sql += (i ? ", " : "") + quoteIdent(keys[i]->name);
            if (keys[i]->cls == Cls::Text)
                sql += pg ? " COLLATE \"C\"" : " COLLATE BINARY"; // bytewise on both
            sql += " NULLS FIRST";
        }
        return sql;
    }
    static std::string insertSql(const Table &t, size_t rows)
    {
        std::string cols, one = "(";
        for (size_t i = 0; i < t.columns.size(); ++i) {
            cols += (i ? ", " : "") + quoteIdent(t.columns[i].name);
            one += i ? ",?" : "?";
        }
        one += ')';
        std::string sql = "INSERT INTO " + quoteIdent(t.name) + "(" + cols + ") VALUES ";
        for (size_t r = 0; r < rows; ++r)
            sql += (r ? "," : "") + one;
        return sql;
    }
};

// ---- SQLite --------------------------------------------------------------------------------

class SqliteSide : public Side {
public:
    SqliteSide(std::unique_ptr<CaseStore> store, const sql::CancelFlag &cancel)
        : m_store(std::move(store))
    {
        if (cancel)
            m_cancel.emplace(m_store->db(), cancel);
    }
    ~SqliteSide() override
    {
        m_inserts.clear();
        m_cancel.reset();
    }
    sql::Db &db() { return m_store->db(); }
    void close()
    {
        m_inserts.clear();
        m_cancel.reset();
        m_store.reset();
    }

    std::vector<std::string> tableNames() override
    {
        std::vector<std::pair<std::string, std::string>> all;
        auto st = db().prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' ORDER BY name");
        while (st.step())
            all.emplace_back(st.text(0), st.text(1));
        std::set<std::string> shadows;
        for (const auto &[name, sql] : all) {
            if (sql.rfind("CREATE VIRTUAL TABLE", 0) != 0)
                continue;
            if (!kDerivedTables.count(name))
                throw std::runtime_error("the case has a virtual table '" + name + "' that the copy does not know");
            for (const char *suffix : kFts5Shadows)
                shadows.insert(name + suffix);
        }
        std::vector<std::string> out;
        for (const auto &[name, sql] : all)
            if (name.rfind("sqlite_", 0) != 0 && !kDerivedTables.count(name) && !shadows.count(name))
                out.push_back(name);
        return out;
    }

    Table describe(const std::string &name) override
    {
        Table t;
        t.name = name;
        std::map<int, std::string> pk;
        auto st = db().prepare("SELECT name, upper(type), pk FROM pragma_table_info(?) ORDER BY cid");
        st.bind(1, std::string_view(name));
        while (st.step()) {
            Column c;
            c.name = st.text(0);
            const std::string type = st.text(1);
            if (type == "INTEGER")
                c.cls = Cls::Integer;
            else if (type == "REAL")
                c.cls = Cls::Real;
            else if (type == "TEXT")
                c.cls = Cls::Text;
            else if (type == "BLOB")
                c.cls = Cls::Blob;
            else
                throw std::runtime_error(
                    "column " + name + "." + c.name + " has type '" + type + "' that the copy does not know");
            if (st.int64(2) > 0)
                pk[st.integer(2)] = c.name;
            t.columns.push_back(std::move(c));
        }
        for (const auto &[pos, col] : pk)
            t.pk.push_back(col);
        t.finish();
        return t;
    }

    bool queryRange(const std::string &sql, int64_t *lo, int64_t *hi) override
    {
        auto st = db().prepare(sql);
        if (!st.step() || st.isNull(0) || st.isNull(1))
            return false;
        *lo = st.int64(0);
        *hi = st.int64(1);
        return true;
    }

    int64_t count(const Table &t) override
    {
        return db().queryInt(
            "SELECT count(*) FROM " + quoteIdent(t.name) + (t.where.empty() ? "" : " WHERE " + t.where));
    }

    void scan(const Table &t, const std::function<void(const Row &)> &onRow) override
    {
        auto st = db().prepare(selectSql(t, false));
        sqlite3_stmt *h = st.handle();
        Row row(t.columns.size());
        int64_t n = 0;
        while (st.step()) {
            ++n;
            for (size_t i = 0; i < t.columns.size(); ++i) {
                Value &v = row[i];
                const int col = static_cast<int>(i);
                const int type = sqlite3_column_type(h, col);
                v.null = type == SQLITE_NULL;
                if (v.null)
                    continue;
                const Cls cls = t.columns[i].cls;
                auto mismatch = [&](const char *held) {
                    throw std::runtime_error("table " + t.name + ", row " + std::to_string(n) + " in key order: column "
                        + t.columns[i].name + " holds " + held + " where " + clsName(cls)
                        + " is declared; the copy cannot keep it exactly");
                };
                switch (cls) {
                case Cls::Integer:
                    if (type != SQLITE_INTEGER)
                        mismatch(type == SQLITE_FLOAT ? "a REAL" : type == SQLITE_TEXT ? "a TEXT" : "a BLOB");
                    v.i = sqlite3_column_int64(h, col);
                    break;
                case Cls::Real:
                    if (type != SQLITE_FLOAT && type != SQLITE_INTEGER)
                        mismatch(type == SQLITE_TEXT ? "a TEXT" : "a BLOB");
                    v.r = sqlite3_column_double(h, col);
                    break;
                case Cls::Text:
                    if (type != SQLITE_TEXT)
                        mismatch(type == SQLITE_INTEGER ? "an INTEGER" : type == SQLITE_FLOAT ? "a REAL" : "a BLOB");
                    [[fallthrough]];
                case Cls::Blob: {
                    // Blob columns keep any value's bytes (SQLite's BLOB affinity stores what it is given).
                    const void *p = type == SQLITE_BLOB ? sqlite3_column_blob(h, col)
                                                        : static_cast<const void *>(sqlite3_column_text(h, col));
                    const int bytes = sqlite3_column_bytes(h, col);
                    v.s.assign(static_cast<const char *>(p ? p : ""), static_cast<size_t>(p ? bytes : 0));
                    break;
                }
                }
            }
            onRow(row);
        }
    }

    void clear(const Table &t) override { db().exec("DELETE FROM " + quoteIdent(t.name)); }
    void exec(const std::string &sql) override { db().exec(sql); }

    void insert(const Table &t, const std::vector<Row> &rows, size_t n) override
    {
        auto it = m_inserts.find(t.name);
        if (it == m_inserts.end())
            it = m_inserts.emplace(t.name, db().prepare(insertSql(t, 1))).first;
        sql::Stmt &st = it->second;
        for (size_t r = 0; r < n; ++r) {
            const Row &row = rows[r];
            for (size_t i = 0; i < row.size(); ++i) {
                const int idx = static_cast<int>(i) + 1;
                const Value &v = row[i];
                if (v.null) {
                    st.bindNull(idx);
                    continue;
                }
                switch (t.columns[i].cls) {
                case Cls::Integer:
                    st.bind(idx, v.i);
                    break;
                case Cls::Real:
                    st.bind(idx, v.r);
                    break;
                case Cls::Text:
                    st.bindStatic(idx, v.s);
                    break;
                case Cls::Blob:
                    st.bindBlobStatic(idx, v.s.data(), v.s.size());
                    break;
                }
            }
            st.exec();
        }
    }

    void beginRead() override { db().exec("BEGIN"); }
    void beginWrite() override { db().exec("BEGIN IMMEDIATE"); }
    void commit() override { db().exec("COMMIT"); }
    void rollback() override
    {
        try {
            m_inserts.clear();
            m_cancel.reset(); // a set cancel flag would interrupt the ROLLBACK too
            if (m_store && !sqlite3_get_autocommit(db().handle()))
                db().exec("ROLLBACK");
        } catch (const std::exception &) {
        }
    }

private:
    std::unique_ptr<CaseStore> m_store;
    std::optional<sql::CancelOnFlag> m_cancel;
    std::map<std::string, sql::Stmt> m_inserts;
};

// ---- PostgreSQL ----------------------------------------------------------------------------

class PgSide : public Side {
public:
    PgSide(const CaseLocation &location, sql::PgDb::Mode mode, const sql::CancelFlag &cancel)
        : m_location(location)
    {
        m_db.open(location, mode);
        if (cancel)
            m_db.setCancelFlag(cancel);
    }
    ~PgSide() override { m_db.setCancelFlag(nullptr); }
    sql::PgDb &db() { return m_db; }

    // pg_catalog rather than information_schema: the latter hides tables and constraints from a
    // role that may only SELECT them (a viewer copying a case to a file).
    std::vector<std::string> tableNames() override
    {
        std::vector<std::string> out;
        auto st
            = m_db.prepare("SELECT c.relname, CASE WHEN c.relkind = 'p' THEN 'r' ELSE c.relkind END FROM pg_class c "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? "
                           "AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition ORDER BY c.relname");
        st.bind(1, m_location.schemaName());
        while (st.step()) {
            const std::string name = st.text(0), kind = st.text(1);
            if (kind != "r")
                throw std::runtime_error("the case schema " + m_location.schemaName() + " holds '" + name
                    + "', which is not a plain table; the copy does not know it");
            if (!kDerivedTables.count(name))
                out.push_back(name);
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    Table describe(const std::string &name) override
    {
        Table t;
        t.name = name;
        auto st = m_db.prepare(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity <> '' FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum");
        st.bind(1, m_location.schemaName()).bind(2, std::string_view(name));
        while (st.step()) {
            Column c;
            c.name = st.text(0);
            const std::string type = st.text(1);
            if (type == "bigint")
                c.cls = Cls::Integer;
            else if (type == "double precision")
                c.cls = Cls::Real;
            else if (type == "text")
                c.cls = Cls::Text;
            else if (type == "bytea")
                c.cls = Cls::Blob;
            else
                throw std::runtime_error(
                    "column " + name + "." + c.name + " has type '" + type + "' that the copy does not know");
            c.identity = st.int64(2) != 0;
            t.columns.push_back(std::move(c));
        }
        st.reset();
        auto pk = m_db.prepare("SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos) "
                               "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
                               "WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary ORDER BY k.pos");
        pk.bind(1, m_location.schemaName()).bind(2, std::string_view(name));
        while (pk.step())
            t.pk.push_back(pk.text(0));
        pk.reset();
        // A partitioned table (events, store/PgPartitions.h) has no primary key: its key must hold
        // the partition key, so it is UNIQUE (id, ts). Its identity id is unique by its sequence
        // and is the key the case file has: rows are read and checksummed in that order.
        if (t.pk.empty() && isPartitioned(name))
            for (const Column &c : t.columns)
                if (c.identity)
                    t.pk.push_back(c.name);
        t.finish();
        return t;
    }

    bool isPartitioned(const std::string &name)
    {
        auto st = m_db.prepare("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'p'");
        st.bind(1, m_location.schemaName()).bind(2, std::string_view(name));
        return st.step() && st.int64(0) > 0;
    }

    bool queryRange(const std::string &sql, int64_t *lo, int64_t *hi) override
    {
        auto st = m_db.prepare(sql);
        if (!st.step() || st.isNull(0) || st.isNull(1))
            return false;
        *lo = st.int64(0);
        *hi = st.int64(1);
        return true;
    }

    // Month partitions for the source's events before COPY routes them (else they would all land
    // in the default partition).
    void beforeTable(const Table &t, Side &source) override
    {
        int64_t lo = 0, hi = 0;
        if (t.name == "events" && source.eventTimeRange(&lo, &hi))
            ensurePgEventPartitions(m_db, lo, hi);
    }

    int64_t count(const Table &t) override
    {
        return m_db.queryInt(
            "SELECT count(*) FROM " + quoteIdent(t.name) + (t.where.empty() ? "" : " WHERE " + t.where));
    }

    void scan(const Table &t, const std::function<void(const Row &)> &onRow) override
    {
        auto st = m_db.prepare(selectSql(t, true));
        Row row(t.columns.size());
        while (st.step()) {
            for (size_t i = 0; i < t.columns.size(); ++i) {
                Value &v = row[i];
                const int col = static_cast<int>(i);
                v.null = st.isNull(col);
                if (v.null)
                    continue;
                switch (t.columns[i].cls) {
                case Cls::Integer:
                    v.i = st.int64(col);
                    break;
                case Cls::Real:
                    v.r = st.real(col);
                    break;
                case Cls::Text:
                case Cls::Blob:
                    v.s.assign(st.textView(col));
                    break;
                }
            }
            onRow(row);
        }
    }

    void clear(const Table &t) override { m_db.exec("DELETE FROM " + quoteIdent(t.name)); }
    void exec(const std::string &sql) override { m_db.exec(sql); }

    // Rows go in with COPY ... FROM STDIN (text format), one COPY per table across its batches:
    // no statement per row or batch to parse, plan and execute. libpq is used directly here; the
    // PgDb connection runs nothing else while a COPY is open (the source is another connection).
    void insert(const Table &t, const std::vector<Row> &rows, size_t n) override
    {
        if (n == 0)
            return;
        if (m_copying != t.name)
            startCopy(t);
        m_buf.clear();
        for (size_t r = 0; r < n; ++r) {
            const Row &row = rows[r];
            for (size_t i = 0; i < row.size(); ++i) {
                if (i)
                    m_buf += '\t';
                appendCopyValue(m_buf, row[i], t.columns[i].cls);
            }
            m_buf += '\n';
        }
        if (PQputCopyData(m_db.handle(), m_buf.data(), static_cast<int>(m_buf.size())) != 1)
            throw sql::PgError("COPY into " + t.name + " on " + m_db.location() + ": " + connectionError(), "08006");
    }

    // Explicit ids were inserted: move each identity sequence past the largest one, so rows the
    // case gets later are numbered after them.
    void afterTable(const Table &t) override
    {
        endCopy();
        for (const Column &c : t.columns) {
            if (!c.identity)
                continue;
            auto st = m_db.prepare("SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max(" + quoteIdent(c.name)
                + "), 0) + 1, false) FROM " + quoteIdent(t.name));
            st.bind(1, quoteIdent(m_location.schemaName()) + "." + quoteIdent(t.name)).bind(2, c.name);
            st.exec();
        }
    }

    void beginRead() override { m_db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
    void beginWrite() override { m_db.exec("BEGIN"); }
    void commit() override { m_db.exec("COMMIT"); }
    void rollback() override
    {
        abortCopy();
        m_db.setCancelFlag(nullptr); // a set cancel flag refuses to start the ROLLBACK
        try {
            if (m_db.isOpen())
                m_db.exec("ROLLBACK");
        } catch (const std::exception &) {
        }
    }

    // --replace: the old case's search index goes with its events (it is rebuilt, not copied).
    void clearDerived() override
    {
        for (const std::string &name : kDerivedTables) {
            auto st = m_db.prepare("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "WHERE n.nspname = ? AND c.relname = ?");
            st.bind(1, m_location.schemaName()).bind(2, std::string_view(name));
            const bool exists = st.step() && st.int64(0) > 0;
            st.reset();
            if (exists)
                m_db.exec("DELETE FROM " + quoteIdent(name));
        }
    }

    // Rows a freshly created case does not have: any row outside schema_version, other than the
    // built-in tags.
    int64_t dataRows(const std::vector<std::string> &tables)
    {
        int64_t n = 0;
        for (const std::string &t : tables) {
            if (t == "schema_version")
                continue;
            n += m_db.queryInt("SELECT count(*) FROM " + quoteIdent(t) + (t == "tags" ? " WHERE builtin = 0" : ""));
        }
        return n;
    }

private:
    std::string connectionError() const
    {
        std::string msg = PQerrorMessage(m_db.handle());
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
            msg.pop_back();
        return msg;
    }

    // The results after COPY starts or ends: the primary message and SQLSTATE of a failure (no
    // DETAIL, which can quote row values), a permission failure said like PgDb says it.
    void drainResults(const std::string &what, ExecStatusType want, bool stopAtWanted)
    {
        std::string error, state;
        while (pg_result *res = PQgetResult(m_db.handle())) {
            const ExecStatusType st = PQresultStatus(res);
            if (st != want && st != PGRES_COMMAND_OK && error.empty()) {
                const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
                const char *code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
                error = primary ? primary : PQresultErrorMessage(res);
                state = code ? code : "";
            }
            PQclear(res);
            if (st == want && stopAtWanted)
                return;
        }
        if (error.empty())
            return;
        if (state == "42501")
            throw sql::PgError("permission denied: role " + std::string(PQuser(m_db.handle()))
                    + " may not do this with the case (" + error + " (SQLSTATE 42501)); the case's owner can grant "
                    + "access: transfertrace server grant URL --analyst ROLE",
                state);
        throw sql::PgError(what + ": " + error + (state.empty() ? "" : " (SQLSTATE " + state + ")"), state);
    }

    void startCopy(const Table &t)
    {
        endCopy();
        m_db.exec("SELECT 1"); // the connection idle: any statement still streaming is parked
        std::string sql = "COPY " + quoteIdent(t.name) + "(";
        for (size_t i = 0; i < t.columns.size(); ++i)
            sql += (i ? ", " : "") + quoteIdent(t.columns[i].name);
        sql += ") FROM STDIN";
        if (!PQsendQuery(m_db.handle(), sql.c_str()))
            throw sql::PgError("COPY into " + t.name + " on " + m_db.location() + ": " + connectionError(), "08006");
        drainResults("COPY into " + t.name, PGRES_COPY_IN, true);
        m_copying = t.name;
    }

    void endCopy()
    {
        if (m_copying.empty())
            return;
        const std::string table = m_copying;
        m_copying.clear();
        if (PQputCopyEnd(m_db.handle(), nullptr) != 1)
            throw sql::PgError("COPY into " + table + " on " + m_db.location() + ": " + connectionError(), "08006");
        drainResults("COPY into " + table, PGRES_COMMAND_OK, false);
    }

    void abortCopy()
    {
        if (m_copying.empty() || !m_db.handle())
            return;
        m_copying.clear();
        PQputCopyEnd(m_db.handle(), "copy abandoned");
        while (pg_result *res = PQgetResult(m_db.handle()))
            PQclear(res);
    }

    static void appendCopyValue(std::string &out, const Value &v, Cls cls)
    {
        if (v.null) {
            out += "\\N";
            return;
        }
        char num[32];
        switch (cls) {
        case Cls::Integer: {
            const auto r = std::to_chars(num, num + sizeof num, v.i);
            out.append(num, r.ptr);
            break;
        }
        case Cls::Real: {
            if (std::isnan(v.r)) {
                out += "NaN";
            } else if (std::isinf(v.r)) {
                out += v.r > 0 ? "Infinity" : "-Infinity";
            } else {
                const auto r = std::to_chars(num, num + sizeof num, v.r); // shortest exact form
                out.append(num, r.ptr);
            }
            break;
        }
        case Cls::Text:
            for (char c : v.s) {
                switch (c) {
                case '\\':
                    out += "\\\\";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    out += c;
                }
            }
            break;
        case Cls::Blob: {
            static const char hex[] = "0123456789abcdef";
            out += "\\\\x"; // bytea's \x, its backslash escaped for COPY
            for (unsigned char c : v.s) {
                out += hex[c >> 4];
                out += hex[c & 15];
            }
            break;
        }
        }
    }

    CaseLocation m_location;
    sql::PgDb m_db;
    std::string m_copying; // the table a COPY is open for ("" = none)
    std::string m_buf;
};

std::unique_ptr<Side> openSource(const CaseLocation &loc, const sql::CancelFlag &cancel)
{
    if (loc.isFile())
        return std::make_unique<SqliteSide>(CaseStore::open(loc.path(), CaseStore::Access::ReadOnly), cancel);
    auto side = std::make_unique<PgSide>(loc, sql::PgDb::Mode::ReadOnly, cancel);
    const int v = pgSchemaVersion(side->db(), loc);
    if (v == 0)
        throw std::runtime_error("there is no case '" + loc.caseName() + "' at " + loc.redacted());
    if (v != kSchemaVersion)
        throw std::runtime_error("the case " + loc.redacted() + " has schema version " + std::to_string(v)
            + "; this TransferTrace copies version " + std::to_string(kSchemaVersion));
    return side;
}

bool pathExists(const std::string &path)
{
    struct stat st { };
    return ::lstat(path.c_str(), &st) == 0;
}

void removeCaseFile(const std::string &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        ::unlink((path + suffix).c_str());
}

void describeBoth(Side &src, Side &dst, const std::string &from, const std::string &to, std::vector<Table> &srcTables,
    std::vector<Table> &dstTables)
{
    const std::vector<std::string> a = src.tableNames(), b = dst.tableNames();
    std::string onlyA, onlyB;
    for (const std::string &t : a)
        if (!std::binary_search(b.begin(), b.end(), t))
            onlyA += (onlyA.empty() ? "" : ", ") + t;
    for (const std::string &t : b)
        if (!std::binary_search(a.begin(), a.end(), t))
            onlyB += (onlyB.empty() ? "" : ", ") + t;
    if (!onlyA.empty())
        throw std::runtime_error("tables of " + from + " that the case schema (version "
            + std::to_string(kSchemaVersion) + ") does not have, so the copy does not know them: " + onlyA);
    if (!onlyB.empty())
        throw std::runtime_error("tables missing in " + from + " that the case schema (version "
            + std::to_string(kSchemaVersion) + ") has: " + onlyB);
    for (const std::string &name : a) {
        Table s = src.describe(name), d = dst.describe(name);
        std::set<std::string> sc, dc;
        for (const Column &c : s.columns)
            sc.insert(c.name);
        for (const Column &c : d.columns)
            dc.insert(c.name);
        if (sc != dc)
            throw std::runtime_error("table " + name + " has other columns in " + from + " than in " + to);
        for (const Column &c : s.columns)
            if (d.column(c.name)->cls != c.cls)
                throw std::runtime_error("column " + name + "." + c.name + " is " + clsName(c.cls) + " in " + from
                    + " but " + clsName(d.column(c.name)->cls) + " in " + to);
        if (s.pk != d.pk)
            throw std::runtime_error("table " + name + " has another primary key in " + from + " than in " + to);
        srcTables.push_back(std::move(s));
        dstTables.push_back(std::move(d));
    }
}

constexpr size_t kBatchBytes = 8u << 20;

} // namespace

CopyReport copyCase(const CaseLocation &from, const CaseLocation &to, const CopyOptions &options)
{
    const auto t0 = std::chrono::steady_clock::now();
    CopyReport report;
    report.from = from.redacted();
    report.to = to.redacted();
    if (!from.isFile() && !to.isFile() && from.redacted() == to.redacted())
        throw std::runtime_error("FROM and TO are the same case (" + report.from + ")");
    const sql::CancelFlag &cancel = options.cancel;
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

    std::unique_ptr<Side> src = openSource(from, cancel);

    // The target: a new file (written beside it, renamed at the end) or a server case.
    std::unique_ptr<Side> dst;
    SqliteSide *fileTarget = nullptr;
    PgSide *pgTarget = nullptr;
    std::string tmpPath;
    if (to.isFile()) {
        if (pathExists(to.path()))
            throw std::runtime_error(
                "'" + to.path() + "' exists; copy writes a new case file and never overwrites one");
        tmpPath = to.path() + ".copying-" + std::to_string(::getpid());
        if (pathExists(tmpPath))
            throw std::runtime_error("'" + tmpPath + "' exists (left by an earlier copy?); remove it first");
    }
    auto cleanupTarget = [&] {
        if (dst)
            dst->rollback();
        if (fileTarget) {
            fileTarget->close();
            removeCaseFile(tmpPath);
        } else if (!tmpPath.empty()) {
            removeCaseFile(tmpPath);
        }
        if (pgTarget && report.createdTarget) {
            try { // the case this copy created goes again: no empty case left behind
                pgTarget->db().setCancelFlag(nullptr);
                pgTarget->db().exec("DROP SCHEMA " + quoteIdent(to.schemaName()) + " CASCADE");
            } catch (const std::exception &) {
            }
        }
    };

    try {
        if (to.isFile()) {
            auto side = std::make_unique<SqliteSide>(CaseStore::open(tmpPath, CaseStore::Access::Create), cancel);
            fileTarget = side.get();
            dst = std::move(side);
        } else {
            auto side = std::make_unique<PgSide>(to, sql::PgDb::Mode::ReadWrite, nullptr);
            pgTarget = side.get();
            dst = std::move(side);
            report.createdTarget = createPgCase(pgTarget->db(), to, options.appVersion);
            if (cancel)
                pgTarget->db().setCancelFlag(cancel);
        }

        std::vector<Table> srcTables, dstTables;
        describeBoth(*src, *dst, report.from, report.to, srcTables, dstTables);
        if (pgTarget && !report.createdTarget && !options.replace) {
            std::vector<std::string> names;
            names.reserve(dstTables.size());
            for (const Table &t : dstTables)
                names.push_back(t.name);
            const int64_t rows = pgTarget->dataRows(names);
            if (rows > 0)
                throw std::runtime_error("the case " + report.to + " already holds data (" + std::to_string(rows)
                    + " rows); copy refuses to mix two cases. --replace empties it first");
        }

        src->beginRead();
        dst->beginWrite();
        for (const Table &t : dstTables)
            dst->clear(t);
        dst->clearDerived();
        dst->dropBulkIndexes();

        std::vector<Checksum> sums(srcTables.size());
        for (size_t ti = 0; ti < srcTables.size(); ++ti) {
            const Table &s = srcTables[ti];
            const int64_t total = src->count(s);
            dst->beforeTable(dstTables[ti], *src);
            const size_t maxRows = dst->maxBatch(s, std::max<size_t>(1, options.batchRows));
            std::vector<Row> batch;
            size_t used = 0, bytes = 0;
            int64_t done = 0;
            auto flush = [&] {
                if (cancelled())
                    throw CopyCancelled();
                dst->insert(s, batch, used); // the rows' buffers are reused by the next batch
                done += static_cast<int64_t>(used);
                used = 0;
                bytes = 0;
                if (options.progress)
                    options.progress(s.name, done, total);
            };
            src->scan(s, [&](const Row &row) {
                sums[ti].add(s, row);
                if (used == batch.size())
                    batch.emplace_back();
                Row &slot = batch[used++];
                slot.resize(row.size());
                for (size_t i = 0; i < row.size(); ++i) {
                    slot[i].null = row[i].null;
                    slot[i].i = row[i].i;
                    slot[i].r = row[i].r;
                    slot[i].s.assign(row[i].s);
                    bytes += row[i].s.size() + 16;
                }
                if (used >= maxRows || bytes >= kBatchBytes)
                    flush();
            });
            if (used > 0 || total == 0)
                flush();
            dst->afterTable(dstTables[ti]);
            report.rows += done;
        }
        if (cancelled())
            throw CopyCancelled();

        dst->createBulkIndexes();
        // Verification: the target's rows as it stores them, read back in the same transaction.
        report.verified = true;
        for (size_t ti = 0; ti < dstTables.size(); ++ti) {
            Checksum target;
            dst->scan(dstTables[ti], [&](const Row &row) { target.add(dstTables[ti], row); });
            TableCheck check;
            check.table = dstTables[ti].name;
            check.sourceRows = sums[ti].rows();
            check.sourceSha256 = sums[ti].hex();
            check.targetRows = target.rows();
            check.targetSha256 = target.hex();
            report.verified = report.verified && check.matches();
            report.tables.push_back(std::move(check));
        }
        src->rollback(); // end of the read snapshot
        if (cancelled())
            throw CopyCancelled();
        if (!report.verified) {
            cleanupTarget();
        } else {
            dst->commit();
            if (fileTarget) {
                fileTarget->close();
                fileTarget = nullptr;
                // link() fails when the name exists: a file that appeared meanwhile is not replaced.
                if (::link(tmpPath.c_str(), to.path().c_str()) != 0) {
                    const std::string why = std::strerror(errno);
                    removeCaseFile(tmpPath);
                    throw std::runtime_error("cannot write '" + to.path() + "': " + why);
                }
                removeCaseFile(tmpPath);
            }
        }
    } catch (...) {
        src->rollback();
        cleanupTarget();
        if (cancelled())
            throw CopyCancelled();
        throw;
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

std::vector<TableSum> caseChecksums(const CaseLocation &location)
{
    std::unique_ptr<Side> side = openSource(location, nullptr);
    std::vector<TableSum> out;
    side->beginRead();
    for (const std::string &name : side->tableNames()) {
        const Table t = side->describe(name);
        Checksum sum;
        side->scan(t, [&](const Row &row) { sum.add(t, row); });
        out.push_back({name, sum.rows(), sum.hex()});
    }
    side->rollback();
    return out;
}

} // namespace tt::store
