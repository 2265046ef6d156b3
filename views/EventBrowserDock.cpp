#include "EventBrowserDock.h"

#include "WorkerQuery.h"
#include "items/EventBrowserModel.h"
#include "query/EventSearchIndexer.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QIntValidator>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QScrollBar>
#include <QSizePolicy>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace tt {

EventBrowserDock::EventBrowserDock(FilterHistory *filters, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_filters(filters)
    , m_selection(selection)
    , m_search(new QLineEdit(this))
    , m_channel(new QComboBox(this))
    , m_eventId(new QLineEdit(this))
    , m_methodRelevant(new QCheckBox(tr("Method-relevant only"), this))
    , m_status(new QLabel(this))
    , m_view(new QTableView(this))
    , m_model(new EventBrowserModel(this))
{
    m_search->setObjectName(QStringLiteral("eventSearch"));
    m_search->setPlaceholderText(tr("Search events (substrings of paths, command lines, hosts, accounts...)"));
    m_search->setClearButtonEnabled(true);
    m_channel->setObjectName(QStringLiteral("eventChannel"));
    m_channel->addItem(tr("All channels"), QString());
    m_channel->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_channel->setMinimumContentsLength(18);
    m_eventId->setObjectName(QStringLiteral("eventIdFilter"));
    m_eventId->setPlaceholderText(tr("Event ID"));
    m_eventId->setValidator(new QIntValidator(0, 1 << 30, m_eventId));
    m_eventId->setMaximumWidth(90);
    m_methodRelevant->setObjectName(QStringLiteral("methodRelevant"));
    m_methodRelevant->setToolTip(tr("Only the evidence of the transfers in view (methods, confidence and parent "
                                    "images of the filter apply)"));
    m_status->setObjectName(QStringLiteral("eventBrowserStatus"));
    m_status->setTextFormat(Qt::PlainText);
    // A long status (a filter of many paths) is cut, never widening the window past the screen.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_view->setObjectName(QStringLiteral("eventTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(EventBrowserModel::Time, 190);
    m_view->horizontalHeader()->resizeSection(EventBrowserModel::Channel, 200);
    m_view->horizontalHeader()->resizeSection(EventBrowserModel::EventId, 70);
    m_view->horizontalHeader()->resizeSection(EventBrowserModel::Process, 220);
    m_view->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        std::unique_ptr<QMenu> menu(columnMenu(this));
        menu->exec(m_view->horizontalHeader()->mapToGlobal(pos));
    });

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_channel);
    bar->addWidget(m_eventId);
    bar->addWidget(m_methodRelevant);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addLayout(bar);
    lay->addWidget(m_status);
    lay->addWidget(m_view, 1);

    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(m_search, &QLineEdit::textEdited, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, &EventBrowserDock::reload);
    connect(m_search, &QLineEdit::returnPressed, this, &EventBrowserDock::reload);
    connect(m_eventId, &QLineEdit::editingFinished, this, &EventBrowserDock::reload);
    connect(m_channel, &QComboBox::activated, this, &EventBrowserDock::reload);
    connect(m_methodRelevant, &QCheckBox::toggled, this, &EventBrowserDock::reload);
    connect(m_filters, &FilterHistory::changed, this, &EventBrowserDock::onFilterChanged);
    connect(m_model, &EventBrowserModel::morePagesNeeded, this, &EventBrowserDock::fetchNext);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            pickRow(rows.first());
    });
    connect(m_view, &QTableView::clicked, this, &EventBrowserDock::pickRow);
    m_filter = m_filters->current();
    m_pagePool.setMaxThreadCount(1);
    m_indexPool.setMaxThreadCount(1);
    updateStatus();
}

EventBrowserDock::~EventBrowserDock()
{
    if (m_cancel)
        m_cancel->store(true);
    if (m_indexCancel)
        m_indexCancel->store(true);
}

void EventBrowserDock::stopIndexing()
{
    if (m_indexCancel)
        m_indexCancel->store(true);
    m_indexCancel.reset();
    m_indexing = false;
    updateStatus();
}

void EventBrowserDock::setCase(const QString &path, bool writable)
{
    stopIndexing();
    m_path = path;
    m_writable = writable;
    m_filter = m_filters->current();
    loadChannels();
    reload();
    if (!path.isEmpty())
        startIndexing();
}

QString EventBrowserDock::statusText() const
{
    return m_status->text();
}

void EventBrowserDock::setSearch(const QString &text)
{
    m_search->setText(text);
    reload();
}

void EventBrowserDock::setChannel(const QString &channel)
{
    int at = m_channel->findData(channel);
    if (at < 0) {
        m_channel->addItem(channel, channel);
        at = m_channel->count() - 1;
    }
    m_channel->setCurrentIndex(at);
    reload();
}

void EventBrowserDock::setEventId(int eventId)
{
    m_eventId->setText(eventId < 0 ? QString() : QString::number(eventId));
    reload();
}

void EventBrowserDock::setMethodRelevant(bool on)
{
    if (m_methodRelevant->isChecked() == on)
        reload();
    else
        m_methodRelevant->setChecked(on); // toggled() reloads
}

void EventBrowserDock::addPayloadColumn(const QString &name)
{
    const QString n = name.trimmed();
    if (n.isEmpty() || m_model->payloadColumns().contains(n, Qt::CaseInsensitive))
        return;
    QStringList cols = m_model->payloadColumns();
    cols << n;
    m_model->reset(cols);
    reload();
}

void EventBrowserDock::removePayloadColumn(const QString &name)
{
    QStringList cols = m_model->payloadColumns();
    if (cols.removeAll(name) == 0)
        return;
    m_model->reset(cols);
    reload();
}

QMenu *EventBrowserDock::columnMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *a = menu->addAction(m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        a->setCheckable(true);
        a->setChecked(!m_view->isColumnHidden(c));
        a->setObjectName(QStringLiteral("column%1").arg(c));
        connect(a, &QAction::toggled, this, [this, c](bool on) { m_view->setColumnHidden(c, !on); });
    }
    menu->addSeparator();
    menu->addAction(tr("Add Payload Field..."), this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Add Payload Field"),
            tr("Field name (as in Details, e.g. TargetFilename, ParentCommandLine):"), QLineEdit::Normal, QString(),
            &ok);
        if (ok)
            addPayloadColumn(name);
    });
    for (const QString &name : m_model->payloadColumns()) {
        QString label = name;
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        menu->addAction(tr("Remove Field %1").arg(label), this, [this, name] { removePayloadColumn(name); });
    }
    return menu;
}

void EventBrowserDock::onFilterChanged(const FilterState &f)
{
    const bool newWindow = f.hasTimeWindow() && (f.fromUs != m_filter.fromUs || f.toUs != m_filter.toUs);
    const bool newText = f.text != m_filter.text;
    m_filter = f;
    if (newText)
        m_search->setText(f.text); // the pivot bar's text is searched here
    reload();
    if (newWindow || (newText && !f.text.isEmpty()))
        emit attentionWanted();
}

void EventBrowserDock::reload()
{
    if (m_cancel && m_model->loading()) {
        m_cancel->store(true); // the query it supersedes stops (progress handler)
        ++m_cancelled;
    }
    m_cancel.reset();
    m_pageNote.clear();
    m_error.clear();
    m_unindexed = 0;
    m_nothingToSearch = false;
    const quint64 gen = m_model->reset(m_model->payloadColumns());
    if (m_path.isEmpty()) {
        EventPage none;
        none.atEnd = true;
        m_model->appendPage(gen, none);
        updateStatus();
        return;
    }
    m_model->setLoading(true);
    fetchNext(gen);
}

void EventBrowserDock::fetchNext(quint64 generation)
{
    if (generation != m_model->generation() || m_path.isEmpty())
        return;
    if (m_model->rowCount() > 0 && !m_view->isVisible()) {
        // A hidden table has no viewport to fill and would ask for page after page: the next
        // page waits until the table is shown and scrolled.
        m_model->setLoading(false);
        return;
    }
    EventBrowserScope scope;
    scope.filter = m_filter;
    scope.filter.text.clear();
    scope.channel = m_channel->currentData().toString();
    bool ok = false;
    const int id = m_eventId->text().trimmed().toInt(&ok);
    scope.eventId = ok ? id : -1;
    scope.methodRelevant = m_methodRelevant->isChecked();
    scope.search = m_search->text().trimmed();
    scope.payloadColumns = m_model->payloadColumns();
    const EventCursor cursor = m_model->cursor();
    if (!m_cancel)
        m_cancel = sql::makeCancelFlag();
    const sql::CancelFlag cancel = m_cancel;
    m_model->setLoading(true);
    updateStatus();
    runCaseQueryOn<EventPage>(
        &m_pagePool, this, m_path, {},
        [scope, cursor, cancel](
            store::CaseStore &cs) { return queryEventPage(cs, scope, cursor, kEventPageSize, cancel); },
        [this, generation](EventPage &page, const QString &error) { applyPage(generation, page, error); });
}

void EventBrowserDock::applyPage(quint64 generation, EventPage &page, const QString &error)
{
    if (page.interrupted)
        ++m_interrupted;
    if (generation != m_model->generation())
        return; // superseded
    if (!error.isEmpty())
        page.error = error;
    if (!page.error.isEmpty())
        m_error = page.error;
    if (!page.note.isEmpty())
        m_pageNote = page.note;
    if (page.unindexed > 0)
        m_unindexed = page.unindexed;
    m_nothingToSearch = page.nothingToSearch;
    m_model->appendPage(generation, page);
    updateStatus();
    emit pageShown();
    // A page that does not fill the view: the view asks for more only when it scrolls.
    if (!m_model->atEnd() && m_view->verticalScrollBar() && m_view->isVisible()
        && m_view->verticalScrollBar()->maximum() == 0)
        fetchNext(generation);
}

void EventBrowserDock::updateStatus()
{
    if (m_path.isEmpty()) {
        m_status->setText(tr("No case open"));
        return;
    }
    QStringList parts;
    if (!m_error.isEmpty()) {
        parts << tr("Cannot read the case: %1").arg(m_error);
    } else if (m_nothingToSearch) {
        parts << tr("Type at least three characters to search");
    } else {
        const QString n = QLocale().toString(m_model->rowCount());
        if (m_model->loading() && m_model->rowCount() == 0)
            parts << tr("Loading...");
        else if (m_model->atEnd())
            parts << (m_model->rowCount() == 0 ? tr("No events match") : tr("%1 events").arg(n));
        else
            parts << tr("%1 events shown, more as you scroll").arg(n);
    }
    if (!m_pageNote.isEmpty())
        parts << m_pageNote;
    if (m_indexing && m_indexTotal > 0)
        parts << tr("indexing for search: %1 %").arg(100 * m_indexDone / m_indexTotal);
    else if (m_unindexed > 0)
        parts << tr("%1 events not in the search index yet%2")
                     .arg(QLocale().toString(static_cast<qlonglong>(m_unindexed)),
                         m_writable ? QString() : tr(" (the case is read-only)"));
    m_status->setText(parts.join(QStringLiteral("; ")));
}

void EventBrowserDock::loadChannels()
{
    const uint64_t gen = ++m_channelGeneration;
    const QString current = m_channel->currentData().toString();
    if (m_path.isEmpty())
        return;
    runCaseQuery<QStringList>(
        this, m_path, [](store::CaseStore &cs) { return queryEventChannels(cs); },
        [this, gen, current](QStringList &channels, const QString &) {
            if (gen != m_channelGeneration)
                return;
            m_channel->clear();
            m_channel->addItem(tr("All channels"), QString());
            for (const QString &c : channels)
                m_channel->addItem(c, c);
            const int at = m_channel->findData(current);
            m_channel->setCurrentIndex(at < 0 ? 0 : at);
        });
}

void EventBrowserDock::startIndexing()
{
    if (!m_writable || m_path.isEmpty())
        return;
    m_indexCancel = sql::makeCancelFlag();
    const sql::CancelFlag cancel = m_indexCancel;
    m_indexing = true;
    m_indexDone = m_indexTotal = 0;
    QPointer<EventBrowserDock> guard(this);
    const QString path = m_path;
    // A connection of its own that may write; batches are short transactions, so the session's
    // annotation edits wait at most one batch (busy timeout).
    m_indexPool.start([guard, path, cancel] {
        SearchIndexBuild result;
        try {
            auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
            if (cs->readOnly())
                result.error = QString::fromStdString(cs->readOnlyReason());
            else
                result = buildSearchIndex(*cs, cancel.get(), [guard, cancel](int64_t done, int64_t total) {
                    QMetaObject::invokeMethod(
                        QCoreApplication::instance(),
                        [guard, cancel, done, total] {
                            if (guard && guard->m_indexCancel == cancel) {
                                guard->m_indexDone = done;
                                guard->m_indexTotal = total;
                                guard->updateStatus();
                            }
                        },
                        Qt::QueuedConnection);
                });
        } catch (const std::exception &e) {
            result.error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, cancel, result] {
                if (!guard || guard->m_indexCancel != cancel)
                    return;
                guard->m_indexing = false;
                if (!result.error.isEmpty())
                    guard->m_pageNote = tr("search index: %1").arg(result.error);
                if (result.indexed > 0 && !guard->m_search->text().trimmed().isEmpty())
                    guard->reload(); // the search now sees every event
                else
                    guard->updateStatus();
                emit guard->indexFinished();
            },
            Qt::QueuedConnection);
    });
}

void EventBrowserDock::pickRow(const QModelIndex &index)
{
    const EventBrowserRow *r = m_model->rowAt(index.row());
    if (!r)
        return;
    SelectedEntities s;
    s.kind = SelectedEntities::Kind::Event;
    s.events = {r->id};
    m_selection->select(s);
}

} // namespace tt
