#pragma once

// The workbench side of "several analysts at once" (issue 13 item 3, docs/server.md): while a
// server case is open, a worker thread (never the UI thread) waits on a store::CaseChangeListener
// and posts what other sessions committed to this object's thread as changed(kinds). File cases
// have nothing to listen to: start() does nothing for them.

#include <QObject>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace tt {

namespace store {
class CaseChangeListener;
}

class CaseChangeWatcher : public QObject {
    Q_OBJECT
public:
    explicit CaseChangeWatcher(QObject *parent = nullptr);
    ~CaseChangeWatcher() override; // stop()

    // Stops the previous listener, then listens on `location` when it is a postgresql:// one.
    // Connecting happens on the worker (a server that is slow to answer never blocks the UI);
    // it retries every second until it succeeds or stop() is called.
    void start(const QString &location);
    // Wakes and joins the worker: no thread is left when it returns. Notices already posted but
    // not delivered yet are dropped (they belong to the case being closed).
    void stop();
    bool active() const { return m_thread.joinable(); }
    bool listening() const { return m_listening; } // the listener is connected (UI thread's view)

signals:
    // store::ChangeKinds bits committed by any session, own writes included (the receiver
    // compares before it repaints).
    void changed(unsigned kinds);
    void listeningChanged(bool listening);

private:
    void run(const std::string &location, quint64 session);
    void post(unsigned kinds, quint64 session);
    void postListening(bool on, quint64 session);

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false; // under m_mutex
    store::CaseChangeListener *m_listener = nullptr; // under m_mutex, owned by the worker
    quint64 m_session = 0; // UI thread: notices of an older session are dropped
    bool m_listening = false;
};

} // namespace tt
