#include "items/HostTableModel.h"

#include "items/TimeFormat.h"

#include <QLocale>
#include <QStringList>

namespace tt {

HostTableModel::HostTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void HostTableModel::setHosts(std::vector<store::CaseStore::HostSummary> hosts)
{
    beginResetModel();
    m_hosts = std::move(hosts);
    endResetModel();
}

int64_t HostTableModel::hostId(int row) const
{
    return row >= 0 && row < static_cast<int>(m_hosts.size()) ? m_hosts[static_cast<size_t>(row)].id : 0;
}

int HostTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_hosts.size());
}

int HostTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void HostTableModel::setAnnotationColors(const QHash<QString, QColor> &colors)
{
    if (colors == m_annotationColors)
        return;
    m_annotationColors = colors;
    if (!m_hosts.empty())
        emit dataChanged(index(0, Name), index(static_cast<int>(m_hosts.size()) - 1, Name), {Qt::DecorationRole});
}

QVariant HostTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_hosts.size()))
        return {};
    const auto &h = m_hosts[static_cast<size_t>(index.row())];
    if (role == HostIdRole)
        return QVariant::fromValue<qlonglong>(h.id);
    if (role == Qt::DecorationRole && index.column() == Name) {
        const auto it = m_annotationColors.constFind(QString::fromStdString(h.name));
        return it == m_annotationColors.cend() ? QVariant() : QVariant(*it);
    }
    if (role == Qt::TextAlignmentRole && index.column() == Events)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
        case Events:
            return QVariant::fromValue<qlonglong>(h.events);
        case First:
            return QVariant::fromValue<qlonglong>(h.firstTs);
        case Last:
            return QVariant::fromValue<qlonglong>(h.lastTs);
        default:
            break;
        }
    }
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    // Plain strings only: log content is never interpreted as rich text by item views.
    switch (index.column()) {
    case Name:
        return QString::fromStdString(h.name);
    case Fqdn:
        return QString::fromStdString(h.fqdn);
    case Events:
        return role == Qt::DisplayRole ? QLocale().toString(static_cast<qlonglong>(h.events)) : QVariant();
    case First:
        return formatTime(h.firstTs);
    case Last:
        return formatTime(h.lastTs);
    case Addresses:
        return role == Qt::ToolTipRole ? bindingsText(h) : addressesText(h);
    default:
        return {};
    }
}

QString HostTableModel::addressesText(const store::CaseStore::HostSummary &h)
{
    QString out = QString::fromStdString(h.addresses);
    for (const auto &b : h.bindings)
        if (!b.conflictsWith.empty())
            return out + tr(" (conflict)");
    return out;
}

QString HostTableModel::bindingsText(const store::CaseStore::HostSummary &h)
{
    QStringList lines;
    for (const auto &b : h.bindings) {
        QString line = tr("%1  %2 .. %3  by %4 (%5 records, first event %6, %7)")
                           .arg(QString::fromStdString(b.address), formatTime(b.firstTs), formatTime(b.lastTs),
                               QString::fromStdString(b.how))
                           .arg(b.count)
                           .arg(b.evidenceEvent)
                           .arg(QString::fromStdString(b.source));
        if (!b.conflictsWith.empty())
            line += tr("  CONFLICT: also held by %1").arg(QString::fromStdString(b.conflictsWith));
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant HostTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Host");
    case Fqdn:
        return tr("FQDN");
    case Events:
        return tr("Events");
    case First:
        return tr("First (%1)").arg(displayTimeZoneName());
    case Last:
        return tr("Last (%1)").arg(displayTimeZoneName());
    case Addresses:
        return tr("Addresses");
    default:
        return {};
    }
}

} // namespace tt
