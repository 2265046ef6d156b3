#include "TransfersDock.h"

#include "IdleWhenHidden.h"

#include "AnnotationActions.h"
#include "PivotActions.h"
#include "TransferExport.h"
#include "WorkerQuery.h"
#include "inference/ConfidenceModel.h"
#include "items/TransferTableModel.h"
#include "workbench/AnnotationController.h"
#include "workbench/FilterHistory.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSaveFile>
#include <QSizePolicy>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>
#include <memory>

namespace tt {

namespace {
const QStringList kMethods {QStringLiteral("smb-admin-share"), QStringLiteral("smb-share"),
    QStringLiteral("psexec-service-binary"), QStringLiteral("rdp-tsclient"), QStringLiteral("scp"),
    QStringLiteral("sftp"), QStringLiteral("rsync"), QStringLiteral("ftp"), QStringLiteral("http"),
    QStringLiteral("cloud-sync"), QStringLiteral("winrm"), QStringLiteral("airdrop"), QStringLiteral("other")};

struct ListResult {
    QVector<qint64> ids;
    std::vector<TransferTableRow> firstPage;
};

AnnotationRef refOf(const TransferTableRow &r)
{
    return {store::TargetKind::Transfer, r.key,
        QStringLiteral("%1 -> %2: %3").arg(r.source.isEmpty() ? r.sourceIp : r.source, r.destination, r.file)};
}

// Runs `then` on the UI thread with the rows of `ids`: at once when their pages are loaded,
// else after a worker read them.
void withRows(TransfersDock *dock, const QString &path, const TransferTableModel *model, const QVector<qint64> &ids,
    std::function<void(const std::vector<TransferTableRow> &)> then)
{
    std::vector<TransferTableRow> rows;
    for (qint64 id : ids) {
        const TransferTableRow *r = model->rowAt(model->rowOfTransfer(id));
        if (!r)
            break;
        rows.push_back(*r);
    }
    if (rows.size() == static_cast<size_t>(ids.size())) {
        then(rows);
        return;
    }
    runCaseQuery<std::vector<TransferTableRow>>(
        dock, path, [ids](store::CaseStore &cs) { return queryTransferTableRows(cs, ids); },
        [then = std::move(then)](std::vector<TransferTableRow> &loaded, const QString &error) {
            if (error.isEmpty())
                then(loaded);
        });
}
} // namespace

TransfersDock::TransfersDock(FilterHistory *filter, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_filter(filter)
    , m_selection(selection)
    , m_status(new QLabel(this))
    , m_text(new QLineEdit(this))
    , m_method(new QComboBox(this))
    , m_executed(new QComboBox(this))
    , m_benign(new QComboBox(this))
    , m_source(new QLineEdit(this))
    , m_destination(new QLineEdit(this))
    , m_account(new QLineEdit(this))
    , m_debounce(new QTimer(this))
    , m_view(new QTableView(this))
    , m_model(new TransferTableModel(this))
{
    m_status->setTextFormat(Qt::PlainText);
    // A long status (a filter of many paths) is cut, never widening the window past the screen.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setObjectName(QStringLiteral("transfersStatus"));
    m_text->setObjectName(QStringLiteral("transfersText"));
    m_text->setPlaceholderText(tr("Filter: file, path, hash, host, account, process"));
    m_text->setClearButtonEnabled(true);
    m_method->setObjectName(QStringLiteral("transfersMethod"));
    m_method->addItem(tr("Any method"), QString());
    for (const QString &m : kMethods)
        m_method->addItem(m, m);
    m_executed->setObjectName(QStringLiteral("transfersExecuted"));
    m_executed->addItem(tr("Executed or not"), -1);
    m_executed->addItem(tr("Executed"), 1);
    m_executed->addItem(tr("Not executed"), 0);
    m_benign->setObjectName(QStringLiteral("transfersBenign"));
    m_benign->addItem(tr("Benign or not"), -1);
    m_benign->addItem(tr("Hide benign-admin"), 0);
    m_benign->addItem(tr("Benign-admin only"), 1);
    const QVector<QPair<QLineEdit *, QString>> edits {
        {m_source, tr("Source")}, {m_destination, tr("Destination")}, {m_account, tr("Account")}};
    for (const auto &[edit, label] : edits) {
        edit->setPlaceholderText(label);
        edit->setClearButtonEnabled(true);
        edit->setMaximumWidth(150);
        connect(edit, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    }
    m_source->setObjectName(QStringLiteral("transfersSource"));
    m_destination->setObjectName(QStringLiteral("transfersDestination"));
    m_account->setObjectName(QStringLiteral("transfersAccount"));
    auto *exportButton = new QToolButton(this);
    exportButton->setObjectName(QStringLiteral("transfersExport"));
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("Selected Rows as CSV..."), this, [this] { chooseExport(ExportFormat::Csv); });
    exportMenu->addAction(tr("Selected Rows as JSON..."), this, [this] { chooseExport(ExportFormat::Json); });
    exportButton->setMenu(exportMenu);

    // The bar never sets the dock's minimum width (the dock shares the bottom area with the evidence):
    // combos and fields shrink, their full text is in the popup / tooltip.
    for (QComboBox *box : {m_method, m_executed, m_benign}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
    }
    for (QLineEdit *edit : {m_text, m_source, m_destination, m_account})
        edit->setMinimumWidth(40);
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_text, 2);
    bar->addWidget(m_method);
    bar->addWidget(m_executed);
    bar->addWidget(m_benign);
    bar->addWidget(m_source, 1);
    bar->addWidget(m_destination, 1);
    bar->addWidget(m_account, 1);
    bar->addWidget(exportButton);

    m_view->setObjectName(QStringLiteral("transfersTable"));
    m_view->setModel(m_model);
    m_model->setConfidenceReasons([](const TransferTableRow &r) {
        QStringList out;
        for (const std::string &why :
            inference::ConfidenceModel::reasons(r.roles, r.srcHostId != 0 || !r.sourceIp.isEmpty()))
            out << QString::fromStdString(why);
        return out;
    });
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionsClickable(true);
    header->setSortIndicatorShown(true);
    header->setSortIndicator(int(TransferColumn::FirstTs), Qt::AscendingOrder);
    header->setStretchLastSection(true);
    const int charW = m_view->fontMetrics().averageCharWidth();
    // Times are never elided: as wide as a time in the widest common form.
    const int timeW = m_view->fontMetrics().horizontalAdvance(QStringLiteral("2026-12-31 23:59:59.999")) + 16;
    header->resizeSection(int(TransferColumn::FirstTs), timeW);
    header->resizeSection(int(TransferColumn::LastTs), timeW);
    for (auto [c, w] : std::initializer_list<std::pair<TransferColumn, int>> {{TransferColumn::Source, 14},
             {TransferColumn::Destination, 14}, {TransferColumn::File, 16}, {TransferColumn::Path, 26},
             {TransferColumn::Hash, 14}, {TransferColumn::Method, 22}, {TransferColumn::Direction, 7},
             {TransferColumn::Account, 18}, {TransferColumn::SourceProcess, 18}, {TransferColumn::Executed, 8},
             {TransferColumn::Confidence, 11}, {TransferColumn::Benign, 8}})
        header->resizeSection(int(c), w * charW + 12);

    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addLayout(bar);
    lay->addWidget(m_status);
    lay->addWidget(m_view, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, [this] {
        readFilterWidgets();
        refresh();
    });
    connect(m_text, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    for (QComboBox *box : {m_method, m_executed, m_benign})
        connect(box, &QComboBox::activated, this, [this] {
            readFilterWidgets();
            refresh();
        });
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this](int section, Qt::SortOrder order) {
        const TransferColumn c = TransferColumn(section);
        const bool desc = order == Qt::DescendingOrder;
        if (c == m_spec.sortColumn && desc == m_spec.descending)
            return;
        const bool flip = c == m_spec.sortColumn && !m_busy && !m_path.isEmpty();
        m_spec.sortColumn = c;
        m_spec.descending = desc;
        if (!flip) {
            // Another column: a permutation of the list shown, by the case's sort keys; while the
            // keys are on their way the sort waits for them (they would beat a SQL sort).
            if (!m_busy && !m_path.isEmpty()) {
                if (sortInMemory())
                    return;
                if (m_keysPending) {
                    ++m_generation; // a list still on its way is stale
                    m_sortWaiting = true;
                    m_busy = true;
                    m_status->setText(tr("Sorting..."));
                    return;
                }
            }
            refresh();
            return;
        }
        // The same column the other way: ties are broken by id in the same direction, so the
        // list is exactly the reverse of the one shown; only the rows in sight are re-read.
        ++m_generation; // a list still on its way is stale
        QVector<qint64> ids = m_model->ids();
        std::reverse(ids.begin(), ids.end());
        {
            const QSignalBlocker block(m_view->selectionModel());
            m_model->setList(std::move(ids));
        }
        onSelection(m_selection->current());
        emit listShown(m_model->totalCount());
    });
    m_idle = new IdleWhenHidden(this, [this] { refresh(); });
    connect(m_filter, &FilterHistory::changed, this, [this] {
        m_spec.filter = m_filter->current();
        if (m_idle->due()) // hidden: the latest filter's list is asked when shown
            refresh();
    });
    connect(m_selection, &Selection::changed, this, &TransfersDock::onSelection);
    connect(m_model, &TransferTableModel::pageNeeded, this, &TransfersDock::fetchPage);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TransfersDock::onRowsPicked);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex at = m_view->indexAt(pos);
        std::unique_ptr<QMenu> menu(at.isValid() ? contextMenuForRow(at.row(), at.column(), this) : nullptr);
        if (menu)
            menu->exec(m_view->viewport()->mapToGlobal(pos));
    });
    m_status->setText(tr("No case open"));
}

TransfersDock::~TransfersDock() = default;

QString TransfersDock::statusText() const
{
    return m_status->text();
}

void TransfersDock::setCase(const QString &path)
{
    m_path = path;
    // New data (or another case): the sort keys are read again after the next list.
    ++m_keysGeneration;
    m_keys.reset();
    m_keysPending = false;
    m_keysTagsVersion = m_tagsVersion;
    m_spec.filter = m_filter->current();
    refresh();
}

void TransfersDock::setAnnotations(AnnotationController *annotations)
{
    m_annotations = annotations;
    m_model->setAnnotations(annotations);
    if (annotations)
        connect(annotations, &AnnotationController::changed, this, [this] {
            ++m_tagsVersion; // the Tags / notes keys are stale: read again (a cheap query) if there are keys
            if (m_keys)
                loadSortKeys();
        });
}

bool TransfersDock::sortInMemory()
{
    const TransferColumn c = m_spec.sortColumn;
    if (!m_keys || !m_keys->has(c) || (c == TransferColumn::Tags && m_keysTagsVersion != m_tagsVersion))
        return false;
    ++m_generation; // a list still on its way is stale
    QVector<qint64> ids = sortTransferIds(*m_keys, m_model->ids(), c, m_spec.descending);
    {
        const QSignalBlocker block(m_view->selectionModel());
        m_model->setList(std::move(ids)); // rows of the new order are read lazily, page by page
    }
    onSelection(m_selection->current());
    emit listShown(m_model->totalCount());
    return true;
}

void TransfersDock::loadSortKeys()
{
    if (m_path.isEmpty() || m_keysPending)
        return;
    m_keysPending = true;
    const quint64 gen = m_keysGeneration;
    const quint64 tags = m_tagsVersion;
    std::shared_ptr<const TransferSortKeys> reuse = m_keys; // only the Tags / notes column is read again
    runCaseQuery<std::shared_ptr<const TransferSortKeys>>(
        this, m_path,
        [reuse](store::CaseStore &cs) {
            return std::make_shared<const TransferSortKeys>(readTransferSortKeys(cs, reuse.get()));
        },
        [this, gen, tags](std::shared_ptr<const TransferSortKeys> &keys, const QString &error) {
            if (gen != m_keysGeneration)
                return; // keys of older data
            m_keysPending = false;
            if (error.isEmpty()) {
                m_keys = std::move(keys);
                m_keysTagsVersion = tags;
            }
            if (m_sortWaiting) {
                m_sortWaiting = false;
                m_busy = false;
                if (!sortInMemory())
                    refresh();
            } else if (error.isEmpty() && m_keysTagsVersion != m_tagsVersion) {
                loadSortKeys(); // annotations changed while these were read
            }
        });
}

void TransfersDock::readFilterWidgets()
{
    m_spec.text = m_text->text().trimmed();
    m_spec.method = m_method->currentData().toString();
    m_spec.executed = m_executed->currentData().toInt();
    m_spec.benign = m_benign->currentData().toInt();
    m_spec.source = m_source->text().trimmed();
    m_spec.destination = m_destination->text().trimmed();
    m_spec.account = m_account->text().trimmed();
}

void TransfersDock::setTextFilter(const QString &text)
{
    const QSignalBlocker block(m_text);
    m_text->setText(text);
    m_debounce->stop();
    readFilterWidgets();
    refresh();
}

void TransfersDock::setColumnFilter(TransferColumn column, const QString &value)
{
    switch (column) {
    case TransferColumn::Method: {
        const int i = m_method->findData(value);
        m_method->setCurrentIndex(i < 0 ? 0 : i);
        break;
    }
    case TransferColumn::Executed:
        m_executed->setCurrentIndex(value.isEmpty() ? 0 : value == QLatin1String("1") ? 1 : 2);
        break;
    case TransferColumn::Source:
    case TransferColumn::Destination:
    case TransferColumn::Account: {
        QLineEdit *e = column == TransferColumn::Source ? m_source
            : column == TransferColumn::Destination     ? m_destination
                                                        : m_account;
        const QSignalBlocker block(e);
        e->setText(value);
        break;
    }
    default:
        return;
    }
    m_debounce->stop();
    readFilterWidgets();
    refresh();
}

void TransfersDock::sortBy(TransferColumn column, Qt::SortOrder order)
{
    m_view->horizontalHeader()->setSortIndicator(int(column), order); // re-queries through the signal
}

void TransfersDock::refresh()
{
    const quint64 gen = ++m_generation;
    if (m_path.isEmpty()) {
        m_model->clear();
        m_status->setText(tr("No case open"));
        return;
    }
    m_busy = true;
    m_sortWaiting = false; // this list comes sorted
    m_status->setText(tr("Loading..."));
    const TransferTableSpec spec = m_spec;
    const bool tagsStale = m_keysTagsVersion != m_tagsVersion;
    std::shared_ptr<const TransferSortKeys> keys
        = spec.sortColumn == TransferColumn::Tags && tagsStale ? nullptr : m_keys;
    runCaseQuery<ListResult>(
        this, m_path, m_queries.next(),
        [spec, keys](store::CaseStore &cs) {
            ListResult r;
            r.ids = queryTransferTableIds(cs, spec, keys.get());
            r.firstPage = queryTransferTableRows(cs, r.ids.mid(0, TransferTableModel::kPageSize));
            return r;
        },
        [this, gen](ListResult &r, const QString &error) {
            if (gen != m_generation)
                return; // the filter, sort or case moved on
            m_busy = false;
            if (!error.isEmpty()) {
                m_model->clear();
                m_status->setText(tr("Cannot read the case: %1").arg(error));
                emit listShown(0);
                return;
            }
            {
                const QSignalBlocker block(m_view->selectionModel());
                m_model->setList(std::move(r.ids), std::move(r.firstPage));
            }
            onSelection(m_selection->current());
            emit listShown(m_model->totalCount());
            emit updated();
            if (!m_keys || m_keysTagsVersion != m_tagsVersion)
                loadSortKeys(); // in the background: the next sort is then a permutation in memory
        });
}

void TransfersDock::fetchPage(quint64 modelGeneration, int page, const QVector<qint64> &ids)
{
    if (m_path.isEmpty() || modelGeneration != m_model->generation())
        return;
    runCaseQuery<std::vector<TransferTableRow>>(
        this, m_path, [ids](store::CaseStore &cs) { return queryTransferTableRows(cs, ids); },
        [this, modelGeneration, page](std::vector<TransferTableRow> &rows, const QString &) {
            m_model->setPage(modelGeneration, page, std::move(rows)); // drops pages of an older list
            emit updated();
        });
}

void TransfersDock::onSelection(const SelectedEntities &s)
{
    if (m_picking)
        return;
    using K = SelectedEntities::Kind;
    applySelection(s.kind == K::Edge || s.kind == K::Transfer || s.kind == K::Event ? s.transfers : QVector<qint64> {});
}

void TransfersDock::applySelection(const QVector<qint64> &transfers)
{
    m_applying = true;
    QItemSelection sel;
    int first = -1;
    m_hiddenSelected = 0;
    int last = -1;
    for (qint64 id : transfers) {
        const int row = m_model->rowOfTransfer(id);
        if (row < 0) {
            ++m_hiddenSelected;
            continue;
        }
        last = std::max(last, row);
        if (first < 0)
            first = row;
    }
    m_model->revealThrough(last);
    for (qint64 id : transfers)
        if (const int row = m_model->rowOfTransfer(id); row >= 0)
            sel.select(m_model->index(row, 0), m_model->index(row, m_model->columnCount() - 1));
    m_view->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
    if (first >= 0) {
        m_view->selectionModel()->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
        m_view->scrollTo(m_model->index(first, 0));
    }
    QString status = tr("%n transfer(s)", nullptr, m_model->totalCount());
    if (!transfers.isEmpty())
        status += tr(", %n selected", nullptr, static_cast<int>(transfers.size() - m_hiddenSelected));
    if (m_hiddenSelected > 0)
        status += tr(" (%n more hidden by the table's filters)", nullptr, m_hiddenSelected);
    m_status->setText(status);
    m_applying = false;
}

QVector<qint64> TransfersDock::selectedTransfers() const
{
    QVector<qint64> out;
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (current.isValid() && m_view->selectionModel()->isRowSelected(current.row(), {}))
        out << m_model->transferAt(current.row());
    for (const QModelIndex &i : rows)
        if (const qint64 id = m_model->transferAt(i.row()); !out.contains(id))
            out << id;
    return out;
}

void TransfersDock::onRowsPicked()
{
    if (m_applying)
        return;
    const QVector<qint64> ids = selectedTransfers();
    if (ids.isEmpty())
        return;
    SelectedEntities s;
    s.kind = SelectedEntities::Kind::Transfer;
    s.transfers = ids;
    m_picking = true;
    m_selection->select(s);
    m_picking = false;
    m_status->setText(tr("%n transfer(s)", nullptr, m_model->totalCount())
        + tr(", %n selected", nullptr, static_cast<int>(ids.size())));
}

bool TransfersDock::tagSelected(int64_t tagId)
{
    if (!m_annotations || !m_annotations->writable())
        return false;
    QPointer<AnnotationController> c(m_annotations);
    withRows(this, m_path, m_model, selectedTransfers(), [c, tagId](const std::vector<TransferTableRow> &rows) {
        if (!c)
            return;
        c->undoStack()->beginMacro(tr("Tag %n transfer(s)", nullptr, static_cast<int>(rows.size())));
        for (const TransferTableRow &r : rows) {
            const auto a = c->find(store::TargetKind::Transfer, r.key);
            const bool has = a && std::find(a->tagIds.begin(), a->tagIds.end(), tagId) != a->tagIds.end();
            if (!r.key.isEmpty() && !has)
                c->toggleTag(refOf(r), tagId); // each one its own committed write
        }
        c->undoStack()->endMacro();
    });
    return true;
}

bool TransfersDock::bookmarkSelected(bool on)
{
    if (!m_annotations || !m_annotations->writable())
        return false;
    QPointer<AnnotationController> c(m_annotations);
    withRows(this, m_path, m_model, selectedTransfers(), [c, on](const std::vector<TransferTableRow> &rows) {
        if (!c)
            return;
        c->undoStack()->beginMacro(on ? tr("Bookmark %n transfer(s)", nullptr, static_cast<int>(rows.size()))
                                      : tr("Remove %n bookmark(s)", nullptr, static_cast<int>(rows.size())));
        for (const TransferTableRow &r : rows) {
            const auto a = c->find(store::TargetKind::Transfer, r.key);
            if (!r.key.isEmpty() && (a && a->bookmarked) != on)
                c->toggleBookmark(refOf(r));
        }
        c->undoStack()->endMacro();
    });
    return true;
}

void TransfersDock::exportSelected(const QString &path, ExportFormat format)
{
    const QVector<qint64> ids = selectedTransfers();
    if (m_path.isEmpty() || ids.isEmpty()) {
        emit exported(path, tr("No rows selected"));
        return;
    }
    runCaseQuery<QByteArray>(
        this, m_path,
        [ids, format](store::CaseStore &cs) {
            const auto rows = exporting::queryExportTransfersById(cs, ids, true);
            return format == ExportFormat::Csv ? exporting::transfersCsv(rows) : exporting::transfersJson(rows);
        },
        [this, path](QByteArray &bytes, const QString &error) {
            if (!error.isEmpty()) {
                emit exported(path, error);
                return;
            }
            QSaveFile f(path);
            const bool ok = f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit();
            emit exported(path, ok ? QString() : tr("Cannot write %1").arg(path));
        });
}

void TransfersDock::chooseExport(ExportFormat format)
{
    if (selectedTransfers().isEmpty()) {
        m_status->setText(tr("Select the rows to export first"));
        return;
    }
    const bool csv = format == ExportFormat::Csv;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Selected Transfers"), QString(), csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    const QString suffix = csv ? QStringLiteral(".csv") : QStringLiteral(".json");
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        path += suffix;
    connect(
        this, &TransfersDock::exported, this,
        [this](const QString &p, const QString &error) {
            m_status->setText(error.isEmpty() ? tr("Exported to %1").arg(p) : error);
        },
        Qt::SingleShotConnection);
    exportSelected(path, format);
}

QMenu *TransfersDock::contextMenuForRow(int row, int column, QWidget *parent)
{
    const TransferTableRow *r = m_model->rowAt(row);
    if (!r)
        return nullptr;
    if (!m_view->selectionModel()->isRowSelected(row, {}))
        m_view->selectRow(row);
    auto *menu = new QMenu(parent);
    const qint64 id = r->id;
    QAction *spread = menu->addAction(tr("Show Tool Spread"), this, [this, id] { emit spreadRequested(id); });
    spread->setObjectName(QStringLiteral("showSpread"));

    // Narrow the table to this cell's value (the column filters).
    const auto col = TransferColumn(column);
    QString value;
    switch (col) {
    case TransferColumn::Method:
        value = r->method;
        break;
    case TransferColumn::Source:
        value = r->source.isEmpty() ? r->sourceIp : r->source;
        break;
    case TransferColumn::Destination:
        value = r->destination;
        break;
    case TransferColumn::Account:
        value = r->account;
        break;
    case TransferColumn::Executed:
        value = r->executed ? QStringLiteral("1") : QStringLiteral("0");
        break;
    default:
        break;
    }
    if (!value.isEmpty()) {
        const QString header = m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        const QString shown = col == TransferColumn::Executed
            ? m_model->data(m_model->index(row, column), Qt::DisplayRole).toString()
            : TransferTableModel::cellText(value);
        QAction *a = menu->addAction(tr("Only %1 = %2").arg(header, menuSafeText(shown, 60)), this,
            [this, col, value] { setColumnFilter(col, value); });
        a->setObjectName(QStringLiteral("filterColumn"));
    }
    menu->addSeparator();
    PivotTarget t;
    if (r->srcHostId > 0)
        t.hosts.append({r->srcHostId, r->source});
    t.hosts.append({r->dstHostId, r->destination});
    t.accountId = r->accountId;
    t.account = r->account;
    t.method = r->method;
    t.fileName = r->file;
    t.ts = r->firstTs;
    addPivotActions(menu, t, m_filter);

    const QVector<qint64> selected = selectedTransfers();
    if (m_annotations && selected.size() > 1) {
        menu->addSeparator();
        const int n = static_cast<int>(selected.size());
        QAction *bm = menu->addAction(tr("Bookmark %n Selected", nullptr, n), this, [this] { bookmarkSelected(true); });
        bm->setObjectName(QStringLiteral("bookmarkSelected"));
        QAction *unbm
            = menu->addAction(tr("Remove %n Bookmark(s)", nullptr, n), this, [this] { bookmarkSelected(false); });
        unbm->setObjectName(QStringLiteral("unbookmarkSelected"));
        QMenu *tags = menu->addMenu(tr("Tag %n Selected", nullptr, n));
        for (const store::Tag &tag : m_annotations->tags()) {
            QAction *a = tags->addAction(
                menuSafeText(QString::fromStdString(tag.name), 60), this, [this, id = tag.id] { tagSelected(id); });
            a->setObjectName(QStringLiteral("tagSelected:") + QString::fromStdString(tag.name));
        }
        for (QAction *a : {bm, unbm})
            a->setEnabled(m_annotations->writable());
        tags->setEnabled(m_annotations->writable());
    } else if (m_annotations) {
        addAnnotationActions(menu, m_annotations, {refOf(*r)}, this);
    }
    menu->addSeparator();
    menu->addAction(tr("Export Selected as CSV..."), this, [this] { chooseExport(ExportFormat::Csv); });
    menu->addAction(tr("Export Selected as JSON..."), this, [this] { chooseExport(ExportFormat::Json); });
    return menu;
}

} // namespace tt
