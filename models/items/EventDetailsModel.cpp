#include "items/EventDetailsModel.h"

namespace tt {

EventDetailsModel::EventDetailsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EventDetailsModel::setFields(std::vector<EventField> fields)
{
    beginResetModel();
    m_fields = std::move(fields);
    endResetModel();
}

QString EventDetailsModel::value(const QString &name) const
{
    for (const EventField &f : m_fields)
        if (f.name == name)
            return f.value;
    return {};
}

int EventDetailsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_fields.size());
}

int EventDetailsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventDetailsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_fields.size()))
        return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    const EventField &f = m_fields[static_cast<size_t>(index.row())];
    return index.column() == Name ? f.name : f.value;
}

QVariant EventDetailsModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Name ? tr("Field") : section == Value ? tr("Value") : QVariant();
}

} // namespace tt
