#include "query/TransferTableQuery.h"

#include "query/GraphQuery.h"
#include "query/TransferRecordQuery.h"
#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QHash>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

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
    case TransferColumn::SourceProcess:
        return QStringLiteral("coalesce(sp.image, '') COLLATE NOCASE");
    case TransferColumn::Executed:
        return QStringLiteral("t.executed");
    case TransferColumn::Confidence:
        return QStringLiteral("t.confidence");
    case TransferColumn::Tags:
        return annotations ? kTags + QStringLiteral(" COLLATE NOCASE") : QStringLiteral("''");
    case TransferColumn::Benign:
        return QStringLiteral("coalesce(t.benign_tool, '')");
    case TransferColumn::Source: // by rank (sortedByRank)
    case TransferColumn::Destination:
    case TransferColumn::Account:
    case TransferColumn::Count:
        break;
    }
    return QStringLiteral("t.first_ts");
}

// The host and account columns sort by rank: hosts and accounts are few (hundreds to thousands),
// transfers many (100 000s). SQLite sorting 100 000 rows by a joined name (NOCASE) or by a rank
// joined per row costs 70-120 ms of CPU; reading (id, key id) unsorted costs ~20 and sorting
// integers here a few more. The ranks come from the names in SQL (dense_rank: equal names tie,
// as equal texts did); no host / account ranks 0 (first ascending, as NULL / '' sorted).
QHash<qint64, int64_t> ranksOf(sql::Db &db, const char *sql)
{
    QHash<qint64, int64_t> out;
    auto st = db.prepare(sql);
    while (st.step())
        out.insert(st.int64(0), st.int64(1));
    return out;
}

bool rankedColumn(TransferColumn c)
{
    return c == TransferColumn::Source || c == TransferColumn::Destination || c == TransferColumn::Account;
}

QVector<qint64> sortedByRank(sql::Db &db, TransferColumn c, bool descending, sql::Stmt &st)
{
    const QHash<qint64, int64_t> rank = c == TransferColumn::Account
        ? ranksOf(db,
            "SELECT id, dense_rank() OVER (ORDER BY CASE WHEN domain = '' THEN name ELSE domain || '\\' || name END "
            "COLLATE NOCASE) FROM accounts")
        : ranksOf(db, "SELECT id, dense_rank() OVER (ORDER BY name COLLATE NOCASE) FROM hosts");
    struct Row {
        int64_t rank, id;
        std::string address; // Source without a host: its address (lower case), the next key
    };
    std::vector<Row> rows;
    while (st.step()) {
        const int64_t key = st.isNull(1) ? 0 : st.int64(1);
        rows.push_back({key ? rank.value(key, 0) : 0, st.int64(0), st.isNull(2) ? std::string() : st.text(2)});
        for (char &ch : rows.back().address)
            ch = ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch;
    }
    std::sort(rows.begin(), rows.end(), [descending](const Row &a, const Row &b) {
        return descending ? std::tie(b.rank, b.address, b.id) < std::tie(a.rank, a.address, a.id)
                          : std::tie(a.rank, a.address, a.id) < std::tie(b.rank, b.address, b.id);
    });
    QVector<qint64> out;
    out.reserve(qsizetype(rows.size()));
    for (const Row &r : rows)
        out.push_back(r.id);
    return out;
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
    if (spec.benign >= 0)
        where += spec.benign ? QStringLiteral(" AND t.benign_tool IS NOT NULL")
                             : QStringLiteral(" AND t.benign_tool IS NULL");
    if (!spec.text.isEmpty()) {
        // One pass over the columns joined by a unit separator, so a match never spans two.
        where += contains(QStringLiteral(
            "t.file_name || char(31) || coalesce(t.dst_path, '') || char(31) || coalesce(t.src_path, '') || char(31) "
            "|| coalesce(t.hashes, '') || char(31) || coalesce(sh.name, '') || char(31) || coalesce(t.src_ip, '') "
            "|| char(31) || dh.name || char(31) || coalesce(a.name, '') || char(31) || coalesce(sp.image, '')"));
        binds.push_back(spec.text);
    }
    if (rankedColumn(spec.sortColumn)) {
        const QString key = spec.sortColumn == TransferColumn::Source ? QStringLiteral("t.src_host_id, t.src_ip")
            : spec.sortColumn == TransferColumn::Destination          ? QStringLiteral("t.dst_host_id, NULL")
                                                                      : QStringLiteral("t.account_id, NULL");
        const QString sql
            = QStringLiteral("SELECT t.id, ") + key + QLatin1String(kFrom) + QStringLiteral("WHERE ") + where;
        auto st = db.prepare(sql.toStdString());
        int next = bindTransferFilter(st, f);
        for (const QString &b : binds)
            st.bind(next++, b.toStdString());
        return sortedByRank(db, spec.sortColumn, spec.descending, st);
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
    std::vector<TransferRecord> records = readTransferRecordsById(db, std::vector<int64_t>(ids.cbegin(), ids.cend()));
    nameUnknownSources(db, records);
    for (const TransferRecord &t : records) {
        TransferTableRow r;
        r.id = t.id;
        r.key = s(t.key);
        r.srcHostId = t.srcHostId;
        r.dstHostId = t.dstHostId;
        r.accountId = t.accountId;
        r.source = s(t.source); // an unknown source as the graph names it; the address has its own column
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
        r.benignTool = s(t.benignTool);
        r.benignReason = s(t.benignReason);
        r.firstTs = t.firstTs;
        r.lastTs = t.lastTs;
        r.srcEvidence = t.srcEvidence;
        r.dstEvidence = t.dstEvidence;
        r.roles = t.roles;
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
