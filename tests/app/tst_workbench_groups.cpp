// Issue 12 item 5 (what was left): the analyst's named host groups in the workbench ("Group as...",
// kept in the case, undo / redo, rename, delete, reopened), Find Host inside a collapsed group, the
// pivot on a grouped graph keeping the ungrouped graph's hosts, far labels at low zoom, and
// `transfertrace export graph --group` with escaped group and host names.

#include "CaseBuilder.h"
#include "CliRun.h"
#include "DotWriter.h"
#include "GraphItems.h"
#include "GraphScene.h"
#include "HostFinder.h"
#include "HostileCase.h"
#include "TransferGraphView.h"
#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "workbench/AnnotationController.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace tt;

namespace {
const GraphHost *namedGroup(const TransferGraphView &view, const QString &name)
{
    for (const GraphHost &h : view.graph().hosts)
        if (h.isGroup() && h.namedGroup && h.groupName == name)
            return &h;
    return nullptr;
}

// Hosts (not groups, not unknown sources) of the graph, busiest first (copies: the graph's data
// is replaced by every refresh).
std::vector<GraphHost> plainHosts(const TransferGraphView &view)
{
    std::vector<GraphHost> out;
    for (const GraphHost &h : view.graph().hosts)
        if (!h.isGroup() && !h.unknownSource)
            out.push_back(h);
    std::sort(out.begin(), out.end(), [](const GraphHost &a, const GraphHost &b) {
        return a.sent + a.received != b.sent + b.received ? a.sent + a.received > b.sent + b.received : a.id < b.id;
    });
    return out;
}

// Every host id the graph stands for: plain nodes and the members of group nodes.
QSet<qint64> hostSet(const GraphData &g)
{
    QSet<qint64> out;
    for (const GraphHost &h : g.hosts) {
        if (h.isGroup())
            for (qint64 m : h.members)
                out.insert(m);
        else
            out.insert(h.id);
    }
    return out;
}

bool waitShown(QSignalSpy &shown, int count, const TransferGraphView &view)
{
    return QTest::qWaitFor([&] { return shown.count() >= count && !view.busy(); }, 30000);
}
} // namespace

class TstWorkbenchGroups : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;

private slots:
    void initTestCase()
    {
        QString error;
        m_case = buildGeneratedCase(m_dir.path(), 16, 12000, 99, &error);
        QVERIFY2(!m_case.isEmpty(), qPrintable(error));
    }

    void groupAsUndoRenameDeleteReopen()
    {
        const QString name = QStringLiteral("Crown \"jewels\" <b>x</b>");
        QStringList members;
        {
            AnnotationController ac;
            QVERIFY(ac.setCase(m_case, false));
            FilterHistory filter;
            Selection selection;
            TransferGraphView view(&filter, &selection);
            view.setAnnotations(&ac);
            view.resize(900, 700);
            QSignalSpy shown(&view, &TransferGraphView::graphShown);
            view.setCase(m_case);
            QVERIFY(waitShown(shown, 1, view));
            const auto hosts = plainHosts(view);
            QVERIFY(hosts.size() >= 4);
            const qint64 a = hosts[0].id, b = hosts[1].id;
            members = QStringList {hosts[0].name, hosts[1].name};
            members.sort();
            QVERIFY(!view.groupSelectedAs(name)); // nothing selected: nothing grouped
            view.nodeItem(a)->setSelected(true);
            view.nodeItem(b)->setSelected(true);
            int n = shown.count();
            QVERIFY(view.groupSelectedAs(name));
            QVERIFY(waitShown(shown, n + 1, view));
            const GraphHost *g = namedGroup(view, name);
            QVERIFY(g);
            QCOMPARE(QSet<qint64>(g->members.begin(), g->members.end()), (QSet<qint64> {a, b}));
            QCOMPARE(g->name, name + QStringLiteral(" (2 hosts)"));
            QVERIFY(!view.nodeItem(a)); // drawn as the group
            // In the case at once: another connection reads it.
            {
                auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
                const auto groups = store::AnnotationStore(*cs).hostGroups();
                QCOMPARE(groups.size(), size_t(1));
                QCOMPARE(QString::fromStdString(groups[0].name), name);
                QCOMPARE(
                    groups[0].hosts, (std::vector<std::string> {members[0].toStdString(), members[1].toStdString()}));
            }
            // Undo / redo like other annotation edits.
            n = shown.count();
            ac.undoStack()->undo();
            QVERIFY(waitShown(shown, n + 1, view));
            QVERIFY(!namedGroup(view, name));
            QVERIFY(view.nodeItem(a));
            QVERIFY(ac.hostGroups().empty());
            n = shown.count();
            ac.undoStack()->redo();
            QVERIFY(waitShown(shown, n + 1, view));
            QVERIFY(namedGroup(view, name));
            // A second group, then a rename onto its name is refused and changes nothing.
            QVERIFY(ac.groupHosts(QStringLiteral("Other"), {hosts[2].name}));
            QSignalSpy failed(&ac, &AnnotationController::failed);
            QVERIFY(!ac.renameHostGroup(name, QStringLiteral("OTHER")));
            QCOMPARE(failed.count(), 1);
            QCOMPARE(ac.hostGroups().size(), size_t(2));
            n = shown.count();
            QVERIFY(ac.renameHostGroup(name, QStringLiteral("Finance")));
            QVERIFY(
                QTest::qWaitFor([&] { return namedGroup(view, QStringLiteral("Finance")) && !view.busy(); }, 30000));
            QVERIFY(!namedGroup(view, name));
            // Delete, undo the delete.
            QVERIFY(ac.deleteHostGroup(QStringLiteral("Other")));
            QVERIFY(QTest::qWaitFor([&] { return view.nodeItem(hosts[2].id) && !view.busy(); }, 30000));
            ac.undoStack()->undo();
            QVERIFY(QTest::qWaitFor([&] { return namedGroup(view, QStringLiteral("Other")) && !view.busy(); }, 30000));
            ac.setCase(QString(), true); // releases the case
        }
        // Reopened in a new session: both groups are there and drawn.
        AnnotationController ac;
        QVERIFY(ac.setCase(m_case, false));
        QCOMPARE(ac.hostGroups().size(), size_t(2));
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.setAnnotations(&ac);
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        QVERIFY(QTest::qWaitFor([&] { return namedGroup(view, QStringLiteral("Finance")) && !view.busy(); }, 30000));
        QVERIFY(namedGroup(view, QStringLiteral("Other")));
        // Named groups apply in every grouping but None.
        int n = shown.count();
        view.setGrouping(HostGrouping::None);
        QVERIFY(waitShown(shown, n + 1, view));
        QVERIFY(!namedGroup(view, QStringLiteral("Finance")));
        n = shown.count();
        view.setGrouping(HostGrouping::Subnet);
        QVERIFY(waitShown(shown, n + 1, view));
        QVERIFY(namedGroup(view, QStringLiteral("Finance")));
        // Clean up for the other tests: no groups.
        QVERIFY(ac.deleteHostGroup(QStringLiteral("Finance")));
        QVERIFY(ac.deleteHostGroup(QStringLiteral("Other")));
        QVERIFY(QTest::qWaitFor([&] { return !view.busy(); }, 30000));
        ac.setCase(QString(), true);
    }

    void findHostInACollapsedGroup()
    {
        AnnotationController ac;
        QVERIFY(ac.setCase(m_case, false));
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.setAnnotations(&ac);
        view.resize(900, 700);
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        QVERIFY(waitShown(shown, 1, view));
        const auto hosts = plainHosts(view);
        QVERIFY(hosts.size() >= 3);
        const qint64 target = hosts[1].id;
        const QString targetName = hosts[1].name;
        QVERIFY(ac.groupHosts(QStringLiteral("Hidden Away"), {hosts[1].name, hosts[2].name}));
        QVERIFY(
            QTest::qWaitFor([&] { return namedGroup(view, QStringLiteral("Hidden Away")) && !view.busy(); }, 30000));
        QVERIFY(!view.nodeItem(target));
        HostFinder finder(&view, &filter, &selection, nullptr);
        finder.setCase(m_case);
        QSignalSpy finished(&finder, &HostFinder::finished);
        finder.find(targetName);
        QVERIFY(QTest::qWaitFor([&] { return finished.count() == 1; }, 30000));
        const QString message = finished.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("collapsed group Hidden Away")) && message.contains(targetName),
            qPrintable(message));
        // The group is expanded and the host itself selected once laid out.
        QVERIFY(QTest::qWaitFor([&] { return view.nodeItem(target) && !view.busy(); }, 30000));
        QVERIFY(view.expandedGroups().contains(namedGroupKey(QStringLiteral("Hidden Away"))));
        QVERIFY(view.nodeItem(target)->isSelected());
        QVERIFY(ac.deleteHostGroup(QStringLiteral("Hidden Away")));
        QVERIFY(QTest::qWaitFor([&] { return !view.busy(); }, 30000));
        ac.setCase(QString(), true);
    }

    void pivotOnAGroupedGraphKeepsItsHosts()
    {
        // The account with the most transfers and the parent image of most transfers.
        qint64 account = 0;
        QString parent;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            account = cs->db().queryInt("SELECT account_id FROM transfers WHERE account_id IS NOT NULL "
                                        "GROUP BY account_id ORDER BY count(*) DESC, 1 LIMIT 1");
            auto st = cs->db().prepare("SELECT p.parent_image FROM transfers t JOIN processes p ON p.id = "
                                       "t.src_process_id WHERE p.parent_image IS NOT NULL GROUP BY 1 ORDER BY "
                                       "count(*) DESC, 1 LIMIT 1");
            if (st.step())
                parent = QString::fromStdString(st.text(0));
        }
        QVERIFY(account > 0);
        std::vector<FilterState> pivots(1);
        pivots[0].accounts.insert(account);
        if (!parent.isEmpty()) {
            FilterState f;
            f.parentImages << parent;
            pivots.push_back(f);
        }
        for (const FilterState &f : pivots) {
            QSet<qint64> sets[2];
            for (int grouped = 0; grouped < 2; ++grouped) {
                FilterHistory filter;
                Selection selection;
                TransferGraphView view(&filter, &selection);
                QSignalSpy shown(&view, &TransferGraphView::graphShown);
                view.setGrouping(grouped ? HostGrouping::Subnet : HostGrouping::None);
                view.setCase(m_case);
                QVERIFY(waitShown(shown, 1, view));
                const int n = shown.count();
                filter.apply(f);
                QVERIFY(waitShown(shown, n + 1, view));
                if (grouped) {
                    bool anyGroup = false;
                    for (const GraphHost &h : view.graph().hosts)
                        anyGroup |= h.isGroup();
                    QVERIFY2(anyGroup, "the pivot's hosts share a /24");
                }
                sets[grouped] = hostSet(view.graph());
            }
            QVERIFY(!sets[0].isEmpty());
            QCOMPARE(sets[1], sets[0]);
        }
    }

    void farLabelsAtLowZoom()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.resize(900, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        view.setGrouping(HostGrouping::Subnet);
        view.setCase(m_case);
        QVERIFY(waitShown(shown, 1, view));
        int groups = 0, labelled = 0;
        for (const GraphHost &h : view.graph().hosts) {
            HostNodeItem *n = view.nodeItem(h.id);
            QVERIFY(n);
            if (h.isGroup()) {
                ++groups;
                QVERIFY(n->farLabel());
                QCOMPARE(n->farLabel()->text(), h.name);
            }
            labelled += n->farLabel() ? 1 : 0;
        }
        QVERIFY(groups > 0);
        QVERIFY(labelled <= groups + int(kFarLabelHosts)); // host labels are left to zooming in
        view.setTransform(QTransform::fromScale(1, 1));
        view.updateLevelOfDetail();
        for (const GraphHost &h : view.graph().hosts)
            if (HostNodeItem *n = view.nodeItem(h.id); n->farLabel())
                QVERIFY(!n->farLabel()->isVisible()); // close up, the node draws its own label
        view.setTransform(QTransform::fromScale(0.1, 0.1));
        view.updateLevelOfDetail();
        QVector<QRectF> visible;
        for (const GraphHost &h : view.graph().hosts) {
            HostNodeItem *n = view.nodeItem(h.id);
            if (n->farLabel() && n->farLabel()->isVisible())
                visible << n->farLabel()->boundingRect().translated(view.mapFromScene(n->scenePos()));
        }
        QVERIFY(!visible.isEmpty());
        for (int i = 0; i < visible.size(); ++i)
            for (int j = i + 1; j < visible.size(); ++j)
                QVERIFY(!visible[i].intersects(visible[j])); // never one over another
        // The biggest group always keeps its label.
        const GraphHost *biggest = nullptr;
        for (const GraphHost &h : view.graph().hosts)
            if (h.isGroup() && (!biggest || h.members.size() > biggest->members.size()))
                biggest = &h;
        QVERIFY(view.nodeItem(biggest->id)->farLabel()->isVisible());
        // Bundled edges: one per pair of nodes, never wider than the cap.
        QSet<QPair<qint64, qint64>> pairs;
        for (const GraphEdge &e : view.graph().edges) {
            if (view.nodeItem(e.source)->host().isGroup() || view.nodeItem(e.target)->host().isGroup()) {
                const QPair<qint64, qint64> p(std::min(e.source, e.target), std::max(e.source, e.target));
                QVERIFY(!pairs.contains(p));
                pairs.insert(p);
            }
            QVERIFY(TransferEdgeItem::widthFor(e.count) <= TransferEdgeItem::kMaxWidth);
        }
        QCOMPARE(TransferEdgeItem::widthFor(100000), TransferEdgeItem::kMaxWidth);
    }

    void exportGraphWithGroupsEscaped()
    {
        QString error;
        const HostileCase hc = buildHostileCase(m_dir.filePath(QStringLiteral("hostile")), &error);
        QVERIFY2(!hc.path.isEmpty(), qPrintable(error));
        const QString group = QStringLiteral("Ops \"x\" \\ <script>alert(1)</script> -> ]");
        {
            auto cs = store::CaseStore::open(hc.path.toStdString(), store::CaseStore::Access::ReadWrite);
            store::AnnotationStore(*cs).setHostGroups({{group.toStdString(), {hc.hostName.toStdString()}}});
        }
        const QString dot = m_dir.filePath(QStringLiteral("g.dot"));
        const auto r = test::cli({"export", "graph", hc.path, dot, "--group", "named"});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile f(dot);
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::string parseError;
        const auto g = exporting::readDot(f.readAll().toStdString(), &parseError);
        QVERIFY2(g, parseError.c_str());
        int found = 0;
        for (const exporting::DotNode &n : g->nodes) {
            const auto it = n.attrs.find("tt_group");
            if (it == n.attrs.end())
                continue;
            ++found;
            QCOMPARE(QString::fromStdString(it->second), group); // exact, not broken out of
            QCOMPARE(QString::fromStdString(n.attrs.at("label")), group + QStringLiteral(" (1 host)"));
            QCOMPARE(n.attrs.at("tt_group_kind"), std::string("named"));
        }
        QCOMPARE(found, 1);
        // SVG: the group's name and the hostile host names drawn as text, never as markup.
        const QString svg = m_dir.filePath(QStringLiteral("g.svg"));
        QVERIFY(test::cli({"export", "graph", hc.path, svg, "--group", "subnet"}).code == 0);
        QFile s(svg);
        QVERIFY(s.open(QIODevice::ReadOnly));
        const QByteArray text = s.readAll();
        QVERIFY(!text.contains("<script>"));
        QVERIFY(text.contains("&lt;script&gt;"));
        // Without --group every host is drawn; a bad value is a usage error.
        const QString plain = m_dir.filePath(QStringLiteral("p.dot"));
        QVERIFY(test::cli({"export", "graph", hc.path, plain}).code == 0);
        QFile pf(plain);
        QVERIFY(pf.open(QIODevice::ReadOnly));
        QVERIFY(!pf.readAll().contains("tt_group"));
        const auto bad = test::cli({"export", "graph", hc.path, plain, "--group", "rack"});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("--group"));
        QCOMPARE(test::cli({"export", "transfers", hc.path, m_dir.filePath("t.csv"), "--group", "subnet"}).code, 2);
    }
};

QTEST_MAIN(TstWorkbenchGroups)
#include "tst_workbench_groups.moc"
