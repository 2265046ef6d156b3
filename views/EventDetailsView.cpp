#include "EventDetailsView.h"

#include "WorkerQuery.h"
#include "items/EventDetailsModel.h"
#include "items/TimeFormat.h"
#include "query/AncestryQuery.h"

#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace tt {

EventDetailsView::EventDetailsView(FilterHistory *filters, Selection *selection, QWidget *parent)
    : QWidget(parent)
    , m_filters(filters)
    , m_selection(selection)
    , m_header(new QLabel(this))
    , m_view(new QTableView(this))
    , m_raw(new QPlainTextEdit(this))
    , m_model(new EventDetailsModel(this))
{
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setObjectName(QStringLiteral("detailsHeader"));
    m_view->setObjectName(QStringLiteral("detailsTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(EventDetailsModel::Name, 200);
    m_raw->setObjectName(QStringLiteral("detailsRaw"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_raw);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_header);
    lay->addWidget(split, 1);
    connect(m_selection, &Selection::changed, this, &EventDetailsView::onSelection);
    clearShown(tr("No case open"));
}

EventDetailsView::~EventDetailsView() = default;

QString EventDetailsView::headerText() const
{
    return m_header->text();
}

void EventDetailsView::setCase(const QString &path)
{
    m_path = path;
    onSelection(m_selection->current());
}

void EventDetailsView::clearShown(const QString &why)
{
    m_event = 0;
    m_model->clear();
    m_raw->clear();
    m_header->setText(why);
}

void EventDetailsView::onSelection(const SelectedEntities &s)
{
    const uint64_t gen = ++m_generation;
    using K = SelectedEntities::Kind;
    const qint64 event = s.kind == K::Event && !s.events.isEmpty() ? s.events.first() : 0;
    const qint64 process = s.kind == K::Process ? s.process : 0;
    if (m_path.isEmpty() || (!event && !process)) {
        clearShown(m_path.isEmpty() ? tr("No case open") : tr("Select an event"));
        return;
    }
    runCaseQuery<EventDetails>(
        this, m_path,
        [event, process](store::CaseStore &cs) {
            int64_t id = event;
            if (!id) { // a process: the event that started it
                ProcessInfo p;
                if (queryProcess(cs, process, p))
                    id = p.event;
            }
            return queryEventDetails(cs, id);
        },
        [this, gen](EventDetails &d, const QString &error) {
            if (gen != m_generation)
                return;
            const QString err = error.isEmpty() ? d.error : error;
            if (!err.isEmpty() && d.raw.isEmpty()) {
                clearShown(tr("Cannot show the event: %1").arg(err));
            } else {
                m_event = d.id;
                m_model->setFields(std::move(d.fields));
                m_raw->setPlainText(d.raw);
                // One multi-arg call: a host or path holding "%1" is never substituted again.
                m_header->setText(
                    tr("Event %1  |  %2 %8  |  %3  |  %4 %5  |  %6 #%7")
                        .arg(QString::number(d.id), formatTime(d.ts), d.host, d.channel, QString::number(d.eventId),
                            d.source, QString::number(d.position), displayTimeZoneName()));
            }
            emit updated();
        });
}

void EventDetailsView::refresh()
{
    m_event = 0; // force the re-query even for the same event
    onSelection(m_selection->current());
}

} // namespace tt
