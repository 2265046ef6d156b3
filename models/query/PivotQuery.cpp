#include "query/PivotQuery.h"

#include "store/Sqlite.h"

namespace tt {

namespace {
QVector<PivotValue> rows(sql::Db &db, const char *sqlText)
{
    QVector<PivotValue> out;
    auto st = db.prepare(sqlText);
    while (st.step())
        out.push_back({st.int64(0), QString::fromStdString(st.text(1)), st.int64(2)});
    return out;
}
} // namespace

PivotChoices queryPivotChoices(sql::Db &db)
{
    PivotChoices c;
    try {
        c.accounts = rows(db,
            "SELECT a.id, CASE WHEN a.domain = '' THEN a.name ELSE a.domain || '\\' || a.name END, count(*) "
            "FROM transfers t JOIN accounts a ON a.id = t.account_id GROUP BY a.id ORDER BY 3 DESC, 2");
        // The parent of the process that pushed a file and of the one that ran it: a pivot on
        // e.g. services.exe or wmiprvse.exe shows every transfer that such a parent led to.
        c.parentImages = rows(db,
            "SELECT 0, p.parent_image, count(DISTINCT t.id) FROM transfers t JOIN processes p "
            "ON p.id IN (t.src_process_id, t.dst_process_id) WHERE p.parent_image IS NOT NULL "
            "GROUP BY p.parent_image COLLATE NOCASE ORDER BY 3 DESC, 2");
        c.hosts = rows(db,
            "SELECT h.id, h.name, count(*) FROM transfers t JOIN hosts h ON h.id IN (t.src_host_id, "
            "t.dst_host_id) GROUP BY h.id ORDER BY 3 DESC, 2");
        c.methods = rows(db, "SELECT 0, method, count(*) FROM transfers GROUP BY method ORDER BY 3 DESC, 2");
    } catch (const std::exception &e) {
        c = PivotChoices {};
        c.error = QString::fromUtf8(e.what());
    }
    return c;
}

} // namespace tt
