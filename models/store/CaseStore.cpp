#include "store/CaseStore.h"

#include "store/Schema.h"

#include <sqlite3.h>

#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TT_VERSION
#define TT_VERSION "dev"
#endif

namespace tt::store {

std::unique_ptr<CaseStore> CaseStore::open(const std::string &path, Access access)
{
    std::unique_ptr<CaseStore> cs(new CaseStore);
    cs->m_path = path;
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (!exists && access != Access::Create)
        throw std::runtime_error("case file '" + path + "' does not exist");
    if (exists && S_ISDIR(st.st_mode))
        throw std::runtime_error("'" + path + "' is a directory, not a case file");
    sql::Db::Mode mode = sql::Db::Mode::Create;
    if (access == Access::ReadOnly)
        mode = sql::Db::Mode::ReadOnly;
    else if (exists && ::access(path.c_str(), W_OK) != 0)
        mode = sql::Db::Mode::ReadOnly; // a read-only file opens read-only
    try {
        cs->m_db.open(path, mode);
        cs->m_readOnly = mode == sql::Db::Mode::ReadOnly;
        // Any read fails on a file that is not SQLite: make that a clear message.
        cs->m_db.queryInt("SELECT count(*) FROM sqlite_schema");
        if (!cs->m_readOnly) {
            // Larger pages for new cases: payload rows are ~1 KB, fewer page splits (no effect
            // on an existing file).
            if (cs->m_db.queryInt("SELECT count(*) FROM sqlite_schema") == 0)
                cs->m_db.exec("PRAGMA page_size=16384");
            cs->m_db.exec("PRAGMA journal_mode=WAL");
            cs->m_db.exec("PRAGMA synchronous=NORMAL");
        }
        cs->m_db.exec("PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536");
        int v = store::schemaVersion(cs->m_db);
        if (v > kSchemaVersion || (cs->m_readOnly && v < kSchemaVersion)) {
            if (v > kSchemaVersion)
                migrate(cs->m_db, TT_VERSION); // throws the "newer version" message
            throw std::runtime_error("case file '" + path + "' has schema version " + std::to_string(v)
                                     + " and is read-only, so it cannot be upgraded to version "
                                     + std::to_string(kSchemaVersion));
        }
        if (v < kSchemaVersion)
            migrate(cs->m_db, TT_VERSION);
        // A bulk import that did not finish (crash, kill) left its indexes to rebuild.
        if (!cs->m_readOnly && pendingBulkIndexes(cs->m_db) > 0)
            restoreBulkIndexes(cs->m_db);
        cs->m_schemaVersion = store::schemaVersion(cs->m_db);
    } catch (const sql::Error &e) {
        if (e.code() == SQLITE_NOTADB || (e.code() & 0xff) == SQLITE_NOTADB)
            throw std::runtime_error("'" + path + "' is not a TransferTrace case file (not an SQLite database)");
        if ((e.code() & 0xff) == SQLITE_CORRUPT)
            throw std::runtime_error("case file '" + path + "' is damaged: " + e.what());
        throw std::runtime_error("cannot open case file '" + path + "': " + e.what());
    } catch (const std::runtime_error &e) {
        throw std::runtime_error("'" + path + "': " + e.what());
    }
    return cs;
}

CaseStore::Totals CaseStore::totals()
{
    Totals t;
    t.events = m_db.queryInt("SELECT coalesce(sum(records_stored),0) FROM sources");
    t.hosts = m_db.queryInt("SELECT count(*) FROM hosts");
    t.sources = m_db.queryInt("SELECT count(*) FROM sources");
    t.rejected = m_db.queryInt("SELECT coalesce(sum(records_rejected),0) FROM sources");
    t.firstTs = m_db.queryInt("SELECT min(first_ts) FROM sources", 0);
    t.lastTs = m_db.queryInt("SELECT max(last_ts) FROM sources", 0);
    return t;
}

std::vector<CaseStore::HostSummary> CaseStore::hosts()
{
    std::vector<HostSummary> out;
    auto st = m_db.prepare(
        "SELECT h.id, h.name, coalesce(h.fqdn,''), h.is_ip_only, h.event_count, coalesce(h.first_ts,0), "
        "coalesce(h.last_ts,0), coalesce((SELECT group_concat(address, ', ') FROM "
        "(SELECT DISTINCT address FROM host_addresses a WHERE a.host_id = h.id ORDER BY address)),'') "
        "FROM hosts h ORDER BY h.event_count DESC, h.name");
    while (st.step()) {
        HostSummary h;
        h.id = st.int64(0);
        h.name = st.text(1);
        h.fqdn = st.text(2);
        h.ipOnly = st.int64(3) != 0;
        h.events = st.int64(4);
        h.firstTs = st.int64(5);
        h.lastTs = st.int64(6);
        h.addresses = st.text(7);
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<CaseStore::SourceSummary> CaseStore::sources()
{
    std::vector<SourceSummary> out;
    auto st = m_db.prepare("SELECT id, path, format, sha256, coalesce(size,0), records_read, records_stored, "
                           "records_rejected, warnings, coalesce(first_ts,0), coalesce(last_ts,0) FROM sources ORDER BY id");
    while (st.step()) {
        SourceSummary s;
        s.id = st.int64(0);
        s.path = st.text(1);
        s.format = st.text(2);
        s.sha256 = st.text(3);
        s.size = st.int64(4);
        s.read = st.int64(5);
        s.stored = st.int64(6);
        s.rejected = st.int64(7);
        s.warnings = st.int64(8);
        s.firstTs = st.int64(9);
        s.lastTs = st.int64(10);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<CaseStore::CountRow> CaseStore::countsByChannelEventId()
{
    std::vector<CountRow> out;
    auto st = m_db.prepare("SELECT coalesce(c.name,'') || ':' || e.event_id, count(*) FROM events e "
                           "LEFT JOIN channels c ON c.id = e.channel_id GROUP BY e.channel_id, e.event_id ORDER BY 1");
    while (st.step())
        out.push_back({st.text(0), st.int64(1)});
    return out;
}

std::vector<CaseStore::CountRow> CaseStore::countsByHost()
{
    std::vector<CountRow> out;
    auto st = m_db.prepare("SELECT coalesce(h.name,''), count(*) FROM events e LEFT JOIN hosts h ON h.id = e.host_id "
                           "GROUP BY e.host_id ORDER BY 1");
    while (st.step())
        out.push_back({st.text(0), st.int64(1)});
    return out;
}

} // namespace tt::store
