#pragma once

#include "store/AddressBindings.h"
#include "store/EventDensity.h"
#include "store/RecordBlockWriter.h"
#include "store/Rows.h"
#include "store/Sqlite.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::store {

class CaseStore;

// Writes one source file's records into a case inside a single transaction: begin(), rows,
// then commit() or rollback(). Nothing of a rolled-back source remains, so an interrupted
// import can simply be run again. Statements are prepared once; lookups of hosts, accounts,
// channels and providers are cached (and the caches dropped on rollback).
class CaseWriter {
public:
    explicit CaseWriter(CaseStore &store);
    explicit CaseWriter(sql::Db &db);
    ~CaseWriter();
    CaseWriter(const CaseWriter &) = delete;
    CaseWriter &operator=(const CaseWriter &) = delete;

    // Provenance look-ups, outside or inside a transaction.
    struct KnownSource {
        int64_t id = 0;
        std::string sha256;
        std::string path;
    };
    std::optional<KnownSource> findByStat(std::string_view path, int64_t size, int64_t mtime);
    std::optional<KnownSource> findBySha(std::string_view sha256);

    void begin(const SourceRow &source);
    bool active() const { return m_active; }
    sql::Db &db() { return m_db; } // for the other writers of the store (NetworkWriter) in this transaction
    int64_t sourceId() const { return m_sourceId; }

    enum class CommitResult { Committed, Duplicate, Replaced };
    // Sets the content hash and counts; when another source already has this SHA-256 the
    // transaction is rolled back instead and Duplicate is returned (existing id in *existing).
    // With replaceHostless, a known source that is host-less (hostless()) while this one gives its
    // records a host is replaced instead (`import --host NAME` of a file first imported without
    // one: eslogger / unified-log exports name no host): its events, record blocks and import
    // issues are deleted with its provenance row, notes / tags / bookmarks on its events move to
    // the same records of this source, and Replaced is returned (the old source in *existing).
    CommitResult commit(std::string_view sha256, const SourceCounts &counts, KnownSource *existing = nullptr,
        bool replaceHostless = false);
    // No record of the source has a host and it gave no host an address (its records were kept
    // without a host and not normalised). False for an unknown source.
    bool hostless(int64_t sourceId);
    void rollback();
    // Stores, in a transaction of its own, the record dictionaries trained on this writer's last
    // sources that no later source has stored yet (RecordBlockWriter): called when an import
    // ends, so that the next import into the case uses them. Outside a file's transaction.
    void storeTrainedDictionaries();

private:
    void replaceSource(int64_t oldSource);

public:
    // 0 when the name does not identify a host.
    int64_t hostId(std::string_view rawName);
    // 0 when name is empty or "-". domain/name matched case-insensitively; sid attached when new.
    int64_t accountId(std::string_view domain, std::string_view name, std::string_view sid);

    int64_t insertEvent(const EventRow &row);
    void insertLogon(const LogonRow &row);
    void endLogon(int64_t hostId, std::string_view logonId, int64_t ts);
    void markPrivileged(int64_t hostId, std::string_view logonId);
    void insertExplicitLogon(const ExplicitLogonRow &row);
    void insertProcess(const ProcessRow &row);
    void endProcessByGuid(int64_t hostId, std::string_view guid, int64_t ts, int64_t event);
    void endProcessByPid(int64_t hostId, int64_t pid, int64_t ts, int64_t event);
    void insertFileEvent(const FileEventRow &row);
    void insertNetConn(const NetConnRow &row);
    void insertShareAccess(const ShareAccessRow &row);
    void insertServiceInstall(const ServiceInstallRow &row);
    void insertDnsQuery(const DnsQueryRow &row);

    // The host acts as a domain controller (flag written at commit).
    void noteDomainController(int64_t hostId) { m_domainControllers.insert(hostId); }
    // An address seen for a host, aggregated per (host, address, how) and written at commit.
    void noteAddress(int64_t hostId, std::string_view ip, std::string_view how, int64_t ts, int64_t event);
    // Stored up to a cap per source; all are counted by the caller.
    void addIssue(int64_t position, bool reject, std::string_view message);

    static constexpr int kMaxIssuesPerSource = 10000;

private:
    // Look-ups by string_view without building a std::string per record.
    struct StringHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view> {}(s); }
    };
    using IdCache = std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>>;

    int64_t lookupId(IdCache &cache, sql::Stmt &find, sql::Stmt &insert, std::string_view name);
    void clearCaches();
    void flushHostStats();
    void flushAddresses();

    sql::Db &m_db;
    bool m_active = false;
    // Server case with events partitioned by month (store/PgPartitions.h): the month partitions
    // asked for in this file's transaction; [m_monthStart, m_monthEnd) the last one.
    void ensurePartition(int64_t ts);
    bool m_partitioned = false;
    std::set<int64_t> m_partitionMonths;
    int64_t m_monthStart = 0, m_monthEnd = 0;
    // Server case: event rows buffered as COPY text (flushEvents), ids reserved ahead.
    int64_t nextEventId();
    void flushEvents();
    void giveBackEventIds();
    void countHostEvent(const EventRow &r);
    bool m_copyEvents = false;
    // Server case: the normalised tables' rows buffered as COPY text too (ids from the identity
    // column in row order, as the INSERTs took them); flushed kCopyRows at a time and at commit.
    struct CopyBuffer {
        const char *sql = nullptr; // COPY table(columns) FROM STDIN, a constant
        std::string data;
        size_t rows = 0;
    };
    void flushCopy(CopyBuffer &buffer);
    void endCopyRow(CopyBuffer &buffer);
    void flushAllCopies();
    void clearCopies();
    CopyBuffer m_copyFile, m_copyNet, m_copyShare, m_copyService, m_copyDns, m_copyExplicit;
    // Processes and logon sessions are ended / marked by UPDATEs while buffered: the buffered rows
    // keep the columns those UPDATEs match and set, applied here as the UPDATE would (it still runs
    // for the rows already sent), the rest of the row as COPY text.
    struct PendingProcess {
        int64_t hostId, pid, startTs, endTs, endEvent;
        std::string guid, line;
    };
    struct PendingLogon {
        int64_t hostId, ts, endTs;
        bool success, privileged;
        std::string logonId, line;
    };
    void flushProcesses();
    void flushLogons();
    std::vector<PendingProcess> m_pendingProcesses;
    std::vector<PendingLogon> m_pendingLogons;
    std::string m_rowScratch;
    std::string m_eventCopy;
    size_t m_eventRows = 0;
    std::vector<int64_t> m_ids;
    size_t m_idNext = 0;
    sql::Stmt m_reserveIds;
    int64_t m_sourceId = 0;
    int m_issues = 0;
    int64_t m_firstEvent = 0;
    int64_t m_lastEvent = 0;
    std::optional<sql::Transaction> m_tx;
    RecordBlockWriter m_blocks;

    sql::Stmt m_insEvent, m_insLogon, m_endLogon, m_privLogon, m_insExplicit, m_insProcess, m_endProcGuid, m_endProcPid,
        m_insFile, m_insNet, m_insShare, m_insService, m_insDns, m_insIssue, m_findHostName, m_insHost, m_insHostName,
        m_setFqdn, m_findAccount, m_insAccount, m_setSid, m_findChannel, m_insChannel, m_findProvider, m_insProvider,
        m_findHashes, m_insHashes;

    IdCache m_hostCache; // raw spelling -> id (0: not a host)
    std::string m_lastHostName; // the last cache hit (valid while m_lastHostValid)
    int64_t m_lastHostId = 0;
    bool m_lastHostValid = false;
    IdCache m_accountCache; // DOMAIN\\NAME as written -> id
    IdCache m_channelCache;
    IdCache m_providerCache;
    // Distinct Sysmon Hashes values -> process_hashes.id (one per distinct binary: a few thousand in
    // an enterprise); cleared when it reaches kMaxCachedHashes, the table still answers.
    IdCache m_hashesCache;
    static constexpr size_t kMaxCachedHashes = 100000;
    std::string m_keyScratch;

    struct HostStats {
        int64_t count = 0, first = kNoValue, last = kNoValue;
    };
    std::unordered_map<int64_t, HostStats> m_hostStats;
    EventDensityCounter m_density; // the file's events per minute / host hour (schema 12)
    AddressBindingBuilder m_addressBindings; // this source's address sightings (store/AddressBindings.h)
    std::set<int64_t> m_domainControllers;
};

} // namespace tt::store
