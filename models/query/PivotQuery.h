#pragma once

#include <QString>
#include <QVector>

#include <cstdint>

namespace tt {
namespace sql {
class Db;
}

// Values the pivot bar offers, each with the number of transfers it would keep.
struct PivotValue {
    qint64 id = 0; // accounts.id / hosts.id; 0 for text values (images, methods)
    QString label;
    qint64 count = 0;
};

struct PivotChoices {
    QVector<PivotValue> accounts;
    QVector<PivotValue> parentImages;
    QVector<PivotValue> hosts;
    QVector<PivotValue> methods;
    QString error;
};

// Over all transfers of the case (not the current filter: the bar lists what can be chosen).
PivotChoices queryPivotChoices(sql::Db &db);

} // namespace tt
