#pragma once

#include "store/CaseStore.h"

#include <QAbstractTableModel>

#include <vector>

namespace tt {

// Imported source files with their provenance counts.
class SourceTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Path, Format, Stored, Rejected, Warnings, First, Last, Sha256, ColumnCount };
    explicit SourceTableModel(QObject *parent = nullptr);
    void setSources(std::vector<store::CaseStore::SourceSummary> sources);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    std::vector<store::CaseStore::SourceSummary> m_sources;
};

} // namespace tt
