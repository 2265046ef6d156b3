#include "query/GraphAggregation.h"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <map>

namespace tt {

QString hostGroupKey(const GraphHost &h, HostGrouping by)
{
    if (h.unknownSource || h.isGroup())
        return {};
    if (by == HostGrouping::Subnet) {
        for (const QString &a : h.addresses.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QStringList octets = a.trimmed().split(QLatin1Char('.'));
            bool ok = octets.size() == 4;
            QStringList prefix;
            for (qsizetype i = 0; ok && i < 4; ++i) {
                const uint v = octets[i].toUInt(&ok);
                ok = ok && v <= 255 && !octets[i].isEmpty() && octets[i].size() <= 3;
                if (i < 3)
                    prefix << QString::number(v);
            }
            if (ok)
                return prefix.join(QLatin1Char('.')) + QStringLiteral(".0/24");
        }
        return {};
    }
    if (by == HostGrouping::Domain) {
        const qsizetype dot = h.fqdn.indexOf(QLatin1Char('.'));
        const QString domain = dot > 0 && dot + 1 < h.fqdn.size() ? h.fqdn.mid(dot + 1).toLower() : QString();
        return domain.startsWith(QLatin1String("named:")) ? QString() : domain; // never a named group's key
    }
    return {};
}

QString namedGroupKey(const QString &name)
{
    return QStringLiteral("named:") + name;
}

QString groupKeyOf(const GraphHost &h, HostGrouping by, const NamedHostGroups &named)
{
    if (by == HostGrouping::None || h.unknownSource || h.isGroup())
        return {};
    if (const auto it = named.constFind(h.name); it != named.cend())
        return namedGroupKey(*it);
    return hostGroupKey(h, by);
}

std::optional<HostGrouping> hostGroupingFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("none"))
        return HostGrouping::None;
    if (n == QLatin1String("auto"))
        return HostGrouping::Auto;
    if (n == QLatin1String("subnet"))
        return HostGrouping::Subnet;
    if (n == QLatin1String("domain"))
        return HostGrouping::Domain;
    if (n == QLatin1String("named"))
        return HostGrouping::Named;
    return std::nullopt;
}

HostGrouping resolveGrouping(HostGrouping by, size_t hosts)
{
    if (by != HostGrouping::Auto)
        return by;
    return hosts > kAutoGroupHosts ? HostGrouping::Subnet : HostGrouping::Named; // named groups at any size
}

GraphData aggregateGraph(
    const GraphData &in, HostGrouping by, const QSet<QString> &expanded, const NamedHostGroups &named)
{
    by = resolveGrouping(by, in.hosts.size());
    if (by == HostGrouping::None || (by == HostGrouping::Named && named.isEmpty()))
        return in;
    GraphData out;
    out.transfersInView = in.transfersInView;
    out.transfersTotal = in.transfersTotal;
    out.error = in.error;
    // Key -> members (in host order). An automatic key with one member is no group; a named
    // group is one with any.
    std::vector<QString> keys;
    keys.reserve(in.hosts.size());
    std::map<QString, std::vector<const GraphHost *>> byKey;
    for (const GraphHost &h : in.hosts) {
        keys.push_back(groupKeyOf(h, by, named));
        if (!keys.back().isEmpty())
            byKey[keys.back()].push_back(&h);
    }
    auto isNamed = [](const QString &k) { return k.startsWith(QLatin1String("named:")); };
    auto displayName = [&](const QString &k) { return isNamed(k) ? k.mid(6) : k; };
    QHash<qint64, qint64> nodeOf; // host id -> the node drawn for it
    QHash<qint64, size_t> groupIndex; // group node id -> index in out.hosts
    for (size_t i = 0; i < in.hosts.size(); ++i) {
        const GraphHost &h = in.hosts[i];
        const QString &k = keys[i];
        const auto it = k.isEmpty() ? byKey.end() : byKey.find(k);
        const bool grouped = it != byKey.end() && (it->second.size() >= 2 || isNamed(k));
        if (!grouped || expanded.contains(k)) {
            GraphHost copy = h;
            copy.groupKey = grouped ? k : QString();
            copy.groupName = grouped ? displayName(k) : QString();
            copy.namedGroup = grouped && isNamed(k);
            nodeOf.insert(h.id, h.id);
            out.hosts.push_back(std::move(copy));
            continue;
        }
        const qint64 gid = kGroupHostBase - static_cast<qint64>(qHash(k) & 0xFFFFFFFFu);
        nodeOf.insert(h.id, gid);
        if (!groupIndex.contains(gid)) {
            GraphHost g;
            g.id = gid;
            g.groupKey = k;
            g.groupName = displayName(k);
            g.namedGroup = isNamed(k);
            g.detail
                = it->second.size() == 1 ? QStringLiteral("1 host") : QStringLiteral("%1 hosts").arg(it->second.size());
            groupIndex.insert(gid, out.hosts.size());
            out.hosts.push_back(std::move(g));
        }
        GraphHost &g = out.hosts[groupIndex.value(gid)];
        g.members.append(h.id);
        g.domainController |= h.domainController;
        g.firstSource |= h.firstSource;
        g.executedTransferred |= h.executedTransferred;
        g.sent += h.sent;
        g.received += h.received;
    }
    for (GraphHost &g : out.hosts)
        if (g.isGroup())
            g.name = QStringLiteral("%1 (%2)").arg(g.groupName, g.detail);
    struct Pair {
        qint64 s, d;
        bool operator<(const Pair &o) const { return s < o.s || (s == o.s && d < o.d); }
    };
    std::map<Pair, size_t> edgeIndex;
    for (const GraphEdge &e : in.edges) {
        const qint64 s = nodeOf.value(e.source, e.source), d = nodeOf.value(e.target, e.target);
        // Every transfer touching a group is selected with it.
        if (groupIndex.contains(s))
            out.hosts[groupIndex.value(s)].groupTransfers += e.transferIds;
        if (d != s && groupIndex.contains(d))
            out.hosts[groupIndex.value(d)].groupTransfers += e.transferIds;
        if (s == d && groupIndex.contains(s)) {
            out.hosts[groupIndex.value(s)].internalTransfers += e.count;
            continue;
        }
        // A group at either end: one edge per unordered pair of nodes, both directions in it.
        const bool bundle = groupIndex.contains(s) || groupIndex.contains(d);
        auto found = edgeIndex.find(Pair {s, d});
        bool against = false;
        if (found == edgeIndex.end() && bundle) {
            found = edgeIndex.find(Pair {d, s});
            against = found != edgeIndex.end();
        }
        if (found == edgeIndex.end()) {
            GraphEdge m = e;
            m.id = static_cast<int64_t>(out.edges.size()) + 1;
            m.source = s;
            m.target = d;
            edgeIndex.emplace(Pair {s, d}, out.edges.size());
            out.edges.push_back(std::move(m));
            continue;
        }
        GraphEdge &m = out.edges[found->second];
        m.count += e.count;
        m.reverse += against ? e.count : e.reverse;
        m.benign += e.benign;
        m.files += e.files;
        for (const QString &method : e.methods)
            if (!m.methods.contains(method))
                m.methods << method;
        m.minConfidence = std::min(m.minConfidence, e.minConfidence);
        m.maxConfidence = std::max(m.maxConfidence, e.maxConfidence);
        m.executed |= e.executed;
        m.firstTs = std::min(m.firstTs, e.firstTs);
        m.lastTs = std::max(m.lastTs, e.lastTs);
        if (e.hop > 0 && (m.hop == 0 || e.hop < m.hop))
            m.hop = e.hop;
        m.transferIds += e.transferIds;
        m.transferKeys += e.transferKeys;
        for (const EdgeTransferScore &t : e.strongest)
            m.keepStrongest(t);
    }
    return out;
}

} // namespace tt
