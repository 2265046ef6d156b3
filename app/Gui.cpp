#include "Commands.h"
#include "Demo.h"
#include "ImportRunner.h"
#include "Logging.h"

#include "AppIcons.h"

#include "GraphItems.h"
#include "TransferGraphView.h"
#include "WorkbenchWindow.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>

#include <spdlog/spdlog.h>

namespace tt::app {

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("TransferTrace"));
    QApplication::setApplicationVersion(QStringLiteral(TT_VERSION));
    // The desktop file name lets a Wayland compositor match the window to its launcher and icon.
    QGuiApplication::setDesktopFileName(tt::applicationId());
    QApplication::setWindowIcon(tt::applicationIcon());

    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file to open."), QStringLiteral("[CASE]"));
    QCommandLineOption demoOpt(
        QStringLiteral("demo"), QStringLiteral("Open the built-in demo case (built on first use)."));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window once the case is shown, then quit."), QStringLiteral("PNG"));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    QCommandLineOption shotSelectOpt(QStringLiteral("screenshot-select"),
        QStringLiteral("Before the screenshot, select the edge deepest in a chain (shows its "
                       "evidence and process ancestry)."));
    QCommandLineOption shotSpreadOpt(QStringLiteral("screenshot-spread"),
        QStringLiteral("Before the screenshot, show the Tool Spread of FILE (name, path or hash)."),
        QStringLiteral("FILE"));
    p.addOptions({demoOpt, shotOpt, verboseOpt, shotSelectOpt, shotSpreadOpt});
    p.process(app);
    setupLogging(p.isSet(verboseOpt), p.isSet(verboseOpt));

    QString casePath;
    if (p.isSet(demoOpt)) {
        std::string error;
        casePath = QString::fromStdString(ensureDemoCase({}, &error));
        if (casePath.isEmpty()) {
            QMessageBox::critical(nullptr, QStringLiteral("TransferTrace"),
                QStringLiteral("Could not build the demo case: %1").arg(QString::fromStdString(error)));
            return 1;
        }
    } else if (!p.positionalArguments().isEmpty()) {
        casePath = p.positionalArguments().constFirst();
    }

    // One filter (with history) and one selection for the whole workbench, handed to every view;
    // the importer the window's File > Import runs (the views do not link the importers).
    FilterHistory filter;
    Selection selection;
    ImportRunner importer;
    WorkbenchWindow window(&filter, &selection, &importer);
    window.show();
    if (!casePath.isEmpty())
        window.openCase(casePath);
    if (p.isSet(shotOpt)) {
        const QString out = p.value(shotOpt);
        const bool selectEdge = p.isSet(shotSelectOpt);
        const QString spreadFile = p.value(shotSpreadOpt);
        QObject::connect(
            &window, &WorkbenchWindow::graphShown, &app,
            [&window, out, selectEdge, spreadFile] {
                if (!spreadFile.isEmpty())
                    window.showSpreadForFile(spreadFile);
                if (selectEdge) {
                    const GraphEdge *deepest = nullptr;
                    for (const GraphEdge &e : window.graphView()->graph().edges)
                        if (!deepest || e.hop > deepest->hop)
                            deepest = &e;
                    if (deepest)
                        if (auto *item = window.graphView()->edgeItem(deepest->id))
                            item->setSelected(true);
                }
                // Let the other docks finish their queries and paint before grabbing.
                QTimer::singleShot(1500, &window, [&window, out] {
                    const bool saved = window.grab().save(out);
                    spdlog::info("screenshot {} {}", out.toStdString(), saved ? "saved" : "FAILED");
                    QApplication::exit(saved ? 0 : 1);
                });
            },
            Qt::SingleShotConnection);
        if (casePath.isEmpty())
            QTimer::singleShot(300, &window, [&window, out] { QApplication::exit(window.grab().save(out) ? 0 : 1); });
    }
    return app.exec();
}

} // namespace tt::app
