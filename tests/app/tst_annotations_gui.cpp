// The workbench's annotations on a generated case: a note / tag / bookmark made through the
// controller shows as a badge on the graph and in the notes dock, undo / redo restore the stored
// state, the notes dock navigates to the item, a saved view restores its filter, a node move is
// kept in the case and undoable, a second window on the same case opens read-only with the reason,
// and a hostile note is stored and listed intact without markup interpretation.

#include "AnnotationActions.h"
#include "AnnotationDialog.h"
#include "CaseBuilder.h"
#include "GraphItems.h"
#include "NotesPanel.h"
#include "TimelineView.h"
#include "TransferGraphView.h"
#include "WorkbenchWindow.h"
#include "items/AnnotationListModel.h"
#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "workbench/AnnotationController.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace tt;
using store::TargetKind;

class TstAnnotationsGui : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;

    static void waitGraph(TransferGraphView &v, QSignalSpy &spy, int before)
    {
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > before && !v.busy(), 20000);
    }
    static int64_t tagId(AnnotationController *c, const char *name)
    {
        for (const store::Tag &t : c->tags())
            if (t.name == name)
                return t.id;
        return 0;
    }
    QAction *findAction(QMenu *menu, const QString &name)
    {
        for (QAction *a : menu->actions()) {
            if (a->objectName() == name)
                return a;
            if (a->menu())
                if (QAction *sub = findAction(a->menu(), name))
                    return sub;
        }
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QString error;
        m_case = buildGeneratedCase(m_dir.path(), 12, 8000, 7, &error);
        QVERIFY2(!m_case.isEmpty(), qPrintable(error));
    }

    void badgesUndoRedoAndNotesDock()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1300, 850);
        window.show();
        TransferGraphView &view = *window.graphView();
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        window.openCase(m_case);
        waitGraph(view, shown, 0);
        AnnotationController *c = window.annotations();
        QVERIFY(c->writable());
        QVERIFY(!window.caseReadOnly());
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("readOnlyBanner"))->isVisible());

        // A host: tag it malicious with a note.
        const GraphHost host = view.graph().hosts.front();
        HostNodeItem *node = view.nodeItem(host.id);
        QVERIFY(node && !node->hasAnnotationBadge());
        const AnnotationRef ref {TargetKind::Host, host.name, host.name};
        store::Annotation a;
        a.note = "first seen beaconing\nsecond line";
        a.tagIds = {tagId(c, "malicious")};
        QVERIFY(c->put(ref, a, "annotate"));
        QVERIFY(node->hasAnnotationBadge());
        QCOMPARE(c->badgeColor(TargetKind::Host, host.name), QColor("#d62728"));
        QCOMPARE(window.notesPanel()->model()->rowCount(), 1);
        // ... and a swatch in the case overview's host table.
        auto *hostTable = window.findChild<QAbstractItemView *>(QStringLiteral("hostTable"));
        QVERIFY(hostTable);
        QTRY_VERIFY_WITH_TIMEOUT(hostTable->model()->rowCount() > 0, 10000);
        bool swatch = false;
        for (int r = 0; r < hostTable->model()->rowCount(); ++r) {
            const QModelIndex i = hostTable->model()->index(r, 0);
            if (i.data().toString() == host.name)
                swatch = i.data(Qt::DecorationRole).value<QColor>() == QColor("#d62728");
        }
        QVERIFY(swatch);

        // A transfer on an edge: bookmark it; the edge gets a badge.
        const GraphEdge edge = view.graph().edges.front();
        QVERIFY(!edge.transferKeys.isEmpty() && !edge.transferKeys.first().isEmpty());
        const AnnotationRef tref {TargetKind::Transfer, edge.transferKeys.first(), "a transfer"};
        QVERIFY(c->toggleBookmark(tref));
        QVERIFY(view.edgeItem(edge.id)->hasAnnotationBadge());
        QCOMPARE(window.notesPanel()->model()->rowCount(), 2);

        // Stored at once: another connection sees both.
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            store::AnnotationStore st(cs->db());
            QCOMPARE(st.list().size(), size_t(2));
            QVERIFY(st.find(TargetKind::Transfer, edge.transferKeys.first().toStdString())->bookmarked);
        }

        // Undo the bookmark (the stored row goes), undo the note, redo both.
        QUndoStack *undo = c->undoStack();
        QCOMPARE(undo->count(), 2);
        undo->undo();
        QVERIFY(!c->isAnnotated(TargetKind::Transfer, edge.transferKeys.first()));
        QVERIFY(!view.edgeItem(edge.id)->hasAnnotationBadge());
        undo->undo();
        QVERIFY(!c->isAnnotated(TargetKind::Host, host.name));
        QVERIFY(!view.nodeItem(host.id)->hasAnnotationBadge());
        QCOMPARE(window.notesPanel()->model()->rowCount(), 0);
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            QCOMPARE(store::AnnotationStore(cs->db()).list().size(), size_t(0));
        }
        undo->redo();
        undo->redo();
        QCOMPARE(c->find(TargetKind::Host, host.name)->note, std::string("first seen beaconing\nsecond line"));
        QVERIFY(c->find(TargetKind::Transfer, edge.transferKeys.first())->bookmarked);

        // The notes dock: filter by tag, search, then navigate to the host.
        NotesPanel *notes = window.notesPanel();
        notes->tagCombo()->setCurrentIndex(notes->tagCombo()->findText("malicious"));
        QCOMPARE(notes->model()->rowCount(), 1);
        notes->tagCombo()->setCurrentIndex(0);
        notes->searchEdit()->setText("BEACONING");
        QCOMPARE(notes->model()->rowCount(), 1);
        QSignalSpy navigated(notes, &NotesPanel::navigated);
        notes->navigate(0);
        QTRY_COMPARE_WITH_TIMEOUT(navigated.count(), 1, 10000);
        QCOMPARE(int(selection.current().kind), int(SelectedEntities::Kind::Host));
        QCOMPARE(selection.current().hosts, QVector<qint64> {host.id});
        notes->searchEdit()->clear();

        // The node's context menu offers Annotate / Bookmark / Tags with the current state.
        QMenu menu;
        addAnnotationActions(&menu, c, {ref}, &window);
        QAction *mal = findAction(&menu, "tag:malicious");
        QVERIFY(mal && mal->isChecked());
        QAction *review = findAction(&menu, "tag:needs-review");
        QVERIFY(review && !review->isChecked());
        review->trigger();
        QCOMPARE(c->find(TargetKind::Host, host.name)->tagIds.size(), size_t(2));
        QVERIFY(findAction(&menu, "annotate"));

        // The editor dialog writes what its widgets hold, as one undo step.
        AnnotationDialog dlg(c, ref, &window);
        QCOMPARE(dlg.noteEdit()->toPlainText(), QString("first seen beaconing\nsecond line"));
        dlg.noteEdit()->setPlainText("**edited** note");
        dlg.markdownBox()->setChecked(true);
        dlg.bookmarkBox()->setChecked(true);
        const int steps = undo->count();
        dlg.accept();
        QCOMPARE(undo->count(), steps + 1);
        const auto edited = c->find(TargetKind::Host, host.name);
        QVERIFY(edited->markdown && edited->bookmarked);
        QCOMPARE(edited->note, std::string("**edited** note"));
        undo->clear();
    }

    // Issue 11: a click (press, a jitter below the drag distance, release) selects and never
    // pins; a drag pins, is kept in the case and is undoable.
    void clickSelectsOnlyADragPins()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1300, 850);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        TransferGraphView &view = *window.graphView();
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        window.openCase(m_case);
        waitGraph(view, shown, 0);
        AnnotationController *c = window.annotations();
        c->clearNodePositions();
        waitGraph(view, shown, shown.count() - 1);
        c->undoStack()->clear();
        const GraphHost host = view.graph().hosts.front();
        HostNodeItem *node = view.nodeItem(host.id);
        const QPointF was = node->pos();
        QWidget *vp = view.viewport();
        const QPoint at = view.mapFromScene(node->scenePos());
        QVERIFY(vp->rect().contains(at));
        auto move = [&](QPoint p) {
            QMouseEvent ev(QEvent::MouseMove, QPointF(p), QPointF(vp->mapToGlobal(p)), Qt::NoButton, Qt::LeftButton,
                Qt::NoModifier);
            QApplication::sendEvent(vp, &ev);
        };
        const int jitter = std::max(1, QApplication::startDragDistance() - 2);
        QTest::mousePress(vp, Qt::LeftButton, {}, at);
        move(at + QPoint(jitter, 0));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, at + QPoint(jitter, 0));
        QVERIFY(node->isSelected());
        QCOMPARE(selection.current().hosts, QVector<qint64> {host.id});
        QCOMPARE(node->pos(), was);
        QVERIFY(c->nodePositions().empty());
        QCOMPARE(c->undoStack()->count(), 0);
        QVERIFY(!view.pins().contains(host.id));
        QVERIFY(!c->undoStack()->canUndo());

        // A drag well past the distance: pinned where it was dropped, one "Move" step.
        const QPoint to = at + QPoint(0, 3 * QApplication::startDragDistance() + 40);
        QTest::mousePress(vp, Qt::LeftButton, {}, at);
        for (int k = 1; k <= 4; ++k)
            move(at + (to - at) * k / 4);
        QTest::mouseRelease(vp, Qt::LeftButton, {}, to);
        QVERIFY(node->pos() != was);
        QCOMPARE(c->nodePositions().count(host.name.toStdString()), size_t(1));
        QCOMPARE(c->undoStack()->count(), 1);
        QVERIFY(c->undoStack()->undoText().startsWith("Move"));
        QVERIFY(view.pins().contains(host.id));
        c->undoStack()->undo();
        QVERIFY(c->nodePositions().empty());
        waitGraph(view, shown, shown.count() - 1);
        c->undoStack()->clear();
    }

    void savedViewAndNodePositions()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1300, 850);
        window.show();
        TransferGraphView &view = *window.graphView();
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        window.openCase(m_case);
        waitGraph(view, shown, 0);
        AnnotationController *c = window.annotations();

        // Move a node: kept in the case, undoable.
        const GraphHost host = view.graph().hosts.back();
        HostNodeItem *node = view.nodeItem(host.id);
        const QPointF target = node->pos() + QPointF(400, 250);
        c->moveNode(host.name, std::nullopt, target);
        QCOMPARE(c->nodePositions().count(host.name.toStdString()), size_t(1));
        c->undoStack()->undo();
        QCOMPARE(c->nodePositions().count(host.name.toStdString()), size_t(0));
        waitGraph(view, shown, shown.count() - 1);
        c->undoStack()->redo();
        QTRY_VERIFY_WITH_TIMEOUT(
            !view.busy() && view.nodeItem(host.id) && QLineF(view.nodeItem(host.id)->pos(), target).length() < 1.0,
            20000);

        // A saved view: an account pivot; clear it; restore it.
        FilterState pivot;
        {
            auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
            pivot.accounts
                = {cs->db().queryInt("SELECT account_id FROM transfers WHERE account_id IS NOT NULL LIMIT 1")};
        }
        filter.apply(pivot);
        waitGraph(view, shown, shown.count() - 1);
        QVERIFY(window.saveView("suspect account"));
        QCOMPARE(window.savedViewNames(), QStringList {"suspect account"});
        filter.apply(FilterState {});
        c->clearNodePositions();
        QVERIFY(filter.current().isEmpty());
        QVERIFY(window.restoreView("suspect account"));
        QCOMPARE(filter.current(), pivot);
        QCOMPARE(c->nodePositions().count(host.name.toStdString()), size_t(1));
        QVERIFY(!window.restoreView("no such view"));
    }

    void secondWindowIsReadOnlyWithReason()
    {
        FilterHistory f1, f2;
        Selection s1, s2;
        auto first = std::make_unique<WorkbenchWindow>(&f1, &s1);
        first->openCase(m_case);
        QVERIFY(!first->caseReadOnly());
        WorkbenchWindow second(&f2, &s2);
        second.show();
        second.openCase(m_case);
        QVERIFY(second.caseReadOnly());
        QVERIFY2(second.readOnlyReason().contains("another TransferTrace"), qPrintable(second.readOnlyReason()));
        auto *banner = second.findChild<QLabel *>(QStringLiteral("readOnlyBanner"));
        QVERIFY(banner && banner->isVisible());
        QCOMPARE(banner->textFormat(), Qt::PlainText);
        QVERIFY(!second.annotations()->writable());
        QSignalSpy failed(second.annotations(), &AnnotationController::failed);
        QVERIFY(!second.annotations()->toggleBookmark({TargetKind::Host, "X", "X"}));
        QCOMPARE(failed.count(), 1);
        // When the first window lets go, the case opens read-write again.
        first.reset();
        second.openCase(m_case);
        QVERIFY(!second.caseReadOnly());
    }

    void hostileNoteIsInert()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.openCase(m_case);
        AnnotationController *c = window.annotations();
        const QString hostile = "<b>bold</b><script>alert(1)</script>\" ]; a -> b {\n" + QString(100000, 'x');
        const AnnotationRef ref {TargetKind::Event, "1", "<img src=x onerror=alert(1)>"};
        store::Annotation a;
        a.note = hostile.toStdString();
        QVERIFY(c->put(ref, a, "hostile"));
        QCOMPARE(QString::fromStdString(c->find(TargetKind::Event, "1")->note), hostile);
        AnnotationListModel *m = window.notesPanel()->model();
        int row = -1;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, AnnotationListModel::Kind).data(AnnotationListModel::KeyRole).toString() == "1")
                row = r;
        QVERIFY(row >= 0);
        // Item views draw DisplayRole as plain text; the label and note come back verbatim.
        QCOMPARE(m->index(row, AnnotationListModel::Item).data().toString(), QString("<img src=x onerror=alert(1)>"));
        QCOMPARE(m->index(row, AnnotationListModel::Note).data().toString(),
            QString("<b>bold</b><script>alert(1)</script>\" ]; a -> b {"));
        QCOMPARE(m->index(row, AnnotationListModel::Note).data(Qt::ToolTipRole).toString(), hostile);
        AnnotationDialog dlg(c, ref, &window);
        QCOMPARE(dlg.noteEdit()->toPlainText(), hostile);
        auto *title = dlg.findChild<QLabel *>();
        QVERIFY(title);
        QCOMPARE(title->textFormat(), Qt::PlainText);
        c->put(ref, store::Annotation {}, "remove");
        QVERIFY(!c->isAnnotated(TargetKind::Event, "1"));
    }
};

QTEST_MAIN(TstAnnotationsGui)
#include "tst_annotations_gui.moc"
