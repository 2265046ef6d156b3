// TimelineView: input: brushing, panning, zooming, tooltips, context menus (TimelineViewParts.h lists the parts).

#include "TimelineView.h"

#include "TimelineViewParts.h"

#include "AnnotationActions.h"
#include "MethodPalette.h"
#include "PivotActions.h"
#include "items/TimeFormat.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace tt {

using namespace timeline;

QMenu *TimelineView::contextMenuForMarker(qint64 transferId, QWidget *parent)
{
    if (!m_data)
        return nullptr;
    const TimelineMarker *found = nullptr;
    for (const TimelineMarker &m : m_data->markers)
        if (m.id == transferId)
            found = &m;
    if (!found)
        return nullptr;
    const TimelineMarker m = *found;
    auto *menu = new QMenu(parent);
    QAction *sel = menu->addAction(tr("Select this transfer"), this, [this, id = m.id] {
        if (!m_selection)
            return;
        SelectedEntities s;
        s.kind = SelectedEntities::Kind::Transfer;
        s.transfers = {id};
        m_selection->select(s);
    });
    sel->setObjectName(QStringLiteral("selectTransfer"));
    menu->addSeparator();
    PivotTarget t;
    if (m.src > 0)
        t.hosts.append({m.src, m_data->hostNames.value(m.src)});
    t.hosts.append({m.dst, m_data->hostNames.value(m.dst)});
    t.accountId = m.accountId;
    t.account = m.account;
    t.parentImages = m.parentImages;
    t.method = m.method;
    t.fileName = m.fileName;
    t.ts = m.firstTs;
    if (m_filter)
        addPivotActions(menu, t, m_filter);
    if (m_annotations && !m.key.isEmpty()) {
        const QString src = m.src > 0 ? m_data->hostNames.value(m.src) : m.unknownSource;
        addAnnotationActions(menu, m_annotations,
            {AnnotationRef {store::TargetKind::Transfer, m.key,
                tr("%1 -> %2: %3").arg(src, m_data->hostNames.value(m.dst), m.fileName)}},
            this);
    }
    return menu;
}

void TimelineView::setAnnotations(AnnotationController *annotations)
{
    m_annotations = annotations;
    if (annotations)
        connect(annotations, &AnnotationController::changed, this, qOverload<>(&QWidget::update));
    update();
}

QString TimelineView::markerToolTip(const TimelineMarker &m) const
{
    const QString src = m.src < 0 ? m.unknownSource : m_data->hostNames.value(m.src, QString::number(m.src));
    const QString dst = m_data->hostNames.value(m.dst, QString::number(m.dst));
    // One multi-arg call: a host name holding "%5" is never substituted again.
    QString t = tr("%1 -> %2\n%3\n%4 %5\nconfidence %6")
                    .arg(src, dst, MethodPalette::label(m.method), formatTime(m.firstTs), displayTimeZoneName(),
                        QString::number(m.confidence, 'f', 2));
    if (!m.inWindow)
        t += tr("\n(outside the time window)");
    return t;
}

// ---- input -------------------------------------------------------------------------------------

bool TimelineView::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *he = static_cast<QHelpEvent *>(e);
        const QPointF pos = he->pos();
        QString text;
        if (const Layout::Marker *m = markerAt(pos)) {
            text = markerToolTip(m_data->markers[m->index]);
        } else if (m_scale.isValid() && m_layout.plot.contains(pos) && m_data->binUs > 0) {
            const int64_t t = m_scale.toTime(pos.x() - m_layout.plot.left());
            const int64_t bin = floorDiv(t - m_data->binFromUs, m_data->binUs);
            int64_t n = 0;
            if (bin >= 0 && bin < m_data->bins()) {
                size_t lane = m_layout.lanes.size();
                for (size_t i = 0; i < m_layout.lanes.size(); ++i)
                    if (m_layout.lanes[i].contains(pos))
                        lane = i;
                n = lane < m_data->lanes.size() ? m_data->lanes[lane].counts[static_cast<size_t>(bin)]
                                                : m_data->counts[static_cast<size_t>(bin)];
                const int64_t t0 = m_data->binStartUs(static_cast<int>(bin));
                text = tr("%1 %2\n%3 events in %4")
                           .arg(formatTime(t0), displayTimeZoneName(), QLocale().toString(static_cast<qlonglong>(n)),
                               TimeScale::durationLabel(m_data->binUs));
                if (lane < m_data->lanes.size())
                    text = m_data->lanes[lane].name + QLatin1Char('\n') + text;
            }
        }
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(he->globalPos(), plainToolTip(text), this);
        return true;
    }
    return QWidget::event(e);
}

void TimelineView::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    relayout();
}

void TimelineView::wheelEvent(QWheelEvent *e)
{
    if (!m_scale.isValid()) {
        e->ignore();
        return;
    }
    const QPoint delta = e->angleDelta();
    if (m_laneBar->isVisible() && e->position().x() < m_layout.plot.left() && delta.y() != 0) {
        m_laneBar->setValue(m_laneBar->value() - delta.y() / 120 * m_laneBar->singleStep() * 3);
        e->accept();
        return;
    }
    const double x = std::clamp(e->position().x() - m_layout.plot.left(), 0.0, m_layout.plot.width());
    if (delta.x() != 0 || (e->modifiers() & Qt::ShiftModifier)) {
        const int d = delta.x() != 0 ? delta.x() : delta.y();
        setScale(m_scale.panned(d / 120.0 * m_layout.plot.width() / 10));
    } else if (delta.y() != 0) {
        setScale(m_scale.zoomed(x, std::pow(2.0, delta.y() / 480.0))); // one notch: x 1.19
    }
    e->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *e)
{
    const QPointF pos = e->position();
    m_pressX = m_dragX = pos.x();
    m_pressScale = m_scale;
    const bool inPlot = pos.y() >= m_layout.plot.top() && pos.y() <= m_layout.strip.bottom()
        && pos.x() >= m_layout.plot.left() - kMarkerW / 2 && pos.x() <= m_layout.plot.right() + kMarkerW / 2;
    if (!m_scale.isValid() || !inPlot) {
        m_drag = Drag::None;
        QWidget::mousePressEvent(e);
        return;
    }
    const bool panButton = e->button() == Qt::MiddleButton || e->button() == Qt::RightButton
        || (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier));
    if (panButton) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else if (e->button() == Qt::LeftButton) {
        if (const Layout::Marker *m = markerAt(pos)) {
            m_drag = Drag::Marker;
            m_pressMarker = m_data->markers[m->index].id;
        } else {
            m_drag = Drag::Brush;
        }
    }
    e->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent *e)
{
    m_dragX = e->position().x();
    switch (m_drag) {
    case Drag::Pan:
        setScale(m_pressScale.panned(m_dragX - m_pressX));
        break;
    case Drag::Marker: // dragging off a marker turns the press into a brush
        if (std::abs(m_dragX - m_pressX) >= kBrushMinPx)
            m_drag = Drag::Brush;
        update();
        break;
    case Drag::Brush:
        update();
        break;
    case Drag::None:
        break;
    }
    e->accept();
}

void TimelineView::mouseReleaseEvent(QMouseEvent *e)
{
    m_dragX = e->position().x();
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    if (drag == Drag::Pan && e->button() == Qt::RightButton && std::abs(m_dragX - m_pressX) < kBrushMinPx) {
        if (const Layout::Marker *m = markerAt(e->position())) {
            setScale(m_pressScale); // undo the sub-threshold pan
            std::unique_ptr<QMenu> menu(contextMenuForMarker(m_data->markers[m->index].id, this));
            if (menu)
                menu->exec(e->globalPosition().toPoint());
        }
    } else if (drag == Drag::Brush && std::abs(m_dragX - m_pressX) >= kBrushMinPx) {
        applyBrush(m_pressX, m_dragX);
    } else if (drag == Drag::Marker && m_selection) {
        const Layout::Marker *m = markerAt(e->position());
        if (m && m_data->markers[m->index].id == m_pressMarker) {
            const TimelineMarker &tm = m_data->markers[m->index];
            SelectedEntities s;
            s.kind = SelectedEntities::Kind::Transfer;
            s.transfers = {tm.id};
            m_selection->select(s);
        }
    }
    update();
    e->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *e)
{
    const double w = m_layout.plot.width();
    if (e->modifiers() & (Qt::AltModifier | Qt::ControlModifier)) { // Alt+Left / Alt+Right: filter history
        QWidget::keyPressEvent(e);
        return;
    }
    switch (e->key()) {
    case Qt::Key_Escape:
        if (m_drag != Drag::None) {
            m_drag = Drag::None;
            unsetCursor();
            update();
        } else {
            clearWindow();
        }
        break;
    case Qt::Key_Left:
        setScale(m_scale.panned(w / 8));
        break;
    case Qt::Key_Right:
        setScale(m_scale.panned(-w / 8));
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        setScale(m_scale.zoomed(w / 2, 1.5));
        break;
    case Qt::Key_Minus:
        setScale(m_scale.zoomed(w / 2, 1 / 1.5));
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        fitAll();
        break;
    case Qt::Key_PageUp:
        m_laneBar->setValue(m_laneBar->value() - m_laneBar->pageStep());
        break;
    case Qt::Key_PageDown:
        m_laneBar->setValue(m_laneBar->value() + m_laneBar->pageStep());
        break;
    default:
        QWidget::keyPressEvent(e);
        return;
    }
    e->accept();
}

} // namespace tt
