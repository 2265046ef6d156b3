// The workbench imports through the CaseImporter the app injects (the views do not link the
// importers): File > Import / drag and drop hand the case and the paths to it, its progress and
// result reach the window, and a window built without one refuses to import with a message.

#include "WorkbenchWindow.h"
#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"
#include "workbench/CaseImporter.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include "EngineFixtures.h"

#include <QFile>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace tt;

namespace {

// Records what the window asks for; the test plays the worker's part.
class FakeImporter : public CaseImporter {
public:
    void start(const QString &casePath, const QStringList &paths) override
    {
        m_running = true;
        startedCase = casePath;
        startedPaths = paths;
    }
    void cancel() override { }
    bool running() const override { return m_running; }
    void finish(bool ok, const QString &summary)
    {
        m_running = false;
        emit finished(ok, summary);
    }

    QString startedCase;
    QStringList startedPaths;

private:
    bool m_running = false;
};

} // namespace

class TstWorkbenchImport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void importsThroughTheInjectedImporter();
    void withoutImporterImportIsRefused();
    void pendingInferenceIsHandedToTheImporter();

private:
    QTemporaryDir m_dir;
    QString m_case;
};

void TstWorkbenchImport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString input = m_dir.filePath(QStringLiteral("ws.json"));
    QFile f(input);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(fixtures::kLogon4624) + '\n');
    f.close();
    m_case = m_dir.filePath(QStringLiteral("c.ttcase"));
    auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::Create);
    ImportEngine engine(*cs, {});
    QCOMPARE(static_cast<int>(engine.run({input.toStdString()}).files.size()), 1);
    // As the CLI does after an import: the case's transfers are current, nothing is pending.
    inference::InferenceEngine(*cs).run();
    QVERIFY(!store::inferencePending(cs->db()));
}

void TstWorkbenchImport::importsThroughTheInjectedImporter()
{
    FilterHistory filter;
    Selection selection;
    FakeImporter importer;
    {
        WorkbenchWindow window(&filter, &selection, &importer);
        window.openCase(m_case);
        QSignalSpy opened(&window, &WorkbenchWindow::caseOpened);
        const QStringList paths {m_dir.filePath(QStringLiteral("more.json"))};
        window.importPaths(paths);
        QCOMPARE(importer.startedCase, m_case);
        QCOMPARE(importer.startedPaths, paths);
        // A second import while one runs is not started.
        importer.startedPaths.clear();
        window.importPaths({m_dir.filePath(QStringLiteral("other.json"))});
        QVERIFY(importer.startedPaths.isEmpty());
        emit importer.progress(50, QStringLiteral("1 of 2 files"));
        importer.finish(true, QStringLiteral("1 file(s) imported"));
        // The window reopens the case it imported into.
        QVERIFY(opened.count() >= 1 || opened.wait(5000));
        QCOMPARE(opened.first().at(0).toString(), m_case);
        QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("1 file(s) imported"));
    }
}

void TstWorkbenchImport::withoutImporterImportIsRefused()
{
    FilterHistory filter;
    Selection selection;
    WorkbenchWindow window(&filter, &selection);
    window.openCase(m_case);
    window.importPaths({m_dir.filePath(QStringLiteral("more.json"))});
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("not available")));
}

void TstWorkbenchImport::pendingInferenceIsHandedToTheImporter()
{
    // A case whose last import was killed before its inference committed: opening it asks the
    // importer to re-run the inference (no paths), once.
    const QString pending = m_dir.filePath(QStringLiteral("pending.ttcase"));
    {
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
        store::CaseStore::backupTo(cs->db(), pending.toStdString());
    }
    {
        auto cs = store::CaseStore::open(pending.toStdString(), store::CaseStore::Access::ReadWrite);
        store::markInferencePending(cs->db());
    }
    FilterHistory filter;
    Selection selection;
    FakeImporter importer;
    WorkbenchWindow window(&filter, &selection, &importer);
    window.openCase(pending);
    QVERIFY(importer.running());
    QCOMPARE(importer.startedCase, pending);
    QVERIFY(importer.startedPaths.isEmpty());
}

QTEST_MAIN(TstWorkbenchImport)
#include "tst_workbench_import.moc"
