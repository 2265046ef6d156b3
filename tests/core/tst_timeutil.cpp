#include "core/TimeUtil.h"

#include <QTest>

using namespace tt::timeutil;

class TstTimeUtil : public QObject {
    Q_OBJECT
private slots:
    void iso_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<bool>("zone");
        QTest::addColumn<QString>("utc");
        QTest::newRow("Z ms") << "2019-03-18T14:23:26.981Z" << true << true << "2019-03-18T14:23:26.981000Z";
        QTest::newRow("7 digits") << "2019-03-18T14:23:26.9810123Z" << true << true << "2019-03-18T14:23:26.981012Z";
        QTest::newRow("space, no zone") << "2020-10-09 18:30:31" << true << false << "2020-10-09T18:30:31.000000Z";
        QTest::newRow("sysmon") << "2020-10-09 22:30:31.633" << true << false << "2020-10-09T22:30:31.633000Z";
        QTest::newRow("offset") << "2020-10-09T18:30:31-04:00" << true << true << "2020-10-09T22:30:31.000000Z";
        QTest::newRow("offset nocolon") << "2020-10-09T18:30:31+0530" << true << true << "2020-10-09T13:00:31.000000Z";
        QTest::newRow("leap day") << "2020-02-29T00:00:00Z" << true << true << "2020-02-29T00:00:00.000000Z";
        QTest::newRow("no leap") << "2019-02-29T00:00:00Z" << false << false << "";
        QTest::newRow("month 13") << "2019-13-01T00:00:00Z" << false << false << "";
        QTest::newRow("garbage") << "yesterday" << false << false << "";
        QTest::newRow("trailing junk") << "2019-03-18T14:23:26Zjunk" << false << false << "";
        QTest::newRow("empty") << "" << false << false << "";
        QTest::newRow("pre-epoch") << "1969-12-31T23:59:59.5Z" << true << true << "1969-12-31T23:59:59.500000Z";
    }
    void iso()
    {
        QFETCH(QString, in);
        QFETCH(bool, ok);
        QFETCH(bool, zone);
        QFETCH(QString, utc);
        auto r = parseIso8601(in.toStdString());
        QCOMPARE(r.has_value(), ok);
        if (!ok)
            return;
        QCOMPARE(r->hasZone, zone);
        QCOMPARE(QString::fromStdString(formatIsoUtc(r->us)), utc);
    }
    void filetime()
    {
        // 2019-03-18T14:23:26.981Z as FILETIME.
        const uint64_t ft = 131973926069810000ULL;
        QCOMPARE(QString::fromStdString(formatIsoUtc(filetimeToUs(ft))), QStringLiteral("2019-03-18T14:23:26.981000Z"));
        QCOMPARE(filetimeToUs(116444736000000000ULL), int64_t(0));
    }
    void quarterHour_data()
    {
        QTest::addColumn<qint64>("in");
        QTest::addColumn<qint64>("out");
        const qint64 s = 1000000;
        QTest::newRow("4h + 2s lag") << qint64(4 * 3600 * s + 2 * s) << qint64(4 * 3600 * s);
        QTest::newRow("4h - 30s") << qint64(4 * 3600 * s - 30 * s) << qint64(4 * 3600 * s);
        QTest::newRow("-5h30 + 7m") << qint64(-(5 * 3600 + 1800) * s + 7 * 60 * s) << qint64(-(5 * 3600 + 1800) * s);
        QTest::newRow("zero") << qint64(3 * s) << qint64(0);
    }
    void quarterHour()
    {
        QFETCH(qint64, in);
        QFETCH(qint64, out);
        QCOMPARE(roundToQuarterHour(in), out);
    }
};

QTEST_GUILESS_MAIN(TstTimeUtil)
#include "tst_timeutil.moc"
