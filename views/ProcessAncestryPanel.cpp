#include "ProcessAncestryPanel.h"

#include "AnnotationActions.h"

#include "WorkerQuery.h"
#include "items/AncestryTreeModel.h"
#include "query/AncestryQuery.h"
#include "workbench/FilterHistory.h"

#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

namespace tt {

namespace {

struct AncestryResult {
    enum class Kind { Clear, Chain, Transfer, NoProcess } kind = Kind::Clear;
    ProcessChain chain;
    TransferSides sides;
    qint64 event = 0;
    QString error;
};

struct ChildrenResult {
    std::vector<std::pair<quint64, std::vector<ProcessInfo>>> nodes;
};

} // namespace

ProcessAncestryPanel::ProcessAncestryPanel(FilterHistory *filters, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_filters(filters)
    , m_selection(selection)
    , m_status(new QLabel(this))
    , m_view(new QTreeView(this))
    , m_model(new AncestryTreeModel(this))
{
    m_status->setTextFormat(Qt::PlainText); // host names and images are log text
    m_status->setObjectName(QStringLiteral("ancestryStatus"));
    m_view->setObjectName(QStringLiteral("ancestryTree"));
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->resizeSection(AncestryTreeModel::Image, 260);
    m_view->header()->resizeSection(AncestryTreeModel::CommandLine, 320);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_status);
    lay->addWidget(m_view, 1);

    connect(m_selection, &Selection::changed, this, &ProcessAncestryPanel::onSelection);
    connect(m_model, &AncestryTreeModel::childrenRequested, this, &ProcessAncestryPanel::queueChildren);
    connect(m_view, &QTreeView::customContextMenuRequested, this, [this](const QPoint &pos) {
        std::unique_ptr<QMenu> menu(contextMenuFor(m_view->indexAt(pos), this));
        if (menu)
            menu->exec(m_view->viewport()->mapToGlobal(pos));
    });
    setStatus(tr("No case open"));
}

ProcessAncestryPanel::~ProcessAncestryPanel() = default;

QString ProcessAncestryPanel::statusText() const
{
    return m_status->text();
}

void ProcessAncestryPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ProcessAncestryPanel::setCase(const QString &path)
{
    m_path = path;
    m_childQueue.clear();
    reload();
}

void ProcessAncestryPanel::onSelection(const SelectedEntities &)
{
    reload();
}

void ProcessAncestryPanel::reload()
{
    const uint64_t gen = ++m_generation;
    const SelectedEntities s = m_selection->current();
    using K = SelectedEntities::Kind;
    const bool wantsTransfer = (s.kind == K::Transfer || s.kind == K::Edge) && !s.transfers.isEmpty();
    const bool wantsProcess = s.kind == K::Process && s.process != 0;
    const bool wantsEvent = s.kind == K::Event && !s.events.isEmpty();
    if (m_path.isEmpty() || (!wantsTransfer && !wantsProcess && !wantsEvent)) {
        m_model->clear();
        setStatus(m_path.isEmpty() ? tr("No case open") : tr("Select a transfer, an event or a process"));
        return;
    }
    setStatus(tr("Loading..."));
    const qint64 transfer = wantsTransfer ? s.transfers.first() : 0;
    const qint64 process = wantsProcess ? s.process : 0;
    const qint64 event = wantsEvent ? s.events.first() : 0;
    // An evidence row carries the transfer it is evidence of.
    const qint64 eventTransfer = wantsEvent && !s.transfers.isEmpty() ? s.transfers.first() : 0;
    runCaseQuery<AncestryResult>(
        this, m_path, m_queries.next(),
        [transfer, process, event, eventTransfer](store::CaseStore &cs) {
            AncestryResult r;
            if (transfer) {
                r.kind = AncestryResult::Kind::Transfer;
                r.sides = queryTransferAncestry(cs, transfer);
                return r;
            }
            const int64_t pid = process ? process : queryProcessForEvent(cs, event);
            r.event = event;
            if (!pid) {
                r.kind = AncestryResult::Kind::NoProcess;
                if (eventTransfer) // show what the event is evidence of, and say so
                    r.sides = queryTransferAncestry(cs, eventTransfer);
                return r;
            }
            r.kind = AncestryResult::Kind::Chain;
            r.chain = queryAncestry(cs, pid);
            return r;
        },
        [this, gen](AncestryResult &r, const QString &error) {
            if (gen != m_generation)
                return; // the selection moved on
            if (!error.isEmpty()) {
                m_model->clear();
                setStatus(tr("Cannot read the case: %1").arg(error));
            } else if (r.kind == AncestryResult::Kind::NoProcess) {
                // An event no process is known for (a logon, a share access): the chains of the
                // transfer it is evidence of, said so, or nothing (never the previous subject's).
                if (r.sides.transferId) {
                    m_model->setTransfer(r.sides);
                    setStatus(tr("Event %1: no process known for it; transfer %2 (%3) it is evidence of")
                                  .arg(r.event)
                                  .arg(r.sides.transferId)
                                  .arg(r.sides.fileName));
                    expandChain();
                } else {
                    m_model->clear();
                    setStatus(tr("Event %1: no process known for it").arg(r.event));
                }
            } else {
                if (r.kind == AncestryResult::Kind::Transfer) {
                    m_model->setTransfer(r.sides);
                    setStatus(tr("Transfer %1: %2").arg(r.sides.transferId).arg(r.sides.fileName));
                } else {
                    m_model->setChain(r.chain);
                    setStatus(r.chain.chain.empty()
                            ? tr("Process not found")
                            : tr("%n process(es) from the root", nullptr, static_cast<int>(r.chain.chain.size())));
                }
                if (!m_model->note().isEmpty())
                    setStatus(statusText() + QStringLiteral("  -  ") + m_model->note());
                expandChain();
            }
            emit updated();
        });
}

void ProcessAncestryPanel::expandChain()
{
    // Open every chain node except the asked-for process itself, so the path to it shows.
    std::vector<QModelIndex> stack;
    for (int r = 0; r < m_model->rowCount(); ++r)
        stack.push_back(m_model->index(r, 0));
    while (!stack.empty()) {
        const QModelIndex i = stack.back();
        stack.pop_back();
        const bool group = i.data(AncestryTreeModel::IsGroupRole).toBool();
        const bool chain = i.data(AncestryTreeModel::OnChainRole).toBool();
        if (!group && (!chain || i.data(AncestryTreeModel::IsTargetRole).toBool()))
            continue;
        m_view->expand(i);
        // A hidden view defers its layout (and with it the fetch): ask for the children here.
        if (m_model->canFetchMore(i))
            m_model->fetchMore(i);
        for (int r = 0; r < m_model->rowCount(i); ++r)
            stack.push_back(m_model->index(r, 0, i));
    }
}

void ProcessAncestryPanel::queueChildren(quint64 nodeKey, qint64 processId)
{
    // Expanding a chain asks for many nodes at once: one worker job for all of them.
    m_childQueue.push_back({nodeKey, processId});
    if (!m_childFetchScheduled) {
        m_childFetchScheduled = true;
        QTimer::singleShot(0, this, &ProcessAncestryPanel::fetchQueuedChildren);
    }
}

void ProcessAncestryPanel::fetchQueuedChildren()
{
    m_childFetchScheduled = false;
    if (m_childQueue.isEmpty() || m_path.isEmpty())
        return;
    const auto queue = std::exchange(m_childQueue, {});
    const uint64_t gen = m_generation;
    runCaseQuery<ChildrenResult>(
        this, m_path,
        [queue](store::CaseStore &cs) {
            ChildrenResult r;
            for (const auto &[key, pid] : queue)
                r.nodes.emplace_back(key, queryChildren(cs, pid));
            return r;
        },
        [this, gen](ChildrenResult &r, const QString &) {
            if (gen != m_generation)
                return;
            for (const auto &[key, children] : r.nodes)
                m_model->setChildren(key, children);
            emit updated();
        });
}

void ProcessAncestryPanel::setAnnotations(AnnotationController *annotations)
{
    m_annotations = annotations;
    if (!annotations)
        return;
    auto sync = [this] {
        QHash<qint64, QColor> colors;
        const QHash<QString, QColor> byKey = m_annotations->badgeColors(store::TargetKind::Process);
        for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
            colors.insert(it.key().toLongLong(), it.value());
        m_model->setAnnotationColors(colors);
    };
    connect(annotations, &AnnotationController::changed, this, sync);
    sync();
}

QMenu *ProcessAncestryPanel::contextMenuFor(const QModelIndex &index, QWidget *parent)
{
    if (!index.isValid() || index.data(AncestryTreeModel::ProcessIdRole).toLongLong() == 0)
        return nullptr;
    const QPersistentModelIndex at(index.sibling(index.row(), 0));
    auto *menu = new QMenu(parent);
    QAction *img = menu->addAction(tr("Pivot on this parent image"), this, [this, at] { pivotOnParentImage(at); });
    img->setObjectName(QStringLiteral("pivotParentImage"));
    img->setEnabled(!at.data(AncestryTreeModel::ImageRole).toString().isEmpty());
    QAction *acc = menu->addAction(tr("Pivot on this account"), this, [this, at] { pivotOnAccount(at); });
    acc->setObjectName(QStringLiteral("pivotAccount"));
    acc->setEnabled(at.data(AncestryTreeModel::AccountIdRole).toLongLong() > 0);
    menu->addSeparator();
    QAction *ev = menu->addAction(tr("Show this process's events"), this, [this, at] { showProcessEvents(at); });
    ev->setObjectName(QStringLiteral("showProcessEvents"));
    if (m_annotations) {
        const qint64 process = at.data(AncestryTreeModel::ProcessIdRole).toLongLong();
        const qint64 account = at.data(AncestryTreeModel::AccountIdRole).toLongLong();
        QVector<AnnotationRef> refs {{store::TargetKind::Process, QString::number(process),
            tr("process %1").arg(at.data(AncestryTreeModel::ImageRole).toString())}};
        if (account > 0)
            refs.append({store::TargetKind::Account, QString::number(account),
                tr("account %1").arg(at.sibling(at.row(), AncestryTreeModel::Account).data().toString())});
        addAnnotationActions(menu, m_annotations, refs, parent);
    }
    return menu;
}

void ProcessAncestryPanel::pivotOnParentImage(const QModelIndex &index)
{
    // This process as a parent: transfers whose source or executing process it started.
    const QString image = index.data(AncestryTreeModel::ImageRole).toString();
    if (image.isEmpty())
        return;
    FilterState f = m_filters->current();
    if (!f.parentImages.contains(image, Qt::CaseInsensitive))
        f.parentImages << image;
    m_filters->apply(f);
}

void ProcessAncestryPanel::pivotOnAccount(const QModelIndex &index)
{
    const qint64 account = index.data(AncestryTreeModel::AccountIdRole).toLongLong();
    if (account <= 0)
        return;
    FilterState f = m_filters->current();
    f.accounts.insert(account);
    m_filters->apply(f);
}

void ProcessAncestryPanel::showProcessEvents(const QModelIndex &index)
{
    const qint64 process = index.data(AncestryTreeModel::ProcessIdRole).toLongLong();
    if (!process)
        return;
    SelectedEntities s;
    s.kind = SelectedEntities::Kind::Process;
    s.process = process;
    if (const qint64 host = index.data(AncestryTreeModel::HostIdRole).toLongLong())
        s.hosts = {host};
    m_selection->select(s);
}

} // namespace tt
