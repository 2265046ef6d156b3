#pragma once

#include "query/AncestryQuery.h"

#include <QAbstractTableModel>

#include <vector>

namespace tt {

// All fields of one event as name / value rows for the details pane. Values are the raw log
// text, shown as plain text (attacker-controlled: never rich text).
class EventDetailsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Value, ColumnCount };

    explicit EventDetailsModel(QObject *parent = nullptr);
    void setFields(std::vector<EventField> fields);
    void clear() { setFields({}); }
    // The value of the first field with that name; empty when absent.
    QString value(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    std::vector<EventField> m_fields;
};

} // namespace tt
