#pragma once

#include "SupersededQueries.h"
#include "query/TimelineQuery.h"
#include "workbench/TimeScale.h"

#include <QPointF>
#include <QRectF>
#include <QThreadPool>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QTimer;
class QMenu;

class QScrollBar;
class QToolButton;

namespace tt {

class AnnotationController;
class FilterHistory;
class Selection;
struct SelectedEntities;
struct FilterState;

// The timeline: event density (bars, optionally one lane per host), transfer markers coloured by
// method, a UTC axis. Wheel / +/- zoom, middle or right drag / Shift+drag / arrows pan; a left
// drag brushes a time window into the shared filter, Escape or "Clear window" removes it; a click
// on a marker selects that transfer. Queries run on a worker with their own read-only connection;
// each carries a generation number and stale results are dropped.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    TimelineView(FilterHistory *filter, Selection *selection, QWidget *parent = nullptr);
    ~TimelineView() override;

    void setCase(const QString &casePath);
    QString casePath() const { return m_casePath; }
    // Re-reads the same case (another session imported into it), keeping the visible range.
    void reloadData() { scheduleQuery(0); }

    void setPerHost(bool on);
    bool perHost() const { return m_perHost; }

    const TimeScale &scale() const { return m_scale; }
    void setVisibleRange(int64_t fromUs, int64_t toUs);
    void fitAll();

    // For tests and the benchmark harness.
    bool isLoading() const;
    const TimelineData &data() const { return *m_data; }
    QRectF plotRect() const; // histogram area (widget coordinates); x maps through scale()
    // Lanes (perHost): one rectangle per data lane in widget coordinates, scrolled (lanes out of
    // view lie outside plotRect()); at least minimumLaneHeight() tall, the host name at the left.
    std::vector<QRectF> laneRects() const { return m_layout.lanes; }
    double minimumLaneHeight() const;
    double laneLabelWidth() const { return m_layout.labelWidth; }
    QScrollBar *laneScrollBar() const { return m_laneBar; }
    // Scrolls the lanes so that the host's lane is in view; false when it has none.
    bool scrollToLane(qint64 hostId);
    std::optional<QPointF> markerPosition(qint64 transferId) const;
    // The context menu of a transfer marker (pivots, select); nullptr when it is not shown.
    // Right-click on a marker opens it (a right-drag still pans).
    QMenu *contextMenuForMarker(qint64 transferId, QWidget *parent);
    // Annotated transfers get a dot in the annotation colour above their marker; the marker menu
    // gets Annotate / Bookmark / Tags.
    void setAnnotations(AnnotationController *annotations);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void dataLoaded(); // a current (non-stale) result was applied
    void loadFailed(const QString &error);

protected:
    bool event(QEvent *e) override;
    void paintEvent(QPaintEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void wheelEvent(QWheelEvent *e) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void mouseReleaseEvent(QMouseEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;

private:
    // Where things go, computed from the size, the data and the scale (never inside paint()).
    struct Layout {
        QRectF header, plot, strip, axis;
        double labelWidth = 0;
        std::vector<QRectF> lanes; // one per data lane (perHost), shifted by the lane scroll
        double laneScrollMax = 0; // lanes taller than the plot scroll vertically
        QRectF laneBar; // where the lanes' scroll bar goes (empty when not needed)
        struct Marker {
            size_t index = 0; // into TimelineData::markers
            QRectF hit;
        };
        std::vector<Marker> markers;
    };
    struct Request;

    void setScale(const TimeScale &s, bool requery = true);
    void scheduleQuery(int delayMs);
    void startQuery();
    void applyResult(uint64_t generation, std::shared_ptr<TimelineData> data, bool fit);
    void relayout();
    Layout computeLayout() const;
    const Layout::Marker *markerAt(const QPointF &p) const;
    void applyBrush(double x0, double x1);
    void clearWindow();
    void onFilterChanged(const FilterState &f);
    void onSelectionChanged(const SelectedEntities &s);
    void updateButtons();
    QString markerToolTip(const TimelineMarker &m) const;
    double plotX(int64_t us) const; // widget x of a time

    FilterHistory *m_filter;
    Selection *m_selection;
    QString m_casePath;
    bool m_perHost = false;
    TimeScale m_scale;
    std::shared_ptr<TimelineData> m_data;
    Layout m_layout;

    QThreadPool m_pool; // one worker: requests are coalesced, never queued up
    uint64_t m_generation = 0;
    class IdleWhenHidden *m_idle = nullptr;
    SupersededQueries m_queries; // the running query, cancelled when the question changes
    bool m_running = false;
    bool m_pending = false; // a newer request waits for the running one
    bool m_fitPending = false;
    QTimer *m_queryTimer;
    QString m_error;

    enum class Drag { None, Brush, Pan, Marker };
    Drag m_drag = Drag::None;
    double m_pressX = 0;
    double m_dragX = 0;
    TimeScale m_pressScale;
    qint64 m_pressMarker = 0;

    AnnotationController *m_annotations = nullptr;
    QToolButton *m_lanesButton;
    QToolButton *m_fitButton;
    QToolButton *m_clearButton;
    QScrollBar *m_laneBar;
    int m_laneScroll = 0; // pixels the lanes are scrolled up by
};

} // namespace tt
