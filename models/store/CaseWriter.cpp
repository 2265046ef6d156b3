#include "store/CaseWriter.h"

#include "store/AddressBindings.h"
#include "store/CaseStore.h"
#include "store/HostName.h"
#include "store/InferenceState.h"
#include "store/PgDb.h"
#include "store/PgPartitions.h"
#include "store/RowBinding.h"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace tt::store {

CaseWriter::CaseWriter(CaseStore &store)
    : CaseWriter(store.db())
{
}

CaseWriter::CaseWriter(sql::Db &db)
    : m_db(db)
    , m_blocks(db)
{
    m_partitioned = db.isPostgres() && pgEventsPartitioned(*db.pg());
    m_copyEvents = db.isPostgres();
    m_copyFile.sql = "COPY file_events(event, host_id, ts, kind, path, image, process_guid, pid, account_id, "
                     "access_mask, hashes) FROM STDIN";
    m_copyNet.sql = "COPY net_connections(event, host_id, ts, protocol, initiated, src_ip, src_port, src_name, dst_ip, "
                    "dst_port, dst_name, image, process_guid, pid, account_id) FROM STDIN";
    m_copyShare.sql = "COPY share_accesses(event, host_id, ts, code, share_name, share_path, relative_target, "
                      "access_mask, access_list, src_ip, src_port, account_id, logon_id) FROM STDIN";
    m_copyService.sql = "COPY service_installs(event, host_id, ts, origin, service_name, image_path, service_type, "
                        "start_type, service_account, account_id) FROM STDIN";
    m_copyDns.sql = "COPY dns_queries(event, host_id, ts, query, results, status, image, process_guid) FROM STDIN";
    m_copyExplicit.sql = "COPY explicit_logons(event, host_id, ts, subject_account_id, subject_logon_id, "
                         "target_account_id, target_server, target_info, ip, port, process_image, pid) FROM STDIN";
    m_insEvent = db.prepareInsert(
        "INSERT INTO events(ts, ts_source, host_id, channel_id, provider_id, event_id, record_id, "
        "account_id, source_id, position, payload_format, block_id, block_index) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_insLogon = db.prepare("INSERT INTO logon_sessions(event, host_id, ts, outcome, origin, logon_id, logon_type, "
                            "account_id, source_ip, source_port, workstation, auth_package, logon_process, elevated, "
                            "session_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_endLogon = db.prepare("UPDATE logon_sessions SET end_ts=?1 WHERE host_id=?2 AND logon_id=?3 AND end_ts IS NULL "
                            "AND outcome='success' AND (ts IS NULL OR ts <= ?1)");
    m_privLogon = db.prepare("UPDATE logon_sessions SET privileged=1 WHERE host_id=? AND logon_id=?");
    m_insExplicit = db.prepare("INSERT INTO explicit_logons(event, host_id, ts, subject_account_id, subject_logon_id, "
                               "target_account_id, target_server, target_info, ip, port, process_image, pid) "
                               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    m_insProcess
        = db.prepare("INSERT INTO processes(event, host_id, origin, guid, pid, image, command_line, "
                     "current_directory, parent_guid, parent_pid, parent_image, account_id, logon_id, hashes_id, "
                     "start_ts) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_endProcGuid
        = db.prepare("UPDATE processes SET end_ts=?, end_event=? WHERE host_id=? AND guid=? AND end_ts IS NULL");
    // The latest started; one without a start time only when there is no other. That is SQLite's
    // order (NULL is the smallest value); PostgreSQL's DESC puts NULLs first unless told, and the
    // newest row first among equal start times is the order SQLite's index gives.
    m_endProcPid = db.prepare(db.isPostgres()
            ? "UPDATE processes SET end_ts=?1, end_event=?2 WHERE id=(SELECT id FROM processes WHERE "
              "host_id=?3 AND pid=?4 AND end_ts IS NULL AND (start_ts IS NULL OR start_ts<=?1) "
              "ORDER BY start_ts DESC NULLS LAST, id DESC LIMIT 1)"
            : "UPDATE processes SET end_ts=?1, end_event=?2 WHERE id=(SELECT id FROM processes WHERE "
              "host_id=?3 AND pid=?4 AND end_ts IS NULL AND (start_ts IS NULL OR start_ts<=?1) "
              "ORDER BY start_ts DESC LIMIT 1)");
    m_insFile
        = db.prepare("INSERT INTO file_events(event, host_id, ts, kind, path, image, process_guid, pid, account_id, "
                     "access_mask, hashes) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    m_insNet = db.prepare(
        "INSERT INTO net_connections(event, host_id, ts, protocol, initiated, src_ip, src_port, src_name, "
        "dst_ip, dst_port, dst_name, image, process_guid, pid, account_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_insShare = db.prepare(
        "INSERT INTO share_accesses(event, host_id, ts, code, share_name, share_path, relative_target, "
        "access_mask, access_list, src_ip, src_port, account_id, logon_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_insService = db.prepare("INSERT INTO service_installs(event, host_id, ts, origin, service_name, image_path, "
                              "service_type, start_type, service_account, account_id) VALUES(?,?,?,?,?,?,?,?,?,?)");
    m_insDns = db.prepare("INSERT INTO dns_queries(event, host_id, ts, query, results, status, image, process_guid) "
                          "VALUES(?,?,?,?,?,?,?,?)");
    m_insIssue = db.prepare("INSERT INTO import_issues(source_id, position, severity, message) VALUES(?,?,?,?)");
    m_findHostName = db.prepare("SELECT host_id FROM host_names WHERE name=?");
    m_insHost = db.prepare("INSERT INTO hosts(name, fqdn, is_ip_only) VALUES(?,?,?) "
                           "ON CONFLICT(name) DO UPDATE SET fqdn=coalesce(hosts.fqdn, excluded.fqdn) RETURNING id");
    m_insHostName = db.prepare("INSERT INTO host_names(name, host_id, kind) VALUES(?,?,?) ON CONFLICT DO NOTHING");
    m_setFqdn = db.prepare("UPDATE hosts SET fqdn=? WHERE id=? AND fqdn IS NULL");
    m_findAccount = db.prepare("SELECT id, sid FROM accounts WHERE domain=? AND name_key=?");
    m_insAccount = db.prepareInsert("INSERT INTO accounts(domain, name, name_key, sid, is_machine) VALUES(?,?,?,?,?)");
    m_setSid = db.prepare("UPDATE accounts SET sid=? WHERE id=? AND sid IS NULL");
    m_findChannel = db.prepare("SELECT id FROM channels WHERE name=?");
    m_insChannel = db.prepareInsert("INSERT INTO channels(name) VALUES(?)");
    m_findProvider = db.prepare("SELECT id FROM providers WHERE name=?");
    m_insProvider = db.prepareInsert("INSERT INTO providers(name) VALUES(?)");
    m_findHashes = db.prepare("SELECT id FROM process_hashes WHERE hashes=?");
    m_insHashes = db.prepareInsert("INSERT INTO process_hashes(hashes) VALUES(?)");
}

CaseWriter::~CaseWriter()
{
    if (m_active) {
        try {
            rollback();
        } catch (...) {
        }
    }
}

std::optional<CaseWriter::KnownSource> CaseWriter::findByStat(std::string_view path, int64_t size, int64_t mtime)
{
    auto st = m_db.cached("SELECT id, sha256, path FROM sources WHERE path=? AND size=? AND mtime=? LIMIT 1");
    st->bind(1, path).bind(2, size).bind(3, mtime);
    if (!st->step())
        return std::nullopt;
    return KnownSource {st->int64(0), st->text(1), st->text(2)};
}

std::optional<CaseWriter::KnownSource> CaseWriter::findBySha(std::string_view sha256)
{
    auto st = m_db.cached("SELECT id, sha256, path FROM sources WHERE sha256=? LIMIT 1");
    st->bind(1, sha256);
    if (!st->step())
        return std::nullopt;
    return KnownSource {st->int64(0), st->text(1), st->text(2)};
}

void CaseWriter::begin(const SourceRow &source)
{
    m_tx.emplace(m_db, true);
    lockCaseWriters(m_db); // a server case: another session's file commits first
    m_active = true;
    m_issues = 0;
    m_firstEvent = 0;
    m_lastEvent = 0;
    auto ins = m_db.cachedInsert(
        "INSERT INTO sources(path, size, mtime, sha256, format, parser, parser_version, imported_utc) "
        "VALUES(?,?,?,?,?,?,?,?)");
    ins->bind(1, source.path);
    bindValue(*ins, 2, source.size);
    bindValue(*ins, 3, source.mtime);
    // Placeholder until the content hash is known at commit (unique within the transaction).
    ins->bind(4, std::string_view("pending"));
    ins->bind(5, source.format).bind(6, source.parser).bind(7, source.parserVersion);
    ins->bind(8, static_cast<int64_t>(std::time(nullptr)));
    m_sourceId = ins->execInsert();
    m_blocks.begin(m_sourceId, source.format);
}

CaseWriter::CommitResult CaseWriter::commit(
    std::string_view sha256, const SourceCounts &counts, KnownSource *existing, bool replaceHostless)
{
    if (m_copyEvents) {
        flushEvents();
        giveBackEventIds();
        flushAllCopies();
    }
    bool replaced = false;
    if (auto known = findBySha(sha256)) {
        if (existing)
            *existing = *known;
        if (!replaceHostless || !hostless(known->id) || hostless(m_sourceId)) {
            rollback();
            return CommitResult::Duplicate;
        }
        replaceSource(known->id);
        replaced = true;
    }
    m_blocks.finish();
    flushHostStats();
    m_density.flush(m_db);
    flushAddresses();
    if (!m_domainControllers.empty()) {
        auto dc = m_db.prepare("UPDATE hosts SET is_dc=1 WHERE id=?");
        for (int64_t id : m_domainControllers) {
            dc.bind(1, id);
            dc.exec();
        }
    }
    auto up
        = m_db.cached("UPDATE sources SET sha256=?, records_read=?, records_stored=?, records_rejected=?, warnings=?, "
                      "first_ts=?, last_ts=?, duration_ms=?, first_event=?, last_event=? WHERE id=?");
    up->bind(1, sha256).bind(2, counts.read).bind(3, counts.stored).bind(4, counts.rejected).bind(5, counts.warnings);
    bindValue(*up, 6, counts.firstTs);
    bindValue(*up, 7, counts.lastTs);
    up->bind(8, counts.durationMs);
    bindId(*up, 9, m_firstEvent);
    bindId(*up, 10, m_lastEvent);
    up->bind(11, m_sourceId);
    up->exec();
    markInferencePending(m_db); // new events: the transfers are stale until inference commits
    m_tx->commit();
    m_tx.reset();
    m_active = false;
    m_hostStats.clear();
    m_addressBindings.clear();
    m_domainControllers.clear();
    return replaced ? CommitResult::Replaced : CommitResult::Committed;
}

bool CaseWriter::hostless(int64_t sourceId)
{
    int64_t first = 0, last = 0;
    if (sourceId == m_sourceId && m_active) {
        first = m_firstEvent;
        last = m_lastEvent;
    } else {
        auto st = m_db.prepare("SELECT first_event, last_event FROM sources WHERE id=?");
        st.bind(1, sourceId);
        if (!st.step() || st.isNull(0) || st.isNull(1))
            return false;
        first = st.int64(0);
        last = st.int64(1);
    }
    if (!first || !last)
        return false;
    // A source's events are the id range [first_event, last_event] (files take turns).
    auto hosted = m_db.prepare("SELECT CASE WHEN EXISTS(SELECT 1 FROM events WHERE id BETWEEN ? AND ? AND "
                               "source_id=? AND host_id IS NOT NULL) OR EXISTS(SELECT 1 FROM host_addresses WHERE "
                               "source_id=?) THEN 1 ELSE 0 END");
    hosted.bind(1, first).bind(2, last).bind(3, sourceId).bind(4, sourceId);
    return hosted.step() && hosted.int64(0) == 0;
}

void CaseWriter::replaceSource(int64_t oldSource)
{
    auto range = m_db.prepare("SELECT first_event, last_event FROM sources WHERE id=?");
    range.bind(1, oldSource);
    if (!range.step())
        return;
    const int64_t first = range.int64(0), last = range.int64(1);
    // The same content parsed the same way: the i-th record of the old source is the i-th of
    // this one. The analyst's notes, tags and bookmarks on those records follow them.
    auto ids = [&](int64_t lo, int64_t hi, int64_t source) {
        std::vector<int64_t> out;
        auto st = m_db.prepare("SELECT id FROM events WHERE id BETWEEN ? AND ? AND source_id=? ORDER BY id");
        st.bind(1, lo).bind(2, hi).bind(3, source);
        while (st.step())
            out.push_back(st.int64(0));
        return out;
    };
    const std::vector<int64_t> before = ids(first, last, oldSource);
    const std::vector<int64_t> after = ids(m_firstEvent, m_lastEvent, m_sourceId);
    if (before.size() == after.size()) {
        auto note = m_db.prepare("UPDATE annotations SET target_key=? WHERE target_kind='event' AND target_key=?");
        auto conflict
            = m_db.prepare("UPDATE annotation_conflicts SET target_key=? WHERE target_kind='event' AND target_key=?");
        for (size_t i = 0; i < before.size(); ++i) {
            const std::string from = std::to_string(before[i]), to = std::to_string(after[i]);
            note.bind(1, to).bind(2, from);
            note.exec();
            conflict.bind(1, to).bind(2, from);
            conflict.exec();
        }
    }
    auto del = [&](const char *sql, std::initializer_list<int64_t> values) {
        auto st = m_db.prepare(sql);
        int i = 1;
        for (int64_t v : values)
            st.bind(i++, v);
        st.exec();
    };
    // Derived rows naming the old records go too (inference runs again after the import).
    del("DELETE FROM transfer_evidence WHERE event BETWEEN ? AND ?", {first, last});
    subtractSourceEvents(m_db, oldSource, first, last); // the timeline's kept counts (schema 12)
    del("DELETE FROM events WHERE id BETWEEN ? AND ? AND source_id=?", {first, last, oldSource});
    del("DELETE FROM record_blocks WHERE source_id=?", {oldSource});
    del("DELETE FROM import_issues WHERE source_id=?", {oldSource});
    del("DELETE FROM sources WHERE id=?", {oldSource});
}

void CaseWriter::rollback()
{
    if (m_tx) {
        m_tx->rollback();
        m_tx.reset();
        if (m_db.isPostgres()) {
            // A PostgreSQL sequence does not roll back: without this, the ids the rolled-back file
            // took would be a gap, where SQLite numbers the next file from max(id) + 1 again.
            // Under the case's writer lock, so no other import or inference inserts meanwhile;
            // the analysts' own tables (annotations, views...) are written without that lock by
            // other sessions' workbenches and are left alone (an import never writes them).
            try {
                sql::Transaction renumber(m_db);
                lockCaseWriters(m_db);
                m_db.exec(R"SQL(DO $$DECLARE r record; BEGIN
FOR r IN SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'
           AND table_name NOT IN ('annotations', 'annotation_conflicts', 'tags', 'saved_views', 'host_groups',
                                  'node_positions', 'host_group_members') LOOP
  EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(%I), 0) + 1, false) FROM %I',
                 r.table_name, r.column_name, r.column_name, r.table_name);
END LOOP; END$$)SQL");
                renumber.commit();
            } catch (const sql::Error &) {
                // Only the numbering differs; nothing is lost.
            }
        }
    }
    m_active = false;
    m_blocks.discard();
    clearCaches();
}

void CaseWriter::storeTrainedDictionaries()
{
    if (m_active || !m_blocks.trainingPending())
        return;
    sql::Transaction tx(m_db, true);
    lockCaseWriters(m_db);
    m_blocks.storeTrained();
    tx.commit();
}

void CaseWriter::clearCaches()
{
    m_partitionMonths.clear(); // a rolled-back file took the partitions it made with it
    m_eventCopy.clear();
    m_eventRows = 0;
    clearCopies();
    m_ids.clear();
    m_idNext = 0;
    m_monthStart = 0;
    m_monthEnd = 0;
    // Ids created inside a rolled-back transaction no longer exist.
    m_hostCache.clear();
    m_lastHostValid = false;
    m_accountCache.clear();
    m_channelCache.clear();
    m_providerCache.clear();
    m_hashesCache.clear();
    m_hostStats.clear();
    m_density.clear();
    m_addressBindings.clear();
    m_domainControllers.clear();
}

int64_t CaseWriter::hostId(std::string_view rawName)
{
    if (rawName.empty())
        return 0;
    // Records come in runs from one host: the last answer saves hashing the name again.
    if (m_lastHostValid && rawName == m_lastHostName)
        return m_lastHostId;
    if (auto it = m_hostCache.find(rawName); it != m_hostCache.end()) {
        m_lastHostName.assign(rawName);
        m_lastHostId = it->second;
        m_lastHostValid = true;
        return it->second;
    }
    std::string raw(rawName);
    HostName hn = normaliseHostName(rawName);
    int64_t id = 0;
    if (hn.valid) {
        m_findHostName.bind(1, std::string_view(hn.key));
        if (m_findHostName.step())
            id = m_findHostName.int64(0);
        m_findHostName.reset();
        if (id == 0) {
            m_insHost.bind(1, std::string_view(hn.key));
            bindText(m_insHost, 2, hn.fqdn);
            m_insHost.bind(3, hn.isIp ? 1 : 0);
            if (m_insHost.step())
                id = m_insHost.int64(0);
            m_insHost.reset();
            m_insHostName.bind(1, std::string_view(hn.key))
                .bind(2, id)
                .bind(3, std::string_view(hn.isIp ? "ip" : "netbios"));
            m_insHostName.exec();
        } else if (!hn.fqdn.empty()) {
            m_setFqdn.bind(1, std::string_view(hn.fqdn)).bind(2, id);
            m_setFqdn.exec();
        }
        if (!hn.fqdn.empty()) {
            m_insHostName.bind(1, std::string_view(hn.fqdn)).bind(2, id).bind(3, std::string_view("fqdn"));
            m_insHostName.exec();
        }
        if (raw != hn.key && raw != hn.fqdn && raw.size() <= 255) {
            m_insHostName.bind(1, std::string_view(raw)).bind(2, id).bind(3, std::string_view("as-written"));
            m_insHostName.exec();
        }
    }
    m_hostCache.emplace(std::move(raw), id);
    return id;
}

int64_t CaseWriter::accountId(std::string_view domain, std::string_view name, std::string_view sid)
{
    if (name.empty() || name == "-" || name.size() > 512)
        return 0;
    if (domain == "-")
        domain = {};
    // "-" and the NULL SID identify no one: a failed logon (4625) writes S-1-0-0 beside whatever
    // name was typed, so it must neither become an account's SID nor block the real one.
    if (sid == "-" || sid == "S-1-0-0")
        sid = {};
    // Cache by the spelling as written (cheap); the case-insensitive key is built only on a miss.
    m_keyScratch.assign(domain);
    m_keyScratch.push_back('\\');
    m_keyScratch.append(name);
    // A cached id is negative while the account has no SID, so a later sighting can still add it.
    if (auto it = m_accountCache.find(std::string_view(m_keyScratch)); it != m_accountCache.end()) {
        if (it->second > 0 || sid.empty())
            return it->second > 0 ? it->second : -it->second;
        it->second = -it->second;
        m_setSid.bind(1, sid).bind(2, it->second);
        m_setSid.exec();
        return it->second;
    }
    std::string cacheKey = m_keyScratch;
    std::string dom = toUpperAscii(domain);
    std::string key = toUpperAscii(name);
    int64_t id = 0;
    bool hasSid = false;
    m_findAccount.bind(1, std::string_view(dom)).bind(2, std::string_view(key));
    if (m_findAccount.step()) {
        id = m_findAccount.int64(0);
        hasSid = !m_findAccount.isNull(1);
    }
    m_findAccount.reset();
    if (id == 0) {
        m_insAccount.bind(1, std::string_view(dom)).bind(2, name).bind(3, std::string_view(key));
        bindText(m_insAccount, 4, sid);
        m_insAccount.bind(5, key.back() == '$' ? 1 : 0);
        id = m_insAccount.execInsert();
    } else if (!hasSid && !sid.empty()) {
        m_setSid.bind(1, sid).bind(2, id);
        m_setSid.exec();
    }
    m_accountCache.emplace(std::move(cacheKey), hasSid || !sid.empty() ? id : -id);
    return id;
}

int64_t CaseWriter::lookupId(IdCache &cache, sql::Stmt &find, sql::Stmt &insert, std::string_view name)
{
    if (name.empty())
        return 0;
    if (auto it = cache.find(name); it != cache.end())
        return it->second;
    std::string k(name);
    int64_t id = 0;
    find.bind(1, name);
    if (find.step())
        id = find.int64(0);
    find.reset();
    if (id == 0) {
        insert.bind(1, name);
        id = insert.execInsert();
    }
    cache.emplace(std::move(k), id);
    return id;
}

void CaseWriter::ensurePartition(int64_t ts)
{
    if (ts >= m_monthStart && ts < m_monthEnd)
        return;
    utcMonthBounds(ts, &m_monthStart, &m_monthEnd);
    if (m_partitionMonths.insert(m_monthStart).second)
        ensurePgEventPartitions(*m_db.pg(), ts, ts); // idempotent; made in this file's transaction
}

namespace {

void appendCopyInt(std::string &out, int64_t v, bool null)
{
    if (null) {
        out += "\\N";
    } else {
        char num[24];
        const auto r = std::to_chars(num, num + sizeof num, v);
        out.append(num, r.ptr);
    }
}

constexpr size_t kEventCopyRows = 4096; // rows per COPY, ids reserved at a time
constexpr size_t kCopyRows = 4096; // rows per COPY of the normalised tables

// One row of COPY text (text format), values as RowBinding.h binds them: kNoValue / 0 ids / empty
// texts as NULL. A text ends at its first NUL byte, as a bound text parameter does (libpq sends
// text parameters as C strings), so both paths store the same value.
class CopyRow {
public:
    explicit CopyRow(std::string &out)
        : m_out(out)
    {
    }
    CopyRow &integer(int64_t v) // never NULL
    {
        sep();
        appendCopyInt(m_out, v, false);
        return *this;
    }
    CopyRow &value(int64_t v) // NULL when kNoValue (bindValue)
    {
        sep();
        appendCopyInt(m_out, v, v == kNoValue);
        return *this;
    }
    CopyRow &id(int64_t v) // NULL when 0 (bindId)
    {
        sep();
        appendCopyInt(m_out, v, v == 0);
        return *this;
    }
    CopyRow &text(std::string_view s) // NULL when empty (bindText)
    {
        sep();
        if (s.empty())
            m_out += "\\N";
        else
            escape(s);
        return *this;
    }
    CopyRow &plain(std::string_view s) // "" stays "" (Stmt::bind of a text)
    {
        sep();
        escape(s);
        return *this;
    }

private:
    void sep()
    {
        if (m_first)
            m_first = false;
        else
            m_out += '\t';
    }
    void escape(std::string_view s)
    {
        if (const size_t nul = s.find('\0'); nul != std::string_view::npos)
            s = s.substr(0, nul);
        for (const char c : s) {
            switch (c) {
            case '\\':
                m_out += "\\\\";
                break;
            case '\n':
                m_out += "\\n";
                break;
            case '\r':
                m_out += "\\r";
                break;
            case '\t':
                m_out += "\\t";
                break;
            default:
                m_out += c;
            }
        }
    }
    std::string &m_out;
    bool m_first = true;
};

} // namespace

void CaseWriter::endCopyRow(CopyBuffer &buffer)
{
    buffer.data += '\n';
    if (++buffer.rows >= kCopyRows)
        flushCopy(buffer);
}

void CaseWriter::flushCopy(CopyBuffer &buffer)
{
    if (buffer.rows == 0)
        return;
    m_db.pg()->copyIn(buffer.sql, buffer.data);
    buffer.data.clear();
    buffer.rows = 0;
}

void CaseWriter::flushProcesses()
{
    if (m_pendingProcesses.empty())
        return;
    std::string data;
    for (const PendingProcess &p : m_pendingProcesses) {
        data += p.line;
        CopyRow(data).value(p.endTs).value(p.endEvent);
        data += '\n';
    }
    m_db.pg()->copyIn("COPY processes(event, host_id, origin, guid, pid, image, command_line, current_directory, "
                      "parent_guid, parent_pid, parent_image, account_id, logon_id, hashes_id, start_ts, end_ts, "
                      "end_event) FROM STDIN",
        data);
    m_pendingProcesses.clear();
}

void CaseWriter::flushLogons()
{
    if (m_pendingLogons.empty())
        return;
    std::string data;
    for (const PendingLogon &l : m_pendingLogons) {
        data += l.line;
        CopyRow(data).value(l.endTs).integer(l.privileged ? 1 : 0);
        data += '\n';
    }
    m_db.pg()->copyIn("COPY logon_sessions(event, host_id, ts, outcome, origin, logon_id, logon_type, account_id, "
                      "source_ip, source_port, workstation, auth_package, logon_process, elevated, session_id, end_ts, "
                      "privileged) FROM STDIN",
        data);
    m_pendingLogons.clear();
}

void CaseWriter::flushAllCopies()
{
    flushProcesses();
    flushLogons();
    for (CopyBuffer *b : {&m_copyFile, &m_copyNet, &m_copyShare, &m_copyService, &m_copyDns, &m_copyExplicit})
        flushCopy(*b);
}

void CaseWriter::clearCopies()
{
    for (CopyBuffer *b : {&m_copyFile, &m_copyNet, &m_copyShare, &m_copyService, &m_copyDns, &m_copyExplicit}) {
        b->data.clear();
        b->rows = 0;
    }
    m_pendingProcesses.clear();
    m_pendingLogons.clear();
}

int64_t CaseWriter::nextEventId()
{
    if (m_idNext == m_ids.size()) {
        // One round trip for many ids. The importer holds the case's session lock, so they are
        // consecutive (sources.first_event / last_event are a range); unused ones are given back
        // at commit (giveBackEventIds).
        if (!m_reserveIds.isPrepared())
            m_reserveIds = m_db.prepare("SELECT string_agg(nextval(pg_get_serial_sequence('events', 'id'))::text, "
                                        "',') FROM generate_series(1, ?)");
        m_reserveIds.bind(1, static_cast<int64_t>(kEventCopyRows));
        m_ids.clear();
        m_idNext = 0;
        if (m_reserveIds.step()) {
            const std::string_view list = m_reserveIds.textView(0);
            size_t pos = 0;
            while (pos < list.size()) {
                int64_t v = 0;
                const auto r = std::from_chars(list.data() + pos, list.data() + list.size(), v);
                m_ids.push_back(v);
                pos = static_cast<size_t>(r.ptr - list.data()) + 1;
            }
        }
        m_reserveIds.reset();
        if (m_ids.empty())
            throw sql::Error("could not reserve event ids", -1);
    }
    return m_ids[m_idNext++];
}

void CaseWriter::flushEvents()
{
    if (m_eventRows == 0)
        return;
    m_db.pg()->copyIn("COPY events(id, ts, ts_source, host_id, channel_id, provider_id, event_id, record_id, "
                      "account_id, source_id, position, payload_format, block_id, block_index) FROM STDIN",
        m_eventCopy);
    m_eventCopy.clear();
    m_eventRows = 0;
}

// Ids reserved but not used: the sequence goes back to after the last one used, so the next file
// is numbered from max(id) + 1 as on a case file (unless another session took ids meanwhile).
void CaseWriter::giveBackEventIds()
{
    if (m_idNext < m_ids.size() && m_idNext > 0) {
        auto st = m_db.prepare("SELECT setval(pg_get_serial_sequence('events', 'id'), ?, false) "
                               "WHERE (SELECT last_value FROM pg_sequences WHERE schemaname = current_schema() "
                               "AND sequencename = 'events_id_seq') = ?");
        st.bind(1, m_ids[m_idNext - 1] + 1).bind(2, m_ids.back());
        st.exec();
    }
    m_ids.clear();
    m_idNext = 0;
}

int64_t CaseWriter::insertEvent(const EventRow &r)
{
    if (m_partitioned && r.ts != kNoValue)
        ensurePartition(r.ts);
    if (m_copyEvents) [[unlikely]] {
        // A server case: rows go in by COPY, kEventCopyRows at a time, with ids reserved ahead
        // (nothing reads events inside a file's transaction before commit() flushes them).
        const int64_t id = nextEventId();
        const RecordRef ref = m_blocks.add(r.payload, r.channel);
        const int64_t channel = lookupId(m_channelCache, m_findChannel, m_insChannel, r.channel);
        const int64_t provider = lookupId(m_providerCache, m_findProvider, m_insProvider, r.provider);
        std::string &b = m_eventCopy;
        appendCopyInt(b, id, false);
        b += '\t';
        appendCopyInt(b, r.ts, r.ts == kNoValue);
        b += '\t';
        appendCopyInt(b, r.tsSource, false);
        b += '\t';
        appendCopyInt(b, r.hostId, r.hostId == 0);
        b += '\t';
        appendCopyInt(b, channel, channel == 0);
        b += '\t';
        appendCopyInt(b, provider, provider == 0);
        b += '\t';
        appendCopyInt(b, r.eventId, false);
        b += '\t';
        appendCopyInt(b, r.recordId, r.recordId == kNoValue);
        b += '\t';
        appendCopyInt(b, r.accountId, r.accountId == 0);
        b += '\t';
        appendCopyInt(b, m_sourceId, false);
        b += '\t';
        appendCopyInt(b, r.position, false);
        b += '\t';
        appendCopyInt(b, r.payloadFormat, false);
        b += '\t';
        appendCopyInt(b, ref.block, false);
        b += '\t';
        appendCopyInt(b, ref.index, false);
        b += '\n';
        if (++m_eventRows >= kEventCopyRows)
            flushEvents();
        countHostEvent(r);
        m_lastEvent = id;
        if (!m_firstEvent)
            m_firstEvent = id;
        return id;
    }
    auto &st = m_insEvent;
    bindValue(st, 1, r.ts);
    st.bind(2, r.tsSource);
    bindId(st, 3, r.hostId);
    bindId(st, 4, lookupId(m_channelCache, m_findChannel, m_insChannel, r.channel));
    bindId(st, 5, lookupId(m_providerCache, m_findProvider, m_insProvider, r.provider));
    st.bind(6, r.eventId);
    bindValue(st, 7, r.recordId);
    bindId(st, 8, r.accountId);
    st.bind(9, m_sourceId);
    st.bind(10, r.position);
    st.bind(11, r.payloadFormat);
    const RecordRef ref = m_blocks.add(r.payload, r.channel);
    st.bind(12, ref.block).bind(13, ref.index);
    const int64_t id = st.execInsert();
    countHostEvent(r);
    m_lastEvent = id;
    if (!m_firstEvent)
        m_firstEvent = m_lastEvent;
    return m_lastEvent;
}

void CaseWriter::countHostEvent(const EventRow &r)
{
    if (r.ts != kNoValue)
        m_density.add(r.hostId, r.ts);
    if (r.hostId) {
        HostStats &hs = m_hostStats[r.hostId];
        ++hs.count;
        if (r.ts != kNoValue) {
            if (hs.first == kNoValue || r.ts < hs.first)
                hs.first = r.ts;
            if (hs.last == kNoValue || r.ts > hs.last)
                hs.last = r.ts;
        }
    }
}

void CaseWriter::flushHostStats()
{
    if (m_hostStats.empty())
        return;
    auto up = m_db.cached(
        "UPDATE hosts SET event_count=event_count+?1, "
        "first_ts=CASE WHEN ?2 IS NULL THEN first_ts WHEN first_ts IS NULL OR ?2<first_ts THEN ?2 ELSE first_ts END, "
        "last_ts=CASE WHEN ?3 IS NULL THEN last_ts WHEN last_ts IS NULL OR ?3>last_ts THEN ?3 ELSE last_ts END "
        "WHERE id=?4");
    for (const auto &[id, hs] : m_hostStats) {
        up->bind(1, hs.count);
        bindValue(*up, 2, hs.first);
        bindValue(*up, 3, hs.last);
        up->bind(4, id);
        up->exec();
    }
}

void CaseWriter::noteAddress(int64_t hostId, std::string_view ip, std::string_view how, int64_t ts, int64_t event)
{
    if (!hostId || isUninformativeIp(ip))
        return;
    m_addressBindings.note(hostId, normaliseIp(ip), how, ts, event);
}

void CaseWriter::flushAddresses()
{
    // One binding per run of sightings (store/AddressBindings.h, shared with schema 13's rebuild).
    insertAddressBindings(m_db, m_sourceId, m_addressBindings.take());
}

void CaseWriter::addIssue(int64_t position, bool reject, std::string_view message)
{
    if (!m_active || m_issues >= kMaxIssuesPerSource)
        return;
    ++m_issues;
    m_insIssue.bind(1, m_sourceId).bind(2, position).bind(3, std::string_view(reject ? "reject" : "warning"));
    m_insIssue.bind(4, message.substr(0, 4096));
    m_insIssue.exec();
}

void CaseWriter::insertLogon(const LogonRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        m_rowScratch.clear();
        CopyRow(m_rowScratch)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .plain(r.outcome)
            .plain(r.origin)
            .text(r.logonId)
            .value(r.logonType)
            .id(r.accountId)
            .text(r.sourceIp)
            .value(r.sourcePort)
            .text(r.workstation)
            .text(r.authPackage)
            .text(r.logonProcess)
            .value(r.elevated)
            .text(r.sessionId);
        m_rowScratch += '\t';
        m_pendingLogons.push_back(PendingLogon {
            r.hostId, r.ts, kNoValue, r.outcome == "success", false, std::string(r.logonId), m_rowScratch});
        if (m_pendingLogons.size() >= kCopyRows)
            flushLogons();
        return;
    }
    auto &st = m_insLogon;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    st.bind(4, r.outcome).bind(5, r.origin);
    bindText(st, 6, r.logonId);
    bindValue(st, 7, r.logonType);
    bindId(st, 8, r.accountId);
    bindText(st, 9, r.sourceIp);
    bindValue(st, 10, r.sourcePort);
    bindText(st, 11, r.workstation);
    bindText(st, 12, r.authPackage);
    bindText(st, 13, r.logonProcess);
    bindValue(st, 14, r.elevated);
    bindText(st, 15, r.sessionId);
    st.exec();
}

void CaseWriter::endLogon(int64_t hostId, std::string_view logonId, int64_t ts)
{
    if (!hostId || logonId.empty())
        return;
    if (ts != kNoValue) // with a NULL end the UPDATE sets nothing new
        for (PendingLogon &l : m_pendingLogons)
            if (l.hostId == hostId && l.endTs == kNoValue && l.success && (l.ts == kNoValue || l.ts <= ts)
                && l.logonId == logonId)
                l.endTs = ts;
    // Still run for the rows already sent (not the buffered ones: they are not in the table yet).
    bindValue(m_endLogon, 1, ts);
    m_endLogon.bind(2, hostId).bind(3, logonId);
    m_endLogon.exec();
}

void CaseWriter::markPrivileged(int64_t hostId, std::string_view logonId)
{
    if (!hostId || logonId.empty())
        return;
    for (PendingLogon &l : m_pendingLogons)
        if (l.hostId == hostId && l.logonId == logonId)
            l.privileged = true;
    m_privLogon.bind(1, hostId).bind(2, logonId);
    m_privLogon.exec();
}

void CaseWriter::insertExplicitLogon(const ExplicitLogonRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        CopyRow(m_copyExplicit.data)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .id(r.subjectAccountId)
            .text(r.subjectLogonId)
            .id(r.targetAccountId)
            .text(r.targetServer)
            .text(r.targetInfo)
            .text(r.ip)
            .value(r.port)
            .text(r.processImage)
            .value(r.pid);
        endCopyRow(m_copyExplicit);
        return;
    }
    auto &st = m_insExplicit;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    bindId(st, 4, r.subjectAccountId);
    bindText(st, 5, r.subjectLogonId);
    bindId(st, 6, r.targetAccountId);
    bindText(st, 7, r.targetServer);
    bindText(st, 8, r.targetInfo);
    bindText(st, 9, r.ip);
    bindValue(st, 10, r.port);
    bindText(st, 11, r.processImage);
    bindValue(st, 12, r.pid);
    st.exec();
}

void CaseWriter::insertProcess(const ProcessRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        if (m_hashesCache.size() >= kMaxCachedHashes)
            m_hashesCache.clear();
        const int64_t hashes = lookupId(m_hashesCache, m_findHashes, m_insHashes, r.hashes);
        m_rowScratch.clear();
        CopyRow(m_rowScratch)
            .integer(r.event)
            .integer(r.hostId)
            .plain(r.origin)
            .text(r.guid)
            .value(r.pid)
            .text(r.image)
            .text(r.commandLine)
            .text(r.currentDirectory)
            .text(r.parentGuid)
            .value(r.parentPid)
            .text(r.parentImage)
            .id(r.accountId)
            .text(r.logonId)
            .id(hashes)
            .value(r.startTs);
        m_rowScratch += '\t';
        m_pendingProcesses.push_back(
            PendingProcess {r.hostId, r.pid, r.startTs, kNoValue, kNoValue, std::string(r.guid), m_rowScratch});
        if (m_pendingProcesses.size() >= kCopyRows)
            flushProcesses();
        return;
    }
    auto &st = m_insProcess;
    st.bind(1, r.event).bind(2, r.hostId).bind(3, r.origin);
    bindText(st, 4, r.guid);
    bindValue(st, 5, r.pid);
    bindText(st, 6, r.image);
    bindText(st, 7, r.commandLine);
    bindText(st, 8, r.currentDirectory);
    bindText(st, 9, r.parentGuid);
    bindValue(st, 10, r.parentPid);
    bindText(st, 11, r.parentImage);
    bindId(st, 12, r.accountId);
    bindText(st, 13, r.logonId);
    if (m_hashesCache.size() >= kMaxCachedHashes)
        m_hashesCache.clear();
    bindId(st, 14, lookupId(m_hashesCache, m_findHashes, m_insHashes, r.hashes));
    bindValue(st, 15, r.startTs);
    st.exec();
}

void CaseWriter::endProcessByGuid(int64_t hostId, std::string_view guid, int64_t ts, int64_t event)
{
    if (!hostId || guid.empty())
        return;
    for (PendingProcess &p : m_pendingProcesses)
        if (p.hostId == hostId && p.endTs == kNoValue && p.guid == guid) {
            p.endTs = ts;
            p.endEvent = event;
        }
    // Still run for the rows already sent (not the buffered ones: they are not in the table yet).
    bindValue(m_endProcGuid, 1, ts);
    m_endProcGuid.bind(2, event).bind(3, hostId).bind(4, guid);
    m_endProcGuid.exec();
}

void CaseWriter::endProcessByPid(int64_t hostId, int64_t pid, int64_t ts, int64_t event)
{
    if (!hostId || pid == kNoValue)
        return;
    // Ends one process: the latest started of all candidates, sent or buffered. When a buffered
    // row is one, the buffer goes first and the UPDATE chooses among all (rare: 4689 without a
    // Sysmon GUID, the process started in the same file).
    for (const PendingProcess &p : m_pendingProcesses)
        if (p.hostId == hostId && p.pid == pid && p.endTs == kNoValue
            && (p.startTs == kNoValue || (ts != kNoValue && p.startTs <= ts))) {
            flushProcesses();
            break;
        }
    bindValue(m_endProcPid, 1, ts);
    m_endProcPid.bind(2, event).bind(3, hostId).bind(4, pid);
    m_endProcPid.exec();
}

void CaseWriter::insertFileEvent(const FileEventRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        CopyRow(m_copyFile.data)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .plain(r.kind)
            .text(r.path)
            .text(r.image)
            .text(r.processGuid)
            .value(r.pid)
            .id(r.accountId)
            .value(r.accessMask)
            .text(r.hashes);
        endCopyRow(m_copyFile);
        return;
    }
    auto &st = m_insFile;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    st.bind(4, r.kind);
    bindText(st, 5, r.path);
    bindText(st, 6, r.image);
    bindText(st, 7, r.processGuid);
    bindValue(st, 8, r.pid);
    bindId(st, 9, r.accountId);
    bindValue(st, 10, r.accessMask);
    bindText(st, 11, r.hashes);
    st.exec();
}

void CaseWriter::insertNetConn(const NetConnRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        CopyRow(m_copyNet.data)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .text(r.protocol)
            .value(r.initiated)
            .text(r.srcIp)
            .value(r.srcPort)
            .text(r.srcName)
            .text(r.dstIp)
            .value(r.dstPort)
            .text(r.dstName)
            .text(r.image)
            .text(r.processGuid)
            .value(r.pid)
            .id(r.accountId);
        endCopyRow(m_copyNet);
        return;
    }
    auto &st = m_insNet;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    bindText(st, 4, r.protocol);
    bindValue(st, 5, r.initiated);
    bindText(st, 6, r.srcIp);
    bindValue(st, 7, r.srcPort);
    bindText(st, 8, r.srcName);
    bindText(st, 9, r.dstIp);
    bindValue(st, 10, r.dstPort);
    bindText(st, 11, r.dstName);
    bindText(st, 12, r.image);
    bindText(st, 13, r.processGuid);
    bindValue(st, 14, r.pid);
    bindId(st, 15, r.accountId);
    st.exec();
}

void CaseWriter::insertShareAccess(const ShareAccessRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        CopyRow(m_copyShare.data)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .integer(r.code)
            .text(r.shareName)
            .text(r.sharePath)
            .text(r.relativeTarget)
            .value(r.accessMask)
            .text(r.accessList)
            .text(r.srcIp)
            .value(r.srcPort)
            .id(r.accountId)
            .text(r.logonId);
        endCopyRow(m_copyShare);
        return;
    }
    auto &st = m_insShare;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    st.bind(4, r.code);
    bindText(st, 5, r.shareName);
    bindText(st, 6, r.sharePath);
    bindText(st, 7, r.relativeTarget);
    bindValue(st, 8, r.accessMask);
    bindText(st, 9, r.accessList);
    bindText(st, 10, r.srcIp);
    bindValue(st, 11, r.srcPort);
    bindId(st, 12, r.accountId);
    bindText(st, 13, r.logonId);
    st.exec();
}

void CaseWriter::insertServiceInstall(const ServiceInstallRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        CopyRow(m_copyService.data)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .plain(r.origin)
            .text(r.serviceName)
            .text(r.imagePath)
            .text(r.serviceType)
            .text(r.startType)
            .text(r.serviceAccount)
            .id(r.accountId);
        endCopyRow(m_copyService);
        return;
    }
    auto &st = m_insService;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    st.bind(4, r.origin);
    bindText(st, 5, r.serviceName);
    bindText(st, 6, r.imagePath);
    bindText(st, 7, r.serviceType);
    bindText(st, 8, r.startType);
    bindText(st, 9, r.serviceAccount);
    bindId(st, 10, r.accountId);
    st.exec();
}

void CaseWriter::insertDnsQuery(const DnsQueryRow &r)
{
    if (m_copyEvents) [[unlikely]] {
        CopyRow(m_copyDns.data)
            .integer(r.event)
            .integer(r.hostId)
            .value(r.ts)
            .text(r.query)
            .text(r.results)
            .text(r.status)
            .text(r.image)
            .text(r.processGuid);
        endCopyRow(m_copyDns);
        return;
    }
    auto &st = m_insDns;
    st.bind(1, r.event).bind(2, r.hostId);
    bindValue(st, 3, r.ts);
    bindText(st, 4, r.query);
    bindText(st, 5, r.results);
    bindText(st, 6, r.status);
    bindText(st, 7, r.image);
    bindText(st, 8, r.processGuid);
    st.exec();
}

} // namespace tt::store
