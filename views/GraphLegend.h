#pragma once

// The key to the transfer graph's encodings: method colours (MethodPalette), line style and
// width, the count and hop labels, the S / X / DC badges, node styles and annotation badges.
// One list of entries, painted by the same code that draws the graph items, so the overlay on
// the view and every exported picture show the same legend; the DOT export gets the entries
// as a legend cluster.

#include "query/GraphQuery.h"

#include <QColor>
#include <QSizeF>
#include <QString>
#include <QVector>

class QPainter;

namespace tt {

struct GraphLegendEntry {
    enum class Swatch {
        Line,
        DashedLine,
        WideLine,
        Count,
        Hop,
        Badge,
        Node,
        FanNode,
        IpNode,
        UnknownNode,
        FirstSource,
        Annotation
    };
    Swatch swatch = Swatch::Line;
    QColor color; // Line: the method colour
    QString symbol; // Badge: "S" / "X" / "DC"; Count / Hop: the sample text
    QString text;
};

// The entries for a graph: its methods (all of them when it has none), then every encoding.
QVector<GraphLegendEntry> graphLegendEntries(const GraphData &data);

QSizeF graphLegendSize(const QVector<GraphLegendEntry> &entries);
// Paints the legend (a titled box) with its top-left corner at `topLeft`.
void paintGraphLegend(QPainter *p, QPointF topLeft, const QVector<GraphLegendEntry> &entries);

} // namespace tt
