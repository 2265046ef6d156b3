#include "items/EvidenceTableModel.h"

#include "items/TimeFormat.h"

#include <QHash>
#include <QMetaObject>

#include <algorithm>

namespace tt {

EvidenceTableModel::EvidenceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EvidenceTableModel::setRows(std::vector<EvidenceKey> rows)
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_rows.reserve(rows.size());
    for (EvidenceKey &k : rows)
        m_rows.push_back({std::move(k), {}});
    m_loaded.clear();
    m_pending.clear();
    endResetModel();
}

void EvidenceTableModel::requestPage(int page) const
{
    const int first = page * kPageSize;
    if (page < 0 || first >= static_cast<int>(m_rows.size()) || m_loaded.contains(page) || m_pending.contains(page))
        return;
    m_pending.insert(page);
    QVector<qint64> ids;
    const int last = std::min(static_cast<int>(m_rows.size()), first + kPageSize);
    for (int r = first; r < last; ++r)
        ids << m_rows[static_cast<size_t>(r)].key.event;
    // Queued: data() may run inside a paint or a model test; never re-enter the owner there.
    const quint64 gen = m_generation;
    auto *self = const_cast<EvidenceTableModel *>(this);
    QMetaObject::invokeMethod(
        self, [self, gen, page, ids] { emit self->pageNeeded(gen, page, ids); }, Qt::QueuedConnection);
}

void EvidenceTableModel::setPage(quint64 generation, int page, const std::vector<EvidenceDetail> &details)
{
    if (generation != m_generation || m_loaded.contains(page))
        return; // rows of an older list
    const int first = page * kPageSize;
    const int last = std::min(static_cast<int>(m_rows.size()), first + kPageSize) - 1;
    if (first > last)
        return;
    QHash<qint64, const EvidenceDetail *> byEvent;
    for (const EvidenceDetail &d : details)
        byEvent.insert(d.event, &d);
    for (int r = first; r <= last; ++r) {
        Row &row = m_rows[static_cast<size_t>(r)];
        if (const EvidenceDetail *d = byEvent.value(row.key.event))
            row.detail = *d;
        row.detail.event = row.key.event;
    }
    m_pending.remove(page);
    m_loaded.insert(page);
    emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int64_t EvidenceTableModel::eventAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].key.event : 0;
}

void EvidenceTableModel::setAnnotationColors(const QHash<qint64, QColor> &colors)
{
    if (colors == m_annotationColors)
        return;
    m_annotationColors = colors;
    if (!m_rows.empty())
        emit dataChanged(index(0, Time), index(static_cast<int>(m_rows.size()) - 1, Time), {Qt::DecorationRole});
}

const EvidenceKey *EvidenceTableModel::keyAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? &m_rows[static_cast<size_t>(row)].key : nullptr;
}

const EvidenceDetail *EvidenceTableModel::detailAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()) || !m_loaded.contains(row / kPageSize))
        return nullptr;
    return &m_rows[static_cast<size_t>(row)].detail;
}

int64_t EvidenceTableModel::transferAt(int row) const
{
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<size_t>(row)].key.transferId : 0;
}

int EvidenceTableModel::rowOfEvent(int64_t event) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].key.event == event)
            return static_cast<int>(i);
    return -1;
}

int EvidenceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EvidenceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvidenceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const Row &r = m_rows[static_cast<size_t>(index.row())];
    const int page = index.row() / kPageSize;
    const bool loaded = m_loaded.contains(page);
    switch (role) {
    case EventRowIdRole:
        return QVariant::fromValue<qlonglong>(r.key.event);
    case TransferIdRole:
        return QVariant::fromValue<qlonglong>(r.key.transferId);
    case HostIdRole:
        return QVariant::fromValue<qlonglong>(r.detail.hostId);
    case LoadedRole:
        return loaded;
    case Qt::TextAlignmentRole:
        return index.column() == EventId ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DecorationRole:
        if (index.column() == Time)
            if (const auto it = m_annotationColors.constFind(r.key.event); it != m_annotationColors.cend())
                return *it; // views draw a QColor decoration as a swatch
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    if (!loaded)
        requestPage(page);
    // Plain strings only: log text is never interpreted as rich text by item views.
    switch (index.column()) {
    case Time:
        return formatTime(r.key.ts);
    case Host:
        return r.detail.host;
    case Channel:
        return r.detail.channel;
    case EventId:
        return loaded ? QVariant(QString::number(r.detail.eventId)) : QVariant(QString());
    case Role:
        return r.key.role;
    case Rule:
        return r.key.rule;
    case Summary:
        return loaded ? r.detail.summary : tr("loading...");
    default:
        return {};
    }
}

QVariant EvidenceTableModel::headerData(int section, Qt::Orientation o, int role) const
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
    case Role:
        return tr("Role");
    case Rule:
        return tr("Rule");
    case Summary:
        return tr("Summary");
    default:
        return {};
    }
}

} // namespace tt
