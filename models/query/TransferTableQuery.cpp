#include "query/TransferTableQuery.h"

#include "query/GraphQuery.h"
#include "query/TransferRecordQuery.h"
#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

namespace tt {

namespace {
// Every column a filter or a sort may need; SQLite drops the LEFT JOINs a query does not use.
constexpr const char *kFrom = " FROM transfers t LEFT JOIN hosts sh ON sh.id = t.src_host_id "
                              "LEFT JOIN hosts dh ON dh.id = t.dst_host_id LEFT JOIN accounts a ON a.id = t.account_id "
                              "LEFT JOIN processes sp ON sp.id = t.src_process_id ";

const QString kSource = QStringLiteral("coalesce(sh.name, t.src_ip, '')");
const QString kAccount = QStringLiteral("CASE WHEN a.id IS NULL THEN '' WHEN a.domain = '' THEN a.name "
                                        "ELSE a.domain || '\\' || a.name END");
// Tag names then the note, for sorting by the analyst's annotations (none: '').
const QString kTags = QStringLiteral(
    "coalesce((SELECT (SELECT coalesce(group_concat(tg.name, ', '), '') FROM annotation_tags at "
    "JOIN tags tg ON tg.id = at.tag_id WHERE at.annotation_id = an.id) || ' ' || an.note FROM annotations an "
    "WHERE an.target_kind = 'transfer' AND an.target_key = t.key), '')");

QString sortExpression(TransferColumn c, bool annotations)
{
    switch (c) {
    case TransferColumn::FirstTs:
        return QStringLiteral("t.first_ts");
    case TransferColumn::LastTs:
        return QStringLiteral("t.last_ts");
    case TransferColumn::Source:
        return kSource + QStringLiteral(" COLLATE NOCASE");
    case TransferColumn::Destination:
        return QStringLiteral("dh.name COLLATE NOCASE");
    case TransferColumn::File:
        return QStringLiteral("t.file_name COLLATE NOCASE");
    case TransferColumn::Path:
        return QStringLiteral("coalesce(t.dst_path, '') COLLATE NOCASE");
    case TransferColumn::Hash:
        return QStringLiteral("coalesce(t.hashes, '')");
    case TransferColumn::Method:
        return QStringLiteral("t.method");
    case TransferColumn::Direction:
        return QStringLiteral("t.direction");
    case TransferColumn::Account:
        return kAccount + QStringLiteral(" COLLATE NOCASE");
    case TransferColumn::SourceProcess:
        return QStringLiteral("coalesce(sp.image, '') COLLATE NOCASE");
    case TransferColumn::Executed:
        return QStringLiteral("t.executed");
    case TransferColumn::Confidence:
        return QStringLiteral("t.confidence");
    case TransferColumn::Tags:
        return annotations ? kTags + QStringLiteral(" COLLATE NOCASE") : QStringLiteral("''");
    case TransferColumn::Count:
        break;
    }
    return QStringLiteral("t.first_ts");
}

bool hasAnnotations(sql::Db &db)
{
    return store::hasTable(db, "annotations");
}

// Case-insensitive substring test (SQLite's lower() on both sides, so both fold alike); the
// value is bound, never part of the SQL text.
QString contains(const QString &expr)
{
    return QStringLiteral(" AND instr(lower(%1), lower(?)) > 0").arg(expr);
}
} // namespace

QVector<qint64> queryTransferTableIds(store::CaseStore &store, const TransferTableSpec &spec)
{
    sql::Db &db = store.db();
    const TransferFilterSql f = transferFilterSql(spec.filter);
    QString where = f.where;
    std::vector<QString> binds;
    if (!spec.method.isEmpty()) {
        where += QStringLiteral(" AND t.method = ?");
        binds.push_back(spec.method);
    }
    if (!spec.source.isEmpty()) {
        where += contains(kSource);
        binds.push_back(spec.source);
    }
    if (!spec.destination.isEmpty()) {
        where += contains(QStringLiteral("dh.name"));
        binds.push_back(spec.destination);
    }
    if (!spec.account.isEmpty()) {
        where += contains(kAccount);
        binds.push_back(spec.account);
    }
    if (spec.executed >= 0)
        where += spec.executed ? QStringLiteral(" AND t.executed != 0") : QStringLiteral(" AND t.executed = 0");
    if (!spec.text.isEmpty()) {
        // One pass over the columns joined by a unit separator, so a match never spans two.
        where += contains(QStringLiteral(
            "t.file_name || char(31) || coalesce(t.dst_path, '') || char(31) || coalesce(t.src_path, '') || char(31) "
            "|| coalesce(t.hashes, '') || char(31) || coalesce(sh.name, '') || char(31) || coalesce(t.src_ip, '') "
            "|| char(31) || dh.name || char(31) || coalesce(a.name, '') || char(31) || coalesce(sp.image, '')"));
        binds.push_back(spec.text);
    }
    const QString dir = spec.descending ? QStringLiteral(" DESC") : QString();
    const QString sql = QStringLiteral("SELECT t.id") + QLatin1String(kFrom) + QStringLiteral("WHERE ") + where
        + QStringLiteral(" ORDER BY ") + sortExpression(spec.sortColumn, hasAnnotations(db)) + dir
        + QStringLiteral(", t.id") + dir;
    auto st = db.prepare(sql.toStdString());
    int next = bindTransferFilter(st, f);
    for (const QString &b : binds)
        st.bind(next++, b.toStdString());
    QVector<qint64> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

std::vector<TransferTableRow> queryTransferTableRows(store::CaseStore &store, const QVector<qint64> &ids)
{
    sql::Db &db = store.db();
    std::vector<TransferTableRow> rows;
    auto s = [](const std::string &v) { return QString::fromStdString(v); };
    for (const TransferRecord &t : readTransferRecordsById(db, std::vector<int64_t>(ids.cbegin(), ids.cend()))) {
        TransferTableRow r;
        r.id = t.id;
        r.key = s(t.key);
        r.srcHostId = t.srcHostId;
        r.dstHostId = t.dstHostId;
        r.accountId = t.accountId;
        r.source = t.srcHostId ? s(t.source) : QString(); // the table shows the address in its own column
        r.sourceIp = s(t.sourceIp);
        r.destination = s(t.destination);
        r.file = s(t.file);
        r.path = s(t.path);
        r.srcPath = s(t.srcPath);
        r.hashes = s(t.hashes);
        r.method = s(t.method);
        r.direction = s(t.direction);
        r.account = s(t.account);
        r.sourceProcess = s(t.sourceProcess);
        r.executingProcess = s(t.executingProcess);
        r.executed = t.executed;
        r.confidence = t.confidence;
        r.confidenceLabel = s(t.confidenceLabel);
        r.rules = s(t.rules);
        r.firstTs = t.firstTs;
        r.lastTs = t.lastTs;
        r.srcEvidence = t.srcEvidence;
        r.dstEvidence = t.dstEvidence;
        rows.push_back(std::move(r));
    }
    return rows;
}

QString confidenceReasons(const TransferTableRow &r)
{
    QString rules = r.rules;
    rules.replace(QLatin1Char(','), QStringLiteral(", "));
    return QStringLiteral("%1 (%2): rules %3; evidence %4 on the source, %5 on the destination")
        .arg(r.confidenceLabel, QString::number(r.confidence, 'f', 2), rules)
        .arg(r.srcEvidence)
        .arg(r.dstEvidence);
}

} // namespace tt
