// TimelineView: layout of the plot, the lanes and the marker rows (TimelineViewParts.h lists the parts).

#include "TimelineView.h"

#include "TimelineViewParts.h"

#include <QFontMetricsF>
#include <QScrollBar>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace tt {

using namespace timeline;

double TimelineView::minimumLaneHeight() const
{
    return std::ceil(QFontMetricsF(font()).height()) + 6;
}

bool TimelineView::scrollToLane(qint64 hostId)
{
    for (size_t i = 0; i < m_data->lanes.size() && i < m_layout.lanes.size(); ++i) {
        if (m_data->lanes[i].hostId != hostId)
            continue;
        const QRectF lane = m_layout.lanes[i];
        int v = m_laneScroll;
        if (lane.top() < m_layout.plot.top())
            v -= static_cast<int>(std::ceil(m_layout.plot.top() - lane.top()));
        else if (lane.bottom() > m_layout.plot.bottom())
            v += static_cast<int>(std::ceil(lane.bottom() - m_layout.plot.bottom()));
        m_laneBar->setValue(v); // clamped to the bar's range; relayout() follows
        return true;
    }
    return false;
}

// ---- layout ------------------------------------------------------------------------------------

void TimelineView::relayout()
{
    m_layout = computeLayout();
    const int scrollMax = static_cast<int>(std::ceil(m_layout.laneScrollMax));
    if (m_laneScroll > scrollMax) { // fewer lanes or a taller view: scroll back into range
        m_laneScroll = scrollMax;
        m_layout = computeLayout();
    }
    {
        const QSignalBlocker block(m_laneBar);
        m_laneBar->setRange(0, scrollMax);
        m_laneBar->setPageStep(std::max(1, static_cast<int>(m_layout.plot.height())));
        m_laneBar->setSingleStep(std::max(1, static_cast<int>(minimumLaneHeight())));
        m_laneBar->setValue(m_laneScroll);
    }
    m_laneBar->setVisible(!m_layout.laneBar.isEmpty());
    if (!m_layout.laneBar.isEmpty())
        m_laneBar->setGeometry(m_layout.laneBar.toAlignedRect());
    // Buttons sit at the right of the header row.
    int x = width() - 4;
    for (QToolButton *b : {m_clearButton, m_fitButton, m_lanesButton}) {
        if (b->isHidden())
            continue;
        const QSize sz = b->sizeHint();
        x -= sz.width();
        b->setGeometry(x, 2, sz.width(), sz.height());
        x -= 2;
    }
    const double w = m_layout.plot.width();
    if (m_scale.isValid() && w > 0 && m_scale.width() != w) {
        m_scale = m_scale.withWidth(w);
        scheduleQuery(kWheelDebounceMs); // the number of bins follows the width
    }
}

TimelineView::Layout TimelineView::computeLayout() const
{
    Layout L;
    const QFontMetricsF fm(font());
    const double headerH = std::max<double>(m_lanesButton->sizeHint().height(), fm.height() + 6) + 4;
    const double axisH = fm.height() + 10;
    const bool lanes = m_perHost && !m_data->lanes.empty();
    if (lanes) {
        double w = 0;
        for (const TimelineLane &lane : m_data->lanes)
            w = std::max(w, fm.horizontalAdvance(lane.name));
        L.labelWidth = std::clamp(w + 12, 40.0, kMaxLabelWidth);
    }
    const double left = L.labelWidth + 2;
    // Lanes of at least minimumLaneHeight() (a host name fits) that do not fit scroll: the bar
    // takes its width from the plot. The plot's height does not depend on the bar, only on the
    // marker rows, which depend on the width: one pass with the bar's width decided first.
    const double laneH0 = minimumLaneHeight();
    const double barW = m_laneBar->sizeHint().width();
    const double plotH0 = height() - std::max<double>(m_lanesButton->sizeHint().height(), fm.height() + 6) - 4
        - (kMaxMarkerRows * kMarkerRowH + 6) - (fm.height() + 10); // the smallest plot the strip leaves
    const bool scrolls = lanes && laneH0 * static_cast<double>(m_data->lanes.size()) > std::max(10.0, plotH0);
    const double plotW = std::max(1.0, width() - left - 4 - (scrolls ? barW : 0));
    const TimeScale s = m_scale.withWidth(plotW);

    // Markers share a strip under the bars; overlapping ones stack in up to three rows.
    struct Placed {
        size_t index;
        double x;
        int row;
    };
    std::vector<Placed> placed;
    double rowEnd[kMaxMarkerRows];
    std::fill(std::begin(rowEnd), std::end(rowEnd), -1e300);
    int rows = 1;
    if (s.isValid()) {
        for (size_t i = 0; i < m_data->markers.size(); ++i) {
            const double x = left + s.toPixel(m_data->markers[i].firstTs);
            if (x < left - kMarkerW / 2 || x > left + plotW + kMarkerW / 2)
                continue;
            int row = 0;
            while (row < kMaxMarkerRows && x - rowEnd[row] < kMarkerW)
                ++row;
            if (row == kMaxMarkerRows) // all rows busy here: overlap in the least crowded one
                row = static_cast<int>(std::min_element(std::begin(rowEnd), std::end(rowEnd)) - std::begin(rowEnd));
            rowEnd[row] = x;
            rows = std::max(rows, row + 1);
            placed.push_back({i, x, row});
        }
    }
    const double stripH = rows * kMarkerRowH + 6;
    const double plotH = std::max(10.0, height() - headerH - stripH - axisH);
    L.header = QRectF(0, 0, width(), headerH);
    L.plot = QRectF(left, headerH, plotW, plotH);
    L.strip = QRectF(left, L.plot.bottom(), plotW, stripH);
    L.axis = QRectF(left, L.strip.bottom(), plotW, axisH);
    if (lanes) {
        const double n = static_cast<double>(m_data->lanes.size());
        const double laneH = std::max(laneH0, plotH / n);
        L.laneScrollMax = std::max(0.0, laneH * n - plotH);
        const double scroll = std::min<double>(m_laneScroll, L.laneScrollMax);
        for (size_t i = 0; i < m_data->lanes.size(); ++i)
            L.lanes.emplace_back(0, L.plot.top() + laneH * static_cast<double>(i) - scroll, left + plotW, laneH);
        if (scrolls || L.laneScrollMax > 0)
            L.laneBar = QRectF(left + plotW + 2, L.plot.top(), barW, plotH);
    }
    for (const Placed &p : placed)
        L.markers.push_back(
            {p.index, QRectF(p.x - kMarkerW / 2, L.strip.top() + 3 + p.row * kMarkerRowH, kMarkerW, kMarkerRowH)});
    return L;
}

const TimelineView::Layout::Marker *TimelineView::markerAt(const QPointF &p) const
{
    // Last drawn wins (selected markers are drawn last, so the visible one is picked).
    const Layout::Marker *best = nullptr;
    for (const Layout::Marker &m : m_layout.markers)
        if (m.hit.adjusted(-1, -1, 1, 1).contains(p))
            best = &m;
    return best;
}

} // namespace tt
