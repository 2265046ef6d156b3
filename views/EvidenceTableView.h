#pragma once

#include "SupersededQueries.h"
#include "query/AncestryQuery.h"
#include "workbench/Selection.h"

#include <QWidget>

#include <cstdint>

class QLabel;
class QMenu;
class QModelIndex;
class QTableView;

namespace tt {

class AnnotationController;
class EvidenceTableModel;
class FilterHistory;

// The events / evidence dock: for an edge or a transfer its evidence, for a host the evidence of
// its transfers in view (under the current filter), for a process its own events. Picking a
// row selects that event everywhere (Selection Kind::Event); that pick leaves this list as is.
// The list comes from a worker; row details are fetched one window at a time as rows show.
class EvidenceTableView : public QWidget {
    Q_OBJECT
public:
    EvidenceTableView(FilterHistory *filters, Selection *selection, QWidget *parent = nullptr);
    ~EvidenceTableView() override;

    void setCase(const QString &path);
    EvidenceTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QString statusText() const;
    // The context menu of a row (pivots on its host, account, images, time); nullptr for none.
    QMenu *contextMenuForRow(int row, QWidget *parent);
    // Annotated events get an icon in the time column and Annotate / Bookmark / Tags in the menu.
    void setAnnotations(AnnotationController *annotations);

signals:
    void updated(); // a list or a window of rows was applied
    void spreadRequested(qint64 transferId); // a transfer row's context menu: Show Tool Spread

private:
    void onSelection(const SelectedEntities &s);
    void onFilterChanged();
    void reload();
    QString emptyReason() const; // why the list is empty, for the status line
    void fetchPage(quint64 modelGeneration, int page, const QVector<qint64> &eventIds);
    void pickRow(const QModelIndex &index);

    FilterHistory *m_filters;
    Selection *m_selection;
    QString m_path;
    EvidenceScope m_scope;
    uint64_t m_generation = 0;
    class IdleWhenHidden *m_idle = nullptr;
    SupersededQueries m_queries; // the running list / choices query, cancelled by the next
    QLabel *m_status;
    QTableView *m_view;
    EvidenceTableModel *m_model;
    AnnotationController *m_annotations = nullptr;
};

} // namespace tt
