#include "query/PivotQuery.h"

#include "query/GraphQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

namespace tt {

namespace {
// One dimension's values with two counts: over the whole case (`total`) and under `filter`
// (`count`), in one pass. `sqlText` holds %1 where the filter's condition goes.
QVector<PivotValue> rows(sql::Db &db, const QString &sqlText, const FilterState &filter)
{
    const TransferFilterSql f = transferFilterSql(filter);
    QVector<PivotValue> out;
    auto st = db.prepare(sqlText.arg(f.where).toStdString());
    bindTransferFilter(st, f, 1);
    while (st.step())
        out.push_back({st.int64(0), QString::fromStdString(st.text(1)), st.int64(2), st.int64(3)});
    return out;
}
} // namespace

PivotChoices queryPivotChoices(store::CaseStore &store, const FilterState &filter)
{
    sql::Db &db = store.db();
    PivotChoices c;
    try {
        // Each dimension counts under the filter without its own pivots (accounts are OR-ed: with
        // one account chosen, the others still show what they would add), so the counts say what
        // a pick would leave. Ordered by that count, then by the whole case's.
        FilterState f = filter;
        f.accounts.clear();
        c.accounts = rows(db,
            QStringLiteral("SELECT a.id, CASE WHEN a.domain = '' THEN a.name ELSE a.domain || '\\' || a.name END, "
                           "sum(CASE WHEN %1 THEN 1 ELSE 0 END), count(*) "
                           "FROM transfers t JOIN accounts a ON a.id = t.account_id GROUP BY a.id "
                           "ORDER BY 3 DESC, 4 DESC, 2"),
            f);
        // The parent of the process that pushed a file and of the one that ran it: a pivot on
        // e.g. services.exe or wmiprvse.exe shows every transfer that such a parent led to.
        f = filter;
        f.parentImages.clear();
        c.parentImages = rows(db,
            QStringLiteral("SELECT 0, p.parent_image, count(DISTINCT CASE WHEN %1 THEN t.id END), "
                           "count(DISTINCT t.id) FROM transfers t JOIN processes p "
                           "ON p.id IN (t.src_process_id, t.dst_process_id) WHERE p.parent_image IS NOT NULL "
                           "GROUP BY p.parent_image COLLATE NOCASE ORDER BY 3 DESC, 4 DESC, 2"),
            f);
        f = filter;
        f.hosts.clear();
        c.hosts = rows(db,
            QStringLiteral("SELECT h.id, h.name, sum(CASE WHEN %1 THEN 1 ELSE 0 END), count(*) FROM transfers t "
                           "JOIN hosts h ON h.id IN (t.src_host_id, t.dst_host_id) GROUP BY h.id "
                           "ORDER BY 3 DESC, 4 DESC, 2"),
            f);
        f = filter;
        f.methods.clear();
        c.methods = rows(db,
            QStringLiteral("SELECT 0, method, sum(CASE WHEN %1 THEN 1 ELSE 0 END), count(*) FROM transfers t "
                           "GROUP BY method ORDER BY 3 DESC, 4 DESC, 2"),
            f);
    } catch (const std::exception &e) {
        c = PivotChoices {};
        c.error = QString::fromUtf8(e.what());
    }
    return c;
}

} // namespace tt
