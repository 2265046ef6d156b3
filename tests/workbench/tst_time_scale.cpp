// tt::TimeScale: time <-> pixel mapping, zoom around a pixel (clamped to one second and to the
// case limits), pan (clamped to the limits), nice UTC ticks and their labels. Data-driven.

#include "workbench/TimeScale.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace tt;

namespace {
constexpr int64_t S = TimeScale::kSecondUs;
constexpr int64_t MIN = 60 * S;
constexpr int64_t H = 60 * MIN;
constexpr int64_t D = 24 * H;
constexpr int64_t kDay0 = int64_t(1710720000) * S; // 2024-03-18 00:00:00 UTC (a Monday)
constexpr int64_t kT0 = kDay0 + 14 * H; // 2024-03-18 14:00:00 UTC
} // namespace

class TstTimeScale : public QObject {
    Q_OBJECT
private slots:
    void mapping_data()
    {
        QTest::addColumn<int64_t>("from");
        QTest::addColumn<int64_t>("to");
        QTest::addColumn<double>("width");
        QTest::addColumn<int64_t>("us");
        QTest::addColumn<double>("px");
        QTest::newRow("left edge") << kT0 << kT0 + 100 * S << 1000.0 << kT0 << 0.0;
        QTest::newRow("right edge") << kT0 << kT0 + 100 * S << 1000.0 << kT0 + 100 * S << 1000.0;
        QTest::newRow("middle") << kT0 << kT0 + 100 * S << 1000.0 << kT0 + 50 * S << 500.0;
        QTest::newRow("before window") << kT0 << kT0 + 100 * S << 1000.0 << kT0 - 10 * S << -100.0;
        QTest::newRow("after window") << kT0 << kT0 + 100 * S << 1000.0 << kT0 + 110 * S << 1100.0;
        QTest::newRow("odd width") << kT0 << kT0 + 7 * S << 3.0 << kT0 + 7 * S / 3 << 1.0;
        QTest::newRow("years wide") << kDay0 - 3650 * D << kDay0 << 800.0 << kDay0 - 1825 * D << 400.0;
    }
    void mapping()
    {
        QFETCH(int64_t, from);
        QFETCH(int64_t, to);
        QFETCH(double, width);
        QFETCH(int64_t, us);
        QFETCH(double, px);
        const TimeScale s(from, to, width);
        QVERIFY(s.isValid());
        QVERIFY2(std::abs(s.toPixel(us) - px) < 1e-5, qPrintable(QString::number(s.toPixel(us))));
        // Back to time: exact to the microsecond rounding of one pixel's fraction.
        QVERIFY(std::abs(s.toTime(px) - us) <= 1);
        QCOMPARE(s.usPerPixel(), double(to - from) / width);
    }

    void zoom_data()
    {
        QTest::addColumn<int64_t>("from");
        QTest::addColumn<int64_t>("to");
        QTest::addColumn<double>("px");
        QTest::addColumn<double>("factor");
        QTest::addColumn<int64_t>("limitMin"); // 0, 0: no limits
        QTest::addColumn<int64_t>("limitMax");
        QTest::addColumn<int64_t>("expFrom");
        QTest::addColumn<int64_t>("expTo");
        // Width 1000 px throughout.
        QTest::newRow("in x2 at centre") << kT0 << kT0 + 1000 * S << 500.0 << 2.0 << int64_t(0) << int64_t(0)
                                         << kT0 + 250 * S << kT0 + 750 * S;
        QTest::newRow("in x2 at left edge")
            << kT0 << kT0 + 1000 * S << 0.0 << 2.0 << int64_t(0) << int64_t(0) << kT0 << kT0 + 500 * S;
        QTest::newRow("in x4 at 200 px") << kT0 << kT0 + 1000 * S << 200.0 << 4.0 << int64_t(0) << int64_t(0)
                                         << kT0 + 150 * S << kT0 + 400 * S;
        QTest::newRow("out x2 at centre")
            << kT0 << kT0 + 1000 * S << 500.0 << 0.5 << int64_t(0) << int64_t(0) << kT0 - 500 * S << kT0 + 1500 * S;
        QTest::newRow("clamped at one second")
            << kT0 << kT0 + 10 * S << 500.0 << 1000.0 << int64_t(0) << int64_t(0) << kT0 + 4500000 << kT0 + 5500000;
        QTest::newRow("already one second")
            << kT0 << kT0 + S << 500.0 << 2.0 << int64_t(0) << int64_t(0) << kT0 << kT0 + S;
        QTest::newRow("out clamped to limits")
            << kT0 << kT0 + 100 * S << 500.0 << 0.01 << kT0 - 50 * S << kT0 + 150 * S << kT0 - 50 * S << kT0 + 150 * S;
        QTest::newRow("out near limit edge shifts inside")
            << kT0 << kT0 + 100 * S << 500.0 << 0.5 << kT0 - 10 * S << kT0 + 1000 * S << kT0 - 10 * S << kT0 + 190 * S;
        QTest::newRow("invalid factor ignored")
            << kT0 << kT0 + 100 * S << 500.0 << 0.0 << int64_t(0) << int64_t(0) << kT0 << kT0 + 100 * S;
    }
    void zoom()
    {
        QFETCH(int64_t, from);
        QFETCH(int64_t, to);
        QFETCH(double, px);
        QFETCH(double, factor);
        QFETCH(int64_t, limitMin);
        QFETCH(int64_t, limitMax);
        QFETCH(int64_t, expFrom);
        QFETCH(int64_t, expTo);
        TimeScale s(from, to, 1000);
        if (limitMax > limitMin)
            s.setLimits(limitMin, limitMax);
        const TimeScale z = s.zoomed(px, factor);
        QCOMPARE(z.fromUs(), expFrom);
        QCOMPARE(z.toUs(), expTo);
        QCOMPARE(z.width(), 1000.0);
        // Without clamping, the time under the cursor stays put.
        if (limitMax <= limitMin && z.spanUs() != TimeScale::kMinSpanUs)
            QVERIFY(std::abs(z.toTime(px) - s.toTime(px)) <= 1);
    }

    void pan_data()
    {
        QTest::addColumn<double>("dx");
        QTest::addColumn<bool>("limited");
        QTest::addColumn<int64_t>("expFrom");
        // Window [T0, T0 + 100 s] over 1000 px (0.1 s per pixel); limits [T0 - 20 s, T0 + 150 s].
        QTest::newRow("drag right 100 px: earlier") << 100.0 << false << kT0 - 10 * S;
        QTest::newRow("drag left 100 px: later") << -100.0 << false << kT0 + 10 * S;
        QTest::newRow("fraction of a pixel") << 0.5 << false << kT0 - 50000;
        QTest::newRow("clamped at left limit") << 1000.0 << true << kT0 - 20 * S;
        QTest::newRow("clamped at right limit") << -1000.0 << true << kT0 + 50 * S;
        QTest::newRow("inside limits") << 100.0 << true << kT0 - 10 * S;
    }
    void pan()
    {
        QFETCH(double, dx);
        QFETCH(bool, limited);
        QFETCH(int64_t, expFrom);
        TimeScale s(kT0, kT0 + 100 * S, 1000);
        if (limited)
            s.setLimits(kT0 - 20 * S, kT0 + 150 * S);
        const TimeScale p = s.panned(dx);
        QCOMPARE(p.fromUs(), expFrom);
        QCOMPARE(p.spanUs(), 100 * S); // panning never changes the span
    }

    void windowAndLimits()
    {
        const auto [lo, hi] = TimeScale::caseLimits(kT0, kT0 + 3600 * S);
        QCOMPARE(lo, kT0 - 180 * S); // 5 %
        QCOMPARE(hi, kT0 + 3780 * S);
        const auto [lo1, hi1] = TimeScale::caseLimits(kT0, kT0); // one event: 30 s margin
        QCOMPARE(lo1, kT0 - 30 * S);
        QCOMPARE(hi1, kT0 + 30 * S);
        TimeScale s(kT0, kT0 + 10 * S, 500);
        s.setLimits(lo, hi);
        QCOMPARE(s.fitted().fromUs(), lo);
        QCOMPARE(s.fitted().toUs(), hi);
        // A window narrower than a second widens around its middle; one past the limits is pulled in.
        const TimeScale n = s.withWindow(kT0 + 10 * S, kT0 + 10 * S + 1000);
        QCOMPARE(n.spanUs(), TimeScale::kMinSpanUs);
        QCOMPARE(n.fromUs(), kT0 + 10 * S + 500 - S / 2);
        const TimeScale w = s.withWindow(lo - 100 * S, lo + 100 * S);
        QCOMPARE(w.fromUs(), lo);
        QCOMPARE(w.spanUs(), 200 * S);
        QCOMPARE(s.withWidth(250).width(), 250.0);
        QVERIFY(!TimeScale().isValid());
        QCOMPARE(TimeScale().zoomed(10, 2), TimeScale());
    }

    // Issue 15: a case holding an extreme timestamp (events.ts = INT64_MIN or INT64_MAX) must not
    // overflow the limits, and the ticks of any window within them come to an end.
    void extremeTimesAreClamped_data()
    {
        QTest::addColumn<int64_t>("first");
        QTest::addColumn<int64_t>("last");
        const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
        QTest::newRow("INT64_MIN alone") << lo << lo;
        QTest::newRow("INT64_MIN .. 2024") << lo << kT0;
        QTest::newRow("2024 .. INT64_MAX") << kT0 << hi;
        QTest::newRow("INT64_MIN .. INT64_MAX") << lo << hi;
    }
    void extremeTimesAreClamped()
    {
        QFETCH(int64_t, first);
        QFETCH(int64_t, last);
        const auto [lo, hi] = TimeScale::caseLimits(first, last);
        QVERIFY(lo >= TimeScale::kEarliestUs && hi <= TimeScale::kLatestUs);
        QVERIFY(hi > lo);
        TimeScale s(lo, hi, 800);
        s.setLimits(lo, hi);
        QVERIFY(s.isValid());
        for (const TimeScale &t : {s.fitted(), s.zoomed(400, 1e6), s.zoomed(0, 0.5), s.panned(-1e9), s.panned(1e9)}) {
            QVERIFY(t.isValid());
            QVERIFY(t.fromUs() >= TimeScale::kEarliestUs && t.toUs() <= TimeScale::kLatestUs);
            const auto ticks = t.ticks(80);
            QVERIFY(!ticks.empty() && ticks.size() < 2000);
            QVERIFY(std::isfinite(t.toPixel(std::numeric_limits<int64_t>::min())));
            // Pixels far outside the view map to the edges of time, never past them (UBSan: no overflow).
            for (double px : {1e300, -1e300, 1e18, -1e18}) {
                const int64_t us = t.toTime(px);
                QVERIFY(us >= TimeScale::kEarliestUs && us <= TimeScale::kLatestUs);
            }
        }
    }

    void niceStep_data()
    {
        QTest::addColumn<int64_t>("minStep");
        QTest::addColumn<int64_t>("step");
        QTest::newRow("1 us") << int64_t(1) << 10 * int64_t(1000);
        QTest::newRow("300 ms") << 300 * int64_t(1000) << 500 * int64_t(1000);
        QTest::newRow("1 s") << S << S;
        QTest::newRow("1.2 s") << S + S / 5 << 5 * S;
        QTest::newRow("7 s") << 7 * S << 10 * S;
        QTest::newRow("20 s") << 20 * S << 30 * S;
        QTest::newRow("50 s") << 50 * S << MIN;
        QTest::newRow("2 min") << 2 * MIN << 5 * MIN;
        QTest::newRow("10 min") << 10 * MIN << 15 * MIN;
        QTest::newRow("40 min") << 40 * MIN << H;
        QTest::newRow("4 h") << 4 * H << 6 * H;
        QTest::newRow("20 h") << 20 * H << D;
        QTest::newRow("5 d") << 5 * D << 7 * D;
        QTest::newRow("10 d") << 10 * D << TimeScale::kMonthStep;
        QTest::newRow("40 d") << 40 * D << 3 * TimeScale::kMonthStep;
        QTest::newRow("200 d") << 200 * D << TimeScale::kYearStep;
        QTest::newRow("3 y") << 3 * TimeScale::kYearStep << 5 * TimeScale::kYearStep;
    }
    void niceStep()
    {
        QFETCH(int64_t, minStep);
        QFETCH(int64_t, step);
        QCOMPARE(TimeScale::niceStep(minStep), step);
    }

    // Issue 11: density bins are round widths, printed as an analyst reads them.
    void niceBinWidth_data()
    {
        QTest::addColumn<int64_t>("minWidth");
        QTest::addColumn<int64_t>("width");
        QTest::addColumn<QString>("label");
        QTest::newRow("1 us") << int64_t(1) << int64_t(1) << QString::fromUtf8("1 \u00b5s");
        QTest::newRow("3 ms") << int64_t(3000) << int64_t(5000) << "5 ms";
        QTest::newRow("400 ms") << int64_t(400000) << int64_t(500000) << "500 ms";
        QTest::newRow("1 s") << S << S << "1 s";
        QTest::newRow("3.3 s") << int64_t(3333334) << 5 * S << "5 s";
        QTest::newRow("25 s") << 25 * S << 30 * S << "30 s";
        QTest::newRow("30.25 s") << int64_t(30250000) << MIN << "1 min";
        QTest::newRow("11 min") << 11 * MIN << 15 * MIN << "15 min";
        QTest::newRow("50 min") << 50 * MIN << H << "1 h";
        QTest::newRow("2.2 h") << 2 * H + 12 * MIN << 3 * H << "3 h";
        // The "7.98e+05 s" (9.2 days over ~300 px of 3 px bars).
        QTest::newRow("798000 s") << 798000 * S << 14 * D << "14 d";
        QTest::newRow("9 h") << 9 * H << 12 * H << "12 h";
        QTest::newRow("1.5 d") << D + 12 * H << 2 * D << "2 d";
        QTest::newRow("3 d") << 3 * D << 7 * D << "7 d";
        QTest::newRow("100 d") << 100 * D << 180 * D << "180 d";
        QTest::newRow("2.5 y") << 900 * D << 3 * 365 * D << "1095 d";
    }
    void niceBinWidth()
    {
        QFETCH(int64_t, minWidth);
        QFETCH(int64_t, width);
        QFETCH(QString, label);
        QCOMPARE(TimeScale::niceBinWidth(minWidth), width);
        QCOMPARE(TimeScale::durationLabel(width), label);
        QCOMPARE(TimeScale::niceBinWidth(width), width); // a round width stays as it is
    }
    void durationLabel_data()
    {
        QTest::addColumn<int64_t>("us");
        QTest::addColumn<QString>("label");
        QTest::newRow("zero") << int64_t(0) << "0 s";
        QTest::newRow("90 min") << 90 * MIN << "1.5 h";
        QTest::newRow("1 h 20 min") << 80 * MIN << "80 min";
        QTest::newRow("1.5 s") << S + S / 2 << "1.5 s";
        QTest::newRow("30.25 s") << int64_t(30250000) << "30.25 s";
        QTest::newRow("2 d") << 2 * D << "2 d";
        QTest::newRow("36 h") << 36 * H << "1.5 d";
        QTest::newRow("1500 ms") << int64_t(1500000) << "1.5 s";
        QTest::newRow("odd") << int64_t(1234567) << "1.23 s";
        QTest::newRow("negative") << -15 * MIN << "-15 min";
    }
    void durationLabel()
    {
        QFETCH(int64_t, us);
        QFETCH(QString, label);
        QCOMPARE(TimeScale::durationLabel(us), label);
    }

    void tickLabel_data()
    {
        QTest::addColumn<int64_t>("us");
        QTest::addColumn<int64_t>("step");
        QTest::addColumn<QString>("label");
        QTest::newRow("sub-second") << kT0 + 23 * MIN + 10 * S + 500000 << int64_t(100000) << "14:23:10.500";
        QTest::newRow("seconds") << kT0 + 23 * MIN + 10 * S << 5 * S << "14:23:10";
        QTest::newRow("minutes") << kT0 + 23 * MIN << 5 * MIN << "14:23";
        QTest::newRow("hours") << kT0 << H << "14:00";
        QTest::newRow("midnight in hour steps") << kDay0 << 6 * H << "Mar 18";
        QTest::newRow("midnight in second steps") << kDay0 << 10 * S << "Mar 18";
        QTest::newRow("days") << kDay0 << D << "Mar 18";
        QTest::newRow("weeks") << kDay0 << 7 * D << "Mar 18";
        QTest::newRow("months") << kDay0 - 17 * D << TimeScale::kMonthStep << "Mar 2024";
        QTest::newRow("years") << kDay0 - 77 * D << TimeScale::kYearStep << "2024";
    }
    void tickLabel()
    {
        QFETCH(int64_t, us);
        QFETCH(int64_t, step);
        QFETCH(QString, label);
        QCOMPARE(TimeScale::tickLabel(us, step), label);
    }

    void ticks_data()
    {
        QTest::addColumn<int64_t>("from");
        QTest::addColumn<int64_t>("to");
        QTest::addColumn<double>("width");
        QTest::addColumn<int64_t>("step");
        QTest::addColumn<QStringList>("labels");
        QTest::addColumn<int>("majors");
        // 100 s over 1000 px, ticks >= 80 px apart: 8 s -> 10 s steps.
        QTest::newRow("seconds") << kT0 + 5 * S << kT0 + 105 * S << 1000.0 << 10 * S
                                 << QStringList {"14:00:10", "14:00:20", "14:00:30", "14:00:40", "14:00:50", "14:01:00",
                                        "14:01:10", "14:01:20", "14:01:30", "14:01:40"}
                                 << 0;
        // 3 h over 400 px: 36 min -> 1 h.
        QTest::newRow("hours") << kT0 - 30 * MIN << kT0 + 150 * MIN << 400.0 << H
                               << QStringList {"14:00", "15:00", "16:00"} << 0;
        // Across midnight, 6 h steps: the day boundary is labelled with the date and major.
        QTest::newRow("midnight") << kDay0 - 13 * H << kDay0 + 13 * H << 400.0 << 6 * H
                                  << QStringList {"12:00", "18:00", "Mar 18", "06:00", "12:00"} << 1;
        // Two weeks over 300 px: 3.7 d -> 7 d steps on Mondays.
        QTest::newRow("weeks") << kDay0 - 8 * D << kDay0 + 8 * D << 300.0 << 7 * D
                               << QStringList {"Mar 11", "Mar 18", "Mar 25"} << 0;
        // A year over 500 px: months in threes, January major.
        QTest::newRow("quarters") << kDay0 - 200 * D << kDay0 + 165 * D << 500.0 << 3 * TimeScale::kMonthStep
                                  << QStringList {"Oct 2023", "Jan 2024", "Apr 2024", "Jul 2024"} << 1;
        QTest::newRow("invalid") << kT0 << kT0 << 100.0 << S << QStringList {} << 0;
    }
    void ticks()
    {
        QFETCH(int64_t, from);
        QFETCH(int64_t, to);
        QFETCH(double, width);
        QFETCH(int64_t, step);
        QFETCH(QStringList, labels);
        QFETCH(int, majors);
        const TimeScale s(from, to, width);
        const std::vector<TimeScale::Tick> ticks = s.ticks(80);
        QStringList got;
        int gotMajors = 0;
        for (const TimeScale::Tick &t : ticks) {
            got << t.label;
            gotMajors += t.major ? 1 : 0;
            QVERIFY(t.us >= from && t.us <= to);
            QCOMPARE(t.x, s.toPixel(t.us));
        }
        QCOMPARE(got, labels);
        QCOMPARE(gotMajors, majors);
        if (ticks.size() >= 2 && step < TimeScale::kMonthStep) {
            QCOMPARE(ticks[1].us - ticks[0].us, step);
            QVERIFY(ticks[1].x - ticks[0].x >= 80);
        }
    }

    // A display zone: ticks fall on the zone's round hours / midnight and show its wall clock.
    void ticksInAZone()
    {
        // Asia/Kolkata is UTC+05:30 (no DST). Window 2024-03-17 22:00 .. 2024-03-18 08:00 UTC
        // = 03:30 .. 13:30 local, over 400 px: 3 h steps at local 06:00, 09:00 and 12:00.
        const int64_t off = 5 * H + 30 * MIN;
        const TimeScale s(kDay0 - 2 * H, kDay0 + 8 * H, 400);
        const std::vector<TimeScale::Tick> ticks = s.ticks(80, off);
        QStringList got;
        for (const TimeScale::Tick &t : ticks) {
            got << t.label;
            QCOMPARE(t.x, s.toPixel(t.us));
            QCOMPARE(((t.us + off) % H + H) % H, int64_t(0)); // on a local round hour
        }
        QCOMPARE(got, (QStringList {"06:00", "09:00", "12:00"}));
        QCOMPARE(ticks.front().us, kDay0 + 30 * MIN); // 06:00 local = 00:30 UTC
        // Local midnight (18:30 UTC the day before) is the major, date-labelled tick.
        const TimeScale s2(kDay0 - 13 * H, kDay0 + 13 * H, 400);
        int majors = 0;
        for (const TimeScale::Tick &t : s2.ticks(80, off))
            if (t.major) {
                ++majors;
                QCOMPARE(t.us, kDay0 - 5 * H - 30 * MIN);
                QCOMPARE(t.label, QStringLiteral("Mar 18"));
            }
        QCOMPARE(majors, 1);
    }
};

QTEST_GUILESS_MAIN(TstTimeScale)
#include "tst_time_scale.moc"
