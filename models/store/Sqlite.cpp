#include "store/Sqlite.h"

#include "store/CaseLocation.h"
#include "store/PgDb.h"
#include "store/PgSchema.h"

#include <sqlite3.h>

#include <pthread.h>
#include <utility>

namespace tt::sql {

namespace {
[[noreturn]] void fail(sqlite3 *db, int rc, std::string_view context)
{
    std::string msg(context);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    throw Error(msg, rc);
}
} // namespace

Stmt::Stmt(sqlite3 *db, std::string_view sql)
    : m_db(db)
{
    int rc
        = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(db, rc, std::string("prepare '") + std::string(sql.substr(0, 120)) + "'");
}

Stmt::Stmt() = default;

Stmt::Stmt(PgDb *db, std::string_view sql)
    : m_pg(std::make_unique<PgStmt>(db, sql))
{
}

Stmt::~Stmt()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Stmt::Stmt(Stmt &&o) noexcept
    : m_db(std::exchange(o.m_db, nullptr))
    , m_stmt(std::exchange(o.m_stmt, nullptr))
    , m_pg(std::move(o.m_pg))
{
}

Stmt &Stmt::operator=(Stmt &&o) noexcept
{
    if (this != &o) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_db = std::exchange(o.m_db, nullptr);
        m_stmt = std::exchange(o.m_stmt, nullptr);
        m_pg = std::move(o.m_pg);
    }
    return *this;
}

Stmt &Stmt::bind(int idx, int64_t v)
{
    if (m_pg) [[unlikely]] {
        m_pg->bind(idx, v);
        return *this;
    }
    int rc = sqlite3_bind_int64(m_stmt, idx, v);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

Stmt &Stmt::bind(int idx, double v)
{
    if (m_pg) [[unlikely]] {
        m_pg->bind(idx, v);
        return *this;
    }
    int rc = sqlite3_bind_double(m_stmt, idx, v);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

Stmt &Stmt::bind(int idx, std::string_view text)
{
    if (m_pg) [[unlikely]] {
        m_pg->bind(idx, text);
        return *this;
    }
    int rc = sqlite3_bind_text64(m_stmt, idx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

Stmt &Stmt::bindStatic(int idx, std::string_view text)
{
    if (m_pg) [[unlikely]] {
        m_pg->bind(idx, text);
        return *this;
    }
    int rc = sqlite3_bind_text64(m_stmt, idx, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

Stmt &Stmt::bindBlob(int idx, const void *data, size_t n)
{
    if (m_pg) [[unlikely]] {
        m_pg->bindBlob(idx, data, n);
        return *this;
    }
    int rc = sqlite3_bind_blob64(m_stmt, idx, data, n, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

Stmt &Stmt::bindBlobStatic(int idx, const void *data, size_t n)
{
    if (m_pg) [[unlikely]] {
        m_pg->bindBlob(idx, data, n);
        return *this;
    }
    int rc = sqlite3_bind_blob64(m_stmt, idx, data, n, SQLITE_STATIC);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

Stmt &Stmt::bindNull(int idx)
{
    if (m_pg) [[unlikely]] {
        m_pg->bindNull(idx);
        return *this;
    }
    int rc = sqlite3_bind_null(m_stmt, idx);
    if (rc != SQLITE_OK)
        fail(m_db, rc, "bind");
    return *this;
}

bool Stmt::step()
{
    if (m_pg) [[unlikely]] {
        return m_pg->step();
    }
    int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    std::string sqlText = sqlite3_sql(m_stmt) ? sqlite3_sql(m_stmt) : "";
    sqlite3_reset(m_stmt);
    fail(m_db, rc, "step '" + sqlText.substr(0, 120) + "'");
}

void Stmt::exec()
{
    while (step()) { }
    reset();
}

int64_t Stmt::execInsert()
{
    if (m_pg) [[unlikely]] {
        if (!m_pg->step())
            throw Error("INSERT ... RETURNING id returned no row: " + m_pg->sql(), -1);
        const int64_t id = m_pg->int64(0);
        m_pg->reset();
        return id;
    }
    exec();
    return sqlite3_last_insert_rowid(m_db);
}

void Stmt::reset()
{
    if (m_pg) [[unlikely]] {
        m_pg->reset();
        return;
    }
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Stmt::int64(int col) const
{
    if (m_pg) [[unlikely]] {
        return m_pg->int64(col);
    }
    return sqlite3_column_int64(m_stmt, col);
}
double Stmt::real(int col) const
{
    if (m_pg) [[unlikely]] {
        return m_pg->real(col);
    }
    return sqlite3_column_double(m_stmt, col);
}
bool Stmt::isNull(int col) const
{
    if (m_pg) [[unlikely]] {
        return m_pg->isNull(col);
    }
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}
int Stmt::columnCount() const
{
    if (m_pg) [[unlikely]] {
        return m_pg->columnCount();
    }
    return sqlite3_column_count(m_stmt);
}

std::string Stmt::text(int col) const
{
    return std::string(textView(col));
}

std::string_view Stmt::textView(int col) const
{
    if (m_pg) [[unlikely]] {
        return m_pg->textView(col);
    }
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    if (!p)
        return {};
    return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, col)));
}

std::string_view Stmt::blob(int col) const
{
    if (m_pg) [[unlikely]]
        return m_pg->blob(col);
    const void *p = sqlite3_column_blob(m_stmt, col);
    if (!p)
        return {};
    return std::string_view(static_cast<const char *>(p), static_cast<size_t>(sqlite3_column_bytes(m_stmt, col)));
}

Db::Db() = default;

Db::~Db()
{
    close();
}

Db::Db(Db &&o) noexcept
    : m_db(std::exchange(o.m_db, nullptr))
    , m_pg(std::move(o.m_pg))
    , m_cache(std::move(o.m_cache))
{
}

Db &Db::operator=(Db &&o) noexcept
{
    if (this != &o) {
        close();
        m_db = std::exchange(o.m_db, nullptr);
        m_pg = std::move(o.m_pg);
        m_cache = std::move(o.m_cache);
    }
    return *this;
}

CachedStmt::CachedStmt(Stmt *cached, bool *inUse)
    : m_stmt(cached)
    , m_inUse(inUse)
{
    *m_inUse = true;
}

CachedStmt::CachedStmt(Stmt &&own)
    : m_own(std::make_unique<Stmt>(std::move(own)))
{
    m_stmt = m_own.get();
}

CachedStmt::CachedStmt(CachedStmt &&o) noexcept
    : m_stmt(std::exchange(o.m_stmt, nullptr))
    , m_inUse(std::exchange(o.m_inUse, nullptr))
    , m_own(std::move(o.m_own))
{
}

CachedStmt::~CachedStmt()
{
    if (!m_inUse)
        return; // its own statement (or moved from): finalized with m_own
    try {
        m_stmt->reset();
    } catch (...) {
    }
    *m_inUse = false;
}

CachedStmt Db::cached(std::string_view sql)
{
    if (m_pg)
        return CachedStmt(prepare(sql));
    auto it = m_cache.find(std::string(sql));
    if (it == m_cache.end()) {
        auto entry = std::make_unique<CacheEntry>();
        entry->stmt = Stmt(m_db, sql);
        it = m_cache.emplace(std::string(sql), std::move(entry)).first;
    } else if (it->second->inUse) {
        return CachedStmt(Stmt(m_db, sql)); // nested use of the same SQL
    }
    return CachedStmt(&it->second->stmt, &it->second->inUse);
}

CachedStmt Db::cachedInsert(std::string_view sql)
{
    return m_pg ? CachedStmt(prepareInsert(sql)) : cached(sql);
}

void Db::open(const std::string &path, Mode mode)
{
    // Memory statistics make every sqlite3_malloc / free take a global mutex (perf: ~2 % of the
    // import's writer thread); nothing here reads them. Must precede SQLite's initialisation, so
    // it is a no-op (SQLITE_MISUSE, ignored) if something else initialised SQLite first.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    close();
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    switch (mode) {
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::Create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    sqlite3 *db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open '" + path + "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        throw Error(msg, rc);
    }
    m_db = db;
    // Hardening against hostile case files (https://www.sqlite.org/security.html).
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
    sqlite3_limit(m_db, SQLITE_LIMIT_LENGTH, 256 * 1024 * 1024);
    sqlite3_busy_timeout(m_db, 5000);
}

void Db::open(const store::CaseLocation &location, Mode mode)
{
    if (location.isFile()) {
        open(location.path(), mode);
        return;
    }
    close();
    auto pg = std::make_unique<PgDb>();
    pg->open(location, mode);
    m_pg = std::move(pg);
}

bool Db::isOpen() const
{
    return m_db != nullptr || (m_pg && m_pg->isOpen());
}

Stmt Db::prepare(std::string_view sql)
{
    if (m_pg) [[unlikely]]
        return Stmt(m_pg.get(), store::toPostgresStatement(sql));
    return Stmt(m_db, sql);
}

Stmt Db::prepareInsert(std::string_view sql)
{
    if (m_pg) [[unlikely]]
        return Stmt(m_pg.get(), store::toPostgresStatement(std::string(sql) + " RETURNING id"));
    return Stmt(m_db, sql);
}

void Db::close()
{
    m_cache.clear(); // finalized before the connection closes
    m_pg.reset();
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

void Db::exec(std::string_view sql)
{
    if (m_pg) [[unlikely]] {
        m_pg->exec(store::toPostgresStatement(sql));
        return;
    }
    std::string s(sql);
    char *err = nullptr;
    int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw Error("exec '" + s.substr(0, 120) + "': " + msg, rc);
    }
}

int64_t Db::queryInt(std::string_view sql, int64_t fallback)
{
    Stmt st = prepare(sql);
    if (st.step() && !st.isNull(0))
        return st.int64(0);
    return fallback;
}

int64_t Db::lastInsertId() const
{
    if (m_pg) [[unlikely]] {
        return m_pg->lastInsertId();
    }
    return sqlite3_last_insert_rowid(m_db);
}
int Db::changes() const
{
    if (m_pg) [[unlikely]] {
        return m_pg->changes();
    }
    return sqlite3_changes(m_db);
}
bool Db::readOnly() const
{
    if (m_pg) [[unlikely]] {
        return m_pg->readOnly();
    }
    return sqlite3_db_readonly(m_db, "main") == 1;
}

Transaction::Transaction(Db &db, bool immediate)
    : m_db(db)
{
    if (m_db.pg()) {
        m_pg = std::make_unique<PgTransaction>(*m_db.pg(), immediate);
        return;
    }
    m_db.cached(immediate ? "BEGIN IMMEDIATE" : "BEGIN")->exec(); // prepared once per connection
}

Transaction::~Transaction()
{
    if (m_pg)
        return; // PgTransaction rolls back
    if (m_open) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void Transaction::commit()
{
    if (m_pg) {
        m_open = false;
        m_pg->commit();
        return;
    }
    m_db.cached("COMMIT")->exec();
    m_open = false;
}

void Transaction::rollback()
{
    if (m_pg) {
        m_open = false;
        m_pg->rollback();
        return;
    }
    m_db.exec("ROLLBACK");
    m_open = false;
}

WalCheckpointer::WalCheckpointer(Db &writer, const std::string &path)
    : m_writer(writer)
{
    try {
        if (!writer.isOpen() || writer.isPostgres() || writer.readOnly() || path.empty() || path == ":memory:")
            return;
        Stmt jm(writer.handle(), "PRAGMA journal_mode");
        if (!jm.step() || jm.text(0) != "wal")
            return;
        m_own.open(path, Db::Mode::ReadWrite);
        m_own.exec("PRAGMA synchronous=NORMAL");
    } catch (const std::exception &) {
        m_own.close();
        return; // automatic checkpoints stay in charge
    }
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "tt-checkpoint"); // named in top / perf
        run();
    });
    // Replaces the automatic checkpoint (which is itself a WAL hook).
    sqlite3_wal_hook(m_writer.handle(), &WalCheckpointer::walHook, this);
}

WalCheckpointer::~WalCheckpointer()
{
    if (!m_thread.joinable())
        return;
    sqlite3_wal_autocheckpoint(m_writer.handle(), kFrames); // removes our hook
    {
        std::lock_guard lock(m_mu);
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
    m_own.close();
}

int WalCheckpointer::checkpoints() const
{
    std::lock_guard lock(m_mu);
    return m_completed;
}

int WalCheckpointer::walHook(void *self, sqlite3 *, const char *, int frames)
{
    auto *c = static_cast<WalCheckpointer *>(self);
    if (frames < kFrames)
        return SQLITE_OK;
    std::unique_lock lock(c->m_mu);
    const uint64_t mine = ++c->m_requested;
    c->m_cv.notify_all();
    if (frames >= kHardFrames) // the helper lags: let one checkpoint that saw this commit finish
        c->m_cv.wait(lock, [&] { return c->m_done >= mine || c->m_stop; });
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    std::unique_lock lock(m_mu);
    for (;;) {
        m_cv.wait(lock, [this] { return m_stop || m_requested > m_done; });
        if (m_stop)
            break;
        const uint64_t upTo = m_requested;
        lock.unlock();
        int logFrames = 0, copied = 0;
        // PASSIVE: copies what is committed without waiting for the writer or readers. A busy
        // or failed attempt is simply retried at the next request.
        sqlite3_wal_checkpoint_v2(m_own.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
        lock.lock();
        m_done = upTo;
        ++m_completed;
        m_cv.notify_all();
    }
}

} // namespace tt::sql
