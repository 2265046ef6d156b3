#include "query/GraphQuery.h"

#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

namespace tt {

namespace {
// LIKE pattern for a literal substring (escape with '\').
QString likeContains(const QString &s)
{
    QString e = s;
    e.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    e.replace(QLatin1Char('%'), QLatin1String("\\%"));
    e.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + e + QLatin1Char('%');
}

QString placeholders(qsizetype n)
{
    QStringList q;
    for (qsizetype i = 0; i < n; ++i)
        q << QStringLiteral("?");
    return q.join(QLatin1Char(','));
}

} // namespace

int bindTransferFilter(sql::Stmt &st, const TransferFilterSql &f, int first)
{
    const std::vector<QVariant> &binds = f.binds;
    int i = first;
    for (const QVariant &v : binds) {
        if (v.typeId() == QMetaType::QString)
            st.bind(i++, v.toString().toStdString());
        else if (v.typeId() == QMetaType::Double)
            st.bind(i++, v.toDouble());
        else
            st.bind(i++, static_cast<int64_t>(v.toLongLong()));
    }
    return i;
}

TransferFilterSql transferFilterSql(const FilterState &f)
{
    TransferFilterSql out;
    QString w = QStringLiteral("1=1");
    if (f.fromUs) {
        w += QStringLiteral(" AND t.last_ts >= ?");
        out.binds.emplace_back(QVariant::fromValue<qlonglong>(f.fromUs));
    }
    if (f.toUs) {
        w += QStringLiteral(" AND t.first_ts <= ?");
        out.binds.emplace_back(QVariant::fromValue<qlonglong>(f.toUs));
    }
    if (f.minConfidence > 0) {
        w += QStringLiteral(" AND t.confidence >= ?");
        out.binds.emplace_back(f.minConfidence);
    }
    if (!f.hosts.isEmpty()) {
        QList<qint64> ids = f.hosts.values();
        std::sort(ids.begin(), ids.end());
        w += QStringLiteral(" AND (t.src_host_id IN (%1) OR t.dst_host_id IN (%1))").arg(placeholders(ids.size()));
        for (int pass = 0; pass < 2; ++pass)
            for (qint64 id : ids)
                out.binds.emplace_back(QVariant::fromValue<qlonglong>(id));
    }
    if (!f.accounts.isEmpty()) {
        QList<qint64> ids = f.accounts.values();
        std::sort(ids.begin(), ids.end());
        w += QStringLiteral(" AND t.account_id IN (%1)").arg(placeholders(ids.size()));
        for (qint64 id : ids)
            out.binds.emplace_back(QVariant::fromValue<qlonglong>(id));
    }
    if (!f.methods.isEmpty()) {
        w += QStringLiteral(" AND t.method IN (%1)").arg(placeholders(f.methods.size()));
        for (const QString &m : f.methods)
            out.binds.emplace_back(m);
    }
    if (!f.parentImages.isEmpty()) {
        QStringList ors;
        for (const QString &img : f.parentImages) {
            ors << QStringLiteral("p.parent_image = ? COLLATE NOCASE");
            out.binds.emplace_back(img);
        }
        w += QStringLiteral(" AND EXISTS (SELECT 1 FROM processes p WHERE p.id IN (t.src_process_id, t.dst_process_id) "
                            "AND (%1))")
                 .arg(ors.join(QStringLiteral(" OR ")));
    }
    if (!f.text.isEmpty()) {
        const QString pat = likeContains(f.text);
        w += QStringLiteral(
            " AND (t.file_name LIKE ?1x ESCAPE '\\' OR t.dst_path LIKE ?1x ESCAPE '\\' OR "
            "t.src_path LIKE ?1x ESCAPE '\\' OR t.src_ip LIKE ?1x ESCAPE '\\' OR "
            "EXISTS (SELECT 1 FROM hosts h WHERE h.id IN (t.src_host_id, t.dst_host_id) AND "
            "(h.name LIKE ?1x ESCAPE '\\' OR h.fqdn LIKE ?1x ESCAPE '\\')) OR "
            "EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id AND a.name LIKE ?1x ESCAPE '\\'))");
        // Each ?1x stands for one positional parameter with the same pattern.
        int n = w.count(QLatin1String("?1x"));
        w.replace(QLatin1String("?1x"), QLatin1String("?"));
        for (int i = 0; i < n; ++i)
            out.binds.emplace_back(pat);
    }
    out.where = w;
    return out;
}

int64_t countTransfers(sql::Db &db)
{
    return db.queryInt("SELECT count(*) FROM transfers");
}

void GraphEdge::keepStrongest(EdgeTransferScore s)
{
    auto before = [](const EdgeTransferScore &a, const EdgeTransferScore &b) {
        return a.confidence > b.confidence || (a.confidence == b.confidence && a.id < b.id);
    };
    if (static_cast<int>(strongest.size()) >= kStrongest && !before(s, strongest.back()))
        return;
    strongest.insert(std::upper_bound(strongest.begin(), strongest.end(), s, before), std::move(s));
    if (static_cast<int>(strongest.size()) > kStrongest)
        strongest.pop_back();
}

int64_t countTransfers(store::CaseStore &store)
{
    return countTransfers(store.db());
}

GraphData queryGraph(store::CaseStore &store, const FilterState &filter)
{
    return queryGraph(store.db(), filter);
}

GraphData queryGraph(sql::Db &db, const FilterState &filter)
{
    GraphData out;
    try {
        out.transfersTotal = countTransfers(db);
        const TransferFilterSql f = transferFilterSql(filter);
        const QString sql
            = QStringLiteral(
                  "SELECT t.id, coalesce(t.src_host_id, -1), t.dst_host_id, t.file_name, "
                  "t.method, t.confidence, t.executed, t.first_ts, t.last_ts, coalesce(t.key, "
                  "''), t.benign_tool IS NOT NULL, t.src_host_id IS NOT NULL OR coalesce(t.src_ip, '') <> '', "
                  "coalesce(t.benign_tool, '') FROM transfers t WHERE ")
            + f.where + QStringLiteral(" ORDER BY t.first_ts, t.id");
        auto st = db.prepare(sql.toStdString());
        bindTransferFilter(st, f);
        const UnknownSources unknown = queryUnknownSources(db);
        struct Key {
            int64_t s, d;
            bool operator<(const Key &o) const { return s < o.s || (s == o.s && d < o.d); }
        };
        std::map<Key, size_t> edgeIndex;
        std::map<Key, QSet<QString>> edgeFiles;
        QSet<qint64> hostIds;
        // Hop order: transfers in time order; a host that sends before it ever received is the
        // root of a chain (depth 0); a transfer that first reaches a host sets its depth to the
        // sender's + 1, and that depth is the edge's hop number.
        QHash<qint64, int> depth;
        QHash<qint64, qint64> reachedFrom;
        while (st.step()) {
            const int64_t id = st.int64(0), dst = st.int64(2);
            int64_t src = st.int64(1);
            if (src < 0)
                src = unknown.nodeOfTransfer.value(id, kUnknownSourceHost);
            const QString file = QString::fromStdString(st.text(3));
            const QString method = QString::fromStdString(st.text(4));
            const double conf = st.real(5);
            const bool executed = st.int64(6) != 0;
            const int64_t t0 = st.int64(7), t1 = st.int64(8);
            ++out.transfersInView;
            hostIds.insert(src);
            hostIds.insert(dst);
            const Key k {src, dst};
            auto it = edgeIndex.find(k);
            if (it == edgeIndex.end()) {
                GraphEdge e;
                e.id = static_cast<int64_t>(out.edges.size()) + 1;
                e.source = src;
                e.target = dst;
                e.firstTs = t0;
                e.lastTs = t1;
                it = edgeIndex.emplace(k, out.edges.size()).first;
                out.edges.push_back(e);
            }
            GraphEdge &e = out.edges[it->second];
            ++e.count;
            edgeFiles[k].insert(file.toLower());
            if (!e.methods.contains(method))
                e.methods << method;
            e.minConfidence = std::min(e.minConfidence, conf);
            e.maxConfidence = std::max(e.maxConfidence, conf);
            e.executed |= executed;
            e.firstTs = std::min(e.firstTs, t0);
            e.lastTs = std::max(e.lastTs, t1);
            e.transferIds << id;
            e.transferKeys << QString::fromStdString(st.text(9));
            if (st.int64(10) != 0) {
                ++e.benign;
                out.benignPushes.push_back({id, src, dst, QString::fromStdString(st.text(12)), file, t0});
            }
            e.keepStrongest({id, file, conf, st.int64(11) != 0, {}});
            if (!depth.contains(src))
                depth.insert(src, 0);
            if (!depth.contains(dst)) {
                depth.insert(dst, depth.value(src) + 1);
                reachedFrom.insert(dst, src);
                if (e.hop == 0)
                    e.hop = depth.value(dst);
            }
        }
        // "First source": the root of the deepest chain, where an intrusion most likely began.
        qint64 deepest = 0;
        int maxDepth = -1;
        for (auto it = depth.cbegin(); it != depth.cend(); ++it)
            if (it.value() > maxDepth || (it.value() == maxDepth && it.key() < deepest)) {
                maxDepth = it.value();
                deepest = it.key();
            }
        int64_t firstSource = deepest;
        for (int guard = 0; reachedFrom.contains(firstSource) && guard < 100000; ++guard)
            firstSource = reachedFrom.value(firstSource);
        for (auto &[k, files] : edgeFiles)
            out.edges[edgeIndex[k]].files = static_cast<int>(files.size());
        // The evidence roles of each edge's strongest transfers (what the tooltip's reasons are
        // made of), a few hundred ids per statement.
        QHash<qint64, EdgeTransferScore *> byId;
        for (GraphEdge &e : out.edges)
            for (EdgeTransferScore &t : e.strongest)
                byId.insert(t.id, &t);
        std::vector<qint64> strongIds(byId.keyBegin(), byId.keyEnd());
        std::sort(strongIds.begin(), strongIds.end());
        constexpr size_t kChunk = 400;
        for (size_t at = 0; at < strongIds.size(); at += kChunk) {
            const size_t n = std::min(kChunk, strongIds.size() - at);
            std::string q = "SELECT DISTINCT transfer_id, role FROM transfer_evidence WHERE transfer_id IN (";
            for (size_t i = 0; i < n; ++i)
                q += i ? ",?" : "?";
            q += ") ORDER BY transfer_id, role";
            auto rs = db.prepare(q);
            for (size_t i = 0; i < n; ++i)
                rs.bind(static_cast<int>(i + 1), static_cast<int64_t>(strongIds[at + i]));
            while (rs.step())
                byId.value(rs.int64(0))->roles.push_back(rs.text(1));
        }

        QHash<qint64, size_t> hostIndex;
        auto hs = db.prepare(
            "SELECT h.id, h.name, coalesce(h.fqdn,''), h.is_ip_only, coalesce((SELECT group_concat(address, ', ') "
            "FROM (SELECT DISTINCT address FROM host_addresses a WHERE a.host_id = h.id ORDER BY address) d),''), "
            "h.is_dc FROM hosts h WHERE h.id = ?");
        QList<qint64> ids = hostIds.values();
        std::sort(ids.begin(), ids.end());
        for (qint64 hid : ids) {
            GraphHost h;
            h.id = hid;
            if (hid < 0) {
                const UnknownSource *u = unknown.byNode(hid);
                h.name = unknownSourceName(u);
                h.detail = u ? u->detail : QString();
                h.unknownSource = true;
            } else {
                hs.bind(1, static_cast<int64_t>(hid));
                if (hs.step()) {
                    h.name = QString::fromStdString(hs.text(1));
                    h.fqdn = QString::fromStdString(hs.text(2));
                    h.ipOnly = hs.int64(3) != 0;
                    h.addresses = QString::fromStdString(hs.text(4));
                    h.domainController = hs.int64(5) != 0;
                }
                hs.reset();
            }
            h.firstSource = hid == firstSource && maxDepth > 0;
            hostIndex.insert(hid, out.hosts.size());
            out.hosts.push_back(h);
        }
        for (const GraphEdge &e : out.edges) {
            out.hosts[hostIndex.value(e.source)].sent += e.count;
            out.hosts[hostIndex.value(e.target)].received += e.count;
            if (e.executed)
                out.hosts[hostIndex.value(e.target)].executedTransferred = true;
        }
    } catch (const std::exception &e) {
        out = GraphData {};
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

} // namespace tt
