// The transfer graph and pivot bar on a generated case: the graph shows exactly the transfers
// the case holds, an account pivot leaves exactly that account's hosts and edges, a time window
// hides transfers outside it, back / forward restore filters, selecting an edge selects its
// transfers, hostile host names are drawn as plain text.

#include "CaseBuilder.h"
#include "CliRun.h"
#include "GraphExport.h"
#include "GraphItems.h"
#include "GraphScene.h"
#include "ImportRunner.h"
#include "PivotBar.h"
#include "TransferExport.h"
#include "TransferGraphView.h"
#include "WorkbenchWindow.h"
#include "items/TimeFormat.h"
#include "query/ExportQuery.h"
#include "query/TimelineQuery.h"
#include "query/TransferTableQuery.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QToolBar>

using namespace tt;

namespace {
using EdgeSet = QSet<QPair<qint64, qint64>>;

EdgeSet shownEdges(const TransferGraphView &v)
{
    EdgeSet out;
    for (const GraphEdge &e : v.graph().edges)
        out.insert(qMakePair(qint64(e.source), qint64(e.target)));
    return out;
}

QSet<qint64> shownHosts(const TransferGraphView &v)
{
    QSet<qint64> out;
    for (const GraphHost &h : v.graph().hosts)
        out.insert(h.id);
    return out;
}

// The expectation comes straight from the transfers table, not from the code under test.
void expected(const QString &casePath, const QString &where, EdgeSet *edges, QSet<qint64> *hosts, qint64 *count)
{
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
    auto st = cs->db().prepare(
        QString(QStringLiteral("SELECT coalesce(src_host_id,-1), dst_host_id FROM transfers WHERE ") + where)
            .toStdString());
    edges->clear();
    hosts->clear();
    *count = 0;
    while (st.step()) {
        edges->insert(qMakePair(qint64(st.int64(0)), qint64(st.int64(1))));
        hosts->insert(st.int64(0));
        hosts->insert(st.int64(1));
        ++*count;
    }
}
} // namespace

class TstWorkbenchGraph : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;

    void waitGraph(TransferGraphView &v, QSignalSpy &spy, int before)
    {
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > before && !v.busy(), 20000);
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_case = buildGeneratedCase(m_dir.path(), 16, 12000, 99, &error);
        QVERIFY2(!m_case.isEmpty(), qPrintable(error));
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM transfers") >= 5);
        QVERIFY(cs->db().queryInt("SELECT count(DISTINCT account_id) FROM transfers") >= 2);
    }

    void graphShowsEveryTransfer()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.resize(800, 600);
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        waitGraph(view, spy, 0);
        EdgeSet edges;
        QSet<qint64> hosts;
        qint64 count = 0;
        expected(m_case, QStringLiteral("1=1"), &edges, &hosts, &count);
        QCOMPARE(shownEdges(view), edges);
        QCOMPARE(shownHosts(view), hosts);
        QCOMPARE(view.graph().transfersInView, count);
        // Every edge and node has an item placed inside the scene, and hop numbers start at 1.
        int hops = 0;
        for (const GraphEdge &e : view.graph().edges) {
            QVERIFY(view.edgeItem(e.id));
            QVERIFY(!view.edgeItem(e.id)->path().isEmpty());
            hops += e.hop == 1;
        }
        QVERIFY(hops >= 1);
        int sources = 0;
        for (const GraphHost &h : view.graph().hosts) {
            QVERIFY(view.nodeItem(h.id));
            sources += h.firstSource;
        }
        QCOMPARE(sources, 1);
        // Domain controllers (SYSVOL / NETLOGON served, KDC events) carry their badge.
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM hosts WHERE is_dc=1") >= 1);
        for (const GraphHost &h : view.graph().hosts) {
            auto st = cs->db().prepare("SELECT is_dc FROM hosts WHERE id=?");
            st.bind(1, static_cast<int64_t>(h.id));
            QCOMPARE(h.domainController, st.step() && st.int64(0) == 1);
        }
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM hosts WHERE is_dc=1 AND name LIKE '%DC%'")
            == cs->db().queryInt("SELECT count(*) FROM hosts WHERE is_dc=1"));
    }

    void accountPivotBackForwardAndTimeWindow()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1200, 800);
        TransferGraphView &view = *window.graphView();
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        window.openCase(m_case);
        waitGraph(view, spy, 0);
        const EdgeSet all = shownEdges(view);

        // Pick the account with the fewest transfers through the pivot bar's combo.
        auto *combo = window.pivotBar()->findChild<QComboBox *>(QStringLiteral("pivotAccount"));
        QVERIFY(combo);
        QTRY_VERIFY_WITH_TIMEOUT(combo->count() >= 3, 10000);
        const int pick = combo->count() - 1;
        const qint64 accountId = combo->itemData(pick).toLongLong();
        int before = static_cast<int>(spy.count());
        emit combo->activated(pick);
        waitGraph(view, spy, before);
        EdgeSet edges;
        QSet<qint64> hosts;
        qint64 count = 0;
        expected(m_case, QStringLiteral("account_id = %1").arg(accountId), &edges, &hosts, &count);
        QVERIFY(count > 0);
        QCOMPARE(shownEdges(view), edges);
        QCOMPARE(shownHosts(view), hosts);
        QVERIFY(shownEdges(view) != all);
        QCOMPARE(window.pivotBar()->chipTexts().size(), 1);
        QVERIFY(window.pivotBar()->chipTexts().first().startsWith(QLatin1String("account: ")));

        // Back restores the unfiltered graph, forward the pivot.
        before = static_cast<int>(spy.count());
        filter.back();
        waitGraph(view, spy, before);
        QCOMPARE(shownEdges(view), all);
        QVERIFY(window.pivotBar()->chipTexts().isEmpty());
        before = static_cast<int>(spy.count());
        filter.forward();
        waitGraph(view, spy, before);
        QCOMPARE(shownEdges(view), edges);

        // A time window (as the timeline brush sets it) keeps only transfers overlapping it.
        qint64 from = 0, to = 0;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            from = cs->db().queryInt("SELECT min(first_ts) FROM transfers");
            to = from + 60LL * 60 * 1000000; // the first hour of transfer activity
        }
        FilterState f;
        f.fromUs = from;
        f.toUs = to;
        before = static_cast<int>(spy.count());
        filter.apply(f);
        waitGraph(view, spy, before);
        expected(m_case, QStringLiteral("last_ts >= %1 AND first_ts <= %2").arg(from).arg(to), &edges, &hosts, &count);
        QCOMPARE(view.graph().transfersInView, count);
        QCOMPARE(shownEdges(view), edges);
    }

    // Issue 11: pinned nodes stay where they were pinned through a filter round trip (a pivot,
    // then clearing it) and no two node rectangles intersect, even with pins dropped on top of
    // where other nodes were; edges carry their transfer count, the hop apart from it.
    void pinsHoldAndNothingOverlapsAfterAFilterRoundTrip()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.resize(1000, 700);
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        waitGraph(view, spy, 0);
        const auto &hosts = view.graph().hosts;
        QVERIFY(hosts.size() >= 6);
        // Two pins, each dropped almost onto another node.
        const qint64 a = hosts[0].id, b = hosts[1].id;
        const QPointF pinA = view.nodeItem(hosts[2].id)->pos() + QPointF(10, 5);
        const QPointF pinB = view.nodeItem(hosts[3].id)->pos() + QPointF(-20, -8);
        view.pinNode(a, pinA);
        view.pinNode(b, pinB);
        FilterState pivot;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            pivot.accounts = {cs->db().queryInt("SELECT account_id FROM transfers WHERE account_id IS NOT NULL "
                                                "GROUP BY account_id ORDER BY count(*) DESC LIMIT 1")};
        }
        int before = static_cast<int>(spy.count());
        filter.apply(pivot);
        waitGraph(view, spy, before);
        before = static_cast<int>(spy.count());
        filter.apply(FilterState {});
        waitGraph(view, spy, before);
        QVERIFY(filter.current().isEmpty());
        QCOMPARE(view.nodeItem(a)->pos(), pinA);
        QCOMPARE(view.nodeItem(b)->pos(), pinB);
        QVector<QPair<qint64, QRectF>> rects;
        for (const GraphHost &h : view.graph().hosts) {
            const QSizeF s = graphNodeSize(h);
            rects.append({h.id, QRectF(view.nodeItem(h.id)->pos() - QPointF(s.width() / 2, s.height() / 2), s)});
        }
        for (int i = 0; i < rects.size(); ++i)
            for (int j = i + 1; j < rects.size(); ++j)
                QVERIFY2(!rects[i].second.intersects(rects[j].second),
                    qPrintable(QStringLiteral("host %1 overlaps host %2").arg(rects[i].first).arg(rects[j].first)));

        // Edge labels: the count says how many transfers; the hop is a separate tag; an
        // annotation badge covers neither.
        int multi = 0, hopTags = 0;
        for (const GraphEdge &e : view.graph().edges) {
            TransferEdgeItem *item = view.edgeItem(e.id);
            QCOMPARE(edgeCountText(e.count), QStringLiteral("\u00D7%1").arg(e.transferIds.size()));
            item->setAnnotation(Qt::red, true, QStringLiteral("x"));
            const auto &r = item->labelRects();
            QVERIFY(!r.count.isNull() && !r.annotation.isNull());
            QVERIFY(!r.count.intersects(r.annotation));
            if (e.hop == 0)
                QVERIFY(r.hop.isNull());
            if (e.hop) { // a tag when the edge has room, always in the tooltip
                hopTags += !r.hop.isNull();
                QVERIFY(!r.hop.intersects(r.count) && !r.hop.intersects(r.annotation));
                QVERIFY(item->toolTip().contains(QStringLiteral("hop %1").arg(e.hop)));
            }
            QVERIFY(item->boundingRect().contains(r.count) && item->boundingRect().contains(r.annotation));
            multi += e.count > 1;
        }
        QVERIFY(multi >= 1);
        QVERIFY(hopTags >= 1);
    }

    // Issue 11: unknown sources are one node per destination, account and session, the same in
    // the graph, the DOT export and the report: two unrelated transfers (other host, other
    // account, a year apart) get two nodes; a second push an hour later in the same session
    // shares the first one's.
    void unknownSourcesAreDistinct()
    {
        const QString copy = m_dir.filePath(QStringLiteral("unknown.ttcase"));
        QFile::remove(copy);
        QVERIFY(QFile::copy(m_case, copy));
        qint64 ids[3] = {};
        {
            auto cs = store::CaseStore::open(copy.toStdString(), store::CaseStore::Access::ReadWrite);
            auto &db = cs->db();
            const qint64 h1 = db.queryInt("SELECT min(dst_host_id) FROM transfers");
            const qint64 h2 = db.queryInt("SELECT max(dst_host_id) FROM transfers");
            const qint64 a1 = db.queryInt("SELECT min(account_id) FROM transfers");
            const qint64 a2 = db.queryInt("SELECT max(account_id) FROM transfers");
            QVERIFY(h1 != h2 && a1 != a2);
            const qint64 y2019
                = QDateTime(QDate(2019, 3, 2), QTime(10, 0), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
            const qint64 y2020
                = QDateTime(QDate(2020, 6, 10), QTime(9, 0), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
            const qint64 hour = 3600LL * 1000000;
            const struct {
                qint64 dst, account, ts;
            } rows[] = {{h1, a1, y2019}, {h1, a1, y2019 + hour}, {h2, a2, y2020}};
            int k = 0;
            for (const auto &r : rows) {
                auto st
                    = db.prepare("INSERT INTO transfers(src_host_id, dst_host_id, file_name, method, direction, "
                                 "account_id, first_ts, last_ts, confidence, confidence_label, rules) "
                                 "VALUES(NULL, ?, 'tool.exe', 'smb-admin-share', 'push', ?, ?, ?, 0.8, 'high', 'x')");
                st.bind(1, static_cast<int64_t>(r.dst));
                st.bind(2, static_cast<int64_t>(r.account));
                st.bind(3, static_cast<int64_t>(r.ts));
                st.bind(4, static_cast<int64_t>(r.ts));
                st.step();
                ids[k++] = db.queryInt("SELECT last_insert_rowid()");
            }
        }
        auto cs = store::CaseStore::open(copy.toStdString(), store::CaseStore::Access::ReadOnly);
        const GraphData g = queryGraph(cs->db(), FilterState {});
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        auto sourceOf = [&](qint64 transfer) -> qint64 {
            for (const GraphEdge &e : g.edges)
                if (e.transferIds.contains(transfer))
                    return e.source;
            return 0;
        };
        const qint64 n0 = sourceOf(ids[0]), n1 = sourceOf(ids[1]), n2 = sourceOf(ids[2]);
        QVERIFY(n0 < 0 && n2 < 0);
        QCOMPARE(n1, n0); // the same session
        QVERIFY(n2 != n0); // unrelated: its own node
        QHash<qint64, QString> names;
        for (const GraphHost &h : g.hosts)
            if (h.id < 0) {
                QVERIFY(h.unknownSource);
                QVERIFY(!names.values().contains(h.name)); // names are unique (positions are kept by name)
                names.insert(h.id, h.name);
            }
        QVERIFY(names.value(n0).contains(QLatin1String("2019-03-02")));
        QVERIFY(names.value(n2).contains(QLatin1String("2020-06-10")));

        // The report and the DOT export name the same nodes.
        const exporting::ReportData rd = exporting::queryReportData(cs->db(), FilterState {}, copy);
        QVERIFY2(rd.error.isEmpty(), qPrintable(rd.error));
        QHash<qint64, QString> reported;
        for (const exporting::ExportTransfer &t : rd.transfers)
            reported.insert(t.row.id, QString::fromStdString(t.row.source));
        QCOMPARE(reported.value(ids[0]), names.value(n0));
        QCOMPARE(reported.value(ids[1]), names.value(n0));
        QCOMPARE(reported.value(ids[2]), names.value(n2));
        OffscreenGraph og;
        QString error;
        QVERIFY2(og.load(copy, FilterState {}, &error), qPrintable(error));
        const exporting::DotGraph dot = graphDot(og.ref(), wholeGraphRect(og.scene()), QString());
        QSet<std::string> labels;
        for (const exporting::DotNode &n : dot.nodes)
            if (n.attrs.count("label"))
                labels.insert(n.attrs.at("label"));
        QVERIFY(labels.contains(names.value(n0).toStdString()));
        QVERIFY(labels.contains(names.value(n2).toStdString()));

        // Issue 11 leftover: every other surface prints that name too, never an empty source:
        // CSV / JSON exports, the transfers table, the timeline's markers, `transfers`.
        const auto exported = exporting::queryExportTransfersById(cs->db(), {ids[0], ids[2]}, false);
        QCOMPARE(exported.size(), size_t(2));
        const QString csv = QString::fromUtf8(exporting::transfersCsv(exported));
        const QString json = QString::fromUtf8(exporting::transfersJson(exported));
        for (const QString &name : {names.value(n0), names.value(n2)}) {
            QVERIFY2(csv.contains(QStringLiteral(",\"") + name + QStringLiteral("\",")), qPrintable(csv));
            QVERIFY2(json.contains(QStringLiteral("\"source\": \"") + name + QLatin1Char('"')), qPrintable(json));
        }
        const auto table = queryTransferTableRows(*cs, {ids[0], ids[1], ids[2]});
        QCOMPARE(table.size(), size_t(3));
        QCOMPARE(table[0].source, names.value(n0));
        QCOMPARE(table[1].source, names.value(n0));
        QCOMPARE(table[2].source, names.value(n2));
        // (A window around the inserted transfers: they lie outside the case's events.)
        const int64_t hourUs = 3600LL * 1000000;
        const TimelineData tl = queryTimeline(cs->db(), FilterState {},
            cs->db().queryInt("SELECT min(first_ts) FROM transfers WHERE src_host_id IS NULL") - hourUs,
            cs->db().queryInt("SELECT max(first_ts) FROM transfers WHERE src_host_id IS NULL") + hourUs, 100, false);
        QVERIFY2(tl.error.isEmpty(), qPrintable(tl.error));
        int named = 0;
        for (const TimelineMarker &m : tl.markers) {
            QCOMPARE(m.unknownSource.isEmpty(), m.src >= 0);
            if (m.id == ids[0] || m.id == ids[1] || m.id == ids[2]) {
                QCOMPARE(m.unknownSource, names.value(m.id == ids[2] ? n2 : n0));
                ++named;
            }
        }
        QCOMPARE(named, 3);
        const test::Run run
            = test::cli({QStringLiteral("transfers"), copy, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(run.code, 0);
        const QJsonArray cliRows = QJsonDocument::fromJson(run.out).array();
        int cliNamed = 0;
        for (const auto &row : cliRows) {
            const QJsonObject o = row.toObject();
            const qint64 id = o.value(QStringLiteral("id")).toInteger();
            if (id == ids[0] || id == ids[2]) {
                QCOMPARE(o.value(QStringLiteral("source")).toString(), names.value(id == ids[2] ? n2 : n0));
                ++cliNamed;
            }
            QVERIFY(!o.value(QStringLiteral("source")).toString().isEmpty());
        }
        QCOMPARE(cliNamed, 2);
    }

    // Issue 11: a toolbar on the graph (Re-layout, Fit, Unpin all, Legend) and a legend overlay
    // that the View menu hides, remembered in the settings.
    void toolbarAndLegendOverlay()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("tt-test-graph"));
        QSettings().remove(QStringLiteral("workbench/graphLegend"));
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1200, 800);
        window.show();
        TransferGraphView &view = *window.graphView();
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        window.openCase(m_case);
        waitGraph(view, spy, 0);
        QStringList texts;
        for (QAction *a : view.toolBar()->actions())
            texts << a->iconText();
        QVERIFY2(texts.contains("Re-layout") && texts.contains("Fit") && texts.contains("Unpin all")
                && texts.contains("Legend"),
            qPrintable(texts.join(',')));
        QVERIFY(view.toolBar()->isVisible());
        // The toolbar sits above the viewport, not over the graph.
        QVERIFY(view.toolBar()->geometry().bottom() < view.viewport()->geometry().top());
        QWidget *legend = view.legendOverlay();
        QVERIFY(legend->isVisible());
        // Beside the graph, inside the view: it hides no node.
        QVERIFY(view.rect().contains(legend->geometry()));
        QVERIFY(!legend->geometry().intersects(view.viewport()->geometry()));
        QAction *toggle = window.findChild<QAction *>(QStringLiteral("graphLegendAction"));
        QVERIFY(toggle && toggle == view.legendAction());
        bool inViewMenu = false;
        for (QMenu *m : window.findChildren<QMenu *>())
            inViewMenu |= m->actions().contains(toggle);
        QVERIFY(inViewMenu);
        const int withLegend = view.viewport()->width();
        toggle->trigger();
        QVERIFY(!legend->isVisible());
        QVERIFY(view.viewport()->width() > withLegend); // the graph gets the room back
        QCOMPARE(QSettings().value(QStringLiteral("workbench/graphLegend")).toBool(), false);
        {
            FilterHistory f2;
            Selection s2;
            TransferGraphView second(&f2, &s2);
            QVERIFY(!second.legendAction()->isChecked()); // remembered
        }
        toggle->trigger();
        QVERIFY(legend->isVisible());
        // Re-layout after zooming in fits the graph again; Fit does too.
        view.scale(4, 4);
        const int before = static_cast<int>(spy.count());
        view.relayout();
        waitGraph(view, spy, before);
        const QRectF shownRect = view.mapToScene(view.viewport()->rect()).boundingRect();
        for (const GraphHost &h : view.graph().hosts)
            QVERIFY(shownRect.contains(view.nodeItem(h.id)->pos()));
        QSettings().remove(QStringLiteral("workbench/graphLegend"));
    }

    void selectingAnEdgeSelectsItsTransfers()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        waitGraph(view, spy, 0);
        const GraphEdge &e = view.graph().edges.front();
        view.edgeItem(e.id)->setSelected(true);
        QCOMPARE(int(selection.current().kind), int(SelectedEntities::Kind::Edge));
        QCOMPARE(selection.current().transfers, e.transferIds);
        QCOMPARE(selection.current().hosts, (QVector<qint64> {e.source, e.target}));
        // And the other way: selecting a host elsewhere selects its node here.
        SelectedEntities s;
        s.kind = SelectedEntities::Kind::Host;
        s.hosts = {e.target};
        selection.select(s);
        QVERIFY(view.nodeItem(e.target)->isSelected());
        QVERIFY(!view.edgeItem(e.id)->isSelected());
    }

    void edgeClickFillsEvidenceAndAncestry()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1400, 900);
        window.show();
        TransferGraphView &view = *window.graphView();
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        window.openCase(m_case);
        waitGraph(view, spy, 0);
        // The edge with the deepest hop: an attacker transfer with both ends and an execution.
        const GraphEdge *edge = nullptr;
        for (const GraphEdge &e : view.graph().edges)
            if (!edge || e.hop > edge->hop)
                edge = &e;
        QVERIFY(edge);
        // A real click on the edge's path in the viewport.
        TransferEdgeItem *item = view.edgeItem(edge->id);
        const QPoint at = view.mapFromScene(item->path().pointAtPercent(0.25));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(int(selection.current().kind), int(SelectedEntities::Kind::Edge));
        QCOMPARE(selection.current().transfers, edge->transferIds);

        // The evidence table lists exactly the evidence links of the edge's transfers.
        qint64 links = 0;
        QStringList images;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            QStringList ids;
            for (qint64 t : edge->transferIds)
                ids << QString::number(t);
            links = cs->db().queryInt(
                QString(QStringLiteral("SELECT count(*) FROM transfer_evidence WHERE transfer_id IN (")
                    + ids.join(QLatin1Char(',')) + QStringLiteral(")"))
                    .toStdString());
            // The process that ran the first transfer's file on the destination.
            auto st = cs->db().prepare(
                "SELECT p.image FROM transfers t JOIN processes p ON p.id = t.dst_process_id WHERE t.id = ?");
            st.bind(1, static_cast<int64_t>(edge->transferIds.first()));
            if (st.step())
                images << QString::fromStdString(st.text(0));
        }
        QVERIFY(links > 0);
        auto *evidence = window.findChild<QAbstractItemView *>(QStringLiteral("evidenceTable"));
        QVERIFY(evidence);
        QTRY_COMPARE_WITH_TIMEOUT(qint64(evidence->model()->rowCount()), links, 10000);

        // The ancestry panel shows the executing process of the (first) transfer.
        QVERIFY2(!images.isEmpty(), "the deepest transfer was executed on its destination");
        auto *tree = window.findChild<QAbstractItemView *>(QStringLiteral("ancestryTree"));
        QVERIFY(tree);
        auto findImage = [&](const QString &image) {
            const QAbstractItemModel *m = tree->model();
            std::function<bool(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
                for (int r = 0; r < m->rowCount(parent); ++r) {
                    const QModelIndex i = m->index(r, 0, parent);
                    if (i.data().toString() == image || walk(i))
                        return true;
                }
                return false;
            };
            return walk(QModelIndex());
        };
        QTRY_VERIFY_WITH_TIMEOUT(findImage(images.first()), 10000);
    }

    // The case's display time zone is applied on open; the analyst can switch to UTC and back.
    void displayTimeZone()
    {
        const QString path = m_dir.filePath(QStringLiteral("tz.ttcase"));
        QFile::remove(path);
        QVERIFY(QFile::copy(m_case, path));
        int64_t firstTs = 0;
        {
            auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
            cs->db().exec("INSERT OR REPLACE INTO case_info(key, value) VALUES('display_tz', 'Asia/Kolkata')");
            firstTs = cs->db().queryInt("SELECT min(first_ts) FROM hosts WHERE first_ts IS NOT NULL");
        }
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.setTimeZoneChoice(QStringLiteral("case"));
        window.resize(1200, 800);
        window.show();
        QSignalSpy tzChanged(&window, &WorkbenchWindow::displayTimeZoneChanged);
        window.openCase(path);
        QTRY_COMPARE_WITH_TIMEOUT(displayTimeZoneName(), QStringLiteral("Asia/Kolkata"), 10000);
        QCOMPARE(window.caseTimeZone(), QStringLiteral("Asia/Kolkata"));
        QVERIFY(tzChanged.count() >= 1);
        // Times render in the zone: UTC + 05:30.
        const QDateTime local
            = QDateTime::fromMSecsSinceEpoch(firstTs / 1000, QTimeZone::utc()).addSecs(5 * 3600 + 1800);
        QCOMPARE(formatTime(firstTs).left(16), local.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        QCOMPARE(formatUtc(firstTs).left(16),
            QDateTime::fromMSecsSinceEpoch(firstTs / 1000, QTimeZone::utc())
                .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        // Table headers name the zone.
        auto *hostsTable = window.findChild<QAbstractItemView *>(QStringLiteral("hostTable"));
        QVERIFY(hostsTable);
        bool named = false;
        for (int c = 0; c < hostsTable->model()->columnCount(); ++c)
            named |= hostsTable->model()->headerData(c, Qt::Horizontal).toString().contains("Asia/Kolkata");
        QVERIFY(named);
        window.setTimeZoneChoice(QStringLiteral("UTC"));
        QCOMPARE(displayTimeZoneName(), QStringLiteral("UTC"));
        QCOMPARE(formatTime(firstTs), formatUtc(firstTs));
        window.setTimeZoneChoice(QStringLiteral("No/Such_Zone")); // falls back to UTC, says so
        QCOMPARE(displayTimeZoneName(), QStringLiteral("UTC"));
        window.setTimeZoneChoice(QStringLiteral("case"));
        QCOMPARE(displayTimeZoneName(), QStringLiteral("Asia/Kolkata"));
        window.setTimeZoneChoice(QStringLiteral("UTC")); // leave UTC for the other tests
    }

    void pathHighlightAndHide()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        QSignalSpy spy(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        waitGraph(view, spy, 0);
        // The deepest chain: from its root to the host at the end of the longest hop sequence.
        const GraphEdge *deepest = nullptr;
        for (const GraphEdge &e : view.graph().edges)
            if (!deepest || e.hop > deepest->hop)
                deepest = &e;
        QVERIFY(deepest && deepest->hop >= 2);
        qint64 root = 0;
        for (const GraphHost &h : view.graph().hosts)
            if (h.firstSource)
                root = h.id;
        QVERIFY(view.highlightPath(root, deepest->target));
        QVERIFY(!view.highlightPath(deepest->target, deepest->target));
        const int hostsBefore = static_cast<int>(view.graph().hosts.size());
        const int before = static_cast<int>(spy.count());
        const qint64 hidden = deepest->target; // deepest points into the graph that hideHost replaces
        view.hideHost(hidden);
        waitGraph(view, spy, before);
        QCOMPARE(static_cast<int>(view.graph().hosts.size()), hostsBefore - 1);
        QVERIFY(!view.nodeItem(hidden));
    }

    void hostileHostNameIsPlainText()
    {
        GraphHost h;
        h.id = 7;
        h.name = QStringLiteral("<img src=x onerror=alert(1)>&amp;");
        HostNodeItem item(h, QSizeF(200, 42));
        // The tooltip is escaped HTML inside <pre>, so the name shows literally.
        QVERIFY(item.toolTip().contains(QStringLiteral("&lt;img src=x onerror=alert(1)&gt;&amp;amp;")));
        QVERIFY(!item.toolTip().contains(QStringLiteral("<img")));
    }

    // Issue 15: a case whose last import was killed before its inference committed (sources, no
    // transfers, inference pending) gets its transfers back when the workbench opens it.
    void pendingInferenceIsRedoneOnOpen()
    {
        const QString c = m_dir.filePath(QStringLiteral("pending.ttcase"));
        int64_t transfers = 0;
        {
            auto cs = tt::store::CaseStore::open(m_case.toStdString(), tt::store::CaseStore::Access::ReadOnly);
            transfers = cs->db().queryInt("SELECT count(*) FROM transfers");
            tt::store::CaseStore::backupTo(cs->db(), c.toStdString());
        }
        QVERIFY(transfers > 0);
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            cs->db().exec("DELETE FROM transfer_evidence; DELETE FROM transfers");
            tt::store::markInferencePending(cs->db());
        }
        FilterHistory filter;
        Selection selection;
        ImportRunner importer; // the real one, as the app injects it
        WorkbenchWindow window(&filter, &selection, &importer);
        window.resize(1200, 800);
        window.openCase(c);
        auto state = [&] {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadOnly);
            return std::pair {
                tt::store::inferencePending(cs->db()), cs->db().queryInt("SELECT count(*) FROM transfers")};
        };
        QTRY_VERIFY_WITH_TIMEOUT(!state().first, 60000);
        QCOMPARE(state().second, transfers);
    }
};

QTEST_MAIN(TstWorkbenchGraph)
#include "tst_workbench_graph.moc"
