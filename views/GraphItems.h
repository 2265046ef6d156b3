#pragma once

#include "query/GraphQuery.h"

#include <QFont>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QStaticText>

#include <functional>

namespace tt {

// Drawing shared by the graph items and the legend, so the legend shows exactly what the graph
// draws. Each returns the rectangle it painted.
QColor hostBadgeColor(const QString &letter); // "S", "X", "DC"
QRectF drawHostBadge(QPainter *p, QPointF rightTop, const QString &letter);
void drawAnnotationBadge(QPainter *p, const QRectF &b, const QColor &c, bool bookmarked);
// The count of transfers on an edge ("×3") in a pill centred on `at`.
QString edgeCountText(int count);
QRectF edgeCountRect(QPointF at, const QString &text, const QFont &font);
void drawEdgeCount(QPainter *p, const QRectF &rect, const QString &text, const QColor &edgeColour);
// The hop depth ("hop 2"): small grey italics on a plain tag, so it does not read as a count.
QString edgeHopText(int hop);
QRectF edgeHopRect(QPointF at, const QString &text, const QFont &font);
void drawEdgeHop(QPainter *p, const QRectF &rect, const QString &text);
QFont edgeLabelFont(bool small);
// The fill of a deployment fan node (one push to many hosts, GraphAggregation.h): the benign grey.
QColor fanNodeFill();
// Below this view scale, node labels, edge counts and badges are not drawn (text would be under
// ~3 px); groups and the busiest hosts show their far label instead (HostNodeItem::farLabel).
double graphDetailScale();
// Below this view scale a node's own label is under ~8 px: groups and the busiest hosts show their
// far label instead (and do not draw their own).
double graphFarLabelScale();

// The label a node keeps when zoomed far out: the same plain text at a constant screen size
// (ItemIgnoresTransformations) on a light backing, a child of its node. Hidden until the view
// shows it (TransferGraphView::updateLevelOfDetail); it takes no mouse buttons.
class FarLabelItem : public QGraphicsItem {
public:
    FarLabelItem(const QString &text, bool emphasised, QGraphicsItem *parent);
    QRectF boundingRect() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    QString text() const { return m_label.text(); }

private:
    QStaticText m_label;
    QFont m_font;
    QRectF m_rect;
    bool m_emphasised;
};

// A host in the transfer graph. The label is drawn as plain text (QStaticText in PlainText
// format): host names come from logs and are never interpreted as markup.
class HostNodeItem : public QGraphicsItem {
public:
    HostNodeItem(const GraphHost &host, QSizeF size);
    QRectF boundingRect() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    const GraphHost &host() const { return m_host; }
    void setHighlighted(bool on);
    void setDimmed(bool on);
    // The analyst's annotation: a badge in its colour (star when bookmarked) at the lower left,
    // the summary in the tooltip. An invalid colour removes it.
    void setAnnotation(const QColor &color, bool bookmarked, const QString &summary);
    bool hasAnnotationBadge() const { return m_annotation.isValid(); }
    bool isHighlighted() const { return m_highlighted; }
    bool isDimmed() const { return m_dimmed; }
    std::function<void(HostNodeItem *)> onMoved; // after the analyst dragged it (pins it)
    // Level of detail: a group (and, by the scene's choice, one of the busiest hosts) keeps a far
    // label; `priority` orders them when they would overlap (higher first).
    void setFarLabel(bool on, double priority);
    FarLabelItem *farLabel() const { return m_farLabel; }
    double farLabelPriority() const { return m_farPriority; }

protected:
    // A click selects; only a drag past QApplication::startDragDistance moves (and pins).
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;

private:
    GraphHost m_host;
    QSizeF m_size;
    QStaticText m_label;
    bool m_highlighted = false;
    bool m_dimmed = false;
    bool m_dragging = false; // the press has moved past the drag distance
    QPointF m_pressPos; // pos() at the press
    QString m_baseTip;
    QColor m_annotation;
    bool m_bookmarked = false;
    FarLabelItem *m_farLabel = nullptr;
    double m_farPriority = 0;
};

// A host-to-host edge: width by transfer count, colour by method, dashed when every transfer
// on it is low confidence, arrowhead for direction, hop number along the earliest chain.
class TransferEdgeItem : public QGraphicsPathItem {
public:
    TransferEdgeItem(const GraphEdge &edge, const QPainterPath &path, QPointF arrowTip, QPointF arrowFrom);
    const GraphEdge &edge() const { return m_edge; }
    // "why" lines of the tooltip: the strongest transfers' confidence terms (unescaped).
    static QString confidenceReasonsText(const GraphEdge &edge);
    void setHighlighted(bool on);
    void setDimmed(bool on);
    // Where the labels go (item coordinates): the count at the middle, the hop depth before it
    // and the annotation badge after it, never on top of one another.
    struct LabelRects {
        QRectF count, hop, annotation; // null when not drawn
    };
    const LabelRects &labelRects() const { return m_labels; }
    // Some transfer on this edge is annotated: a badge in its colour beside the count.
    void setAnnotation(const QColor &color, bool bookmarked, const QString &summary);
    bool hasAnnotationBadge() const { return m_annotation.isValid(); }
    bool isHighlighted() const { return m_highlighted; }
    bool isDimmed() const { return m_dimmed; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    static double widthFor(int count); // grows with log2 of the count, capped at kMaxWidth
    static constexpr double kMaxWidth = 9;

private:
    GraphEdge m_edge;
    QPointF m_tip;
    QPointF m_from;
    QColor m_colour;
    bool m_highlighted = false;
    bool m_dimmed = false;
    QString m_baseTip;
    QColor m_annotation;
    bool m_bookmarked = false;
    LabelRects m_labels;
    LabelRects placeLabels() const;
};

} // namespace tt
