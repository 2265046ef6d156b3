#pragma once

#include "store/Sqlite.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tt::store {

// A case file (*.ttcase): one SQLite database, opened defensively and migrated on open.
// One CaseStore = one connection: use it from one thread only (open another for a worker).
class CaseStore {
public:
    enum class Access { ReadOnly, ReadWrite, Create };

    // Opens (or creates) and migrates. Throws std::runtime_error with a message fit for the
    // analyst: missing file, not a case file, newer schema, corrupt database.
    static std::unique_ptr<CaseStore> open(const std::string &path, Access access);

    sql::Db &db() { return m_db; }
    const std::string &path() const { return m_path; }
    bool readOnly() const { return m_readOnly; }
    int schemaVersion() const { return m_schemaVersion; }

    struct Totals {
        int64_t events = 0;
        int64_t hosts = 0;
        int64_t sources = 0;
        int64_t rejected = 0;
        int64_t firstTs = 0; // 0 when no events
        int64_t lastTs = 0;
    };
    Totals totals();

    struct HostSummary {
        int64_t id = 0;
        std::string name;
        std::string fqdn;
        bool ipOnly = false;
        int64_t events = 0;
        int64_t firstTs = 0;
        int64_t lastTs = 0;
        std::string addresses; // distinct addresses, comma separated
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
    CaseStore() = default;
    sql::Db m_db;
    std::string m_path;
    bool m_readOnly = false;
    int m_schemaVersion = 0;
};

} // namespace tt::store
