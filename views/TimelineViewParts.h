#pragma once

// What the parts of TimelineView share: sizes, delays and small helpers. The class is split by
// responsibility: TimelineView.cpp (queries, linked state, the time window), TimelineViewLanes.cpp
// (layout: plot, lanes, marker rows), TimelineViewPaint.cpp (painting), TimelineViewInput.cpp
// (brushing, panning, zooming, tooltips, context menus).

#include "query/TimelineQuery.h"
#include "workbench/TimeScale.h"

#include <QRectF>
#include <QString>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tt::timeline {
inline constexpr double kPxPerBin = 3; // bar width: fine enough to see bursts, wide enough to see bars
inline constexpr double kMarkerW = 10;
inline constexpr double kMarkerRowH = 10;
inline constexpr int kMaxMarkerRows = 3;
inline constexpr double kBrushMinPx = 3; // a shorter left drag is a click
inline constexpr int kWheelDebounceMs = 40; // coalesces a burst of wheel / drag steps into one query
inline constexpr double kMaxLabelWidth = 170; // lane labels: longer host names are elided in the middle

inline int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

// Bars of one histogram in `area`: x from the bin's times through the scale, height linear in
// the count (at least one pixel, so that a single event in a busy case stays visible).
inline std::vector<QRectF> barRects(
    const std::vector<int64_t> &counts, const TimelineData &d, const TimeScale &s, const QRectF &area, int64_t maxCount)
{
    std::vector<QRectF> out;
    if (maxCount <= 0 || !s.isValid())
        return out;
    const double h = std::max(1.0, area.height() - 2);
    for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] <= 0)
            continue;
        const int64_t t0 = d.binStartUs(static_cast<int>(i));
        double x0 = area.left() + s.toPixel(t0);
        double x1 = area.left() + s.toPixel(t0 + d.binUs);
        if (x1 < area.left() || x0 > area.right())
            continue;
        x0 = std::max(x0, area.left());
        x1 = std::min(x1, area.right());
        const double bh = std::max(1.0, h * static_cast<double>(counts[i]) / static_cast<double>(maxCount));
        out.emplace_back(x0, area.bottom() - bh, std::max(1.0, x1 - x0 - (x1 - x0 > 2 ? 1 : 0)), bh);
    }
    return out;
}

inline QString plainToolTip(const QString &text)
{
    // QToolTip guesses rich text; log-derived text is escaped and the markup chosen here.
    return QStringLiteral("<p style='white-space:pre'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}
} // namespace tt::timeline
