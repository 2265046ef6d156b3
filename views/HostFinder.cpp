#include "HostFinder.h"

#include "TransferGraphView.h"
#include "WorkerQuery.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QMessageBox>
#include <QPushButton>

namespace tt {

HostFinder::HostFinder(TransferGraphView *graph, FilterHistory *filter, Selection *selection, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_graph(graph)
    , m_filter(filter)
    , m_selection(selection)
    , m_dialogParent(dialogParent)
{
}

QMessageBox *HostFinder::offer() const
{
    return m_offer;
}

void HostFinder::find(const QString &text)
{
    const uint64_t gen = ++m_generation;
    if (m_offer)
        m_offer->close();
    if (m_casePath.isEmpty()) { // nothing to look up beyond the graph
        QString note;
        emit finished(
            m_graph->selectHost(m_graph->matchHost(text), &note) ? note : tr("No host matches '%1'").arg(text));
        return;
    }
    const FilterState filter = m_filter->current();
    runCaseQuery<HostLookup>(
        this, m_casePath, [text, filter](store::CaseStore &cs) { return lookupHost(cs, text, filter); },
        [this, gen, text](HostLookup &found, const QString &error) {
            if (gen != m_generation)
                return;
            if (!error.isEmpty())
                found.error = error;
            onLookup(text, found);
        });
}

void HostFinder::onLookup(const QString &text, const HostLookup &found)
{
    // The graph's best match wins unless the case has a better one that the graph does not show
    // (typed "HOSTX" exactly, the graph only has "HOSTX2").
    int graphRank = 0;
    const qint64 inGraph = m_graph->matchHost(text, &graphRank);
    QString note; // a host inside a collapsed group: its group is expanded, and this says so
    if (found.id && m_graph->selectHost(found.id, &note)) {
        emit finished(note);
    } else if (inGraph && graphRank >= found.rank) {
        m_graph->selectHost(inGraph, &note);
        emit finished(note);
    } else if (found.id) {
        showOffer(found);
    } else {
        emit finished(found.error.isEmpty() ? tr("No host matches '%1' in this case").arg(text)
                                            : tr("Find Host: %1").arg(found.error));
    }
}

void HostFinder::showOffer(const HostLookup &found)
{
    // Selected everywhere else (timeline lane, evidence, ...) even without a node.
    SelectedEntities s;
    s.kind = SelectedEntities::Kind::Host;
    s.hosts = {found.id};
    m_selection->select(s);

    const bool filtered = !m_filter->current().isEmpty();
    QString why;
    if (found.transfers == 0)
        why = tr("%1 has no transfers in this case (%2 events).").arg(found.name).arg(found.events);
    else if (filtered && found.transfersInFilter == 0)
        why = tr("%1 has no transfers under the current filter (%2 in the whole case).")
                  .arg(found.name)
                  .arg(found.transfers);
    else // transfers under the filter but no node: the analyst hid it
        why = tr("%1 is hidden in the graph.").arg(found.name);
    auto *box = new QMessageBox(QMessageBox::Information, tr("Find Host"), why, QMessageBox::Close, m_dialogParent);
    box->setObjectName(QStringLiteral("findHostOffer"));
    box->setTextFormat(Qt::PlainText); // host names are log text
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    const qint64 id = found.id;
    QPushButton *events = box->addButton(tr("Show its events"), QMessageBox::ActionRole);
    events->setObjectName(QStringLiteral("showHostEvents"));
    events->setToolTip(tr("Pivot on this host: the timeline shows its events"));
    connect(events, &QPushButton::clicked, this, [this, id] {
        FilterState f;
        f.hosts = {id};
        m_filter->apply(f);
    });
    if (filtered && found.transfers > 0) {
        QPushButton *clear = box->addButton(tr("Clear filter"), QMessageBox::ActionRole);
        clear->setObjectName(QStringLiteral("clearFilter"));
        // Then find it again once the unfiltered graph is shown.
        connect(clear, &QPushButton::clicked, this, [this, id] {
            auto conn = std::make_shared<QMetaObject::Connection>();
            *conn = connect(m_graph, &TransferGraphView::graphShown, this, [this, id, conn] {
                disconnect(*conn);
                m_graph->selectHost(id);
            });
            m_filter->apply(FilterState {});
        });
    }
    if (found.transfersInFilter > 0) { // in the filter but not in the graph: hidden
        QPushButton *all = box->addButton(tr("Show hidden hosts"), QMessageBox::ActionRole);
        connect(all, &QPushButton::clicked, m_graph, &TransferGraphView::showAllHosts);
    }
    m_offer = box;
    box->open();
    emit finished(why);
}

} // namespace tt
