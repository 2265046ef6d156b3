#pragma once

#include "query/GraphQuery.h"

#include <QSet>
#include <QString>

namespace tt {

// Readable graphs at thousands of hosts (issue 12 item 5): hosts grouped into one node per /24
// subnet or per DNS domain, edges between groups merged with their counts. Pure data, no SQL: it
// runs on the worker after queryGraph and before the layout.
enum class HostGrouping {
    None,
    Auto, // Subnet when more than kAutoGroupHosts hosts are in view, else None
    Subnet, // the first IPv4 address's /24 ("10.1.2.0/24")
    Domain, // the FQDN's domain ("corp.example.com")
};
inline constexpr size_t kAutoGroupHosts = 150; // dot's limit too (LayoutTypes.h)
// Group node ids: at or below this, derived from the group key, so a group keeps its id (and a
// pin) across filter changes.
inline constexpr int64_t kGroupHostBase = -(int64_t(1) << 40);

// The group `h` falls in under `by` ("" when it has none: unknown sources, no address or domain).
QString hostGroupKey(const GraphHost &h, HostGrouping by);
// What Auto stands for with `hosts` in view.
HostGrouping resolveGrouping(HostGrouping by, size_t hosts);

// Hosts of a group with two or more members become one node (name: the key, members, counts,
// the union of their badges), unless the key is in `expanded`; a host of an expanded group keeps
// its own node and its groupKey. Edges are merged per (node, node) pair: counts, transfer ids and
// keys, methods, confidence range and time span combined; a transfer inside one group counts in
// that node's internalTransfers. Edge ids are 1-based indices again.
GraphData aggregateGraph(const GraphData &in, HostGrouping by, const QSet<QString> &expanded = {});

} // namespace tt
