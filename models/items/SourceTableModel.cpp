#include "items/SourceTableModel.h"

#include "items/TimeFormat.h"

#include <QLocale>

namespace tt {

SourceTableModel::SourceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SourceTableModel::setSources(std::vector<store::CaseStore::SourceSummary> sources)
{
    beginResetModel();
    m_sources = std::move(sources);
    endResetModel();
}

int SourceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_sources.size());
}

int SourceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SourceTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_sources.size()))
        return {};
    const auto &s = m_sources[static_cast<size_t>(index.row())];
    if (role == Qt::TextAlignmentRole
        && (index.column() == Stored || index.column() == Rejected || index.column() == Warnings))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QLocale loc;
    switch (index.column()) {
    case Path:
        return QString::fromStdString(s.path);
    case Format:
        return QString::fromStdString(s.format);
    case Stored:
        return loc.toString(static_cast<qlonglong>(s.stored));
    case Rejected:
        return loc.toString(static_cast<qlonglong>(s.rejected));
    case Warnings:
        return loc.toString(static_cast<qlonglong>(s.warnings));
    case First:
        return formatTime(s.firstTs);
    case Last:
        return formatTime(s.lastTs);
    case Sha256:
        return QString::fromStdString(s.sha256);
    default:
        return {};
    }
}

QVariant SourceTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Path:
        return tr("Source");
    case Format:
        return tr("Format");
    case Stored:
        return tr("Stored");
    case Rejected:
        return tr("Rejected");
    case Warnings:
        return tr("Warnings");
    case First:
        return tr("First (%1)").arg(displayTimeZoneName());
    case Last:
        return tr("Last (%1)").arg(displayTimeZoneName());
    case Sha256:
        return tr("SHA-256");
    default:
        return {};
    }
}

} // namespace tt
