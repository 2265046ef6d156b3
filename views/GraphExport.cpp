#include "GraphExport.h"

#include "store/AnnotationStore.h"
#include "workbench/AnnotationController.h"

#include "DotWriter.h"
#include "ExportText.h"
#include "GraphItems.h"
#include "GraphLegend.h"
#include "GraphScene.h"
#include "MethodPalette.h"
#include "ReportWriter.h"
#include "TimelineView.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextDocument>
#include <QTimeZone>
#include <QTimer>
#include <QUrl>

#include <cmath>

namespace tt {

namespace {
const QColor kBackground(0xFB, 0xFB, 0xFC);

void drawCaption(QPainter *p, const QRectF &band, const QString &caption)
{
    p->save();
    p->setPen(QColor(0x30, 0x36, 0x40));
    QFont f = p->font();
    f.setPixelSize(12);
    p->setFont(f);
    const QFontMetricsF fm(f);
    // Plain text only: drawText never interprets markup. Long (attacker-controlled) text is
    // elided; line breaks in it are shown as spaces so the band stays two lines.
    QStringList lines = caption.split(QLatin1Char('\n'));
    const int n = std::min<int>(2, static_cast<int>(lines.size()));
    for (int i = 0; i < n; ++i) {
        QString line = lines[i];
        if (i == n - 1 && lines.size() > 2)
            line += QLatin1Char(' ') + lines.mid(2).join(QLatin1Char(' '));
        line.replace(QLatin1Char('\r'), QLatin1Char(' '));
        line.replace(QLatin1Char('\t'), QLatin1Char(' '));
        const QString shown = fm.elidedText(line.left(4000), Qt::ElideRight, band.width() - 16);
        p->drawText(QPointF(band.left() + 8, band.top() + 14 + i * 17), shown);
    }
    p->restore();
}

void paintAll(QPainter *p, const PaintFn &paint, const QSizeF &size, const SnapshotOptions &o)
{
    const QSizeF total = snapshotSize(size, !o.caption.isEmpty());
    p->fillRect(QRectF(QPointF(0, 0), total), kBackground);
    p->setRenderHint(QPainter::Antialiasing);
    p->setRenderHint(QPainter::TextAntialiasing);
    paint(p, QRectF(QPointF(0, 0), size));
    if (!o.caption.isEmpty())
        drawCaption(p, QRectF(0, size.height(), size.width(), kCaptionBand), o.caption);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool writeBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    f.write(bytes);
    if (!f.commit())
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    return true;
}

std::string s8(const QString &s)
{
    return s.toStdString();
}
std::string num(double v)
{
    return QString::number(v, 'f', 2).toStdString();
}
} // namespace

ExportFormat exportFormatFor(const QString &path)
{
    const QString suf = QFileInfo(path).suffix().toLower();
    if (suf == QLatin1String("png"))
        return ExportFormat::Png;
    if (suf == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (suf == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    if (suf == QLatin1String("dot") || suf == QLatin1String("gv"))
        return ExportFormat::Dot;
    if (suf == QLatin1String("csv"))
        return ExportFormat::Csv;
    if (suf == QLatin1String("json"))
        return ExportFormat::Json;
    if (suf == QLatin1String("html") || suf == QLatin1String("htm"))
        return ExportFormat::Html;
    return ExportFormat::Unknown;
}

QSizeF snapshotSize(const QSizeF &source, bool withCaption)
{
    return QSizeF(source.width(), source.height() + (withCaption ? kCaptionBand : 0));
}

QByteArray pictureSvg(const PaintFn &paint, const QSizeF &size, const SnapshotOptions &options)
{
    const QSizeF total = snapshotSize(size, !options.caption.isEmpty());
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    QSvgGenerator gen;
    gen.setOutputDevice(&buf);
    gen.setSize(QSize(int(std::ceil(total.width())), int(std::ceil(total.height()))));
    gen.setViewBox(QRectF(QPointF(0, 0), total));
    gen.setResolution(96);
    gen.setTitle(QStringLiteral("TransferTrace")); // fixed text: never log content in the header
    {
        QPainter p(&gen);
        paintAll(&p, paint, size, options);
    }
    // QSvgGenerator escapes markup in text but passes control characters through, which XML
    // cannot carry: replace them so the document always parses.
    return exporting::xmlSafeUtf8(buf.data());
}

bool writePicture(const PaintFn &paint, const QSizeF &size, const QString &path, ExportFormat format,
    const SnapshotOptions &options, QString *error)
{
    const QSizeF total = snapshotSize(size, !options.caption.isEmpty());
    if (total.isEmpty())
        return fail(error, QStringLiteral("nothing to draw"));
    switch (format) {
    case ExportFormat::Png: {
        const double s = options.scale;
        if (!(s > 0) || total.width() * s > 32000 || total.height() * s > 32000)
            return fail(error, QStringLiteral("scale %1 gives an image too large (max 32000 px a side)").arg(s));
        QImage img(
            QSize(int(std::lround(total.width() * s)), int(std::lround(total.height() * s))), QImage::Format_ARGB32);
        if (img.isNull())
            return fail(error,
                QStringLiteral("out of memory for a %1 x %2 image").arg(total.width() * s).arg(total.height() * s));
        img.fill(kBackground);
        {
            QPainter p(&img);
            p.scale(s, s);
            paintAll(&p, paint, size, options);
        }
        QSaveFile f(path);
        if (!f.open(QIODevice::WriteOnly) || !img.save(&f, "PNG") || !f.commit())
            return fail(error, QStringLiteral("cannot write %1").arg(path));
        return true;
    }
    case ExportFormat::Svg:
        return writeBytes(path, pictureSvg(paint, size, options), error);
    case ExportFormat::Pdf: {
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        {
            QPdfWriter pdf(&buf);
            pdf.setCreator(QStringLiteral("TransferTrace"));
            pdf.setTitle(QStringLiteral("TransferTrace"));
            pdf.setResolution(72); // one scene unit = one point: vector, same proportions
            pdf.setPageSize(QPageSize(total, QPageSize::Point));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            QPainter p(&pdf);
            paintAll(&p, paint, size, options);
        }
        return writeBytes(path, buf.data(), error);
    }
    default:
        return fail(error, QStringLiteral("%1: a picture is .png, .svg or .pdf").arg(path));
    }
}

QRectF wholeGraphRect(QGraphicsScene *scene)
{
    const QRectF r = scene->itemsBoundingRect();
    if (r.isEmpty())
        return QRectF(0, 0, 400, 200);
    return r.adjusted(-30, -30, 30, 30);
}

GraphPicture graphPicture(const GraphSceneRef &g, const QRectF &source)
{
    GraphPicture out;
    const QVector<GraphLegendEntry> entries = graphLegendEntries(*g.data);
    const QSizeF legend = graphLegendSize(entries);
    out.size = QSizeF(source.width() + legend.width() + 2 * kLegendMargin,
        std::max(source.height(), legend.height() + 2 * kLegendMargin));
    QGraphicsScene *scene = g.scene;
    out.paint = [scene, source, entries](QPainter *p, const QRectF &target) {
        scene->render(p, QRectF(target.topLeft(), source.size()), source, Qt::IgnoreAspectRatio);
        paintGraphLegend(p, target.topLeft() + QPointF(source.width() + kLegendMargin, kLegendMargin), entries);
    };
    return out;
}

exporting::DotGraph graphDot(const GraphSceneRef &g, const QRectF &source, const QString &caption)
{
    exporting::DotGraph dot;
    dot.graphAttrs = {{"rankdir", "LR"}, {"labelloc", "t"}, {"label", s8(caption)}};
    QSet<qint64> shown;
    for (const GraphHost &h : g.data->hosts) {
        HostNodeItem *item = g.node(h.id);
        if (!item || !item->sceneBoundingRect().intersects(source))
            continue;
        shown.insert(h.id);
        exporting::DotNode n;
        n.name = "h" + std::to_string(h.id);
        QStringList badges;
        if (h.domainController)
            badges << QStringLiteral("DC");
        if (h.firstSource)
            badges << QStringLiteral("S");
        if (h.executedTransferred)
            badges << QStringLiteral("X");
        const QPointF pos = item->pos();
        n.attrs = {{"label", s8(h.name)}, {"shape", "box"},
            {"style", h.ipOnly ? "rounded,filled,dashed" : "rounded,filled"},
            {"fillcolor",
                h.firstSource  ? "#ffefe0"
                    : h.ipOnly ? "#eeeeee"
                               : "#f4f8ff"},
            {"pos", num(pos.x()) + "," + num(-pos.y()) + "!"}, {"sent", std::to_string(h.sent)},
            {"received", std::to_string(h.received)}};
        if (!h.fqdn.isEmpty())
            n.attrs["fqdn"] = s8(h.fqdn);
        if (!h.addresses.isEmpty())
            n.attrs["addresses"] = s8(h.addresses);
        if (!badges.isEmpty())
            n.attrs["xlabel"] = s8(badges.join(QLatin1Char(' ')));
        if (h.isGroup()) { // "NAME (N hosts)" is the label; the group and its size as data too
            n.attrs["tt_group"] = s8(h.groupName);
            n.attrs["tt_group_hosts"] = std::to_string(h.members.size());
            n.attrs["tt_group_kind"] = h.namedGroup ? "named" : h.fan ? "fan" : "auto";
            n.attrs["peripheries"] = "2";
            if (h.fan) { // a deployment push to many hosts: its span and the destinations drawn apart
                n.attrs["fillcolor"] = s8(fanNodeFill().name());
                n.attrs["tt_fan_first"]
                    = s8(QDateTime::fromMSecsSinceEpoch(h.fanFirstTs / 1000, QTimeZone::utc()).toString(Qt::ISODate));
                n.attrs["tt_fan_last"]
                    = s8(QDateTime::fromMSecsSinceEpoch(h.fanLastTs / 1000, QTimeZone::utc()).toString(Qt::ISODate));
                n.attrs["tt_fan_apart"] = std::to_string(h.fanApart);
                n.attrs["tooltip"] = s8(h.detail);
            }
        }
        if (item->isSelected() || item->isHighlighted()) {
            n.attrs["color"] = "#005ac8";
            n.attrs["penwidth"] = "2.5";
        }
        if (item->isDimmed())
            n.attrs["tt_dimmed"] = "true";
        dot.nodes.push_back(std::move(n));
    }
    for (const GraphEdge &e : g.data->edges) {
        if (!shown.contains(e.source) || !shown.contains(e.target))
            continue;
        TransferEdgeItem *item = g.edge(e.id);
        exporting::DotEdge d;
        d.tail = "h" + std::to_string(e.source);
        d.head = "h" + std::to_string(e.target);
        const QString label = edgeCountText(e.count);
        const bool hl = item && (item->isSelected() || item->isHighlighted());
        d.attrs = {{"label", s8(label)}, {"methods", s8(e.methods.join(QLatin1Char(',')))},
            {"transfers", std::to_string(e.count)},
            {"color",
                s8((hl                          ? QColor(0x00, 0x5A, 0xC8)
                        : e.methods.size() == 1 ? MethodPalette::color(e.methods.first())
                                                : QColor(0x44, 0x44, 0x44))
                        .name())},
            {"penwidth", num(TransferEdgeItem::widthFor(e.count) + (hl ? 2 : 0))}};
        if (e.hop) {
            d.attrs["tt_hop"] = std::to_string(e.hop); // the depth, kept apart from the count label
            d.attrs["tooltip"] = s8(QStringLiteral("%1 transfer(s), %2").arg(e.count).arg(edgeHopText(e.hop)));
        }
        if (e.reverse > 0) { // a bundle between groups: transfers both ways
            d.attrs["dir"] = "both";
            d.attrs["tt_reverse"] = std::to_string(e.reverse);
        }
        if (e.maxConfidence < 0.5)
            d.attrs["style"] = "dashed";
        if (e.allBenign() && !hl) { // as TransferEdgeItem draws it: muted
            d.attrs["color"] = s8(MethodPalette::benignAdmin().name());
            d.attrs["penwidth"] = "1";
            d.attrs["style"] = "dotted";
            d.attrs["tt_benign"] = "true";
        }
        if (e.fan) { // a deployment push folded: width by count, as drawn
            d.attrs["tt_fan"] = "true";
            if (!hl)
                d.attrs["penwidth"] = num(TransferEdgeItem::widthFor(e.count));
        }
        if (item && item->isDimmed())
            d.attrs["tt_dimmed"] = "true";
        dot.edges.push_back(std::move(d));
    }
    // The legend: a boxed cluster to the right of the graph, one node per entry.
    exporting::DotGraph legend;
    legend.name = "cluster_legend";
    legend.graphAttrs = {{"label", "Legend"}};
    const double x = source.right() + 160;
    double y = source.top() + 20;
    int i = 0;
    for (const GraphLegendEntry &e : graphLegendEntries(*g.data)) {
        exporting::DotNode n;
        n.name = "legend_" + std::to_string(i++);
        n.attrs = {{"label", s8(e.text)}, {"shape", "box"}, {"pos", num(x) + "," + num(-y) + "!"}};
        using S = GraphLegendEntry::Swatch;
        switch (e.swatch) {
        case S::Line:
            n.attrs["style"] = "filled";
            n.attrs["fillcolor"] = s8(e.color.name());
            n.attrs["fontcolor"] = "white";
            break;
        case S::DashedLine:
            n.attrs["style"] = "dashed";
            break;
        case S::Badge:
        case S::FirstSource:
            n.attrs["style"] = "filled";
            n.attrs["fillcolor"] = s8(hostBadgeColor(e.symbol).name());
            n.attrs["fontcolor"] = "white";
            break;
        case S::IpNode:
            n.attrs["style"] = "rounded,filled,dashed";
            n.attrs["fillcolor"] = "#eeeeee";
            break;
        case S::UnknownNode:
            n.attrs["style"] = "rounded,dotted";
            break;
        case S::FanNode:
            n.attrs["style"] = "rounded,filled";
            n.attrs["fillcolor"] = s8(fanNodeFill().name());
            n.attrs["peripheries"] = "2";
            break;
        case S::Count:
        case S::Hop:
            n.attrs["label"] = s8(e.symbol + QStringLiteral(": ") + e.text);
            n.attrs["shape"] = "plaintext";
            break;
        default:
            n.attrs["shape"] = "plaintext";
        }
        legend.nodes.push_back(std::move(n));
        y += 30;
    }
    dot.subgraphs.push_back(std::move(legend));
    return dot;
}

QByteArray graphSvg(const GraphSceneRef &g, const QRectF &source, const SnapshotOptions &options)
{
    const GraphPicture pic = graphPicture(g, source);
    return pictureSvg(pic.paint, pic.size, options);
}

bool exportGraph(
    const GraphSceneRef &g, const QRectF &source, const QString &path, const SnapshotOptions &options, QString *error)
{
    const ExportFormat format = exportFormatFor(path);
    if (format == ExportFormat::Dot) {
        std::string err;
        const auto text = exporting::writeDot(graphDot(g, source, options.caption), &err);
        if (!text)
            return fail(error, QString::fromStdString(err));
        return writeBytes(path, QByteArray::fromStdString(*text), error);
    }
    if (format != ExportFormat::Png && format != ExportFormat::Svg && format != ExportFormat::Pdf)
        return fail(error, QStringLiteral("%1: the graph exports as .svg, .png, .pdf or .dot").arg(path));
    const GraphPicture pic = graphPicture(g, source);
    return writePicture(pic.paint, pic.size, path, format, options, error);
}

bool writeReportFile(const exporting::ReportData &data, const GraphSceneRef &g, const QRectF &source,
    const QString &path, ExportFormat format, QString *error)
{
    exporting::ReportOptions ro;
    if (format == ExportFormat::Html) {
        ro.graphSvg = graphSvg(g, source, {});
        return writeBytes(path, exporting::writeReport(data, ro), error);
    }
    if (format != ExportFormat::Pdf)
        return fail(error, QStringLiteral("%1: the report is .html or .pdf").arg(path));
    // QTextDocument draws no inline SVG: the graph goes in as a picture resource.
    const GraphPicture pic = graphPicture(g, source);
    const QSizeF size = pic.size;
    const double s = std::min(2.0, 3000.0 / std::max(1.0, std::max(size.width(), size.height())));
    QImage img(QSize(int(std::lround(size.width() * s)), int(std::lround(size.height() * s))), QImage::Format_ARGB32);
    img.fill(kBackground);
    {
        QPainter p(&img);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(s, s);
        pic.paint(&p, QRectF(QPointF(0, 0), size));
    }
    ro.graphImageUrl = QStringLiteral("tt-graph.png");
    QTextDocument doc;
    doc.addResource(QTextDocument::ImageResource, QUrl(ro.graphImageUrl),
        img.scaledToWidth(std::min(img.width(), 640), Qt::SmoothTransformation));
    doc.setHtml(QString::fromUtf8(exporting::writeReport(data, ro)));
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buf);
        pdf.setCreator(QStringLiteral("TransferTrace"));
        pdf.setTitle(QStringLiteral("TransferTrace report"));
        pdf.setPageSize(QPageSize(QPageSize::A4));
        doc.print(&pdf);
    }
    return writeBytes(path, buf.data(), error);
}

OffscreenGraph::OffscreenGraph()
    : m_scene(std::make_unique<QGraphicsScene>())
{
}
OffscreenGraph::~OffscreenGraph() = default;

bool OffscreenGraph::load(
    const QString &casePath, const FilterState &filter, QString *error, HostGrouping grouping, bool foldFans)
{
    m_scene->clear();
    m_nodes.clear();
    m_edges.clear();
    GraphSceneResult r;
    QHash<QString, GraphBadge> badges; // "kind|key" -> badge, as the workbench draws them
    try {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        QHash<QString, QPointF> positions;
        store::AnnotationStore as(*cs);
        for (const auto &[host, xy] : as.nodePositions())
            positions.insert(QString::fromStdString(host), QPointF(xy.first, xy.second));
        NamedHostGroups named;
        for (const store::HostGroup &hg : as.hostGroups())
            for (const std::string &h : hg.hosts)
                named.insert(QString::fromStdString(h), QString::fromStdString(hg.name));
        r = computeGraphScene(*cs, filter, {}, {}, positions, grouping, {}, named, foldFans);
        const std::vector<store::Tag> tags = as.tags();
        for (const store::Annotation &a : as.list()) {
            GraphBadge b;
            b.bookmarked = a.bookmarked;
            b.color = AnnotationController::badgeColorOf(a, tags); // the workbench's colour rule
            QStringList names;
            for (int64_t id : a.tagIds)
                for (const store::Tag &t : tags)
                    if (t.id == id)
                        names << QString::fromStdString(t.name);
            b.summary = names.join(QStringLiteral(", "));
            badges.insert(
                QString::fromLatin1(store::targetKindName(a.kind)) + QLatin1Char('|') + QString::fromStdString(a.key),
                b);
        }
    } catch (const std::exception &e) {
        r.error = QString::fromUtf8(e.what());
    }
    if (!r.error.isEmpty())
        return fail(error, r.error);
    m_data = std::move(r.data);
    populateGraphScene(m_scene.get(), m_data, r.layout, m_nodes, m_edges);
    applyGraphBadges(m_nodes, m_edges, [&badges](const char *kind, const QString &key) -> std::optional<GraphBadge> {
        const auto it = badges.constFind(QString::fromLatin1(kind) + QLatin1Char('|') + key);
        if (it == badges.cend())
            return std::nullopt;
        return *it;
    });
    return true;
}

GraphSceneRef OffscreenGraph::ref() const
{
    GraphSceneRef g;
    g.scene = m_scene.get();
    g.data = &m_data;
    g.node = [this](qint64 id) { return m_nodes.value(id); };
    g.edge = [this](qint64 id) { return m_edges.value(id); };
    return g;
}

bool exportTimeline(QWidget *timeline, const QString &path, const SnapshotOptions &options, QString *error)
{
    const ExportFormat format = exportFormatFor(path);
    if (format != ExportFormat::Png && format != ExportFormat::Svg)
        return fail(error, QStringLiteral("%1: the timeline exports as .png or .svg").arg(path));
    return writePicture(
        [timeline](QPainter *p, const QRectF &target) {
            p->save();
            p->translate(target.topLeft());
            timeline->render(p, QPoint(), QRegion(), QWidget::DrawWindowBackground);
            p->restore();
        },
        QSizeF(timeline->size()), path, format, options, error);
}

OffscreenTimeline::OffscreenTimeline()
    : m_filter(std::make_unique<FilterHistory>())
    , m_selection(std::make_unique<Selection>())
    , m_view(std::make_unique<TimelineView>(m_filter.get(), m_selection.get()))
{
    m_view->setAttribute(Qt::WA_DontShowOnScreen);
}

OffscreenTimeline::~OffscreenTimeline() = default;

bool OffscreenTimeline::load(
    const QString &casePath, const FilterState &filter, QSize size, QString *error, int timeoutMs)
{
    m_filter->apply(filter);
    m_view->resize(size);
    m_view->show();
    QString failure;
    bool loaded = false;
    QEventLoop loop;
    QObject::connect(m_view.get(), &TimelineView::dataLoaded, &loop, [&] {
        loaded = true;
        loop.quit();
    });
    QObject::connect(m_view.get(), &TimelineView::loadFailed, &loop, [&](const QString &e) {
        failure = e;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    m_view->setCase(casePath);
    loop.exec();
    if (!failure.isEmpty())
        return fail(error, failure);
    if (!loaded)
        return fail(error, QStringLiteral("the timeline did not load in time"));
    // The first result fits the view, which may ask once more at the fitted resolution.
    QElapsedTimer t;
    t.start();
    while (m_view->isLoading() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QCoreApplication::processEvents();
    return true;
}

} // namespace tt
