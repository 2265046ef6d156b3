#pragma once

#include "query/EventBrowserQuery.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace tt {

// The event browser's rows: pages appended as the view scrolls (canFetchMore / fetchMore ask the
// owner for the page after the last one through morePagesNeeded; the owner queries off the UI
// thread and hands the page to appendPage()). reset() starts a new generation: a page of an
// older one is dropped. Fixed columns first, then one per payload field the analyst added.
class EventBrowserModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Host, Channel, EventId, Account, Process, Summary, FixedColumns };
    enum RoleId { EventRowIdRole = Qt::UserRole + 1 };

    explicit EventBrowserModel(QObject *parent = nullptr);

    // Empties the list for a new query (new columns too); returns the new generation.
    quint64 reset(const QStringList &payloadColumns);
    quint64 generation() const { return m_generation; }
    // Appends a page of this generation (older ones are ignored); false when dropped.
    bool appendPage(quint64 generation, const EventPage &page);
    bool atEnd() const { return m_atEnd; }
    bool loading() const { return m_loading; }
    void setLoading(bool loading) { m_loading = loading; }
    const EventCursor &cursor() const { return m_cursor; }
    const EventBrowserRow *rowAt(int row) const;
    int rowOfEvent(int64_t event) const;
    const QStringList &payloadColumns() const { return m_payloadColumns; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void morePagesNeeded(quint64 generation);

private:
    std::vector<EventBrowserRow> m_rows;
    QStringList m_payloadColumns;
    EventCursor m_cursor;
    quint64 m_generation = 0;
    bool m_atEnd = true;
    bool m_loading = false;
};

} // namespace tt
