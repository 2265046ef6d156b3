#include "GraphScene.h"

#include "GraphItems.h"
#include "GraphvizLayout.h"
#include "LayoutCache.h"

#include <QGraphicsScene>
#include <QPainterPath>

#include <algorithm>

namespace tt {

namespace {
QPainterPath pathFromSpline(const std::vector<graph::Point> &pts)
{
    QPainterPath path;
    if (pts.empty())
        return path;
    path.moveTo(pts[0].x, pts[0].y);
    for (size_t i = 1; i + 2 < pts.size(); i += 3)
        path.cubicTo(pts[i].x, pts[i].y, pts[i + 1].x, pts[i + 1].y, pts[i + 2].x, pts[i + 2].y);
    return path;
}
} // namespace

QSizeF graphNodeSize(const GraphHost &h)
{
    const double w = std::clamp(7.5 * static_cast<double>(std::min<qsizetype>(h.name.size(), 40)) + 36.0, 96.0, 330.0);
    return QSizeF(w, 42);
}

GraphSceneResult computeGraphScene(store::CaseStore &cs, const FilterState &filter, const QSet<qint64> &hidden,
    const QHash<qint64, QPointF> &pins, const QHash<QString, QPointF> &namePins, HostGrouping grouping,
    const QSet<QString> &expanded, const NamedHostGroups &named, bool foldFans)
{
    GraphSceneResult r;
    r.data = queryGraph(cs, filter);
    r.error = r.data.error;
    if (!r.error.isEmpty())
        return r;
    // Hidden hosts and their edges are left out of the layout and the drawing.
    if (!hidden.isEmpty()) {
        std::erase_if(r.data.hosts, [&](const GraphHost &h) { return hidden.contains(h.id); });
        std::erase_if(
            r.data.edges, [&](const GraphEdge &e) { return hidden.contains(e.source) || hidden.contains(e.target); });
        std::erase_if(r.data.benignPushes,
            [&](const BenignPush &p) { return hidden.contains(p.source) || hidden.contains(p.target); });
    }
    r.ungroupedHosts = r.data.hosts;
    r.data = aggregateGraph(r.data, grouping, expanded, named, foldFans);
    graph::LayoutInput in;
    for (const GraphHost &h : r.data.hosts) {
        const QSizeF s = graphNodeSize(h);
        graph::LayoutNode n;
        n.id = h.id;
        n.width = s.width();
        n.height = s.height();
        if (auto it = pins.find(h.id); it != pins.end()) {
            n.pinned = true;
            n.x = it->x();
            n.y = it->y();
        } else if (auto nt = namePins.find(h.name); nt != namePins.end() && !h.isGroup()) {
            n.pinned = true;
            n.x = nt->x();
            n.y = nt->y();
        }
        in.nodes.push_back(n);
    }
    for (const GraphEdge &e : r.data.edges)
        in.edges.push_back({e.id, e.source, e.target, static_cast<double>(e.count)});
    // The same hosts, edges and pins as a recent layout (back in the filter history, a pivot that
    // keeps the picture): that layout again, without Graphviz.
    if (auto cached = graph::LayoutCache::shared().find(in)) {
        r.layout = std::move(*cached);
    } else {
        r.layout = graph::GraphvizLayout().layout(in);
        graph::LayoutCache::shared().store(in, r.layout);
    }
    if (!r.layout.error.empty())
        r.error = QString::fromStdString(r.layout.error);
    return r;
}

void populateGraphScene(QGraphicsScene *scene, const GraphData &data, const graph::LayoutResult &layout,
    QHash<qint64, HostNodeItem *> &nodes, QHash<qint64, TransferEdgeItem *> &edges)
{
    QHash<qint64, const graph::NodeGeometry *> geo;
    for (const auto &n : layout.nodes)
        geo.insert(n.id, &n);
    for (const GraphHost &h : data.hosts) {
        auto *item = new HostNodeItem(h, graphNodeSize(h));
        if (const auto *g = geo.value(h.id))
            item->setPos(g->centre.x, g->centre.y);
        scene->addItem(item);
        nodes.insert(h.id, item);
    }
    QHash<qint64, const graph::EdgeGeometry *> egeo;
    for (const auto &e : layout.edges)
        egeo.insert(e.id, &e);
    for (const GraphEdge &e : data.edges) {
        const auto *g = egeo.value(e.id);
        QPainterPath path;
        QPointF tip, from;
        if (g && g->spline.size() >= 4) {
            path = pathFromSpline(g->spline);
            const auto &last = g->spline.back();
            tip = g->hasArrow ? QPointF(g->arrowTip.x, g->arrowTip.y) : QPointF(last.x, last.y);
            from = QPointF(last.x, last.y);
            if (!g->hasArrow)
                from = QPointF(g->spline[g->spline.size() - 2].x, g->spline[g->spline.size() - 2].y);
        }
        auto *item = new TransferEdgeItem(e, path, tip, from);
        scene->addItem(item);
        edges.insert(e.id, item);
    }
    // Level of detail: every group keeps a far label, and so do the busiest hosts (the most
    // transfers sent and received), groups first, bigger ones before smaller.
    std::vector<const GraphHost *> busiest;
    for (const GraphHost &h : data.hosts) {
        if (h.isGroup())
            nodes.value(h.id)->setFarLabel(true, 1e9 + static_cast<double>(h.members.size()));
        else if (!h.unknownSource)
            busiest.push_back(&h);
    }
    std::sort(busiest.begin(), busiest.end(), [](const GraphHost *a, const GraphHost *b) {
        return a->sent + a->received != b->sent + b->received ? a->sent + a->received > b->sent + b->received
                                                              : a->id < b->id;
    });
    for (size_t i = 0; i < std::min(busiest.size(), kFarLabelHosts); ++i)
        nodes.value(busiest[i]->id)->setFarLabel(true, static_cast<double>(busiest[i]->sent + busiest[i]->received));
}

void applyGraphBadges(const QHash<qint64, HostNodeItem *> &nodes, const QHash<qint64, TransferEdgeItem *> &edges,
    const GraphBadgeLookup &lookup)
{
    for (HostNodeItem *n : nodes) {
        const auto b = lookup("host", n->host().name);
        n->setAnnotation(b ? b->color : QColor(), b && b->bookmarked, b ? b->summary : QString());
    }
    for (TransferEdgeItem *e : edges) {
        QColor colour;
        bool bookmarked = false;
        QStringList summaries;
        for (const QString &key : e->edge().transferKeys) {
            const auto b = lookup("transfer", key);
            if (!b)
                continue;
            if (!colour.isValid())
                colour = b->color;
            bookmarked |= b->bookmarked;
            summaries << b->summary;
        }
        e->setAnnotation(colour, bookmarked, summaries.join(QStringLiteral("; ")));
    }
}

} // namespace tt
