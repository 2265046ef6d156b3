#pragma once

#include "SupersededQueries.h"
#include "workbench/Selection.h"

#include <QVector>
#include <QWidget>

#include <cstdint>
#include <utility>

class QLabel;
class QMenu;
class QModelIndex;
class QTreeView;

namespace tt {

class AncestryTreeModel;
class AnnotationController;
class FilterHistory;
struct ProcessChain;
struct TransferSides;

// The process ancestry dock: for the selected transfer (or the first transfer of an edge) two
// roots, "pushed by" and "executed by"; for a selected process or event its chain from the root.
// Children load when a node is expanded. Queries run in a worker with a connection of its own;
// results carry a generation and stale ones are dropped. Context menu pivots go through the
// FilterHistory and the Selection handed in by app/.
class ProcessAncestryPanel : public QWidget {
    Q_OBJECT
public:
    ProcessAncestryPanel(FilterHistory *filters, Selection *selection, QWidget *parent = nullptr);
    ~ProcessAncestryPanel() override;

    void setCase(const QString &path);
    AncestryTreeModel *model() const { return m_model; }
    QTreeView *treeView() const { return m_view; }
    QString statusText() const;

    // The context menu of a row (nullptr on group rows); the caller owns it. Public so that
    // tests trigger the very actions the analyst sees.
    QMenu *contextMenuFor(const QModelIndex &index, QWidget *parent);
    // Annotate / Bookmark / Tags for the process and its account in the context menu.
    void setAnnotations(AnnotationController *annotations);
    void pivotOnParentImage(const QModelIndex &index);
    void pivotOnAccount(const QModelIndex &index);
    void showProcessEvents(const QModelIndex &index);

signals:
    void updated(); // a query result (chain or children) was applied

private:
    void onSelection(const SelectedEntities &s);
    void reload();
    void queueChildren(quint64 nodeKey, qint64 processId);
    void fetchQueuedChildren();
    void expandChain();
    void setStatus(const QString &text);

    FilterHistory *m_filters;
    Selection *m_selection;
    QString m_path;
    uint64_t m_generation = 0;
    SupersededQueries m_queries; // the running list / choices query, cancelled by the next
    QLabel *m_status;
    QTreeView *m_view;
    AncestryTreeModel *m_model;
    QVector<std::pair<quint64, qint64>> m_childQueue;
    bool m_childFetchScheduled = false;
    AnnotationController *m_annotations = nullptr;
};

} // namespace tt
