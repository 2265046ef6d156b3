#include "GraphLegend.h"

#include "GraphItems.h"
#include "MethodPalette.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>

namespace tt {

namespace {
constexpr double kPad = 8, kRow = 20, kSwatch = 46, kTitle = 20;

QFont legendFont()
{
    QFont f = QApplication::font();
    f.setPixelSize(11);
    return f;
}
} // namespace

QVector<GraphLegendEntry> graphLegendEntries(const GraphData &data)
{
    using S = GraphLegendEntry::Swatch;
    QVector<GraphLegendEntry> out;
    QStringList methods;
    bool mixed = false, benign = false, fans = false;
    for (const GraphHost &h : data.hosts)
        fans |= h.fan && h.isGroup();
    for (const GraphEdge &e : data.edges) {
        benign |= e.allBenign();
        for (const QString &m : e.methods)
            if (!methods.contains(m))
                methods << m;
        mixed |= e.methods.size() > 1;
    }
    QStringList ordered;
    for (const QString &m : MethodPalette::methods())
        if (methods.isEmpty() || methods.contains(m))
            ordered << m;
    for (const QString &m : methods)
        if (!ordered.contains(m))
            ordered << m;
    for (const QString &m : ordered)
        out.append({S::Line, MethodPalette::color(m), {}, MethodPalette::label(m)});
    if (mixed || methods.isEmpty())
        out.append({S::Line, QColor(0x44, 0x44, 0x44), {}, QObject::tr("several methods on one edge")});
    out.append(
        {S::DashedLine, QColor(0x44, 0x44, 0x44), {}, QObject::tr("dashed: every transfer below 0.5 confidence")});
    out.append({S::WideLine, QColor(0x44, 0x44, 0x44), {}, QObject::tr("wider: more transfers")});
    if (benign)
        out.append({S::DashedLine, MethodPalette::benignAdmin(), {},
            QObject::tr("grey: only deployment-tool transfers (benign-admin candidates)")});
    if (fans)
        out.append({S::FanNode, {}, {},
            QObject::tr("one deployment push to many hosts (double-click expands; other transfers never folded)")});
    out.append({S::Count, {}, edgeCountText(3), QObject::tr("transfers on the edge")});
    out.append({S::Hop, {}, edgeHopText(2), QObject::tr("depth in the earliest chain")});
    out.append({S::FirstSource, {}, QStringLiteral("S"), QObject::tr("S: first source (root of the deepest chain)")});
    out.append({S::Badge, {}, QStringLiteral("X"), QObject::tr("X: ran a file transferred to it")});
    out.append({S::Badge, {}, QStringLiteral("DC"), QObject::tr("DC: domain controller")});
    out.append({S::IpNode, {}, {}, QObject::tr("known only by its address")});
    out.append({S::UnknownNode, {}, {}, QObject::tr("unknown source (per host, account, session)")});
    out.append({S::Annotation, QColor(0xE0, 0x8E, 0x0B), {}, QObject::tr("annotated (\u2605 bookmarked)")});
    return out;
}

QSizeF graphLegendSize(const QVector<GraphLegendEntry> &entries)
{
    const QFontMetricsF fm(legendFont());
    double w = fm.horizontalAdvance(QObject::tr("Legend"));
    for (const GraphLegendEntry &e : entries)
        w = std::max(w, kSwatch + 6 + fm.horizontalAdvance(e.text));
    return QSizeF(w + 2 * kPad, kTitle + kRow * entries.size() + 2 * kPad);
}

void paintGraphLegend(QPainter *p, QPointF topLeft, const QVector<GraphLegendEntry> &entries)
{
    using S = GraphLegendEntry::Swatch;
    const QSizeF size = graphLegendSize(entries);
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(QColor(0xC8, 0xCC, 0xD4), 1));
    p->setBrush(QColor(0xFF, 0xFF, 0xFF, 235));
    p->drawRoundedRect(QRectF(topLeft, size), 5, 5);
    const QFont font = legendFont();
    QFont bold = font;
    bold.setBold(true);
    p->setFont(bold);
    p->setPen(QColor(0x30, 0x36, 0x40));
    p->drawText(QRectF(topLeft.x() + kPad, topLeft.y() + kPad, size.width(), kTitle), Qt::AlignLeft | Qt::AlignTop,
        QObject::tr("Legend"));
    double y = topLeft.y() + kPad + kTitle;
    for (const GraphLegendEntry &e : entries) {
        const QRectF sw(topLeft.x() + kPad, y + 2, kSwatch, kRow - 4);
        const QPointF mid = sw.center();
        p->setFont(font);
        switch (e.swatch) {
        case S::Line:
        case S::DashedLine:
        case S::WideLine: {
            QPen pen(e.color, e.swatch == S::WideLine ? TransferEdgeItem::widthFor(20) : TransferEdgeItem::widthFor(1),
                e.swatch == S::DashedLine ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap);
            p->setPen(pen);
            p->drawLine(QPointF(sw.left() + 2, mid.y()), QPointF(sw.right() - 2, mid.y()));
            break;
        }
        case S::Count:
            drawEdgeCount(p, edgeCountRect(mid, e.symbol, edgeLabelFont(false)), e.symbol, QColor(0x44, 0x44, 0x44));
            break;
        case S::Hop:
            drawEdgeHop(p, edgeHopRect(mid, e.symbol, edgeLabelFont(true)), e.symbol);
            break;
        case S::Badge:
        case S::FirstSource: {
            if (e.swatch == S::FirstSource) {
                p->setPen(QPen(QColor(0x60, 0x6A, 0x78), 1.2));
                p->setBrush(QColor(0xFF, 0xEF, 0xE0));
                p->drawRoundedRect(sw.adjusted(0, 2, -14, 0), 3, 3);
            }
            drawHostBadge(p, QPointF(sw.right() - (e.symbol.size() > 1 ? 0 : 4), mid.y() - 7), e.symbol);
            break;
        }
        case S::Node:
        case S::IpNode:
        case S::UnknownNode: {
            QPen pen(QColor(0x60, 0x6A, 0x78), 1.2);
            pen.setStyle(e.swatch == S::IpNode   ? Qt::DashLine
                    : e.swatch == S::UnknownNode ? Qt::DotLine
                                                 : Qt::SolidLine);
            p->setPen(pen);
            p->setBrush(e.swatch == S::IpNode    ? QColor(0xEE, 0xEE, 0xEE)
                    : e.swatch == S::UnknownNode ? QColor(Qt::white)
                                                 : QColor(0xF4, 0xF8, 0xFF));
            p->drawRoundedRect(sw.adjusted(4, 1, -4, -1), 3, 3);
            break;
        }
        case S::FanNode: {
            const QRectF r = sw.adjusted(4, 1, -4, -3);
            p->setPen(QPen(QColor(0x60, 0x6A, 0x78), 1.2));
            p->setBrush(fanNodeFill());
            p->drawRoundedRect(r, 3, 3);
            p->drawLine(QPointF(r.left() + 3, r.bottom() + 2), QPointF(r.right() - 3, r.bottom() + 2));
            break;
        }
        case S::Annotation:
            drawAnnotationBadge(p, QRectF(mid.x() - 8, mid.y() - 8, 16, 16), e.color, true);
            break;
        }
        p->setPen(QColor(0x30, 0x36, 0x40));
        p->setFont(font);
        p->drawText(QRectF(sw.right() + 6, y, size.width(), kRow), Qt::AlignLeft | Qt::AlignVCenter, e.text);
        y += kRow;
    }
    p->restore();
}

} // namespace tt
