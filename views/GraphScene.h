#pragma once

// Building the transfer-graph scene, shared by the workbench view and the offscreen exporter
// (so an export draws exactly what the workbench shows: the same items, the same paint code).

#include "LayoutTypes.h"
#include "query/GraphQuery.h"

#include <QHash>
#include <QPointF>
#include <QSet>
#include <QSizeF>
#include <QString>

class QGraphicsScene;

namespace tt {

class HostNodeItem;
class TransferEdgeItem;

struct GraphSceneResult {
    GraphData data;
    graph::LayoutResult layout;
    QString error;
};

// Node size from the label length, so Graphviz never needs the (attacker-controlled) text.
QSizeF graphNodeSize(const GraphHost &h);

// Query and layout (worker thread): hosts and edges under `filter`, hidden hosts left out,
// pinned hosts at their positions.
GraphSceneResult computeGraphScene(sql::Db &db, const FilterState &filter, const QSet<qint64> &hidden = {},
                                   const QHash<qint64, QPointF> &pins = {});

// Adds the items for a computed graph to `scene` (UI thread); fills the id -> item maps.
void populateGraphScene(QGraphicsScene *scene, const GraphData &data, const graph::LayoutResult &layout,
                        QHash<qint64, HostNodeItem *> &nodes, QHash<qint64, TransferEdgeItem *> &edges);

} // namespace tt
