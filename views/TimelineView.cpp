// TimelineView: queries, linked state and the time window (TimelineViewParts.h lists the parts).

#include "TimelineView.h"

#include "TimelineViewParts.h"

#include "IdleWhenHidden.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QApplication>
#include <QPointer>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>

#include <algorithm>
#include <exception>

namespace tt {

using namespace timeline;

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

} // namespace tt
