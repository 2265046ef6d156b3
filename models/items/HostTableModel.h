#pragma once

#include "store/CaseStore.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>

#include <vector>

namespace tt {

// Hosts of a case with their event counts, time span and addresses (each binding with its
// interval and evidence in the tooltip). Filled from a snapshot
// loaded off the UI thread.
class HostTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Fqdn, Events, First, Last, Addresses, ColumnCount };
    enum Role { HostIdRole = Qt::UserRole + 1, SortRole };

    explicit HostTableModel(QObject *parent = nullptr);
    void setHosts(std::vector<store::CaseStore::HostSummary> hosts);
    // Annotated hosts (by host name -> badge colour): a swatch before the name.
    void setAnnotationColors(const QHash<QString, QColor> &colors);
    int64_t hostId(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // The Addresses cell (a conflict is flagged) and its tooltip: every binding with its
    // interval, rule, evidence and source. Plain text.
    static QString addressesText(const store::CaseStore::HostSummary &h);
    static QString bindingsText(const store::CaseStore::HostSummary &h);

private:
    std::vector<store::CaseStore::HostSummary> m_hosts;
    QHash<QString, QColor> m_annotationColors;
};

} // namespace tt
