#pragma once

#include "query/HostLookup.h"

#include <QObject>
#include <QPointer>

class QMessageBox;
class QWidget;

namespace tt {

class FilterHistory;
class Selection;
class TransferGraphView;

// Go > Find Host and a double-click on a host row: the graph's best match is selected and
// centred; a host the case has but the graph does not show (no transfers, or none under the
// filter) is selected everywhere else and offered: "HOSTX has no transfers under the current
// filter" with Show its events / Clear filter. The case look-up runs off the UI thread.
class HostFinder : public QObject {
    Q_OBJECT
public:
    HostFinder(TransferGraphView *graph, FilterHistory *filter, Selection *selection, QWidget *dialogParent);

    void setCase(const QString &casePath) { m_casePath = casePath; }
    void find(const QString &text);
    // The offer for a host outside the graph (nullptr when none is shown); for tests.
    QMessageBox *offer() const;

signals:
    void finished(const QString &message); // what happened, for the status bar

private:
    void onLookup(const QString &text, const HostLookup &found);
    void showOffer(const HostLookup &found);

    TransferGraphView *m_graph;
    FilterHistory *m_filter;
    Selection *m_selection;
    QWidget *m_dialogParent;
    QString m_casePath;
    uint64_t m_generation = 0;
    QPointer<QMessageBox> m_offer;
};

} // namespace tt
