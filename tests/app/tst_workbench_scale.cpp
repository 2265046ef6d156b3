// Issue 12 item 5 in the real window: a hidden dock runs no query when the filter changes and
// runs the latest one when shown; hosts grouped by /24 in the graph, a group selected selects its
// transfers, a group expands and collapses.

#include "CaseBuilder.h"
#include "GraphItems.h"
#include "TransferGraphView.h"
#include "TransfersDock.h"
#include "WorkbenchWindow.h"
#include "items/TransferTableModel.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QDockWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;

class TstWorkbenchScale : public QObject {
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

    void hiddenDockIdlesAndUpdatesWhenShown()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow w(&filter, &selection);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy lists(w.transfersDock(), &TransfersDock::listShown);
        w.openCase(m_case);
        QTRY_VERIFY_WITH_TIMEOUT(lists.count() >= 1 && !w.transfersDock()->busy(), 20000);
        const int all = w.transfersDock()->model()->totalCount();
        auto *dock = qobject_cast<QDockWidget *>(w.transfersDock()->parentWidget());
        QVERIFY(dock);
        dock->hide();
        QTRY_VERIFY(!w.transfersDock()->isVisible());
        // The account with the fewest transfers: a filter that changes the list.
        qint64 account = 0, expected = 0;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            auto st = cs->db().prepare("SELECT account_id, count(*) FROM transfers WHERE account_id IS NOT NULL "
                                       "GROUP BY account_id ORDER BY 2, 1 LIMIT 1");
            QVERIFY(st.step());
            account = st.int64(0);
            expected = st.int64(1);
        }
        QVERIFY(expected < all);
        const int before = lists.count();
        FilterState f;
        f.accounts.insert(account);
        filter.apply(f);
        f.minConfidence = 0; // a second change while hidden: only the latest runs when shown
        filter.apply(FilterState {});
        filter.apply(f);
        QTest::qWait(300);
        QCoreApplication::processEvents();
        QCOMPARE(lists.count(), before); // no query ran while hidden
        QCOMPARE(w.transfersDock()->model()->totalCount(), all);
        dock->show();
        QTRY_VERIFY_WITH_TIMEOUT(lists.count() == before + 1 && !w.transfersDock()->busy(), 20000);
        QCOMPARE(w.transfersDock()->model()->totalCount(), int(expected));
        QTest::qWait(200);
        QCOMPARE(lists.count(), before + 1); // exactly one: the latest filter
    }

    void groupsInTheGraph()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.resize(900, 700);
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && !view.busy(), 20000);
        const size_t hosts = view.graph().hosts.size();
        for (const GraphHost &h : view.graph().hosts)
            QVERIFY(!h.isGroup()); // 16 hosts: Auto leaves them apart
        view.setGrouping(HostGrouping::Subnet);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 2 && !view.busy(), 20000);
        const GraphHost *group = nullptr;
        for (const GraphHost &h : view.graph().hosts)
            if (h.isGroup() && (!group || h.members.size() > group->members.size()))
                group = &h;
        QVERIFY2(group, "the generated hosts share a /24");
        QVERIFY(view.graph().hosts.size() < hosts);
        const QString key = group->groupKey;
        const QVector<qint64> members = group->members;
        // Selecting the group selects every transfer touching its hosts (from the case itself).
        QSet<qint64> touching;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            auto st = cs->db().prepare("SELECT id, coalesce(src_host_id, -1), dst_host_id FROM transfers");
            const QSet<qint64> m(members.begin(), members.end());
            while (st.step())
                if (m.contains(st.int64(1)) || m.contains(st.int64(2)))
                    touching.insert(st.int64(0));
        }
        view.nodeItem(group->id)->setSelected(true);
        const QVector<qint64> picked = selection.current().transfers;
        QCOMPARE(QSet<qint64>(picked.begin(), picked.end()), touching);
        // Expand: its hosts come back as nodes of their own, each able to collapse it again.
        view.expandGroup(key);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 3 && !view.busy(), 20000);
        for (qint64 m : members) {
            QVERIFY(view.nodeItem(m));
            QCOMPARE(view.nodeItem(m)->host().groupKey, key);
        }
        view.collapseGroup(key);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 4 && !view.busy(), 20000);
        QVERIFY(!view.nodeItem(members.first()));
    }
};

QTEST_MAIN(TstWorkbenchScale)
#include "tst_workbench_scale.moc"
