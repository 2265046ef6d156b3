// The workbench's import summary says what the CLI's says: files skipped as not telemetry and
// macOS AppleDouble metadata (__MACOSX/, ._NAME) are counted on the line the status bar shows.

#include "ImportRunner.h"
#include "WorkbenchWindow.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace tt;

namespace {
const QByteArray kLogon = "{\"EventID\":4624,\"Channel\":\"Security\",\"Hostname\":\"WS1.corp.local\","
                          "\"@timestamp\":\"2024-03-04T10:00:01.000Z\",\"TargetUserName\":\"bob\","
                          "\"TargetDomainName\":\"CORP\",\"LogonType\":\"3\",\"IpAddress\":\"10.0.0.9\"}\n";

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(data), data.size());
}
} // namespace

class TstImportRunner : public QObject {
    Q_OBJECT
private slots:
    void summaryCountsSkippedAndAppleDouble()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A folder as a Mac copies it: a log, its AppleDouble twin, a README.
        const QString folder = dir.filePath(QStringLiteral("rec"));
        QVERIFY(QDir().mkpath(folder));
        writeFile(folder + QStringLiteral("/a.json"), kLogon);
        QByteArray appleDouble("\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ", 24);
        appleDouble.append(QByteArray(64, '\0'));
        writeFile(folder + QStringLiteral("/._a.json"), appleDouble);
        writeFile(folder + QStringLiteral("/README.txt"), "Recorded on a lab network.\n");
        const QString c = dir.filePath(QStringLiteral("c.ttcase"));
        store::CaseStore::open(c.toStdString(), store::CaseStore::Access::Create);

        FilterHistory filter;
        Selection selection;
        ImportRunner importer; // the real one, as the app injects it
        WorkbenchWindow window(&filter, &selection, &importer);
        window.openCase(c);
        QSignalSpy finished(&importer, &CaseImporter::finished);
        QSignalSpy opened(&window, &WorkbenchWindow::caseOpened);
        window.importPaths({folder});
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().at(0).toBool()); // skipping is not a failure
        const QString firstLine = finished.first().at(1).toString().section(QLatin1Char('\n'), 0, 0);
        QVERIFY2(firstLine.startsWith(QStringLiteral("1 file(s) imported, 0 already in the case, 0 failed, "
                                                     "1 skipped (not telemetry), 1 macOS metadata file(s) "
                                                     "(__MACOSX/, ._*) skipped; 1 events stored")),
            qPrintable(firstLine));
        // The window shows that line once it reopened the case.
        QVERIFY(opened.count() > 0 || opened.wait(60000));
        QCOMPARE(window.statusBar()->currentMessage(), firstLine);
    }

    void nothingSkippedSaysNothing()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString log = dir.filePath(QStringLiteral("a.json"));
        writeFile(log, kLogon);
        ImportRunner importer;
        QSignalSpy finished(&importer, &CaseImporter::finished);
        importer.start(dir.filePath(QStringLiteral("c.ttcase")), {log});
        QVERIFY(finished.wait(60000));
        const QString summary = finished.first().at(1).toString();
        QVERIFY2(summary.startsWith(QStringLiteral("1 file(s) imported, 0 already in the case, 0 failed; ")),
            qPrintable(summary));
        QVERIFY(!summary.contains(QStringLiteral("skipped")));
    }
};

QTEST_MAIN(TstImportRunner)
#include "tst_import_runner.moc"
