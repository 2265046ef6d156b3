#include "query/HostLookup.h"

#include "query/GraphQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <exception>

namespace tt {

int hostMatchRank(const QString &text, const QString &name, const QString &fqdn, const QString &addresses)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return 0;
    const QStringList addrs = addresses.split(QStringLiteral(", "), Qt::SkipEmptyParts);
    auto eq = [&t](const QString &s) { return !s.isEmpty() && s.compare(t, Qt::CaseInsensitive) == 0; };
    if (eq(name))
        return 7;
    if (eq(fqdn) || eq(fqdn.section(QLatin1Char('.'), 0, 0)))
        return 6;
    for (const QString &a : addrs)
        if (eq(a))
            return 5;
    if (name.startsWith(t, Qt::CaseInsensitive))
        return 4;
    if (fqdn.startsWith(t, Qt::CaseInsensitive))
        return 3;
    for (const QString &a : addrs)
        if (a.startsWith(t, Qt::CaseInsensitive))
            return 2;
    if (name.contains(t, Qt::CaseInsensitive) || fqdn.contains(t, Qt::CaseInsensitive))
        return 1;
    return 0;
}

HostLookup lookupHost(store::CaseStore &store, const QString &text, const FilterState &filter)
{
    sql::Db &db = store.db();
    HostLookup best;
    try {
        // Hosts are few (tens to thousands): rank them all here, with the rule above.
        auto st = db.prepare(
            "SELECT h.id, h.name, coalesce(h.fqdn,''), coalesce((SELECT group_concat(address, ', ') FROM (SELECT "
            "DISTINCT address FROM host_addresses a WHERE a.host_id = h.id ORDER BY address) d),''), h.event_count "
            "FROM hosts h ORDER BY h.event_count DESC, h.name");
        while (st.step()) {
            const QString name = QString::fromStdString(st.text(1));
            const int rank
                = hostMatchRank(text, name, QString::fromStdString(st.text(2)), QString::fromStdString(st.text(3)));
            if (rank > best.rank) {
                best.id = st.int64(0);
                best.name = name;
                best.rank = rank;
                best.events = st.int64(4);
            }
        }
        if (!best.id)
            return best;
        auto all = db.prepare("SELECT count(*) FROM transfers WHERE src_host_id = ?1 OR dst_host_id = ?1");
        all.bind(1, best.id);
        if (all.step())
            best.transfers = all.int64(0);
        const TransferFilterSql f = transferFilterSql(filter);
        const QString inFilter
            = QStringLiteral("SELECT count(*) FROM transfers t WHERE (t.src_host_id = ? OR t.dst_host_id = ?) AND ")
            + f.where;
        auto in = db.prepare(inFilter.toStdString());
        in.bind(1, best.id).bind(2, best.id);
        bindTransferFilter(in, f, 3);
        if (in.step())
            best.transfersInFilter = in.int64(0);
    } catch (const std::exception &e) {
        best = HostLookup {};
        best.error = QString::fromUtf8(e.what());
    }
    return best;
}

} // namespace tt
