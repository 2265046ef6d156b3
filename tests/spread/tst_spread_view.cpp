// The Tool Spread dock (offscreen): opened from a transfer (the window's slot and an evidence
// row's context menu), it shows the hops as a tree with who pushed them and where the file ran;
// a graph edge offers one entry per file; the picture exports as SVG / PNG with case text as
// plain text.

#include "EvidenceTableView.h"
#include "SpreadActions.h"
#include "SpreadCase.h"
#include "SpreadView.h"
#include "TransferGraphView.h"
#include "TransfersDock.h"
#include "WorkbenchWindow.h"
#include "items/EvidenceTableModel.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QDockWidget>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QXmlStreamReader>

#include <memory>

using namespace tt;

class TestSpreadView : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_case;
    spreadcase::Ids m_ids;

    static QStringList sceneTexts(QGraphicsScene *s)
    {
        QStringList out;
        for (QGraphicsItem *i : s->items())
            if (auto *t = dynamic_cast<QGraphicsSimpleTextItem *>(i))
                out << t->text();
        return out;
    }

    // The tool.exe tree as the dock shows it.
    void checkToolTree(SpreadView *v)
    {
        QTreeWidget *t = v->tree();
        QCOMPARE(t->topLevelItemCount(), 1);
        QTreeWidgetItem *ws1 = t->topLevelItem(0);
        QCOMPARE(ws1->text(0), QStringLiteral("WS1"));
        QCOMPARE(ws1->text(2), QStringLiteral("patient zero"));
        QVERIFY(ws1->text(3).startsWith(QLatin1String("yes: process C:\\Tools\\tool.exe")));
        QCOMPARE(ws1->childCount(), 2);
        QTreeWidgetItem *ws2 = ws1->child(0), *srv2 = ws1->child(1);
        QCOMPARE(ws2->text(0), QStringLiteral("WS2"));
        QCOMPARE(
            ws2->text(2), QStringLiteral("smb-admin-share by CORP\\alice (C:\\Tools\\PsExec.exe) (+2 later cop(ies))"));
        QCOMPARE(ws2->text(3), QStringLiteral("no"));
        QCOMPARE(ws2->data(0, Qt::UserRole).toLongLong(), m_ids.t[1]);
        QCOMPARE(srv2->text(0), QStringLiteral("SRV2"));
        QVERIFY(srv2->text(2).endsWith(QLatin1String(" as svc.exe"))); // the renamed copy
        QCOMPARE(ws2->childCount(), 1);
        QTreeWidgetItem *srv1 = ws2->child(0);
        QCOMPARE(srv1->text(0), QStringLiteral("SRV1"));
        QVERIFY(srv1->text(2).startsWith(QLatin1String("psexec-service-binary by CORP\\bob")));
        QVERIFY(srv1->text(3).startsWith(QLatin1String("yes: executed by C:\\Windows\\Temp\\tool.exe")));
        QVERIFY(!srv1->text(1).isEmpty());
        const QString summary = v->summary()->text();
        QVERIFY2(summary.contains(QLatin1String("matched by hash")), qPrintable(summary));
        QVERIFY(summary.contains(QLatin1String("Renamed copies (same hash): svc.exe")));
        QVERIFY(summary.contains(QLatin1String("Patient zero: WS1")));
        // The picture: one box per host, names as plain text.
        const QStringList texts = sceneTexts(v->scene());
        for (const char *h : {"WS1", "WS2", "SRV1", "SRV2"})
            QVERIFY2(texts.contains(QLatin1String(h)), qPrintable(texts.join(QLatin1Char('|'))));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = m_dir.filePath(QStringLiteral("spread.ttcase"));
        const QString err = spreadcase::build(m_case, &m_ids);
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }

    void opensFromATransfer()
    {
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1400, 900);
        window.show();
        window.openCase(m_case);
        SpreadView *v = window.spreadView();
        QSignalSpy shown(v, &SpreadView::shown);
        window.showSpreadForTransfer(m_ids.t[3]);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && v->result().found(), 10000);
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("spreadDock"));
        QVERIFY(dock && dock->isVisible());
        checkToolTree(v);

        // A click on a row selects that hop's transfer everywhere.
        QSignalSpy picked(&selection, &Selection::changed);
        QTreeWidgetItem *srv1 = v->tree()->topLevelItem(0)->child(0)->child(0);
        emit v->tree()->itemClicked(srv1, 0);
        QCOMPARE(picked.count(), 1);
        QCOMPARE(selection.current().transfers, QVector<qint64> {m_ids.t[2]});

        // That transfer's evidence row offers the spread too (the real menu and signal).
        auto *evidence = window.findChild<EvidenceTableView *>();
        QVERIFY(evidence);
        QTRY_VERIFY_WITH_TIMEOUT(evidence->model()->rowCount() > 0, 10000);
        v->showForFile(QStringLiteral("notes.txt")); // something else first
        QTRY_VERIFY_WITH_TIMEOUT(v->result().found() && v->result().match == SpreadMatch::Name, 10000);
        std::unique_ptr<QMenu> menu(evidence->contextMenuForRow(0, &window));
        QVERIFY(menu);
        auto *action = menu->findChild<QAction *>(QStringLiteral("showSpread"));
        QVERIFY(action);
        action->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(v->result().found() && v->result().match == SpreadMatch::Hash, 10000);
        checkToolTree(v);
    }

    // A graph edge carrying several files offers one entry per file (hostile names made safe).
    void transfersTableRequestOpensIt()
    {
        // The transfers table's "Show Tool Spread" (its spreadRequested signal) reaches the view.
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow window(&filter, &selection);
        window.resize(1400, 900);
        window.show();
        window.openCase(m_case);
        SpreadView *v = window.spreadView();
        QSignalSpy shown(v, &SpreadView::shown);
        emit window.transfersDock()->spreadRequested(m_ids.t[3]);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && v->result().found(), 10000);
        checkToolTree(v);
    }

    void graphEdgeEntries()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView graph(&filter, &selection);
        QSignalSpy spy(&graph, &TransferGraphView::graphShown);
        graph.setCase(m_case);
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() > 0 && !graph.busy(), 20000);
        const GraphEdge *edge = nullptr;
        for (const GraphEdge &e : graph.graph().edges)
            if (e.source == m_ids.ws1 && e.target == m_ids.ws2)
                edge = &e;
        QVERIFY(edge);
        QCOMPARE(edge->transferIds.size(), 3); // t1, t7 (TOOL.EXE) and t9 (hostile name)
        QMenu menu;
        QList<qint64> asked;
        QCOMPARE(
            addSpreadActions(&menu, edge->transferIds, edge->transferKeys, &menu, [&](qint64 t) { asked << t; }), 2);
        const QList<QAction *> entries = menu.findChildren<QAction *>(QStringLiteral("showSpread"));
        QCOMPARE(entries.size(), 2);
        for (QAction *a : entries) {
            QVERIFY(!a->text().contains(QLatin1Char('\n')));
            QVERIFY(!a->text().contains(QChar(0x1b)));
            a->trigger();
        }
        QCOMPARE(asked, (QList<qint64> {m_ids.t[1], m_ids.t[9]}));
    }

    void exportsPicture()
    {
        Selection selection;
        SpreadView v(&selection);
        v.setCase(m_case);
        v.showForFile(QString::fromUtf8(spreadcase::kHostileName));
        QTRY_VERIFY_WITH_TIMEOUT(v.result().found(), 10000);
        const QString svg = m_dir.filePath(QStringLiteral("spread.svg")), png = m_dir.filePath(QStringLiteral("s.png"));
        QString error;
        QVERIFY2(v.exportPicture(svg, &error), qPrintable(error));
        QVERIFY2(v.exportPicture(png, &error), qPrintable(error));
        QVERIFY(!v.exportPicture(m_dir.filePath(QStringLiteral("s.dot")), &error));
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(!bytes.contains('\x1b'));
        QVERIFY(!bytes.contains("<b>"));
        QXmlStreamReader xml(bytes);
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        const QImage img(png);
        QVERIFY(!img.isNull() && img.width() > 300);
        // No spread shown: nothing to export, said so.
        SpreadView empty(&selection);
        QVERIFY(!empty.exportPicture(svg, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_MAIN(TestSpreadView)
#include "tst_spread_view.moc"
