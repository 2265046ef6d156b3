#include "workbench/TimeScale.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace tt {

namespace {
constexpr int64_t kMs = 1000;
constexpr int64_t kS = TimeScale::kSecondUs;
constexpr int64_t kMin = 60 * kS;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = TimeScale::kDayUs;
// Fixed-length steps, then calendar months and years (see niceStep()).
constexpr int64_t kFixedSteps[] = {10 * kMs, 20 * kMs, 50 * kMs, 100 * kMs, 200 * kMs, 500 * kMs, kS, 5 * kS, 10 * kS,
    30 * kS, kMin, 5 * kMin, 15 * kMin, 30 * kMin, kHour, 3 * kHour, 6 * kHour, 12 * kHour, kDay, 2 * kDay, 7 * kDay};
constexpr int kMonthSteps[] = {1, 3, 6};
constexpr int kYearSteps[] = {1, 2, 5, 10, 20, 50, 100};
// 1970-01-05 was a Monday: week ticks fall on Mondays.
constexpr int64_t kWeekOffset = 4 * kDay;
// Far more than any plausible case; keeps span arithmetic clear of overflow.
constexpr int64_t kMaxSpanUs = int64_t(1) << 60;
constexpr size_t kMaxTicks = 2000;

// An offset in microseconds from a double (pixels x us per pixel), bounded by the whole
// representable range first: llround of an out-of-range double is unspecified (it gave INT64_MIN)
// and the int64 sums it enters would overflow. Past the range means "to the edge" anyway.
int64_t roundedOffset(double us)
{
    constexpr double kRange = static_cast<double>(TimeScale::kLatestUs - TimeScale::kEarliestUs);
    if (std::isnan(us))
        return 0;
    return std::llround(std::clamp(us, -kRange, kRange));
}

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

QDateTime utc(int64_t us)
{
    return QDateTime::fromMSecsSinceEpoch(floorDiv(us, kMs), QTimeZone::utc());
}

int64_t dateUs(const QDate &d)
{
    return QDateTime(d, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch() * kMs;
}

bool isMonthStep(int64_t step)
{
    return step >= TimeScale::kMonthStep && step < TimeScale::kYearStep;
}
bool isYearStep(int64_t step)
{
    return step >= TimeScale::kYearStep;
}
} // namespace

TimeScale::TimeScale(int64_t fromUs, int64_t toUs, double width)
    : m_from(clampTime(fromUs))
    , m_to(clampTime(toUs))
    , m_width(width)
{
}

double TimeScale::toPixel(int64_t us) const
{
    if (!isValid())
        return 0;
    return static_cast<double>(clampTime(us) - m_from) * m_width / static_cast<double>(spanUs());
}

int64_t TimeScale::toTime(double px) const
{
    if (!isValid())
        return m_from;
    return clampTime(m_from + roundedOffset(px * static_cast<double>(spanUs()) / m_width));
}

double TimeScale::usPerPixel() const
{
    return m_width > 0 ? static_cast<double>(spanUs()) / m_width : 0;
}

void TimeScale::setLimits(int64_t minUs, int64_t maxUs)
{
    m_limitMin = clampTime(minUs);
    m_limitMax = clampTime(maxUs);
    clampToLimits();
}

std::pair<int64_t, int64_t> TimeScale::caseLimits(int64_t firstUs, int64_t lastUs)
{
    firstUs = clampTime(firstUs);
    lastUs = clampTime(lastUs);
    if (lastUs < firstUs)
        std::swap(firstUs, lastUs);
    const int64_t margin = std::max((lastUs - firstUs) / 20, 30 * kS);
    return {clampTime(firstUs - margin), clampTime(lastUs + margin)};
}

void TimeScale::clampToLimits()
{
    int64_t span = std::clamp(spanUs(), kMinSpanUs, kMaxSpanUs);
    if (hasLimits()) {
        span = std::min(span, m_limitMax - m_limitMin);
        if (m_from < m_limitMin)
            m_from = m_limitMin;
        if (m_from + span > m_limitMax)
            m_from = m_limitMax - span;
    }
    span = std::min(span, kLatestUs - kEarliestUs);
    m_from = std::clamp(m_from, kEarliestUs, kLatestUs - span);
    m_to = m_from + span;
}

TimeScale TimeScale::withWidth(double width) const
{
    TimeScale s = *this;
    s.m_width = width;
    return s;
}

TimeScale TimeScale::withWindow(int64_t fromUs, int64_t toUs) const
{
    TimeScale s = *this;
    fromUs = clampTime(fromUs);
    toUs = clampTime(toUs);
    if (toUs < fromUs)
        std::swap(fromUs, toUs);
    if (toUs - fromUs < kMinSpanUs) { // widen around the middle
        const int64_t mid = fromUs + (toUs - fromUs) / 2;
        fromUs = mid - kMinSpanUs / 2;
        toUs = fromUs + kMinSpanUs;
    }
    s.m_from = fromUs;
    s.m_to = toUs;
    s.clampToLimits();
    return s;
}

TimeScale TimeScale::zoomed(double px, double factor) const
{
    if (!isValid() || !(factor > 0) || !std::isfinite(factor))
        return *this;
    const int64_t anchor = toTime(px);
    int64_t maxSpan = hasLimits() ? m_limitMax - m_limitMin : kMaxSpanUs;
    maxSpan = std::max(maxSpan, kMinSpanUs);
    const double wanted = static_cast<double>(spanUs()) / factor;
    const int64_t span = std::clamp(static_cast<int64_t>(std::llround(std::min(wanted, 1e18))), kMinSpanUs, maxSpan);
    TimeScale s = *this;
    s.m_from = anchor - roundedOffset(px / m_width * static_cast<double>(span));
    s.m_to = s.m_from + span;
    s.clampToLimits();
    return s;
}

TimeScale TimeScale::panned(double dx) const
{
    if (!isValid())
        return *this;
    const int64_t shift = roundedOffset(dx * usPerPixel());
    TimeScale s = *this;
    s.m_from -= shift;
    s.m_to -= shift;
    s.clampToLimits();
    return s;
}

TimeScale TimeScale::fitted() const
{
    if (!hasLimits())
        return *this;
    TimeScale s = *this;
    s.m_from = m_limitMin;
    s.m_to = m_limitMax;
    s.clampToLimits();
    return s;
}

int64_t TimeScale::niceStep(int64_t minStepUs)
{
    for (int64_t s : kFixedSteps)
        if (s >= minStepUs)
            return s;
    for (int n : kMonthSteps)
        if (n * kMonthStep >= minStepUs)
            return n * kMonthStep;
    for (int n : kYearSteps)
        if (n * kYearStep >= minStepUs)
            return n * kYearStep;
    const int64_t n = (minStepUs + kYearStep - 1) / kYearStep;
    return ((n + 99) / 100) * 100 * kYearStep;
}

int64_t TimeScale::niceBinWidth(int64_t minUs)
{
    static constexpr int64_t kSteps[] = {kS, 2 * kS, 5 * kS, 10 * kS, 15 * kS, 30 * kS, kMin, 2 * kMin, 5 * kMin,
        10 * kMin, 15 * kMin, 30 * kMin, kHour, 2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour, kDay, 2 * kDay, 7 * kDay,
        14 * kDay, 30 * kDay, 60 * kDay, 90 * kDay, 180 * kDay, 365 * kDay};
    if (minUs <= 1)
        return 1;
    if (minUs < kS) { // 1, 2, 5 x 10^n microseconds
        for (int64_t decade = 1; decade < kS; decade *= 10)
            for (int64_t m : {1, 2, 5})
                if (m * decade >= minUs)
                    return m * decade;
        return kS;
    }
    for (int64_t s : kSteps)
        if (s >= minUs)
            return s;
    const int64_t years = std::min<int64_t>((minUs + 365 * kDay - 1) / (365 * kDay), kMaxSpanUs / (365 * kDay));
    return years * 365 * kDay;
}

QString TimeScale::durationLabel(int64_t us)
{
    struct Unit {
        int64_t us;
        const char *name;
    };
    static constexpr Unit kUnits[] = {{kDay, "d"}, {kHour, "h"}, {kMin, "min"}, {kS, "s"}, {kMs, "ms"}, {1, "\u00b5s"}};
    const QString sign = us < 0 ? QStringLiteral("-") : QString();
    const int64_t a = us < 0 ? -us : us;
    if (a == 0)
        return QStringLiteral("0 s");
    // In the largest unit it spans, exact with up to two decimals ("2 d", "1.5 h", "30.25 s"), else
    // rounded to two decimals ("1.23 s")
    auto shown = [&sign](int64_t v, const Unit &u) -> QString { // not a QStringBuilder of locals
        QString n = QString::number(static_cast<double>(v) / static_cast<double>(u.us), 'f', 2);
        while (n.endsWith(QLatin1Char('0')))
            n.chop(1);
        if (n.endsWith(QLatin1Char('.')))
            n.chop(1);
        return sign + n + QLatin1Char(' ') + QString::fromUtf8(u.name);
    };
    // (or in the next smaller unit when that is a whole number below 1000: "80 min").
    const size_t n = std::size(kUnits);
    size_t i = 0;
    while (i + 1 < n && a < kUnits[i].us)
        ++i;
    const Unit &u = kUnits[i];
    if (u.us < 100 || a % (u.us / 100) == 0)
        return shown(a, u);
    if (i + 1 < n && a % kUnits[i + 1].us == 0 && a / kUnits[i + 1].us < 1000)
        return shown(a, kUnits[i + 1]);
    return shown(a, u);
}

QString TimeScale::tickLabel(int64_t us, int64_t stepUs)
{
    const QDateTime dt = utc(us);
    const QLocale c = QLocale::c(); // axis labels do not follow the UI language: "Mar 18" everywhere
    if (isYearStep(stepUs))
        return c.toString(dt, QStringLiteral("yyyy"));
    if (isMonthStep(stepUs))
        return c.toString(dt, QStringLiteral("MMM yyyy"));
    if (stepUs >= kDay || floorDiv(us, kDay) * kDay == us)
        return c.toString(dt, QStringLiteral("MMM d"));
    if (stepUs < kS)
        return c.toString(dt, QStringLiteral("HH:mm:ss.zzz"));
    if (stepUs < kMin)
        return c.toString(dt, QStringLiteral("HH:mm:ss"));
    return c.toString(dt, QStringLiteral("HH:mm"));
}

std::vector<TimeScale::Tick> TimeScale::ticks(double minSpacingPx, int64_t zoneOffsetUs) const
{
    std::vector<Tick> out;
    if (!isValid())
        return out;
    // Work in the zone's wall-clock time (local = utc + offset), place ticks back in UTC.
    const int64_t off = zoneOffsetUs;
    const int64_t from = m_from + off, to = m_to + off;
    const double minStep = std::max(1.0, std::ceil(std::max(minSpacingPx, 1.0) * usPerPixel()));
    const int64_t step = niceStep(static_cast<int64_t>(std::min(minStep, 1e17)));
    auto add = [&](int64_t local, bool major) {
        out.push_back({local - off, toPixel(local - off), tickLabel(local, step), major});
    };
    if (isMonthStep(step) || isYearStep(step)) {
        const bool years = isYearStep(step);
        const int n = static_cast<int>(years ? step / kYearStep : step / kMonthStep);
        const QDate first = utc(from).date();
        QDate d = years ? QDate(first.year() - (((first.year() % n) + n) % n), 1, 1)
                        : QDate(first.year(), 1 + ((first.month() - 1) / n) * n, 1);
        for (; out.size() < kMaxTicks; d = years ? d.addYears(n) : d.addMonths(n)) {
            const int64_t us = dateUs(d);
            if (us > to)
                break;
            if (us >= from)
                add(us, years || d.month() == 1);
        }
        return out;
    }
    const int64_t offset = step == 7 * kDay ? kWeekOffset : 0;
    int64_t us = floorDiv(from - offset + step - 1, step) * step + offset;
    if (us < from)
        us += step;
    for (; us <= to && out.size() < kMaxTicks; us += step) {
        const bool major = step < kDay ? floorDiv(us, kDay) * kDay == us : utc(us).date().day() == 1;
        add(us, major);
    }
    return out;
}

} // namespace tt
