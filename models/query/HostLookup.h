#pragma once

#include "workbench/FilterState.h"

#include <QString>

#include <cstdint>

namespace tt {
namespace store {
class CaseStore;
}
namespace sql {
class Db;
} // namespace sql

// Find Host: how well a host matches what the analyst typed (0: not at all). Exact before
// fuzzy: the host named "10.0.2.15" beats one that merely had 10.0.2.15 among its addresses,
// which beats "WS10" containing "10". `addresses` as the graph has them, ", "-separated.
int hostMatchRank(const QString &text, const QString &name, const QString &fqdn, const QString &addresses);

// The case's best match for `text` among all its hosts (with or without transfers), with what
// the workbench needs to say why it is not in the graph. id 0: no host matches.
struct HostLookup {
    int64_t id = 0;
    QString name;
    int rank = 0;
    int64_t events = 0;
    int64_t transfers = 0; // in the whole case
    int64_t transfersInFilter = 0; // those the filter keeps
    QString error;
};
HostLookup lookupHost(store::CaseStore &store, const QString &text, const FilterState &filter);

} // namespace tt
