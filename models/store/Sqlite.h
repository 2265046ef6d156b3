#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace tt::store {
class CaseLocation;
}

namespace tt::sql {

class PgDb;
class PgStmt;
class PgTransaction;

// Which database engine a connection talks to (issue 13): a case file (SQLite) or a case on a
// PostgreSQL server. Db / Stmt / Transaction dispatch on it with one predictable branch per call
// (no virtual call per bind on SQLite's import hot path).
enum class Engine { Sqlite, Postgres };

// Thrown on any SQLite failure; carries the SQLite message and, where known, the statement.
// PostgreSQL failures are a PgError (PgDb.h), derived from it.
class Error : public std::runtime_error {
public:
    Error(const std::string &what, int code)
        : std::runtime_error(what)
        , m_code(code)
    {
    }
    int code() const { return m_code; }

private:
    int m_code;
};

// One prepared statement. Values are always bound, never interpolated into SQL text.
// On a PostgreSQL connection it wraps a PgStmt (same semantics, see PgDb.h).
class Stmt {
public:
    Stmt();
    Stmt(sqlite3 *db, std::string_view sql);
    Stmt(PgDb *db, std::string_view sql);
    ~Stmt();
    Stmt(Stmt &&o) noexcept;
    Stmt &operator=(Stmt &&o) noexcept;
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;

    Stmt &bind(int idx, int64_t v);
    Stmt &bind(int idx, int v) { return bind(idx, static_cast<int64_t>(v)); }
    Stmt &bind(int idx, double v);
    Stmt &bind(int idx, std::string_view text); // TEXT, copied by SQLite
    Stmt &bindStatic(int idx, std::string_view text); // TEXT, caller keeps it alive until step
    Stmt &bindBlob(int idx, const void *data, size_t n); // BLOB, copied
    Stmt &bindBlobStatic(int idx, const void *data, size_t n); // BLOB, caller keeps it alive until step
    Stmt &bindNull(int idx);
    Stmt &bindOptional(int idx, std::string_view text) // NULL when empty
    {
        return text.empty() ? bindNull(idx) : bind(idx, text);
    }
    // Like bindOptional, without SQLite taking a copy: text must stay valid until the statement
    // is reset (exec() resets and clears the bindings).
    Stmt &bindOptionalStatic(int idx, std::string_view text)
    {
        return text.empty() ? bindNull(idx) : bindStatic(idx, text);
    }

    // Returns true while a row is available, false when done. Throws on error.
    bool step();
    // Runs to completion (for INSERT/UPDATE) and resets for reuse.
    void exec();
    // Runs an INSERT made by Db::prepareInsert() and returns the new row's id: SQLite's last
    // rowid; on PostgreSQL the statement's RETURNING id (no lastval() round trip). Resets.
    int64_t execInsert();
    // Ready for the next execution: clears the bindings too, so re-bind every parameter.
    void reset();

    int64_t int64(int col) const;
    int integer(int col) const { return static_cast<int>(int64(col)); }
    double real(int col) const;
    std::string text(int col) const;
    std::string_view textView(int col) const; // valid until the next step/reset
    std::string_view blob(int col) const; // BLOB bytes, valid until the next step/reset
    bool isNull(int col) const;
    int columnCount() const;

    bool isPrepared() const { return m_stmt != nullptr || m_pg != nullptr; }
    Engine engine() const { return m_pg ? Engine::Postgres : Engine::Sqlite; }
    sqlite3_stmt *handle() const { return m_stmt; } // nullptr on PostgreSQL

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    std::unique_ptr<PgStmt> m_pg; // set only on PostgreSQL
};

// A statement lent from a connection's cache (Db::cached): reset, its bindings cleared, when the
// lease ends, so no half-read SELECT keeps a read transaction open.
class CachedStmt {
public:
    CachedStmt(CachedStmt &&o) noexcept;
    CachedStmt &operator=(CachedStmt &&) = delete;
    CachedStmt(const CachedStmt &) = delete;
    CachedStmt &operator=(const CachedStmt &) = delete;
    ~CachedStmt();
    Stmt &operator*() const { return *m_stmt; }
    Stmt *operator->() const { return m_stmt; }

private:
    friend class Db;
    CachedStmt(Stmt *cached, bool *inUse);
    explicit CachedStmt(Stmt &&own);
    Stmt *m_stmt = nullptr;
    bool *m_inUse = nullptr; // the cache entry's flag; null for a statement of its own
    std::unique_ptr<Stmt> m_own;
};

// An owned connection. One per thread (STYLE.md): never shared across threads.
// On PostgreSQL it owns a PgDb (open(CaseLocation)); handle() is then nullptr, and code that
// needs SQLite itself checks engine() first.
class Db {
public:
    Db();
    ~Db();
    Db(Db &&o) noexcept;
    Db &operator=(Db &&o) noexcept;
    Db(const Db &) = delete;
    Db &operator=(const Db &) = delete;

    enum class Mode { ReadOnly, ReadWrite, Create };
    // Opens defensively: no extension loading, trusted_schema=OFF, defensive mode on, a busy
    // timeout. A case file can come from someone else.
    void open(const std::string &path, Mode mode);
    // A case file path or a postgresql:// location (PgDb::open: errors name the redacted location).
    void open(const store::CaseLocation &location, Mode mode);
    void close();
    bool isOpen() const;
    Engine engine() const { return m_pg ? Engine::Postgres : Engine::Sqlite; }
    bool isPostgres() const { return m_pg != nullptr; }
    PgDb *pg() const { return m_pg.get(); } // nullptr on SQLite

    void exec(std::string_view sql); // one or more statements without parameters
    Stmt prepare(std::string_view sql);
    // An INSERT of one row into a table whose key is `id`, for Stmt::execInsert(): on PostgreSQL
    // "RETURNING id" is appended (the statement must not have its own RETURNING).
    Stmt prepareInsert(std::string_view sql);
    int64_t queryInt(std::string_view sql, int64_t fallback = 0);
    // The statement prepared once and kept for the connection's life: for statements that run
    // once per file or transaction, where preparing costs more than running (the import's
    // per-file statements: ~10 % of its writer thread). Same SQL while a lease on it is still
    // held (nested use): a statement of its own. On PostgreSQL always one of its own (a server
    // plan outliving schema changes is not worth the risk). cachedInsert: like prepareInsert.
    CachedStmt cached(std::string_view sql);
    CachedStmt cachedInsert(std::string_view sql);
    int64_t lastInsertId() const;
    int changes() const;
    bool readOnly() const;

    sqlite3 *handle() const { return m_db; } // nullptr on PostgreSQL

private:
    struct CacheEntry {
        Stmt stmt;
        bool inUse = false;
    };
    sqlite3 *m_db = nullptr;
    std::unique_ptr<PgDb> m_pg; // set only on PostgreSQL
    std::unordered_map<std::string, std::unique_ptr<CacheEntry>> m_cache; // by SQL text (SQLite only)
};

// RAII transaction: rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(Db &db, bool immediate = true);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();
    void rollback();

private:
    Db &m_db;
    bool m_open = true;
    std::unique_ptr<PgTransaction> m_pg;
};

// Moves WAL checkpoints of a writing connection onto a helper thread with a connection of its
// own, for the duration of a long import. SQLite's automatic checkpoint runs inside the
// writer's COMMIT (copy the WAL into the database, two fsyncs); PASSIVE checkpoints on another
// connection run concurrently with the writer instead, so with two cores the copying and the
// syncing overlap with the next file's inserts. Durability and crash safety are unchanged
// (same WAL protocol, synchronous=NORMAL as on the writer). If the WAL grows past kHardFrames
// because the helper lags, the committing writer waits for one checkpoint to finish, so the
// WAL is reset when its next transaction starts: the file stays bounded.
// Inactive (automatic checkpoints as before) when the database is not in WAL mode or the
// second connection cannot be opened. The destructor restores automatic checkpoints.
class WalCheckpointer {
public:
    static constexpr int kFrames = 1000; // like SQLite's default wal_autocheckpoint
    static constexpr int kHardFrames = 4000; // 62.5 MiB of 16 KiB pages

    WalCheckpointer(Db &writer, const std::string &path);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    bool active() const { return m_thread.joinable(); }
    int checkpoints() const; // completed by the helper (for tests)

private:
    static int walHook(void *self, sqlite3 *db, const char *name, int frames);
    void run();

    Db &m_writer;
    Db m_own;
    mutable std::mutex m_mu;
    std::condition_variable m_cv;
    bool m_stop = false;
    uint64_t m_requested = 0; // commits that asked for a checkpoint
    uint64_t m_done = 0; // request number the last finished checkpoint started after
    int m_completed = 0;
    std::thread m_thread;
};

} // namespace tt::sql
