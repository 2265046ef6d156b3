#include "WorkbenchWindow.h"

#include "CaseWindow.h"
#include "EventDetailsView.h"
#include "EvidenceTableView.h"
#include "ExportActions.h"
#include "ImportRunner.h"
#include "PivotBar.h"
#include "ProcessAncestryPanel.h"
#include "TimelineView.h"
#include "TransferGraphView.h"
#include "items/TimeFormat.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace tt {

WorkbenchWindow::WorkbenchWindow(FilterHistory *filter, Selection *selection, QWidget *parent)
    : QMainWindow(parent), m_filter(filter), m_selection(selection), m_graph(new TransferGraphView(filter, selection, this)),
      m_pivots(new PivotBar(filter, this)), m_overview(new CaseWindow(this)),
      m_evidence(new EvidenceTableView(filter, selection, this)), m_ancestry(new ProcessAncestryPanel(filter, selection, this)),
      m_details(new EventDetailsView(filter, selection, this)), m_timeline(new TimelineView(filter, selection, this)),
      m_import(new ImportRunner(this)),
      m_statusCase(new QLabel(this)), m_statusView(new QLabel(this)), m_statusFilter(new QLabel(this))
{
    setObjectName(QStringLiteral("workbench"));
    setWindowTitle(tr("TransferTrace"));
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    setCentralWidget(m_graph);

    auto *pivotBar = new QToolBar(tr("Pivots"), this);
    pivotBar->setObjectName(QStringLiteral("pivotToolBar"));
    pivotBar->setMovable(false);
    pivotBar->addWidget(m_pivots);
    addToolBar(Qt::TopToolBarArea, pivotBar);

    // The case overview (hosts and sources) lives in a dock; its own menu bar is not used.
    m_overview->setWindowFlags(Qt::Widget);
    m_overview->menuBar()->hide();
    QDockWidget *timelineDock = addDock(m_timeline, tr("Timeline"), Qt::BottomDockWidgetArea, QStringLiteral("timelineDock"));
    QDockWidget *evidenceDock = addDock(m_evidence, tr("Events / Evidence"), Qt::BottomDockWidgetArea,
                                        QStringLiteral("evidenceDock"));
    QDockWidget *caseDock = addDock(m_overview, tr("Case"), Qt::BottomDockWidgetArea, QStringLiteral("caseDock"));
    QDockWidget *ancestryDock = addDock(m_ancestry, tr("Process Ancestry"), Qt::RightDockWidgetArea,
                                        QStringLiteral("ancestryDock"));
    QDockWidget *detailsDock = addDock(m_details, tr("Details"), Qt::RightDockWidgetArea, QStringLiteral("detailsDock"));
    splitDockWidget(ancestryDock, detailsDock, Qt::Vertical);
    // Timeline above the evidence table (the case overview tabbed with it).
    splitDockWidget(timelineDock, evidenceDock, Qt::Vertical);
    tabifyDockWidget(evidenceDock, caseDock);
    evidenceDock->raise();
    resizeDocks({timelineDock, evidenceDock}, {170, 230}, Qt::Vertical);
    resizeDocks({ancestryDock}, {430}, Qt::Horizontal);

    for (QLabel *l : {m_statusCase, m_statusView, m_statusFilter})
        l->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_statusCase);
    statusBar()->addWidget(m_statusView);
    statusBar()->addWidget(m_statusFilter, 1);

    connect(m_graph, &TransferGraphView::graphShown, this, [this](int hosts, int edges, qint64 inView, qint64 total) {
        m_hosts = hosts;
        m_edges = edges;
        m_inView = inView;
        m_total = total;
        updateStatus();
        emit graphShown();
    });
    connect(m_graph, &TransferGraphView::failed, this,
            [this](const QString &msg) { statusBar()->showMessage(tr("Graph: %1").arg(msg), 10000); });
    connect(m_filter, &FilterHistory::changed, this, [this] { updateStatus(); });
    buildMenus();

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("workbench/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("workbench/state")).toByteArray());
    if (!settings.contains(QStringLiteral("workbench/geometry")))
        resize(1500, 920);
    updateStatus();
}

WorkbenchWindow::~WorkbenchWindow() = default;

QDockWidget *WorkbenchWindow::addDock(QWidget *content, const QString &title, Qt::DockWidgetArea area,
                                      const QString &objectName)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    addDockWidget(area, dock);
    if (m_viewMenu)
        m_viewMenu->addAction(dock->toggleViewAction());
    return dock;
}

void WorkbenchWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Case..."), QKeySequence::New, this, &WorkbenchWindow::newCase);
    file->addAction(tr("&Open Case..."), QKeySequence::Open, this, &WorkbenchWindow::chooseCase);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &WorkbenchWindow::fillRecentMenu);
    file->addSeparator();
    file->addAction(tr("&Import Files..."), QKeySequence(Qt::CTRL | Qt::Key_I), this, [this] { chooseImport(false); });
    file->addAction(tr("Import &Folder..."), this, [this] { chooseImport(true); });
    file->addSeparator();
    new ExportActions(this, m_filter, file); // File > Export submenu (issue 5)
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->addAction(tr("&Back"), QKeySequence(Qt::ALT | Qt::Key_Left), m_filter, &FilterHistory::back);
    go->addAction(tr("&Forward"), QKeySequence(Qt::ALT | Qt::Key_Right), m_filter, &FilterHistory::forward);
    go->addAction(tr("&Clear Filter"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace), this,
                  [this] { m_filter->apply(FilterState{}); });
    go->addSeparator();
    go->addAction(tr("&Find Host..."), QKeySequence::Find, this, [this] {
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Find Host"), tr("Host name, FQDN or address:"), QLineEdit::Normal,
                                                   QString(), &ok);
        if (ok && !text.isEmpty() && !m_graph->findHost(text))
            statusBar()->showMessage(tr("No host matches '%1' in the graph").arg(text), 5000);
    });
    go->addAction(tr("&Fit Graph"), QKeySequence(Qt::CTRL | Qt::Key_0), m_graph, &TransferGraphView::fitAll);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        m_viewMenu->addAction(d->toggleViewAction());
}

void WorkbenchWindow::openCase(const QString &path)
{
    m_casePath = path;
    m_filter->reset();
    m_selection->clear();
    m_graph->setCase(path);
    m_pivots->setCase(path);
    m_overview->openCase(path);
    m_evidence->setCase(path);
    m_ancestry->setCase(path);
    m_details->setCase(path);
    m_timeline->setCase(path);
    setWindowTitle(tr("%1 - TransferTrace").arg(QFileInfo(path).fileName()));
    rememberRecent(path);
    updateStatus();
    emit caseOpened(path);
}

void WorkbenchWindow::chooseCase()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Case"), QString(),
                                                      tr("TransferTrace cases (*.ttcase);;All files (*)"));
    if (!path.isEmpty())
        openCase(path);
}

void WorkbenchWindow::newCase()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New Case"), QString(), tr("TransferTrace cases (*.ttcase)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".ttcase")))
        path += QLatin1String(".ttcase");
    try {
        store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, tr("New Case"), QString::fromUtf8(e.what()));
        return;
    }
    openCase(path);
}

void WorkbenchWindow::chooseImport(bool folder)
{
    QStringList paths;
    if (folder) {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Import Folder"));
        if (!dir.isEmpty())
            paths << dir;
    } else {
        paths = QFileDialog::getOpenFileNames(this, tr("Import Files"), QString(),
                                              tr("Telemetry (*.evtx *.xml *.json *.jsonl *.ndjson *.zip *.gz *.tar *.tgz);;All files (*)"));
    }
    if (!paths.isEmpty())
        importPaths(paths);
}

void WorkbenchWindow::importPaths(const QStringList &paths)
{
    if (paths.isEmpty() || m_import->running())
        return;
    if (m_casePath.isEmpty()) {
        QString path = QFileDialog::getSaveFileName(this, tr("Import into New Case"), QString(),
                                                    tr("TransferTrace cases (*.ttcase)"));
        if (path.isEmpty())
            return;
        if (!path.endsWith(QLatin1String(".ttcase")))
            path += QLatin1String(".ttcase");
        m_casePath = path;
    }
    // Non-blocking: the window stays usable; the dialog shows progress and can cancel.
    auto *dialog = new QProgressDialog(tr("Importing..."), tr("Cancel"), 0, 100, this);
    dialog->setObjectName(QStringLiteral("importProgress"));
    dialog->setWindowModality(Qt::NonModal);
    dialog->setMinimumDuration(0);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QProgressDialog::canceled, m_import, &ImportRunner::cancel);
    connect(m_import, &ImportRunner::progress, dialog, [dialog](int pct, const QString &text) {
        dialog->setValue(pct);
        dialog->setLabelText(text);
    });
    const QString target = m_casePath;
    connect(m_import, &ImportRunner::finished, this, [this, dialog, target](bool ok, const QString &summary) {
        disconnect(m_import, nullptr, dialog, nullptr);
        dialog->close();
        statusBar()->showMessage(summary.section(QLatin1Char('\n'), 0, 0), 15000);
        if (!ok)
            QMessageBox::warning(this, tr("Import"), summary);
        openCase(target);
    }, Qt::SingleShotConnection);
    m_import->start(target, paths);
}

void WorkbenchWindow::updateStatus()
{
    m_statusCase->setText(m_casePath.isEmpty() ? tr("No case") : QFileInfo(m_casePath).fileName());
    m_statusView->setText(tr("%1 hosts, %2 edges, %3 of %4 transfers in view").arg(m_hosts).arg(m_edges).arg(m_inView).arg(m_total));
    const FilterState &f = m_filter->current();
    QStringList parts;
    if (!f.accounts.isEmpty())
        parts << tr("%n account(s)", nullptr, static_cast<int>(f.accounts.size()));
    if (!f.hosts.isEmpty())
        parts << tr("%n host(s)", nullptr, static_cast<int>(f.hosts.size()));
    if (!f.parentImages.isEmpty())
        parts << tr("parent %1").arg(f.parentImages.join(QStringLiteral(", ")));
    if (!f.methods.isEmpty())
        parts << f.methods.join(QStringLiteral(", "));
    if (f.hasTimeWindow())
        parts << tr("%1 .. %2").arg(formatUtc(f.fromUs), formatUtc(f.toUs));
    if (f.minConfidence > 0)
        parts << tr("confidence >= %1").arg(f.minConfidence, 0, 'f', 2);
    if (!f.text.isEmpty())
        parts << tr("text \"%1\"").arg(f.text);
    m_statusFilter->setText(parts.isEmpty() ? tr("No filter") : tr("Filter: %1").arg(parts.join(QStringLiteral("; "))));
}

void WorkbenchWindow::rememberRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("workbench/recent")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 10)
        recent.removeLast();
    settings.setValue(QStringLiteral("workbench/recent"), recent);
}

void WorkbenchWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("workbench/recent")).toStringList();
    for (const QString &p : recent) {
        QString label = p;
        label.replace(QLatin1Char('&'), QLatin1String("&&"));
        m_recentMenu->addAction(label, this, [this, p] { openCase(p); });
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void WorkbenchWindow::closeEvent(QCloseEvent *event)
{
    if (m_import->running())
        m_import->cancel();
    QSettings settings;
    settings.setValue(QStringLiteral("workbench/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("workbench/state"), saveState());
    QMainWindow::closeEvent(event);
}

void WorkbenchWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void WorkbenchWindow::dropEvent(QDropEvent *event)
{
    QStringList paths, cases;
    for (const QUrl &u : event->mimeData()->urls()) {
        if (!u.isLocalFile())
            continue;
        const QString p = u.toLocalFile();
        (p.endsWith(QLatin1String(".ttcase")) ? cases : paths) << p;
    }
    if (!cases.isEmpty())
        openCase(cases.first());
    else if (!paths.isEmpty())
        importPaths(paths);
    event->acceptProposedAction();
}

} // namespace tt
