#pragma once

#include "query/GraphQuery.h"

#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QStaticText>

#include <functional>

namespace tt {

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
};

// A host-to-host edge: width by transfer count, colour by method, dashed when every transfer
// on it is low confidence, arrowhead for direction, hop number along the earliest chain.
class TransferEdgeItem : public QGraphicsPathItem {
public:
    TransferEdgeItem(const GraphEdge &edge, const QPainterPath &path, QPointF arrowTip, QPointF arrowFrom);
    const GraphEdge &edge() const { return m_edge; }
    void setHighlighted(bool on);
    void setDimmed(bool on);
    // Some transfer on this edge is annotated: a badge in its colour beside the hop number.
    void setAnnotation(const QColor &color, bool bookmarked, const QString &summary);
    bool hasAnnotationBadge() const { return m_annotation.isValid(); }
    bool isHighlighted() const { return m_highlighted; }
    bool isDimmed() const { return m_dimmed; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *widget) override;
    static double widthFor(int count);

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
};

} // namespace tt
