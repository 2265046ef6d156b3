#include "EvidenceTableView.h"

#include "IdleWhenHidden.h"

#include "AnnotationActions.h"
#include "PivotActions.h"

#include "WorkerQuery.h"
#include "items/EvidenceTableModel.h"
#include "workbench/FilterHistory.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace tt {

EvidenceTableView::EvidenceTableView(FilterHistory *filters, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_filters(filters)
    , m_selection(selection)
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
    , m_model(new EvidenceTableModel(this))
{
    m_status->setTextFormat(Qt::PlainText);
    m_status->setObjectName(QStringLiteral("evidenceStatus"));
    m_view->setObjectName(QStringLiteral("evidenceTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(EvidenceTableModel::Time, 170);
    m_view->horizontalHeader()->resizeSection(EvidenceTableModel::Channel, 200);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_status);
    lay->addWidget(m_view, 1);

    connect(m_selection, &Selection::changed, this, &EvidenceTableView::onSelection);
    connect(m_filters, &FilterHistory::changed, this, &EvidenceTableView::onFilterChanged);
    connect(m_model, &EvidenceTableModel::pageNeeded, this, &EvidenceTableView::fetchPage);
    // Keyboard and mouse alike: the selected row is the picked event (not the current index,
    // which a view sets on focus by itself); a click on the selected row picks it again after
    // the selection moved elsewhere.
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            pickRow(rows.first());
    });
    connect(m_view, &QTableView::clicked, this, &EvidenceTableView::pickRow);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex at = m_view->indexAt(pos);
        if (!at.isValid())
            return;
        std::unique_ptr<QMenu> menu(contextMenuForRow(at.row(), this));
        if (menu)
            menu->exec(m_view->viewport()->mapToGlobal(pos));
    });
    m_status->setText(tr("No case open"));
}

EvidenceTableView::~EvidenceTableView() = default;

QMenu *EvidenceTableView::contextMenuForRow(int row, QWidget *parent)
{
    const EvidenceKey *key = m_model->keyAt(row);
    if (!key)
        return nullptr;
    auto *menu = new QMenu(parent);
    const qint64 transfer = key->transferId;
    if (transfer > 0) {
        QAction *a = menu->addAction(tr("Select this transfer"), this, [this, transfer] {
            SelectedEntities s;
            s.kind = SelectedEntities::Kind::Transfer;
            s.transfers = {transfer};
            m_selection->select(s);
        });
        a->setObjectName(QStringLiteral("selectTransfer"));
        menu->addAction(tr("Show Tool Spread of This File"), this, [this, transfer] { emit spreadRequested(transfer); })
            ->setObjectName(QStringLiteral("showSpread"));
        menu->addSeparator();
    }
    PivotTarget t;
    t.ts = key->ts;
    if (const EvidenceDetail *d = m_model->detailAt(row)) {
        if (d->hostId > 0)
            t.hosts.append({d->hostId, d->host});
        t.accountId = d->accountId;
        t.account = d->account;
        if (!d->parentImage.isEmpty())
            t.parentImages << d->parentImage;
        if (!d->image.isEmpty() && d->image.compare(d->parentImage, Qt::CaseInsensitive) != 0)
            t.parentImages << d->image; // the process as the parent of what it started
    }
    addPivotActions(menu, t, m_filters);
    if (m_annotations) {
        const EvidenceDetail *d = m_model->detailAt(row);
        const QString label = d
            ? tr("%1 %2 #%3 on %4").arg(d->channel, QString::number(d->eventId), QString::number(key->event), d->host)
            : tr("event #%1").arg(key->event);
        addAnnotationActions(
            menu, m_annotations, {AnnotationRef {store::TargetKind::Event, QString::number(key->event), label}}, this);
    }
    return menu;
}

void EvidenceTableView::setAnnotations(AnnotationController *annotations)
{
    m_annotations = annotations;
    if (!annotations) {
        m_model->setAnnotationColors({});
        return;
    }
    auto sync = [this] {
        QHash<qint64, QColor> colors;
        const QHash<QString, QColor> byKey = m_annotations->badgeColors(store::TargetKind::Event);
        for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
            colors.insert(it.key().toLongLong(), it.value());
        m_model->setAnnotationColors(colors);
    };
    connect(annotations, &AnnotationController::changed, this, sync);
    sync();
}

QString EvidenceTableView::statusText() const
{
    return m_status->text();
}

void EvidenceTableView::setCase(const QString &path)
{
    m_path = path;
    onSelection(m_selection->current());
}

void EvidenceTableView::onSelection(const SelectedEntities &s)
{
    using K = SelectedEntities::Kind;
    EvidenceScope scope;
    switch (s.kind) {
    case K::Event:
        return; // most likely picked here: keep the list it was picked from
    case K::Edge:
    case K::Transfer:
        scope.kind = EvidenceScope::Kind::Transfers;
        scope.transfers = s.transfers;
        break;
    case K::Host:
        if (!s.hosts.isEmpty()) {
            scope.kind = EvidenceScope::Kind::Host;
            scope.host = s.hosts.first();
        }
        break;
    case K::Process:
        scope.kind = EvidenceScope::Kind::Process;
        scope.process = s.process;
        break;
    case K::None:
        break;
    }
    // A picked edge or transfer shows all its evidence (a faded timeline marker outside the time
    // window included); a pivot made afterwards narrows it (onFilterChanged).
    if (scope.kind != EvidenceScope::Kind::Transfers)
        scope.filter = m_filters->current();
    m_scope = scope;
    reload();
}

void EvidenceTableView::onFilterChanged()
{
    // A host's list and a picked edge's or transfer's follow the filter: rows of transfers a
    // pivot has filtered out go. A process's own events do not depend on it.
    if (m_scope.kind != EvidenceScope::Kind::Host && m_scope.kind != EvidenceScope::Kind::Transfers)
        return;
    m_scope.filter = m_filters->current();
    if (!m_idle)
        m_idle = new IdleWhenHidden(this, [this] { reload(); });
    if (m_idle->due()) // hidden: the latest filter's rows are read when shown
        reload();
}

void EvidenceTableView::reload()
{
    const uint64_t gen = ++m_generation;
    if (m_path.isEmpty() || m_scope.kind == EvidenceScope::Kind::None) {
        m_model->clear();
        m_status->setText(
            m_path.isEmpty() ? tr("No case open") : tr("Select an edge, a transfer, a host or a process"));
        return;
    }
    m_status->setText(tr("Loading..."));
    const EvidenceScope scope = m_scope;
    runCaseQuery<EvidenceList>(
        this, m_path, m_queries.next(), [scope](store::CaseStore &cs) { return queryEvidence(cs, scope); },
        [this, gen](EvidenceList &list, const QString &error) {
            if (gen != m_generation)
                return; // the selection moved on
            const QString err = error.isEmpty() ? list.error : error;
            m_model->setRows(std::move(list.rows));
            if (!err.isEmpty()) {
                m_status->setText(tr("Cannot read the case: %1").arg(err));
            } else if (m_model->rowCount() == 0) {
                m_status->setText(emptyReason());
            } else {
                QString text = tr("%1 rows").arg(QLocale().toString(m_model->rowCount()));
                if (list.capped)
                    text += tr(" (first %1 only)").arg(QLocale().toString(kMaxEvidenceRows));
                m_status->setText(text);
            }
            m_model->requestPage(0); // prefetch what the view shows first
            emit updated();
        });
}

QString EvidenceTableView::emptyReason() const
{
    const bool filtered = !m_scope.filter.isEmpty();
    switch (m_scope.kind) {
    case EvidenceScope::Kind::Transfers:
        return filtered ? tr("No rows: the current filter leaves none of the selected transfers (clear or go back "
                             "to see them)")
                        : tr("No evidence events are recorded for the selected transfers");
    case EvidenceScope::Kind::Host:
        return filtered ? tr("No rows: this host has no transfers under the current filter")
                        : tr("No rows: this host has no transfers (its events are on the timeline)");
    case EvidenceScope::Kind::Process:
        return tr("No events are recorded for this process");
    case EvidenceScope::Kind::None:
        break;
    }
    return QString();
}

void EvidenceTableView::fetchPage(quint64 modelGeneration, int page, const QVector<qint64> &eventIds)
{
    if (m_path.isEmpty() || modelGeneration != m_model->generation())
        return;
    runCaseQuery<std::vector<EvidenceDetail>>(
        this, m_path, [eventIds](store::CaseStore &cs) { return queryEvidenceDetails(cs, eventIds); },
        [this, modelGeneration, page](std::vector<EvidenceDetail> &details, const QString &) {
            m_model->setPage(modelGeneration, page, details); // drops windows of an older list
            emit updated();
        });
}

void EvidenceTableView::pickRow(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    SelectedEntities s;
    s.kind = SelectedEntities::Kind::Event;
    s.events = {m_model->eventAt(index.row())};
    if (const qint64 t = m_model->transferAt(index.row()))
        s.transfers = {t};
    m_selection->select(s);
}

} // namespace tt
