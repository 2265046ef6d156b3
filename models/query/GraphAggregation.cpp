#include "query/GraphAggregation.h"

#include <QDateTime>
#include <QHash>
#include <QStringList>
#include <QTimeZone>

#include <algorithm>
#include <map>
#include <set>

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
        // Never a named group's or a fan's key.
        return domain.startsWith(QLatin1String("named:")) || isFanGroupKey(domain) ? QString() : domain;
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

bool isFanGroupKey(const QString &key)
{
    return key.startsWith(QLatin1String("fan:"));
}

QString deploymentToolName(const QString &tool)
{
    static const QHash<QString, QString> names {{QStringLiteral("sccm"), QStringLiteral("SCCM")},
        {QStringLiteral("pdq"), QStringLiteral("PDQ")}, {QStringLiteral("gpo"), QStringLiteral("GPO")},
        {QStringLiteral("intune"), QStringLiteral("Intune")}, {QStringLiteral("ansible"), QStringLiteral("Ansible")},
        {QStringLiteral("salt"), QStringLiteral("Salt")}, {QStringLiteral("puppet"), QStringLiteral("Puppet")},
        {QStringLiteral("chef"), QStringLiteral("Chef")}};
    return names.value(tool.toLower(), tool);
}

DeploymentFans findDeploymentFans(const GraphData &in)
{
    DeploymentFans out;
    if (in.benignPushes.empty())
        return out;
    QSet<qint64> plain; // hosts a fan may fold: drawn hosts, not unknown sources or groups
    for (const GraphHost &h : in.hosts)
        if (!h.unknownSource && !h.isGroup())
            plain.insert(h.id);
    // Runs: per (source, tool, file) in time order, split where kFanRunGapUs passes without one.
    struct Stream {
        std::vector<const BenignPush *> pushes;
    };
    std::map<std::tuple<int64_t, QString, QString>, Stream> streams;
    for (const BenignPush &p : in.benignPushes)
        if (p.source != p.target && plain.contains(p.target) && (plain.contains(p.source) || p.source < 0))
            streams[{p.source, p.tool.toLower(), p.file.toLower()}].pushes.push_back(&p);
    struct Run {
        QString id; // stable: source, tool, file, start
        QString tool, file;
        int64_t first = 0, last = 0;
        QSet<qint64> targets;
    };
    std::vector<Run> runs;
    QHash<qint64, std::set<size_t>> runsOf; // host -> deployment runs that reached it
    QHash<qint64, int> fanIn; // host -> transfers of deployment runs it received
    for (auto &[key, stream] : streams) {
        std::stable_sort(stream.pushes.begin(), stream.pushes.end(),
            [](const BenignPush *a, const BenignPush *b) { return a->ts < b->ts; });
        size_t begin = 0;
        for (size_t i = 1; i <= stream.pushes.size(); ++i) {
            if (i < stream.pushes.size() && stream.pushes[i]->ts - stream.pushes[i - 1]->ts <= kFanRunGapUs)
                continue;
            QSet<qint64> targets;
            for (size_t j = begin; j < i; ++j)
                targets.insert(stream.pushes[j]->target);
            if (targets.size() >= kFanMinDestinations) {
                Run r;
                // Concatenated, never .arg() over log text (a "%1" in a file name).
                r.id = QString::number(std::get<0>(key)) + QLatin1Char('|') + std::get<1>(key) + QLatin1Char('|')
                    + std::get<2>(key) + QLatin1Char('|') + QString::number(stream.pushes[begin]->ts);
                r.tool = stream.pushes[begin]->tool;
                r.file = stream.pushes[begin]->file;
                r.first = stream.pushes[begin]->ts;
                r.last = stream.pushes[i - 1]->ts;
                r.targets = targets;
                for (size_t j = begin; j < i; ++j) {
                    runsOf[stream.pushes[j]->target].insert(runs.size());
                    ++fanIn[stream.pushes[j]->target];
                }
                runs.push_back(std::move(r));
            }
            begin = i;
        }
    }
    if (runs.empty())
        return out;
    // Every transfer touching a host, from the edges: a host is folded only when they are all
    // deployment transfers it received.
    QHash<qint64, int> touching;
    for (const GraphEdge &e : in.edges) {
        touching[e.source] += e.count;
        if (e.target != e.source)
            touching[e.target] += e.count;
    }
    for (auto it = runsOf.cbegin(); it != runsOf.cend(); ++it) {
        const qint64 host = it.key();
        if (touching.value(host) != fanIn.value(host))
            continue; // another transfer touches it: drawn as itself
        // Its runs, in id order: the key of its fan (hosts reached by the same runs share it).
        std::vector<const Run *> mine;
        for (size_t r : it.value())
            mine.push_back(&runs[r]);
        std::sort(mine.begin(), mine.end(), [](const Run *a, const Run *b) { return a->id < b->id; });
        QStringList ids;
        for (const Run *r : mine)
            ids << r->id;
        const QString key = QStringLiteral("fan:") + ids.join(QLatin1Char('\n'));
        out.keyOf.insert(host, key);
        if (out.fans.contains(key))
            continue;
        DeploymentFan f;
        QStringList tools, files;
        QSet<qint64> destinations;
        f.firstTs = mine.front()->first;
        f.lastTs = mine.front()->last;
        std::vector<const Run *> byTime = mine;
        std::stable_sort(byTime.begin(), byTime.end(), [](const Run *a, const Run *b) { return a->first < b->first; });
        for (const Run *r : byTime) {
            const QString tool = deploymentToolName(r->tool);
            if (!tools.contains(tool))
                tools << tool;
            if (!files.contains(r->file, Qt::CaseInsensitive))
                files << r->file;
            destinations.unite(r->targets);
            f.firstTs = std::min(f.firstTs, r->first);
            f.lastTs = std::max(f.lastTs, r->last);
        }
        QString fileText = files.mid(0, 2).join(QStringLiteral(", "));
        if (files.size() > 2)
            fileText += QStringLiteral(" +%1 more").arg(files.size() - 2);
        f.label = QStringLiteral("%1 push: %2").arg(tools.join(QStringLiteral(" + ")), fileText);
        f.destinations = static_cast<int>(destinations.size());
        out.fans.insert(key, f);
    }
    return out;
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
    const GraphData &in, HostGrouping by, const QSet<QString> &expanded, const NamedHostGroups &named, bool foldFans)
{
    // Deployment fans first (a named group still wins over a fan), with at least kFanMinFolded
    // hosts each; Auto counts a fan as one node.
    DeploymentFans fans = foldFans ? findDeploymentFans(in) : DeploymentFans {};
    const bool namedApply = by != HostGrouping::None;
    {
        QHash<QString, int> size;
        for (const GraphHost &h : in.hosts)
            if (const QString k = fans.keyOf.value(h.id); !k.isEmpty() && !(namedApply && named.contains(h.name)))
                ++size[k];
        size_t folded = 0;
        for (auto it = fans.keyOf.begin(); it != fans.keyOf.end();) {
            if (size.value(*it) < kFanMinFolded) {
                it = fans.keyOf.erase(it);
                continue;
            }
            ++folded;
            ++it;
        }
        by = resolveGrouping(by, in.hosts.size() - folded + static_cast<size_t>(size.size()));
    }
    if (fans.keyOf.isEmpty() && (by == HostGrouping::None || (by == HostGrouping::Named && named.isEmpty())))
        return in;
    GraphData out;
    out.transfersInView = in.transfersInView;
    out.transfersTotal = in.transfersTotal;
    out.error = in.error;
    out.benignPushes = in.benignPushes;
    // Key -> members (in host order). An automatic key with one member is no group; a named
    // group is one with any; a fan has kFanMinFolded or more (above).
    std::vector<QString> keys;
    keys.reserve(in.hosts.size());
    std::map<QString, std::vector<const GraphHost *>> byKey;
    for (const GraphHost &h : in.hosts) {
        QString k = namedApply && named.contains(h.name) ? groupKeyOf(h, by, named) : fans.keyOf.value(h.id);
        if (k.isEmpty())
            k = groupKeyOf(h, by, named);
        keys.push_back(k);
        if (!keys.back().isEmpty())
            byKey[keys.back()].push_back(&h);
    }
    auto isNamed = [](const QString &k) { return k.startsWith(QLatin1String("named:")); };
    auto displayName = [&](const QString &k) {
        if (isFanGroupKey(k))
            return fans.fans.value(k).label;
        return isNamed(k) ? k.mid(6) : k;
    };
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
            copy.fan = grouped && isFanGroupKey(k);
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
            g.fan = isFanGroupKey(k);
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
    for (GraphHost &g : out.hosts) {
        if (!g.isGroup())
            continue;
        if (!g.fan) {
            g.name = QStringLiteral("%1 (%2)").arg(g.groupName, g.detail);
            continue;
        }
        // "SCCM push: setup.exe -> 300 hosts", "(+2 apart)" when some of its destinations are
        // drawn on their own; the time span and why in the detail (tooltip).
        const DeploymentFan f = fans.fans.value(g.groupKey);
        const auto n = static_cast<int>(g.members.size());
        g.fanApart = std::max(0, f.destinations - n);
        g.fanFirstTs = f.firstTs;
        g.fanLastTs = f.lastTs;
        g.name = QStringLiteral("%1 -> %2 hosts").arg(f.label, QString::number(n)); // one pass: log text
        if (g.fanApart > 0)
            g.name += QStringLiteral(" (+%1 apart)").arg(g.fanApart);
        auto utc = [](int64_t us) {
            return QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc())
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        };
        g.detail = QStringLiteral(
            "deployment push (benign-admin candidates): %1 hosts folded here; the push ran %2 to %3 UTC")
                       .arg(n)
                       .arg(utc(f.firstTs), utc(f.lastTs));
        if (g.fanApart > 0)
            g.detail += QStringLiteral("\n%1 more destination(s) of this push drawn on their own: they have other "
                                       "transfers (never folded)")
                            .arg(g.fanApart);
    }
    auto isFanNode = [&](qint64 node) { return groupIndex.contains(node) && out.hosts[groupIndex.value(node)].fan; };
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
            m.fan = isFanNode(s) || isFanNode(d);
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
