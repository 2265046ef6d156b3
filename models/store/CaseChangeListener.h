#pragma once

// Change notifications of a case on a PostgreSQL server (docs/server.md, "Several analysts at
// once"): the triggers of ensurePgNotifyTriggers() call pg_notify('tt_<case>', kind) at commit;
// this class holds its own connection that LISTENs on that channel and reports which kinds of
// change other sessions committed. Plain C++ on libpq, no Qt. Not thread-safe except cancel(),
// which any thread may call: use one listener per polling thread.
//
// File cases have no equivalent: they stay single-writer (the session lock, CaseLock.h).

#include "store/CaseLocation.h"

#include <atomic>
#include <cstdint>
#include <string>

struct pg_conn;

namespace tt::store {

// Kinds of change, as a bit set. Everything: the listener lost its connection and reconnected,
// so notifications in between may be lost: reload everything.
enum ChangeKind : unsigned {
    NoChange = 0,
    AnnotationsChanged = 1u << 0, // annotations, annotation_tags
    TagsChanged = 1u << 1,
    ViewsChanged = 1u << 2, // saved_views
    PositionsChanged = 1u << 3, // node_positions
    SourcesChanged = 1u << 4, // an import committed a file
    TransfersChanged = 1u << 5, // an inference run committed
    EverythingChanged = 1u << 6,
};
using ChangeKinds = unsigned;

// The kind a trigger payload names, NoChange for any other text (which is ignored: a payload is
// never passed on, only these bits).
ChangeKind changeKindFromPayload(std::string_view payload);
// "annotations,views" etc. for logs and tests.
std::string changeKindsText(ChangeKinds kinds);

class CaseChangeListener {
public:
    // Connects (blocking, as PgDb::open; throws sql::PgError naming the redacted location) and
    // LISTENs on the case's channel. `location` must be a postgresql:// location.
    explicit CaseChangeListener(const CaseLocation &location);
    ~CaseChangeListener();
    CaseChangeListener(const CaseChangeListener &) = delete;
    CaseChangeListener &operator=(const CaseChangeListener &) = delete;

    // Waits up to timeoutMs (0: only looks) for notifications and returns the kinds received
    // since the last call, coalesced. Returns early as soon as something arrived or cancel() was
    // called. Never blocks longer than the timeout: a lost connection is re-established without
    // blocking, over as many calls as it takes (connecting() is true meanwhile), and the call
    // that completes it returns EverythingChanged. Never throws for a lost connection.
    ChangeKinds poll(int timeoutMs);

    // Wakes a poll() running in another thread (it returns what it has, possibly NoChange) and
    // makes every later poll() return NoChange at once. Thread-safe.
    void cancel();
    bool cancelled() const { return m_cancelled.load(); }

    bool connected() const { return m_state == State::Listening; }
    bool connecting() const { return m_state != State::Listening; }
    const std::string &channel() const { return m_channel; }
    const std::string &lastError() const { return m_lastError; } // of the last lost connection / failed reconnect
    int reconnects() const { return m_reconnects; } // completed reconnections
    int backendPid() const; // the server process of the connection (0 while down)
    int ignoredPayloads() const { return m_ignored; } // notifications on the channel with an unknown payload

private:
    enum class State { Down, Connecting, ListenSent, Listening };
    void startConnect();
    void drop(const std::string &why);
    ChangeKinds drain(); // consumes input and collects notifications; drops the connection on failure
    bool advance(); // one step of reconnecting; true when it needs the socket again
    int waitSocket(short events, int timeoutMs); // 1 ready, 0 timeout, -1 cancelled / no socket

    CaseLocation m_location;
    std::string m_channel;
    pg_conn *m_conn = nullptr;
    State m_state = State::Down;
    bool m_wantWrite = false; // while connecting: PQconnectPoll asked for writing
    std::atomic<bool> m_cancelled {false};
    int m_wake[2] = {-1, -1}; // self-pipe of cancel()
    std::string m_lastError;
    int m_reconnects = 0;
    int m_ignored = 0;
    int64_t m_connectDeadlineMs = 0; // steady clock: a connection attempt still going then is given up
    int64_t m_nextAttemptMs = 0; // steady clock: no reconnect attempt before (after a failed one)
};

} // namespace tt::store
