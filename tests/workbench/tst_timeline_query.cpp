// tt::queryTimeline on a small case built through the import engine (TimelineCase.h): exact
// bin counts, per-host lanes, the host filter, transfer markers under the shared transfer filter
// (time window -> inWindow), the whole-case default window, and the plans of the density
// statements (covering index range scans, never a table scan).

#include "query/TimelineQuery.h"
#include "store/CaseStore.h"
#include "workbench/TimeScale.h"

#include "TimelineCase.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tt;
using namespace timelinecase;

using Counts = std::vector<int64_t>;
Q_DECLARE_METATYPE(Counts)

namespace {
QString show(const Counts &c)
{
    QStringList parts;
    for (int64_t n : c)
        parts << QString::number(n);
    return parts.join(QLatin1Char(','));
}

QList<qint64> markerIds(const TimelineData &d)
{
    QList<qint64> ids;
    for (const TimelineMarker &m : d.markers)
        ids << m.id;
    return ids;
}
} // namespace

class TstTimelineQuery : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    Ids m_ids;
    std::unique_ptr<store::CaseStore> m_cs;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("timeline.ttcase"));
        const QString err = build(path, &m_ids);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        m_cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadOnly);
    }

    void bins_data()
    {
        QTest::addColumn<int64_t>("from");
        QTest::addColumn<int64_t>("to");
        QTest::addColumn<int>("bins");
        QTest::addColumn<int64_t>("binUs");
        QTest::addColumn<Counts>("counts");
        // [T0, T0 + 120 s): the events at 120 s and 3600 s are outside (half-open window).
        QTest::newRow("4 x 30 s") << kT0 << kT0 + 120 * kSec << 4 << 30 * kSec << Counts {4, 0, 3, 1};
        QTest::newRow("2 x 60 s") << kT0 << kT0 + 120 * kSec << 2 << 60 * kSec << Counts {4, 4};
        QTest::newRow("1 bin") << kT0 << kT0 + 120 * kSec << 1 << 120 * kSec << Counts {8};
        // 121 s in 4 bins would be 30.25 s: the width is rounded up to 1 min (issue 11), so three
        // bins cover the window; the event at 120 s is now inside, in the last (clipped) bin.
        QTest::newRow("width rounded up") << kT0 << kT0 + 121 * kSec << 4 << 60 * kSec << Counts {4, 4, 1};
        // 10 s in 3 bins: 3.33 s rounds up to 5 s. Events at 0, 1, 5 s.
        QTest::newRow("sub-bin arithmetic") << kT0 << kT0 + 10 * kSec << 3 << 5 * kSec << Counts {2, 1};
        // Bins lie on a grid of multiples of their width: a window starting at 14:00:07 has its
        // first bin at 14:00:00, clipped to the window (the events at 0, 1 and 5 s are outside).
        QTest::newRow("grid of round times")
            << kT0 + 7 * kSec << kT0 + 67 * kSec << 6 << 10 * kSec << Counts {0, 1, 0, 0, 0, 0, 3};
        QTest::newRow("window without events")
            << kT0 + 200 * kSec << kT0 + 300 * kSec << 5 << 30 * kSec << Counts {0, 0, 0, 0};
        QTest::newRow("window starting at an event")
            << kT0 + 61 * kSec << kT0 + 66 * kSec << 5 << kSec << Counts {1, 1, 0, 0, 1};
        QTest::newRow("bins clamped to 1") << kT0 << kT0 + 120 * kSec << 0 << 120 * kSec << Counts {8};
    }
    void bins()
    {
        QFETCH(int64_t, from);
        QFETCH(int64_t, to);
        QFETCH(int, bins);
        QFETCH(int64_t, binUs);
        QFETCH(Counts, counts);
        const TimelineData d = queryTimeline(m_cs->db(), {}, from, to, bins, false);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(d.fromUs, from);
        QCOMPARE(d.toUs, to);
        QCOMPARE(d.binUs, binUs);
        QCOMPARE(d.binFromUs % d.binUs, int64_t(0));
        QVERIFY(d.binFromUs <= from && d.binFromUs + d.binUs > from);
        QVERIFY2(d.counts == counts, qPrintable(show(d.counts)));
        int64_t total = 0;
        for (int64_t c : counts)
            total += c;
        QCOMPARE(d.eventsInWindow, total);
        QVERIFY(d.lanes.empty());
        QCOMPARE(d.caseFirstUs, kT0);
        QCOMPARE(d.caseLastUs, kT0 + 3600 * kSec);
    }

    void lanes()
    {
        const TimelineData d = queryTimeline(m_cs->db(), {}, kT0, kT0 + 120 * kSec, 4, true);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QVERIFY2(d.counts == (Counts {4, 0, 3, 1}), qPrintable(show(d.counts)));
        QCOMPARE(d.lanes.size(), size_t(3));
        // Ordered by name.
        QCOMPARE(d.lanes[0].name, QStringLiteral("DC1"));
        QCOMPARE(d.lanes[0].hostId, m_ids.dc1);
        QVERIFY2(d.lanes[0].counts == (Counts {0, 0, 0, 1}), qPrintable(show(d.lanes[0].counts)));
        QCOMPARE(d.lanes[1].name, QStringLiteral("WS1"));
        QVERIFY2(d.lanes[1].counts == (Counts {3, 0, 1, 0}), qPrintable(show(d.lanes[1].counts)));
        QCOMPARE(d.lanes[2].name, QStringLiteral("WS2"));
        QVERIFY2(d.lanes[2].counts == (Counts {1, 0, 2, 0}), qPrintable(show(d.lanes[2].counts)));
        QCOMPARE(d.maxCount(), int64_t(3));
        QCOMPARE(d.hostNames.value(m_ids.ws2), QStringLiteral("WS2"));
    }

    void hostFilter()
    {
        FilterState f;
        f.hosts = {m_ids.ws2, m_ids.dc1};
        // Totals are the filter's hosts only; lanes only when asked for.
        TimelineData d = queryTimeline(m_cs->db(), f, kT0, kT0 + 120 * kSec, 4, false);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QVERIFY2(d.counts == (Counts {1, 0, 2, 1}), qPrintable(show(d.counts)));
        QCOMPARE(d.eventsInWindow, int64_t(4));
        QVERIFY(d.lanes.empty());
        // Markers: transfers touching WS2 or DC1 (t4 is outside the window).
        QCOMPARE(markerIds(d), (QList<qint64> {m_ids.t1, m_ids.t2}));

        d = queryTimeline(m_cs->db(), f, kT0, kT0 + 120 * kSec, 4, true);
        QCOMPARE(d.lanes.size(), size_t(2)); // DC1, WS2: only the filter's hosts
        QCOMPARE(d.lanes[0].hostId, m_ids.dc1);
        QCOMPARE(d.lanes[1].hostId, m_ids.ws2);
        QVERIFY2(d.counts == (Counts {1, 0, 2, 1}), qPrintable(show(d.counts)));
    }

    void markers()
    {
        const TimelineData d = queryTimeline(m_cs->db(), {}, kT0, kT0 + 120 * kSec, 4, false);
        QCOMPARE(markerIds(d), (QList<qint64> {m_ids.t1, m_ids.t2, m_ids.t3}));
        const TimelineMarker &m1 = d.markers[0];
        QCOMPARE(m1.firstTs, kT0 + 5 * kSec);
        QCOMPARE(m1.lastTs, kT0 + 6 * kSec);
        QCOMPARE(m1.src, m_ids.ws1);
        QCOMPARE(m1.dst, m_ids.ws2);
        QCOMPARE(m1.method, QStringLiteral("smb-admin-share"));
        QCOMPARE(m1.confidence, 0.9);
        QVERIFY(m1.inWindow);
        QCOMPARE(d.markers[1].method, QStringLiteral("psexec-service-binary"));
        QCOMPARE(d.markers[1].confidence, 0.4);
        QCOMPARE(d.markers[2].src, int64_t(-1)); // unknown source
        QCOMPARE(d.markers[2].dst, m_ids.ws1);
        // The whole case.
        const TimelineData all = queryTimeline(m_cs->db(), {}, kT0 - kSec, kT0 + 4000 * kSec, 10, false);
        QCOMPARE(markerIds(all), (QList<qint64> {m_ids.t1, m_ids.t2, m_ids.t3, m_ids.t4}));
    }

    void markersUnderFilter_data()
    {
        QTest::addColumn<QStringList>("methods");
        QTest::addColumn<double>("minConfidence");
        QTest::addColumn<int64_t>("fromUs");
        QTest::addColumn<int64_t>("toUs");
        QTest::addColumn<QString>("shown"); // t1..t3 as "123"
        QTest::addColumn<QString>("inWindow"); // the subset kept by the time window
        QTest::newRow("no filter") << QStringList {} << 0.0 << int64_t(0) << int64_t(0) << "123"
                                   << "123";
        QTest::newRow("method") << QStringList {"smb-admin-share", "rdp-tsclient"} << 0.0 << int64_t(0) << int64_t(0)
                                << "13"
                                << "13";
        QTest::newRow("min confidence") << QStringList {} << 0.5 << int64_t(0) << int64_t(0) << "13"
                                        << "13";
        // Window [50 s, 70 s]: t1 ended at 6 s, t3 starts at 100 s; only t2 is in it. The others
        // stay on the timeline (faded) so that the analyst sees what the brush hides.
        QTest::newRow("time window") << QStringList {} << 0.0 << kT0 + 50 * kSec << kT0 + 70 * kSec << "123"
                                     << "2";
        // A window overlapping t1's span [5 s, 6 s] keeps it.
        QTest::newRow("window overlaps span") << QStringList {} << 0.0 << kT0 + 6 * kSec << kT0 + 7 * kSec << "123"
                                              << "1";
        QTest::newRow("open-ended window") << QStringList {} << 0.0 << kT0 + 60 * kSec << int64_t(0) << "123"
                                           << "23";
        QTest::newRow("window and method")
            << QStringList {"psexec-service-binary"} << 0.0 << kT0 + 50 * kSec << kT0 + 70 * kSec << "2"
            << "2";
    }
    void markersUnderFilter()
    {
        QFETCH(QStringList, methods);
        QFETCH(double, minConfidence);
        QFETCH(int64_t, fromUs);
        QFETCH(int64_t, toUs);
        QFETCH(QString, shown);
        QFETCH(QString, inWindow);
        FilterState f;
        f.methods = methods;
        f.minConfidence = minConfidence;
        f.fromUs = fromUs;
        f.toUs = toUs;
        const TimelineData d = queryTimeline(m_cs->db(), f, kT0, kT0 + 120 * kSec, 4, false);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        const QHash<qint64, QChar> name {
            {m_ids.t1, QLatin1Char('1')}, {m_ids.t2, QLatin1Char('2')}, {m_ids.t3, QLatin1Char('3')}};
        QString gotShown, gotIn;
        for (const TimelineMarker &m : d.markers) {
            gotShown += name.value(m.id, QLatin1Char('?'));
            if (m.inWindow)
                gotIn += name.value(m.id, QLatin1Char('?'));
        }
        QCOMPARE(gotShown, shown);
        QCOMPARE(gotIn, inWindow);
        // Density ignores transfer attributes and the brushed window: it shows the context.
        QVERIFY2(d.counts == (Counts {4, 0, 3, 1}), qPrintable(show(d.counts)));
    }

    void wholeCaseByDefault()
    {
        const TimelineData d = queryTimeline(m_cs->db(), {}, 0, 0, 100, false);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        const auto [lo, hi] = TimeScale::caseLimits(kT0, kT0 + 3600 * kSec);
        QCOMPARE(d.fromUs, lo);
        QCOMPARE(d.toUs, hi);
        QCOMPARE(d.eventsInWindow, int64_t(10));
        QCOMPARE(d.markers.size(), size_t(4));
        int64_t sum = 0;
        for (int64_t c : d.counts)
            sum += c;
        QCOMPARE(sum, int64_t(10));
        QVERIFY(d.bins() <= 100);
    }

    void emptyCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.ttcase"));
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);
        const TimelineData d = queryTimeline(cs->db(), {}, 0, 0, 100, true);
        QVERIFY(d.error.isEmpty());
        QCOMPARE(d.bins(), 0);
        QVERIFY(d.markers.empty());
        QCOMPARE(d.caseFirstUs, int64_t(0));
    }

    void densityPlansUseCoveringIndexes_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("index");
        const QString all = QStringLiteral("COVERING INDEX events_ts (ts>? AND ts<?)");
        const QString host = QStringLiteral("COVERING INDEX events_host_ts (host_id=? AND ts>? AND ts<?)");
        QTest::newRow("count") << QString::fromLatin1(kTimelineCountSql) << all;
        QTest::newRow("next") << QString::fromLatin1(kTimelineNextSql) << all;
        QTest::newRow("host count") << QString::fromLatin1(kTimelineHostCountSql) << host;
        QTest::newRow("host next") << QString::fromLatin1(kTimelineHostNextSql) << host;
    }
    void densityPlansUseCoveringIndexes()
    {
        QFETCH(QString, sql);
        QFETCH(QString, index);
        auto st = m_cs->db().prepare(QString(QStringLiteral("EXPLAIN QUERY PLAN ") + sql).toStdString());
        QStringList plan;
        while (st.step())
            plan << QString::fromStdString(st.text(3));
        const QString all = plan.join(QStringLiteral(" | "));
        QVERIFY2(all.contains(QStringLiteral("SEARCH events USING ") + index), qPrintable(all));
        QVERIFY2(!all.contains(QStringLiteral("SCAN events")), qPrintable(all));
        QVERIFY2(!all.contains(QStringLiteral("TEMP B-TREE")), qPrintable(all)); // no sort
    }
};

QTEST_GUILESS_MAIN(TstTimelineQuery)
#include "tst_timeline_query.moc"
