#include "query/EventSearchIndexer.h"

#include "store/CaseStore.h"
#include "store/RecordReader.h"
#include "store/SearchIndex.h"
#include "store/Sqlite.h"

#include <QElapsedTimer>
#include <QThread>

#include <limits>

namespace tt {

namespace {
constexpr qint64 kMaxTransactionMs = 300;
constexpr unsigned long kYieldMs = 120;
} // namespace

QString eventSearchText(const QString &host, const QString &account, const std::vector<EventField> &fields)
{
    // Values only (no field names, channel or hashes: every trigram costs build time and space),
    // each value once.
    static const char *const kKeys[] = {"Image", "NewProcessName", "CommandLine", "ParentImage", "ParentCommandLine",
        "TargetFilename", "ShareName", "RelativeTargetName", "ObjectName", "ServiceName", "ImagePath", "TargetUserName",
        "SubjectUserName", "WorkstationName", "IpAddress", "SourceIp", "DestinationIp", "DestinationHostname",
        "QueryName", "ProcessName", "TargetServerName"};
    QStringList values {host, account};
    bool windows = false;
    for (const EventField &f : fields) {
        const qsizetype dot = f.name.lastIndexOf(QLatin1Char('.'));
        const QStringView leaf = dot < 0 ? QStringView(f.name) : QStringView(f.name).mid(dot + 1);
        for (const char *k : kKeys) {
            if (leaf.compare(QLatin1String(k), Qt::CaseInsensitive) == 0) {
                windows = true;
                if (!f.value.isEmpty() && f.value != QLatin1String("-") && !values.contains(f.value))
                    values << f.value.left(2000);
                break;
            }
        }
    }
    if (!windows) // Zeek, Linux and other records: what the summary shows
        values << summarizeFields(fields, 2000);
    return values.join(QLatin1Char(' '));
}

SearchIndexBuild buildSearchIndex(store::CaseStore &store, const std::atomic<bool> *cancel,
    const std::function<void(int64_t, int64_t)> &progress, int batch)
{
    return buildSearchIndex(store.db(), cancel, progress, batch);
}

namespace {
SearchIndexBuild build(sql::Db &db, const std::atomic<bool> *cancel,
    const std::function<void(int64_t, int64_t)> &progress, int batch, qint64 maxTransactionMs, unsigned long yieldMs)
{
    SearchIndexBuild out;
    QElapsedTimer timer;
    timer.start();
    try {
        int64_t through = store::searchIndexedThrough(db);
        out.total = store::searchPendingEvents(db);
        auto read = db.prepare(
            "SELECT e.id, e.ts, coalesce(h.name,''), coalesce(c.name,''), e.event_id, "
            "coalesce(CASE WHEN a.domain <> '' THEN a.domain || '\\' ELSE '' END || a.name, ''), e.payload_format, "
            "e.block_id, e.block_index FROM events e LEFT JOIN hosts h ON h.id=e.host_id "
            "LEFT JOIN channels c ON c.id=e.channel_id LEFT JOIN accounts a ON a.id=e.account_id "
            "WHERE e.id > ? ORDER BY e.id LIMIT ?");
        auto insert = db.prepare("INSERT INTO events_fts(rowid, text) VALUES(?, ?)");
        store::RecordReader records(db);
        std::string_view payload;
        std::string error;
        while (!(cancel && cancel->load())) {
            sql::Transaction tx(db);
            read.bind(1, through).bind(2, batch);
            int64_t n = 0;
            QElapsedTimer held;
            held.start();
            // Short transactions: the session's annotation edits and an import wait for at most one
            // (SQLite's busy timeout is 5 s; a loaded machine makes 20 000 events take longer).
            while (held.elapsed() < maxTransactionMs && read.step()) {
                ++n;
                const int64_t id = read.int64(0);
                through = id;
                if (id > store::kSearchIdMask) {
                    ++out.skippedIds;
                    continue;
                }
                const bool hasTime = !read.isNull(1);
                std::vector<EventField> fields;
                if (records.read(read, 7, payload, error))
                    fields = parsePayloadFields(read.integer(6),
                        QByteArray::fromRawData(payload.data(), static_cast<qsizetype>(payload.size())));
                const QByteArray text
                    = eventSearchText(QString::fromUtf8(read.textView(2)), QString::fromUtf8(read.textView(5)), fields)
                          .toUtf8();
                insert.bind(1, store::searchKey(hasTime ? read.int64(1) : 0, hasTime, id))
                    .bindStatic(2, std::string_view(text.constData(), static_cast<size_t>(text.size())));
                insert.exec();
            }
            read.reset();
            if (n == 0)
                break;
            store::setSearchIndexedThrough(db, through);
            tx.commit();
            out.indexed += n;
            if (progress)
                progress(out.indexed, out.total);
            // Leave the write lock free for longer than SQLite's longest busy-handler sleep (100 ms):
            // a writer waiting on it (an annotation edit, an import) gets its turn after at most one
            // batch instead of starving until its busy timeout while batches follow back to back.
            if (yieldMs && !(cancel && cancel->load()))
                QThread::msleep(yieldMs);
        }
        out.cancelled = cancel && cancel->load();
        if (!out.cancelled && out.indexed > 0)
            store::settleSearchIndex(db);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
    }
    out.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return out;
}
} // namespace

SearchIndexBuild buildSearchIndex(
    sql::Db &db, const std::atomic<bool> *cancel, const std::function<void(int64_t, int64_t)> &progress, int batch)
{
    return build(db, cancel, progress, batch, kMaxTransactionMs, kYieldMs);
}

SearchIndexBuild buildSearchIndexAlone(sql::Db &db, const std::function<void(int64_t, int64_t)> &progress, int batch)
{
    return build(db, nullptr, progress, batch, std::numeric_limits<qint64>::max(), 0);
}

} // namespace tt
