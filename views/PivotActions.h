#pragma once

#include <QPair>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>

class QMenu;

namespace tt {

class FilterHistory;

// What a right-clicked item can be pivoted on. Every view fills what it knows (graph node or
// edge, timeline marker, evidence row, process) and gets the same menu entries, so a pivot means
// the same thing wherever it is started: the facet is set to this value, the other facets stay.
struct PivotTarget {
    QVector<QPair<qint64, QString>> hosts; // id, name
    qint64 accountId = 0;
    QString account;
    QStringList parentImages;
    QString method;
    QString fileName;
    int64_t ts = 0; // UTC microseconds of the item, 0 = none
};

// Log text made fit for a menu entry: one line, at most maxChars (elided), '&' doubled so it is
// never taken as a mnemonic.
QString menuSafeText(const QString &value, int maxChars = 80);

// Appends the pivots that apply to `target` (object names pivotHost, pivotAccount,
// pivotParentImage, pivotMethod, pivotFile, pivotWindow5m, pivotWindow1h for tests).
// Returns the number of actions added.
int addPivotActions(QMenu *menu, const PivotTarget &target, FilterHistory *filter);

} // namespace tt
