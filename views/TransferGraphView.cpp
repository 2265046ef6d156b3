#include "TransferGraphView.h"

#include "AnnotationActions.h"
#include "AppIcons.h"
#include "GraphItems.h"
#include "GraphLegend.h"
#include "GraphScene.h"
#include "GraphvizLayout.h"
#include "PivotActions.h"
#include "SpreadActions.h"
#include "WorkerQuery.h"
#include "query/HostLookup.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QContextMenuEvent>
#include <QGraphicsScene>
#include <QInputDialog>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QQueue>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSettings>
#include <QToolBar>
#include <QWheelEvent>

#include <cmath>
#include <utility>

namespace tt {

struct TransferGraphView::Result : GraphSceneResult { };

namespace {
QSizeF nodeSize(const GraphHost &h)
{
    return graphNodeSize(h);
}

// Where the segment from the centre of `r` towards `towards` leaves the rectangle.
QPointF borderPoint(const QRectF &r, QPointF towards)
{
    const QPointF c = r.center();
    const QPointF d = towards - c;
    if (std::abs(d.x()) < 1e-6 && std::abs(d.y()) < 1e-6)
        return c;
    const double sx = std::abs(d.x()) > 1e-6 ? (r.width() / 2) / std::abs(d.x()) : 1e9;
    const double sy = std::abs(d.y()) > 1e-6 ? (r.height() / 2) / std::abs(d.y()) : 1e9;
    const double s = std::min(sx, sy);
    return c + d * s;
}
// The legend beside the graph (top right); clicks go through to the graph.
class LegendOverlay : public QWidget {
public:
    explicit LegendOverlay(QWidget *parent)
        : QWidget(parent)
    {
        setObjectName(QStringLiteral("graphLegend"));
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setData({});
    }
    void setData(const GraphData &data)
    {
        m_entries = graphLegendEntries(data);
        fitHeight(m_maxHeight);
    }
    // Shrinks (down to 60 %) to stay inside a short viewport.
    void fitHeight(int maxHeight)
    {
        m_maxHeight = maxHeight;
        const QSizeF natural = graphLegendSize(m_entries) + QSizeF(2, 2);
        m_scale = std::clamp(maxHeight / natural.height(), 0.6, 1.0);
        resize((natural * m_scale).toSize() + QSize(1, 1));
        update();
    }
    const QVector<GraphLegendEntry> &entries() const { return m_entries; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.scale(m_scale, m_scale);
        paintGraphLegend(&p, QPointF(0.5, 0.5), m_entries);
    }

private:
    QVector<GraphLegendEntry> m_entries;
    double m_scale = 1;
    int m_maxHeight = 100000;
};
} // namespace

TransferGraphView::TransferGraphView(FilterHistory *filter, Selection *selection, QWidget *parent)
    : QGraphicsView(parent)
    , m_filter(filter)
    , m_selection(selection)
    , m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("transferGraph"));
    setScene(m_scene);
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    setBackgroundBrush(QColor(0xFB, 0xFB, 0xFC));
    connect(m_filter, &FilterHistory::changed, this, [this] { refresh(); });
    connect(m_selection, &Selection::changed, this, &TransferGraphView::onSelection);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &TransferGraphView::onSceneSelection);

    m_toolBar = new QToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("graphToolBar"));
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar
        ->addAction(themedIcon(QStringLiteral("view-refresh")), tr("Re-layout"), this, &TransferGraphView::relayout)
        ->setToolTip(tr("Lay out the unpinned nodes again around the pinned ones, and fit"));
    m_toolBar->addAction(themedIcon(QStringLiteral("zoom-fit-best")), tr("Fit"), this, &TransferGraphView::fitAll)
        ->setToolTip(tr("Fit the whole graph in the view (F)"));
    m_unpinAction = m_toolBar->addAction(tr("Unpin all"), this, &TransferGraphView::unpinAll);
    m_unpinAction->setToolTip(tr("Forget every pinned position and lay the graph out from scratch"));
    m_unpinAction->setEnabled(false);
    m_toolBar->addSeparator();
    m_legendAction = m_toolBar->addAction(tr("Legend"));
    m_legendAction->setObjectName(QStringLiteral("graphLegendAction"));
    m_legendAction->setText(tr("Graph &Legend"));
    m_legendAction->setIconText(tr("Legend"));
    m_legendAction->setCheckable(true);
    m_legend = new LegendOverlay(this);
    const bool shown = QSettings().value(QStringLiteral("workbench/graphLegend"), true).toBool();
    m_legendAction->setChecked(shown);
    m_legend->setVisible(shown);
    connect(m_legendAction, &QAction::toggled, this, [this](bool on) {
        m_legend->setVisible(on);
        QSettings().setValue(QStringLiteral("workbench/graphLegend"), on);
        placeOverlays();
        if (!m_userZoomed)
            fitAll();
    });
    placeOverlays();
}

void TransferGraphView::placeOverlays()
{
    // The legend sits in a right-hand margin of its own, so it never hides a node.
    const int f = frameWidth();
    const int top = m_toolBar->sizeHint().height();
    auto *legend = static_cast<LegendOverlay *>(m_legend);
    legend->fitHeight(height() - top - 2 * f - 12);
    const int right = m_legend->isVisibleTo(this) ? m_legend->width() + 12 : 0;
    if (viewportMargins() != QMargins(0, top, right, 0))
        setViewportMargins(0, top, right, 0);
    m_toolBar->setGeometry(f, f, width() - 2 * f, top);
    m_legend->move(width() - f - right + 6, f + top + 6);
    m_legend->raise();
}

void TransferGraphView::relayout()
{
    m_userZoomed = false;
    m_relayoutFit = true;
    refresh();
}

void TransferGraphView::unpinAll()
{
    m_pins.clear();
    m_userZoomed = false;
    m_relayoutFit = true;
    if (m_annotations && !m_annotations->nodePositions().empty())
        m_annotations->clearNodePositions(); // refreshes through nodePositionsChanged
    else
        refresh();
}

TransferGraphView::~TransferGraphView()
{
    // The scene is a child, deleted by ~QObject after this class is gone: deleting its selected
    // items emits selectionChanged, which must not reach onSceneSelection (UBSan in
    // tst_workbench_graph / tst_annotations_gui: a slot called on a destroyed TransferGraphView).
    m_scene->disconnect(this);
}

void TransferGraphView::setCase(const QString &casePath)
{
    m_casePath = casePath;
    m_pins.clear();
    m_hidden.clear();
    m_expanded.clear();
    refresh();
}

void TransferGraphView::setGrouping(HostGrouping by)
{
    m_grouping = by;
    m_expanded.clear();
    m_relayoutFit = true;
    refresh();
}

void TransferGraphView::setFoldFans(bool on)
{
    if (m_foldFans == on)
        return;
    m_foldFans = on;
    m_relayoutFit = true;
    refresh();
}

void TransferGraphView::expandGroup(const QString &key)
{
    m_expanded.insert(key);
    refresh();
}

void TransferGraphView::collapseGroup(const QString &key)
{
    m_expanded.remove(key);
    refresh();
}

void TransferGraphView::refresh()
{
    if (m_casePath.isEmpty())
        return;
    const uint64_t gen = ++m_generation;
    m_pending = true;
    const QString path = m_casePath;
    const FilterState filter = m_filter->current();
    const QSet<qint64> hidden = m_hidden;
    const QHash<qint64, QPointF> pins = m_pins;
    const HostGrouping grouping = m_grouping;
    const QSet<QString> expanded = m_expanded;
    const bool foldFans = m_foldFans;
    QHash<QString, QPointF> namePins; // positions kept in the case, by host name
    NamedHostGroups named;
    if (m_annotations) {
        for (const auto &[name, xy] : m_annotations->nodePositions())
            namePins.insert(QString::fromStdString(name), QPointF(xy.first, xy.second));
        named = m_annotations->hostGroupOf();
    }
    runCaseQuery<Result>(
        this, path, m_queries.next(),
        [filter, hidden, pins, namePins, grouping, expanded, named, foldFans](store::CaseStore &cs) {
            Result r;
            static_cast<GraphSceneResult &>(r)
                = computeGraphScene(cs, filter, hidden, pins, namePins, grouping, expanded, named, foldFans);
            return r;
        },
        [this, gen](Result &r, const QString &error) {
            if (!error.isEmpty())
                r.error = error;
            apply(gen, std::make_shared<Result>(std::move(r)));
        });
}

void TransferGraphView::apply(uint64_t generation, const std::shared_ptr<Result> &r)
{
    if (generation != m_generation)
        return; // a newer query is under way
    m_pending = false;
    if (!r->error.isEmpty()) {
        emit failed(r->error);
        return;
    }
    m_applyingSelection = true;
    m_scene->clear();
    m_nodes.clear();
    m_edges.clear();
    m_data = std::move(r->data);
    m_ungrouped = std::move(r->ungroupedHosts);
    m_hostNames.clear();
    for (const GraphHost &h : m_ungrouped)
        m_hostNames.insert(h.id, h.name);
    m_groupNodeOf.clear();
    for (const GraphHost &h : m_data.hosts)
        for (qint64 member : h.members)
            m_groupNodeOf.insert(member, h.id);
    populateGraphScene(m_scene, m_data, r->layout, m_nodes, m_edges);
    for (HostNodeItem *item : std::as_const(m_nodes))
        item->onMoved = [this](HostNodeItem *n) { onNodeMoved(n); };
    // Positions kept in the case pin their nodes like a drag in this session does.
    if (m_annotations)
        for (const GraphHost &h : m_data.hosts)
            if (m_annotations->nodePositions().count(h.name.toStdString()) && !m_pins.contains(h.id))
                if (HostNodeItem *n = m_nodes.value(h.id))
                    m_pins.insert(h.id, n->pos());
    // Edges of pinned nodes follow them (Graphviz's spline may not, when shifted).
    for (auto it = m_pins.cbegin(); it != m_pins.cend(); ++it)
        rerouteEdgesOf(it.key());
    applyAnnotationBadges();
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-60, -60, 60, 60));
    m_applyingSelection = false;
    onSelection(m_selection->current());
    if (m_pins.isEmpty() || m_relayoutFit) {
        m_userZoomed = false;
        fitAll();
    }
    m_relayoutFit = false;
    updateLevelOfDetail();
    static_cast<LegendOverlay *>(m_legend)->setData(m_data);
    placeOverlays();
    m_unpinAction->setEnabled(!m_pins.isEmpty());
    if (const qint64 pending = std::exchange(m_selectAfterLayout, 0); pending && m_nodes.contains(pending))
        selectHost(pending);
    emit graphShown(static_cast<int>(m_data.hosts.size()), static_cast<int>(m_data.edges.size()),
        m_data.transfersInView, m_data.transfersTotal);
}

void TransferGraphView::rerouteEdgesOf(qint64 hostId)
{
    for (TransferEdgeItem *e : std::as_const(m_edges)) {
        const GraphEdge &ge = e->edge();
        if (ge.source != hostId && ge.target != hostId)
            continue;
        HostNodeItem *s = m_nodes.value(ge.source);
        HostNodeItem *t = m_nodes.value(ge.target);
        if (!s || !t)
            continue;
        const QRectF sr
            = s->mapRectToScene(QRectF(QPointF(-nodeSize(s->host()).width() / 2, -21), nodeSize(s->host())));
        const QRectF tr
            = t->mapRectToScene(QRectF(QPointF(-nodeSize(t->host()).width() / 2, -21), nodeSize(t->host())));
        const QPointF a = borderPoint(sr, tr.center());
        const QPointF b = borderPoint(tr, sr.center());
        QPainterPath p(a);
        p.lineTo(b);
        auto *replacement = new TransferEdgeItem(ge, p, b, a);
        replacement->setSelected(e->isSelected());
        m_edges.insert(ge.id, replacement); // before delete e: ge is e's edge (ASan: use after free)
        m_scene->removeItem(e);
        delete e;
        m_scene->addItem(replacement);
    }
}

void TransferGraphView::onNodeMoved(HostNodeItem *node)
{
    const std::optional<QPointF> before
        = m_pins.contains(node->host().id) ? std::optional<QPointF>(m_pins.value(node->host().id)) : std::nullopt;
    m_pins.insert(node->host().id, node->pos());
    rerouteEdgesOf(node->host().id);
    applyAnnotationBadges(); // rerouted edges are new items
    m_unpinAction->setEnabled(true);
    if (m_annotations && !node->host().isGroup()) // a group's place lasts for the session
        m_annotations->moveNode(node->host().name, before, node->pos());
}

void TransferGraphView::pinNode(qint64 hostId, QPointF at)
{
    if (HostNodeItem *n = m_nodes.value(hostId)) {
        n->setPos(at);
        onNodeMoved(n);
    }
}

void TransferGraphView::setAnnotations(AnnotationController *annotations)
{
    m_annotations = annotations;
    if (!annotations)
        return;
    connect(annotations, &AnnotationController::changed, this, &TransferGraphView::applyAnnotationBadges);
    // Undo / redo of a move, or "unpin all": the case's positions are the truth again.
    connect(annotations, &AnnotationController::nodePositionsChanged, this, [this] {
        m_pins.clear();
        refresh();
    });
    connect(annotations, &AnnotationController::hostGroupsChanged, this, [this] { refresh(); });
    applyAnnotationBadges();
}

void TransferGraphView::applyAnnotationBadges()
{
    if (!m_annotations)
        return;
    applyGraphBadges(m_nodes, m_edges, [this](const char *kind, const QString &key) -> std::optional<GraphBadge> {
        const store::TargetKind k = *store::targetKindFromName(kind);
        const auto a = m_annotations->find(k, key);
        if (!a)
            return std::nullopt;
        return GraphBadge {m_annotations->badgeColor(k, key), a->bookmarked, m_annotations->summary(k, key)};
    });
}

void TransferGraphView::fitAll()
{
    if (m_scene->items().isEmpty())
        return;
    QRectF nodes;
    QSizeF label; // the widest far label (screen pixels)
    for (HostNodeItem *n : std::as_const(m_nodes)) {
        nodes |= n->sceneBoundingRect();
        if (n->farLabel())
            label = label.expandedTo(n->farLabel()->boundingRect().size());
    }
    if (nodes.isNull())
        nodes = m_scene->itemsBoundingRect();
    fitInView(nodes.adjusted(-30, -30, 30, 30), Qt::KeepAspectRatio);
    // Far labels keep their screen size: leave room for half of one at each side.
    if (const double s = transform().m11(); s > 0 && s < graphFarLabelScale() && !label.isEmpty())
        fitInView(nodes.adjusted(-30 - label.width() / 2 / s, -30 - label.height() / s, 30 + label.width() / 2 / s,
                      30 + label.height() / s),
            Qt::KeepAspectRatio);
    // Never blow a tiny graph up beyond 1:1.
    if (transform().m11() > 1.0)
        setTransform(QTransform());
    updateLevelOfDetail();
}

QGraphicsItem *TransferGraphView::graphItemAt(QPoint pos) const
{
    QGraphicsItem *item = itemAt(pos);
    if (dynamic_cast<FarLabelItem *>(item)) // a far label stands for its node
        return item->parentItem();
    return item;
}

void TransferGraphView::updateLevelOfDetail()
{
    const bool far = transform().m11() < graphFarLabelScale();
    std::vector<HostNodeItem *> labelled;
    for (HostNodeItem *n : std::as_const(m_nodes))
        if (n->farLabel())
            labelled.push_back(n);
    std::sort(labelled.begin(), labelled.end(), [](const HostNodeItem *a, const HostNodeItem *b) {
        return a->farLabelPriority() != b->farLabelPriority() ? a->farLabelPriority() > b->farLabelPriority()
                                                              : a->host().id < b->host().id;
    });
    std::vector<QRectF> shown;
    for (HostNodeItem *n : labelled) {
        bool show = far;
        if (show) {
            const QRectF r = n->farLabel()->boundingRect().translated(mapFromScene(n->scenePos()));
            show = std::none_of(shown.begin(), shown.end(), [&r](const QRectF &o) { return o.intersects(r); });
            if (show)
                shown.push_back(r);
        }
        if (n->farLabel()->isVisible() != show) {
            n->farLabel()->setVisible(show);
            n->update(); // draws its own label again, or leaves it to the far label
        }
    }
}

bool TransferGraphView::findHost(const QString &text)
{
    return selectHost(matchHost(text));
}

qint64 TransferGraphView::matchHost(const QString &text, int *rank) const
{
    qint64 best = 0;
    int bestRank = 0;
    // Hosts before grouping: one inside a collapsed group is found by its own name.
    for (const GraphHost &h : m_ungrouped) {
        const int r = hostMatchRank(text, h.name, h.fqdn, h.addresses);
        if (r > bestRank && (m_nodes.contains(h.id) || m_groupNodeOf.contains(h.id))) {
            best = h.id;
            bestRank = r;
        }
    }
    if (rank)
        *rank = bestRank;
    return best;
}

bool TransferGraphView::selectHost(qint64 hostId, QString *note)
{
    HostNodeItem *n = m_nodes.value(hostId);
    if (!n) {
        HostNodeItem *group = m_nodes.value(m_groupNodeOf.value(hostId));
        if (!group)
            return false;
        // Inside a collapsed group: the group is selected and centred now, expanded, and the host
        // selected once the graph is laid out again.
        m_scene->clearSelection();
        group->setSelected(true);
        centerOn(group);
        if (note)
            *note = tr("%1 is in the collapsed group %2: expanded it")
                        .arg(m_hostNames.value(hostId), group->host().groupName);
        m_selectAfterLayout = hostId;
        expandGroup(group->host().groupKey);
        return true;
    }
    m_scene->clearSelection();
    n->setSelected(true);
    centerOn(n);
    return true;
}

QStringList TransferGraphView::selectedHostNames() const
{
    QStringList out;
    for (QGraphicsItem *it : m_scene->selectedItems()) {
        const auto *n = dynamic_cast<HostNodeItem *>(it);
        if (!n || n->host().unknownSource)
            continue;
        if (n->host().isGroup())
            for (qint64 m : n->host().members)
                out << m_hostNames.value(m);
        else
            out << n->host().name;
    }
    out.removeAll(QString());
    out.removeDuplicates();
    return out;
}

bool TransferGraphView::groupSelectedAs(const QString &name)
{
    const QStringList hosts = selectedHostNames();
    if (hosts.isEmpty() || !m_annotations)
        return false;
    return m_annotations->groupHosts(name, hosts); // refreshes through hostGroupsChanged
}

void TransferGraphView::showNeighbourhood(qint64 hostId, int hops)
{
    QSet<qint64> reached {hostId};
    QSet<qint64> frontier {hostId};
    for (int i = 0; i < hops; ++i) {
        QSet<qint64> next;
        for (const GraphEdge &e : m_data.edges) {
            if (frontier.contains(e.source) && !reached.contains(e.target))
                next.insert(e.target);
            if (frontier.contains(e.target) && !reached.contains(e.source))
                next.insert(e.source);
        }
        reached.unite(next);
        frontier = next;
    }
    FilterState f = m_filter->current();
    f.hosts.clear();
    for (qint64 h : std::as_const(reached)) { // a group stands for its members
        const auto it = std::find_if(
            m_data.hosts.begin(), m_data.hosts.end(), [h](const GraphHost &g) { return g.id == h && g.isGroup(); });
        if (it == m_data.hosts.end())
            f.hosts.insert(h);
        else
            for (qint64 m : it->members)
                f.hosts.insert(m);
    }
    m_filter->apply(f);
}

void TransferGraphView::hideHost(qint64 hostId)
{
    m_hidden.insert(hostId);
    refresh();
}

void TransferGraphView::showAllHosts()
{
    m_hidden.clear();
    refresh();
}

bool TransferGraphView::highlightPath(qint64 fromHost, qint64 toHost)
{
    // Breadth-first over directed edges: the fewest hops that carried files from one to the other.
    QHash<qint64, const GraphEdge *> via;
    QQueue<qint64> queue;
    queue.enqueue(fromHost);
    QSet<qint64> seen {fromHost};
    while (!queue.isEmpty() && !seen.contains(toHost)) {
        const qint64 h = queue.dequeue();
        for (const GraphEdge &e : m_data.edges) {
            if (e.source == h && !seen.contains(e.target)) {
                seen.insert(e.target);
                via.insert(e.target, &e);
                queue.enqueue(e.target);
            }
        }
    }
    if (!seen.contains(toHost) || fromHost == toHost)
        return false;
    QSet<qint64> pathHosts {toHost};
    QSet<qint64> pathEdges;
    for (qint64 h = toHost; h != fromHost;) {
        const GraphEdge *e = via.value(h);
        pathEdges.insert(e->id);
        h = e->source;
        pathHosts.insert(h);
    }
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        it.value()->setHighlighted(pathHosts.contains(it.key()));
        it.value()->setDimmed(!pathHosts.contains(it.key()));
    }
    for (auto it = m_edges.cbegin(); it != m_edges.cend(); ++it) {
        it.value()->setHighlighted(pathEdges.contains(it.key()));
        it.value()->setDimmed(!pathEdges.contains(it.key()));
    }
    return true;
}

void TransferGraphView::clearHighlight()
{
    for (HostNodeItem *n : std::as_const(m_nodes)) {
        n->setHighlighted(false);
        n->setDimmed(false);
    }
    for (TransferEdgeItem *e : std::as_const(m_edges)) {
        e->setHighlighted(false);
        e->setDimmed(false);
    }
}

void TransferGraphView::onSceneSelection()
{
    if (m_applyingSelection)
        return;
    const QList<QGraphicsItem *> items = m_scene->selectedItems();
    SelectedEntities s;
    if (items.size() == 1) {
        if (auto *n = dynamic_cast<HostNodeItem *>(items.first()); n && n->host().isGroup()) {
            s.kind = SelectedEntities::Kind::Edge; // a group: every transfer touching its hosts
            s.hosts = n->host().members;
            s.transfers = n->host().groupTransfers;
        } else if (n) {
            s.kind = SelectedEntities::Kind::Host;
            s.hosts = {n->host().id};
        } else if (auto *e = dynamic_cast<TransferEdgeItem *>(items.first())) {
            s.kind = SelectedEntities::Kind::Edge;
            s.hosts = {e->edge().source, e->edge().target};
            s.transfers = e->edge().transferIds;
        }
    } else if (items.size() > 1) {
        // Several nodes (Ctrl+click): every host they stand for, so that "Group As..." and the
        // other views see them all; edges in a mixed pick are left out.
        s.kind = SelectedEntities::Kind::Host;
        for (QGraphicsItem *it : items)
            if (auto *n = dynamic_cast<HostNodeItem *>(it)) {
                if (n->host().isGroup())
                    s.hosts += n->host().members;
                else
                    s.hosts.append(n->host().id);
            }
        if (s.hosts.isEmpty())
            s.kind = SelectedEntities::Kind::None;
    }
    m_selection->select(s);
}

void TransferGraphView::onSelection(const SelectedEntities &s)
{
    m_applyingSelection = true;
    m_scene->clearSelection();
    if (s.kind == SelectedEntities::Kind::Host && !s.hosts.isEmpty()) {
        for (qint64 h : s.hosts) // a host in a collapsed group selects its group
            if (HostNodeItem *n = m_nodes.value(m_groupNodeOf.value(h, h)))
                n->setSelected(true);
    } else if (s.kind == SelectedEntities::Kind::Edge || s.kind == SelectedEntities::Kind::Transfer) {
        for (TransferEdgeItem *e : std::as_const(m_edges)) {
            for (qint64 t : s.transfers) {
                if (e->edge().transferIds.contains(t)) {
                    e->setSelected(true);
                    break;
                }
            }
        }
    }
    m_applyingSelection = false;
}

void TransferGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    placeOverlays();
    if (!m_userZoomed)
        fitAll();
}

void TransferGraphView::wheelEvent(QWheelEvent *event)
{
    m_userZoomed = true;
    const double factor = std::pow(1.0015, event->angleDelta().y());
    const double scaleNow = transform().m11();
    if ((scaleNow < 0.05 && factor < 1) || (scaleNow > 8 && factor > 1))
        return;
    scale(factor, factor);
    updateLevelOfDetail();
}

void TransferGraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (auto *node = dynamic_cast<HostNodeItem *>(graphItemAt(event->pos())); node && node->host().isGroup()) {
        expandGroup(node->host().groupKey);
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void TransferGraphView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_F && event->modifiers() == Qt::NoModifier) {
        fitAll();
        return;
    }
    if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
        m_userZoomed = true;
        scale(1.2, 1.2);
        updateLevelOfDetail();
        return;
    }
    if (event->key() == Qt::Key_Minus) {
        m_userZoomed = true;
        scale(1 / 1.2, 1 / 1.2);
        updateLevelOfDetail();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        clearHighlight();
        m_selection->clear();
        return;
    }
    QGraphicsView::keyPressEvent(event);
}

void TransferGraphView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    auto *node = dynamic_cast<HostNodeItem *>(graphItemAt(event->pos()));
    const QList<QGraphicsItem *> selected = m_scene->selectedItems();
    auto *edge = node ? nullptr : dynamic_cast<TransferEdgeItem *>(graphItemAt(event->pos()));
    if (edge) {
        const GraphEdge &e = edge->edge();
        PivotTarget t;
        for (int64_t h : {e.source, e.target})
            if (HostNodeItem *n = m_nodes.value(h))
                t.hosts.append({h, n->host().name});
        if (e.methods.size() == 1)
            t.method = e.methods.first();
        t.ts = e.firstTs;
        addPivotActions(&menu, t, m_filter);
        if (m_annotations) {
            const QString src
                = t.hosts.isEmpty() || t.hosts.first().first != e.source ? tr("(unknown)") : t.hosts.first().second;
            const QString dst = t.hosts.isEmpty() ? QString() : t.hosts.last().second;
            QVector<AnnotationRef> refs;
            for (const QString &key : e.transferKeys)
                refs.append({store::TargetKind::Transfer, key,
                    tr("%1 -> %2: %3").arg(src, dst, key.section(QLatin1Char('|'), 1, 1))});
            addAnnotationActions(&menu, m_annotations, refs, this);
        }
        addSpreadActions(&menu, e.transferIds, e.transferKeys, this, [this](qint64 t) { emit spreadRequested(t); });
        menu.addSeparator();
    }
    if (node && m_annotations && m_annotations->writable() && !node->host().unknownSource) {
        // The selected nodes when the node under the pointer is one of them, else that node.
        QStringList hosts = node->isSelected() ? selectedHostNames() : QStringList();
        if (hosts.isEmpty()) {
            if (node->host().isGroup())
                for (qint64 m : node->host().members)
                    hosts << m_hostNames.value(m);
            else
                hosts << node->host().name;
        }
        menu.addAction(tr("Group %n Host(s) As...", nullptr, static_cast<int>(hosts.size())), this, [this, hosts] {
            QStringList names;
            for (const store::HostGroup &g : m_annotations->hostGroups())
                names << QString::fromStdString(g.name);
            bool ok = false;
            const QString name = QInputDialog::getItem(this, tr("Group As"),
                tr("Name of the group (an existing one adds the hosts to it):"), names, 0, true, &ok);
            if (ok && !name.trimmed().isEmpty())
                m_annotations->groupHosts(name, hosts);
        });
        const GraphHost &h = node->host();
        if (h.namedGroup) {
            const QString group = h.groupName;
            menu.addAction(tr("Rename Group %1...").arg(group), this, [this, group] {
                bool ok = false;
                const QString to = QInputDialog::getText(
                    this, tr("Rename Group"), tr("New name of %1:").arg(group), QLineEdit::Normal, group, &ok);
                if (ok && !to.trimmed().isEmpty() && to != group)
                    m_annotations->renameHostGroup(group, to);
            });
            menu.addAction(tr("Delete Group %1 (its hosts stay)").arg(group), this,
                [this, group] { m_annotations->deleteHostGroup(group); });
        }
        menu.addSeparator();
    }
    if (node && node->host().isGroup()) {
        const GraphHost &g = node->host();
        menu.addAction(tr("Expand group %1").arg(g.groupName), this, [this, key = g.groupKey] { expandGroup(key); });
        menu.addAction(tr("Filter to the %n host(s) of this group", nullptr, static_cast<int>(g.members.size())), this,
            [this, members = g.members] {
                FilterState f = m_filter->current();
                f.hosts = QSet<qint64>(members.begin(), members.end());
                m_filter->apply(f);
            });
        menu.addSeparator();
    } else if (node) {
        const qint64 id = node->host().id;
        if (!node->host().groupKey.isEmpty())
            menu.addAction(tr("Collapse group %1").arg(node->host().groupName), this,
                [this, key = node->host().groupKey] { collapseGroup(key); });
        PivotTarget t;
        t.hosts.append({id, node->host().name});
        addPivotActions(&menu, t, m_filter);
        addAnnotationActions(&menu, m_annotations,
            {AnnotationRef {store::TargetKind::Host, node->host().name, node->host().name}}, this);
        menu.addSeparator();
        menu.addAction(tr("Neighbourhood: 1 hop"), this, [this, id] { showNeighbourhood(id, 1); });
        menu.addAction(tr("Neighbourhood: 2 hops"), this, [this, id] { showNeighbourhood(id, 2); });
        menu.addAction(tr("Hide this host"), this, [this, id] { hideHost(id); });
        if (m_pins.contains(id))
            menu.addAction(tr("Unpin"), this, [this, id, name = node->host().name] {
                const QPointF was = m_pins.value(id);
                m_pins.remove(id);
                if (m_annotations)
                    m_annotations->moveNode(name, was, std::nullopt);
                refresh();
            });
        QList<HostNodeItem *> nodes;
        for (QGraphicsItem *it : selected)
            if (auto *n = dynamic_cast<HostNodeItem *>(it))
                nodes << n;
        if (nodes.size() == 1 && nodes.first() != node) {
            const qint64 from = nodes.first()->host().id;
            menu.addAction(tr("Highlight path from the selected host to here"), this,
                [this, from, id] { highlightPath(from, id); });
        }
        menu.addSeparator();
    }
    menu.addAction(themedIcon(QStringLiteral("zoom-fit-best")), tr("Fit (F)"), this, &TransferGraphView::fitAll);
    menu.addAction(tr("Clear highlight (Esc)"), this, &TransferGraphView::clearHighlight);
    if (!m_hidden.isEmpty())
        menu.addAction(tr("Show %n hidden host(s)", nullptr, static_cast<int>(m_hidden.size())), this,
            &TransferGraphView::showAllHosts);
    menu.addAction(themedIcon(QStringLiteral("view-refresh")), tr("Re-layout"), this, &TransferGraphView::relayout);
    QMenu *groupMenu = menu.addMenu(tr("Group Hosts"));
    const std::pair<HostGrouping, QString> modes[] = {{HostGrouping::Auto, tr("Automatically (by /24 when large)")},
        {HostGrouping::None, tr("Not grouped")}, {HostGrouping::Subnet, tr("By /24 subnet")},
        {HostGrouping::Domain, tr("By domain")}, {HostGrouping::Named, tr("Named groups only")}};
    for (const auto &[mode, label] : modes) {
        QAction *a = groupMenu->addAction(label, this, [this, mode = mode] { setGrouping(mode); });
        a->setCheckable(true);
        a->setChecked(m_grouping == mode);
    }
    groupMenu->addSeparator();
    QAction *fans = groupMenu->addAction(tr("Fold Deployment Pushes"), this, [this](bool on) { setFoldFans(on); });
    fans->setObjectName(QStringLiteral("foldFans"));
    fans->setCheckable(true);
    fans->setChecked(m_foldFans);
    fans->setToolTip(tr("One node per deployment tool's push to many hosts (SCCM, PDQ, GPO, Intune, Ansible...); "
                        "a host with any other transfer is always drawn on its own"));
    if (!m_pins.isEmpty())
        menu.addAction(tr("Unpin all and re-layout"), this, &TransferGraphView::unpinAll);
    menu.exec(event->globalPos());
}

} // namespace tt
