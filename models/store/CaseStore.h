#pragma once

#include "store/Sqlite.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tt::store {

class CaseLock;

// How a session opens a case (at namespace scope so that it can be a default argument).
struct OpenOptions {
    // Take the case's session lock (CaseLock) for a read-write open: set by the GUI window or CLI
    // command that edits the case, never by worker connections. When another TransferTrace holds
    // it, the case opens read-only (readOnlyCause() == LockedElsewhere, with the owner's pid).
    bool sessionLock = false;
};

// A case file (*.ttcase): one SQLite database, opened defensively and migrated on open.
// One CaseStore = one connection: use it from one thread only (open another for a worker).
class CaseStore {
public:
    enum class Access { ReadOnly, ReadWrite, Create };

    // Opens (or creates) and migrates. Throws std::runtime_error with a message fit for the
    // analyst: missing file, not a case file, newer schema, corrupt database.
    //
    // Read-only instead of read-write (see readOnlyCause()): a file without write permission (even
    // for root), a folder that is not writable (WAL needs its side files), or, with
    // options.sessionLock, a case another TransferTrace has open.
    // An older schema is migrated. Writable: a copy of the file as it was is kept first, beside it
    // (NAME.ttcase.v1.bak, see migrationBackup()). Read-only: the file is never changed; a private
    // temporary copy is migrated and read instead (dataPath(); removed when the store closes).
    //
    // `path` may also be a postgresql:// location (store::CaseLocation, docs/server.md): a case on a
    // server. Create makes the case schema when missing; a newer schema version is refused, an
    // older one upgraded in one transaction on a writable open (store::upgradePgCase: needs the
    // case's owner and no other session in it; migratedFrom() says from which version; a read-only
    // open of an older server case is refused with the reason). No lock file, WAL or backup files: the
    // session lock is a shared PostgreSQL session advisory lock on the case: several sessions
    // write one server case at once (docs/server.md, "Several analysts at once"), never
    // LockedElsewhere. path() is then the redacted location; dataPath() the
    // location as given (password included: pass it to CaseStore::open only, never print it).
    static std::unique_ptr<CaseStore> open(const std::string &path, Access access, const OpenOptions &options = {});
    ~CaseStore();

    sql::Db &db() { return m_db; }
    const std::string &path() const { return m_path; } // a server case: the redacted location
    bool isServer() const { return m_server; }
    bool readOnly() const { return m_readOnly; }
    int schemaVersion() const { return m_schemaVersion; }

    // NoWritePermission: a server case whose role may only read it (granted as viewer).
    enum class ReadOnlyCause {
        None,
        Requested,
        FileNotWritable,
        FolderNotWritable,
        LockedElsewhere,
        NoWritePermission
    };
    ReadOnlyCause readOnlyCause() const { return m_readOnlyCause; }
    // Why the case is read-only, for a banner ("" when writable), e.g. "the case is opened by
    // another TransferTrace (pid 1234 on host ws7)" or "the case file is not writable".
    const std::string &readOnlyReason() const { return m_readOnlyReason; }
    bool hasSessionLock() const { return m_lock != nullptr; }

    // The file this connection reads: path(), or for a read-only open of an older schema the
    // private migrated copy. Worker connections of this session should open dataPath().
    const std::string &dataPath() const { return m_dataPath; }
    bool temporaryCopy() const { return !m_server && m_dataPath != m_path; }
    int migratedFrom() const { return m_migratedFrom; } // 0: no migration on this open
    const std::string &migrationBackup() const { return m_migrationBackup; } // "" when none was made

    // Save As: a complete, self-contained copy (SQLite online backup API, rollback-journal mode,
    // no -wal needed) written to a temporary file beside dest and renamed over it, so dest is
    // either the old file or the full copy. Refuses the open case itself (and its data file) and
    // a dest that another TransferTrace has open. This store stays on its own file. Throws
    // std::runtime_error with a message for the analyst.
    // A server case: store::copyCase into a new file beside dest (every table, verified by row
    // count and checksum, as `transfertrace copy` does), then renamed over dest; this store stays
    // on the server.
    void saveAs(const std::string &dest);

    // Writes a consistent copy of the database behind `db` to dest (as saveAs, without checks).
    static void backupTo(sql::Db &db, const std::string &dest);

    struct Totals {
        int64_t events = 0;
        int64_t hosts = 0;
        int64_t sources = 0;
        int64_t rejected = 0;
        int64_t firstTs = 0; // 0 when no events
        int64_t lastTs = 0;
    };
    Totals totals();

    // One host <-> address binding: valid over [firstTs, lastTs] by `how` (the rule: sysmon3-local,
    // 4624-workstation, zeek-dns, zeek-ntlm, zeek-kerberos, zeek-netbios, sshd-local), learnt from
    // one source file, its earliest record `evidenceEvent`. conflictsWith: the other hosts that held
    // the address at an overlapping time (address_conflicts, written by inference).
    struct AddressBinding {
        int64_t id = 0;
        std::string address, how, source, conflictsWith;
        int64_t firstTs = 0, lastTs = 0, count = 0, evidenceEvent = 0;
    };

    struct HostSummary {
        int64_t id = 0;
        std::string name;
        std::string fqdn;
        bool ipOnly = false;
        int64_t events = 0;
        int64_t firstTs = 0;
        int64_t lastTs = 0;
        std::string addresses; // distinct addresses, comma separated
        std::vector<AddressBinding> bindings; // by address, then time
    };
    std::vector<HostSummary> hosts();

    struct SourceSummary {
        int64_t id = 0;
        std::string path, format, sha256;
        int64_t size = 0, read = 0, stored = 0, rejected = 0, warnings = 0, firstTs = 0, lastTs = 0;
    };
    std::vector<SourceSummary> sources();

    struct CountRow {
        std::string key;
        int64_t count = 0;
    };
    // Stored events per "Channel:EventID" and per host name, for checks and summaries.
    std::vector<CountRow> countsByChannelEventId();
    std::vector<CountRow> countsByHost();

private:
    CaseStore();
    void migrateTemporaryCopy(int fromVersion);
    static std::unique_ptr<CaseStore> openServer(
        const std::string &location, Access access, const OpenOptions &options);
    std::unique_ptr<CaseLock> m_lock; // declared before m_db: released after the connection closes
    sql::Db m_db;
    std::string m_path;
    std::string m_dataPath;
    bool m_readOnly = false;
    bool m_server = false;
    int m_schemaVersion = 0;
    ReadOnlyCause m_readOnlyCause = ReadOnlyCause::None;
    std::string m_readOnlyReason;
    int m_migratedFrom = 0;
    std::string m_migrationBackup;
};

} // namespace tt::store
