#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace tt {

// Maps the visible time window [fromUs, toUs] (UTC microseconds) to pixels [0, width] and back,
// zooms and pans within limits, and generates "nice" UTC axis ticks. A value type: all the
// timeline's time <-> pixel maths lives here (STYLE.md: pure maths out of paint(), unit-tested).
class TimeScale {
public:
    static constexpr int64_t kSecondUs = 1000000;
    static constexpr int64_t kMinSpanUs = kSecondUs; // zooming in stops at one second
    // Every time the scale handles is clamped to 1601-01-01 (the Windows FILETIME epoch) ..
    // 9999-12-31 UTC: a crafted or corrupt timestamp (events.ts = INT64_MIN) lands at an edge, and
    // differences of two times stay far from int64 overflow.
    static constexpr int64_t kEarliestUs = -11644473600LL * kSecondUs;
    static constexpr int64_t kLatestUs = 253402300799LL * kSecondUs;
    static int64_t clampTime(int64_t us) { return us < kEarliestUs ? kEarliestUs : us > kLatestUs ? kLatestUs : us; }

    TimeScale() = default;
    TimeScale(int64_t fromUs, int64_t toUs, double width);

    int64_t fromUs() const { return m_from; }
    int64_t toUs() const { return m_to; }
    int64_t spanUs() const { return m_to - m_from; }
    double width() const { return m_width; }
    bool isValid() const { return m_to > m_from && m_width > 0; }

    // Time -> pixel (unclamped; times outside the window map outside [0, width]).
    double toPixel(int64_t us) const;
    // Pixel -> time, rounded to the microsecond.
    int64_t toTime(double px) const;
    double usPerPixel() const;

    // Outer bounds for zoom and pan (the whole case plus a margin). Without limits (the
    // default) only the one-second minimum span applies.
    void setLimits(int64_t minUs, int64_t maxUs);
    bool hasLimits() const { return m_limitMax > m_limitMin; }
    int64_t limitMinUs() const { return m_limitMin; }
    int64_t limitMaxUs() const { return m_limitMax; }
    // The limits for a case whose events span [firstUs, lastUs]: 5 % margin each side, at least
    // 30 s, so that a one-event case still has a window to look at; within [kEarliestUs, kLatestUs].
    static std::pair<int64_t, int64_t> caseLimits(int64_t firstUs, int64_t lastUs);

    TimeScale withWidth(double width) const;
    // Same width and limits, another window (clamped like zoom and pan).
    TimeScale withWindow(int64_t fromUs, int64_t toUs) const;
    // factor > 1 zooms in (the span shrinks by it), < 1 zooms out; the time under `px` stays put.
    TimeScale zoomed(double px, double factor) const;
    // Moves the content by dx pixels: dx > 0 drags it right, so earlier times come into view.
    TimeScale panned(double dx) const;
    // The whole limits range (or the current window when there are none).
    TimeScale fitted() const;

    struct Tick {
        int64_t us = 0;
        double x = 0;
        QString label;
        bool major = false; // a day boundary (or a year boundary for month/year ticks)
    };
    // Ticks at a "nice" step chosen so that neighbours are at least minSpacingPx apart.
    // zoneOffsetUs: the display zone's offset from UTC (ticks fall on its round hours and days,
    // labels show its wall-clock time); 0 = UTC.
    std::vector<Tick> ticks(double minSpacingPx = 80, int64_t zoneOffsetUs = 0) const;

    // The smallest nice step >= minStepUs, in microseconds; months and years are returned as
    // kMonthStep * n and kYearStep * n (calendar steps, not fixed lengths).
    static int64_t niceStep(int64_t minStepUs);
    static constexpr int64_t kDayUs = 86400 * kSecondUs;
    static constexpr int64_t kMonthStep = 30 * kDayUs; // nominal length of a month step
    static constexpr int64_t kYearStep = 365 * kDayUs; // nominal length of a year step
    // The label of a tick at `us` for ticks `stepUs` apart: "14:23:10.500", "14:23:10", "14:00",
    // "Mar 18" (day boundaries and day steps), "Mar 2024" (months), "2024" (years).
    static QString tickLabel(int64_t us, int64_t stepUs);

    // The width of a density bin: the smallest round width >= minUs (1-2-5 below a second; 1, 2,
    // 5, 10, 15, 30 s and min; 1, 2, 3, 6, 12 h; 1, 2, 7, 14, 30, 60, 90, 180 d; whole years).
    // Fixed lengths, so that bins can be laid on a grid of multiples of the width.
    static int64_t niceBinWidth(int64_t minUs);
    // A duration as an analyst reads it: "30 s", "15 min", "1 h", "2 d", "250 ms", "1.5 h".
    static QString durationLabel(int64_t us);

    bool operator==(const TimeScale &o) const
    {
        return m_from == o.m_from && m_to == o.m_to && m_width == o.m_width && m_limitMin == o.m_limitMin
            && m_limitMax == o.m_limitMax;
    }

private:
    void clampToLimits();

    int64_t m_from = 0;
    int64_t m_to = 0;
    double m_width = 0;
    int64_t m_limitMin = 0;
    int64_t m_limitMax = 0;
};

} // namespace tt
