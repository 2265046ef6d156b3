#pragma once

#include "SupersededQueries.h"
#include "query/GraphAggregation.h"
#include "query/GraphQuery.h"

#include <QGraphicsView>
#include <QHash>
#include <QSet>

#include <memory>

class QAction;
class QToolBar;

namespace tt {

class AnnotationController;
class FilterHistory;
class Selection;
struct SelectedEntities;
struct FilterState;
class HostNodeItem;
class TransferEdgeItem;
struct GraphLayoutResult;

// The transfer graph: hosts as nodes, transfers aggregated per source and destination as
// edges. Query and Graphviz layout run on a worker; results carry a generation number and
// stale ones are dropped. Dragging a node pins it; pins survive re-layouts.
class TransferGraphView : public QGraphicsView {
    Q_OBJECT
public:
    TransferGraphView(FilterHistory *filter, Selection *selection, QWidget *parent = nullptr);
    ~TransferGraphView() override;

    void setCase(const QString &casePath);
    void refresh();

    // Analyst actions (also on the context menu / toolbar).
    void fitAll();
    // Find Host: the node that best matches `text` (hostMatchRank: exact name, FQDN or address
    // before prefixes and substrings), selected and centred; false when none in the graph.
    bool findHost(const QString &text);
    // Hosts inside a collapsed group match too (by their own name, FQDN or address).
    qint64 matchHost(const QString &text, int *rank = nullptr) const; // 0: none
    // Selects and centres its node; false when not in the graph. A host inside a collapsed group:
    // the group is expanded and the host selected once the graph is laid out again; *note says so.
    bool selectHost(qint64 hostId, QString *note = nullptr);
    // The collapsed group node a host is drawn in (0: none).
    qint64 groupNodeOf(qint64 hostId) const { return m_groupNodeOf.value(hostId); }
    void showNeighbourhood(qint64 hostId, int hops); // filter to hosts within `hops`
    void hideHost(qint64 hostId);
    void showAllHosts();
    bool highlightPath(qint64 fromHost, qint64 toHost); // shortest directed path, others dimmed
    void clearHighlight();
    // Pins a node at `at` (scene coordinates) as dropping it there does: kept across re-layouts
    // and filter changes, and in the case when annotations are set.
    void pinNode(qint64 hostId, QPointF at);

    // Host aggregation (query/GraphAggregation.h): Auto groups by /24 above kAutoGroupHosts hosts.
    // A group node expands on a double-click or from its context menu; a host of an expanded group
    // collapses it again from its own. Selecting a group selects every transfer touching it.
    HostGrouping grouping() const { return m_grouping; }
    void setGrouping(HostGrouping by);
    // Deployment pushes folded into fan nodes (GraphAggregation.h; on by default).
    bool foldFans() const { return m_foldFans; }
    void setFoldFans(bool on);
    void expandGroup(const QString &key);
    void collapseGroup(const QString &key);
    QSet<QString> expandedGroups() const { return m_expanded; }
    // The analyst's named groups (AnnotationController::hostGroups; named groups apply in every
    // grouping but None, automatic grouping to the other hosts). "Group as...": the selected
    // host nodes (a group node stands for its members) become the group `name`; false when
    // nothing is selected, no case is writable or the name is refused (failed() says why).
    bool groupSelectedAs(const QString &name);
    QStringList selectedHostNames() const;
    // Host names of every host in view (before grouping), by id.
    QString hostName(qint64 hostId) const { return m_hostNames.value(hostId); }

    const GraphData &graph() const { return m_data; }
    QSet<qint64> hiddenHosts() const { return m_hidden; }
    QHash<qint64, QPointF> pins() const { return m_pins; }
    HostNodeItem *nodeItem(qint64 hostId) const { return m_nodes.value(hostId); }
    TransferEdgeItem *edgeItem(qint64 edgeId) const { return m_edges.value(edgeId); }
    bool busy() const { return m_pending; }
    // Annotation badges on nodes and edges, Annotate / Bookmark / Tags in the context menus,
    // and node positions kept in the case (moves are undoable).
    void setAnnotations(AnnotationController *annotations);

    // The toolbar over the graph (Re-layout, Fit, Unpin all, Legend) and the legend overlay;
    // the legend's visibility is remembered in QSettings (workbench/graphLegend).
    QToolBar *toolBar() const { return m_toolBar; }
    QAction *legendAction() const { return m_legendAction; }
    QWidget *legendOverlay() const { return m_legend; }
    void relayout(); // lays the unpinned nodes out again and fits
    // Level of detail (after every zoom, fit and new graph): below graphFarLabelScale() the far
    // labels of groups and the busiest hosts show, greedily by priority so that none overlaps
    // another on screen; at or above it, none (the nodes draw their own labels).
    void updateLevelOfDetail();
    void unpinAll(); // forgets every pin (undoable in the case) and lays out from scratch

signals:
    void graphShown(int hosts, int edges, qint64 transfersInView, qint64 transfersTotal);
    void failed(const QString &message);
    void spreadRequested(qint64 transferId); // an edge's context menu: Show Tool Spread

protected:
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Result;
    void apply(uint64_t generation, const std::shared_ptr<Result> &result);
    void onSceneSelection();
    void onSelection(const SelectedEntities &s);
    void onNodeMoved(HostNodeItem *node);
    void rerouteEdgesOf(qint64 hostId);

    FilterHistory *m_filter;
    Selection *m_selection;
    QGraphicsScene *m_scene;
    QString m_casePath;
    uint64_t m_generation = 0;
    SupersededQueries m_queries;
    bool m_pending = false;
    bool m_applyingSelection = false;
    bool m_relayoutFit = false; // the next result fits even with pins (Re-layout, Unpin all)
    bool m_userZoomed = false; // until the analyst zooms, the graph keeps fitting the view
    GraphData m_data;
    QHash<qint64, HostNodeItem *> m_nodes;
    AnnotationController *m_annotations = nullptr;
    void applyAnnotationBadges();
    QHash<qint64, TransferEdgeItem *> m_edges;
    QHash<qint64, QPointF> m_pins;
    QSet<qint64> m_hidden;
    HostGrouping m_grouping = HostGrouping::Auto;
    QSet<QString> m_expanded;
    bool m_foldFans = true;
    QHash<qint64, qint64> m_groupNodeOf; // member host id -> its group's node id
    std::vector<GraphHost> m_ungrouped; // every host in view before grouping
    QHash<qint64, QString> m_hostNames; // of m_ungrouped
    qint64 m_selectAfterLayout = 0; // Find Host expanded a group: select this host when shown
    QToolBar *m_toolBar = nullptr;
    QAction *m_unpinAction = nullptr;
    QAction *m_legendAction = nullptr;
    QWidget *m_legend = nullptr;
    void placeOverlays();
    QGraphicsItem *graphItemAt(QPoint pos) const; // a far label stands for its node
};

} // namespace tt
