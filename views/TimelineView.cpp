#include "TimelineView.h"

#include "IdleWhenHidden.h"

#include "AnnotationActions.h"
#include "MethodPalette.h"
#include "PivotActions.h"
#include "items/TimeFormat.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPointer>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <exception>

namespace tt {

namespace {
constexpr double kPxPerBin = 3; // bar width: fine enough to see bursts, wide enough to see bars
constexpr double kMarkerW = 10;
constexpr double kMarkerRowH = 10;
constexpr int kMaxMarkerRows = 3;
constexpr double kBrushMinPx = 3; // a shorter left drag is a click
constexpr int kWheelDebounceMs = 40; // coalesces a burst of wheel / drag steps into one query
constexpr double kMaxLabelWidth = 170; // lane labels: longer host names are elided in the middle

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

// Bars of one histogram in `area`: x from the bin's times through the scale, height linear in
// the count (at least one pixel, so that a single event in a busy case stays visible).
std::vector<QRectF> barRects(
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

QString plainToolTip(const QString &text)
{
    // QToolTip guesses rich text; log-derived text is escaped and the markup chosen here.
    return QStringLiteral("<p style='white-space:pre'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}
} // namespace

struct TimelineView::Request {
    QString path;
    FilterState filter;
    int64_t fromUs = 0;
    int64_t toUs = 0;
    int bins = 1;
    bool perHost = false;
    bool fit = false;
    uint64_t generation = 0;
};

TimelineView::TimelineView(FilterHistory *filter, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_filter(filter)
    , m_selection(selection)
    , m_data(std::make_shared<TimelineData>())
    , m_queryTimer(new QTimer(this))
    , m_lanesButton(new QToolButton(this))
    , m_fitButton(new QToolButton(this))
    , m_clearButton(new QToolButton(this))
    , m_laneBar(new QScrollBar(Qt::Vertical, this))
{
    setObjectName(QStringLiteral("timelineView"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setContextMenuPolicy(Qt::PreventContextMenu); // right button pans; a right click on a marker opens its menu
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_pool.setMaxThreadCount(1);
    m_queryTimer->setSingleShot(true);
    connect(m_queryTimer, &QTimer::timeout, this, &TimelineView::startQuery);

    m_lanesButton->setText(tr("Lanes"));
    m_lanesButton->setToolTip(tr("One lane per host"));
    m_lanesButton->setCheckable(true);
    m_lanesButton->setObjectName(QStringLiteral("timelineLanes"));
    connect(m_lanesButton, &QToolButton::toggled, this, &TimelineView::setPerHost);
    m_fitButton->setText(tr("Fit"));
    m_fitButton->setToolTip(tr("Show the whole case (Home)"));
    m_fitButton->setObjectName(QStringLiteral("timelineFit"));
    connect(m_fitButton, &QToolButton::clicked, this, &TimelineView::fitAll);
    m_clearButton->setText(tr("Clear window"));
    m_clearButton->setToolTip(tr("Remove the brushed time window from the filter (Esc)"));
    m_clearButton->setObjectName(QStringLiteral("timelineClearWindow"));
    connect(m_clearButton, &QToolButton::clicked, this, &TimelineView::clearWindow);
    for (QToolButton *b : {m_lanesButton, m_fitButton, m_clearButton}) {
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::NoFocus);
    }

    // Many hosts: lanes keep a readable height and scroll (the bar, PageUp / PageDown, the wheel
    // over the host names) instead of shrinking to a pixel each.
    m_laneBar->setObjectName(QStringLiteral("timelineLaneScroll"));
    m_laneBar->setFocusPolicy(Qt::NoFocus);
    m_laneBar->hide();
    connect(m_laneBar, &QScrollBar::valueChanged, this, [this](int v) {
        if (v == m_laneScroll)
            return;
        m_laneScroll = v;
        relayout();
        update();
    });

    if (m_filter)
        connect(m_filter, &FilterHistory::changed, this, &TimelineView::onFilterChanged);
    if (m_selection)
        connect(m_selection, &Selection::changed, this, &TimelineView::onSelectionChanged);
    updateButtons();
    relayout();
}

TimelineView::~TimelineView()
{
    // A running query holds its own connection; let it finish before the members go away.
    m_pool.waitForDone();
}

QSize TimelineView::sizeHint() const
{
    return {900, 260};
}
QSize TimelineView::minimumSizeHint() const
{
    return {200, 120};
}

void TimelineView::setCase(const QString &casePath)
{
    m_casePath = casePath;
    m_data = std::make_shared<TimelineData>();
    m_scale = TimeScale();
    m_error.clear();
    m_fitPending = true;
    m_drag = Drag::None;
    relayout();
    scheduleQuery(0);
    update();
}

void TimelineView::setPerHost(bool on)
{
    if (on == m_perHost)
        return;
    m_perHost = on;
    {
        const QSignalBlocker block(m_lanesButton);
        m_lanesButton->setChecked(on);
    }
    scheduleQuery(0);
}

void TimelineView::setVisibleRange(int64_t fromUs, int64_t toUs)
{
    const TimeScale base = m_scale.isValid() ? m_scale : TimeScale(fromUs, toUs, m_layout.plot.width());
    setScale(base.withWidth(m_layout.plot.width()).withWindow(fromUs, toUs));
}

void TimelineView::fitAll()
{
    if (m_scale.isValid())
        setScale(m_scale.fitted());
}

bool TimelineView::isLoading() const
{
    return m_running || m_queryTimer->isActive();
}

QRectF TimelineView::plotRect() const
{
    return m_layout.plot;
}

std::optional<QPointF> TimelineView::markerPosition(qint64 transferId) const
{
    for (const Layout::Marker &m : m_layout.markers)
        if (m_data->markers[m.index].id == transferId)
            return m.hit.center();
    return std::nullopt;
}

double TimelineView::plotX(int64_t us) const
{
    return m_layout.plot.left() + m_scale.toPixel(us);
}

// ---- queries -----------------------------------------------------------------------------------

void TimelineView::setScale(const TimeScale &s, bool requery)
{
    if (s == m_scale)
        return;
    m_scale = s;
    relayout();
    if (requery)
        scheduleQuery(kWheelDebounceMs);
    update();
}

void TimelineView::scheduleQuery(int delayMs)
{
    ++m_generation; // whatever is running now answers an older question
    m_queries.cancel(); // and stops (its stale result restarts the query, see applyResult)
    if (m_casePath.isEmpty())
        return;
    m_queryTimer->start(delayMs);
}

void TimelineView::startQuery()
{
    if (m_running)
        return; // the running query's (stale) result restarts us when it lands
    if (m_casePath.isEmpty())
        return;
    Request r;
    r.path = m_casePath;
    r.filter = m_filter ? m_filter->current() : FilterState {};
    r.perHost = m_perHost;
    r.fit = m_fitPending || !m_scale.isValid();
    if (!r.fit) {
        r.fromUs = m_scale.fromUs();
        r.toUs = m_scale.toUs();
    }
    r.bins = std::max(1, static_cast<int>(m_layout.plot.width() / kPxPerBin));
    r.generation = m_generation;
    m_running = true;
    QPointer<TimelineView> self(this);
    m_pool.start([self, r, cancel = m_queries.next()] {
        auto data = std::make_shared<TimelineData>();
        try {
            // This run's own read-only connection (one connection per thread).
            auto cs = store::CaseStore::open(r.path.toStdString(), store::CaseStore::Access::ReadOnly);
            sql::CancelOnFlag interrupt(*cs, cancel);
            *data = queryTimeline(*cs, r.filter, r.fromUs, r.toUs, r.bins, r.perHost);
        } catch (const std::exception &e) {
            data->error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, data, r] {
                if (self)
                    self->applyResult(r.generation, data, r.fit);
            },
            Qt::QueuedConnection);
    });
}

void TimelineView::applyResult(uint64_t generation, std::shared_ptr<TimelineData> data, bool fit)
{
    m_running = false;
    if (generation != m_generation) {
        // Stale: the case, filter, window or size changed since. Ask again unless the debounce
        // timer is about to.
        if (!m_queryTimer->isActive())
            startQuery();
        return;
    }
    m_error = data->error;
    m_data = std::move(data);
    if (m_data->caseFirstUs || m_data->caseLastUs) {
        const auto [lo, hi] = TimeScale::caseLimits(m_data->caseFirstUs, m_data->caseLastUs);
        TimeScale s = m_scale.isValid() ? m_scale : TimeScale(m_data->fromUs, m_data->toUs, m_layout.plot.width());
        s.setLimits(lo, hi);
        if (fit)
            s = s.withWindow(m_data->fromUs, m_data->toUs);
        m_fitPending = false;
        m_scale = s.withWidth(m_layout.plot.width());
    }
    relayout();
    update();
    if (m_error.isEmpty())
        emit dataLoaded();
    else
        emit loadFailed(m_error);
}

// ---- linked state ------------------------------------------------------------------------------

void TimelineView::onFilterChanged(const FilterState &)
{
    updateButtons();
    if (!m_idle)
        m_idle = new IdleWhenHidden(this, [this] { scheduleQuery(0); });
    if (m_idle->due()) // hidden: the latest filter is queried when shown
        scheduleQuery(0);
    update();
}

void TimelineView::onSelectionChanged(const SelectedEntities &s)
{
    if (s.kind == SelectedEntities::Kind::Host && !s.hosts.isEmpty())
        scrollToLane(s.hosts.first());
    update();
}

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

void TimelineView::updateButtons()
{
    const bool window = m_filter && m_filter->current().hasTimeWindow();
    m_clearButton->setVisible(window);
    relayout();
}

void TimelineView::applyBrush(double x0, double x1)
{
    if (!m_filter || !m_scale.isValid())
        return;
    const double l = std::clamp(std::min(x0, x1), m_layout.plot.left(), m_layout.plot.right());
    const double r = std::clamp(std::max(x0, x1), m_layout.plot.left(), m_layout.plot.right());
    FilterState f = m_filter->current();
    f.fromUs = m_scale.toTime(l - m_layout.plot.left());
    f.toUs = m_scale.toTime(r - m_layout.plot.left());
    if (f.fromUs == 0) // 0 means "open": nudge a brush that starts at the epoch itself
        f.fromUs = 1;
    m_filter->apply(f);
}

void TimelineView::clearWindow()
{
    if (!m_filter || !m_filter->current().hasTimeWindow())
        return;
    FilterState f = m_filter->current();
    f.fromUs = 0;
    f.toUs = 0;
    m_filter->apply(f);
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
        const QString src = m.src > 0 ? m_data->hostNames.value(m.src) : tr("(unknown)");
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
    const QString src = m.src < 0 ? tr("(unknown source)") : m_data->hostNames.value(m.src, QString::number(m.src));
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
