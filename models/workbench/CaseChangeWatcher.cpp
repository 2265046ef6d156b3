#include "workbench/CaseChangeWatcher.h"

#include "store/CaseChangeListener.h"
#include "store/CaseLocation.h"

#include <QMetaObject>

#include <chrono>

namespace tt {

CaseChangeWatcher::CaseChangeWatcher(QObject *parent)
    : QObject(parent)
{
}

CaseChangeWatcher::~CaseChangeWatcher()
{
    stop();
}

void CaseChangeWatcher::start(const QString &location)
{
    stop();
    const std::string text = location.toStdString();
    if (!store::CaseLocation::looksLikeUrl(text))
        return;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = false;
    }
    const quint64 session = ++m_session;
    m_thread = std::thread([this, text, session] { run(text, session); });
}

void CaseChangeWatcher::stop()
{
    ++m_session; // whatever the old worker posted and is still queued is ignored
    if (m_thread.joinable()) {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
            if (m_listener)
                m_listener->cancel();
        }
        m_wake.notify_all();
        m_thread.join();
    }
    if (m_listening) {
        m_listening = false;
        emit listeningChanged(false);
    }
}

void CaseChangeWatcher::post(unsigned kinds, quint64 session)
{
    QMetaObject::invokeMethod(
        this,
        [this, kinds, session] {
            if (session == m_session)
                emit changed(kinds);
        },
        Qt::QueuedConnection);
}

void CaseChangeWatcher::postListening(bool on, quint64 session)
{
    QMetaObject::invokeMethod(
        this,
        [this, on, session] {
            if (session != m_session || on == m_listening)
                return;
            m_listening = on;
            emit listeningChanged(on);
        },
        Qt::QueuedConnection);
}

void CaseChangeWatcher::run(const std::string &location, quint64 session)
{
    std::unique_ptr<store::CaseLocation> parsed;
    try {
        parsed = std::make_unique<store::CaseLocation>(store::CaseLocation::parse(location));
    } catch (const std::exception &) {
        return; // the case did not open either; the window says why
    }
    while (true) {
        std::unique_ptr<store::CaseChangeListener> listener;
        try {
            listener = std::make_unique<store::CaseChangeListener>(*parsed);
        } catch (const std::exception &) {
            // The server is not reachable right now: try again in a second (or stop).
            std::unique_lock<std::mutex> lock(m_mutex);
            if (m_wake.wait_for(lock, std::chrono::seconds(1), [this] { return m_stop; }))
                return;
            continue;
        }
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (m_stop)
                return;
            m_listener = listener.get();
        }
        // Annotations committed between the case's open and LISTEN are not notified: one
        // reload of them catches up (compared before anything repaints, so usually invisible).
        // The data views were loaded by the open itself. A reconnect later on reports
        // EverythingChanged from poll().
        post(store::AnnotationsChanged | store::TagsChanged, session);
        bool up = true;
        postListening(true, session);
        while (!listener->cancelled()) {
            const store::ChangeKinds kinds = listener->poll(1000);
            if (kinds != store::NoChange && !listener->cancelled())
                post(kinds, session);
            if (listener->connected() != up) {
                up = listener->connected();
                postListening(up, session);
            }
        }
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_listener = nullptr;
        return; // cancelled: stop() was called
    }
}

} // namespace tt
