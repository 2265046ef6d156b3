#pragma once

// Building the transfer-graph scene, shared by the workbench view and the offscreen exporter
// (so an export draws exactly what the workbench shows: the same items, the same paint code).

#include "LayoutTypes.h"
#include "query/GraphAggregation.h"
#include "query/GraphQuery.h"

#include <QColor>
#include <QHash>
#include <QPointF>
#include <QSet>
#include <QSizeF>
#include <QString>

#include <functional>
#include <optional>

class QGraphicsScene;

namespace tt {
namespace store {
class CaseStore;
}

class HostNodeItem;
class TransferEdgeItem;

struct GraphSceneResult {
    GraphData data;
    std::vector<GraphHost> ungroupedHosts; // every host in view before grouping (Find Host in a group)
    graph::LayoutResult layout;
    QString error;
};

// Node size from the label length, so Graphviz never needs the (attacker-controlled) text.
QSizeF graphNodeSize(const GraphHost &h);

// Query and layout (worker thread): hosts and edges under `filter`, hidden hosts left out,
// pinned hosts at their positions (by id: this session's drags; by name: positions kept in the case),
// hosts grouped (aggregateGraph, `named`: the analyst's groups) unless their group is in `expanded`,
// deployment pushes folded into fans unless `foldFans` is false.
GraphSceneResult computeGraphScene(store::CaseStore &cs, const FilterState &filter, const QSet<qint64> &hidden = {},
    const QHash<qint64, QPointF> &pins = {}, const QHash<QString, QPointF> &namePins = {},
    HostGrouping grouping = HostGrouping::None, const QSet<QString> &expanded = {}, const NamedHostGroups &named = {},
    bool foldFans = true);

// Adds the items for a computed graph to `scene` (UI thread); fills the id -> item maps. Every
// group node and the kFarLabelHosts busiest hosts get a far label (GraphItems.h).
inline constexpr size_t kFarLabelHosts = 15;
void populateGraphScene(QGraphicsScene *scene, const GraphData &data, const graph::LayoutResult &layout,
    QHash<qint64, HostNodeItem *> &nodes, QHash<qint64, TransferEdgeItem *> &edges);

// An annotation badge as the graph draws it.
struct GraphBadge {
    QColor color;
    bool bookmarked = false;
    QString summary;
};
// kind is "host" (key = host name) or "transfer" (key = transfers.key).
using GraphBadgeLookup = std::function<std::optional<GraphBadge>(const char *kind, const QString &key)>;
// Puts the analyst's annotation badges on the items (a node per host; an edge when any of its
// transfers is annotated): the workbench and the exports call the same function.
void applyGraphBadges(const QHash<qint64, HostNodeItem *> &nodes, const QHash<qint64, TransferEdgeItem *> &edges,
    const GraphBadgeLookup &lookup);

} // namespace tt
