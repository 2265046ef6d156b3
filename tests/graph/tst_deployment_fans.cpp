// Issue 14 item 5: deployment fans (query/GraphAggregation.h). One deployment tool's push of one
// file to many hosts is one fan node with one edge from its source; a destination with any other
// transfer (an attacker's drop at the same moment) stays a host with its own edges; fans expand
// and collapse as groups; runs split by time; named groups first. Pure data, built as queryGraph
// builds it (edges per host pair, benign pushes listed).

#include "query/GraphAggregation.h"

#include <QTest>

#include <algorithm>
#include <map>

using namespace tt;

namespace {
constexpr int64_t kMinute = int64_t(60) * 1000000;

class Builder {
public:
    // A transfer `id` from src to dst; `tool` non-empty: a benign-admin candidate of that tool.
    void add(qint64 id, int64_t src, int64_t dst, const QString &file, int64_t ts, const QString &tool = {})
    {
        host(src);
        host(dst);
        auto it = m_edge.find({src, dst});
        if (it == m_edge.end()) {
            GraphEdge e;
            e.id = static_cast<int64_t>(m_data.edges.size()) + 1;
            e.source = src;
            e.target = dst;
            e.firstTs = ts;
            e.lastTs = ts;
            it = m_edge.emplace(std::make_pair(src, dst), m_data.edges.size()).first;
            m_data.edges.push_back(e);
        }
        GraphEdge &e = m_data.edges[it->second];
        ++e.count;
        e.files = 1;
        const QString method
            = tool.isEmpty() ? QStringLiteral("smb-admin-share") : QStringLiteral("psexec-service-binary");
        if (!e.methods.contains(method))
            e.methods << method;
        e.transferIds << id;
        e.transferKeys << QStringLiteral("k%1").arg(id);
        e.firstTs = std::min(e.firstTs, ts);
        e.lastTs = std::max(e.lastTs, ts);
        if (!tool.isEmpty()) {
            ++e.benign;
            m_data.benignPushes.push_back({id, src, dst, tool, file, ts});
        }
        ++m_data.transfersInView;
        m_data.transfersTotal = m_data.transfersInView;
    }
    void host(int64_t id, const QString &name = {})
    {
        if (m_hosts.contains(id))
            return;
        m_hosts.insert(id);
        GraphHost h;
        h.id = id;
        h.name = name.isEmpty() ? QStringLiteral("H%1").arg(id) : name;
        h.addresses = QStringLiteral("10.0.%1.%2").arg(id / 200).arg(id % 200 + 1);
        m_data.hosts.push_back(h);
    }
    const GraphData &data() const { return m_data; }

private:
    GraphData m_data;
    std::map<std::pair<int64_t, int64_t>, size_t> m_edge;
    QSet<int64_t> m_hosts;
};

// SCCM server 1 pushes setup.exe to hosts 100..(100+n-1), a few seconds apart from t0; attacker
// host 2 drops evil.exe on host 105 one second after its push; host 107 sends a file to host 3.
Builder deployment(int n, int64_t t0 = 1'700'000'000'000'000)
{
    Builder b;
    qint64 id = 1;
    for (int i = 0; i < n; ++i)
        b.add(id++, 1, 100 + i, QStringLiteral("setup.exe"), t0 + i * 7 * 1000000, QStringLiteral("sccm"));
    b.add(id++, 2, 105, QStringLiteral("evil.exe"), t0 + 5 * 7 * 1000000 + 1000000);
    b.add(id++, 107, 3, QStringLiteral("notes.txt"), t0 + 30 * kMinute);
    return b;
}

// Pointers into `d`: keep the GraphData alive while they are used.
std::vector<const GraphHost *> fansOf(const GraphData &d)
{
    std::vector<const GraphHost *> out;
    for (const GraphHost &h : d.hosts)
        if (h.isGroup() && h.fan)
            out.push_back(&h);
    return out;
}

const GraphEdge *edgeBetween(const GraphData &d, int64_t s, int64_t t)
{
    for (const GraphEdge &e : d.edges)
        if (e.source == s && e.target == t)
            return &e;
    return nullptr;
}

bool drawnAsHost(const GraphData &d, int64_t id)
{
    return std::any_of(d.hosts.begin(), d.hosts.end(), [id](const GraphHost &h) { return h.id == id; });
}
} // namespace

class TstDeploymentFans : public QObject {
    Q_OBJECT
private slots:
    void onePushToThreeHundredHostsIsOneFanEdge()
    {
        const GraphData in = deployment(300).data();
        QCOMPARE(in.edges.size(), size_t(300 + 2));
        const GraphData out = aggregateGraph(in, HostGrouping::None);
        const auto fans = fansOf(out);
        QCOMPARE(fans.size(), size_t(1));
        const GraphHost &fan = *fans.front();
        // 105 (the attacker's drop) and 107 (it sent a file) are drawn apart.
        QCOMPARE(fan.members.size(), qsizetype(298));
        QCOMPARE(fan.fanApart, 2);
        QCOMPARE(fan.name, QStringLiteral("SCCM push: setup.exe -> 298 hosts (+2 apart)"));
        QCOMPARE(fan.groupName, QStringLiteral("SCCM push: setup.exe"));
        QVERIFY(isFanGroupKey(fan.groupKey));
        QCOMPARE(fan.fanFirstTs, int64_t(1'700'000'000'000'000));
        QCOMPARE(fan.fanLastTs, int64_t(1'700'000'000'000'000) + 299 * 7 * 1000000);
        QVERIFY(fan.detail.contains(QStringLiteral("2 more destination(s)")));
        // One edge from the SCCM server to the fan, carrying the 298 transfers (selection).
        const GraphEdge *e = edgeBetween(out, 1, fan.id);
        QVERIFY(e);
        QVERIFY(e->fan);
        QVERIFY(e->allBenign());
        QCOMPARE(e->count, 298);
        QCOMPARE(e->transferIds.size(), qsizetype(298));
        QCOMPARE(fan.groupTransfers.size(), qsizetype(298));
        // Nothing else leaves the SCCM server but its pushes to the hosts drawn apart.
        int fromServer = 0;
        for (const GraphEdge &x : out.edges)
            fromServer += x.source == 1 ? 1 : 0;
        QCOMPARE(fromServer, 3);
        // The attacker's transfer to a host of the push, at the same moment, is its own edge.
        QVERIFY(drawnAsHost(out, 105));
        const GraphEdge *attack = edgeBetween(out, 2, 105);
        QVERIFY(attack);
        QCOMPARE(attack->count, 1);
        QCOMPARE(attack->benign, 0);
        QVERIFY(!attack->fan);
        const GraphEdge *push105 = edgeBetween(out, 1, 105);
        QVERIFY(push105 && push105->allBenign() && !push105->fan);
        QVERIFY(drawnAsHost(out, 107));
        QVERIFY(edgeBetween(out, 107, 3));
        // Hosts: server, attacker, 105, 107, 3 and the fan.
        QCOMPARE(out.hosts.size(), size_t(6));
    }

    void expandingGivesOneEdgePerHost()
    {
        const GraphData in = deployment(300).data();
        const GraphData folded = aggregateGraph(in, HostGrouping::None);
        const QString key = fansOf(folded).front()->groupKey;
        const qint64 id = fansOf(folded).front()->id;
        const GraphData out = aggregateGraph(in, HostGrouping::None, {key});
        QVERIFY(fansOf(out).empty());
        int pushes = 0;
        for (const GraphEdge &e : out.edges)
            pushes += e.source == 1 ? 1 : 0;
        QCOMPARE(pushes, 300);
        int members = 0;
        for (const GraphHost &h : out.hosts)
            if (h.groupKey == key) {
                ++members;
                QVERIFY(h.fan); // collapses again from its own menu
            }
        QCOMPARE(members, 298);
        // Collapsed again: the same node id (a pin holds).
        QCOMPARE(fansOf(aggregateGraph(in, HostGrouping::None)).front()->id, id);
    }

    void notFoldedOnRequestOrBelowTheThreshold()
    {
        const GraphData in = deployment(300).data();
        const GraphData off = aggregateGraph(in, HostGrouping::None, {}, {}, false);
        QVERIFY(fansOf(off).empty());
        QCOMPARE(off.edges.size(), in.edges.size());
        // Four destinations are no deployment push (kFanMinDestinations).
        QCOMPARE(kFanMinDestinations, 5);
        Builder four;
        for (int i = 0; i < 4; ++i)
            four.add(i + 1, 1, 10 + i, QStringLiteral("PDQDeployRunner-1.exe"), i * kMinute, QStringLiteral("pdq"));
        QVERIFY(fansOf(aggregateGraph(four.data(), HostGrouping::None)).empty());
        four.add(5, 1, 14, QStringLiteral("PDQDeployRunner-1.exe"), 4 * kMinute, QStringLiteral("pdq"));
        const GraphData fourGraph = aggregateGraph(four.data(), HostGrouping::None); // fansOf points into it
        const auto fans = fansOf(fourGraph);
        QCOMPARE(fans.size(), size_t(1));
        QCOMPARE(fans.front()->name, QStringLiteral("PDQ push: PDQDeployRunner-1.exe -> 5 hosts"));
        // A file name from the logs with placeholders and markup is kept as it is.
        Builder odd;
        for (int i = 0; i < 5; ++i)
            odd.add(i + 1, 1, 10 + i, QStringLiteral("%1 <b>%2</b>.exe"), i * kMinute, QStringLiteral("%3"));
        const GraphData oddGraph = aggregateGraph(odd.data(), HostGrouping::None); // fansOf points into it
        const auto oddFans = fansOf(oddGraph);
        QCOMPARE(oddFans.size(), size_t(1));
        QCOMPARE(oddFans.front()->name, QStringLiteral("%3 push: %1 <b>%2</b>.exe -> 5 hosts"));
        // Not benign: never a fan, however many hosts.
        Builder attack;
        for (int i = 0; i < 20; ++i)
            attack.add(i + 1, 1, 10 + i, QStringLiteral("beacon.exe"), i * kMinute);
        QVERIFY(fansOf(aggregateGraph(attack.data(), HostGrouping::None)).empty());
    }

    void runsSplitByTimeAndFile()
    {
        // The same file to 10 hosts at t, to 10 others 3 h later (past kFanRunGapUs): two pushes.
        Builder b;
        for (int i = 0; i < 10; ++i)
            b.add(i + 1, 1, 10 + i, QStringLiteral("setup.exe"), i * kMinute, QStringLiteral("sccm"));
        for (int i = 0; i < 10; ++i)
            b.add(i + 11, 1, 30 + i, QStringLiteral("setup.exe"), 180 * kMinute + i * kMinute, QStringLiteral("sccm"));
        const GraphData bGraph = aggregateGraph(b.data(), HostGrouping::None); // fansOf points into it
        const auto fans = fansOf(bGraph);
        QCOMPARE(fans.size(), size_t(2));
        QVERIFY(fans[0]->groupKey != fans[1]->groupKey);
        QCOMPARE(fans[0]->members.size(), qsizetype(10));
        QCOMPARE(fans[1]->members.size(), qsizetype(10));
        // Hosts reached by two pushes (setup.exe then patch.msi) share one fan naming both.
        Builder two;
        for (int i = 0; i < 6; ++i) {
            two.add(2 * i + 1, 1, 10 + i, QStringLiteral("setup.exe"), i * kMinute, QStringLiteral("sccm"));
            two.add(2 * i + 2, 1, 10 + i, QStringLiteral("patch.msi"), 30 * kMinute + i, QStringLiteral("sccm"));
        }
        const GraphData out = aggregateGraph(two.data(), HostGrouping::None);
        QCOMPARE(fansOf(out).size(), size_t(1));
        QCOMPARE(fansOf(out).front()->name, QStringLiteral("SCCM push: setup.exe, patch.msi -> 6 hosts"));
        QCOMPARE(out.edges.size(), size_t(1));
        QCOMPARE(out.edges.front().count, 12);
    }

    void namedGroupsFirstSubnetsAfter()
    {
        const GraphData in = deployment(300).data();
        NamedHostGroups named;
        named.insert(QStringLiteral("H100"), QStringLiteral("Finance"));
        named.insert(QStringLiteral("H101"), QStringLiteral("Finance"));
        const GraphData out = aggregateGraph(in, HostGrouping::Named, {}, named);
        QCOMPARE(fansOf(out).front()->members.size(), qsizetype(296));
        bool finance = false;
        for (const GraphHost &h : out.hosts)
            finance |= h.namedGroup && h.isGroup() && h.members.size() == 2;
        QVERIFY(finance);
        // Auto: 300 hosts in view but 6 nodes once folded, so no /24 groups (kAutoGroupHosts).
        const GraphData autoOut = aggregateGraph(in, HostGrouping::Auto);
        QCOMPARE(autoOut.hosts.size(), size_t(6));
        // A domain from the logs never takes a fan's key.
        GraphHost h;
        h.fqdn = QStringLiteral("x.fan:1|sccm|setup.exe|0");
        QVERIFY(hostGroupKey(h, HostGrouping::Domain).isEmpty());
    }

    void hiddenSourceFoldsNothing()
    {
        // The push's source is not drawn (hidden): its pushes are not counted, nothing is folded.
        GraphData in = deployment(10).data();
        std::erase_if(in.hosts, [](const GraphHost &h) { return h.id == 1; });
        std::erase_if(in.edges, [](const GraphEdge &e) { return e.source == 1; });
        QVERIFY(fansOf(aggregateGraph(in, HostGrouping::None)).empty());
        QCOMPARE(deploymentToolName(QStringLiteral("intune")), QStringLiteral("Intune"));
        QCOMPARE(deploymentToolName(QStringLiteral("<b>x</b>")), QStringLiteral("<b>x</b>"));
    }
};

QTEST_GUILESS_MAIN(TstDeploymentFans)
#include "tst_deployment_fans.moc"
