#pragma once

#include "workbench/FilterState.h"

#include <QString>
#include <QVector>

#include <cstdint>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
}

// Values the pivot bar offers, each with the number of transfers it would keep.
struct PivotValue {
    qint64 id = 0; // accounts.id / hosts.id; 0 for text values (images, methods)
    QString label;
    qint64 count = 0; // transfers under the filter (without this dimension's own pivots)
    qint64 total = 0; // transfers of the whole case
};

struct PivotChoices {
    QVector<PivotValue> accounts;
    QVector<PivotValue> parentImages;
    QVector<PivotValue> hosts;
    QVector<PivotValue> methods;
    QString error;
};

// Every value the case's transfers have (so a chip can always name its value), counted under
// `filter` without the value's own dimension: with an account chosen, the parent images count
// that account's transfers, and a pick that would empty the graph shows 0 (issue 11).
PivotChoices queryPivotChoices(store::CaseStore &store, const FilterState &filter = {});

} // namespace tt
