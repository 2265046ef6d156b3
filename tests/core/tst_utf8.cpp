#include "core/Utf8.h"

#include <QTest>

using namespace tt;

namespace {
std::string_view view(const QByteArray &b)
{
    return {b.constData(), size_t(b.size())};
}
} // namespace

// The one UTF-8 decoder: valid sequences of every length, and every kind of invalid one
// (stray continuation, overlong, surrogate, past U+10FFFF, bad lead byte, cut short).
class TstUtf8 : public QObject {
    Q_OBJECT
private slots:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<int>("length"); // of the sequence at 0; 0 = invalid
        QTest::addColumn<uint>("codePoint");
        QTest::newRow("ASCII") << QByteArray("A") << 1 << 0x41u;
        QTest::newRow("NUL") << QByteArray("\x00", 1) << 1 << 0u;
        QTest::newRow("2 bytes, lowest") << QByteArray("\xC2\x80") << 2 << 0x80u;
        QTest::newRow("2 bytes, highest") << QByteArray("\xDF\xBF") << 2 << 0x7FFu;
        QTest::newRow("3 bytes, lowest") << QByteArray("\xE0\xA0\x80") << 3 << 0x800u;
        QTest::newRow("3 bytes, before surrogates") << QByteArray("\xED\x9F\xBF") << 3 << 0xD7FFu;
        QTest::newRow("3 bytes, after surrogates") << QByteArray("\xEE\x80\x80") << 3 << 0xE000u;
        QTest::newRow("U+FFFD") << QByteArray("\xEF\xBF\xBD") << 3 << 0xFFFDu;
        QTest::newRow("4 bytes, lowest") << QByteArray("\xF0\x90\x80\x80") << 4 << 0x10000u;
        QTest::newRow("U+10FFFF") << QByteArray("\xF4\x8F\xBF\xBF") << 4 << 0x10FFFFu;
        QTest::newRow("only the first sequence") << QByteArray("\xC3\xA9\xFF") << 2 << 0xE9u;

        QTest::newRow("stray continuation") << QByteArray("\x80") << 0 << 0u;
        QTest::newRow("overlong NUL") << QByteArray("\xC0\x80") << 0 << 0u;
        QTest::newRow("overlong 2 bytes") << QByteArray("\xC1\xBF") << 0 << 0u;
        QTest::newRow("overlong 3 bytes") << QByteArray("\xE0\x9F\xBF") << 0 << 0u;
        QTest::newRow("overlong 4 bytes") << QByteArray("\xF0\x8F\xBF\xBF") << 0 << 0u;
        QTest::newRow("high surrogate") << QByteArray("\xED\xA0\x80") << 0 << 0u;
        QTest::newRow("low surrogate") << QByteArray("\xED\xBF\xBF") << 0 << 0u;
        QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0 << 0u;
        QTest::newRow("F5 lead") << QByteArray("\xF5\x80\x80\x80") << 0 << 0u;
        QTest::newRow("5-byte lead") << QByteArray("\xF8\x88\x80\x80\x80") << 0 << 0u;
        QTest::newRow("FF") << QByteArray("\xFF") << 0 << 0u;
        QTest::newRow("truncated 2 of 2") << QByteArray("\xC3") << 0 << 0u;
        QTest::newRow("truncated 2 of 3") << QByteArray("\xE2\x82") << 0 << 0u;
        QTest::newRow("truncated 3 of 4") << QByteArray("\xF0\x9F\x98") << 0 << 0u;
        QTest::newRow("cut by ASCII") << QByteArray("\xE2\x82"
                                                    "A")
                                      << 0 << 0u;
        QTest::newRow("cut by a lead byte") << QByteArray("\xE2\xC3\xA9") << 0 << 0u;
    }
    void decode()
    {
        QFETCH(QByteArray, in);
        QFETCH(int, length);
        QFETCH(uint, codePoint);
        char32_t cp = 0xDEAD;
        QCOMPARE(int(utf8::decode(view(in), 0, &cp)), length);
        QCOMPARE(uint(cp), length ? codePoint : 0xDEADu); // untouched when invalid
        QCOMPARE(int(utf8::decode(view(in), 0)), length); // the code point is optional
    }

    void decodeAtOffset()
    {
        const QByteArray in("a\xC3\xA9\xE2\x82");
        char32_t cp = 0;
        QCOMPARE(utf8::decode(view(in), 1, &cp), size_t(2));
        QCOMPARE(uint(cp), 0xE9u);
        QCOMPARE(utf8::decode(view(in), 3, &cp), size_t(0)); // cut by the end of the text
        QCOMPARE(utf8::decode(view(in), 2, &cp), size_t(0)); // a continuation byte
    }

    void repair_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::addColumn<bool>("valid");
        const QByteArray r("\xEF\xBF\xBD");
        QTest::newRow("empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("valid kept") << QByteArray("a\xC3\xA9\xF0\x9F\x98\x80z")
                                    << QByteArray("a\xC3\xA9\xF0\x9F\x98\x80z") << true;
        QTest::newRow("lone byte") << QByteArray("a\xFFz") << QByteArray("a" + r + "z") << false;
        QTest::newRow("overlong: one per byte") << QByteArray("\xC0\x80") << QByteArray(r + r) << false;
        QTest::newRow("surrogate: one per byte") << QByteArray("\xED\xA0\x80") << QByteArray(r + r + r) << false;
        QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << QByteArray(r + r + r + r) << false;
        QTest::newRow("truncated at the end") << QByteArray("ok\xE2\x82") << QByteArray("ok" + r + r) << false;
        QTest::newRow("truncated, then valid")
            << QByteArray("\xE2\x82\xC3\xA9") << QByteArray(r + r + "\xC3\xA9") << false;
    }
    void repair()
    {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QFETCH(bool, valid);
        QCOMPARE(utf8::isValid(view(in)), valid);
        const std::string repaired = utf8::repair(view(in));
        QCOMPARE(QByteArray::fromStdString(repaired), out);
        QVERIFY(utf8::isValid(repaired));
    }

    void appendRoundTrips_data()
    {
        QTest::addColumn<uint>("codePoint");
        QTest::addColumn<int>("length");
        for (const auto &[cp, n] : {std::pair {0x0u, 1}, {0x7Fu, 1}, {0x80u, 2}, {0x7FFu, 2}, {0x800u, 3}, {0xFFFFu, 3},
                 {0x10000u, 4}, {0x10FFFFu, 4}})
            QTest::addRow("U+%04X", cp) << cp << n;
    }
    void appendRoundTrips()
    {
        QFETCH(uint, codePoint);
        QFETCH(int, length);
        std::string s;
        utf8::append(s, codePoint);
        QCOMPARE(int(s.size()), length);
        char32_t back = 0;
        QCOMPARE(int(utf8::decode(s, 0, &back)), length);
        QCOMPARE(uint(back), codePoint);
    }
};

QTEST_APPLESS_MAIN(TstUtf8)
#include "tst_utf8.moc"
