#pragma once

#include "query/GraphQuery.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <optional>

namespace tt {

// Readable graphs at thousands of hosts (issue 12 item 5): hosts grouped into one node per /24
// subnet or per DNS domain, or into the analyst's named groups; edges touching a group merged
// into one per pair of nodes with their counts. Pure data, no SQL: it runs on the worker after
// queryGraph and before the layout.
enum class HostGrouping {
    None, // nothing grouped, not even the named groups
    Auto, // named groups; the rest by Subnet when more than kAutoGroupHosts hosts are in view
    Subnet, // named groups; the rest by the first IPv4 address's /24 ("10.1.2.0/24")
    Domain, // named groups; the rest by the FQDN's domain ("corp.example.com")
    Named, // the analyst's named groups only
};
// Parses "subnet", "domain", "named", "none", "auto" (for --group); nullopt otherwise.
std::optional<HostGrouping> hostGroupingFromName(const QString &name);
// The analyst's groups as aggregation takes them: host name -> group name.
using NamedHostGroups = QHash<QString, QString>;
inline constexpr size_t kAutoGroupHosts = 150; // dot's limit too (LayoutTypes.h)
// Group node ids: at or below this, derived from the group key, so a group keeps its id (and a
// pin) across filter changes.
inline constexpr int64_t kGroupHostBase = -(int64_t(1) << 40);

// The group `h` falls in under `by` ("" when it has none: unknown sources, no address or domain).
// Named groups are not looked at here (see groupKeyOf).
QString hostGroupKey(const GraphHost &h, HostGrouping by);
// The key of a named group: in a namespace of its own ("named:" + name), never equal to a
// subnet or domain key (hostGroupKey gives no key that starts with "named:").
QString namedGroupKey(const QString &name);
// The group `h` is drawn in: its named group unless `by` is None, else hostGroupKey.
QString groupKeyOf(const GraphHost &h, HostGrouping by, const NamedHostGroups &named);
// What Auto stands for with `hosts` in view.
HostGrouping resolveGrouping(HostGrouping by, size_t hosts);

// Deployment fans (issue 14 item 5): one deployment tool's push from one host to many hosts
// (SCCM, PDQ, GPO, Intune, Ansible... : transfers labelled benign-admin) drawn as ONE node
// ("SCCM push: setup.exe -> 300 hosts") and one edge from the source, instead of an edge per host.
// A push "run": the benign-admin transfers of one source, one tool and one file (name, case
// ignored) whose start times are never more than kFanRunGapUs apart. A run that reaches at least
// kFanMinDestinations distinct hosts is a deployment push. A destination is folded into a fan only
// when every transfer in view touching it is a transfer of such runs that it received: a host with
// any other transfer (an attacker's drop at the same moment, a transfer it sent, a benign transfer
// outside a deployment push) stays drawn as a host with its own edges. Hosts folded by the same set
// of runs share one fan node; a fan needs kFanMinFolded of them (else they are drawn as hosts).
// Fans are groups (namespace "fan:"): they expand and collapse as the other groups do. The
// analyst's named groups come first; subnet / domain grouping takes the hosts no fan took.
inline constexpr int kFanMinDestinations = 5; // a push to fewer hosts reads fine as plain edges
inline constexpr int kFanMinFolded = 2; // a fan of one host would only rename it
// SCCM client push retries hourly and a PDQ / Ansible run takes minutes: two hours without a
// transfer ends a run, so a nightly or weekly redeployment is a fan of its own.
inline constexpr int64_t kFanRunGapUs = int64_t(2) * 3600 * 1000000;

struct DeploymentFan {
    QString label; // "SCCM push: setup.exe" (tools, files; no count)
    int destinations = 0; // distinct destinations of its runs in view (folded or not)
    int64_t firstTs = 0;
    int64_t lastTs = 0;
};
struct DeploymentFans {
    QHash<qint64, QString> keyOf; // host -> key of the fan that can fold it
    QHash<QString, DeploymentFan> fans; // key -> what it is
};
// The fans of `in` (from in.benignPushes and in.edges; hosts of in.hosts only). Pure data.
DeploymentFans findDeploymentFans(const GraphData &in);
// "sccm" -> "SCCM", "pdq" -> "PDQ", "intune" -> "Intune"...; another value as it is.
QString deploymentToolName(const QString &tool);
// True for the key of a fan group ("fan:..."): no subnet, domain or named key starts so.
bool isFanGroupKey(const QString &key);

// Hosts of an automatic group with two or more members, and of a named group with any, become one
// node (name: "GROUP (N hosts)", members, counts, the union of their badges), unless the key is
// in `expanded`; a host of an expanded group keeps its own node, its groupKey and groupName.
// Edges are merged per pair of nodes: per (source, target) between two hosts, per unordered pair
// when a group is at either end (both directions in one edge, `reverse` counting those drawn
// against its arrow); counts, transfer ids and keys, methods, confidence range and time span
// combined; a transfer inside one group counts in that node's internalTransfers. Edge ids are
// 1-based indices again. `foldFans`: deployment fans (above) are folded, whatever `by` (None
// included); false draws every push as its own edge.
GraphData aggregateGraph(const GraphData &in, HostGrouping by, const QSet<QString> &expanded = {},
    const NamedHostGroups &named = {}, bool foldFans = true);

} // namespace tt
