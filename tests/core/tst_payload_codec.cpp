#include "store/PayloadCodec.h"

#include <QTest>

using tt::store::PayloadCodec;

class TstPayloadCodec : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("codec");
        QTest::newRow("small stays raw") << QByteArray("{\"EventID\":1}") << int(PayloadCodec::Raw);
        QTest::newRow("large json")
            << QByteArray("{\"EventID\":4624,\"Channel\":\"Security\",\"TargetUserName\":\"admin\"}").repeated(80)
            << int(PayloadCodec::Zstd);
        QByteArray noise(4096, '\0');
        for (int i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919 + (i >> 3) * 104729) & 0xff);
        QTest::newRow("incompressible") << noise << -1;
        QTest::newRow("1 MiB command line") << QByteArray(1 << 20, 'A') << int(PayloadCodec::Zstd);
    }
    void roundTrip()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, codec);
        PayloadCodec c;
        std::string_view blob;
        const auto used = c.encode(std::string_view(payload.constData(), size_t(payload.size())), blob);
        if (codec >= 0)
            QCOMPARE(int(used), codec);
        if (used == PayloadCodec::Zstd)
            QVERIFY(blob.size() < size_t(payload.size()));
        const std::string stored(blob);
        std::string out;
        QVERIFY(c.decode(used, stored, out));
        QCOMPARE(QByteArray::fromStdString(out), payload);
    }
    void corruptBlobIsAnError()
    {
        PayloadCodec c;
        std::string out;
        QVERIFY(!c.decode(PayloadCodec::Zstd, std::string_view("\x28\xb5\x2f\xfd garbage", 12), out));
        QVERIFY(!out.empty());
        QVERIFY(!c.decode(42, "x", out));
        // A frame header claiming 2^40 bytes must not allocate them.
        const char huge[] = {'\x28', '\xb5', '\x2f', '\xfd', '\xc0', 0, 0, 0, 0, 0, 1, 0, 0};
        QVERIFY(!c.decode(PayloadCodec::Zstd, std::string_view(huge, sizeof huge), out));
    }
};

QTEST_GUILESS_MAIN(TstPayloadCodec)
#include "tst_payload_codec.moc"
