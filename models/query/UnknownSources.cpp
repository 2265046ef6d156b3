#include "query/UnknownSources.h"

#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QDateTime>
#include <QSet>
#include <QTimeZone>

#include <algorithm>

namespace tt {

const UnknownSource *UnknownSources::forTransfer(qint64 transferId) const
{
    const auto it = nodeOfTransfer.constFind(transferId);
    return it == nodeOfTransfer.cend() ? nullptr : byNode(it.value());
}

const UnknownSource *UnknownSources::byNode(qint64 nodeId) const
{
    const qint64 i = -nodeId - 1;
    return nodeId < 0 && i < qint64(sources.size()) ? &sources[size_t(i)] : nullptr;
}

UnknownSources queryUnknownSources(sql::Db &db)
{
    UnknownSources out;
    // Ordered so that a group is a run of rows: key first, then time.
    auto st = db.prepare(
        "SELECT t.id, t.dst_host_id, coalesce(t.account_id, 0), coalesce(t.src_ip, ''), t.first_ts, t.last_ts, "
        "coalesce(h.name, ''), coalesce(a.name, '') FROM transfers t LEFT JOIN hosts h ON h.id = t.dst_host_id "
        "LEFT JOIN accounts a ON a.id = t.account_id WHERE t.src_host_id IS NULL "
        "ORDER BY t.dst_host_id, coalesce(t.account_id, 0), coalesce(t.src_ip, ''), t.first_ts, t.id");
    int64_t dst = 0, account = -1;
    std::string ip;
    QString dstName, accountName, address;
    QSet<QString> names;
    auto finish = [&] {
        if (out.sources.empty())
            return;
        UnknownSource &u = out.sources.back();
        const QString day
            = QDateTime::fromMSecsSinceEpoch(u.firstTs / 1000, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd"));
        QString name = QStringLiteral("unknown \u2192 %1 %2").arg(dstName, day);
        for (int k = 2; names.contains(name); ++k)
            name = QStringLiteral("unknown \u2192 %1 %2 #%3").arg(dstName, day).arg(k);
        names.insert(name);
        u.name = name;
        auto utc = [](int64_t us) {
            return QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc()).toString(Qt::ISODate);
        };
        u.detail = QStringLiteral("source not in the logs; %1 transfer(s) to %2 by %3%4, %5 to %6")
                       .arg(u.transfers)
                       .arg(dstName, accountName.isEmpty() ? QStringLiteral("an unknown account") : accountName,
                           address.isEmpty() ? QString() : QStringLiteral(" from ") + address, utc(u.firstTs),
                           utc(u.lastTs));
    };
    while (st.step()) {
        const int64_t id = st.int64(0), d = st.int64(1), acc = st.int64(2);
        const std::string addr = st.text(3);
        const int64_t t0 = st.int64(4), t1 = st.int64(5);
        const bool same = !out.sources.empty() && d == dst && acc == account && addr == ip
            && t0 - out.sources.back().lastTs <= kUnknownSourceGapUs;
        if (!same) {
            finish();
            dst = d;
            account = acc;
            ip = addr;
            dstName = QString::fromStdString(st.text(6));
            accountName = QString::fromStdString(st.text(7));
            address = QString::fromStdString(addr);
            UnknownSource u;
            u.nodeId = -static_cast<int64_t>(out.sources.size()) - 1;
            u.dstHost = d;
            u.firstTs = t0;
            u.lastTs = t1;
            out.sources.push_back(u);
        }
        UnknownSource &u = out.sources.back();
        u.lastTs = std::max(u.lastTs, t1);
        ++u.transfers;
        out.nodeOfTransfer.insert(id, u.nodeId);
    }
    finish();
    return out;
}

QString unknownSourceName(const UnknownSource *source)
{
    return source ? source->name : QStringLiteral("unknown source");
}

void nameUnknownSources(sql::Db &db, const std::vector<TransferRecord *> &rows)
{
    if (std::none_of(rows.cbegin(), rows.cend(), [](const TransferRecord *r) { return r->srcHostId == 0; }))
        return;
    const UnknownSources unknown = queryUnknownSources(db);
    for (TransferRecord *r : rows)
        if (r->srcHostId == 0)
            r->source = unknownSourceName(unknown.forTransfer(r->id)).toStdString();
}

void nameUnknownSources(sql::Db &db, std::vector<TransferRecord> &rows)
{
    std::vector<TransferRecord *> all;
    all.reserve(rows.size());
    for (TransferRecord &r : rows)
        all.push_back(&r);
    nameUnknownSources(db, all);
}

void nameUnknownSources(store::CaseStore &cs, std::vector<TransferRecord> &rows)
{
    nameUnknownSources(cs.db(), rows);
}

} // namespace tt
