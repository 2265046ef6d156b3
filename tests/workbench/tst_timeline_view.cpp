// tt::TimelineView offscreen on the small timeline case (TimelineCase.h): it loads off the UI
// thread and shows the data; a left drag brushes a window into the FilterHistory (within one
// pixel's worth of time), Escape and the clear button remove it in one step, back() restores
// it; a click on a marker selects the transfer and a selection made elsewhere is highlighted;
// wheel, keys and drags zoom and pan; lanes; a stale load is dropped; a grab is not blank.

#include "MethodPalette.h"
#include "TimelineView.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include "TimelineCase.h"

#include "core/ImportEngine.h"

#include <QFile>
#include <QImage>
#include <QMenu>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

#include <cmath>

using namespace tt;
using namespace timelinecase;

namespace {
int64_t sum(const std::vector<int64_t> &v)
{
    int64_t s = 0;
    for (int64_t n : v)
        s += n;
    return s;
}

int colourDistance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
}

// Pixels of `img` within `tolerance` of `colour` inside `area`.
int pixelsNear(const QImage &img, QColor colour, const QRect &area, int tolerance)
{
    int n = 0;
    const QRect r = area.intersected(img.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            if (colourDistance(img.pixel(x, y), colour.rgb()) <= tolerance)
                ++n;
    return n;
}
} // namespace

class TstTimelineView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    Ids m_ids;
    QString m_case;

    // Shows the view and loads the case, then narrows to [from, to] and waits for that data.
    bool open(TimelineView &v, int64_t from, int64_t to)
    {
        v.resize(800, 300);
        v.show();
        if (!QTest::qWaitForWindowExposed(&v))
            return false;
        v.setCase(m_case);
        if (!QTest::qWaitFor([&] { return !v.isLoading() && v.scale().isValid(); }, 10000))
            return false;
        v.setVisibleRange(from, to);
        return QTest::qWaitFor([&] { return !v.isLoading() && v.data().fromUs == from && v.data().toUs == to; }, 10000);
    }

    qint64 m_account = 0;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = m_dir.filePath(QStringLiteral("timeline.ttcase"));
        const QString err = build(m_case, &m_ids);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        // t2 was done as CORP\adm by a process whose parent is cmd.exe (for the marker pivots).
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadWrite);
        cs->db().exec("INSERT INTO accounts(domain, name, name_key) VALUES('CORP', 'adm', 'ADM')");
        m_account = cs->db().lastInsertId();
        auto up = cs->db().prepare("UPDATE transfers SET account_id = ? WHERE id = ?");
        up.bind(1, static_cast<int64_t>(m_account)).bind(2, m_ids.t2);
        up.exec();
    }

    void cleanup() { QThreadPool::globalInstance()->waitForDone(); }

    void showsTheWholeCase()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QSignalSpy loaded(&v, &TimelineView::dataLoaded);
        v.resize(800, 300);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setCase(m_case);
        QCOMPARE(v.casePath(), m_case);
        QVERIFY(v.isLoading());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && loaded.count() == 1, 10000);
        const auto [lo, hi] = TimeScale::caseLimits(kT0, kT0 + 3600 * kSec);
        QCOMPARE(v.scale().fromUs(), lo);
        QCOMPARE(v.scale().toUs(), hi);
        QCOMPARE(v.scale().width(), v.plotRect().width());
        QCOMPARE(sum(v.data().counts), int64_t(10));
        QCOMPARE(v.data().markers.size(), size_t(4));
        for (qint64 id : {m_ids.t1, m_ids.t2, m_ids.t3, m_ids.t4})
            QVERIFY2(v.markerPosition(id).has_value(), qPrintable(QString::number(id)));
        // One bar per ~3 px, widened to a round width (at most 2.5 times: 2 s -> 5 s); issue 11.
        QVERIFY(v.data().bins() >= int(v.plotRect().width() / 3 / 2.5));
        QCOMPARE(TimeScale::niceBinWidth(v.data().binUs), v.data().binUs);
        QCOMPARE(v.data().binFromUs % v.data().binUs, int64_t(0));
    }

    void narrowWindowExactCounts()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        QCOMPARE(sum(v.data().counts), int64_t(8)); // 120 s and 3600 s are outside [T0, T0 + 120 s)
        QCOMPARE(v.data().markers.size(), size_t(3));
        QVERIFY(!v.markerPosition(m_ids.t4));
        // Markers sit where the scale puts their first_ts.
        const QPointF p1 = *v.markerPosition(m_ids.t1);
        QVERIFY(std::abs(p1.x() - (v.plotRect().left() + v.scale().toPixel(kT0 + 5 * kSec))) < 0.01);
        QVERIFY(p1.y() > v.plotRect().bottom());
    }

    void brushEscapeBack()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        const QRectF plot = v.plotRect();
        const int y = int(plot.center().y());
        const int x0 = int(plot.left()) + 200, x1 = int(plot.left()) + 500;
        const int64_t expFrom = v.scale().toTime(x0 - plot.left());
        const int64_t expTo = v.scale().toTime(x1 - plot.left());
        const double pixel = v.scale().usPerPixel();

        QTest::mousePress(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x0, y));
        QTest::mouseMove(&v, QPoint(x0 + 40, y));
        QTest::mouseMove(&v, QPoint(x1, y));
        QVERIFY(!filter.current().hasTimeWindow()); // applied on release only
        QTest::mouseRelease(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x1, y));
        QVERIFY(filter.current().hasTimeWindow());
        const int64_t from = filter.current().fromUs, to = filter.current().toUs;
        QVERIFY2(std::abs(double(from - expFrom)) <= pixel, qPrintable(QString::number(from - expFrom)));
        QVERIFY2(std::abs(double(to - expTo)) <= pixel, qPrintable(QString::number(to - expTo)));
        // About 30 s to 76 s into the window: t2 (62 s) is in it, t1 and t3 are faded.
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading(), 10000);
        for (const TimelineMarker &m : v.data().markers)
            QCOMPARE(m.inWindow, m.id == m_ids.t2);
        // The density stays: the brush filters the other views, the timeline keeps the context.
        QCOMPARE(sum(v.data().counts), int64_t(8));

        // A brush from right to left gives the same window; Escape removes it in one step.
        QTest::keyClick(&v, Qt::Key_Escape);
        QVERIFY(!filter.current().hasTimeWindow());
        filter.back();
        QCOMPARE(filter.current().fromUs, from);
        QCOMPARE(filter.current().toUs, to);

        // The clear button, one click.
        auto *clear = v.findChild<QToolButton *>(QStringLiteral("timelineClearWindow"));
        QVERIFY(clear);
        QVERIFY(clear->isVisible());
        QTest::mouseClick(clear, Qt::LeftButton);
        QVERIFY(!filter.current().hasTimeWindow());
        QVERIFY(!clear->isVisible());
        filter.back();
        QVERIFY(clear->isVisible());

        // Reversed drag; other pivots in the filter survive a brush.
        FilterState f = filter.current();
        f.methods = {QStringLiteral("smb-admin-share")};
        filter.apply(f);
        QTest::mousePress(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x1, y));
        QTest::mouseMove(&v, QPoint(x0, y));
        QTest::mouseRelease(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x0, y));
        QVERIFY(std::abs(double(filter.current().fromUs - expFrom)) <= pixel);
        QVERIFY(std::abs(double(filter.current().toUs - expTo)) <= pixel);
        QCOMPARE(filter.current().methods, QStringList {QStringLiteral("smb-admin-share")});

        // A click (no drag) is not a brush; Escape during a drag cancels it.
        const FilterState before = filter.current();
        QTest::mouseClick(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x0 + 10, y));
        QCOMPARE(filter.current(), before);
        QTest::mousePress(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x0, y));
        QTest::mouseMove(&v, QPoint(x1, y));
        QTest::keyClick(&v, Qt::Key_Escape);
        QTest::mouseRelease(&v, Qt::LeftButton, Qt::NoModifier, QPoint(x1, y));
        QCOMPARE(filter.current(), before);
    }

    void clickOnMarkerSelects()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        QSignalSpy changed(&selection, &Selection::changed);
        const QPoint p = v.markerPosition(m_ids.t2)->toPoint();
        QTest::mouseClick(&v, Qt::LeftButton, Qt::NoModifier, p);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(int(selection.current().kind), int(SelectedEntities::Kind::Transfer));
        QCOMPARE(selection.current().transfers, (QVector<qint64> {m_ids.t2}));
        QVERIFY(!filter.current().hasTimeWindow()); // a click on a marker is not a brush

        // A selection made elsewhere (an edge with two transfers) is drawn highlighted.
        SelectedEntities edge;
        edge.kind = SelectedEntities::Kind::Edge;
        edge.hosts = {m_ids.ws1, m_ids.ws2};
        edge.transfers = {m_ids.t1};
        selection.select(edge);
        const QImage img = v.grab().toImage();
        const QColor hl = v.palette().color(QPalette::Highlight);
        const QRectF plot = v.plotRect();
        auto column = [&](qint64 id) {
            const int x = int(std::lround(v.markerPosition(id)->x()));
            return QRect(x - 2, int(plot.top()) + 2, 5, 10);
        };
        QVERIFY2(pixelsNear(img, hl, column(m_ids.t1), 24) > 0, "selected transfer not highlighted");
        QCOMPARE(pixelsNear(img, hl, column(m_ids.t3), 24), 0);
    }

    void markerContextMenuPivots()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        QVERIFY(!v.contextMenuForMarker(987654, &v)); // no such marker: no menu
        std::unique_ptr<QMenu> menu(v.contextMenuForMarker(m_ids.t2, &v));
        QVERIFY(menu);
        auto actions = [&](const char *name) {
            QList<QAction *> out;
            for (QAction *a : menu->actions())
                if (a->objectName() == QLatin1String(name))
                    out << a;
            return out;
        };
        QCOMPARE(actions("pivotHost").size(), 2); // source and destination
        QVERIFY(actions("pivotHost").at(1)->text().contains(QLatin1String("DC1")));
        QCOMPARE(actions("pivotAccount").size(), 1);
        QVERIFY(actions("pivotAccount").first()->text().contains(QLatin1String("CORP\\adm")));
        QCOMPARE(actions("pivotMethod").size(), 1);
        QCOMPARE(actions("pivotFile").size(), 1);

        actions("pivotHost").at(1)->trigger();
        QCOMPARE(filter.current().hosts, (QSet<qint64> {m_ids.dc1}));
        actions("pivotAccount").first()->trigger();
        QCOMPARE(filter.current().accounts, (QSet<qint64> {m_account}));
        QCOMPARE(filter.current().hosts, (QSet<qint64> {m_ids.dc1})); // other facets stay
        actions("pivotWindow5m").first()->trigger();
        QCOMPARE(filter.current().fromUs, kT0 + 62 * kSec - 300 * kSec);
        QCOMPARE(filter.current().toUs, kT0 + 62 * kSec + 300 * kSec);
        actions("selectTransfer").first()->trigger();
        QCOMPARE(selection.current().transfers, (QVector<qint64> {m_ids.t2}));

        // The unknown-source transfer offers only its destination host.
        menu.reset(v.contextMenuForMarker(m_ids.t3, &v));
        QVERIFY(menu);
        QCOMPARE(actions("pivotHost").size(), 1);
        QCOMPARE(actions("pivotAccount").size(), 0);
    }

    void zoomAndPan()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        const QRectF plot = v.plotRect();
        const double x = 300;
        const QPointF at(plot.left() + x, plot.center().y());

        // Wheel: zoom in around the cursor; the time under it stays.
        TimeScale s = v.scale();
        const int64_t under = s.toTime(x);
        QWheelEvent in(
            at, v.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&v, &in);
        QVERIFY(v.scale().spanUs() < s.spanUs());
        QVERIFY(std::abs(double(v.scale().toTime(x) - under)) <= v.scale().usPerPixel());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.data().fromUs == v.scale().fromUs(), 10000);

        // Keys: + and - zoom around the centre, arrows pan by an eighth of the width.
        s = v.scale();
        QTest::keyClick(&v, Qt::Key_Plus);
        QVERIFY(std::abs(double(v.scale().spanUs()) - double(s.spanUs()) / 1.5) <= 1);
        QTest::keyClick(&v, Qt::Key_Minus);
        QVERIFY(std::abs(double(v.scale().spanUs() - s.spanUs())) <= 2);
        s = v.scale();
        QTest::keyClick(&v, Qt::Key_Left);
        QVERIFY(std::abs(double(s.fromUs() - v.scale().fromUs()) - plot.width() / 8 * s.usPerPixel()) <= 1);
        QTest::keyClick(&v, Qt::Key_Right);
        QVERIFY(std::abs(double(v.scale().fromUs() - s.fromUs())) <= 2);

        // Right-button drag and Shift+left drag pan by the distance dragged.
        for (auto [button, mods] : {std::pair {Qt::RightButton, Qt::NoModifier},
                 std::pair {Qt::MiddleButton, Qt::NoModifier}, std::pair {Qt::LeftButton, Qt::ShiftModifier}}) {
            s = v.scale();
            const QPoint p0 = at.toPoint();
            QTest::mousePress(&v, button, mods, p0);
            QTest::mouseMove(&v, p0 + QPoint(50, 0));
            QTest::mouseMove(&v, p0 + QPoint(100, 0));
            QTest::mouseRelease(&v, button, mods, p0 + QPoint(100, 0));
            QVERIFY2(std::abs(double(s.fromUs() - v.scale().fromUs()) - 100 * s.usPerPixel()) <= 1,
                qPrintable(QString::number(s.fromUs() - v.scale().fromUs())));
            QCOMPARE(v.scale().spanUs(), s.spanUs());
            QVERIFY(!filter.current().hasTimeWindow()); // panning never brushes
        }

        // Home fits the whole case (plus margin); zooming out stops there.
        QTest::keyClick(&v, Qt::Key_Home);
        const auto [lo, hi] = TimeScale::caseLimits(kT0, kT0 + 3600 * kSec);
        QCOMPARE(v.scale().fromUs(), lo);
        QCOMPARE(v.scale().toUs(), hi);
        QTest::keyClick(&v, Qt::Key_Minus);
        QCOMPARE(v.scale().toUs() - v.scale().fromUs(), hi - lo);
        // Zooming in stops at one second.
        for (int i = 0; i < 60; ++i)
            QTest::keyClick(&v, Qt::Key_Plus);
        QCOMPARE(v.scale().spanUs(), TimeScale::kMinSpanUs);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.data().fromUs == v.scale().fromUs(), 10000);
    }

    void lanes()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        auto *button = v.findChild<QToolButton *>(QStringLiteral("timelineLanes"));
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(v.perHost());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.data().lanes.size() == 3, 10000);
        QCOMPARE(v.data().lanes[1].name, QStringLiteral("WS1"));
        QCOMPARE(sum(v.data().lanes[1].counts), int64_t(4));
        // The host filter narrows the lanes.
        FilterState f;
        f.hosts = {m_ids.dc1};
        filter.apply(f);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.data().lanes.size() == 1, 10000);
        QCOMPARE(sum(v.data().counts), int64_t(1));
        // Labels take room on the left; the scale follows the plot width.
        QVERIFY(v.plotRect().left() > 20);
        QCOMPARE(v.scale().width(), v.plotRect().width());
        v.setPerHost(false);
        QVERIFY(!button->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.data().lanes.empty(), 10000);
    }

    // Issue 11: 82 hosts gave 82 lanes of 1-2 px without names. Lanes keep a height a name fits
    // in, are labelled, and scroll (bar, wheel over the names, selection of a host).
    void manyHostsGetReadableScrollingLanes()
    {
        const QString path = m_dir.filePath(QStringLiteral("many.ttcase"));
        const QString input = m_dir.filePath(QStringLiteral("many.json"));
        constexpr int kHosts = 82;
        {
            QFile f(input);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int h = 1; h <= kHosts; ++h)
                for (int e = 0; e < 2; ++e)
                    f.write(QStringLiteral("{\"EventID\":4634,\"Channel\":\"Security\",\"SourceName\":"
                                           "\"Microsoft-Windows-Security-Auditing\",\"Hostname\":\"HOST-%1\","
                                           "\"RecordNumber\":%2,\"@timestamp\":\"2024-03-18T14:%3:00.000Z\","
                                           "\"TargetUserName\":\"alice\",\"TargetDomainName\":\"CORP\","
                                           "\"TargetLogonId\":\"0x1%2\",\"LogonType\":\"3\"}\n")
                                .arg(h, 3, 10, QLatin1Char('0'))
                                .arg(h * 10 + e)
                                .arg(h % 60, 2, 10, QLatin1Char('0'))
                                .toUtf8());
        }
        {
            auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            engine.run({input.toStdString()});
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM hosts"), int64_t(kHosts));
        }
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        v.resize(900, 260); // the workbench's dock height
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setCase(path);
        v.setPerHost(true);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.data().lanes.size() == size_t(kHosts), 20000);
        const QFontMetricsF fm(v.font());
        QVERIFY(v.minimumLaneHeight() >= fm.height());
        std::vector<QRectF> lanes = v.laneRects();
        QCOMPARE(lanes.size(), size_t(kHosts));
        for (const QRectF &r : lanes)
            QVERIFY2(r.height() >= v.minimumLaneHeight(), qPrintable(QString::number(r.height())));
        // The names fit beside the lanes.
        QVERIFY(v.laneLabelWidth() >= fm.horizontalAdvance(QStringLiteral("HOST-082")));
        // The lanes are taller than the plot: they scroll, the first in view, the last below it.
        QScrollBar *bar = v.laneScrollBar();
        QVERIFY(bar->isVisible());
        QVERIFY(bar->maximum() > 0);
        QVERIFY(v.plotRect().contains(lanes.front().center()));
        QVERIFY(lanes.back().top() >= v.plotRect().bottom());
        QCOMPARE(v.scale().width(), v.plotRect().width()); // the bar's width comes off the plot
        // The host name is drawn in the first lane's label column (dark text on the light base).
        {
            const QImage img = v.grab().toImage();
            const QRect label = QRectF(0, lanes.front().top(), v.laneLabelWidth(), lanes.front().height()).toRect();
            QVERIFY(pixelsNear(img, v.palette().color(QPalette::Text), label, 150) > 10);
        }
        // The wheel over the names scrolls the lanes (over the plot it still zooms time).
        QWheelEvent wheel(QPointF(10, v.plotRect().center().y()), v.mapToGlobal(QPointF(10, v.plotRect().center().y())),
            QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        const TimeScale before = v.scale();
        QApplication::sendEvent(&v, &wheel);
        QVERIFY(bar->value() > 0);
        QVERIFY(v.scale() == before);
        bar->setValue(bar->maximum());
        lanes = v.laneRects();
        QVERIFY(lanes.back().bottom() <= v.plotRect().bottom() + 1);
        QVERIFY(lanes.front().bottom() <= v.plotRect().top());
        // Selecting a host elsewhere (graph, case dock) brings its lane into view.
        SelectedEntities s;
        s.kind = SelectedEntities::Kind::Host;
        s.hosts = {v.data().lanes.front().hostId};
        selection.select(s);
        lanes = v.laneRects();
        QVERIFY(lanes.front().top() >= v.plotRect().top() - 1 && lanes.front().bottom() <= v.plotRect().bottom() + 1);
        // Fewer lanes than room: no scrolling, lanes share the plot's height.
        v.resize(900, int(v.minimumLaneHeight() * kHosts) + 400);
        QTRY_VERIFY(!bar->isVisible());
        QCOMPARE(v.laneRects().front().top(), v.plotRect().top());
    }

    void staleLoadIsDropped()
    {
        const QString empty = m_dir.filePath(QStringLiteral("empty.ttcase"));
        store::CaseStore::open(empty.toStdString(), store::CaseStore::Access::Create);
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QSignalSpy loaded(&v, &TimelineView::dataLoaded);
        v.resize(600, 200);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setCase(m_case);
        QCoreApplication::processEvents(); // the query for the first case starts
        v.setCase(empty);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && loaded.count() >= 1, 10000);
        QTest::qWait(100);
        QCOMPARE(loaded.count(), 1); // the first case's answer never landed
        QCOMPARE(v.data().caseFirstUs, int64_t(0));
        QVERIFY(v.data().markers.empty());
        QVERIFY(!v.scale().isValid());
        // A missing case reports an error instead of showing anything.
        QSignalSpy failed(&v, &TimelineView::loadFailed);
        v.setCase(m_dir.filePath(QStringLiteral("no/such.ttcase")));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 10000);
        QVERIFY(v.data().markers.empty());
    }

    void grabIsNotBlank()
    {
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        QVERIFY(open(v, kT0, kT0 + 120 * kSec));
        FilterState f;
        f.fromUs = kT0 + 50 * kSec;
        f.toUs = kT0 + 70 * kSec;
        filter.apply(f);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading(), 10000);
        const QString png = m_dir.filePath(QStringLiteral("timeline.png"));
        const QImage img = v.grab().toImage();
        QVERIFY(img.save(png));
        QVERIFY(QFileInfo(png).size() > 0);
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2)
                colours.insert(img.pixel(x, y));
        QVERIFY2(colours.size() > 8, qPrintable(QString::number(colours.size())));
        // t1 (smb-admin-share, high confidence) is a filled marker, faded: outside the window.
        // t3 (rdp-tsclient, 0.7) also faded; bars are drawn in the plot.
        const QRect strip(int(v.plotRect().left()), int(v.plotRect().bottom()), int(v.plotRect().width()), 40);
        QVERIFY(pixelsNear(img, v.palette().color(QPalette::Base), strip, 0) < strip.width() * strip.height());
        f = FilterState {};
        filter.apply(f);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading(), 10000);
        const QImage full = v.grab().toImage();
        QVERIFY2(pixelsNear(full, MethodPalette::color(QStringLiteral("smb-admin-share")), strip, 12) > 4,
            "no smb-admin-share marker drawn");
        QVERIFY2(pixelsNear(full, MethodPalette::color(QStringLiteral("rdp-tsclient")), strip, 12) > 4,
            "no rdp-tsclient marker drawn");
        QVERIFY(full.save(m_dir.filePath(QStringLiteral("timeline-unfiltered.png"))));
    }

    // Issue 15: one event at INT64_MIN: the view loads, paints and zooms (no overflow, no endless
    // tick or bin loop), the window stays inside the clamped range.
    void extremeTimestampCase()
    {
        const QString extreme = m_dir.filePath(QStringLiteral("extreme.ttcase"));
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            store::CaseStore::backupTo(cs->db(), extreme.toStdString());
        }
        {
            auto cs = store::CaseStore::open(extreme.toStdString(), store::CaseStore::Access::ReadWrite);
            cs->db().exec("UPDATE events SET ts = -9223372036854775807 - 1 WHERE id = (SELECT min(id) FROM events)");
            cs->db().exec("UPDATE sources SET first_ts = -9223372036854775807 - 1");
        }
        FilterHistory filter;
        Selection selection;
        TimelineView v(&filter, &selection);
        v.resize(800, 300);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.setCase(extreme);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading() && v.scale().isValid(), 20000);
        QVERIFY(v.scale().fromUs() >= TimeScale::kEarliestUs && v.scale().toUs() <= TimeScale::kLatestUs);
        const QImage img = v.grab().toImage();
        QVERIFY(!img.isNull());
        QWheelEvent wheel(QPointF(400, 150), v.mapToGlobal(QPointF(400, 150)), QPoint(), QPoint(0, -120 * 10),
            Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&v, &wheel);
        QTRY_VERIFY_WITH_TIMEOUT(!v.isLoading(), 20000);
        QVERIFY(!v.grab().toImage().isNull());
    }
};

QTEST_MAIN(TstTimelineView)
#include "tst_timeline_view.moc"
