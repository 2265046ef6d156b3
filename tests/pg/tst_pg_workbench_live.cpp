// Several analysts at once (issue 13 item 3), the workbench half, offscreen against a throw-away
// server: two workbench PROCESSES on one server case. This process drives workbench A (the real
// WorkbenchWindow); tt_live_probe is workbench B, a child process reporting on stdout what its
// window holds and taking commands on stdin.
// - a note made in A appears in B, and one made in B appears in A, without reopening (the
//   latency is measured and printed; the issue asks for 1 s);
// - another process's `transfertrace import` into the case makes the new transfers appear in both
//   windows, A keeping its selection and its pinned node;
// - an edit made from a stale state (A's listener stopped while B edits) keeps both sides: B's
//   note stays, A's is a conflict copy in A's notes, and A is told;
// - closing stops the listener thread (B exits 0 on quit).
// - File > Save Case As on a server case writes a complete file copy (the copy's per-table
//   checksums equal the server's) and the window stays on the server case.

#include "GraphItems.h"
#include "NotesPanel.h"
#include "TransferGraphView.h"
#include "WorkbenchWindow.h"
#include "items/AnnotationListModel.h"
#include "store/AnnotationStore.h"
#include "store/CaseCopy.h"
#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "workbench/AnnotationController.h"
#include "workbench/CaseChangeWatcher.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "pg/PgTestCluster.h"

using namespace tt;

namespace {

QString binary()
{
    return QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace");
}

QString fixture(const char *rel)
{
    return QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR")) + QLatin1Char('/') + QLatin1String(rel);
}

int import(const QString &url, const QString &file)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(binary(), {QStringLiteral("import"), url, file});
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// Workbench B: lines read as they come.
class Probe {
public:
    explicit Probe(const QString &url)
    {
        m_p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_p.start(QStringLiteral(TT_LIVE_PROBE), {url});
    }
    ~Probe()
    {
        if (m_p.state() != QProcess::NotRunning) {
            m_p.kill();
            m_p.waitForFinished(5000);
        }
    }
    // Waits (running the event loop) for a line starting with `prefix` and containing `needle`,
    // among the lines not consumed yet; returns it, or "" after `ms`.
    QString waitFor(const QString &prefix, const QString &needle, int ms)
    {
        QElapsedTimer t;
        t.start();
        while (true) {
            read();
            for (qsizetype i = 0; i < m_lines.size(); ++i)
                if (m_lines[i].startsWith(prefix) && m_lines[i].contains(needle)) {
                    QString l = m_lines[i];
                    m_lines.remove(0, i + 1);
                    return l;
                }
            if (t.elapsed() > ms)
                return {};
            QTest::qWait(5);
        }
    }
    void send(const QString &line) { m_p.write((line + QLatin1Char('\n')).toUtf8()); }
    bool quit(int ms)
    {
        send(QStringLiteral("quit"));
        return m_p.waitForFinished(ms) && m_p.exitStatus() == QProcess::NormalExit && m_p.exitCode() == 0;
    }
    QString seen() const { return m_all.join(QLatin1Char('\n')); }

private:
    void read()
    {
        m_buf += m_p.readAllStandardOutput();
        qsizetype nl = 0;
        while ((nl = m_buf.indexOf('\n')) >= 0) {
            const QString l = QString::fromUtf8(m_buf.left(nl));
            m_buf.remove(0, nl + 1);
            m_lines << l;
            m_all << l;
        }
    }
    QProcess m_p;
    QByteArray m_buf;
    QStringList m_lines, m_all;
};

} // namespace

class TstPgWorkbenchLive : public QObject {
    Q_OBJECT
    test::PgTestCluster m_pg;

private slots:
    void initTestCase() { QVERIFY2(m_pg.start(), qPrintable(m_pg.error())); }

    void twoWorkbenchesOnOneServerCase()
    {
        const QString url = QString::fromStdString(m_pg.url("live"));
        // OneDrive sync LAPTOP01 -> DESK02: one transfer to start with.
        QCOMPARE(import(url, fixture("inference/cloud-sync-onedrive.xml")), 0);

        FilterHistory filter;
        Selection selection;
        WorkbenchWindow a(&filter, &selection);
        a.resize(1200, 800);
        a.show();
        QSignalSpy shownA(a.graphView(), &TransferGraphView::graphShown);
        QSignalSpy listeningA(a.changeWatcher(), &CaseChangeWatcher::listeningChanged);
        a.openCase(url);
        QVERIFY2(!a.caseReadOnly(), qPrintable(a.readOnlyReason()));
        QTRY_VERIFY_WITH_TIMEOUT(!shownA.isEmpty(), 30000);
        const qint64 totalBefore = shownA.last().at(3).toLongLong();
        QCOMPARE(totalBefore, qint64(1));
        QTRY_VERIFY_WITH_TIMEOUT(a.changeWatcher()->listening(), 10000);

        Probe b(url);
        QVERIFY2(!b.waitFor(QStringLiteral("listening 1"), QString(), 60000).isEmpty(), qPrintable(b.seen()));
        QVERIFY2(!b.waitFor(QStringLiteral("graph "), QStringLiteral(" 1"), 60000).isEmpty(), qPrintable(b.seen()));
        QVERIFY2(!b.seen().contains(QLatin1String("readonly")), qPrintable(b.seen())); // both may write

        // A note in A appears in B.
        AnnotationController *c = a.annotations();
        const AnnotationRef laptop {store::TargetKind::Host, QStringLiteral("LAPTOP01"), QStringLiteral("LAPTOP01")};
        store::Annotation n;
        n.note = "synced tools.zip to bob";
        QElapsedTimer latency;
        latency.start();
        QVERIFY(c->put(laptop, n, QStringLiteral("note")));
        const QString got = b.waitFor(QStringLiteral("notes "), QStringLiteral("LAPTOP01=synced tools.zip"), 10000);
        const qint64 ms = latency.elapsed();
        QVERIFY2(!got.isEmpty(), qPrintable(b.seen()));
        qInfo("a note made in workbench A appeared in workbench B (another process) after %lld ms", ms);
        // The issue asks for 1 s; asserted with a margin for a loaded shared machine.
        QVERIFY2(ms < 5000, qPrintable(QString::number(ms)));

        // A note in B appears in A.
        QSignalSpy changedA(c, &AnnotationController::changed);
        latency.restart();
        b.send(QStringLiteral("note DESK02 bob's copy ran at 10:02"));
        QTRY_VERIFY_WITH_TIMEOUT(c->find(store::TargetKind::Host, QStringLiteral("DESK02")).has_value(), 10000);
        qInfo("a note made in workbench B appeared in workbench A after %lld ms", latency.elapsed());
        QCOMPARE(
            c->find(store::TargetKind::Host, QStringLiteral("DESK02"))->note, std::string("bob's copy ran at 10:02"));
        QVERIFY(a.notesPanel()->model()->rowCount() >= 2);

        // A's own writes repaint A once: its own notice reloads nothing visible.
        changedA.clear();
        store::Annotation n2 = *c->find(store::TargetKind::Host, QStringLiteral("LAPTOP01"));
        n2.note = "synced tools.zip to bob (confirmed)";
        QVERIFY(c->put(laptop, n2, QStringLiteral("note")));
        QVERIFY(!b.waitFor(QStringLiteral("notes "), QStringLiteral("(confirmed)"), 10000).isEmpty());
        QTest::qWait(300); // A's own notice has arrived by now (B saw the commit)
        QCOMPARE(changedA.count(), 1);

        // Another process imports into the case: the new transfers appear in both windows, A
        // keeps its selection.
        SelectedEntities pick;
        pick.kind = SelectedEntities::Kind::Host;
        QVERIFY(!a.graphView()->graph().hosts.empty());
        const qint64 host = a.graphView()->graph().hosts.front().id;
        pick.hosts = {host};
        selection.select(pick);
        a.graphView()->pinNode(host, QPointF(-400, -300));
        QSignalSpy refreshedA(&a, &WorkbenchWindow::caseDataRefreshed);
        shownA.clear();
        QCOMPARE(import(url, fixture("inference/sccm-push-with-psexec.xml")), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!refreshedA.isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!shownA.isEmpty() && shownA.last().at(3).toLongLong() > totalBefore, 30000);
        qInfo("after the other process's import: %lld transfers in A (was %lld)", shownA.last().at(3).toLongLong(),
            totalBefore);
        QCOMPARE(selection.current(), pick);
        QVERIFY(a.graphView()->pins().contains(host));
        QVERIFY(a.graphView()->nodeItem(host));
        QCOMPARE(a.graphView()->pins().value(host), QPointF(-400, -300));
        QCOMPARE(a.casePath(), url);
        // Settled: the sources notice and the inference's transfers notice may each refresh.
        QTest::qWait(1500);
        QTRY_VERIFY_WITH_TIMEOUT(!a.graphView()->busy(), 30000);
        const qint64 totalAfter = a.graphView()->graph().transfersTotal;
        QVERIFY2(!b.waitFor(QStringLiteral("refreshed"), QString(), 20000).isEmpty(), qPrintable(b.seen()));
        bool bCaughtUp = false;
        for (QString l; !(l = b.waitFor(QStringLiteral("graph "), QString(), 30000)).isEmpty();)
            if (l.section(QLatin1Char(' '), 2).toLongLong() == totalAfter) {
                bCaughtUp = true;
                break;
            }
        QVERIFY2(bCaughtUp, qPrintable(b.seen()));

        // An edit from a stale state: A stops listening, B rewrites DESK02's note, A edits the
        // same note from what it still shows. B's note stays; A's text is a conflict copy in A's
        // notes, and A's status bar says so.
        a.changeWatcher()->stop();
        b.send(QStringLiteral("note DESK02 B: the copy on DESK02 is the attacker's"));
        QVERIFY(!b.waitFor(QStringLiteral("put 1"), QString(), 10000).isEmpty());
        QSignalSpy conflicts(c, &AnnotationController::conflict);
        store::Annotation stale = *c->find(store::TargetKind::Host, QStringLiteral("DESK02"));
        QCOMPARE(stale.note, std::string("bob's copy ran at 10:02")); // A did not hear B
        stale.note = "A: the copy on DESK02 is bob's own";
        QVERIFY(c->put({store::TargetKind::Host, QStringLiteral("DESK02"), QStringLiteral("DESK02")}, stale,
            QStringLiteral("note")));
        QCOMPARE(conflicts.count(), 1);
        QVERIFY(a.statusBar()->currentMessage().contains(QLatin1String("conflict copy")));
        QCOMPARE(c->find(store::TargetKind::Host, QStringLiteral("DESK02"))->note,
            std::string("B: the copy on DESK02 is the attacker's"));
        QCOMPARE(c->conflictCopyCount(), 1);
        bool listed = false;
        for (int r = 0; r < a.notesPanel()->model()->rowCount(); ++r)
            if (const store::Annotation *x = a.notesPanel()->model()->at(r); x && x->conflictCopy)
                listed = x->note == "A: the copy on DESK02 is bob's own";
        QVERIFY(listed);
        // B hears of the copy too (A's write notified).
        QVERIFY2(!b.waitFor(QStringLiteral("notes "), QStringLiteral("conflict:DESK02=A: the copy"), 10000).isEmpty(),
            qPrintable(b.seen()));

        // A resolves it from the Notes panel: its text becomes the note, the copy goes.
        int copyRow = -1;
        for (int r = 0; r < a.notesPanel()->model()->rowCount(); ++r)
            if (const store::Annotation *x = a.notesPanel()->model()->at(r); x && x->conflictCopy)
                copyRow = r;
        QVERIFY(copyRow >= 0);
        QVERIFY(a.notesPanel()->resolveConflictCopy(copyRow, true));
        QCOMPARE(c->conflictCopyCount(), 0);
        QCOMPARE(c->find(store::TargetKind::Host, QStringLiteral("DESK02"))->note,
            std::string("A: the copy on DESK02 is bob's own"));
        QVERIFY2(!b.waitFor(QStringLiteral("notes 2 "), QStringLiteral("DESK02=A: the copy"), 10000).isEmpty(),
            qPrintable(b.seen()));

        // Closing: the listener's thread is joined; B quits cleanly.
        a.openCase(url);
        QTRY_VERIFY_WITH_TIMEOUT(a.changeWatcher()->listening(), 10000);
        a.close();
        QVERIFY(!a.changeWatcher()->active());
        QVERIFY2(b.quit(20000), qPrintable(b.seen()));
    }

    void saveAsFromAServerCase()
    {
        const QString url = QString::fromStdString(m_pg.url("saved"));
        QCOMPARE(import(url, fixture("inference/cloud-sync-onedrive.xml")), 0);
        FilterHistory filter;
        Selection selection;
        WorkbenchWindow a(&filter, &selection);
        a.resize(1000, 700);
        a.show();
        QSignalSpy shown(a.graphView(), &TransferGraphView::graphShown);
        a.openCase(url);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
        store::Annotation n;
        n.note = "saved along";
        QVERIFY(a.annotations()->put({store::TargetKind::Host, QStringLiteral("LAPTOP01"), QStringLiteral("LAPTOP01")},
            n, QStringLiteral("note")));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("copy.ttcase"));
        QFile old(path); // Save As replaces what is there
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("not a case");
        old.close();
        QString error;
        QVERIFY2(a.saveCaseAs(path, &error), qPrintable(error));
        QCOMPARE(a.casePath(), url); // still on the server case
        QVERIFY(a.statusBar()->currentMessage().contains(path));
        const auto server = store::caseChecksums(store::CaseLocation::parse(url.toStdString()));
        const auto file = store::caseChecksums(store::CaseLocation::parse(path.toStdString()));
        QVERIFY(server.size() > 20);
        QCOMPARE(file.size(), server.size());
        for (size_t i = 0; i < server.size(); ++i) {
            QCOMPARE(file[i].table, server[i].table);
            QCOMPARE(file[i].rows, server[i].rows);
            QCOMPARE(file[i].sha256, server[i].sha256);
        }
        const QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
        QVERIFY2(!left.join(QLatin1Char(' ')).contains(QLatin1String("ing-")), qPrintable(left.join(QLatin1Char(' '))));
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadOnly);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM annotations WHERE note = 'saved along'"), 1);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM transfers") > 0);
        a.close();
    }
};

QTEST_MAIN(TstPgWorkbenchLive)
#include "tst_pg_workbench_live.moc"
