// The generator at enterprise size: every host gets its own name and address however many there
// are (`gen --hosts 518` used to loop forever once 8 departments x 60 workstation numbers were
// used up).

#include "generator/Generator.h"
#include "generator/Topology.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace tt::gen;

class TestGeneratorScale : public QObject {
    Q_OBJECT

private slots:
    void topologyIsUnique_data();
    void topologyIsUnique();
    void manyHostsGenerate_data();
    void manyHostsGenerate();
};

void TestGeneratorScale::topologyIsUnique_data()
{
    QTest::addColumn<int>("hosts");
    QTest::addColumn<int>("linux");
    QTest::newRow("2") << 2 << 0;
    QTest::newRow("517: last size the fixed name space held") << 517 << 3;
    QTest::newRow("518: first size that hung") << 518 << 3;
    QTest::newRow("1200") << 1200 << 8;
    QTest::newRow("5000") << 5000 << 200;
    QTest::newRow("max") << Options::kMaxHosts << 200;
}

void TestGeneratorScale::topologyIsUnique()
{
    QFETCH(int, hosts);
    QFETCH(int, linux);
    for (uint64_t seed : {1, 2, 7}) {
        const Topology topo(hosts, seed, linux);
        QCOMPARE(static_cast<int>(topo.hosts().size()), hosts + linux);
        QCOMPARE(topo.windowsCount(), hosts);
        QSet<QString> names, ips;
        // 10.N.S.H with S and H octets; the network part is the same for every host.
        const QRegularExpression ipRe(QStringLiteral("^10\\.(\\d+)\\.(\\d+)\\.(\\d+)$"));
        QString network;
        for (const Host &h : topo.hosts()) {
            const QString name = QString::fromStdString(h.name);
            const QString ip = QString::fromStdString(h.ip);
            QVERIFY2(!names.contains(name.toUpper()), qPrintable(QStringLiteral("duplicate name %1").arg(name)));
            QVERIFY2(!ips.contains(ip), qPrintable(QStringLiteral("duplicate address %1 (%2)").arg(ip, name)));
            names.insert(name.toUpper());
            ips.insert(ip);
            QCOMPARE(
                QString::fromStdString(h.fqdn), name + QLatin1Char('.') + QString::fromStdString(topo.dnsDomain()));
            const QRegularExpressionMatch m = ipRe.match(ip);
            QVERIFY2(m.hasMatch(), qPrintable(ip));
            if (network.isEmpty())
                network = m.captured(1);
            QCOMPARE(m.captured(1), network);
            QVERIFY2(m.captured(2).toInt() <= 255 && m.captured(3).toInt() >= 1 && m.captured(3).toInt() <= 254,
                qPrintable(ip));
        }
    }
}

void TestGeneratorScale::manyHostsGenerate_data()
{
    QTest::addColumn<int>("hosts");
    QTest::newRow("518") << 518;
    QTest::newRow("1200") << 1200;
}

void TestGeneratorScale::manyHostsGenerate()
{
    QFETCH(int, hosts);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Options o;
    o.outDir = dir.path();
    o.hosts = hosts;
    o.events = 3000;
    o.linuxHosts = 3;
    const Summary s = generate(o);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(s.hosts, hosts + 3);
    QVERIFY(s.eventsWritten >= 3000);

    QFile f(s.groundTruthPath);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    QVERIFY(doc.isArray() && !doc.array().isEmpty());
    const QJsonObject gt = doc.array().first().toObject();
    QCOMPARE(gt.value(QStringLiteral("generator")).toObject().value(QStringLiteral("hosts")).toInt(), hosts);
    // address -> host name: two hosts on one address would leave fewer keys, two hosts with one
    // name fewer distinct values.
    const QJsonObject ipMap = gt.value(QStringLiteral("host_ip_map")).toObject();
    QCOMPARE(ipMap.size(), hosts + 3);
    QSet<QString> names;
    for (auto it = ipMap.begin(); it != ipMap.end(); ++it)
        names.insert(it.value().toString().toUpper());
    QCOMPARE(names.size(), hosts + 3);
}

QTEST_GUILESS_MAIN(TestGeneratorScale)
#include "tst_generator_scale.moc"
