#include "query/EventBrowserQuery.h"

#include "query/AncestryQuery.h"
#include "query/GraphQuery.h"
#include "store/CaseStore.h"
#include "store/RecordReader.h"
#include "store/SearchIndex.h"
#include "store/Sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>

namespace tt {

namespace {

constexpr const char *kColumns
    = "e.id, e.ts, coalesce(e.host_id,0), coalesce(h.name,''), coalesce(c.name,''), e.event_id, "
      "coalesce(e.account_id,0), coalesce(CASE WHEN a.domain <> '' THEN a.domain || '\\' ELSE '' END || a.name, ''), "
      "e.payload_format, e.block_id, e.block_index";
constexpr const char *kJoins = " LEFT JOIN hosts h ON h.id=e.host_id LEFT JOIN channels c ON c.id=e.channel_id "
                               "LEFT JOIN accounts a ON a.id=e.account_id ";

QString placeholders(qsizetype n)
{
    QStringList p;
    for (qsizetype i = 0; i < n; ++i)
        p << QStringLiteral("?");
    return p.join(QLatin1Char(','));
}

QList<qint64> sorted(const QSet<qint64> &s)
{
    QList<qint64> ids = s.values();
    std::sort(ids.begin(), ids.end());
    return ids;
}

// The scope as a WHERE clause over events e (values bound, never interpolated).
TransferFilterSql eventWhere(const EventBrowserScope &scope)
{
    TransferFilterSql w;
    w.where = QStringLiteral("1=1");
    const FilterState &f = scope.filter;
    if (!f.hosts.isEmpty()) {
        const QList<qint64> ids = sorted(f.hosts);
        w.where += QStringLiteral(" AND e.host_id IN (%1)").arg(placeholders(ids.size()));
        for (qint64 id : ids)
            w.binds.emplace_back(QVariant::fromValue<qlonglong>(id));
    }
    if (!f.accounts.isEmpty()) {
        // Account pivots carry canonical ids (account_links): every spelling of the account counts.
        const QList<qint64> ids = sorted(f.accounts);
        w.where += QStringLiteral(" AND (e.account_id IN (%1) OR e.account_id IN (SELECT account_id FROM "
                                  "account_links WHERE canonical_id IN (%1)))")
                       .arg(placeholders(ids.size()));
        for (int pass = 0; pass < 2; ++pass)
            for (qint64 id : ids)
                w.binds.emplace_back(QVariant::fromValue<qlonglong>(id));
    }
    if (f.fromUs) {
        w.where += QStringLiteral(" AND e.ts >= ?");
        w.binds.emplace_back(QVariant::fromValue<qlonglong>(f.fromUs));
    }
    if (f.toUs) {
        w.where += QStringLiteral(" AND e.ts <= ?");
        w.binds.emplace_back(QVariant::fromValue<qlonglong>(f.toUs));
    }
    if (!scope.channel.isEmpty()) {
        w.where += QStringLiteral(" AND e.channel_id = (SELECT id FROM channels WHERE name = ?)");
        w.binds.emplace_back(scope.channel);
    }
    if (scope.eventId >= 0) {
        w.where += QStringLiteral(" AND e.event_id = ?");
        w.binds.emplace_back(QVariant::fromValue<qlonglong>(scope.eventId));
    }
    if (scope.methodRelevant) {
        FilterState tf = f;
        tf.text.clear();
        const TransferFilterSql t = transferFilterSql(tf);
        w.where += QStringLiteral(" AND e.id IN (SELECT te.event FROM transfer_evidence te JOIN transfers t ON "
                                  "t.id = te.transfer_id WHERE %1)")
                       .arg(t.where);
        w.binds.insert(w.binds.end(), t.binds.begin(), t.binds.end());
    }
    return w;
}

QString leafOf(const QString &name)
{
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? name : name.mid(dot + 1);
}

QString fieldValue(const std::vector<EventField> &fields, const QString &wanted)
{
    for (const EventField &f : fields) // an exact name first (a.b.c as flattened), then the last segment
        if (f.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return f.value;
    for (const EventField &f : fields)
        if (leafOf(f.name).compare(wanted, Qt::CaseInsensitive) == 0)
            return f.value;
    return {};
}

void readRow(sql::Stmt &st, int c, const EventBrowserScope &scope, store::RecordReader &records, EventBrowserRow &r)
{
    r.id = st.int64(c);
    r.hasTime = !st.isNull(c + 1);
    r.ts = r.hasTime ? st.int64(c + 1) : 0;
    r.hostId = st.int64(c + 2);
    const auto qs = [&st](int col) {
        const std::string_view v = st.textView(col);
        return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
    };
    r.host = qs(c + 3);
    r.channel = qs(c + 4);
    r.eventId = st.integer(c + 5);
    r.accountId = st.int64(c + 6);
    r.account = qs(c + 7);
    std::string_view text;
    std::string error;
    if (!records.read(st, c + 9, text, error)) {
        r.summary = QStringLiteral("(corrupt payload: %1)").arg(QString::fromStdString(error));
        return;
    }
    const std::vector<EventField> fields = parsePayloadFields(
        st.integer(c + 8), QByteArray::fromRawData(text.data(), static_cast<qsizetype>(text.size())));
    for (const char *k : {"Image", "NewProcessName", "ProcessName", "exe", "comm"}) {
        r.process = fieldValue(fields, QLatin1String(k));
        if (!r.process.isEmpty() && r.process != QLatin1String("-"))
            break;
        r.process.clear();
    }
    r.summary = summarizeFields(fields);
    for (const QString &col : scope.payloadColumns)
        r.extra << fieldValue(fields, col);
}

bool before(const EventBrowserRow &a, const EventBrowserRow &b)
{
    if (a.hasTime != b.hasTime)
        return !a.hasTime;
    return a.ts < b.ts || (a.ts == b.ts && a.id < b.id);
}

void browsePage(sql::Db &db, const EventBrowserScope &scope, const EventCursor &from, int limit, EventPage &page)
{
    const TransferFilterSql w = eventWhere(scope);
    store::RecordReader records(db);
    EventCursor cur = from;
    if (scope.filter.hasTimeWindow())
        cur.nullPhase = false; // a time window holds no event without a time
    if (cur.nullPhase) {
        auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM events e" + kJoins
            + "WHERE e.ts IS NULL AND e.id > ? AND " + w.where.toStdString() + " ORDER BY e.id LIMIT ?");
        st.bind(1, cur.id);
        const int next = bindTransferFilter(st, w, 2);
        st.bind(next, limit);
        while (st.step()) {
            page.rows.emplace_back();
            readRow(st, 0, scope, records, page.rows.back());
            cur.id = page.rows.back().id;
        }
        if (static_cast<int>(page.rows.size()) >= limit) {
            page.next = cur;
            return;
        }
        cur.nullPhase = false;
        cur.ts = std::numeric_limits<int64_t>::min();
        cur.id = std::numeric_limits<int64_t>::min();
    }
    // A time window starts the keyset there: with the cursor still at the case's start, SQLite
    // took the row value as the index range's start and filtered `ts >= from` entry by entry
    // (20 s for a window 90 % into a 10 M-event case, on every brush).
    if (scope.filter.fromUs && cur.ts < scope.filter.fromUs) {
        cur.ts = scope.filter.fromUs;
        cur.id = std::numeric_limits<int64_t>::min();
    }
    const int want = limit - static_cast<int>(page.rows.size());
    auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM events e" + kJoins
        + "WHERE e.ts IS NOT NULL AND (e.ts, e.id) > (?, ?) AND " + w.where.toStdString()
        + " ORDER BY e.ts, e.id LIMIT ?");
    st.bind(1, cur.ts).bind(2, cur.id);
    st.bind(bindTransferFilter(st, w, 3), want);
    int n = 0;
    while (st.step()) {
        page.rows.emplace_back();
        readRow(st, 0, scope, records, page.rows.back());
        cur.ts = page.rows.back().ts;
        cur.id = page.rows.back().id;
        ++n;
    }
    page.next = cur;
    page.atEnd = n < want;
}

void searchPage(sql::Db &db, const EventBrowserScope &scope, const EventCursor &from, int limit, EventPage &page)
{
    std::vector<std::string> dropped;
    const std::string match = store::ftsQueryForText(scope.search.toStdString(), &dropped);
    if (!dropped.empty()) {
        QStringList words;
        for (const std::string &d : dropped)
            words << QString::fromStdString(d);
        page.note = QStringLiteral("left out (under three characters): %1").arg(words.join(QLatin1Char(' ')));
    }
    if (match.empty()) {
        page.nothingToSearch = true;
        page.atEnd = true;
        return;
    }
    if (from.key < 0)
        page.unindexed = store::searchPendingEvents(db);
    const TransferFilterSql w = eventWhere(scope);
    int64_t lo = from.key;
    int64_t hi = std::numeric_limits<int64_t>::max();
    if (scope.filter.fromUs)
        lo = std::max(lo, store::searchKeyFirst(store::searchSecond(scope.filter.fromUs, true)) - 1);
    if (scope.filter.toUs)
        hi = store::searchKeyLast(store::searchSecond(scope.filter.toUs, true));
    // FTS5 MATCH on a case file. On a server, events_fts is a text column with a pg_trgm index
    // (docs/server.md): every word of the FTS5 query ("w1" "w2", quotes doubled) as a
    // case-insensitive substring, ILIKE with % and _ escaped, which the trigram index serves.
    std::vector<std::string> words;
    if (db.isPostgres()) {
        for (size_t i = 0; i < match.size(); ++i) {
            if (match[i] != '"')
                continue;
            std::string word;
            for (++i; i < match.size(); ++i) {
                if (match[i] == '"') {
                    if (i + 1 < match.size() && match[i + 1] == '"') {
                        word += '"';
                        ++i;
                        continue;
                    }
                    break;
                }
                if (match[i] == '%' || match[i] == '_' || match[i] == '\\')
                    word += '\\';
                word += match[i];
            }
            words.push_back("%" + word + "%");
        }
    }
    std::string textMatch = "events_fts MATCH ?";
    if (!words.empty()) {
        textMatch.clear();
        for (size_t i = 0; i < words.size(); ++i)
            textMatch += (i ? " AND " : "") + std::string("events_fts.text ILIKE ? ESCAPE '\\'");
    }
    auto st = db.prepare(std::string("SELECT events_fts.rowid, ") + kColumns
        + " FROM events_fts JOIN events e ON e.id = " + "(events_fts.rowid & " + std::to_string(store::kSearchIdMask)
        + ")" + kJoins + "WHERE " + textMatch + " AND events_fts.rowid > ? AND events_fts.rowid <= ? AND "
        + w.where.toStdString() + " ORDER BY events_fts.rowid LIMIT ?");
    store::RecordReader records(db);
    int64_t last = lo;
    auto run = [&](int64_t after, int64_t upTo, int max) {
        int idx = 1;
        if (words.empty())
            st.bind(idx++, std::string_view(match));
        for (const std::string &word : words)
            st.bind(idx++, std::string_view(word));
        st.bind(idx, after).bind(idx + 1, upTo);
        st.bind(bindTransferFilter(st, w, idx + 2), max);
        int n = 0;
        while (st.step()) {
            last = st.int64(0);
            page.rows.emplace_back();
            readRow(st, 1, scope, records, page.rows.back());
            ++n;
        }
        st.reset();
        return n;
    };
    const int n = run(lo, hi, limit);
    page.atEnd = n < limit;
    if (!page.atEnd) {
        // Finish the second of the last hit, so the next page starts on a later second.
        const int64_t secondEnd = std::min(hi, store::searchKeyLast(last >> store::kSearchIdBits));
        if (run(last, secondEnd, kMaxSearchPage - n) == 0 && secondEnd == hi)
            page.atEnd = true;
    }
    std::sort(page.rows.begin(), page.rows.end(), before);
    page.next.nullPhase = false;
    page.next.key = last;
}

} // namespace

EventPage queryEventPage(store::CaseStore &store, const EventBrowserScope &scope, const EventCursor &from, int limit,
    const sql::CancelFlag &cancel)
{
    return queryEventPage(store.db(), scope, from, limit, cancel);
}

EventPage queryEventPage(
    sql::Db &db, const EventBrowserScope &scope, const EventCursor &from, int limit, const sql::CancelFlag &cancel)
{
    EventPage page;
    page.next = from;
    try {
        sql::CancelOnFlag guard(db, cancel);
        if (scope.search.trimmed().isEmpty())
            browsePage(db, scope, from, limit, page);
        else
            searchPage(db, scope, from, limit, page);
    } catch (const sql::Error &e) {
        page.rows.clear();
        if (sql::CancelOnFlag::isInterrupt(e.code()) || (cancel && cancel->load()))
            page.interrupted = true;
        else
            page.error = QString::fromUtf8(e.what());
    } catch (const std::exception &e) {
        page.rows.clear();
        page.error = QString::fromUtf8(e.what());
    }
    return page;
}

QStringList queryEventChannels(store::CaseStore &store)
{
    sql::Db &db = store.db();
    QStringList out;
    try {
        auto st = db.prepare("SELECT name FROM channels ORDER BY name");
        while (st.step())
            out << QString::fromStdString(st.text(0));
    } catch (const std::exception &) {
    }
    return out;
}

} // namespace tt
