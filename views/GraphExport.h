#pragma once

// Snapshots of what the workbench shows: the transfer graph (PNG / SVG / PDF from the very
// scene items the view paints, DOT through the cgraph API) and the timeline (PNG / SVG from the
// widget's own paint code), with a plain-text caption. Works on the live views (GUI) and on
// offscreen ones built from a case and a filter without a window (CLI).

#include "DotWriter.h"
#include "query/GraphAggregation.h"
#include "query/GraphQuery.h"

#include <QByteArray>
#include <QHash>
#include <QRectF>
#include <QString>

#include <functional>
#include <memory>

class QGraphicsScene;
class QPainter;
class QWidget;

namespace tt {

class FilterHistory;
class HostNodeItem;
class Selection;
class TimelineView;
class TransferEdgeItem;

enum class ExportFormat { Unknown, Png, Svg, Pdf, Dot, Csv, Json, Html };
// By file suffix (case-insensitive).
ExportFormat exportFormatFor(const QString &path);

struct SnapshotOptions {
    double scale = 1; // PNG pixels per scene unit (--dpi D means D / 96)
    QString caption; // plain text under the picture (elided); empty: no caption band
};

inline constexpr double kCaptionBand = 40; // scene units below the picture
// Size of a snapshot of `source` in scene units (before the PNG scale).
QSizeF snapshotSize(const QSizeF &source, bool withCaption);

// Draws `size` scene units with `paint` (given a painter and the picture area) plus the caption
// band, to a PNG, SVG or PDF file. False with *error on failure.
using PaintFn = std::function<void(QPainter *p, const QRectF &target)>;
bool writePicture(const PaintFn &paint, const QSizeF &size, const QString &path, ExportFormat format,
    const SnapshotOptions &options, QString *error);
QByteArray pictureSvg(const PaintFn &paint, const QSizeF &size, const SnapshotOptions &options);

// The items of one transfer graph (a live view's or an offscreen one's).
struct GraphSceneRef {
    QGraphicsScene *scene = nullptr;
    const GraphData *data = nullptr;
    std::function<HostNodeItem *(qint64)> node;
    std::function<TransferEdgeItem *(qint64)> edge;
};
// The whole graph's extent with a margin (scene coordinates).
QRectF wholeGraphRect(QGraphicsScene *scene);
// A picture of the graph: `source` of the scene with the legend to its right (every graph
// picture and the report use it). `size` is in scene units.
inline constexpr double kLegendMargin = 12;
struct GraphPicture {
    PaintFn paint;
    QSizeF size;
};
GraphPicture graphPicture(const GraphSceneRef &g, const QRectF &source);
// DOT of the hosts whose items meet `source` and the edges between them, with positions,
// colours, badges and highlight state as drawn, labels "×N" (transfers; the hop depth is the
// tt_hop attribute and the tooltip), and the legend as a "cluster_legend" subgraph.
exporting::DotGraph graphDot(const GraphSceneRef &g, const QRectF &source, const QString &caption);
// PNG / SVG / PDF / DOT by the suffix of `path`.
bool exportGraph(
    const GraphSceneRef &g, const QRectF &source, const QString &path, const SnapshotOptions &options, QString *error);
QByteArray graphSvg(const GraphSceneRef &g, const QRectF &source, const SnapshotOptions &options);

// A transfer graph built from a case and a filter without a window (same query, layout and
// items as TransferGraphView).
class OffscreenGraph {
public:
    OffscreenGraph();
    ~OffscreenGraph();
    // `grouping`: as the workbench groups hosts (query/GraphAggregation.h), with the case's named
    // groups; None (the default) draws every host.
    // `foldFans`: deployment pushes folded into fan nodes as the workbench draws them (the default).
    bool load(const QString &casePath, const FilterState &filter, QString *error,
        HostGrouping grouping = HostGrouping::None, bool foldFans = true);
    GraphSceneRef ref() const;
    QGraphicsScene *scene() const { return m_scene.get(); }
    const GraphData &data() const { return m_data; }

private:
    std::unique_ptr<QGraphicsScene> m_scene;
    GraphData m_data;
    QHash<qint64, HostNodeItem *> m_nodes;
    QHash<qint64, TransferEdgeItem *> m_edges;
};

// The report (ExportFormat::Html: one self-contained file with the graph as inline SVG;
// ExportFormat::Pdf: the same content printed through QTextDocument, graph as a picture).
namespace exporting {
struct ReportData;
}
bool writeReportFile(const exporting::ReportData &data, const GraphSceneRef &g, const QRectF &source,
    const QString &path, ExportFormat format, QString *error);

// The timeline widget as it paints itself (no child buttons), PNG or SVG.
bool exportTimeline(QWidget *timeline, const QString &path, const SnapshotOptions &options, QString *error);

// A timeline widget over a case and a filter, not shown on screen, loaded and laid out.
class OffscreenTimeline {
public:
    OffscreenTimeline();
    ~OffscreenTimeline();
    bool load(const QString &casePath, const FilterState &filter, QSize size, QString *error, int timeoutMs = 120000);
    TimelineView *view() const { return m_view.get(); }

private:
    std::unique_ptr<FilterHistory> m_filter;
    std::unique_ptr<Selection> m_selection;
    std::unique_ptr<TimelineView> m_view;
};

} // namespace tt
