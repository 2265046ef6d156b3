#include "store/PgDb.h"

#include "store/CaseLocation.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace tt::sql {

namespace {

constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr const char *kCancelled = "57014"; // query_canceled

bool isIdentChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
        || static_cast<unsigned char>(c) >= 0x80;
}

// The primary message and SQLSTATE of a failed result (the DETAIL is left out: it can quote row
// values, which come from the logs).
std::string describe(const pg_result *res, pg_conn *conn, std::string *sqlstate)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string msg = primary ? primary : (res ? PQresultErrorMessage(res) : "");
    if (msg.empty() && conn)
        msg = PQerrorMessage(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
        msg.pop_back();
    *sqlstate = state ? state : "";
    if (!sqlstate->empty())
        msg += " (SQLSTATE " + *sqlstate + ")";
    return msg;
}

constexpr const char *kPermissionDenied = "42501"; // insufficient_privilege

// A permission error said for people: which role, what the server refused, how to get the right
// (the statement itself is left out: it is of no use to the analyst).
std::string permissionMessage(const std::string &serverMessage, pg_conn *conn)
{
    const char *user = conn ? PQuser(conn) : nullptr;
    return "permission denied: role " + std::string(user && *user ? user : "(this role)")
        + " may not do this with the case (" + serverMessage
        + "); the case's owner can grant access: transfertrace server grant URL --analyst ROLE";
}

std::string excerpt(std::string_view sql)
{
    return "'" + std::string(sql.substr(0, 120)) + "'";
}

} // namespace

std::string rewritePlaceholders(std::string_view sql, int *count)
{
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    size_t i = 0;
    auto copyUntil = [&](size_t end) {
        out.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
        if (c == '\'' || c == '"') {
            // E'..' strings take backslash escapes; doubled quotes escape in every kind.
            const bool backslashes
                = c == '\'' && i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !isIdentChar(sql[i - 2]));
            size_t j = i + 1;
            while (j < sql.size()) {
                if (backslashes && sql[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (sql[j] == c) {
                    if (j + 1 < sql.size() && sql[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            copyUntil(std::min(j + 1, sql.size()));
        } else if (c == '-' && next == '-') {
            const size_t eol = sql.find('\n', i);
            copyUntil(eol == std::string_view::npos ? sql.size() : eol);
        } else if (c == '/' && next == '*') { // nests in PostgreSQL
            int depth = 0;
            size_t j = i;
            while (j < sql.size()) {
                if (sql.substr(j, 2) == "/*") {
                    ++depth;
                    j += 2;
                } else if (sql.substr(j, 2) == "*/") {
                    j += 2;
                    if (--depth == 0)
                        break;
                } else {
                    ++j;
                }
            }
            copyUntil(std::min(j, sql.size()));
        } else if (c == '$' && (i == 0 || !isIdentChar(sql[i - 1])) && !(next >= '0' && next <= '9')) {
            // $tag$ ... $tag$ (tag empty or an identifier); otherwise an ordinary character.
            size_t j = i + 1;
            while (j < sql.size() && isIdentChar(sql[j]))
                ++j;
            if (j < sql.size() && sql[j] == '$') {
                const std::string_view tag = sql.substr(i, j - i + 1);
                const size_t close = sql.find(tag, j + 1);
                copyUntil(close == std::string_view::npos ? sql.size() : close + tag.size());
            } else {
                copyUntil(i + 1);
            }
        } else if (c == '?' && next >= '0' && next <= '9') {
            // ?NNN (SQLite's numbered parameter, reusable): $NNN; the count is the highest number.
            size_t j = i + 1;
            int num = 0;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && num < 100000)
                num = num * 10 + (sql[j++] - '0');
            out += '$' + std::to_string(num);
            n = std::max(n, num);
            i = j;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
            ++i;
        } else {
            copyUntil(i + 1);
        }
    }
    if (count)
        *count = n;
    return out;
}

// ---- PgStmt -----------------------------------------------------------------------------------

PgStmt::PgStmt(PgDb *db, std::string_view sql)
    : m_db(db)
{
    int count = 0;
    m_sql = rewritePlaceholders(sql, &count);
    m_paramCount = count;
    m_params.resize(static_cast<size_t>(count));
}

PgStmt::~PgStmt()
{
    release();
}

PgStmt::PgStmt(PgStmt &&o) noexcept
{
    *this = std::move(o);
}

PgStmt &PgStmt::operator=(PgStmt &&o) noexcept
{
    if (this == &o)
        return *this;
    release();
    m_db = std::exchange(o.m_db, nullptr);
    m_sql = std::move(o.m_sql);
    m_name = std::move(o.m_name);
    m_session = o.m_session;
    m_preparedTypes = std::move(o.m_preparedTypes);
    m_paramCount = o.m_paramCount;
    m_params = std::move(o.m_params);
    m_state = std::exchange(o.m_state, State::Idle);
    m_row = std::exchange(o.m_row, nullptr);
    m_parked = std::move(o.m_parked);
    m_decoded = std::move(o.m_decoded);
    m_isDecoded = std::move(o.m_isDecoded);
    m_changed = o.m_changed;
    if (m_db && m_db->m_streaming == &o)
        m_db->m_streaming = this;
    return *this;
}

void PgStmt::release()
{
    if (!m_db)
        return;
    try {
        reset();
    } catch (...) {
    }
    if (!m_name.empty() && m_session == m_db->m_session && m_db->m_conn)
        m_db->m_deallocate.push_back(std::move(m_name));
    m_name.clear();
    m_db = nullptr;
}

namespace {
void checkIndex(int idx, int count)
{
    if (idx < 1 || idx > count)
        throw PgError("bind: parameter " + std::to_string(idx) + " out of range (the statement has "
                + std::to_string(count) + ")",
            "");
}
} // namespace

PgStmt &PgStmt::bind(int idx, int64_t v)
{
    checkIndex(idx, m_paramCount);
    m_params[size_t(idx - 1)] = {Param::Int8, std::to_string(v)};
    return *this;
}

PgStmt &PgStmt::bind(int idx, double v)
{
    checkIndex(idx, m_paramCount);
    char buf[64];
    // Shortest text that reads back as the same double (PostgreSQL parses it exactly).
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    m_params[size_t(idx - 1)] = {Param::Float8, std::string(buf, ec == std::errc() ? end : buf)};
    return *this;
}

PgStmt &PgStmt::bind(int idx, std::string_view text)
{
    checkIndex(idx, m_paramCount);
    m_params[size_t(idx - 1)] = {Param::Text, std::string(text)};
    return *this;
}

PgStmt &PgStmt::bindBlob(int idx, const void *data, size_t n)
{
    checkIndex(idx, m_paramCount);
    m_params[size_t(idx - 1)] = {Param::Bytea, std::string(static_cast<const char *>(data), n)};
    return *this;
}

PgStmt &PgStmt::bindNull(int idx)
{
    checkIndex(idx, m_paramCount);
    m_params[size_t(idx - 1)] = {};
    return *this;
}

void PgStmt::fail(pg_result *res, std::string_view context)
{
    std::string state;
    std::string msg = describe(res, m_db ? m_db->m_conn : nullptr, &state);
    if (res)
        PQclear(res);
    if (state == kPermissionDenied)
        throw PgError(permissionMessage(msg, m_db ? m_db->m_conn : nullptr), state);
    throw PgError(std::string(context) + " " + excerpt(m_sql) + ": " + msg, state);
}

void PgStmt::start()
{
    if (!m_db || !m_db->m_conn)
        throw PgError("statement " + excerpt(m_sql) + ": the connection is closed", "08003");
    m_db->takeConnection(this);
    if (m_db->cancelRequested())
        throw PgError("statement " + excerpt(m_sql) + ": cancelled", kCancelled);
    pg_conn *conn = m_db->m_conn;

    std::vector<Oid> types(m_params.size());
    if (m_session != m_db->m_session)
        m_name.clear(); // prepared on an earlier connection
    bool compatible = !m_name.empty();
    for (size_t i = 0; i < m_params.size(); ++i) {
        types[i] = m_params[i].type;
        if (compatible && types[i] != Param::Null && types[i] != m_preparedTypes[i])
            compatible = false;
    }
    if (!compatible) {
        if (!m_name.empty())
            m_db->m_deallocate.push_back(m_name); // same session: checked above
        m_db->runDeallocations();
        m_name = m_db->nextStatementName();
        if (!PQsendPrepare(conn, m_name.c_str(), m_sql.c_str(), int(types.size()), types.data()))
            m_db->failConnection("prepare " + excerpt(m_sql));
        pg_result *res = m_db->waitResult();
        const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        while (pg_result *more = PQgetResult(conn))
            PQclear(more);
        if (!ok) {
            m_name.clear();
            fail(res, "prepare");
        }
        PQclear(res);
        m_preparedTypes.assign(types.begin(), types.end());
        m_session = m_db->m_session;
    }

    if (m_db->m_statementLog) [[unlikely]] {
        PgStatementRecord rec;
        rec.sql = m_sql;
        for (const Param &p : m_params) {
            rec.types.push_back(p.type);
            rec.values.push_back(p.value);
            rec.nulls.push_back(p.type == Param::Null);
        }
        m_db->m_statementLog->push_back(std::move(rec));
    }
    std::vector<const char *> values(m_params.size());
    std::vector<int> lengths(m_params.size()), formats(m_params.size());
    for (size_t i = 0; i < m_params.size(); ++i) {
        const Param &p = m_params[i];
        values[i] = p.type == Param::Null ? nullptr : p.value.c_str();
        lengths[i] = static_cast<int>(p.value.size());
        formats[i] = p.type == Param::Bytea ? 1 : 0;
    }
    if (!PQsendQueryPrepared(
            conn, m_name.c_str(), int(values.size()), values.data(), lengths.data(), formats.data(), 0))
        m_db->failConnection("execute " + excerpt(m_sql));
    PQsetSingleRowMode(conn);
    m_state = State::Streaming;
    m_db->m_streaming = this;
}

void PgStmt::setRow(pg_result *row)
{
    if (m_row)
        PQclear(m_row);
    m_row = row;
    const auto n = static_cast<size_t>(row ? PQnfields(row) : 0);
    m_decoded.assign(n, std::string());
    m_isDecoded.assign(n, false);
}

bool PgStmt::step()
{
    if (m_state == State::Idle)
        start();
    if (m_state == State::Done)
        return false;
    if (m_db && m_db->cancelRequested()) {
        reset();
        throw PgError("step " + excerpt(m_sql) + ": cancelled", kCancelled);
    }
    pg_result *res = nullptr;
    if (m_state == State::Parked) {
        res = m_parked.empty() ? nullptr : m_parked.front();
        if (!m_parked.empty())
            m_parked.pop_front();
    } else {
        res = m_db->waitResult();
        if (!res && PQstatus(m_db->m_conn) != CONNECTION_OK) // never mistake a lost connection for the end
            m_db->failConnection("step " + excerpt(m_sql));
    }
    switch (res ? PQresultStatus(res) : PGRES_TUPLES_OK) {
    case PGRES_SINGLE_TUPLE:
        setRow(res);
        return true;
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK: {
        const char *changed = res ? PQcmdTuples(res) : "";
        m_changed = *changed ? std::strtoll(changed, nullptr, 10) : 0;
        if (res)
            PQclear(res);
        if (m_db)
            m_db->m_changes = m_changed;
        finish();
        setRow(nullptr);
        m_state = State::Done;
        return false;
    }
    default: {
        finish();
        setRow(nullptr);
        m_state = State::Idle;
        fail(res, "step");
    }
    }
}

void PgStmt::finish()
{
    if (m_state == State::Streaming && m_db && m_db->m_conn) {
        if (m_db->cancelRequested())
            m_db->sendCancel(); // no point reading the rest of a cancelled result
        while (pg_result *more = m_db->waitResult())
            PQclear(more);
        if (m_db->m_streaming == this)
            m_db->m_streaming = nullptr;
    }
    for (pg_result *r : m_parked)
        PQclear(r);
    m_parked.clear();
}

void PgStmt::park()
{
    if (m_state != State::Streaming)
        return;
    while (pg_result *res = m_db->waitResult())
        m_parked.push_back(res);
    m_state = State::Parked;
    if (m_db->m_streaming == this)
        m_db->m_streaming = nullptr;
}

void PgStmt::exec()
{
    while (step()) { }
    reset();
}

void PgStmt::reset()
{
    // The rest of a streaming result is read and dropped: a PQcancel could reach the server only
    // after the next statement started and cancel that one instead.
    finish();
    setRow(nullptr);
    m_state = State::Idle;
    for (Param &p : m_params)
        p = {};
}

const char *PgStmt::cell(int col) const
{
    if (!m_row || col < 0 || col >= PQnfields(m_row) || PQgetisnull(m_row, 0, col))
        return nullptr;
    return PQgetvalue(m_row, 0, col);
}

int64_t PgStmt::int64(int col) const
{
    const char *v = cell(col);
    if (!v)
        return 0;
    if (PQftype(m_row, col) == kBoolOid)
        return *v == 't' ? 1 : 0;
    const size_t len = static_cast<size_t>(PQgetlength(m_row, 0, col));
    int64_t out = 0;
    const auto [end, ec] = std::from_chars(v, v + len, out);
    if (ec == std::errc() && end == v + len)
        return out;
    return static_cast<int64_t>(real(col)); // numeric / double text: truncated like SQLite
}

double PgStmt::real(int col) const
{
    const char *v = cell(col);
    if (!v)
        return 0.0;
    double out = 0.0;
    std::from_chars(v, v + PQgetlength(m_row, 0, col), out);
    return out;
}

std::string_view PgStmt::textView(int col) const
{
    const char *v = cell(col);
    if (!v)
        return {};
    if (PQftype(m_row, col) != kByteaOid)
        return std::string_view(v, static_cast<size_t>(PQgetlength(m_row, 0, col)));
    const auto c = static_cast<size_t>(col);
    if (!m_isDecoded[c]) {
        size_t n = 0;
        unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(v), &n);
        if (!bytes)
            throw PgError("bytea column " + std::to_string(col) + " of " + excerpt(m_sql) + " does not decode", "");
        m_decoded[c].assign(reinterpret_cast<const char *>(bytes), n);
        PQfreemem(bytes);
        m_isDecoded[c] = true;
    }
    return m_decoded[c];
}

bool PgStmt::isNull(int col) const
{
    return cell(col) == nullptr;
}

int PgStmt::columnCount() const
{
    return m_row ? PQnfields(m_row) : 0;
}

// ---- PgDb -------------------------------------------------------------------------------------

PgDb::~PgDb()
{
    close();
}

void PgDb::failConnection(const std::string &context)
{
    std::string msg = m_conn ? PQerrorMessage(m_conn) : "no connection";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
        msg.pop_back();
    throw PgError(context + " on " + m_location + ": " + msg, "08006");
}

LibpqConnectArgs::LibpqConnectArgs(const store::CaseLocation &location, const char *applicationName)
    : m_params(location.libpqParams())
{
    auto has = [&](const char *key) {
        return std::any_of(m_params.begin(), m_params.end(), [&](const auto &p) { return p.first == key; });
    };
    if (!has("application_name"))
        m_params.emplace_back("application_name", applicationName);
    if (!has("connect_timeout"))
        m_params.emplace_back("connect_timeout", "10");
    m_params.emplace_back("client_encoding", "UTF8");
    m_keys.reserve(m_params.size() + 1);
    m_values.reserve(m_params.size() + 1);
    for (const auto &[k, v] : m_params) {
        m_keys.push_back(k.c_str());
        m_values.push_back(v.c_str());
    }
    m_keys.push_back(nullptr);
    m_values.push_back(nullptr);
}

void PgDb::open(const store::CaseLocation &location, Mode mode)
{
    close();
    m_location = location.redacted();
    if (location.isFile())
        throw PgError("'" + m_location + "' is a case file, not a postgresql:// location", "08001");
    const LibpqConnectArgs args(location, "transfertrace");
    m_conn = PQconnectdbParams(args.keys(), args.values(), 0);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        std::string msg = m_conn ? PQerrorMessage(m_conn) : "out of memory";
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
            msg.pop_back();
        // libpq quotes the server; the server never echoes a password (and redacted() has none).
        PQfinish(m_conn);
        m_conn = nullptr;
        throw PgError("cannot connect to " + m_location + ": " + msg, "08001");
    }
    // Notices ("already exists, skipping") would go to stderr; nothing here needs them.
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
    ++m_session;
    m_readOnly = mode == Mode::ReadOnly;
    // pg_catalog stays implicitly first, so a case's objects never shadow built-in ones.
    exec("SET search_path = \"" + location.schemaName() + "\"");
    if (m_readOnly)
        exec("SET default_transaction_read_only = on");
}

void PgDb::close()
{
    if (m_streaming)
        m_streaming->park();
    m_streaming = nullptr;
    m_deallocate.clear(); // prepared statements end with the session
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

void PgDb::takeConnection(PgStmt *stmt)
{
    if (m_streaming && m_streaming != stmt)
        m_streaming->park();
}

void PgDb::runDeallocations()
{
    if (m_deallocate.empty() || !m_conn)
        return;
    std::string sql;
    for (const std::string &name : m_deallocate)
        sql += "DEALLOCATE " + name + ";";
    m_deallocate.clear();
    exec(sql);
}

void PgDb::sendCancel()
{
    if (PGcancel *cancel = PQgetCancel(m_conn)) {
        char err[256];
        PQcancel(cancel, err, sizeof err); // best effort: the statement's own result says what happened
        PQfreeCancel(cancel);
    }
}

pg_result *PgDb::waitResult()
{
    bool cancelSent = false;
    while (PQisBusy(m_conn)) {
        if (!cancelSent && cancelRequested()) {
            sendCancel();
            cancelSent = true;
        }
        pollfd fd {PQsocket(m_conn), POLLIN, 0};
        // With a cancel flag, look at it every 50 ms; without one, sleep until the server answers.
        ::poll(&fd, 1, m_cancel && !cancelSent ? 50 : -1);
        if (!PQconsumeInput(m_conn))
            break; // PQgetResult reports the broken connection
    }
    return PQgetResult(m_conn);
}

void PgDb::exec(std::string_view sql)
{
    if (!m_conn)
        throw PgError("exec " + excerpt(sql) + ": the connection is closed", "08003");
    takeConnection(nullptr);
    if (cancelRequested())
        throw PgError("exec " + excerpt(sql) + ": cancelled", kCancelled);
    if (!PQsendQuery(m_conn, std::string(sql).c_str()))
        failConnection("exec " + excerpt(sql));
    std::string error, state;
    while (pg_result *res = waitResult()) {
        const ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            const char *changed = PQcmdTuples(res);
            m_changes = *changed ? std::strtoll(changed, nullptr, 10) : 0;
            m_lastCommand = PQcmdStatus(res);
        } else if (error.empty()) {
            error = describe(res, m_conn, &state);
        }
        PQclear(res);
    }
    if (!error.empty() && state == kPermissionDenied)
        throw PgError(permissionMessage(error, m_conn), state);
    if (!error.empty())
        throw PgError("exec " + excerpt(sql) + ": " + error, state);
}

int64_t PgDb::queryInt(std::string_view sql, int64_t fallback)
{
    PgStmt st(this, sql);
    if (st.step() && !st.isNull(0))
        return st.int64(0);
    return fallback;
}

void PgDb::copyIn(const std::string &copySql, std::string_view data)
{
    if (!m_conn)
        throw PgError("copy " + excerpt(copySql) + ": the connection is closed", "08003");
    takeConnection(nullptr);
    if (cancelRequested())
        throw PgError("copy " + excerpt(copySql) + ": cancelled", kCancelled);
    if (!PQsendQuery(m_conn, copySql.c_str()))
        failConnection("copy " + excerpt(copySql));
    std::string error, state;
    pg_result *res = waitResult();
    if (res && PQresultStatus(res) == PGRES_COPY_IN) {
        PQclear(res);
        constexpr size_t kChunk = 1u << 20;
        bool sent = true;
        for (size_t off = 0; off < data.size() && sent; off += kChunk) {
            const size_t n = std::min(kChunk, data.size() - off);
            sent = PQputCopyData(m_conn, data.data() + off, static_cast<int>(n)) == 1;
        }
        if (!sent || PQputCopyEnd(m_conn, nullptr) != 1)
            failConnection("copy " + excerpt(copySql));
        res = waitResult();
    }
    while (res) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && error.empty())
            error = describe(res, m_conn, &state);
        else if (PQresultStatus(res) == PGRES_COMMAND_OK) {
            const char *changed = PQcmdTuples(res);
            m_changes = *changed ? std::strtoll(changed, nullptr, 10) : 0;
        }
        PQclear(res);
        res = waitResult();
    }
    if (!error.empty() && state == kPermissionDenied)
        throw PgError(permissionMessage(error, m_conn), state);
    if (!error.empty())
        throw PgError("copy " + excerpt(copySql) + ": " + error, state);
}

int64_t PgDb::lastInsertId()
{
    return queryInt("SELECT lastval()");
}

// ---- PgTransaction ----------------------------------------------------------------------------

PgTransaction::PgTransaction(PgDb &db, bool)
    : m_db(db)
{
    m_db.exec("BEGIN");
}

PgTransaction::~PgTransaction()
{
    if (m_open) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void PgTransaction::commit()
{
    m_db.exec("COMMIT");
    m_open = false;
    // COMMIT of a transaction an earlier statement aborted "succeeds" as a ROLLBACK.
    if (m_db.m_lastCommand != "COMMIT")
        throw PgError("commit: the transaction was rolled back after an earlier error", "25P02");
}

void PgTransaction::rollback()
{
    m_db.exec("ROLLBACK");
    m_open = false;
}

} // namespace tt::sql
