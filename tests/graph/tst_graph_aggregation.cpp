// Issue 12 item 5: hosts grouped by /24 or domain, edges merged with their counts, expanded
// groups kept apart, Auto by size (query/GraphAggregation.h). Pure data.

#include "query/GraphAggregation.h"

#include <QTest>

using namespace tt;

namespace {
GraphHost host(int64_t id, const QString &addr, const QString &fqdn = {})
{
    GraphHost h;
    h.id = id;
    h.name = QStringLiteral("H%1").arg(id);
    h.addresses = addr;
    h.fqdn = fqdn;
    return h;
}
GraphEdge edge(int64_t id, int64_t s, int64_t d, int count, qint64 firstTransfer, const QString &method)
{
    GraphEdge e;
    e.id = id;
    e.source = s;
    e.target = d;
    e.count = count;
    e.methods = {method};
    e.minConfidence = e.maxConfidence = 0.5 + 0.1 * static_cast<double>(id);
    for (int i = 0; i < count; ++i)
        e.transferIds << firstTransfer + i;
    return e;
}
// 1, 2, 3 in 10.0.1.0/24 (corp.example), 4, 5 in 10.0.2.0/24 (lab.example), 6 alone, 7 no address.
GraphData sample()
{
    GraphData d;
    d.hosts = {host(1, QStringLiteral("10.0.1.5"), QStringLiteral("a.corp.example")),
        host(2, QStringLiteral("fe80::1, 10.0.1.9"), QStringLiteral("b.CORP.example")),
        host(3, QStringLiteral("10.0.1.200"), QStringLiteral("c.lab.example")),
        host(4, QStringLiteral("10.0.2.1"), QStringLiteral("d.lab.example")), host(5, QStringLiteral("10.0.2.2")),
        host(6, QStringLiteral("192.168.7.7")), host(7, QString())};
    d.edges = {edge(1, 1, 4, 2, 100, QStringLiteral("smb")), edge(2, 2, 5, 3, 200, QStringLiteral("psexec")),
        edge(3, 1, 2, 1, 300, QStringLiteral("smb")), edge(4, 6, 3, 4, 400, QStringLiteral("rdp")),
        edge(5, 7, 1, 1, 500, QStringLiteral("smb"))};
    return d;
}
const GraphHost *byKey(const GraphData &d, const QString &key)
{
    for (const GraphHost &h : d.hosts)
        if (h.isGroup() && h.groupKey == key)
            return &h;
    return nullptr;
}
} // namespace

class TstGraphAggregation : public QObject {
    Q_OBJECT
private slots:
    void keys_data()
    {
        QTest::addColumn<QString>("addresses");
        QTest::addColumn<QString>("fqdn");
        QTest::addColumn<QString>("subnet");
        QTest::addColumn<QString>("domain");
        QTest::newRow("ipv4") << "10.1.2.3"
                              << "h.corp.example"
                              << "10.1.2.0/24"
                              << "corp.example";
        QTest::newRow("ipv6 first") << "::1, 172.16.0.9"
                                    << ""
                                    << "172.16.0.0/24"
                                    << "";
        QTest::newRow("not an address") << "10.1.2.300, 1.2.3"
                                        << "HOST."
                                        << ""
                                        << "";
        QTest::newRow("domain lowered") << ""
                                        << "x.Corp.Example"
                                        << ""
                                        << "corp.example";
    }
    void keys()
    {
        QFETCH(QString, addresses);
        QFETCH(QString, fqdn);
        QFETCH(QString, subnet);
        QFETCH(QString, domain);
        const GraphHost h = host(1, addresses, fqdn);
        QCOMPARE(hostGroupKey(h, HostGrouping::Subnet), subnet);
        QCOMPARE(hostGroupKey(h, HostGrouping::Domain), domain);
    }

    void subnetGroupsAndMergedEdges()
    {
        const GraphData g = aggregateGraph(sample(), HostGrouping::Subnet);
        const GraphHost *a = byKey(g, QStringLiteral("10.0.1.0/24"));
        const GraphHost *b = byKey(g, QStringLiteral("10.0.2.0/24"));
        QVERIFY(a && b);
        QCOMPARE(a->members, (QVector<qint64> {1, 2, 3}));
        QCOMPARE(b->members, (QVector<qint64> {4, 5}));
        QCOMPARE(g.hosts.size(), size_t(4)); // two groups, 6 and 7 alone
        QCOMPARE(a->internalTransfers, 1); // 1 -> 2
        // Every transfer touching the group: 1->4, 2->5, 1->2, 6->3, 7->1.
        QVector<qint64> ta = a->groupTransfers;
        std::sort(ta.begin(), ta.end());
        QCOMPARE(ta, (QVector<qint64> {100, 101, 200, 201, 202, 300, 400, 401, 402, 403, 500}));
        // 1->4 and 2->5 merge into one edge a->b of 5 transfers with both methods.
        const GraphEdge *ab = nullptr;
        int total = 0;
        for (const GraphEdge &e : g.edges) {
            total += e.count;
            if (e.source == a->id && e.target == b->id)
                ab = &e;
        }
        QVERIFY(ab);
        QCOMPARE(ab->count, 5);
        QCOMPARE(ab->transferIds.size(), 5);
        QVERIFY(ab->methods.contains(QStringLiteral("smb")) && ab->methods.contains(QStringLiteral("psexec")));
        QCOMPARE(ab->minConfidence, 0.6);
        QCOMPARE(ab->maxConfidence, 0.7);
        QCOMPARE(total + a->internalTransfers, 11); // nothing lost
        QCOMPARE(g.edges.size(), size_t(3)); // a->b, 6->a, 7->a
    }

    void expandedGroupKeepsItsHosts()
    {
        const GraphData g = aggregateGraph(sample(), HostGrouping::Subnet, {QStringLiteral("10.0.1.0/24")});
        QVERIFY(!byKey(g, QStringLiteral("10.0.1.0/24")));
        QVERIFY(byKey(g, QStringLiteral("10.0.2.0/24")));
        int members = 0;
        for (const GraphHost &h : g.hosts)
            members += h.groupKey == QLatin1String("10.0.1.0/24") && !h.isGroup();
        QCOMPARE(members, 3); // each can collapse its group again
    }

    void groupIdsAreStable()
    {
        const GraphData g1 = aggregateGraph(sample(), HostGrouping::Subnet);
        GraphData less = sample();
        less.edges.pop_back();
        const GraphData g2 = aggregateGraph(less, HostGrouping::Subnet);
        QCOMPARE(byKey(g1, QStringLiteral("10.0.2.0/24"))->id, byKey(g2, QStringLiteral("10.0.2.0/24"))->id);
        QVERIFY(byKey(g1, QStringLiteral("10.0.2.0/24"))->id <= kGroupHostBase);
    }

    void domainAndAuto()
    {
        const GraphData d = aggregateGraph(sample(), HostGrouping::Domain);
        QCOMPARE(byKey(d, QStringLiteral("corp.example"))->members, (QVector<qint64> {1, 2}));
        QCOMPARE(byKey(d, QStringLiteral("lab.example"))->members, (QVector<qint64> {3, 4}));
        QCOMPARE(aggregateGraph(sample(), HostGrouping::Auto).hosts.size(), size_t(7)); // small: as is
        QCOMPARE(resolveGrouping(HostGrouping::Auto, kAutoGroupHosts + 1), HostGrouping::Subnet);
        QCOMPARE(resolveGrouping(HostGrouping::Auto, kAutoGroupHosts), HostGrouping::Named); // named groups only
    }

    void namedGroupsFirstThenSubnets()
    {
        // H2 (10.0.1.0/24) and H6 (alone) in the analyst's "Crown"; H4 alone in "Lab".
        const NamedHostGroups named {{QStringLiteral("H2"), QStringLiteral("Crown")},
            {QStringLiteral("H6"), QStringLiteral("Crown")}, {QStringLiteral("H4"), QStringLiteral("Lab")}};
        const GraphData g = aggregateGraph(sample(), HostGrouping::Subnet, {}, named);
        const GraphHost *crown = byKey(g, namedGroupKey(QStringLiteral("Crown")));
        const GraphHost *lab = byKey(g, namedGroupKey(QStringLiteral("Lab")));
        QVERIFY(crown && lab);
        QVERIFY(crown->namedGroup && lab->namedGroup);
        QCOMPARE(crown->members, (QVector<qint64> {2, 6}));
        QCOMPARE(crown->name, QStringLiteral("Crown (2 hosts)"));
        QCOMPARE(lab->name, QStringLiteral("Lab (1 host)")); // a named group of one is a group
        // The subnets keep the hosts in no named group: 1 and 3 in 10.0.1.0/24; 5 alone in 10.0.2.
        QCOMPARE(byKey(g, QStringLiteral("10.0.1.0/24"))->members, (QVector<qint64> {1, 3}));
        QCOMPARE(byKey(g, QStringLiteral("10.0.1.0/24"))->name, QStringLiteral("10.0.1.0/24 (2 hosts)"));
        QVERIFY(!byKey(g, QStringLiteral("10.0.2.0/24")));
        int total = 0;
        for (const GraphEdge &e : g.edges)
            total += e.count;
        for (const GraphHost &h : g.hosts)
            total += h.internalTransfers;
        QCOMPARE(total, 11); // nothing lost
        // Named only: the subnets are not grouped; None: not even the named groups.
        const GraphData n = aggregateGraph(sample(), HostGrouping::Named, {}, named);
        QCOMPARE(n.hosts.size(), size_t(6)); // Crown, Lab, 1, 3, 5, 7
        QVERIFY(!byKey(n, QStringLiteral("10.0.1.0/24")));
        QCOMPARE(aggregateGraph(sample(), HostGrouping::None, {}, named).hosts.size(), size_t(7));
        // Auto on a small graph still draws the named groups.
        QVERIFY(byKey(aggregateGraph(sample(), HostGrouping::Auto, {}, named), namedGroupKey(QStringLiteral("Crown"))));
        // Expanded: its hosts come back, named and with the group's name to collapse it again.
        const GraphData x
            = aggregateGraph(sample(), HostGrouping::Subnet, {namedGroupKey(QStringLiteral("Crown"))}, named);
        QVERIFY(!byKey(x, namedGroupKey(QStringLiteral("Crown"))));
        for (const GraphHost &h : x.hosts)
            if (h.id == 2 || h.id == 6) {
                QCOMPARE(h.groupName, QStringLiteral("Crown"));
                QVERIFY(h.namedGroup);
            }
    }

    void namedKeysHaveANamespaceOfTheirOwn()
    {
        // A crafted FQDN whose domain looks like a named group's key groups nothing.
        GraphHost h = host(1, QString(), QStringLiteral("x.named:Crown"));
        QCOMPARE(hostGroupKey(h, HostGrouping::Domain), QString());
        QCOMPARE(hostGroupingFromName(QStringLiteral("Subnet")), std::optional(HostGrouping::Subnet));
        QCOMPARE(hostGroupingFromName(QStringLiteral("named")), std::optional(HostGrouping::Named));
        QCOMPARE(hostGroupingFromName(QStringLiteral("bogus")), std::nullopt);
    }

    void edgesBetweenGroupsAreBundledPerPair()
    {
        GraphData d = sample();
        // 5 -> 1 runs against 1 -> 4 and 2 -> 5: the same pair of subnet groups, the other way.
        d.edges.push_back(edge(6, 5, 1, 2, 600, QStringLiteral("smb")));
        const GraphData g = aggregateGraph(d, HostGrouping::Subnet);
        const GraphHost *a = byKey(g, QStringLiteral("10.0.1.0/24"));
        const GraphHost *b = byKey(g, QStringLiteral("10.0.2.0/24"));
        int between = 0;
        for (const GraphEdge &e : g.edges)
            if ((e.source == a->id && e.target == b->id) || (e.source == b->id && e.target == a->id)) {
                ++between;
                QCOMPARE(e.count, 7);
                QCOMPARE(e.reverse, 2);
                QCOMPARE(e.transferIds.size(), 7);
            }
        QCOMPARE(between, 1);
        // Between two hosts, directions stay apart.
        GraphData hostsOnly = sample();
        hostsOnly.edges.push_back(edge(6, 4, 1, 1, 700, QStringLiteral("smb")));
        const GraphData n = aggregateGraph(hostsOnly, HostGrouping::Named); // no groups: as is
        QCOMPARE(n.edges.size(), hostsOnly.edges.size());
    }
};

QTEST_GUILESS_MAIN(TstGraphAggregation)
#include "tst_graph_aggregation.moc"
