#include "items/EventBrowserModel.h"

#include "items/TimeFormat.h"

namespace tt {

EventBrowserModel::EventBrowserModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

quint64 EventBrowserModel::reset(const QStringList &payloadColumns)
{
    beginResetModel();
    m_rows.clear();
    m_payloadColumns = payloadColumns;
    m_cursor = EventCursor {};
    m_atEnd = false;
    m_loading = false;
    ++m_generation;
    endResetModel();
    return m_generation;
}

bool EventBrowserModel::appendPage(quint64 generation, const EventPage &page)
{
    if (generation != m_generation)
        return false;
    m_loading = false;
    m_cursor = page.next;
    m_atEnd = page.atEnd || !page.error.isEmpty() || page.interrupted;
    if (!page.rows.empty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(page.rows.size()) - 1);
        m_rows.insert(m_rows.end(), page.rows.begin(), page.rows.end());
        endInsertRows();
    }
    return true;
}

const EventBrowserRow *EventBrowserModel::rowAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<size_t>(row)] : nullptr;
}

int EventBrowserModel::rowOfEvent(int64_t event) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == event)
            return static_cast<int>(i);
    return -1;
}

int EventBrowserModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventBrowserModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FixedColumns + static_cast<int>(m_payloadColumns.size());
}

QVariant EventBrowserModel::data(const QModelIndex &index, int role) const
{
    const EventBrowserRow *r = rowAt(index.row());
    if (!r)
        return {};
    if (role == EventRowIdRole)
        return QVariant::fromValue<qlonglong>(r->id);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time:
        return r->hasTime ? formatTime(r->ts) : QString();
    case Host:
        return r->host;
    case Channel:
        return r->channel;
    case EventId:
        return r->eventId;
    case Account:
        return r->account;
    case Process:
        return r->process;
    case Summary:
        return r->summary;
    default: {
        const int extra = index.column() - FixedColumns;
        return extra >= 0 && extra < r->extra.size() ? r->extra.at(extra) : QString();
    }
    }
}

QVariant EventBrowserModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time (%1)").arg(displayTimeZoneName());
    case Host:
        return tr("Host");
    case Channel:
        return tr("Channel");
    case EventId:
        return tr("Event ID");
    case Account:
        return tr("Account");
    case Process:
        return tr("Process");
    case Summary:
        return tr("Summary");
    default: {
        const int extra = section - FixedColumns;
        return extra >= 0 && extra < m_payloadColumns.size() ? m_payloadColumns.at(extra) : QString();
    }
    }
}

bool EventBrowserModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading;
}

void EventBrowserModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    emit morePagesNeeded(m_generation);
}

} // namespace tt
