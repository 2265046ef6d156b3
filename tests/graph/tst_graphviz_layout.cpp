#include "GraphvizLayout.h"
#include "LayoutCache.h"
#include "OverlapRemoval.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace tt::graph;

namespace {
LayoutInput chain(int n)
{
    LayoutInput in;
    for (int i = 1; i <= n; ++i)
        in.nodes.push_back({i, 140, 44, false, 0, 0});
    for (int i = 1; i < n; ++i)
        in.edges.push_back({100 + i, i, i + 1, 1});
    return in;
}

const NodeGeometry &node(const LayoutResult &r, int64_t id)
{
    for (const auto &n : r.nodes)
        if (n.id == id)
            return n;
    qFatal("node %lld missing", static_cast<long long>(id));
}

bool overlap(const NodeGeometry &a, const NodeGeometry &b)
{
    return std::abs(a.centre.x - b.centre.x) < (a.width + b.width) / 2 - 0.5
        && std::abs(a.centre.y - b.centre.y) < (a.height + b.height) / 2 - 0.5;
}

double dist(Point a, Point b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}
} // namespace

class TstGraphvizLayout : public QObject {
    Q_OBJECT
private slots:
    void chainLeftToRight()
    {
        GraphvizLayout gv;
        LayoutResult r = gv.layout(chain(4));
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(int(r.engine), int(Engine::Dot));
        QCOMPARE(r.nodes.size(), size_t(4));
        QCOMPARE(r.edges.size(), size_t(3));
        // Ranks go left to right along the chain.
        for (int i = 1; i < 4; ++i)
            QVERIFY(node(r, i).centre.x < node(r, i + 1).centre.x);
        for (const auto &n : r.nodes) {
            QCOMPARE(n.width, 140.0);
            QCOMPARE(n.height, 44.0);
            QVERIFY(n.centre.x - n.width / 2 >= -0.5 && n.centre.x + n.width / 2 <= r.width + 0.5);
            QVERIFY(n.centre.y - n.height / 2 >= -0.5 && n.centre.y + n.height / 2 <= r.height + 0.5);
        }
        // Every edge starts at its source and its arrow ends at its target's border.
        for (const auto &e : r.edges) {
            QVERIFY(e.spline.size() >= 4);
            QCOMPARE((e.spline.size() - 1) % 3, size_t(0));
            QVERIFY(e.hasArrow);
            const auto &src = node(r, e.id - 100);
            const auto &dst = node(r, e.id - 99);
            QVERIFY(dist(e.spline.front(), src.centre) <= src.width / 2 + 2);
            QVERIFY(std::abs(e.arrowTip.x - (dst.centre.x - dst.width / 2)) < 2);
        }
    }

    void edgesToUnknownNodesAreSkipped()
    {
        LayoutInput in = chain(2);
        in.edges.push_back({999, 1, 42, 1});
        LayoutResult r = GraphvizLayout().layout(in);
        QVERIFY(r.error.empty());
        QCOMPARE(r.edges.size(), size_t(1));
    }

    void pinnedNodeStaysPut()
    {
        LayoutInput in = chain(5);
        in.nodes[2].pinned = true;
        in.nodes[2].x = 1000;
        in.nodes[2].y = 300;
        LayoutResult r = GraphvizLayout().layout(in);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(int(r.engine), int(Engine::Neato));
        QVERIFY(std::abs(node(r, 3).centre.x - 1000) < 0.01);
        QVERIFY(std::abs(node(r, 3).centre.y - 300) < 0.01);
        for (size_t i = 0; i < r.nodes.size(); ++i)
            for (size_t j = i + 1; j < r.nodes.size(); ++j)
                QVERIFY(!overlap(r.nodes[i], r.nodes[j]));
    }

    // Issue 11: pins crowded together where the free nodes would go; the free ones make room,
    // the pins do not move, and edges of moved nodes end at their new rectangles.
    void pinsAreRespectedAndNothingOverlaps()
    {
        LayoutInput in = chain(12);
        in.edges.push_back({300, 1, 7, 1});
        in.edges.push_back({301, 2, 9, 1});
        const double pins[][2] = {{0, 0}, {150, 0}, {75, 50}, {0, 100}};
        for (int k = 0; k < 4; ++k) {
            auto &n = in.nodes[size_t(k) * 3];
            n.pinned = true;
            n.x = pins[k][0];
            n.y = pins[k][1];
        }
        LayoutResult r = GraphvizLayout().layout(in);
        QVERIFY2(r.error.empty(), r.error.c_str());
        for (int k = 0; k < 4; ++k) {
            const auto &g = node(r, in.nodes[size_t(k) * 3].id);
            QCOMPARE(g.centre.x, pins[k][0]);
            QCOMPARE(g.centre.y, pins[k][1]);
        }
        for (size_t i = 0; i < r.nodes.size(); ++i)
            for (size_t j = i + 1; j < r.nodes.size(); ++j) {
                if (in.nodes[i].pinned && in.nodes[j].pinned)
                    continue; // the analyst's own overlap
                QVERIFY2(!overlap(r.nodes[i], r.nodes[j]),
                    qPrintable(QStringLiteral("%1 overlaps %2").arg(r.nodes[i].id).arg(r.nodes[j].id)));
            }
        for (const auto &e : r.edges) {
            const LayoutEdge *le = nullptr;
            for (const auto &x : in.edges)
                if (x.id == e.id)
                    le = &x;
            const auto &dst = node(r, le->target);
            QVERIFY(std::abs(e.arrowTip.x - dst.centre.x) <= dst.width / 2 + 1);
            QVERIFY(std::abs(e.arrowTip.y - dst.centre.y) <= dst.height / 2 + 1);
        }
    }

    void overlapRemovalAlwaysSucceeds()
    {
        // Twenty free nodes stacked on one point amid fixed ones.
        std::vector<NodeGeometry> nodes;
        std::vector<bool> fixed;
        for (int i = 0; i < 20; ++i) {
            nodes.push_back({i, {0, 0}, 100, 40});
            fixed.push_back(i % 5 == 0 && i > 0 ? false : i < 3);
        }
        nodes[1].centre = {60, 10};
        nodes[2].centre = {-60, -10};
        const auto before = nodes;
        removeOverlaps(nodes, fixed);
        for (size_t i = 0; i < nodes.size(); ++i) {
            if (fixed[i])
                QCOMPARE(nodes[i].centre.x, before[i].centre.x);
            for (size_t j = i + 1; j < nodes.size(); ++j)
                if (!(fixed[i] && fixed[j]))
                    QVERIFY(!nodesOverlap(nodes[i], nodes[j]));
        }
    }

    void largeGraphUsesSfdpWithoutOverlaps()
    {
        LayoutInput in;
        std::mt19937 rng(7);
        const int n = 200;
        for (int i = 1; i <= n; ++i)
            in.nodes.push_back({i, 120, 36, false, 0, 0});
        int eid = 1;
        for (int i = 2; i <= n; ++i) // a random tree plus extra edges, like hop chains
            in.edges.push_back({eid++, int64_t(rng() % (i - 1) + 1), i, 1});
        for (int k = 0; k < 100; ++k)
            in.edges.push_back({eid++, int64_t(rng() % n + 1), int64_t(rng() % n + 1), 1});
        LayoutResult r = GraphvizLayout().layout(in);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(int(r.engine), int(Engine::Sfdp));
        QCOMPARE(r.nodes.size(), size_t(n));
        int overlaps = 0;
        for (size_t i = 0; i < r.nodes.size(); ++i)
            for (size_t j = i + 1; j < r.nodes.size(); ++j)
                overlaps += overlap(r.nodes[i], r.nodes[j]);
        QCOMPARE(overlaps, 0);
        qInfo("200 nodes, %zu edges: sfdp %.0f ms", in.edges.size(), r.milliseconds);
    }

    void engineByNodesAndEdges_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<int>("edges");
        QTest::addColumn<bool>("pinned");
        QTest::addColumn<int>("engine");
        const int dotN = int(LayoutInput::kDotMaxNodes), dotE = int(LayoutInput::kDotMaxEdges);
        QTest::newRow("small: dot") << dotN << dotE << false << int(Engine::Dot);
        QTest::newRow("one node too many: sfdp") << dotN + 1 << 10 << false << int(Engine::Sfdp);
        QTest::newRow("dense: sfdp") << 40 << dotE + 1 << false << int(Engine::Sfdp);
        // A grouped graph of 44 groups and 206 bundled edges: few edges, but dense (dot took 6 s).
        QTest::newRow("few but dense: sfdp") << 44 << 206 << false << int(Engine::Sfdp);
        QTest::newRow("sparse at the ratio: dot")
            << 60 << int(60 * LayoutInput::kDotMaxEdgesPerNode) << false << int(Engine::Dot);
        QTest::newRow("pins, small: neato") << int(LayoutInput::kNeatoMaxNodes) << 10 << true << int(Engine::Neato);
        QTest::newRow("pins, large: sfdp") << int(LayoutInput::kNeatoMaxNodes) + 1 << 10 << true << int(Engine::Sfdp);
    }
    void engineByNodesAndEdges()
    {
        QFETCH(int, nodes);
        QFETCH(int, edges);
        QFETCH(bool, pinned);
        QFETCH(int, engine);
        LayoutInput in;
        for (int i = 1; i <= nodes; ++i)
            in.nodes.push_back({i, 100, 40, pinned && i == 1, 0, 0});
        for (int k = 0; k < edges; ++k)
            in.edges.push_back({k + 1, k % nodes + 1, (k * 7 + 3) % nodes + 1, 1});
        QCOMPARE(int(chooseEngine(in, pinned)), engine);
    }

    // Past kFastMaxNodes sfdp routes no edges and removes overlaps by scaling: every edge still
    // gets a straight line from border to border, pins stay exact and nothing overlaps.
    void veryLargeGraphWithPins()
    {
        LayoutInput in;
        std::mt19937 rng(11);
        const int n = int(LayoutInput::kFastMaxNodes) + 100;
        for (int i = 1; i <= n; ++i)
            in.nodes.push_back({i, double(96 + (rng() % 6) * 20), 42, i <= 2, i == 2 ? 5000.0 : 0.0, 0});
        int eid = 1;
        for (int i = 2; i <= n; ++i)
            in.edges.push_back({eid++, int64_t(rng() % (i - 1) + 1), i, 1});
        for (int k = 0; k < n / 2; ++k)
            in.edges.push_back({eid++, int64_t(rng() % n + 1), int64_t(rng() % n + 1), 1});
        const LayoutResult r = GraphvizLayout().layout(in);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(int(r.engine), int(Engine::Sfdp));
        QCOMPARE(node(r, 1).centre.x, 0.0);
        QCOMPARE(node(r, 2).centre.x, 5000.0);
        QCOMPARE(node(r, 2).centre.y, 0.0);
        int overlaps = 0;
        for (size_t i = 0; i < r.nodes.size(); ++i)
            for (size_t j = i + 1; j < r.nodes.size(); ++j)
                overlaps += overlap(r.nodes[i], r.nodes[j]);
        QCOMPARE(overlaps, 0);
        QCOMPARE(r.edges.size(), in.edges.size());
        for (const EdgeGeometry &e : r.edges) {
            const LayoutEdge &le = in.edges[size_t(e.id - 1)];
            if (le.source == le.target)
                continue;
            QCOMPARE(e.spline.size(), size_t(4));
            QVERIFY(e.hasArrow);
            const NodeGeometry &dst = node(r, le.target);
            QVERIFY(std::abs(e.arrowTip.x - dst.centre.x) <= dst.width / 2 + 0.5);
            QVERIFY(std::abs(e.arrowTip.y - dst.centre.y) <= dst.height / 2 + 0.5);
        }
    }

    void emptyInput()
    {
        LayoutResult r = GraphvizLayout().layout({});
        QVERIFY(r.error.empty());
        QVERIFY(r.nodes.empty());
    }
    void layoutCacheReturnsTheSameLayoutForTheSameInputOnly()
    {
        LayoutCache cache(2);
        const LayoutInput a = chain(6);
        QVERIFY(!cache.find(a));
        const LayoutResult ra = GraphvizLayout().layout(a);
        cache.store(a, ra);
        const auto hit = cache.find(a);
        QVERIFY(hit);
        QCOMPARE(hit->nodes.size(), ra.nodes.size());
        for (size_t i = 0; i < ra.nodes.size(); ++i) {
            QCOMPARE(hit->nodes[i].centre.x, ra.nodes[i].centre.x);
            QCOMPARE(hit->nodes[i].centre.y, ra.nodes[i].centre.y);
        }
        QCOMPARE(cache.hits(), size_t(1));
        // Any difference is a miss: a node's size, a pin, an edge's weight.
        LayoutInput b = a;
        b.nodes[2].width += 1;
        QVERIFY(!cache.find(b));
        LayoutInput c = a;
        c.nodes[0].pinned = true;
        QVERIFY(!cache.find(c));
        LayoutInput d = a;
        d.edges[0].weight = 3;
        QVERIFY(!cache.find(d));
        // Least recently used goes first; errors are not kept.
        cache.store(b, GraphvizLayout().layout(b));
        QVERIFY(cache.find(a)); // a is now the most recent
        cache.store(c, GraphvizLayout().layout(c));
        QVERIFY(cache.find(a));
        QVERIFY(!cache.find(b));
        LayoutResult failed;
        failed.error = "x";
        cache.store(d, failed);
        QVERIFY(!cache.find(d));
    }
};

QTEST_GUILESS_MAIN(TstGraphvizLayout)
#include "tst_graphviz_layout.moc"
