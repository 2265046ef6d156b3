#include "core/FormatDetector.h"
#include "store/HostName.h"

#include <QTest>

using namespace tt;

class TstHostName : public QObject {
    Q_OBJECT
private slots:
    void normalise_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("fqdn");
        QTest::newRow("fqdn") << "WORKSTATION5.theshire.local" << true << "WORKSTATION5"
                              << "workstation5.theshire.local";
        QTest::newRow("short lower") << "workstation5" << true << "WORKSTATION5"
                                     << "";
        QTest::newRow("machine account") << "WORKSTATION5$" << true << "WORKSTATION5"
                                         << "";
        QTest::newRow("unc prefix") << "\\\\PC01" << true << "PC01"
                                    << "";
        QTest::newRow("trailing dot") << "pc01.example.corp." << true << "PC01"
                                      << "pc01.example.corp";
        QTest::newRow("ipv4") << "10.0.2.15" << true << "10.0.2.15"
                              << "";
        QTest::newRow("mapped ipv6") << "::ffff:172.18.39.5" << true << "172.18.39.5"
                                     << "";
        QTest::newRow("loopback") << "127.0.0.1" << false << ""
                                  << "";
        QTest::newRow("dash") << "-" << false << ""
                              << "";
        QTest::newRow("localhost") << "localhost" << false << ""
                                   << "";
        QTest::newRow("empty") << "" << false << ""
                               << "";
        QTest::newRow("injection") << "a<script>" << false << ""
                                   << "";
        QTest::newRow("spaces") << "two words" << false << ""
                                << "";
    }
    void normalise()
    {
        QFETCH(QString, raw);
        QFETCH(bool, valid);
        QFETCH(QString, key);
        QFETCH(QString, fqdn);
        auto hn = store::normaliseHostName(raw.toStdString());
        QCOMPARE(hn.valid, valid);
        QCOMPARE(QString::fromStdString(hn.key), key);
        QCOMPARE(QString::fromStdString(hn.fqdn), fqdn);
    }
    void ips()
    {
        QVERIFY(store::isUninformativeIp("::1"));
        QVERIFY(store::isUninformativeIp("0.0.0.0"));
        QVERIFY(store::isUninformativeIp("fe80::1%12"));
        QVERIFY(store::isUninformativeIp("-"));
        QVERIFY(!store::isUninformativeIp("172.18.39.6"));
        QCOMPARE(QString::fromStdString(store::normaliseIp("[FE80::ABCD]")), QStringLiteral("fe80::abcd"));
    }
    void detect_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("format");
        QTest::newRow("evtx") << QByteArray("ElfFile\0rest", 12) << int(Format::Evtx);
        QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\x00", 4) << int(Format::Gzip);
        QTest::newRow("zip") << QByteArray("PK\x03\x04....") << int(Format::Zip);
        QTest::newRow("json") << QByteArray("  \n{\"EventID\":1}") << int(Format::JsonLines);
        QTest::newRow("json bom") << QByteArray("\xEF\xBB\xBF{\"a\":1}") << int(Format::JsonLines);
        QTest::newRow("xml") << QByteArray("<?xml version=\"1.0\"?><Events>") << int(Format::WinXml);
        QTest::newRow("xml utf16le bom") << QByteArray("\xFF\xFE<\0E\0", 6) << int(Format::WinXml);
        QTest::newRow("xml utf16le nobom") << QByteArray("<\0E\0v\0", 6) << int(Format::WinXml);
        QTest::newRow("empty") << QByteArray() << int(Format::Empty);
        QTest::newRow("blank") << QByteArray(" \r\n\t ") << int(Format::Empty);
        QTest::newRow("csv") << QByteArray("a,b,c\n1,2,3") << int(Format::Unknown);
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\x03", 4) << int(Format::Unknown);
    }
    void detect()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, format);
        QCOMPARE(int(detectFormat(head.constData(), static_cast<size_t>(head.size()))), format);
    }
};

QTEST_GUILESS_MAIN(TstHostName)
#include "tst_hostname.moc"
