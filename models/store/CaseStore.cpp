#include "store/CaseStore.h"

#include "store/CaseCopy.h"
#include "store/CaseLocation.h"
#include "store/CaseLock.h"
#include "store/ImageLoadBackfill.h"
#include "store/PgDb.h"
#include "store/PgRoles.h"
#include "store/PgSchema.h"
#include "store/Schema.h"
#include "store/SchemaCheck.h"

#include <sqlite3.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#ifndef TT_VERSION
#define TT_VERSION "dev"
#endif

namespace tt::store {

namespace {

bool sameFile(const std::string &a, const std::string &b)
{
    struct stat sa {
    }, sb {};
    if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    std::error_code e1, e2;
    const auto ca = std::filesystem::weakly_canonical(a, e1), cb = std::filesystem::weakly_canonical(b, e2);
    return !e1 && !e2 && ca == cb;
}

void removeSideFiles(const std::string &db)
{
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        ::unlink((db + suffix).c_str());
}

void fsyncPath(const std::string &path, bool directory)
{
    const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string parentDir(const std::string &path)
{
    auto parent = std::filesystem::path(path).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
}

// NAME.ttcase.v1.bak, or NAME.ttcase.v1.2.bak ... when that exists already (never overwritten:
// an earlier one may be the only original left).
std::string freeBackupName(const std::string &path, int version)
{
    const std::string base = path + ".v" + std::to_string(version);
    std::string name = base + ".bak";
    for (int i = 2; ::access(name.c_str(), F_OK) == 0; ++i)
        name = base + "." + std::to_string(i) + ".bak";
    return name;
}

} // namespace

void CaseStore::backupTo(sql::Db &db, const std::string &dest)
{
    if (db.isPostgres())
        throw std::runtime_error("cannot write a copy of a server case to '" + dest
            + "': copying a case from a PostgreSQL server into a case file is not available yet");
    // A fresh file beside dest (same file system, so the final rename is atomic).
    static std::atomic<int> counter {0};
    std::string tmp;
    for (int i = 0;; ++i) {
        tmp = dest + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            break;
        }
        if (errno != EEXIST || i > 100)
            throw std::runtime_error("cannot write '" + dest + "': " + std::strerror(errno));
    }
    try {
        sql::Db out;
        out.open(tmp, sql::Db::Mode::ReadWrite);
        sqlite3_backup *b = sqlite3_backup_init(out.handle(), "main", db.handle(), "main");
        if (!b)
            throw sql::Error(std::string("backup: ") + sqlite3_errmsg(out.handle()), sqlite3_errcode(out.handle()));
        int rc = SQLITE_OK;
        for (int busy = 0;;) {
            rc = sqlite3_backup_step(b, -1);
            if (rc == SQLITE_DONE)
                break;
            if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy < 100) {
                sqlite3_sleep(50);
                continue;
            }
            break;
        }
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE)
            throw sql::Error(std::string("backup: ") + sqlite3_errstr(rc), rc);
        // The copy carries the source's WAL flag in its header: make it a plain rollback-journal
        // file, complete in itself (the next read-write open switches it back to WAL).
        out.exec("PRAGMA journal_mode=DELETE");
        out.close();
        fsyncPath(tmp, false);
        removeSideFiles(dest); // a stale -wal of whatever was at dest must never meet the copy
        if (::rename(tmp.c_str(), dest.c_str()) != 0)
            throw std::runtime_error(std::string("rename: ") + std::strerror(errno));
        fsyncPath(parentDir(dest), true);
    } catch (const std::exception &e) {
        ::unlink(tmp.c_str());
        removeSideFiles(tmp);
        throw std::runtime_error("cannot write a copy of the case to '" + dest + "': " + e.what());
    }
}

void CaseStore::saveAs(const std::string &dest)
{
    if (dest.empty())
        throw std::runtime_error("no file name given to save the case as");
    if (!m_server && (sameFile(dest, m_path) || sameFile(dest, m_dataPath)))
        throw std::runtime_error("'" + dest + "' is the open case itself; choose another file name");
    struct stat st { };
    if (::stat(dest.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw std::runtime_error("'" + dest + "' is a directory");
    std::string why;
    auto destLock = CaseLock::acquire(dest, &why); // held while dest is replaced
    if (!destLock)
        throw std::runtime_error("cannot save as '" + dest + "': " + why);
    if (!m_server) {
        backupTo(m_db, dest);
        return;
    }
    // copyCase writes a new file only (never over one): a fresh name beside dest, then renamed.
    const std::string tmp = dest + ".saving-" + std::to_string(::getpid());
    ::unlink(tmp.c_str()); // left by an earlier attempt of this pid
    removeSideFiles(tmp);
    try {
        CopyOptions options;
        options.appVersion = TT_VERSION;
        copyCase(CaseLocation::parse(m_dataPath), CaseLocation::parse(tmp), options);
        removeSideFiles(dest); // a stale -wal of whatever was at dest must never meet the copy
        if (::rename(tmp.c_str(), dest.c_str()) != 0)
            throw std::runtime_error(std::string("rename: ") + std::strerror(errno));
        fsyncPath(parentDir(dest), true);
    } catch (const std::exception &e) {
        ::unlink(tmp.c_str());
        removeSideFiles(tmp);
        const std::string what = e.what(); // copyCase names the redacted location only
        throw std::runtime_error("cannot save the server case " + m_path + " as '" + dest + "': " + what);
    }
}

void CaseStore::migrateTemporaryCopy(int fromVersion)
{
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    std::string templ = (ec ? std::string("/tmp") : dir.string()) + "/transfertrace-migrated-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    const int fd = ::mkstemp(buf.data());
    if (fd < 0)
        throw std::runtime_error(std::string("cannot make a temporary copy to upgrade: ") + std::strerror(errno));
    ::close(fd);
    const std::string tmp(buf.data());
    try {
        backupTo(m_db, tmp);
        m_db.close();
        m_db.open(tmp, sql::Db::Mode::ReadWrite);
        m_db.exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF"); // private scratch copy
        migrate(m_db, TT_VERSION);
        m_db.close();
        m_db.open(tmp, sql::Db::Mode::ReadOnly);
    } catch (...) {
        m_db.close();
        ::unlink(tmp.c_str());
        removeSideFiles(tmp);
        throw;
    }
    m_dataPath = tmp;
    m_migratedFrom = fromVersion;
}

CaseStore::CaseStore() = default;

CaseStore::~CaseStore()
{
    m_db.close();
    if (temporaryCopy()) {
        ::unlink(m_dataPath.c_str());
        removeSideFiles(m_dataPath);
    }
    m_lock.reset();
}

std::unique_ptr<CaseStore> CaseStore::openServer(const std::string &text, Access access, const OpenOptions &options)
{
    CaseLocation location;
    try {
        location = CaseLocation::parse(text);
    } catch (const std::invalid_argument &e) {
        throw std::runtime_error(e.what()); // names the redacted location already
    }
    const std::string shown = location.redacted();
    std::unique_ptr<CaseStore> cs(new CaseStore);
    cs->m_server = true;
    cs->m_path = shown;
    cs->m_dataPath = text;
    try {
        const bool readOnly = access == Access::ReadOnly;
        cs->m_db.open(location, readOnly ? sql::Db::Mode::ReadOnly : sql::Db::Mode::ReadWrite);
        sql::PgDb &pg = *cs->m_db.pg();
        if (readOnly) {
            cs->m_readOnly = true;
            cs->m_readOnlyCause = ReadOnlyCause::Requested;
            cs->m_readOnlyReason = "it was opened read-only";
        }
        if (access == Access::Create) {
            const int before = pgSchemaVersion(pg, location);
            createPgCase(pg, location, TT_VERSION); // refuses a newer version naming both, upgrades an older one
            if (before > 0 && before < kSchemaVersion)
                cs->m_migratedFrom = before;
        }
        // What the connected role may do, from PostgreSQL's own grants (transfertrace server
        // grant): a role without USAGE on the case's schema would only see "relation does not
        // exist" further on; a viewer opens read-only with the reason, like a read-only file.
        const PgCaseAccess rights = pgCaseAccess(pg, location);
        const bool caseMissing = !rights.caseExists; // said below, with the database
        if (!rights.canRead && !caseMissing)
            throw std::runtime_error(rights.reason);
        if (!readOnly && !rights.canWrite && !caseMissing) {
            cs->m_readOnly = true;
            cs->m_readOnlyCause = ReadOnlyCause::NoWritePermission;
            cs->m_readOnlyReason = rights.reason;
            cs->m_db.exec("SET default_transaction_read_only = on");
        }
        const int v = pgSchemaVersion(pg, location);
        if (v == 0)
            throw std::runtime_error("there is no case '" + location.caseName() + "' in database '"
                + location.database() + "' (import into it to create it)");
        if (v > kSchemaVersion)
            throw std::runtime_error("the case has schema version " + std::to_string(v) + ", newer than version "
                + std::to_string(kSchemaVersion)
                + " that this TransferTrace understands; open it with a newer TransferTrace");
        if (v < kSchemaVersion && cs->m_readOnly)
            throw std::runtime_error("the case has schema version " + std::to_string(v) + ", older than version "
                + std::to_string(kSchemaVersion) + " that this TransferTrace reads; open it once for writing, as "
                + "the role that owns it, to upgrade it");
        if (v < kSchemaVersion) {
            // All steps in one transaction (upgradePgCase); no backup copy as for a file: a
            // failed upgrade leaves the case as it was.
            cs->m_migratedFrom = upgradePgCase(pg, location, TT_VERSION);
        }
        if (cs->m_migratedFrom > 0 && cs->m_migratedFrom < 14) {
            // Schema 14's image-load rows from the stored Sysmon 7 records, as migrate() does for
            // a file (the records are read through this connection, not the upgrade's).
            sql::Transaction tx(cs->m_db);
            backfillImageLoads(cs->m_db);
            tx.commit();
        }
        cs->m_schemaVersion = kSchemaVersion;
        if (!readOnly && options.sessionLock) {
            // Several analysts at once (issue 13 item 3): a server case is open for writing in any
            // number of sessions. The session lock is shared (held by this connection until it
            // closes, also when the process dies): it only tells a session that wants the case to
            // itself (none yet) that others are in it. Writers take turns per transaction where
            // they must: imports and inference (lockCaseWriters), annotation edits
            // (compare-and-set, AnnotationStore::putFrom).
            auto lock = cs->m_db.prepare("SELECT pg_try_advisory_lock_shared(hashtext(?))");
            lock.bind(1, "transfertrace session " + location.schemaName());
            lock.step();
            lock.reset();
        }
        if (!cs->m_readOnly) {
            // Change notifications for the other analysts' workbenches: cases made before they
            // existed get their triggers here. Creating them needs the schema's owner; an analyst
            // role of such an old case works on without them (nothing else depends on them).
            try {
                ensurePgNotifyTriggers(pg, location);
            } catch (const sql::Error &) {
            }
            // Likewise the search column's statistics target (a planner hint: nothing depends on it).
            try {
                ensurePgSearchStatistics(pg);
            } catch (const sql::Error &) {
            }
        }
        if (!cs->m_readOnly && pendingBulkIndexes(cs->m_db) > 0)
            restoreBulkIndexes(cs->m_db);
    } catch (const std::exception &e) {
        const std::string what = e.what();
        // PgDb's connection errors name the redacted location already.
        if (what.find(shown) != std::string::npos)
            throw std::runtime_error(what);
        throw std::runtime_error("'" + shown + "': " + what);
    }
    return cs;
}

std::unique_ptr<CaseStore> CaseStore::open(const std::string &path, Access access, const OpenOptions &options)
{
    if (CaseLocation::looksLikeUrl(path))
        return openServer(path, access, options);
    std::unique_ptr<CaseStore> cs(new CaseStore);
    cs->m_path = path;
    cs->m_dataPath = path;
    struct stat st { };
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (!exists && access != Access::Create)
        throw std::runtime_error("case file '" + path + "' does not exist");
    if (exists && S_ISDIR(st.st_mode))
        throw std::runtime_error("'" + path + "' is a directory, not a case file");
    auto readOnlyBecause = [&](ReadOnlyCause cause, std::string reason) {
        cs->m_readOnlyCause = cause;
        cs->m_readOnlyReason = std::move(reason);
    };
    const bool memory = path.empty() || path == ":memory:";
    if (access == Access::ReadOnly)
        readOnlyBecause(ReadOnlyCause::Requested, "it was opened read-only");
    else if (exists && (::access(path.c_str(), W_OK) != 0 || (st.st_mode & 0222) == 0))
        // No write bit at all counts even for root: the owner made the file read-only on purpose.
        readOnlyBecause(ReadOnlyCause::FileNotWritable, "the case file is not writable");
    else if (exists && ::access(parentDir(path).c_str(), W_OK) != 0)
        readOnlyBecause(ReadOnlyCause::FolderNotWritable, "the folder of the case file is not writable");
    else if (options.sessionLock && !memory) {
        std::string why;
        cs->m_lock = CaseLock::acquire(path, &why);
        if (!cs->m_lock) {
            if (!exists)
                throw std::runtime_error("cannot create case file '" + path + "': " + why);
            readOnlyBecause(ReadOnlyCause::LockedElsewhere, "the case is " + why);
        }
    }
    const sql::Db::Mode mode
        = cs->m_readOnlyCause == ReadOnlyCause::None ? sql::Db::Mode::Create : sql::Db::Mode::ReadOnly;
    try {
        cs->m_db.open(path, mode);
        cs->m_readOnly = mode == sql::Db::Mode::ReadOnly;
        // Identity first, with reads only: a file that is not SQLite (any read fails), an SQLite
        // file that is not a case (schemaVersion throws) or a case whose tables were replaced
        // must be refused before anything (even a pragma such as journal_mode) writes to it.
        const int64_t objects = cs->m_db.queryInt("SELECT count(*) FROM sqlite_schema");
        int v = store::schemaVersion(cs->m_db);
        if (v > kSchemaVersion)
            migrate(cs->m_db, TT_VERSION); // throws the "newer version" message naming both
        if (v == kSchemaVersion)
            checkSchema(cs->m_db);
        else if (v > 0)
            checkTableKinds(cs->m_db);
        if (!cs->m_readOnly) {
            // Larger pages for new cases: payload rows are ~1 KB, fewer page splits (no effect
            // on an existing file).
            if (objects == 0)
                cs->m_db.exec("PRAGMA page_size=16384");
            cs->m_db.exec("PRAGMA journal_mode=WAL");
            cs->m_db.exec("PRAGMA synchronous=NORMAL");
        }
        cs->m_db.exec("PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536");
        if (v > kSchemaVersion)
            migrate(cs->m_db, TT_VERSION); // throws the "newer version" message naming both
        if (cs->m_readOnly && v == 0)
            throw std::runtime_error("case file '" + path + "' is empty (no TransferTrace schema)");
        if (cs->m_readOnly && v < kSchemaVersion) {
            cs->migrateTemporaryCopy(v);
        } else if (v < kSchemaVersion) {
            if (v > 0) { // an existing case: keep it as it was before changing it
                cs->m_migrationBackup = freeBackupName(path, v);
                backupTo(cs->m_db, cs->m_migrationBackup);
                cs->m_migratedFrom = v;
            }
            migrate(cs->m_db, TT_VERSION);
        }
        if (v < kSchemaVersion)
            checkSchema(cs->m_db); // what the migrations made of the file's tables
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
    auto st
        = m_db.prepare("SELECT h.id, h.name, coalesce(h.fqdn,''), h.is_ip_only, h.event_count, coalesce(h.first_ts,0), "
                       "coalesce(h.last_ts,0), coalesce((SELECT group_concat(address, ', ') FROM "
                       "(SELECT DISTINCT address FROM host_addresses a WHERE a.host_id = h.id ORDER BY address) d),'') "
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
    std::unordered_map<int64_t, size_t> rowOf;
    for (size_t i = 0; i < out.size(); ++i)
        rowOf.emplace(out[i].id, i);
    auto b = m_db.prepare(
        "SELECT a.host_id, a.id, a.address, a.how, coalesce(s.path,''), coalesce(a.first_ts,0), coalesce(a.last_ts,0), "
        "a.count, coalesce(a.evidence_event,0), coalesce((SELECT group_concat(name, ', ') FROM (SELECT DISTINCT o.name "
        "FROM address_conflicts c JOIN host_addresses x ON x.id = CASE WHEN c.binding_a = a.id THEN c.binding_b "
        "ELSE c.binding_a END JOIN hosts o ON o.id = x.host_id WHERE c.binding_a = a.id OR c.binding_b = a.id "
        "ORDER BY o.name) d),'') FROM host_addresses a LEFT JOIN sources s ON s.id = a.source_id "
        "ORDER BY a.host_id, a.address, a.first_ts, a.id");
    while (b.step()) {
        auto it = rowOf.find(b.int64(0));
        if (it == rowOf.end())
            continue;
        AddressBinding ab;
        ab.id = b.int64(1);
        ab.address = b.text(2);
        ab.how = b.text(3);
        ab.source = b.text(4);
        ab.firstTs = b.int64(5);
        ab.lastTs = b.int64(6);
        ab.count = b.int64(7);
        ab.evidenceEvent = b.int64(8);
        ab.conflictsWith = b.text(9);
        out[it->second].bindings.push_back(std::move(ab));
    }
    return out;
}

std::vector<CaseStore::SourceSummary> CaseStore::sources()
{
    std::vector<SourceSummary> out;
    auto st = m_db.prepare(
        "SELECT id, path, format, sha256, coalesce(size,0), records_read, records_stored, "
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
    auto st = m_db.prepare(
        "SELECT coalesce(c.name,'') || ':' || e.event_id, count(*) FROM events e "
        "LEFT JOIN channels c ON c.id = e.channel_id GROUP BY e.channel_id, c.name, e.event_id ORDER BY 1");
    while (st.step())
        out.push_back({st.text(0), st.int64(1)});
    return out;
}

std::vector<CaseStore::CountRow> CaseStore::countsByHost()
{
    std::vector<CountRow> out;
    auto st = m_db.prepare("SELECT coalesce(h.name,''), count(*) FROM events e LEFT JOIN hosts h ON h.id = e.host_id "
                           "GROUP BY e.host_id, h.name ORDER BY 1");
    while (st.step())
        out.push_back({st.text(0), st.int64(1)});
    return out;
}

} // namespace tt::store
