#include "core/Integer.h"

#include <QTest>

using namespace tt::integer;

// The one integer parser of the importers: boundaries, signs, white space, junk and hex.
class TstInteger : public QObject {
    Q_OBJECT
private slots:
    void int64_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<bool>("hex");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("value");
        QTest::newRow("zero") << QByteArray("0") << false << true << qint64(0);
        QTest::newRow("minus zero") << QByteArray("-0") << false << true << qint64(0);
        QTest::newRow("plus") << QByteArray("+42") << false << true << qint64(42);
        QTest::newRow("minus") << QByteArray("-42") << false << true << qint64(-42);
        QTest::newRow("leading zeros") << QByteArray("000000000000000000000007") << false << true << qint64(7);
        QTest::newRow("INT64_MAX") << QByteArray("9223372036854775807") << false << true
                                   << qint64(std::numeric_limits<qint64>::max());
        QTest::newRow("INT64_MAX+1") << QByteArray("9223372036854775808") << false << false << qint64(0);
        QTest::newRow("INT64_MIN") << QByteArray("-9223372036854775808") << false << true
                                   << qint64(std::numeric_limits<qint64>::min());
        QTest::newRow("INT64_MIN-1") << QByteArray("-9223372036854775809") << false << false << qint64(0);
        QTest::newRow("19 nines") << QByteArray("9999999999999999999") << false << false << qint64(0);
        QTest::newRow("20 digits") << QByteArray("10000000000000000000") << false << false << qint64(0);
        QTest::newRow("UINT64_MAX") << QByteArray("18446744073709551615") << false << false << qint64(0);
        QTest::newRow("spaces around") << QByteArray(" \t 12 \r\n") << false << true << qint64(12);
        QTest::newRow("inner space") << QByteArray("1 2") << false << false << qint64(0);
        QTest::newRow("space after sign") << QByteArray("- 1") << false << false << qint64(0);
        QTest::newRow("empty") << QByteArray("") << false << false << qint64(0);
        QTest::newRow("blank") << QByteArray("   ") << false << false << qint64(0);
        QTest::newRow("lone minus") << QByteArray("-") << false << false << qint64(0);
        QTest::newRow("lone plus") << QByteArray("+") << false << false << qint64(0);
        QTest::newRow("two signs") << QByteArray("+-1") << false << false << qint64(0);
        QTest::newRow("trailing junk") << QByteArray("12a") << false << false << qint64(0);
        QTest::newRow("fraction") << QByteArray("1.0") << false << false << qint64(0);
        QTest::newRow("exponent") << QByteArray("1e3") << false << false << qint64(0);
        QTest::newRow("nul inside") << QByteArray("1\0002", 3) << false << false << qint64(0);
        QTest::newRow("hex refused") << QByteArray("0x10") << false << false << qint64(0);
        QTest::newRow("hex") << QByteArray("0x10") << true << true << qint64(16);
        QTest::newRow("hex upper") << QByteArray(" 0XaBc ") << true << true << qint64(0xABC);
        QTest::newRow("hex 16 digits") << QByteArray("0xFFFFFFFFFFFFFFFF") << true << true << qint64(-1);
        QTest::newRow("hex 17 digits") << QByteArray("0x1FFFFFFFFFFFFFFFF") << true << false << qint64(0);
        QTest::newRow("hex no digits") << QByteArray("0x") << true << false << qint64(0);
        QTest::newRow("hex junk") << QByteArray("0x1g") << true << false << qint64(0);
        QTest::newRow("hex signed") << QByteArray("-0x1") << true << false << qint64(0);
        QTest::newRow("decimal with hex allowed") << QByteArray("-5") << true << true << qint64(-5);
    }
    void int64()
    {
        QFETCH(QByteArray, in);
        QFETCH(bool, hex);
        QFETCH(bool, ok);
        QFETCH(qint64, value);
        int64_t out = 12345;
        QCOMPARE(
            parseInt64(std::string_view(in.constData(), size_t(in.size())), out, hex ? Hex::Allowed : Hex::Refused),
            ok);
        QCOMPARE(qint64(out), ok ? value : qint64(12345)); // untouched on failure
    }

    void uint64_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<bool>("hex");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<quint64>("value");
        QTest::newRow("INT64_MAX+1") << QByteArray("9223372036854775808") << false << true << (quint64(1) << 63);
        QTest::newRow("19 nines") << QByteArray("9999999999999999999") << false << true
                                  << quint64(9999999999999999999ULL);
        QTest::newRow("UINT64_MAX") << QByteArray("18446744073709551615") << false << true
                                    << std::numeric_limits<quint64>::max();
        QTest::newRow("UINT64_MAX+1") << QByteArray("18446744073709551616") << false << false << quint64(0);
        QTest::newRow("21 digits") << QByteArray("100000000000000000000") << false << false << quint64(0);
        QTest::newRow("minus") << QByteArray("-1") << false << false << quint64(0);
        QTest::newRow("minus zero") << QByteArray("-0") << false << false << quint64(0);
        QTest::newRow("plus") << QByteArray("+7") << false << true << quint64(7);
        QTest::newRow("empty") << QByteArray("") << false << false << quint64(0);
        QTest::newRow("hex") << QByteArray("0x8000000000000000") << true << true << (quint64(1) << 63);
        QTest::newRow("hex refused") << QByteArray("0x1") << false << false << quint64(0);
    }
    void uint64()
    {
        QFETCH(QByteArray, in);
        QFETCH(bool, hex);
        QFETCH(bool, ok);
        QFETCH(quint64, value);
        uint64_t out = 12345;
        QCOMPARE(
            parseUInt64(std::string_view(in.constData(), size_t(in.size())), out, hex ? Hex::Allowed : Hex::Refused),
            ok);
        QCOMPARE(quint64(out), ok ? value : quint64(12345));
    }

    void bits64_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<quint64>("value");
        QTest::newRow("nxlog signed mask")
            << QByteArray("-9214364837600034816") << true << quint64(0x8020000000000000ULL);
        QTest::newRow("unsigned mask") << QByteArray("9232379236109516800") << true << quint64(0x8020000000000000ULL);
        QTest::newRow("INT64_MIN") << QByteArray("-9223372036854775808") << true << (quint64(1) << 63);
        QTest::newRow("below INT64_MIN") << QByteArray("-9223372036854775809") << false << quint64(0);
        QTest::newRow("above UINT64_MAX") << QByteArray("18446744073709551616") << false << quint64(0);
        QTest::newRow("junk") << QByteArray("0x80") << false << quint64(0);
    }
    void bits64()
    {
        QFETCH(QByteArray, in);
        QFETCH(bool, ok);
        QFETCH(quint64, value);
        uint64_t out = 12345;
        QCOMPARE(parseBits64(std::string_view(in.constData(), size_t(in.size())), out), ok);
        QCOMPARE(quint64(out), ok ? value : quint64(12345));
    }
};

QTEST_APPLESS_MAIN(TstInteger)
#include "tst_integer.moc"
