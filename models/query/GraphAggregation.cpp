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
        return dot > 0 && dot + 1 < h.fqdn.size() ? h.fqdn.mid(dot + 1).toLower() : QString();
    }
    return {};
}

HostGrouping resolveGrouping(HostGrouping by, size_t hosts)
{
    if (by != HostGrouping::Auto)
        return by;
    return hosts > kAutoGroupHosts ? HostGrouping::Subnet : HostGrouping::None;
}

GraphData aggregateGraph(const GraphData &in, HostGrouping by, const QSet<QString> &expanded)
{
    by = resolveGrouping(by, in.hosts.size());
    if (by == HostGrouping::None)
        return in;
    GraphData out;
    out.transfersInView = in.transfersInView;
    out.transfersTotal = in.transfersTotal;
    out.error = in.error;
    // Key -> members (in host order); a key with one member is no group.
    std::map<QString, std::vector<const GraphHost *>> byKey;
    for (const GraphHost &h : in.hosts)
        if (const QString k = hostGroupKey(h, by); !k.isEmpty())
            byKey[k].push_back(&h);
    QHash<qint64, qint64> nodeOf; // host id -> the node drawn for it
    QHash<qint64, size_t> groupIndex; // group node id -> index in out.hosts
    for (const GraphHost &h : in.hosts) {
        const QString k = hostGroupKey(h, by);
        const auto it = k.isEmpty() ? byKey.end() : byKey.find(k);
        if (it == byKey.end() || it->second.size() < 2 || expanded.contains(k)) {
            GraphHost copy = h;
            copy.groupKey = it == byKey.end() || it->second.size() < 2 ? QString() : k;
            nodeOf.insert(h.id, h.id);
            out.hosts.push_back(std::move(copy));
            continue;
        }
        const qint64 gid = kGroupHostBase - static_cast<qint64>(qHash(k) & 0xFFFFFFFFu);
        nodeOf.insert(h.id, gid);
        if (!groupIndex.contains(gid)) {
            GraphHost g;
            g.id = gid;
            g.name = k;
            g.groupKey = k;
            g.detail = QStringLiteral("%1 hosts").arg(it->second.size());
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
            g.name = QStringLiteral("%1 (%2)").arg(g.groupKey).arg(g.members.size());
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
        auto [it, fresh] = edgeIndex.try_emplace(Pair {s, d}, out.edges.size());
        if (fresh) {
            GraphEdge m = e;
            m.id = static_cast<int64_t>(out.edges.size()) + 1;
            m.source = s;
            m.target = d;
            out.edges.push_back(std::move(m));
            continue;
        }
        GraphEdge &m = out.edges[it->second];
        m.count += e.count;
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
    }
    return out;
}

} // namespace tt
