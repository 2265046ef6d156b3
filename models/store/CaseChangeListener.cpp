#include "store/CaseChangeListener.h"

#include "store/PgDb.h"

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <vector>

namespace tt::store {

namespace {

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr int kRetryMs = 500; // between failed reconnect attempts
// libpq ignores connect_timeout when the caller drives PQconnectPoll: this is ours.
constexpr int kConnectTimeoutMs = 10000;

std::string trimmed(std::string msg)
{
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
        msg.pop_back();
    return msg;
}

} // namespace

ChangeKind changeKindFromPayload(std::string_view payload)
{
    if (payload == "annotations")
        return AnnotationsChanged;
    if (payload == "tags")
        return TagsChanged;
    if (payload == "views")
        return ViewsChanged;
    if (payload == "positions")
        return PositionsChanged;
    if (payload == "sources")
        return SourcesChanged;
    if (payload == "transfers")
        return TransfersChanged;
    return NoChange;
}

std::string changeKindsText(ChangeKinds kinds)
{
    static const std::pair<ChangeKind, const char *> names[] = {{AnnotationsChanged, "annotations"},
        {TagsChanged, "tags"}, {ViewsChanged, "views"}, {PositionsChanged, "positions"}, {SourcesChanged, "sources"},
        {TransfersChanged, "transfers"}, {EverythingChanged, "everything"}};
    std::string out;
    for (const auto &[bit, name] : names)
        if (kinds & bit)
            out += (out.empty() ? "" : ",") + std::string(name);
    return out;
}

CaseChangeListener::CaseChangeListener(const CaseLocation &location)
    : m_location(location)
{
    if (location.isFile())
        throw sql::PgError("'" + location.redacted() + "' is a case file: file cases need no listener", "08001");
    m_channel = location.schemaName(); // = pgNotifyChannel(); [a-z][a-z0-9_]*, validated by CaseLocation
    if (pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0)
        throw std::runtime_error("cannot create a pipe for the change listener");
    // The first connection blocks like PgDb::open and reports failures; reconnects do not block.
    startConnect();
    if (m_state == State::Down) {
        const std::string why = m_lastError;
        close(m_wake[0]);
        close(m_wake[1]);
        throw sql::PgError(why, "08001");
    }
    while (m_state != State::Listening) {
        const short events = m_state == State::Connecting && m_wantWrite ? POLLOUT : POLLIN;
        const int64_t left = m_connectDeadlineMs - nowMs();
        if (left <= 0)
            drop("cannot connect to " + m_location.redacted() + ": timeout");
        else if (waitSocket(events, static_cast<int>(std::min<int64_t>(left, 1000))) > 0)
            advance();
        if (m_state == State::Down) {
            const std::string why = m_lastError;
            close(m_wake[0]);
            close(m_wake[1]);
            throw sql::PgError(why, "08001");
        }
    }
    m_reconnects = 0;
}

CaseChangeListener::~CaseChangeListener()
{
    if (m_conn)
        PQfinish(m_conn);
    close(m_wake[0]);
    close(m_wake[1]);
}

int CaseChangeListener::backendPid() const
{
    return m_conn && m_state == State::Listening ? PQbackendPID(m_conn) : 0;
}

void CaseChangeListener::cancel()
{
    m_cancelled.store(true);
    const char c = 1;
    [[maybe_unused]] auto n = write(m_wake[1], &c, 1);
}

void CaseChangeListener::startConnect()
{
    const sql::LibpqConnectArgs args(m_location, "transfertrace-listener");
    m_conn = PQconnectStartParams(args.keys(), args.values(), 0);
    if (!m_conn || PQstatus(m_conn) == CONNECTION_BAD) {
        drop("cannot connect to " + m_location.redacted() + ": "
            + (m_conn ? trimmed(PQerrorMessage(m_conn)) : std::string("out of memory")));
        return;
    }
    m_state = State::Connecting;
    m_connectDeadlineMs = nowMs() + kConnectTimeoutMs;
    m_wantWrite = true; // libpq: after PQconnectStart, wait until the socket is writable
}

void CaseChangeListener::drop(const std::string &why)
{
    if (m_conn)
        PQfinish(m_conn);
    m_conn = nullptr;
    m_state = State::Down;
    m_lastError = why;
    m_nextAttemptMs = nowMs() + kRetryMs;
}

bool CaseChangeListener::advance()
{
    if (m_state == State::Connecting) {
        switch (PQconnectPoll(m_conn)) {
        case PGRES_POLLING_READING:
            m_wantWrite = false;
            return true;
        case PGRES_POLLING_WRITING:
            m_wantWrite = true;
            return true;
        case PGRES_POLLING_OK:
            PQsetNoticeProcessor(
                m_conn, [](void *, const char *) {}, nullptr);
            // The channel is an identifier of [a-z0-9_] (CaseLocation validated the case name).
            if (!PQsendQuery(m_conn, ("LISTEN " + m_channel).c_str())) {
                drop("LISTEN failed: " + trimmed(PQerrorMessage(m_conn)));
                return false;
            }
            m_state = State::ListenSent;
            return true;
        default:
            drop("cannot connect to " + m_location.redacted() + ": " + trimmed(PQerrorMessage(m_conn)));
            return false;
        }
    }
    if (m_state == State::ListenSent) {
        if (!PQconsumeInput(m_conn)) {
            drop("connection lost: " + trimmed(PQerrorMessage(m_conn)));
            return false;
        }
        while (!PQisBusy(m_conn)) {
            PGresult *res = PQgetResult(m_conn);
            if (!res) {
                m_state = State::Listening;
                return false;
            }
            const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
            std::string msg = ok ? "" : trimmed(PQresultErrorMessage(res));
            PQclear(res);
            if (!ok) {
                drop("LISTEN failed: " + msg);
                return false;
            }
        }
        return true;
    }
    return false;
}

ChangeKinds CaseChangeListener::drain()
{
    ChangeKinds kinds = NoChange;
    if (!PQconsumeInput(m_conn) || PQstatus(m_conn) != CONNECTION_OK) {
        drop("connection lost: " + trimmed(PQerrorMessage(m_conn)));
        m_nextAttemptMs = nowMs(); // the first attempt at once, then every kRetryMs
        return kinds;
    }
    while (PGnotify *n = PQnotifies(m_conn)) {
        const ChangeKind k = m_channel == n->relname ? changeKindFromPayload(n->extra) : NoChange;
        if (k == NoChange)
            ++m_ignored;
        kinds |= k;
        PQfreemem(n);
    }
    // Results (an error the server sent before closing) are read and dropped; the next
    // PQconsumeInput sees the closed connection.
    while (!PQisBusy(m_conn)) {
        PGresult *res = PQgetResult(m_conn);
        if (!res)
            break;
        PQclear(res);
    }
    return kinds;
}

int CaseChangeListener::waitSocket(short events, int timeoutMs)
{
    pollfd fds[2] = {{m_wake[0], POLLIN, 0}, {-1, events, 0}};
    int n = 1;
    if (m_conn && m_state != State::Down && PQsocket(m_conn) >= 0) {
        fds[1].fd = PQsocket(m_conn);
        n = 2;
    }
    const int r = ::poll(fds, n, timeoutMs < 0 ? 0 : timeoutMs);
    if (r <= 0)
        return 0;
    if (fds[0].revents) {
        char buf[16];
        while (read(m_wake[0], buf, sizeof buf) > 0) { }
        return -1;
    }
    return n == 2 && fds[1].revents ? 1 : 0;
}

ChangeKinds CaseChangeListener::poll(int timeoutMs)
{
    const int64_t deadline = nowMs() + (timeoutMs < 0 ? 0 : timeoutMs);
    ChangeKinds kinds = NoChange;
    for (;;) {
        if (m_cancelled.load())
            return kinds;
        if (m_state == State::Listening) {
            kinds |= drain();
            if (kinds != NoChange)
                return kinds;
        }
        if (m_state == State::Down && nowMs() >= m_nextAttemptMs)
            startConnect();
        if ((m_state == State::Connecting || m_state == State::ListenSent) && nowMs() >= m_connectDeadlineMs)
            drop("cannot connect to " + m_location.redacted() + ": timeout");
        const int64_t now = nowMs();
        if (now >= deadline)
            return kinds;
        int64_t wait = deadline - now;
        if (m_state == State::Down)
            wait = std::min(wait, std::max<int64_t>(m_nextAttemptMs - now, 0));
        const short events = m_state == State::Connecting && m_wantWrite ? POLLOUT : POLLIN;
        const int ready = waitSocket(events, static_cast<int>(wait));
        if (ready < 0)
            return kinds; // cancel()
        if (ready > 0 && (m_state == State::Connecting || m_state == State::ListenSent)) {
            advance();
            if (m_state == State::Listening) {
                ++m_reconnects;
                return kinds | EverythingChanged | drain();
            }
        }
    }
}

} // namespace tt::store
