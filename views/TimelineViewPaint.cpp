// TimelineView: painting (TimelineViewParts.h lists the parts).

#include "TimelineView.h"

#include "TimelineViewParts.h"

#include "AnnotationActions.h"
#include "MethodPalette.h"
#include "items/TimeFormat.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace tt {

using namespace timeline;

// ---- painting ----------------------------------------------------------------------------------

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    p.fillRect(m_layout.header, pal.window());
    const QFontMetricsF fm(font());
    const TimelineData &d = *m_data;
    const Layout &L = m_layout;

    // Header: the visible window and what is in it. Plain text only.
    QString head;
    if (m_scale.isValid()) {
        const QLocale loc;
        head = tr("%1  to  %2 %3   %4 events, %5 transfers")
                   .arg(formatTime(m_scale.fromUs()), formatTime(m_scale.toUs()), displayTimeZoneName(),
                       loc.toString(static_cast<qlonglong>(d.eventsInWindow)),
                       loc.toString(static_cast<qlonglong>(d.markers.size())));
    }
    double headRight = width() - 4;
    for (const QToolButton *b : {m_lanesButton, m_fitButton, m_clearButton})
        if (!b->isHidden())
            headRight = std::min<double>(headRight, b->geometry().left() - 4);
    p.setPen(pal.color(QPalette::WindowText));
    const QRectF headText(6, 0, std::max(0.0, headRight - 6), L.header.height());
    p.drawText(headText, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(head, Qt::ElideRight, headText.width()));

    if (m_casePath.isEmpty() || !m_error.isEmpty() || !m_scale.isValid()) {
        QString msg = m_casePath.isEmpty() ? tr("No case open")
            : !m_error.isEmpty()           ? tr("Timeline unavailable: %1").arg(m_error)
            : isLoading()                  ? tr("Loading timeline...")
                                           : tr("No timed events in this case");
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(
            rect().adjusted(0, static_cast<int>(L.header.height()), 0, 0), Qt::AlignCenter | Qt::TextWordWrap, msg);
        return;
    }

    const QSet<qint64> selTransfers = m_selection
        ? QSet<qint64>(m_selection->current().transfers.begin(), m_selection->current().transfers.end())
        : QSet<qint64>();
    const QSet<qint64> selHosts = m_selection
        ? QSet<qint64>(m_selection->current().hosts.begin(), m_selection->current().hosts.end())
        : QSet<qint64>();
    const std::vector<TimeScale::Tick> ticks
        = m_scale.ticks(std::max(70.0, fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + 16),
            displayZoneOffsetUs((m_scale.fromUs() + m_scale.toUs()) / 2));

    // Grid.
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(60);
    for (const TimeScale::Tick &t : ticks) {
        p.setPen(QPen(grid, t.major ? 1.5 : 1));
        const double x = L.plot.left() + t.x;
        p.drawLine(QPointF(x, L.plot.top()), QPointF(x, L.strip.bottom()));
    }

    // Density bars, neutral: colour is kept for methods (markers) and the selection (highlight).
    const QColor bar = pal.color(QPalette::Text);
    const int64_t maxCount = d.maxCount();
    if (L.lanes.empty()) {
        QColor c = bar;
        c.setAlpha(90);
        for (const QRectF &r : barRects(d.counts, d, m_scale, L.plot, maxCount))
            p.fillRect(r, c);
        if (maxCount > 0) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(L.plot.adjusted(4, 2, -4, 0), Qt::AlignTop | Qt::AlignLeft,
                tr("max %1 / %2")
                    .arg(QLocale().toString(static_cast<qlonglong>(maxCount)), TimeScale::durationLabel(d.binUs)));
        }
    } else {
        // Lanes scroll: only what is inside the plot's rows is drawn (labels included).
        p.save();
        p.setClipRect(QRectF(0, L.plot.top(), width(), L.plot.height()));
        for (size_t i = 0; i < L.lanes.size(); ++i) {
            const QRectF lane = L.lanes[i];
            if (lane.bottom() < L.plot.top() || lane.top() > L.plot.bottom())
                continue;
            const TimelineLane &ld = d.lanes[i];
            if (selHosts.contains(ld.hostId))
                p.fillRect(lane, pal.color(QPalette::Highlight).lighter(185));
            else if (i % 2)
                p.fillRect(lane, pal.alternateBase());
            QColor c = bar;
            c.setAlpha(90);
            const QRectF area(L.plot.left(), lane.top() + 1, L.plot.width(), lane.height() - 1);
            for (const QRectF &r : barRects(ld.counts, d, m_scale, area, maxCount))
                p.fillRect(r, c);
            p.setPen(pal.color(QPalette::Text));
            const QRectF label(4, lane.top(), L.labelWidth - 8, lane.height());
            p.drawText(label, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(ld.name, Qt::ElideMiddle, label.width()));
        }
        p.restore();
    }
    // An empty window says why rather than showing a blank plot.
    if (d.eventsInWindow == 0 && d.markers.empty()) {
        const bool hostFilter = m_filter && !m_filter->current().hosts.isEmpty();
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(L.plot, Qt::AlignCenter | Qt::TextWordWrap,
            hostFilter ? tr("No events of the filtered hosts in this window (zoom out with Home, or remove the host "
                            "pivot)")
                       : tr("No events in this window (zoom out with Home)"));
    }

    // The filter's time window: everything outside it is dimmed.
    if (m_filter && m_filter->current().hasTimeWindow()) {
        const FilterState &f = m_filter->current();
        QColor dim = pal.color(QPalette::Shadow);
        dim.setAlpha(45);
        const double top = L.plot.top(), bottom = L.strip.bottom();
        const double wl = f.fromUs ? std::clamp(plotX(f.fromUs), L.plot.left(), L.plot.right()) : L.plot.left();
        const double wr = f.toUs ? std::clamp(plotX(f.toUs), L.plot.left(), L.plot.right()) : L.plot.right();
        p.fillRect(QRectF(QPointF(L.plot.left(), top), QPointF(wl, bottom)), dim);
        p.fillRect(QRectF(QPointF(wr, top), QPointF(L.plot.right(), bottom)), dim);
        p.setPen(QPen(pal.color(QPalette::Highlight), 1.5));
        if (f.fromUs && wl > L.plot.left())
            p.drawLine(QPointF(wl, top), QPointF(wl, bottom));
        if (f.toUs && wr < L.plot.right())
            p.drawLine(QPointF(wr, top), QPointF(wr, bottom));
    }

    // Markers: in lane mode a connector from the source lane to the destination lane.
    p.setRenderHint(QPainter::Antialiasing, true);
    QHash<qint64, double> laneCentre;
    for (size_t i = 0; i < L.lanes.size(); ++i) // lanes scrolled out of view have no connector end
        if (L.plot.contains(QPointF(L.plot.left(), L.lanes[i].center().y())))
            laneCentre.insert(d.lanes[i].hostId, L.lanes[i].center().y());
    std::vector<const Layout::Marker *> order;
    for (const Layout::Marker &m : L.markers)
        order.push_back(&m);
    std::stable_partition(order.begin(), order.end(),
        [&](const Layout::Marker *m) { return !selTransfers.contains(d.markers[m->index].id); });
    for (const Layout::Marker *lm : order) {
        const TimelineMarker &m = d.markers[lm->index];
        const bool selected = selTransfers.contains(m.id);
        QColor c = MethodPalette::color(m.method);
        if (!m.inWindow)
            c.setAlpha(70);
        const double x = lm->hit.center().x();
        if (selected) {
            p.setPen(QPen(pal.color(QPalette::Highlight), 2));
            p.drawLine(QPointF(x, L.plot.top()), QPointF(x, L.strip.bottom()));
        }
        if (!L.lanes.empty() && laneCentre.contains(m.dst)) {
            const double yd = laneCentre.value(m.dst);
            const double ys = laneCentre.value(m.src, L.plot.top());
            p.setPen(QPen(c, selected ? 2 : 1.2));
            p.drawLine(QPointF(x, ys), QPointF(x, yd));
            p.setBrush(c);
            p.drawEllipse(QPointF(x, yd), 3, 3);
        }
        QPainterPath tri;
        const QRectF r = lm->hit.adjusted(1, 1, -1, -1);
        tri.moveTo(r.left(), r.top());
        tri.lineTo(r.right(), r.top());
        tri.lineTo(r.center().x(), r.bottom());
        tri.closeSubpath();
        // Low confidence markers are hollow (the graph dashes them).
        p.setBrush(m.confidence >= 0.5 ? QBrush(c) : QBrush(pal.color(QPalette::Base)));
        p.setPen(QPen(selected ? pal.color(QPalette::Text) : c, selected ? 2 : 1.2));
        p.drawPath(tri);
        if (m_annotations && !m.key.isEmpty()) {
            const QColor ac = m_annotations->badgeColor(store::TargetKind::Transfer, m.key);
            if (ac.isValid()) { // annotated: a dot in the annotation colour under the marker
                p.setPen(QPen(pal.color(QPalette::Base), 1));
                p.setBrush(ac);
                p.drawEllipse(QPointF(r.center().x(), r.bottom() + 4), 3.5, 3.5);
            }
        }
    }
    p.setRenderHint(QPainter::Antialiasing, false);

    // A brush being dragged.
    if (m_drag == Drag::Brush && std::abs(m_dragX - m_pressX) >= 1) {
        QColor c = pal.color(QPalette::Highlight);
        c.setAlpha(60);
        const double l = std::clamp(std::min(m_pressX, m_dragX), L.plot.left(), L.plot.right());
        const double r = std::clamp(std::max(m_pressX, m_dragX), L.plot.left(), L.plot.right());
        p.fillRect(QRectF(QPointF(l, L.plot.top()), QPointF(r, L.strip.bottom())), c);
    }

    // Axis.
    p.setPen(pal.color(QPalette::Text));
    p.drawLine(QPointF(L.axis.left(), L.axis.top()), QPointF(L.axis.right(), L.axis.top()));
    double lastRight = -1e300;
    for (const TimeScale::Tick &t : ticks) {
        const double x = L.axis.left() + t.x;
        p.drawLine(QPointF(x, L.axis.top()), QPointF(x, L.axis.top() + 4));
        QFont f = font();
        f.setBold(t.major);
        p.setFont(f);
        const double w = QFontMetricsF(f).horizontalAdvance(t.label);
        const double lx = std::clamp(x - w / 2, L.axis.left(), L.axis.right() - w);
        if (lx <= lastRight + 4)
            continue;
        p.drawText(QRectF(lx, L.axis.top() + 4, w + 1, L.axis.height() - 4), Qt::AlignLeft | Qt::AlignTop, t.label);
        lastRight = lx + w;
    }
    p.setFont(font());
    if (hasFocus()) {
        QColor fc = pal.color(QPalette::Highlight);
        fc.setAlpha(120);
        p.setPen(fc);
        p.setBrush(Qt::NoBrush);
        p.drawRect(rect().adjusted(0, 0, -1, -1));
    }
}

} // namespace tt
