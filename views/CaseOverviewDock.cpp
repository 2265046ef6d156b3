#include "CaseOverviewDock.h"

#include "WorkerQuery.h"

#include "items/HostTableModel.h"
#include "items/SourceTableModel.h"
#include "items/TimeFormat.h"
#include "store/CaseStore.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSizePolicy>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace tt {

// What the dock shows of a case, read on a worker (not graph/inference's CaseSnapshot).
struct CaseOverview {
    bool ok = false;
    QString error;
    int schemaVersion = 0;
    store::CaseStore::Totals totals;
    std::vector<store::CaseStore::HostSummary> hosts;
    std::vector<store::CaseStore::SourceSummary> sources;
};

namespace {
QTableView *makeTable(QAbstractItemModel *model, int sortRole, QWidget *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    auto *view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    return view;
}

} // namespace

CaseOverviewDock::CaseOverviewDock(QWidget *parent)
    : QMainWindow(parent)
    , m_summary(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_hosts(new HostTableModel(this))
    , m_sources(new SourceTableModel(this))
{
    setWindowTitle(tr("TransferTrace"));
    resize(1200, 720);
    m_summary->setTextFormat(Qt::PlainText); // case paths and host names are never rich text
    m_summary->setMargin(6);
    // Long case paths wrap; the summary never sets the bottom dock area's minimum width.
    m_summary->setWordWrap(true);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_hostView = makeTable(m_hosts, HostTableModel::SortRole, this);
    m_hostView->setObjectName(QStringLiteral("hostTable"));
    m_sourceView = makeTable(m_sources, Qt::DisplayRole, this);
    m_sourceView->setObjectName(QStringLiteral("sourceTable"));
    connect(m_hostView, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const QModelIndex row = index.sibling(index.row(), HostTableModel::Name);
        if (const qint64 id = row.data(HostTableModel::HostIdRole).toLongLong())
            emit hostActivated(id, row.data(Qt::DisplayRole).toString());
    });
    m_hostView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_hostView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_hostView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        const QStringList names = selectedHostNames();
        if (names.isEmpty())
            return;
        QMenu menu(m_hostView);
        menu.addAction(tr("Group %n Host(s) As...", nullptr, static_cast<int>(names.size())), this,
            [this, names] { emit groupHostsRequested(names); });
        menu.exec(m_hostView->viewport()->mapToGlobal(at));
    });
    m_tabs->addTab(m_hostView, tr("Hosts"));
    m_tabs->addTab(m_sourceView, tr("Sources"));

    auto *central = new QWidget(this);
    auto *lay = new QVBoxLayout(central);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_summary);
    lay->addWidget(m_tabs, 1);
    setCentralWidget(central);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Case..."), QKeySequence::Open, this, &CaseOverviewDock::chooseCase);
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, [this] {
        if (!m_path.isEmpty())
            openCase(m_path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    statusBar()->showMessage(tr("No case open"));
}

CaseOverviewDock::~CaseOverviewDock() = default;

QStringList CaseOverviewDock::selectedHostNames() const
{
    QStringList out;
    for (const QModelIndex &row : m_hostView->selectionModel()->selectedRows(HostTableModel::Name))
        out << row.data(Qt::DisplayRole).toString();
    out.removeAll(QString());
    return out;
}

void CaseOverviewDock::chooseCase()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Case"), QString(), tr("TransferTrace cases (*.ttcase);;All files (*)"));
    if (!path.isEmpty())
        openCase(path);
}

void CaseOverviewDock::openCase(const QString &path)
{
    m_path = path;
    const uint64_t gen = ++m_generation;
    statusBar()->showMessage(tr("Opening %1 ...").arg(QFileInfo(path).fileName()));
    runCaseQuery<CaseOverview>(
        this, path,
        [](store::CaseStore &cs) {
            CaseOverview overview;
            overview.schemaVersion = cs.schemaVersion();
            overview.totals = cs.totals();
            overview.hosts = cs.hosts();
            overview.sources = cs.sources();
            overview.ok = true;
            return overview;
        },
        [this, gen](CaseOverview &overview, const QString &error) {
            if (!error.isEmpty()) {
                overview = CaseOverview {};
                overview.error = error;
            }
            applyOverview(gen, std::make_shared<CaseOverview>(std::move(overview)));
        });
}

void CaseOverviewDock::applyOverview(uint64_t generation, const std::shared_ptr<CaseOverview> &overview)
{
    if (generation != m_generation)
        return; // a newer load is under way: this result is stale
    if (!overview->ok) {
        // Never leave the previous case's rows under the name of the one that failed.
        m_hosts->setHosts({});
        m_sources->setSources({});
        m_summary->setText(tr("Cannot open case: %1").arg(overview->error));
        statusBar()->showMessage(tr("Open failed"));
        emit caseLoaded(m_path, false);
        return;
    }
    m_hosts->setHosts(std::move(overview->hosts));
    m_sources->setSources(std::move(overview->sources));
    m_hostView->sortByColumn(HostTableModel::Events, Qt::DescendingOrder);
    m_hostView->resizeColumnsToContents();
    m_sourceView->resizeColumnsToContents();
    const QLocale loc;
    const auto &t = overview->totals;
    m_summary->setText(
        tr("%1  |  %2 events from %3 source files, %4 rejected  |  %5 hosts  |  %6  to  %7 %8")
            .arg(QFileInfo(m_path).fileName(), loc.toString(static_cast<qlonglong>(t.events)),
                loc.toString(static_cast<qlonglong>(t.sources)), loc.toString(static_cast<qlonglong>(t.rejected)),
                loc.toString(static_cast<qlonglong>(t.hosts)), formatTime(t.firstTs), formatTime(t.lastTs),
                displayTimeZoneName()));
    setWindowTitle(tr("%1 - TransferTrace").arg(QFileInfo(m_path).fileName()));
    statusBar()->showMessage(tr("Case %1 (schema v%2)").arg(m_path).arg(overview->schemaVersion));
    emit caseLoaded(m_path, true);
}

} // namespace tt
