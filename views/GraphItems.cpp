#include "GraphItems.h"

#include "inference/ConfidenceModel.h"

#include "MethodPalette.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace tt {

namespace {
constexpr double kBadge = 14;
// Below this view scale, labels and badges are not drawn (text would be under ~3 px anyway).
constexpr double kDetailScale = 0.25;
} // namespace

double graphDetailScale()
{
    return kDetailScale;
}

double graphFarLabelScale()
{
    return 0.6;
}

FarLabelItem::FarLabelItem(const QString &text, bool emphasised, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_emphasised(emphasised)
{
    setFlag(ItemIgnoresTransformations);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
    m_font = QApplication::font();
    m_font.setPixelSize(emphasised ? 12 : 11);
    m_font.setBold(emphasised);
    m_label.setTextFormat(Qt::PlainText); // host and group names are log / analyst text
    m_label.setText(text.size() > 60 ? text.left(59) + QChar(0x2026) : text);
    m_label.prepare(QTransform(), m_font);
    const QSizeF ts = m_label.size();
    m_rect = QRectF(-ts.width() / 2 - 4, -ts.height() / 2 - 2, ts.width() + 8, ts.height() + 4);
    setVisible(false);
}

QRectF FarLabelItem::boundingRect() const
{
    return m_rect.adjusted(-1, -1, 1, 1);
}

void FarLabelItem::paint(QPainter *p, const QStyleOptionGraphicsItem *, QWidget *)
{
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(m_emphasised ? QColor(0x3A, 0x4A, 0x8C) : QColor(0x90, 0x98, 0xA4), 1));
    p->setBrush(QColor(255, 255, 255, 225));
    p->drawRoundedRect(m_rect, 4, 4);
    p->setPen(QColor(0x10, 0x18, 0x28));
    p->setFont(m_font);
    p->drawStaticText(m_rect.topLeft() + QPointF(4, 2), m_label);
}

void HostNodeItem::setFarLabel(bool on, double priority)
{
    m_farPriority = priority;
    if (on && !m_farLabel) {
        m_farLabel = new FarLabelItem(m_host.name, m_host.isGroup(), this);
        m_farLabel->setZValue(10);
    } else if (!on && m_farLabel) {
        delete m_farLabel;
        m_farLabel = nullptr;
    }
}

HostNodeItem::HostNodeItem(const GraphHost &host, QSizeF size)
    : m_host(host)
    , m_size(size)
{
    setFlags(ItemIsSelectable | ItemIsMovable);
    setZValue(2);
    setCursor(Qt::PointingHandCursor);
    m_label.setTextFormat(Qt::PlainText);
    m_label.setText(host.name);
    QString tip = host.name;
    if (!host.detail.isEmpty())
        tip += QLatin1Char('\n') + host.detail;
    if (!host.fqdn.isEmpty())
        tip += QLatin1Char('\n') + host.fqdn;
    if (!host.addresses.isEmpty())
        tip += QLatin1Char('\n') + host.addresses;
    tip += QStringLiteral("\nsent %1, received %2").arg(host.sent).arg(host.received);
    if (host.domainController)
        tip += QStringLiteral("\ndomain controller");
    if (host.firstSource)
        tip += QStringLiteral("\nroot of the deepest chain of transfers");
    if (host.executedTransferred)
        tip += QStringLiteral("\nran a file transferred to it");
    if (host.fan)
        tip += QStringLiteral("\ndouble-click to expand: one edge per host");
    else if (host.isGroup())
        tip += QStringLiteral("\n%1 transfers within the group; double-click to expand").arg(host.internalTransfers);
    // Qt::mightBeRichText would treat "<b>..." as markup: force plain text with an explicit
    // escape. toolTip() is rich-text aware, so escape it.
    m_baseTip = tip;
    setToolTip(QStringLiteral("<pre>%1</pre>").arg(tip.toHtmlEscaped()));
}

// The annotation badge: a disc in the tag colour with a star (bookmarked) or a pen mark.
void drawAnnotationBadge(QPainter *p, const QRectF &b, const QColor &c, bool bookmarked)
{
    p->save();
    p->setPen(QPen(Qt::white, 1.2));
    p->setBrush(c);
    p->drawEllipse(b);
    p->setPen(Qt::white);
    QFont bf = p->font();
    bf.setBold(true);
    bf.setPointSizeF(std::max(6.0, bf.pointSizeF() * 0.75));
    p->setFont(bf);
    p->drawText(b, Qt::AlignCenter, bookmarked ? QStringLiteral("\u2605") : QStringLiteral("\u270E"));
    p->restore();
}

QColor hostBadgeColor(const QString &letter)
{
    if (letter == QLatin1String("X"))
        return QColor(0xC0, 0x1C, 0x28);
    if (letter == QLatin1String("S"))
        return QColor(0xD5, 0x5E, 0x00);
    return QColor(0x1B, 0x4F, 0x9C); // DC
}

QRectF drawHostBadge(QPainter *p, QPointF rightTop, const QString &letter)
{
    const double w = letter.size() > 1 ? kBadge + 8 : kBadge;
    const QRectF b(rightTop.x() - w, rightTop.y(), w, kBadge);
    p->save();
    p->setPen(Qt::NoPen);
    p->setBrush(hostBadgeColor(letter));
    p->drawEllipse(b);
    p->setPen(Qt::white);
    QFont bf = p->font();
    bf.setBold(true);
    bf.setPointSizeF(std::max(6.0, bf.pointSizeF() * 0.7));
    p->setFont(bf);
    p->drawText(b, Qt::AlignCenter, letter);
    p->restore();
    return b;
}

QColor fanNodeFill()
{
    return QColor(0xEC, 0xEE, 0xE8);
}

QFont edgeLabelFont(bool small)
{
    QFont f = QApplication::font();
    if (small) {
        f.setItalic(true);
        f.setPointSizeF(std::max(6.0, f.pointSizeF() * 0.8));
    } else {
        f.setBold(true);
    }
    return f;
}

QString edgeCountText(int count)
{
    return QStringLiteral("\u00D7%1").arg(count);
}

QRectF edgeCountRect(QPointF at, const QString &text, const QFont &font)
{
    const QFontMetricsF fm(font);
    const double w = fm.horizontalAdvance(text) + 10, h = fm.height() + 2;
    return QRectF(at.x() - w / 2, at.y() - h / 2, w, h);
}

void drawEdgeCount(QPainter *p, const QRectF &rect, const QString &text, const QColor &edgeColour)
{
    p->save();
    p->setPen(QPen(edgeColour, 1.5));
    p->setBrush(Qt::white);
    p->drawRoundedRect(rect, rect.height() / 2, rect.height() / 2);
    p->setPen(Qt::black);
    p->setFont(edgeLabelFont(false));
    p->drawText(rect, Qt::AlignCenter, text);
    p->restore();
}

QString edgeHopText(int hop)
{
    return QStringLiteral("hop %1").arg(hop);
}

QRectF edgeHopRect(QPointF at, const QString &text, const QFont &font)
{
    const QFontMetricsF fm(font);
    const double w = fm.horizontalAdvance(text) + 6, h = fm.height();
    return QRectF(at.x() - w / 2, at.y() - h / 2, w, h);
}

void drawEdgeHop(QPainter *p, const QRectF &rect, const QString &text)
{
    p->save();
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(0xEE, 0xEF, 0xF2, 230));
    p->drawRect(rect);
    p->setPen(QColor(0x55, 0x5B, 0x66));
    p->setFont(edgeLabelFont(true));
    p->drawText(rect, Qt::AlignCenter, text);
    p->restore();
}

void HostNodeItem::setAnnotation(const QColor &color, bool bookmarked, const QString &summary)
{
    m_annotation = color;
    m_bookmarked = bookmarked;
    QString tip = m_baseTip;
    if (color.isValid())
        tip += QStringLiteral("\nannotated: ") + summary;
    setToolTip(QStringLiteral("<pre>%1</pre>").arg(tip.toHtmlEscaped()));
    update();
}

QRectF HostNodeItem::boundingRect() const
{
    return QRectF(-m_size.width() / 2 - 2, -m_size.height() / 2 - kBadge / 2 - 2, m_size.width() + kBadge + 4,
        m_size.height() + kBadge + 4);
}

void HostNodeItem::setHighlighted(bool on)
{
    m_highlighted = on;
    update();
}

void HostNodeItem::setDimmed(bool on)
{
    m_dimmed = on;
    update();
}

void HostNodeItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QRectF r(-m_size.width() / 2, -m_size.height() / 2, m_size.width(), m_size.height());
    const bool selected = option->state & QStyle::State_Selected;
    p->setRenderHint(QPainter::Antialiasing);
    QColor fill = m_host.ipOnly ? QColor(0xEE, 0xEE, 0xEE) : QColor(0xF4, 0xF8, 0xFF);
    if (m_host.unknownSource)
        fill = Qt::white;
    if (m_host.firstSource)
        fill = QColor(0xFF, 0xEF, 0xE0);
    if (m_host.isGroup())
        fill = m_host.firstSource ? QColor(0xFB, 0xE3, 0xD0) : m_host.fan ? fanNodeFill() : QColor(0xE6, 0xE9, 0xF7);
    // Level of detail: zoomed far out, a node is a plain box (no label, no badges), which keeps
    // thousands of nodes fast to paint and the picture uncluttered.
    const bool detailed = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform()) >= kDetailScale;
    QPen border(selected || m_highlighted ? QColor(0x00, 0x5A, 0xC8) : QColor(0x60, 0x6A, 0x78),
        selected || m_highlighted ? 2.5 : 1.2);
    if (m_host.ipOnly)
        border.setStyle(Qt::DashLine);
    if (m_host.unknownSource)
        border.setStyle(Qt::DotLine);
    p->setOpacity(m_dimmed ? 0.3 : 1.0);
    p->setPen(border);
    p->setBrush(fill);
    p->drawRoundedRect(r, 6, 6);
    if (m_host.isGroup()) // a stack: a second outline behind
        p->drawLine(QPointF(r.left() + 6, r.bottom() + 3), QPointF(r.right() - 6, r.bottom() + 3));
    if (!detailed)
        return;
    p->setPen(QApplication::palette().color(QPalette::Text));
    QFont f = p->font();
    f.setBold(m_host.firstSource);
    f.setItalic(m_host.unknownSource);
    p->setFont(f);
    m_label.setTextWidth(r.width() - 10);
    const QSizeF ts = m_label.size();
    if (!m_farLabel || !m_farLabel->isVisible()) // else the far label says it, legibly
        p->drawStaticText(QPointF(-std::min(ts.width(), r.width() - 10) / 2, -ts.height() / 2), m_label);
    // Badges: "X" ran a transferred file, "S" first source, "DC" domain controller.
    double bx = r.right() + kBadge / 2;
    auto badge
        = [&](const QString &letter) { bx = drawHostBadge(p, QPointF(bx, r.top() - kBadge / 2), letter).left() - 2; };
    if (m_host.executedTransferred)
        badge(QStringLiteral("X"));
    if (m_host.firstSource)
        badge(QStringLiteral("S"));
    if (m_host.domainController)
        badge(QStringLiteral("DC"));
    if (m_annotation.isValid())
        drawAnnotationBadge(
            p, QRectF(r.left() - kBadge / 2, r.bottom() - kBadge / 2, kBadge, kBadge), m_annotation, m_bookmarked);
}

void HostNodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    m_dragging = false;
    m_pressPos = pos();
    QGraphicsItem::mousePressEvent(event);
}

void HostNodeItem::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    // Screen pixels, so the threshold does not depend on the zoom. Until the pointer has gone
    // that far the node stays put: a hand's jitter during a click is not a move.
    if (!m_dragging
        && QLineF(event->screenPos(), event->buttonDownScreenPos(Qt::LeftButton)).length()
            < QApplication::startDragDistance())
        return;
    m_dragging = true;
    QGraphicsItem::mouseMoveEvent(event);
}

void HostNodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsItem::mouseReleaseEvent(event);
    const bool moved = m_dragging && pos() != m_pressPos;
    m_dragging = false;
    if (moved && onMoved)
        onMoved(this);
}

QString TransferEdgeItem::confidenceReasonsText(const GraphEdge &edge)
{
    // Why the strongest transfers score what they do (ConfidenceModel's terms, as in the
    // transfers table's confidence tooltip). File names come from the logs: the caller escapes.
    QString out;
    if (edge.strongest.empty())
        return out;
    out += edge.count > static_cast<int>(edge.strongest.size())
        ? QStringLiteral("\nwhy (the %1 most confident):").arg(edge.strongest.size())
        : QStringLiteral("\nwhy:");
    for (const EdgeTransferScore &t : edge.strongest) {
        out += QStringLiteral("\n  %1 %2 %3")
                   .arg(t.file, QString::number(t.confidence, 'f', 2),
                       QString::fromLatin1(inference::ConfidenceModel::label(t.confidence)));
        for (const std::string &why : inference::ConfidenceModel::reasons(t.roles, t.hasSource))
            out += QStringLiteral("\n    ") + QString::fromStdString(why);
    }
    return out;
}

double TransferEdgeItem::widthFor(int count)
{
    return std::min(kMaxWidth, 1.2 + 1.6 * std::log2(1.0 + count));
}

TransferEdgeItem::TransferEdgeItem(const GraphEdge &edge, const QPainterPath &path, QPointF arrowTip, QPointF arrowFrom)
    : QGraphicsPathItem(path)
    , m_edge(edge)
    , m_tip(arrowTip)
    , m_from(arrowFrom)
{
    setFlags(ItemIsSelectable);
    setZValue(1);
    setCursor(Qt::PointingHandCursor);
    m_colour = edge.methods.size() == 1 ? MethodPalette::color(edge.methods.first()) : QColor(0x44, 0x44, 0x44);
    QString tip = QStringLiteral("%1 transfer(s), %2 file(s)\nmethods: %3\nconfidence %4-%5")
                      .arg(edge.count)
                      .arg(edge.files)
                      .arg(edge.methods.join(QStringLiteral(", ")))
                      .arg(edge.minConfidence, 0, 'f', 2)
                      .arg(edge.maxConfidence, 0, 'f', 2);
    if (edge.hop)
        tip += QStringLiteral("\nhop %1: first reached its target at this depth of a chain").arg(edge.hop);
    if (edge.benign)
        tip += QStringLiteral("\n%1 of them benign-admin candidates (deployment tool)").arg(edge.benign);
    if (edge.fan)
        tip += QStringLiteral("\na deployment push folded into one edge (double-click its node to expand)");
    if (edge.reverse)
        tip += QStringLiteral("\n%1 of them the other way (both directions between these groups)").arg(edge.reverse);
    tip += confidenceReasonsText(edge);
    m_baseTip = tip;
    setToolTip(QStringLiteral("<pre>%1</pre>").arg(tip.toHtmlEscaped()));
    m_labels = placeLabels();
}

void TransferEdgeItem::setAnnotation(const QColor &color, bool bookmarked, const QString &summary)
{
    prepareGeometryChange();
    m_annotation = color;
    m_labels = placeLabels();
    m_bookmarked = bookmarked;
    QString tip = m_baseTip;
    if (color.isValid())
        tip += QStringLiteral("\nannotated: ") + summary;
    setToolTip(QStringLiteral("<pre>%1</pre>").arg(tip.toHtmlEscaped()));
    update();
}

void TransferEdgeItem::setHighlighted(bool on)
{
    m_highlighted = on;
    update();
}

void TransferEdgeItem::setDimmed(bool on)
{
    m_dimmed = on;
    update();
}

QRectF TransferEdgeItem::boundingRect() const
{
    return QGraphicsPathItem::boundingRect()
        .united(QRectF(m_tip, m_from).normalized())
        .adjusted(-20, -20, 20, 20)
        .united(m_labels.count.united(m_labels.hop).united(m_labels.annotation).adjusted(-2, -2, 2, 2));
}

QPainterPath TransferEdgeItem::shape() const
{
    QPainterPathStroker s;
    s.setWidth(std::max(8.0, widthFor(m_edge.count) + 4));
    return s.createStroke(path());
}

void TransferEdgeItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const bool selected = option->state & QStyle::State_Selected;
    p->setRenderHint(QPainter::Antialiasing);
    // Zoomed far out, edges recede (the far labels and the nodes read over them) unless picked.
    const bool far = QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform()) < kDetailScale;
    p->setOpacity(m_dimmed ? 0.2 : (far && !selected && !m_highlighted ? 0.35 : 1.0));
    const double w = widthFor(m_edge.count) + (selected || m_highlighted ? 2 : 0);
    QColor c = selected || m_highlighted ? QColor(0x00, 0x5A, 0xC8) : m_colour;
    // Only deployment-tool transfers on this edge: muted (grey, thin dots), still drawn. One
    // transfer of anything else keeps the edge in full colour.
    const bool muted = m_edge.allBenign() && !selected && !m_highlighted;
    if (muted)
        c = MethodPalette::benignAdmin();
    // A fan's edge (one push to many hosts) keeps its width: how many it reached.
    QPen pen(c, muted && !m_edge.fan ? 1.0 : w,
        muted                            ? Qt::DotLine
            : m_edge.maxConfidence < 0.5 ? Qt::DashLine
                                         : Qt::SolidLine,
        Qt::RoundCap, Qt::RoundJoin);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
    // Arrowhead at the target.
    const QLineF dir(m_from, m_tip);
    if (dir.length() > 0.1) {
        const double len = 10 + w, half = 5 + w / 2;
        QLineF unit = dir.unitVector();
        const QPointF d(unit.dx(), unit.dy());
        const QPointF n(-d.y(), d.x());
        QPolygonF head;
        head << m_tip << m_tip - d * len + n * half << m_tip - d * len - n * half;
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        p->drawPolygon(head);
    }
    // A bundle between groups carrying transfers both ways: an arrowhead at the start as well.
    if (m_edge.reverse > 0 && path().elementCount() > 1) {
        const QPointF start = path().pointAtPercent(0);
        const QLineF back(path().pointAtPercent(std::min(1.0, 12.0 / std::max(1.0, path().length()))), start);
        if (back.length() > 0.1) {
            const double len = 10 + w, half = 5 + w / 2;
            const QLineF unit = back.unitVector();
            const QPointF d(unit.dx(), unit.dy());
            const QPointF n(-d.y(), d.x());
            QPolygonF head;
            head << start << start - d * len + n * half << start - d * len - n * half;
            p->setPen(Qt::NoPen);
            p->setBrush(c);
            p->drawPolygon(head);
        }
    }
    // Level of detail: zoomed far out, no count, hop or badge labels (HostNodeItem: kDetailScale).
    if (QStyleOptionGraphicsItem::levelOfDetailFromTransform(p->worldTransform()) < kDetailScale)
        return;
    const LabelRects &lr = m_labels;
    drawEdgeCount(p, lr.count, edgeCountText(m_edge.count), c);
    if (!lr.hop.isNull())
        drawEdgeHop(p, lr.hop, edgeHopText(m_edge.hop));
    if (!lr.annotation.isNull())
        drawAnnotationBadge(p, lr.annotation, m_annotation, m_bookmarked);
}

TransferEdgeItem::LabelRects TransferEdgeItem::placeLabels() const
{
    LabelRects out;
    const QPainterPath &pp = path();
    out.count = edgeCountRect(pp.pointAtPercent(0.5), edgeCountText(m_edge.count), edgeLabelFont(false));
    // Along the edge when there is room, else right beside the count (never on it).
    auto place = [&](const QRectF &shape, double from, double to, bool before) {
        for (int k = 0; k <= 8; ++k) {
            const double t = from + (to - from) * k / 8;
            QRectF r = shape;
            r.moveCenter(pp.pointAtPercent(t));
            if (!r.intersects(out.count.adjusted(-2, -2, 2, 2)) && !r.intersects(out.hop))
                return r;
        }
        QRectF r = shape;
        r.moveCenter(out.count.center());
        r.moveLeft(before ? out.count.left() - 3 - r.width() : out.count.right() + 3);
        return r;
    };
    // A short edge has room for its count only: the hop stays in the tooltip.
    const QRectF hopShape = edgeHopRect({}, edgeHopText(m_edge.hop), edgeLabelFont(true));
    if (m_edge.hop > 0 && pp.length() >= out.count.width() + hopShape.width() + 60)
        out.hop = place(hopShape, 0.4, 0.15, true);
    if (m_annotation.isValid())
        out.annotation = place(QRectF(0, 0, 16, 16), 0.6, 0.85, false);
    return out;
}

} // namespace tt
