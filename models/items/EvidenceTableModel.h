#pragma once

#include "query/AncestryQuery.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>
#include <QSet>
#include <QVector>

#include <vector>

namespace tt {

// Events / evidence rows. The cheap columns (time, role, rule) arrive with the list; the rest
// (host, channel, event id, the one-line summary decoded from the payload) is fetched one
// window of kPageSize rows at a time when a view first asks for it (DB4S-style lazy table):
// data() on a missing window emits pageNeeded once, the owner queries off the UI thread and
// hands the result to setPage(). Each setRows() starts a new generation; older pages are dropped.
class EvidenceTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Host, Channel, EventId, Role, Rule, Summary, ColumnCount };
    enum RoleId { EventRowIdRole = Qt::UserRole + 1, TransferIdRole, HostIdRole, LoadedRole };
    static constexpr int kPageSize = 256;

    explicit EvidenceTableModel(QObject *parent = nullptr);

    void setRows(std::vector<EvidenceKey> rows);
    void clear() { setRows({}); }
    quint64 generation() const { return m_generation; }
    void setPage(quint64 generation, int page, const std::vector<EvidenceDetail> &details);
    // Asks for a window now (the owner prefetches the first one); no-op when loaded / pending.
    void requestPage(int page) const;
    bool isPageLoaded(int page) const { return m_loaded.contains(page); }
    int64_t eventAt(int row) const;
    int64_t transferAt(int row) const;
    int rowOfEvent(int64_t event) const;
    // The row's key, and its details once its page is loaded (nullptr before).
    const EvidenceKey *keyAt(int row) const;
    const EvidenceDetail *detailAt(int row) const;
    // Annotated events (events.id -> badge colour): an icon in the time column.
    void setAnnotationColors(const QHash<qint64, QColor> &colors);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

signals:
    void pageNeeded(quint64 generation, int page, const QVector<qint64> &eventIds);

private:
    struct Row {
        EvidenceKey key;
        EvidenceDetail detail;
    };
    std::vector<Row> m_rows;
    QSet<int> m_loaded;
    mutable QSet<int> m_pending;
    quint64 m_generation = 0;
    QHash<qint64, QColor> m_annotationColors;
};

} // namespace tt
