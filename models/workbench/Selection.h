#pragma once

#include <QObject>
#include <QVector>

#include <cstdint>

namespace tt {

// What the analyst picked, as entity ids, so one pick in any view selects in all others
// (STYLE.md: linked selection through ids, no global bus). Created once in app/.
struct SelectedEntities {
    enum class Kind { None, Host, Edge, Transfer, Event, Process };
    Kind kind = Kind::None;
    QVector<qint64> hosts; // Host: one; Edge: source and target
    QVector<qint64> transfers; // Edge: its transfers; Transfer: one
    QVector<qint64> events; // Event: one (events.id)
    qint64 process = 0; // Process: processes.id
    bool operator==(const SelectedEntities &o) const
    {
        return kind == o.kind && hosts == o.hosts && transfers == o.transfers && events == o.events
            && process == o.process;
    }
};

class Selection : public QObject {
    Q_OBJECT
public:
    explicit Selection(QObject *parent = nullptr)
        : QObject(parent)
    {
    }
    const SelectedEntities &current() const { return m_current; }
    void select(const SelectedEntities &s)
    {
        if (s == m_current)
            return;
        m_current = s;
        emit changed(m_current);
    }
    void clear() { select({}); }

signals:
    void changed(const tt::SelectedEntities &selection);

private:
    SelectedEntities m_current;
};

} // namespace tt
