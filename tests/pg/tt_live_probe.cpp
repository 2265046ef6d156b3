// A second workbench PROCESS for tst_pg_workbench_live (issue 13 item 3): opens the real
// WorkbenchWindow (offscreen) on a case location given as the first argument and reports on
// stdout, one line per event, what that window holds:
//   listening 1|0                     the window's change listener is (dis)connected
//   notes <n> <key>=<note>|...        the annotations its controller shows (after every change)
//   graph <hosts> <total transfers>   every graph the window shows
//   refreshed                         another session's import reached it (refreshCaseData)
//   conflict <message>                an edit met another analyst's edit
// and takes commands on stdin, one a line:
//   note <host> <text...>             annotate host <host> (an undoable edit, as the Notes UI does)
//   quit                              close the window and exit 0
// Keys and notes come from the test itself (no log text), printed with newlines folded.

#include "TransferGraphView.h"
#include "WorkbenchWindow.h"
#include "store/AnnotationStore.h"
#include "workbench/AnnotationController.h"
#include "workbench/CaseChangeWatcher.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QApplication>
#include <QSocketNotifier>
#include <QString>
#include <QStringList>

#include <cstdio>
#include <string>
#include <unistd.h>

using namespace tt;

namespace {

void say(const QString &line)
{
    QString l = line;
    l.replace(QLatin1Char('\n'), QLatin1Char(' '));
    std::fputs(l.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QString notesLine(const AnnotationController *c)
{
    QStringList parts;
    for (const store::Annotation &a : c->all())
        parts << QString::fromStdString((a.conflictCopy ? "conflict:" : "") + a.key + "=" + a.note);
    return QStringLiteral("notes %1 %2").arg(c->all().size()).arg(parts.join(QLatin1Char('|')));
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fputs("usage: tt_live_probe LOCATION\n", stderr);
        return 2;
    }
    FilterHistory filter;
    Selection selection;
    WorkbenchWindow w(&filter, &selection);
    AnnotationController *c = w.annotations();
    QObject::connect(w.changeWatcher(), &CaseChangeWatcher::listeningChanged, &app,
        [](bool on) { say(QStringLiteral("listening %1").arg(on ? 1 : 0)); });
    QObject::connect(c, &AnnotationController::changed, &app, [c] { say(notesLine(c)); });
    QObject::connect(
        c, &AnnotationController::conflict, &app, [](const QString &m) { say(QStringLiteral("conflict ") + m); });
    QObject::connect(&w, &WorkbenchWindow::caseDataRefreshed, &app, [] { say(QStringLiteral("refreshed")); });
    QObject::connect(w.graphView(), &TransferGraphView::graphShown, &app,
        [](int hosts, int, qint64, qint64 total) { say(QStringLiteral("graph %1 %2").arg(hosts).arg(total)); });
    w.resize(1200, 800);
    w.show();
    w.openCase(QString::fromLocal8Bit(argv[1]));
    if (w.caseReadOnly())
        say(QStringLiteral("readonly ") + w.readOnlyReason());

    // Commands from the test, read as they arrive.
    std::string buffer;
    QSocketNotifier in(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&in, &QSocketNotifier::activated, &app, [&] {
        char chunk[4096];
        const ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n <= 0) {
            in.setEnabled(false);
            w.close();
            app.quit();
            return;
        }
        buffer.append(chunk, static_cast<size_t>(n));
        size_t nl = 0;
        while ((nl = buffer.find('\n')) != std::string::npos) {
            const QString line = QString::fromStdString(buffer.substr(0, nl));
            buffer.erase(0, nl + 1);
            if (line == QLatin1String("quit")) {
                w.close();
                app.quit();
                return;
            }
            if (line.startsWith(QLatin1String("note "))) {
                const QString host = line.section(QLatin1Char(' '), 1, 1);
                const QString text = line.section(QLatin1Char(' '), 2);
                const AnnotationRef ref {store::TargetKind::Host, host, host};
                store::Annotation a = c->find(ref.kind, host).value_or(store::Annotation {});
                a.note = text.toStdString();
                say(QStringLiteral("put %1").arg(c->put(ref, a, QStringLiteral("note")) ? 1 : 0));
            }
        }
    });
    return app.exec();
}
