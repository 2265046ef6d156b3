#include "WorkbenchWindow.h"

#include "AppIcons.h"
#include "CaseOverviewDock.h"
#include "DockFollower.h"
#include "EmptyResultNotice.h"
#include "EventBrowserDock.h"
#include "EventDetailsView.h"
#include "EvidenceTableView.h"
#include "ExportActions.h"
#include "HostFinder.h"
#include "NotesPanel.h"
#include "PivotBar.h"
#include "ProcessAncestryPanel.h"
#include "SpreadView.h"
#include "TimelineView.h"
#include "TransferGraphView.h"
#include "TransfersDock.h"
#include "WorkerQuery.h"
#include "items/HostTableModel.h"
#include "items/TimeFormat.h"
#include "store/AnnotationStore.h"
#include "store/CaseChangeListener.h"
#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"
#include "workbench/AnnotationController.h"
#include "workbench/CaseChangeWatcher.h"
#include "workbench/CaseImporter.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QAbstractItemView>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QSizePolicy>
#include <QStatusBar>
#include <QTimeZone>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <utility>

namespace tt {

namespace {
// Message boxes guess "rich text" from the content: case paths, file names and import messages
// can hold markup from an attacker's machine, so they are always plain text.
void plainWarning(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}
} // namespace

WorkbenchWindow::WorkbenchWindow(FilterHistory *filter, Selection *selection, CaseImporter *importer, QWidget *parent)
    : QMainWindow(parent)
    , m_filter(filter)
    , m_selection(selection)
    , m_graph(new TransferGraphView(filter, selection, this))
    , m_pivots(new PivotBar(filter, this))
    , m_overview(new CaseOverviewDock(this))
    , m_evidence(new EvidenceTableView(filter, selection, this))
    , m_events(new EventBrowserDock(filter, selection, this))
    , m_ancestry(new ProcessAncestryPanel(filter, selection, this))
    , m_details(new EventDetailsView(filter, selection, this))
    , m_timeline(new TimelineView(filter, selection, this))
    , m_transfers(new TransfersDock(filter, selection, this))
    , m_import(importer)
    , m_annotations(new AnnotationController(this))
    , m_notes(new NotesPanel(m_annotations, filter, selection, this))
    , m_watcher(new CaseChangeWatcher(this))
    , m_dataRefresh(new QTimer(this))
    , m_spread(new SpreadView(selection, this))
    , m_banner(new QLabel(this))
    , m_statusCase(new QLabel(this))
    , m_statusView(new QLabel(this))
    , m_statusFilter(new QLabel(this))
{
    setObjectName(QStringLiteral("workbench"));
    setWindowTitle(tr("TransferTrace"));
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks | QMainWindow::AllowNestedDocks);
    // The graph with a banner above it when the case is open read-only.
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_banner->setObjectName(QStringLiteral("readOnlyBanner"));
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #5c4400; padding: 6px 10px; "
                                           "border-bottom: 1px solid #e0c46c; }"));
    m_banner->hide();
    centreLayout->addWidget(m_banner);
    centreLayout->addWidget(m_graph, 1);
    setCentralWidget(centre);
    m_graph->setAnnotations(m_annotations);
    m_timeline->setAnnotations(m_annotations);
    m_evidence->setAnnotations(m_annotations);
    m_ancestry->setAnnotations(m_annotations);
    m_transfers->setAnnotations(m_annotations);
    // Annotated hosts get a swatch in the case overview's host table.
    connect(m_annotations, &AnnotationController::changed, this,
        [this] { m_overview->hostModel()->setAnnotationColors(m_annotations->badgeColors(store::TargetKind::Host)); });
    connect(m_annotations, &AnnotationController::failed, this,
        [this](const QString &msg) { statusBar()->showMessage(msg, 10000); });
    // Several analysts at once: another analyst's concurrent edit of the same item.
    connect(m_annotations, &AnnotationController::conflict, this,
        [this](const QString &msg) { statusBar()->showMessage(msg, 20000); });
    connect(m_watcher, &CaseChangeWatcher::changed, this, &WorkbenchWindow::onCaseChanged);
    m_dataRefresh->setSingleShot(true);
    m_dataRefresh->setInterval(300);
    connect(m_dataRefresh, &QTimer::timeout, this, [this] {
        const unsigned kinds = std::exchange(m_pendingKinds, 0u);
        if (kinds != 0 && !(m_import && m_import->running()))
            refreshCaseData();
    });

    auto *pivotBar = new QToolBar(tr("Pivots"), this);
    pivotBar->setObjectName(QStringLiteral("pivotToolBar"));
    pivotBar->setMovable(false);
    pivotBar->addWidget(m_pivots);
    addToolBar(Qt::TopToolBarArea, pivotBar);

    // The case overview (hosts and sources) lives in a dock; its own menu bar is not used.
    m_overview->setWindowFlags(Qt::Widget);
    m_overview->menuBar()->hide();
    QDockWidget *timelineDock
        = addDock(m_timeline, tr("Timeline"), Qt::BottomDockWidgetArea, QStringLiteral("timelineDock"));
    QDockWidget *evidenceDock
        = addDock(m_evidence, tr("Events / Evidence"), Qt::BottomDockWidgetArea, QStringLiteral("evidenceDock"));
    QDockWidget *caseDock = addDock(m_overview, tr("Case"), Qt::BottomDockWidgetArea, QStringLiteral("caseDock"));
    QDockWidget *ancestryDock
        = addDock(m_ancestry, tr("Process Ancestry"), Qt::RightDockWidgetArea, QStringLiteral("ancestryDock"));
    QDockWidget *detailsDock
        = addDock(m_details, tr("Details"), Qt::RightDockWidgetArea, QStringLiteral("detailsDock"));
    QDockWidget *notesDock = addDock(m_notes, tr("Notes"), Qt::BottomDockWidgetArea, QStringLiteral("notesDock"));
    QDockWidget *eventsDock
        = addDock(m_events, tr("Event Browser"), Qt::BottomDockWidgetArea, QStringLiteral("eventBrowserDock"));
    connect(m_events, &EventBrowserDock::attentionWanted, eventsDock, [eventsDock] {
        eventsDock->show();
        eventsDock->raise();
    });
    splitDockWidget(ancestryDock, detailsDock, Qt::Vertical);
    // The transfers table beside the evidence of the rows it selects.
    QDockWidget *transfersDock
        = addDock(m_transfers, tr("Transfers"), Qt::BottomDockWidgetArea, QStringLiteral("transfersDock"));
    // Timeline above the evidence table (the case overview tabbed with it).
    splitDockWidget(timelineDock, evidenceDock, Qt::Vertical);
    splitDockWidget(evidenceDock, transfersDock, Qt::Horizontal);
    tabifyDockWidget(evidenceDock, caseDock);
    tabifyDockWidget(caseDock, notesDock);
    m_spreadDock = addDock(m_spread, tr("Tool Spread"), Qt::BottomDockWidgetArea, QStringLiteral("spreadDock"));
    tabifyDockWidget(notesDock, m_spreadDock);
    connect(m_graph, &TransferGraphView::spreadRequested, this, &WorkbenchWindow::showSpreadForTransfer);
    connect(m_evidence, &EvidenceTableView::spreadRequested, this, &WorkbenchWindow::showSpreadForTransfer);
    connect(m_transfers, &TransfersDock::spreadRequested, this, &WorkbenchWindow::showSpreadForTransfer);
    connect(this, &WorkbenchWindow::displayTimeZoneChanged, m_spread, &SpreadView::refreshTimes);
    tabifyDockWidget(notesDock, eventsDock);
    evidenceDock->raise();
    resizeDocks({timelineDock, evidenceDock}, {170, 230}, Qt::Vertical);
    resizeDocks({evidenceDock, transfersDock}, {2, 3}, Qt::Horizontal);
    resizeDocks({ancestryDock}, {430}, Qt::Horizontal);
    // A selection brings the dock that shows it forward (an edge picked while Case is showing).
    auto *follower = new DockFollower(m_selection, this);
    using K = SelectedEntities::Kind;
    for (K k : {K::Edge, K::Transfer, K::Host})
        follower->setDock(k, evidenceDock);
    follower->setDock(K::Process, ancestryDock);
    follower->setDock(K::Event, detailsDock);

    for (QLabel *l : {m_statusCase, m_statusView, m_statusFilter})
        l->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_statusCase);
    statusBar()->addWidget(m_statusView);
    // The filter's description can be long (many paths): it is cut, never widening the window.
    m_statusFilter->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(m_statusFilter, 1);

    connect(m_graph, &TransferGraphView::graphShown, this, [this](int hosts, int edges, qint64 inView, qint64 total) {
        m_hosts = hosts;
        m_edges = edges;
        m_inView = inView;
        m_total = total;
        updateStatus();
        emit graphShown();
    });
    // An empty graph says why, with a way out.
    auto *graphNotice = new EmptyResultNotice(m_graph->viewport());
    connect(m_graph, &TransferGraphView::graphShown, graphNotice,
        [this, graphNotice](int, int, qint64 inView, qint64 total) {
            if (inView > 0) {
                graphNotice->hide();
            } else if (total == 0) {
                graphNotice->showNotice(tr("No transfers were inferred in this case. Its events are on the timeline; "
                                           "its hosts and sources under Case."));
            } else if (!m_filter->current().isEmpty()) {
                QStringList why;
                for (const QString &chip : m_pivots->chipTexts()) { // "account: X" -> "account X"
                    const qsizetype colon = chip.indexOf(QLatin1String(": "));
                    why << (colon > 0 ? chip.left(colon) + QLatin1Char(' ') + chip.mid(colon + 2) : chip);
                }
                QList<std::pair<QString, std::function<void()>>> actions {
                    {tr("Clear filter"), [this] { m_filter->apply(FilterState {}); }}};
                if (m_filter->canGoBack())
                    actions.append({tr("Back"), [this] { m_filter->back(); }});
                graphNotice->showNotice(tr("No transfers match: %1").arg(why.join(QStringLiteral(", "))), actions);
            } else {
                graphNotice->showNotice(tr("Every host with transfers is hidden."),
                    {{tr("Show hidden hosts"), [this] { m_graph->showAllHosts(); }}});
            }
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
    m_tzChoice = settings.value(QStringLiteral("workbench/timeZone"), QStringLiteral("case")).toString();
    applyTimeZone();
    updateStatus();
}

WorkbenchWindow::~WorkbenchWindow()
{
    m_watcher->stop(); // joins the listener's thread before the views go
}

void WorkbenchWindow::onCaseChanged(unsigned kinds)
{
    if (m_casePath.isEmpty())
        return;
    // Notes, tags, bookmarks: at once (compared first: this session's own writes repaint nothing).
    if (kinds & (store::AnnotationsChanged | store::TagsChanged | store::EverythingChanged))
        m_annotations->reloadFromStore();
    // Saved views are read when the Views menu opens; node positions another analyst dragged are
    // not applied under this analyst's hand (they are read at the next open).
    // Another session's import (one commit per file) or inference: one refresh for a burst. This
    // session's own import reopens the case when it finishes instead.
    if (kinds & (store::SourcesChanged | store::TransfersChanged | store::EverythingChanged)) {
        if (m_import && m_import->running())
            return;
        m_pendingKinds |= kinds;
        m_dataRefresh->start();
    }
}

void WorkbenchWindow::refreshCaseData()
{
    if (m_casePath.isEmpty())
        return;
    const QString data = m_annotations->dataPath().isEmpty() ? m_casePath : m_annotations->dataPath();
    // Each view's query carries its generation number: a result of an older request is dropped.
    m_graph->refresh(); // keeps pins, hidden hosts and expanded groups; the selection is shared
    m_timeline->reloadData();
    m_transfers->setCase(data); // the same case: its own filter widgets, sort and selection stay
    m_overview->openCase(data);
    m_pivots->setCase(data); // the pivot choices (accounts, hosts...) of the new events
    emit caseDataRefreshed();
}

void WorkbenchWindow::showSpreadForTransfer(qint64 transferId)
{
    raiseSpreadDock();
    m_spread->showForTransfer(transferId);
}

void WorkbenchWindow::showSpreadForFile(const QString &file)
{
    raiseSpreadDock();
    m_spread->showForFile(file);
}

void WorkbenchWindow::raiseSpreadDock()
{
    m_spreadDock->show();
    m_spreadDock->raise();
    if (m_spreadDock->height() < 300) // the tree and its picture need room (tabbed docks are short)
        resizeDocks({m_spreadDock}, {300}, Qt::Vertical);
}

QDockWidget *WorkbenchWindow::addDock(
    QWidget *content, const QString &title, Qt::DockWidgetArea area, const QString &objectName)
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
    file->addAction(themedIcon(QStringLiteral("document-new")), tr("&New Case..."), QKeySequence::New, this,
        &WorkbenchWindow::newCase);
    file->addAction(themedIcon(QStringLiteral("document-open")), tr("&Open Case..."), QKeySequence::Open, this,
        &WorkbenchWindow::chooseCase);
    file->addAction(tr("Open &Server Case..."), this, &WorkbenchWindow::chooseServerCase);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &WorkbenchWindow::fillRecentMenu);
    file->addAction(themedIcon(QStringLiteral("document-save-as")), tr("Save Case &As..."), QKeySequence::SaveAs, this,
        &WorkbenchWindow::chooseSaveAs);
    file->addAction(tr("Case &Properties..."), this, &WorkbenchWindow::editCaseProperties);
    file->addSeparator();
    file->addAction(themedIcon(QStringLiteral("document-import")), tr("&Import Files..."),
        QKeySequence(Qt::CTRL | Qt::Key_I), this, [this] { chooseImport(false); });
    file->addAction(tr("Import &Folder..."), this, [this] { chooseImport(true); });
    file->addSeparator();
    new ExportActions(this, m_filter, file); // File > Export submenu (issue 5)
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_annotations->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setIcon(themedIcon(QStringLiteral("edit-undo")));
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName(QStringLiteral("undo"));
    QAction *redo = m_annotations->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setIcon(themedIcon(QStringLiteral("edit-redo")));
    redo->setShortcut(QKeySequence::Redo);
    redo->setObjectName(QStringLiteral("redo"));
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu *go = menuBar()->addMenu(tr("&Go"));
    go->addAction(themedIcon(QStringLiteral("go-previous")), tr("&Back"), QKeySequence(Qt::ALT | Qt::Key_Left),
        m_filter, &FilterHistory::back);
    go->addAction(themedIcon(QStringLiteral("go-next")), tr("&Forward"), QKeySequence(Qt::ALT | Qt::Key_Right),
        m_filter, &FilterHistory::forward);
    go->addAction(tr("&Clear Filter"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace), this,
        [this] { m_filter->apply(FilterState {}); });
    go->addSeparator();
    // Find Host and a double-click on a Case > Hosts row: the node, or why there is none.
    auto *finder = new HostFinder(m_graph, m_filter, m_selection, this);
    connect(finder, &HostFinder::finished, this, [this](const QString &message) {
        if (!message.isEmpty())
            statusBar()->showMessage(message, 10000);
    });
    connect(this, &WorkbenchWindow::caseOpened, finder, [this, finder] {
        finder->setCase(m_annotations->dataPath().isEmpty() ? m_casePath : m_annotations->dataPath());
    });
    connect(m_overview, &CaseOverviewDock::hostActivated, finder, [this, finder](qint64 id, const QString &name) {
        QString note; // in a collapsed group: expanded, and the status bar says so
        if (!m_graph->selectHost(id, &note))
            finder->find(name);
        else if (!note.isEmpty())
            statusBar()->showMessage(note, 10000);
    });
    connect(m_overview, &CaseOverviewDock::groupHostsRequested, this, [this](const QStringList &names) {
        QStringList groups;
        for (const store::HostGroup &g : m_annotations->hostGroups())
            groups << QString::fromStdString(g.name);
        bool ok = false;
        const QString name = QInputDialog::getItem(this, tr("Group As"),
            tr("Name of the group (an existing one adds the hosts to it):"), groups, 0, true, &ok);
        if (ok && !name.trimmed().isEmpty())
            m_annotations->groupHosts(name, names);
    });
    go->addAction(tr("&Find Host..."), QKeySequence::Find, this, [this, finder] {
        bool ok = false;
        const QString text = QInputDialog::getText(
            this, tr("Find Host"), tr("Host name, FQDN or address:"), QLineEdit::Normal, QString(), &ok);
        if (ok && !text.trimmed().isEmpty())
            finder->find(text.trimmed());
    });
    go->addAction(themedIcon(QStringLiteral("zoom-fit-best")), tr("&Fit Graph"), QKeySequence(Qt::CTRL | Qt::Key_0),
        m_graph, &TransferGraphView::fitAll);

    m_viewsMenu = menuBar()->addMenu(tr("View&s"));
    m_viewsMenu->setObjectName(QStringLiteral("savedViewsMenu"));
    connect(m_viewsMenu, &QMenu::aboutToShow, this, &WorkbenchWindow::fillViewsMenu);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_tzMenu = m_viewMenu->addMenu(tr("&Time Zone"));
    m_tzMenu->setObjectName(QStringLiteral("timeZoneMenu"));
    connect(m_tzMenu, &QMenu::aboutToShow, this, &WorkbenchWindow::fillTimeZoneMenu);
    m_viewMenu->addSeparator();
    for (QDockWidget *d : findChildren<QDockWidget *>())
        m_viewMenu->addAction(d->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_graph->legendAction()); // checkable, remembered in QSettings
}

void WorkbenchWindow::fillTimeZoneMenu()
{
    m_tzMenu->clear();
    auto *group = new QActionGroup(m_tzMenu);
    auto add = [&](const QString &text, const QString &choice, bool enabled = true) {
        QAction *a = m_tzMenu->addAction(text);
        a->setCheckable(true);
        a->setChecked(m_tzChoice == choice);
        a->setEnabled(enabled);
        a->setData(choice);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, choice] { setTimeZoneChoice(choice); });
    };
    add(m_caseTz.isEmpty() ? tr("Case Time Zone (none set: UTC)") : tr("Case Time Zone (%1)").arg(m_caseTz),
        QStringLiteral("case"));
    add(tr("UTC"), QStringLiteral("UTC"));
    add(tr("This Computer (%1)").arg(QString::fromLatin1(QTimeZone::systemTimeZoneId())), QStringLiteral("system"));
    const bool other = m_tzChoice != QLatin1String("case") && m_tzChoice != QLatin1String("UTC")
        && m_tzChoice != QLatin1String("system");
    if (other)
        add(m_tzChoice, m_tzChoice);
    m_tzMenu->addSeparator();
    m_tzMenu->addAction(tr("Other..."), this, [this] {
        QStringList ids;
        for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
            ids << QString::fromLatin1(id);
        bool ok = false;
        const QString current = QString::fromLatin1(displayTimeZone().id());
        const QString id = QInputDialog::getItem(this, tr("Time Zone"), tr("Show times in:"), ids,
            std::max(0, static_cast<int>(ids.indexOf(current))), false, &ok);
        if (ok && !id.isEmpty())
            setTimeZoneChoice(id);
    });
}

void WorkbenchWindow::setTimeZoneChoice(const QString &choice)
{
    m_tzChoice = choice.isEmpty() ? QStringLiteral("case") : choice;
    QSettings().setValue(QStringLiteral("workbench/timeZone"), m_tzChoice);
    applyTimeZone();
}

void WorkbenchWindow::applyTimeZone()
{
    QTimeZone zone = QTimeZone::utc();
    const QString id = m_tzChoice == QLatin1String("case") ? m_caseTz : m_tzChoice;
    if (id == QLatin1String("system"))
        zone = QTimeZone::systemTimeZone();
    else if (!id.isEmpty() && id != QLatin1String("UTC")) {
        const QTimeZone z(id.toLatin1());
        if (z.isValid())
            zone = z;
        else
            statusBar()->showMessage(tr("Unknown time zone '%1': showing UTC").arg(id), 8000);
    }
    if (zone == displayTimeZone() && zone.id() == displayTimeZone().id())
        return;
    setDisplayTimeZone(zone);
    // Tables re-read their cells and headers; painted views repaint; texts made at load are redone.
    for (QAbstractItemView *v : findChildren<QAbstractItemView *>()) {
        if (QAbstractItemModel *m = v->model(); m && m->columnCount() > 0)
            emit m->headerDataChanged(Qt::Horizontal, 0, m->columnCount() - 1);
        v->viewport()->update();
    }
    m_timeline->update();
    m_pivots->refreshChips();
    m_details->refresh();
    if (!m_casePath.isEmpty())
        m_overview->openCase(m_annotations->dataPath().isEmpty() ? m_casePath : m_annotations->dataPath());
    updateStatus();
    emit displayTimeZoneChanged();
}

void WorkbenchWindow::loadCaseTimeZone()
{
    const uint64_t gen = ++m_tzGeneration;
    runCaseQuery<QString>(
        this, m_annotations->dataPath(),
        [](store::CaseStore &cs) {
            return QString::fromStdString(store::AnnotationStore(cs).meta().displayTz).trimmed();
        },
        [this, gen](QString &tz, const QString &) {
            if (gen != m_tzGeneration)
                return;
            m_caseTz = tz;
            applyTimeZone();
        });
}

void WorkbenchWindow::openCase(const QString &path)
{
    m_casePath = path;
    m_filter->reset();
    m_selection->clear();
    // The session's own connection first: it takes the case's lock (or learns why the case is
    // read-only), upgrades an older case, and holds the analyst's annotations.
    QString error;
    const bool opened = m_annotations->setCase(path, false, &error);
    m_readOnly = !opened || !m_annotations->writable();
    m_readOnlyReason = opened ? m_annotations->readOnlyReason() : error;
    const QString data = opened ? m_annotations->dataPath() : path;
    m_graph->setCase(data);
    m_pivots->setCase(data);
    m_overview->openCase(data);
    m_evidence->setCase(data);
    m_events->setCase(data, opened && !m_readOnly);
    m_ancestry->setCase(data);
    m_details->setCase(data);
    m_timeline->setCase(data);
    m_transfers->setCase(data);
    m_notes->setCase(data);
    m_spread->setCase(data);
    m_caseTz.clear();
    if (opened)
        loadCaseTimeZone();
    // A server case: follow what the other analysts commit (a file case: stops the old listener).
    m_pendingKinds = 0;
    m_dataRefresh->stop();
    if (opened)
        m_watcher->start(data);
    else
        m_watcher->stop();
    showReadOnlyBanner();
    if (!opened)
        statusBar()->showMessage(tr("Cannot open the case: %1").arg(error));
    else if (!m_annotations->migrationNote().isEmpty())
        statusBar()->showMessage(tr("Case %1").arg(m_annotations->migrationNote()), 15000);
    // A server case shows (and is remembered as) its location without a password.
    const bool server = store::CaseLocation::looksLikeUrl(path.toStdString());
    const QString shown = server ? QString::fromStdString(store::CaseLocation::redactText(path.toStdString())) : path;
    setWindowTitle(tr("%1 - TransferTrace").arg(server ? shown : QFileInfo(path).fileName()));
    rememberRecent(shown);
    updateStatus();
    emit caseOpened(path);
    if (opened)
        handlePendingInference(path, data);
}

void WorkbenchWindow::handlePendingInference(const QString &path, const QString &dataPath)
{
    bool pending = false;
    try {
        auto cs = store::CaseStore::open(dataPath.toStdString(), store::CaseStore::Access::ReadOnly);
        pending = store::inferencePending(*cs);
    } catch (const std::exception &) {
        return; // the views say what is wrong with the case
    }
    if (!pending)
        return;
    if (m_readOnly || !m_import || m_inferenceRetried.contains(path) || m_import->running()) {
        statusBar()->showMessage(tr("The transfers of this case are stale: the inference after its last import did "
                                    "not finish. Re-run it with Import (any file) or `transfertrace infer`."));
        return;
    }
    m_inferenceRetried << path;
    startImport({}, tr("Recomputing the transfers (the last import's inference did not finish)..."));
}

void WorkbenchWindow::chooseCase()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Case"), QString(), tr("TransferTrace cases (*.ttcase);;All files (*)"));
    if (!path.isEmpty())
        openCase(path);
}

void WorkbenchWindow::chooseServerCase()
{
    bool ok = false;
    const QString location = QInputDialog::getText(this, tr("Open Server Case"),
        tr("Case location on a PostgreSQL server:\n"
           "postgresql://[user@][host][:port]/database?case=NAME[&libpq parameters]\n"
           "(a password is better kept in ~/.pgpass or PGPASSWORD than in the location)"),
        QLineEdit::Normal, QString(), &ok);
    if (!ok || location.trimmed().isEmpty())
        return;
    const std::string text = location.trimmed().toStdString();
    if (!store::CaseLocation::looksLikeUrl(text)) {
        plainWarning(this, tr("Open Server Case"), tr("A server case location starts with postgresql://"));
        return;
    }
    try {
        (void)store::CaseLocation::parse(text);
    } catch (const std::exception &e) {
        plainWarning(this, tr("Open Server Case"), QString::fromUtf8(e.what())); // redacted by the parser
        return;
    }
    openCase(location.trimmed());
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
        plainWarning(this, tr("New Case"), QString::fromUtf8(e.what()));
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
    if (!paths.isEmpty())
        startImport(paths, tr("Importing..."));
}

void WorkbenchWindow::startImport(const QStringList &paths, const QString &label)
{
    if (!m_import) {
        statusBar()->showMessage(tr("Importing is not available in this window."), 10000);
        return;
    }
    if (m_import->running())
        return;
    if (!m_casePath.isEmpty() && m_readOnly) {
        statusBar()->showMessage(
            tr("This case is open read-only (%1): nothing can be imported into it.").arg(m_readOnlyReason), 10000);
        return;
    }
    if (m_casePath.isEmpty()) {
        QString path = QFileDialog::getSaveFileName(
            this, tr("Import into New Case"), QString(), tr("TransferTrace cases (*.ttcase)"));
        if (path.isEmpty())
            return;
        if (!path.endsWith(QLatin1String(".ttcase")))
            path += QLatin1String(".ttcase");
        m_casePath = path;
    }
    m_events->stopIndexing(); // one writer at a time: the import
    // Non-blocking: the window stays usable; the dialog shows progress and can cancel.
    auto *dialog = new QProgressDialog(label, tr("Cancel"), 0, 100, this);
    dialog->setObjectName(QStringLiteral("importProgress"));
    dialog->setWindowModality(Qt::NonModal);
    dialog->setMinimumDuration(0);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QProgressDialog::canceled, m_import, &CaseImporter::cancel);
    connect(m_import, &CaseImporter::progress, dialog, [dialog](int pct, const QString &text) {
        dialog->setValue(pct);
        dialog->setLabelText(text);
    });
    const QString target = m_casePath;
    connect(
        m_import, &CaseImporter::finished, this,
        [this, dialog, target](bool ok, const QString &summary) {
            disconnect(m_import, nullptr, dialog, nullptr);
            dialog->close();
            statusBar()->showMessage(summary.section(QLatin1Char('\n'), 0, 0), 15000);
            if (!ok)
                plainWarning(this, tr("Import"), summary);
            openCase(target);
        },
        Qt::SingleShotConnection);
    m_import->start(target, paths);
}

void WorkbenchWindow::updateStatus()
{
    if (m_casePath.isEmpty())
        m_statusCase->setText(tr("No case"));
    else if (store::CaseLocation::looksLikeUrl(m_casePath.toStdString())) // a server case, without password
        m_statusCase->setText(QString::fromStdString(store::CaseLocation::redactText(m_casePath.toStdString())));
    else
        m_statusCase->setText(QFileInfo(m_casePath).fileName());
    m_statusView->setText(
        tr("%1 hosts, %2 edges, %3 of %4 transfers in view").arg(m_hosts).arg(m_edges).arg(m_inView).arg(m_total));
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
        parts << tr("%1 .. %2").arg(formatTime(f.fromUs), formatTime(f.toUs));
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
    if (m_import && m_import->running())
        m_import->cancel();
    m_watcher->stop();
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

void WorkbenchWindow::showReadOnlyBanner()
{
    if (m_readOnly && !m_casePath.isEmpty()) {
        m_banner->setText(tr("This case is open read-only (%1): you can look and export, but notes, tags, bookmarks, "
                             "saved views and node positions cannot be changed.")
                              .arg(m_readOnlyReason));
        m_banner->show();
    } else {
        m_banner->hide();
    }
}

bool WorkbenchWindow::saveView(const QString &name)
{
    store::AnnotationStore *st = m_annotations->store();
    if (!st || !m_annotations->writable() || name.trimmed().isEmpty())
        return false;
    store::SavedView v;
    v.name = name.trimmed().toStdString();
    v.filterJson = m_filter->current().toJson().toStdString();
    QJsonObject pos;
    for (const auto &[host, xy] : m_annotations->nodePositions())
        pos.insert(QString::fromStdString(host), QJsonArray {xy.first, xy.second});
    v.positionsJson = QJsonDocument(pos).toJson(QJsonDocument::Compact).toStdString();
    const QRectF r = m_graph->mapToScene(m_graph->viewport()->rect()).boundingRect();
    v.viewportJson = QJsonDocument(QJsonObject {{QStringLiteral("x"), r.x()}, {QStringLiteral("y"), r.y()},
                                       {QStringLiteral("w"), r.width()}, {QStringLiteral("h"), r.height()}})
                         .toJson(QJsonDocument::Compact)
                         .toStdString();
    try {
        st->saveView(v);
    } catch (const std::exception &e) {
        statusBar()->showMessage(tr("The view could not be saved: %1").arg(QString::fromUtf8(e.what())), 10000);
        return false;
    }
    statusBar()->showMessage(tr("View '%1' saved").arg(name.trimmed()), 5000);
    return true;
}

QStringList WorkbenchWindow::savedViewNames() const
{
    QStringList out;
    if (store::AnnotationStore *st = m_annotations->store()) {
        try {
            for (const store::SavedView &v : st->views())
                out << QString::fromStdString(v.name);
        } catch (const std::exception &) {
        }
    }
    return out;
}

bool WorkbenchWindow::restoreView(const QString &name)
{
    store::AnnotationStore *st = m_annotations->store();
    if (!st)
        return false;
    std::optional<store::SavedView> found;
    try {
        for (const store::SavedView &v : st->views())
            if (QString::fromStdString(v.name) == name)
                found = v;
    } catch (const std::exception &) {
    }
    if (!found)
        return false;
    FilterState f;
    if (!FilterState::fromJson(QByteArray::fromStdString(found->filterJson), &f)) {
        statusBar()->showMessage(tr("View '%1' has an unreadable filter").arg(name), 10000);
        return false;
    }
    std::map<std::string, std::pair<double, double>> positions;
    const QJsonObject pos = QJsonDocument::fromJson(QByteArray::fromStdString(found->positionsJson)).object();
    for (auto it = pos.begin(); it != pos.end(); ++it) {
        const QJsonArray xy = it.value().toArray();
        if (xy.size() == 2 && xy[0].isDouble() && xy[1].isDouble())
            positions[it.key().toStdString()] = {xy[0].toDouble(), xy[1].toDouble()};
    }
    const QJsonObject vp = QJsonDocument::fromJson(QByteArray::fromStdString(found->viewportJson)).object();
    const QRectF viewport(vp.value(QStringLiteral("x")).toDouble(), vp.value(QStringLiteral("y")).toDouble(),
        vp.value(QStringLiteral("w")).toDouble(), vp.value(QStringLiteral("h")).toDouble());
    // Fit the saved viewport once the graph with the restored filter and positions is shown.
    if (viewport.isValid()) {
        auto conn = std::make_shared<QMetaObject::Connection>();
        *conn = connect(m_graph, &TransferGraphView::graphShown, this, [this, viewport, conn] {
            disconnect(*conn);
            m_graph->fitInView(viewport, Qt::KeepAspectRatio);
        });
    }
    m_annotations->setNodePositions(positions); // re-lays out the graph
    m_filter->apply(f);
    statusBar()->showMessage(tr("View '%1' restored").arg(name), 5000);
    return true;
}

void WorkbenchWindow::fillViewsMenu()
{
    m_viewsMenu->clear();
    QAction *save = m_viewsMenu->addAction(tr("&Save Current View..."), this, [this] {
        bool ok = false;
        const QString name
            = QInputDialog::getText(this, tr("Save View"), tr("Name:"), QLineEdit::Normal, QString(), &ok);
        if (ok && !name.trimmed().isEmpty())
            saveView(name);
    });
    save->setEnabled(m_annotations->writable());
    const QStringList names = savedViewNames();
    if (!names.isEmpty())
        m_viewsMenu->addSeparator();
    for (const QString &n : names) {
        QString text = n;
        text.replace(QLatin1Char('&'), QStringLiteral("&&"));
        m_viewsMenu->addAction(text, this, [this, n] { restoreView(n); });
    }
    if (!names.isEmpty() && m_annotations->writable()) {
        QMenu *del = m_viewsMenu->addMenu(tr("&Delete View"));
        for (const QString &n : names) {
            QString text = n;
            text.replace(QLatin1Char('&'), QStringLiteral("&&"));
            del->addAction(text, this, [this, n] {
                if (store::AnnotationStore *st = m_annotations->store()) {
                    try {
                        for (const store::SavedView &v : st->views())
                            if (QString::fromStdString(v.name) == n)
                                st->deleteView(v.id);
                    } catch (const std::exception &e) {
                        statusBar()->showMessage(QString::fromUtf8(e.what()), 10000);
                    }
                }
            });
        }
    }
}

void WorkbenchWindow::editCaseProperties()
{
    store::AnnotationStore *st = m_annotations->store();
    if (!st)
        return;
    store::CaseMeta meta;
    try {
        meta = st->meta();
    } catch (const std::exception &e) {
        statusBar()->showMessage(QString::fromUtf8(e.what()), 10000);
        return;
    }
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Case Properties"));
    auto *form = new QFormLayout(&dlg);
    auto *title = new QLineEdit(QString::fromStdString(meta.title), &dlg);
    auto *analyst = new QLineEdit(QString::fromStdString(meta.analyst), &dlg);
    auto *description = new QPlainTextEdit(QString::fromStdString(meta.description), &dlg);
    auto *zone = new QComboBox(&dlg);
    zone->setEditable(true);
    zone->addItem(QStringLiteral("UTC"));
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        zone->addItem(QString::fromLatin1(id));
    zone->setCurrentText(meta.displayTz.empty() ? QStringLiteral("UTC") : QString::fromStdString(meta.displayTz));
    form->addRow(tr("Title:"), title);
    form->addRow(tr("Analyst:"), analyst);
    form->addRow(tr("Description:"), description);
    form->addRow(tr("Display time zone:"), zone);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    buttons->button(QDialogButtonBox::Ok)->setEnabled(m_annotations->writable());
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    if (dlg.exec() != QDialog::Accepted)
        return;
    const QString tz = zone->currentText().trimmed();
    if (tz != QLatin1String("UTC") && !QTimeZone(tz.toLatin1()).isValid()) {
        plainWarning(this, tr("Case Properties"), tr("'%1' is not a time zone this system knows.").arg(tz));
        return;
    }
    meta.title = title->text().toStdString();
    meta.analyst = analyst->text().toStdString();
    meta.description = description->toPlainText().toStdString();
    meta.displayTz = tz == QLatin1String("UTC") ? std::string() : tz.toStdString();
    try {
        st->setMeta(meta);
    } catch (const std::exception &e) {
        statusBar()->showMessage(tr("The properties could not be saved: %1").arg(QString::fromUtf8(e.what())), 10000);
        return;
    }
    m_caseTz = QString::fromStdString(meta.displayTz);
    applyTimeZone();
}

bool WorkbenchWindow::saveCaseAs(const QString &path, QString *error)
{
    if (m_casePath.isEmpty())
        return false;
    const bool server = store::CaseLocation::looksLikeUrl(m_casePath.toStdString());
    try {
        auto cs = store::CaseStore::open(m_casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        cs->saveAs(path.toStdString());
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return false;
    }
    if (server) {
        // A server case is the team's: the window stays on it, the file is a copy to take along.
        statusBar()->showMessage(tr("Saved a copy of the server case as %1").arg(path), 10000);
        return true;
    }
    openCase(path);
    return true;
}

void WorkbenchWindow::chooseSaveAs()
{
    if (m_casePath.isEmpty())
        return;
    const QString dir = store::CaseLocation::looksLikeUrl(m_casePath.toStdString())
        ? QDir::homePath()
        : QFileInfo(m_casePath).absolutePath();
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save Case As"), dir, tr("TransferTrace cases (*.ttcase)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveCaseAs(path.endsWith(QLatin1String(".ttcase")) ? path : path + QStringLiteral(".ttcase"), &error))
        plainWarning(this, tr("Save Case As"), tr("The case could not be saved:\n%1").arg(error));
}

} // namespace tt
