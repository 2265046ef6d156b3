#include "query/TransferTableQuery.h"

#include "query/GraphQuery.h"
#include "query/TransferRecordQuery.h"
#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QHash>

#include <algorithm>
#include <functional>
#include <numeric>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
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

// SQLite's NOCASE: ASCII letters folded, every other byte as it is.
std::string foldAscii(std::string_view v)
{
    std::string out(v);
    for (char &ch : out)
        ch = ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch;
    return out;
}

// Dense ranks of byte strings (memcmp order, which is code point order for UTF-8): equal strings
// tie; the empty string (NULL read as '') ranks 0 when present, as the lowest value.
std::vector<uint32_t> denseTextRanks(const std::vector<std::string> &values)
{
    std::unordered_map<std::string_view, uint32_t> distinct;
    distinct.reserve(values.size() / 4 + 16);
    std::vector<uint32_t> slot(values.size());
    std::vector<std::string_view> uniques;
    for (size_t i = 0; i < values.size(); ++i) {
        const auto [it, added] = distinct.emplace(values[i], uint32_t(uniques.size()));
        if (added)
            uniques.emplace_back(values[i]);
        slot[i] = it->second;
    }
    std::vector<uint32_t> order(uniques.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return uniques[a] < uniques[b]; });
    std::vector<uint32_t> rankOfUnique(uniques.size());
    for (size_t r = 0; r < order.size(); ++r)
        rankOfUnique[order[r]] = uint32_t(r); // uniques are distinct: the position is the dense rank
    for (uint32_t &s : slot)
        s = rankOfUnique[s];
    return slot;
}

// Dense ranks of numbers (any type with <).
template<typename T> std::vector<uint32_t> denseRanks(const std::vector<T> &values)
{
    std::vector<uint32_t> order(values.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return values[a] < values[b]; });
    std::vector<uint32_t> out(values.size());
    uint32_t r = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        if (i > 0 && values[order[i - 1]] < values[order[i]])
            ++r;
        out[order[i]] = r;
    }
    return out;
}

// A rank first, then text: one byte string whose memcmp order is the tuple's (big-endian rank).
std::string rankThenText(uint32_t rank, std::string_view text)
{
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i)
        out[size_t(i)] = char((rank >> (8 * (3 - i))) & 0xff);
    out.append(text);
    return out;
}

// The Tags / notes column: the annotated transfers' text (tag names then note, folded); the
// others rank 0 ('').
std::vector<uint32_t> tagRanks(sql::Db &db, const TransferSortKeys &keys)
{
    std::vector<std::string> text(keys.ids.size());
    if (hasAnnotations(db)) {
        auto st = db.prepare(("SELECT t.id, " + kTags.toStdString()
            + " FROM transfers t WHERE t.key IN (SELECT target_key FROM annotations WHERE target_kind = 'transfer')"));
        while (st.step())
            if (const int64_t i = keys.indexOf(st.int64(0)); i >= 0)
                text[size_t(i)] = foldAscii(st.textView(1));
    }
    return denseTextRanks(text);
}

// Case-insensitive substring test (SQLite's lower() on both sides, so both fold alike); the
// value is bound, never part of the SQL text.
QString contains(const QString &expr)
{
    return QStringLiteral(" AND instr(lower(%1), lower(?)) > 0").arg(expr);
}
} // namespace

int64_t TransferSortKeys::indexOf(int64_t id) const
{
    if (ids.empty() || id < ids.front() || id > ids.back())
        return -1;
    if (ids.back() - ids.front() + 1 == int64_t(ids.size())) // no gaps: the usual case
        return id - ids.front();
    const auto it = std::lower_bound(ids.begin(), ids.end(), id);
    return it != ids.end() && *it == id ? it - ids.begin() : -1;
}

TransferSortKeys readTransferSortKeys(store::CaseStore &store, const TransferSortKeys *reuse)
{
    sql::Db &db = store.db();
    if (reuse) {
        TransferSortKeys keys = *reuse;
        keys.rank[size_t(TransferColumn::Tags)] = tagRanks(db, keys);
        return keys;
    }
    // Hosts and accounts are few: their names are ranked by SQL (dense_rank, from 1), as sortedByRank does.
    const QHash<qint64, int64_t> hosts
        = ranksOf(db, "SELECT id, dense_rank() OVER (ORDER BY name COLLATE NOCASE) FROM hosts");
    const QHash<qint64, int64_t> accounts = ranksOf(db,
        "SELECT id, dense_rank() OVER (ORDER BY CASE WHEN domain = '' THEN name ELSE domain || '\\' || name END "
        "COLLATE NOCASE) FROM accounts");

    TransferSortKeys keys;
    std::vector<int64_t> firstTs, lastTs, executed;
    std::vector<double> confidence;
    std::vector<uint32_t> destination, account;
    std::vector<std::string> source, file, path, hash, method, direction, process, benign;
    auto st = db.prepare("SELECT t.id, t.first_ts, t.last_ts, t.src_host_id, t.src_ip, t.dst_host_id, t.file_name, "
                         "t.dst_path, t.hashes, t.method, t.direction, t.account_id, sp.image, t.executed, "
                         "t.confidence, t.benign_tool FROM transfers t "
                         "LEFT JOIN processes sp ON sp.id = t.src_process_id ORDER BY t.id");
    auto rankOf = [](const QHash<qint64, int64_t> &ranks, const sql::Stmt &s, int col) {
        return s.isNull(col) ? 0U : uint32_t(ranks.value(s.int64(col), 0)); // unknown: 0, as NULL sorted first
    };
    while (st.step()) {
        keys.ids.push_back(st.int64(0));
        firstTs.push_back(st.int64(1));
        lastTs.push_back(st.int64(2));
        source.push_back(rankThenText(rankOf(hosts, st, 3), foldAscii(st.textView(4))));
        destination.push_back(rankOf(hosts, st, 5));
        file.push_back(foldAscii(st.textView(6)));
        path.push_back(foldAscii(st.textView(7)));
        hash.emplace_back(st.textView(8));
        method.emplace_back(st.textView(9));
        direction.emplace_back(st.textView(10));
        account.push_back(rankOf(accounts, st, 11));
        process.push_back(foldAscii(st.textView(12)));
        executed.push_back(st.int64(13));
        confidence.push_back(st.real(14));
        benign.emplace_back(st.textView(15));
    }
    auto &rank = keys.rank;
    rank[size_t(TransferColumn::FirstTs)] = denseRanks(firstTs);
    rank[size_t(TransferColumn::LastTs)] = denseRanks(lastTs);
    rank[size_t(TransferColumn::Source)] = denseTextRanks(source);
    rank[size_t(TransferColumn::Destination)] = std::move(destination); // host ranks already
    rank[size_t(TransferColumn::File)] = denseTextRanks(file);
    rank[size_t(TransferColumn::Path)] = denseTextRanks(path);
    rank[size_t(TransferColumn::Hash)] = denseTextRanks(hash);
    rank[size_t(TransferColumn::Method)] = denseTextRanks(method);
    rank[size_t(TransferColumn::Direction)] = denseTextRanks(direction);
    rank[size_t(TransferColumn::Account)] = std::move(account);
    rank[size_t(TransferColumn::SourceProcess)] = denseTextRanks(process);
    rank[size_t(TransferColumn::Executed)] = denseRanks(executed);
    rank[size_t(TransferColumn::Confidence)] = denseRanks(confidence);
    rank[size_t(TransferColumn::Benign)] = denseTextRanks(benign);
    rank[size_t(TransferColumn::Tags)] = tagRanks(db, keys);
    return keys;
}

QVector<qint64> sortTransferIds(
    const TransferSortKeys &keys, const QVector<qint64> &ids, TransferColumn column, bool descending)
{
    const std::vector<uint32_t> &rank = keys.rank[size_t(column)];
    // (rank, position in keys.ids) packed in one integer: positions follow ids, so one integer
    // sort orders by rank, then id.
    std::vector<uint64_t> packed;
    packed.reserve(size_t(ids.size()));
    std::vector<qint64> unknown;
    for (qint64 id : ids) {
        const int64_t i = keys.indexOf(id);
        if (i < 0)
            unknown.push_back(id);
        else
            packed.push_back(uint64_t(rank[size_t(i)]) << 32 | uint64_t(i));
    }
    std::sort(unknown.begin(), unknown.end());
    QVector<qint64> out;
    out.reserve(ids.size());
    if (descending) {
        std::sort(packed.begin(), packed.end(), std::greater<>());
        out.append(QVector<qint64>(unknown.rbegin(), unknown.rend()));
    } else {
        std::sort(packed.begin(), packed.end());
    }
    for (uint64_t p : packed)
        out.push_back(keys.ids[size_t(p & 0xffffffffU)]);
    if (!descending)
        out.append(QVector<qint64>(unknown.begin(), unknown.end()));
    return out;
}

QVector<qint64> queryTransferTableIds(
    store::CaseStore &store, const TransferTableSpec &spec, const TransferSortKeys *keys)
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
    if (keys && keys->has(spec.sortColumn)) {
        const QString sql = QStringLiteral("SELECT t.id") + QLatin1String(kFrom) + QStringLiteral("WHERE ") + where;
        auto st = db.prepare(sql.toStdString());
        int next = bindTransferFilter(st, f);
        for (const QString &b : binds)
            st.bind(next++, b.toStdString());
        QVector<qint64> ids;
        while (st.step())
            ids.push_back(st.int64(0));
        return sortTransferIds(*keys, ids, spec.sortColumn, spec.descending);
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
