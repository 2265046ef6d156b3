#pragma once

#include "store/QueryCancel.h"
#include "store/Sqlite.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace tt::store {
class CaseLocation;
}

namespace tt::sql {

// A PostgreSQL failure: the server's message with its SQLSTATE ("... (SQLSTATE 23505)"), or a
// connection failure naming the redacted location. Derives from sql::Error so code written for
// the SQLite store catches it unchanged; code() is -1 (use sqlstate()), except for a cancelled
// statement: SQLITE_INTERRUPT (9), so CancelOnFlag::isInterrupt() recognises it on both engines.
class PgError : public Error {
public:
    PgError(const std::string &what, std::string sqlstate)
        : Error(what, sqlstate == "57014" ? 9 : -1)
        , m_sqlstate(std::move(sqlstate))
    {
    }
    const std::string &sqlstate() const { return m_sqlstate; }
    bool cancelled() const { return m_sqlstate == "57014"; } // query_canceled

private:
    std::string m_sqlstate;
};

class PgDb;

// A statement as a PgStmt started it ($n placeholders, parameter types and values; a bytea value
// in binary), for tests that EXPLAIN what the workbench runs (tst_pg_plans): PgDb::setStatementLog.
struct PgStatementRecord {
    std::string sql;
    std::vector<unsigned> types; // parameter type oids (0: NULL, left to the server)
    std::vector<std::string> values;
    std::vector<bool> nulls;
};

// The keyword / value arrays libpq's PQconnectdbParams / PQconnectStartParams take for a location:
// its own parameters (CaseLocation::libpqParams, the password included: never print them), then
// application_name and connect_timeout (10 s) unless the location sets them, and client_encoding
// UTF8. One definition for every connection the store opens (PgDb, CaseChangeListener).
class LibpqConnectArgs {
public:
    LibpqConnectArgs(const store::CaseLocation &location, const char *applicationName);
    const char *const *keys() const { return m_keys.data(); }
    const char *const *values() const { return m_values.data(); }

private:
    std::vector<std::pair<std::string, std::string>> m_params;
    std::vector<const char *> m_keys, m_values;
};

// `?` placeholders as $1, $2 ... outside string literals, quoted identifiers, comments and
// dollar-quoted strings, so statements written for sql::Stmt run unchanged. Returns the count.
std::string rewritePlaceholders(std::string_view sql, int *count = nullptr);

// The statement API of sql::Stmt on PostgreSQL. Parameters are sent out of line, never
// interpolated (text and numbers in text format, blobs as binary bytea). The server statement is
// prepared on the first step with the types of the first bindings (int64 -> bigint, double ->
// double precision, text -> text, blob -> bytea; NULL lets the server infer) and prepared again
// only when a later execution binds other types.
// Rows stream one at a time (libpq's single-row mode): a huge result is never held whole. libpq
// runs one query per connection at a time, so when another statement of the same PgDb runs while
// this one still has rows, the rest of this one's rows are read into memory first (parked).
class PgStmt {
public:
    PgStmt() = default;
    PgStmt(PgDb *db, std::string_view sql);
    ~PgStmt();
    PgStmt(PgStmt &&o) noexcept;
    PgStmt &operator=(PgStmt &&o) noexcept;
    PgStmt(const PgStmt &) = delete;
    PgStmt &operator=(const PgStmt &) = delete;

    PgStmt &bind(int idx, int64_t v);
    PgStmt &bind(int idx, int v) { return bind(idx, static_cast<int64_t>(v)); }
    PgStmt &bind(int idx, double v);
    PgStmt &bind(int idx, std::string_view text);
    PgStmt &bindStatic(int idx, std::string_view text) { return bind(idx, text); }
    PgStmt &bindBlob(int idx, const void *data, size_t n);
    PgStmt &bindBlobStatic(int idx, const void *data, size_t n) { return bindBlob(idx, data, n); }
    PgStmt &bindNull(int idx);
    PgStmt &bindOptional(int idx, std::string_view text) { return text.empty() ? bindNull(idx) : bind(idx, text); }
    PgStmt &bindOptionalStatic(int idx, std::string_view text) { return bindOptional(idx, text); }

    bool step(); // true while a row is available; throws PgError
    void exec(); // runs to completion and resets
    void reset(); // drops the rest of the result and clears the bindings

    int64_t int64(int col) const; // booleans read as 1 / 0
    int integer(int col) const { return static_cast<int>(int64(col)); }
    double real(int col) const;
    std::string text(int col) const { return std::string(textView(col)); }
    std::string_view textView(int col) const; // bytea columns decoded to their bytes
    std::string_view blob(int col) const { return textView(col); }
    bool isNull(int col) const;
    int columnCount() const;
    int64_t rowsChanged() const { return m_changed; } // of the last finished INSERT / UPDATE / DELETE

    const std::string &sql() const { return m_sql; } // as sent ($n placeholders)
    size_t parkedRows() const { return m_parked.size(); } // rows read ahead because of another statement

private:
    friend class PgDb;
    enum class State { Idle, Streaming, Parked, Done };
    void start();
    void park(); // reads the remaining rows into m_parked
    void finish(); // drains libpq's results after the last row
    void setRow(pg_result *row);
    const char *cell(int col) const;
    [[noreturn]] void fail(pg_result *res, std::string_view context);
    void release();

    struct Param {
        enum Type : unsigned { Null = 0, Int8 = 20, Float8 = 701, Text = 25, Bytea = 17 } type = Null;
        std::string value;
    };

    PgDb *m_db = nullptr;
    std::string m_sql;
    std::string m_name; // server-side prepared statement, "" until prepared
    uint64_t m_session = 0; // PgDb::m_session it was prepared in (a reconnect forgets them)
    std::vector<unsigned> m_preparedTypes;
    int m_paramCount = 0;
    std::vector<Param> m_params;
    State m_state = State::Idle;
    pg_result *m_row = nullptr; // the current row (a single-row result)
    std::deque<pg_result *> m_parked;
    mutable std::vector<std::string> m_decoded; // bytea cells of the current row, decoded
    mutable std::vector<bool> m_isDecoded;
    int64_t m_changed = 0;
};

// An owned PostgreSQL connection with the API of sql::Db. One per thread, like sql::Db; its
// statements must not outlive it.
class PgDb {
    friend class PgTransaction;

public:
    using Mode = Db::Mode;

    PgDb() = default;
    ~PgDb();
    PgDb(const PgDb &) = delete;
    PgDb &operator=(const PgDb &) = delete;

    // Connects to a postgresql:// location (search_path = the case's schema, then pg_catalog).
    // ReadOnly makes every transaction read-only (writes fail with SQLSTATE 25006). Errors name
    // the redacted location, never a password.
    void open(const store::CaseLocation &location, Mode mode);
    void close();
    bool isOpen() const { return m_conn != nullptr; }

    void exec(std::string_view sql); // one or more statements without parameters
    PgStmt prepare(std::string_view sql) { return PgStmt(this, sql); }
    int64_t queryInt(std::string_view sql, int64_t fallback = 0);
    int64_t lastInsertId(); // lastval(): the last identity / sequence value of this session
    // Runs `COPY table(columns) FROM STDIN` (text format) with `data`, rows already escaped for
    // COPY: one statement for many rows (the writer's event rows). `copySql` is built from
    // constants by the caller, never from values.
    void copyIn(const std::string &copySql, std::string_view data);
    int changes() const { return static_cast<int>(m_changes); }
    bool readOnly() const { return m_readOnly; }
    const std::string &location() const { return m_location; } // redacted

    // While set, a running statement is cancelled (PQcancel) once the flag is set and fails with
    // a PgError whose cancelled() is true; a statement is not started while it is set.
    void setCancelFlag(CancelFlag flag) { m_cancel = std::move(flag); }
    bool cancelRequested() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    pg_conn *handle() const { return m_conn; }

    // Tests: every statement a PgStmt starts from now on is appended to *log (nullptr: off).
    void setStatementLog(std::vector<PgStatementRecord> *log) { m_statementLog = log; }

private:
    friend class PgStmt;
    void takeConnection(PgStmt *stmt); // parks the statement that streams, if another one
    void runDeallocations(); // DEALLOCATE the server statements of destroyed PgStmts
    pg_result *waitResult(); // PQgetResult that watches the cancel flag
    void sendCancel();
    std::string nextStatementName() { return "tt_s" + std::to_string(++m_statements); }
    [[noreturn]] void failConnection(const std::string &context);

    pg_conn *m_conn = nullptr;
    std::string m_location;
    bool m_readOnly = false;
    PgStmt *m_streaming = nullptr;
    uint64_t m_statements = 0;
    uint64_t m_session = 0; // counts open()s
    int64_t m_changes = 0;
    std::string m_lastCommand; // command tag of exec()'s last statement ("COMMIT", "ROLLBACK" ...)
    std::vector<std::string> m_deallocate;
    CancelFlag m_cancel;
    std::vector<PgStatementRecord> *m_statementLog = nullptr;
};

// RAII transaction on a PgDb: rolls back unless commit() was called. `immediate` is accepted for
// the same call sites as sql::Transaction; PostgreSQL takes row locks as it writes.
class PgTransaction {
public:
    explicit PgTransaction(PgDb &db, bool immediate = true);
    ~PgTransaction();
    PgTransaction(const PgTransaction &) = delete;
    PgTransaction &operator=(const PgTransaction &) = delete;
    void commit();
    void rollback();

private:
    PgDb &m_db;
    bool m_open = true;
};

// The CancelOnFlag of QueryCancel.h for a PgDb: while alive, `flag` cancels the running statement.
class PgCancelOnFlag {
public:
    PgCancelOnFlag(PgDb &db, CancelFlag flag)
        : m_db(db)
    {
        m_db.setCancelFlag(std::move(flag));
    }
    ~PgCancelOnFlag() { m_db.setCancelFlag(nullptr); }
    PgCancelOnFlag(const PgCancelOnFlag &) = delete;
    PgCancelOnFlag &operator=(const PgCancelOnFlag &) = delete;

private:
    PgDb &m_db;
};

} // namespace tt::sql
