#include "store/InferenceRepository.h"

#include "store/CaseStore.h"
#include "store/InferenceState.h"
#include "store/PgDb.h"
#include "store/RowBinding.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <string>

namespace tt::store {

namespace {

// " AND <host> IN (?,..) AND <ts> >= ? AND <ts> <= ?" for the parts of scope that narrow.
std::string scopeSql(const InferenceScope &scope, const char *hostCol, const char *tsCol)
{
    std::string s;
    if (!scope.hosts.empty()) {
        s += std::string(" AND ") + hostCol + " IN (";
        for (size_t i = 0; i < scope.hosts.size(); ++i)
            s += i ? ",?" : "?";
        s += ')';
    }
    if (scope.fromTs != kNoValue)
        s += std::string(" AND ") + tsCol + " >= ?";
    if (scope.toTs != kNoValue)
        s += std::string(" AND ") + tsCol + " <= ?";
    return s;
}

sql::Stmt prepareScoped(sql::Db &db, const std::string &head, const InferenceScope &scope, const char *hostCol,
    const char *tsCol, const char *tail)
{
    auto st = db.prepare(head + scopeSql(scope, hostCol, tsCol) + tail);
    int i = 1;
    for (int64_t h : scope.hosts)
        st.bind(i++, h);
    if (scope.fromTs != kNoValue)
        st.bind(i++, scope.fromTs);
    if (scope.toTs != kNoValue)
        st.bind(i++, scope.toTs);
    return st;
}

// Aborts a running statement (SQLITE_INTERRUPT) once the flag is set.
int onProgress(void *flag)
{
    return static_cast<const std::atomic<bool> *>(flag)->load(std::memory_order_relaxed) ? 1 : 0;
}
} // namespace

InferenceRepository::InferenceRepository(CaseStore &cs)
    : m_cs(cs)
{
}

bool InferenceRepository::hasTransferTables()
{
    return hasTable(m_cs.db(), "transfers");
}

int64_t InferenceRepository::eventCount()
{
    return m_cs.db().queryInt("SELECT count(*) FROM events");
}

namespace {
// The columns of a process row as ProcessInfo reads them (readProcess).
std::string processSelect(bool hashes)
{
    return std::string("SELECT p.id, p.event, p.host_id, e.source_id, p.start_ts, p.origin, p.guid, p.pid, p.image, "
                       "p.command_line, p.parent_guid, p.parent_pid, p.parent_image, p.account_id, p.logon_id, ")
        + (hashes ? "(SELECT ph.hashes FROM process_hashes ph WHERE ph.id=p.hashes_id)" : "NULL")
        + " FROM processes p JOIN events e ON e.id=p.event WHERE p.start_ts IS NOT NULL";
}

ProcessInfo readProcess(const sql::Stmt &st, bool hashes)
{
    ProcessInfo p;
    p.id = st.int64(0);
    p.event = st.int64(1);
    p.host = st.int64(2);
    p.source = st.int64(3);
    p.ts = st.int64(4);
    p.sysmon = st.textView(5) == "sysmon1";
    p.esxiShell = st.textView(5) == "esxi-shell";
    p.guid = columnText(st, 6);
    p.pid = columnInt64(st, 7, -1);
    p.image = columnText(st, 8);
    p.cmd = columnText(st, 9);
    p.parentGuid = columnText(st, 10);
    p.parentPid = columnInt64(st, 11, -1);
    p.parentImage = columnText(st, 12);
    p.account = columnInt64(st, 13);
    p.logonId = columnText(st, 14);
    if (hashes)
        p.hashes = columnText(st, 15);
    return p;
}
} // namespace

bool InferenceRepository::loadProcess(int64_t processId, ProcessInfo &out)
{
    auto st = m_cs.db().prepare(processSelect(false) + " AND p.id=?");
    st.bind(1, processId);
    if (!st.step())
        return false;
    out = readProcess(st, false);
    return true;
}

void InferenceRepository::loadProcesses(const InferenceScope &scope, const RowSink<ProcessInfo> &sink)
{
    auto st = prepareScoped(
        m_cs.db(), processSelect(scope.processHashes), scope, "p.host_id", "p.start_ts", " ORDER BY p.id");
    while (st.step())
        sink(readProcess(st, scope.processHashes));
}

std::string InferenceRepository::processHashes(int64_t processId)
{
    auto st = m_cs.db().prepare(
        "SELECT ph.hashes FROM processes p JOIN process_hashes ph ON ph.id=p.hashes_id WHERE p.id=?");
    st.bind(1, processId);
    return st.step() ? columnText(st, 0) : std::string();
}

std::vector<std::pair<int64_t, int64_t>> InferenceRepository::processCountsByHost(const InferenceScope &scope)
{
    auto st = prepareScoped(m_cs.db(), "SELECT p.host_id, count(*) FROM processes p WHERE p.start_ts IS NOT NULL",
        scope, "p.host_id", "p.start_ts", " GROUP BY p.host_id ORDER BY p.host_id");
    std::vector<std::pair<int64_t, int64_t>> out;
    while (st.step())
        out.emplace_back(st.int64(0), st.int64(1));
    return out;
}

int64_t InferenceRepository::processHost(int64_t processId)
{
    auto st = m_cs.db().prepare("SELECT host_id FROM processes WHERE id=?");
    st.bind(1, processId);
    return st.step() ? columnInt64(st, 0) : 0;
}

void InferenceRepository::scanProcessText(
    const InferenceScope &scope, const std::function<void(const ProcessInfo &)> &sink)
{
    auto st = prepareScoped(m_cs.db(),
        "SELECT p.host_id, p.origin, p.image, p.command_line FROM processes p WHERE p.start_ts IS NOT NULL", scope,
        "p.host_id", "p.start_ts", "");
    ProcessInfo p; // its strings keep their capacity from row to row
    while (st.step()) {
        p.host = st.int64(0);
        p.esxiShell = st.textView(1) == "esxi-shell";
        p.image.assign(st.textView(2));
        p.cmd.assign(st.textView(3));
        sink(p);
    }
}

std::vector<int64_t> InferenceRepository::processIdsOfEvent(int64_t event)
{
    auto st = m_cs.db().prepare("SELECT id FROM processes WHERE event=? AND start_ts IS NOT NULL ORDER BY id");
    st.bind(1, event);
    std::vector<int64_t> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

namespace {
// The rows of each kind inference reads (WHERE clauses on file_events f, share_accesses s,
// logon_sessions l, net_connections n), shared by the loads and the per-host counts.
constexpr const char *kFileEventsWhere = "f.ts IS NOT NULL AND f.path IS NOT NULL";
constexpr const char *kShareAccessesWhere
    = "s.ts IS NOT NULL AND (s.code=5140 OR (s.code=5145 AND "
      "((s.access_mask & 6) != 0 OR s.access_list LIKE '%4417%' OR s.access_list LIKE '%4418%' "
      "OR s.relative_target LIKE 'svcctl')))";
constexpr const char *kLogonsWhere
    = "l.ts IS NOT NULL AND l.outcome='success' AND "
      "(l.logon_type IN (3, 10) OR l.origin LIKE 'rdp-%' OR l.origin IN ('sshd', 'auditd'))";
constexpr const char *kSmbRdpConnectionsWhere
    = "n.ts IS NOT NULL AND (n.dst_port IN (445, 139, 3389) OR n.src_port IN (445, 139, 3389))";

std::vector<std::pair<int64_t, int64_t>> countsByHost(
    sql::Db &db, const std::string &fromWhere, const InferenceScope &scope, const char *hostCol, const char *tsCol)
{
    const std::string tail = std::string(" GROUP BY ") + hostCol + " ORDER BY " + hostCol;
    auto st = prepareScoped(
        db, std::string("SELECT ") + hostCol + ", count(*) FROM " + fromWhere, scope, hostCol, tsCol, tail.c_str());
    std::vector<std::pair<int64_t, int64_t>> out;
    while (st.step())
        out.emplace_back(st.int64(0), st.int64(1));
    return out;
}
} // namespace

std::array<std::vector<std::pair<int64_t, int64_t>>, InferenceRepository::kFileEventKinds>
InferenceRepository::fileEventCountsByHost(const InferenceScope &scope)
{
    // One pass over file_events for the five kinds (in FileEventKind's order).
    auto st = prepareScoped(m_cs.db(),
        std::string("SELECT f.host_id, CASE f.kind WHEN 'create' THEN 0 WHEN 'read' THEN 1 WHEN 'stream' THEN 2 "
                    "WHEN 'image-load' THEN 4 ELSE 3 END AS k, count(*) FROM file_events f WHERE ")
            + kFileEventsWhere + " AND (f.kind IN ('create', 'read', 'stream', 'image-load') OR (f.kind='access' AND "
            + "(f.access_mask & 6) != 0))",
        scope, "f.host_id", "f.ts", " GROUP BY f.host_id, k ORDER BY k, f.host_id");
    std::array<std::vector<std::pair<int64_t, int64_t>>, kFileEventKinds> out;
    while (st.step())
        out[size_t(st.int64(1))].emplace_back(st.int64(0), st.int64(2));
    return out;
}

std::vector<std::pair<int64_t, int64_t>> InferenceRepository::shareAccessCountsByHost(const InferenceScope &scope)
{
    return countsByHost(
        m_cs.db(), std::string("share_accesses s WHERE ") + kShareAccessesWhere, scope, "s.host_id", "s.ts");
}

std::vector<std::pair<int64_t, int64_t>> InferenceRepository::logonCountsByHost(const InferenceScope &scope)
{
    return countsByHost(m_cs.db(), std::string("logon_sessions l WHERE ") + kLogonsWhere, scope, "l.host_id", "l.ts");
}

std::vector<std::pair<int64_t, int64_t>> InferenceRepository::smbRdpConnectionCountsByHost(const InferenceScope &scope)
{
    return countsByHost(
        m_cs.db(), std::string("net_connections n WHERE ") + kSmbRdpConnectionsWhere, scope, "n.host_id", "n.ts");
}

int64_t InferenceRepository::eventHost(int64_t event)
{
    auto st = m_cs.db().prepare("SELECT host_id FROM events WHERE id=?");
    st.bind(1, event);
    return st.step() ? columnInt64(st, 0) : 0;
}

void InferenceRepository::loadOutboundSmb(
    const InferenceScope &scope, const std::function<void(int64_t, int64_t, int64_t, std::string_view, int64_t)> &sink)
{
    // The order of the connections read per host: host, then (ts, event), then id.
    auto st = prepareScoped(m_cs.db(),
        std::string("SELECT n.host_id, n.event, n.ts, n.src_ip, n.src_port FROM net_connections n "
                    "JOIN events e ON e.id=n.event WHERE ")
            + kSmbRdpConnectionsWhere
            + " AND n.initiated=1 AND n.dst_port IN (445, 139) AND n.src_ip IS NOT NULL AND n.src_ip != '' "
              "AND n.src_port > 0",
        scope, "n.host_id", "n.ts", " ORDER BY n.host_id, n.ts, n.event, n.id");
    while (st.step())
        sink(st.int64(0), st.int64(1), st.int64(2), st.textView(3), st.int64(4));
}

void InferenceRepository::loadFileEvents(
    const InferenceScope &scope, const std::function<void(FileCreateInfo &&, FileEventKind)> &sink)
{
    auto st = prepareScoped(m_cs.db(),
        std::string("SELECT f.id, f.event, f.host_id, e.source_id, f.ts, f.path, f.image, f.process_guid, f.pid, "
                    "f.account_id, f.hashes, f.kind, f.access_mask FROM file_events f JOIN events e ON e.id=f.event "
                    "WHERE ")
            + kFileEventsWhere + " AND f.kind IN ('create', 'read', 'stream', 'access', 'image-load')",
        scope, "f.host_id", "f.ts", " ORDER BY f.id");
    while (st.step()) {
        FileCreateInfo f;
        f.id = st.int64(0);
        f.event = st.int64(1);
        f.host = st.int64(2);
        f.source = st.int64(3);
        f.ts = st.int64(4);
        f.path = columnText(st, 5);
        f.image = columnText(st, 6);
        f.guid = columnText(st, 7);
        f.pid = columnInt64(st, 8, -1);
        f.account = columnInt64(st, 9);
        f.hashes = columnText(st, 10);
        const std::string_view kind = st.textView(11);
        if (kind == "access" && (columnInt64(st, 12) & 6) == 0)
            continue; // 4663 without WriteData / AppendData
        sink(std::move(f),
            kind == "read"             ? FileEventKind::Read
                : kind == "stream"     ? FileEventKind::Stream
                : kind == "access"     ? FileEventKind::Write
                : kind == "image-load" ? FileEventKind::ImageLoad
                                       : FileEventKind::Create);
    }
}

void InferenceRepository::loadShareAccesses(const InferenceScope &scope, const RowSink<ShareInfo> &sink)
{
    auto st = prepareScoped(m_cs.db(),
        std::string(
            "SELECT s.id, s.event, s.host_id, e.source_id, s.ts, s.code, s.share_name, s.share_path, "
            "s.relative_target, "
            "s.access_mask, s.access_list, s.src_ip, s.src_port, s.account_id, s.logon_id FROM share_accesses s "
            "JOIN events e ON e.id=s.event WHERE ")
            + std::string(kShareAccessesWhere),
        scope, "s.host_id", "s.ts", " ORDER BY s.id");
    while (st.step()) {
        ShareInfo s;
        s.id = st.int64(0);
        s.event = st.int64(1);
        s.host = st.int64(2);
        s.source = st.int64(3);
        s.ts = st.int64(4);
        s.code = st.integer(5);
        s.share = columnText(st, 6);
        s.sharePath = columnText(st, 7);
        s.rel = columnText(st, 8);
        s.mask = columnInt64(st, 9);
        s.accessList = columnText(st, 10);
        s.ip = columnText(st, 11);
        s.port = columnInt64(st, 12, -1);
        s.account = columnInt64(st, 13);
        s.logonId = columnText(st, 14);
        sink(std::move(s));
    }
}

void InferenceRepository::loadLogons(const InferenceScope &scope, const RowSink<LogonInfo> &sink)
{
    auto st = prepareScoped(m_cs.db(),
        std::string("SELECT l.id, l.event, l.host_id, e.source_id, l.ts, l.origin, l.logon_id, l.source_ip, "
                    "l.workstation, l.logon_type, l.account_id, l.source_port, l.end_ts FROM logon_sessions l "
                    "JOIN events e ON e.id=l.event WHERE ")
            + kLogonsWhere,
        scope, "l.host_id", "l.ts", " ORDER BY l.id");
    while (st.step()) {
        LogonInfo l;
        l.id = st.int64(0);
        l.event = st.int64(1);
        l.host = st.int64(2);
        l.source = st.int64(3);
        l.ts = st.int64(4);
        l.origin = columnText(st, 5);
        l.logonId = columnText(st, 6);
        l.ip = columnText(st, 7);
        l.workstation = columnText(st, 8);
        l.type = static_cast<int>(columnInt64(st, 9));
        l.account = columnInt64(st, 10);
        l.port = columnInt64(st, 11, -1);
        l.endTs = columnInt64(st, 12);
        sink(std::move(l));
    }
}

void InferenceRepository::loadSmbRdpConnections(const InferenceScope &scope, const RowSink<NetInfo> &sink)
{
    auto st = prepareScoped(m_cs.db(),
        std::string(
            "SELECT n.id, n.event, n.host_id, e.source_id, n.ts, n.initiated, n.src_ip, n.src_port, "
            "n.src_name, n.dst_ip, n.dst_port, n.dst_name, n.image, n.process_guid, n.protocol FROM net_connections n "
            "JOIN events e ON e.id=n.event WHERE ")
            + kSmbRdpConnectionsWhere,
        scope, "n.host_id", "n.ts", " ORDER BY n.id");
    while (st.step()) {
        NetInfo n;
        n.id = st.int64(0);
        n.event = st.int64(1);
        n.host = st.int64(2);
        n.source = st.int64(3);
        n.ts = st.int64(4);
        n.initiated = static_cast<int>(columnInt64(st, 5, -1));
        n.srcIp = columnText(st, 6);
        n.srcPort = columnInt64(st, 7, -1);
        n.srcName = columnText(st, 8);
        n.dstIp = columnText(st, 9);
        n.dstPort = columnInt64(st, 10, -1);
        n.dstName = columnText(st, 11);
        n.image = columnText(st, 12);
        n.guid = columnText(st, 13);
        n.protocol = columnText(st, 14);
        sink(std::move(n));
    }
}

void InferenceRepository::loadServiceInstalls(const InferenceScope &scope, const RowSink<ServiceInfo> &sink)
{
    auto st = prepareScoped(m_cs.db(),
        "SELECT s.id, s.event, s.host_id, e.source_id, s.ts, s.origin, s.service_name, s.image_path, "
        "s.account_id FROM service_installs s JOIN events e ON e.id=s.event WHERE s.ts IS NOT NULL",
        scope, "s.host_id", "s.ts", " ORDER BY s.id");
    while (st.step()) {
        ServiceInfo s;
        s.id = st.int64(0);
        s.event = st.int64(1);
        s.host = st.int64(2);
        s.source = st.int64(3);
        s.ts = st.int64(4);
        s.origin = columnText(st, 5);
        s.name = columnText(st, 6);
        s.imagePath = columnText(st, 7);
        s.account = columnInt64(st, 8);
        sink(std::move(s));
    }
}

std::vector<OutboundConnectionRow> InferenceRepository::outboundConnections(int64_t host, int64_t fromTs, int64_t toTs)
{
    auto st = m_cs.db().prepare("SELECT event, dst_ip, ts FROM net_connections WHERE host_id=? AND initiated=1 "
                                "AND ts BETWEEN ? AND ? AND dst_ip IS NOT NULL ORDER BY ts, id");
    st.bind(1, host).bind(2, fromTs).bind(3, toTs);
    std::vector<OutboundConnectionRow> out;
    while (st.step())
        out.push_back({st.int64(0), st.int64(2), st.text(1)});
    return out;
}

void InferenceRepository::removeUnusedHosts()
{
    sql::Db &db = m_cs.db();
    db.exec("DELETE FROM host_names WHERE host_id IN (SELECT h.id FROM hosts h WHERE h.event_count = 0 "
            "AND NOT EXISTS (SELECT 1 FROM host_addresses a WHERE a.host_id = h.id) "
            "AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.src_host_id = h.id OR t.dst_host_id = h.id))");
    db.exec("DELETE FROM hosts WHERE event_count = 0 "
            "AND NOT EXISTS (SELECT 1 FROM host_addresses a WHERE a.host_id = hosts.id) "
            "AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.src_host_id = hosts.id OR t.dst_host_id = hosts.id)");
}

void InferenceRepository::markDone()
{
    markInferenceDone(m_cs.db());
}

namespace {
constexpr const char *kCoveredEventsKey = "inference_covered_events";
constexpr const char *kCoveredAccountsKey = "inference_covered_accounts";

int64_t caseInfoInt(sql::Db &db, const char *key)
{
    auto st = db.prepare("SELECT value FROM case_info WHERE key = ?");
    st.bind(1, std::string_view(key));
    if (!st.step() || st.isNull(0))
        return -1;
    try {
        return std::stoll(st.text(0));
    } catch (const std::exception &) {
        return -1;
    }
}

void setCaseInfo(sql::Db &db, const char *key, int64_t value)
{
    auto st = db.prepare(
        "INSERT INTO case_info(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, std::string_view(key)).bind(2, std::string_view(std::to_string(value)));
    st.exec();
}

void bindList(sql::Stmt &st, int &i, const std::vector<int64_t> &ids)
{
    for (int64_t id : ids)
        st.bind(i++, id);
}

std::string placeholders(size_t n)
{
    std::string s;
    for (size_t i = 0; i < n; ++i)
        s += i ? ",?" : "?";
    return s;
}
} // namespace

bool InferenceRepository::serverCase()
{
    return m_cs.db().isPostgres();
}

InferenceRepository::CoveredIds InferenceRepository::coveredIds()
{
    return {caseInfoInt(m_cs.db(), kCoveredEventsKey), caseInfoInt(m_cs.db(), kCoveredAccountsKey)};
}

void InferenceRepository::setCoveredIds(const CoveredIds &ids)
{
    setCaseInfo(m_cs.db(), kCoveredEventsKey, ids.events);
    setCaseInfo(m_cs.db(), kCoveredAccountsKey, ids.accounts);
}

InferenceRepository::CoveredIds InferenceRepository::maxIds()
{
    sql::Db &db = m_cs.db();
    return {db.queryInt("SELECT coalesce(max(id), 0) FROM events"),
        db.queryInt("SELECT coalesce(max(id), 0) FROM accounts")};
}

std::vector<NewEventSpan> InferenceRepository::newEventSpans(int64_t afterEvent)
{
    auto st = m_cs.db().prepare("SELECT coalesce(host_id, 0), min(ts), max(ts), count(*) FROM events WHERE id > ? "
                                "GROUP BY coalesce(host_id, 0) ORDER BY 1");
    st.bind(1, afterEvent);
    std::vector<NewEventSpan> out;
    while (st.step())
        out.push_back({st.int64(0), columnInt64(st, 1), columnInt64(st, 2), st.int64(3)});
    return out;
}

bool InferenceRepository::networkRowsAfter(int64_t afterEvent)
{
    for (const char *table : {"net_flows", "net_files", "net_auth", "net_activity"}) {
        if (!hasTable(m_cs.db(), table))
            continue;
        auto st = m_cs.db().prepare(std::string("SELECT 1 FROM ") + table + " WHERE event > ? LIMIT 1");
        st.bind(1, afterEvent);
        if (st.step())
            return true;
    }
    return false;
}

int64_t InferenceRepository::hostsWithEvents()
{
    return m_cs.db().queryInt("SELECT count(*) FROM hosts WHERE event_count > 0");
}

int64_t InferenceRepository::transferCount()
{
    return m_cs.db().queryInt("SELECT count(*) FROM transfers");
}

std::vector<PeerLinkRow> InferenceRepository::peerLinks(int64_t fromTs, int64_t toTs)
{
    auto st = m_cs.db().prepare(
        "SELECT DISTINCT host_id, coalesce(source_ip, ''), coalesce(workstation, '') FROM logon_sessions "
        "WHERE ts BETWEEN ?1 AND ?2 AND (source_ip IS NOT NULL OR workstation IS NOT NULL) "
        "UNION SELECT DISTINCT host_id, src_ip, '' FROM share_accesses WHERE ts BETWEEN ?1 AND ?2 AND src_ip IS NOT "
        "NULL "
        "UNION SELECT DISTINCT host_id, coalesce(src_ip, ''), coalesce(src_name, '') FROM net_connections "
        "WHERE ts BETWEEN ?1 AND ?2 AND (dst_port IN (445, 139, 3389, 22) OR src_port IN (445, 139, 3389, 22)) "
        "UNION SELECT DISTINCT host_id, coalesce(dst_ip, ''), coalesce(dst_name, '') FROM net_connections "
        "WHERE ts BETWEEN ?1 AND ?2 AND (dst_port IN (445, 139, 3389, 22) OR src_port IN (445, 139, 3389, 22))");
    st.bind(1, fromTs).bind(2, toTs);
    std::vector<PeerLinkRow> out;
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.text(2)});
    return out;
}

std::vector<std::pair<int64_t, int64_t>> InferenceRepository::accountLinks()
{
    auto st = m_cs.db().prepare("SELECT account_id, canonical_id FROM account_links ORDER BY account_id");
    std::vector<std::pair<int64_t, int64_t>> out;
    while (st.step())
        out.emplace_back(st.int64(0), st.int64(1));
    return out;
}

std::vector<int64_t> InferenceRepository::transfersTouching(
    const std::vector<int64_t> &hosts, const std::vector<std::string> &addresses, int64_t fromTs, int64_t toTs)
{
    std::string sql = "SELECT id FROM transfers WHERE first_ts BETWEEN ? AND ? AND (dst_host_id IN ("
        + placeholders(hosts.size()) + ") OR src_host_id IN (" + placeholders(hosts.size()) + ")";
    if (!addresses.empty())
        sql += " OR src_ip IN (" + placeholders(addresses.size()) + ")";
    sql += ") ORDER BY id";
    auto st = m_cs.db().prepare(sql);
    int i = 1;
    st.bind(i++, fromTs);
    st.bind(i++, toTs);
    bindList(st, i, hosts);
    bindList(st, i, hosts);
    for (const std::string &a : addresses)
        st.bind(i++, std::string_view(a));
    std::vector<int64_t> out;
    while (st.step())
        out.push_back(st.int64(0));
    return out;
}

namespace {
// The sorted, distinct first column of a one-parameter query run once per key.
std::vector<int64_t> distinctPerKey(sql::Db &db, const char *sqlText, const std::vector<int64_t> &keys)
{
    auto st = db.prepare(sqlText);
    std::vector<int64_t> out;
    for (int64_t k : keys) {
        st.bind(1, k);
        while (st.step())
            out.push_back(st.int64(0));
        st.reset();
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}
} // namespace

std::vector<int64_t> InferenceRepository::transfersWithEvidence(const std::vector<int64_t> &events)
{
    return distinctPerKey(m_cs.db(), "SELECT DISTINCT transfer_id FROM transfer_evidence WHERE event = ?", events);
}

std::vector<int64_t> InferenceRepository::evidenceEvents(const std::vector<int64_t> &transfers)
{
    return distinctPerKey(m_cs.db(), "SELECT event FROM transfer_evidence WHERE transfer_id = ?", transfers);
}

std::vector<int64_t> InferenceRepository::hostsOfEvents(const std::vector<int64_t> &events)
{
    return distinctPerKey(m_cs.db(), "SELECT host_id FROM events WHERE id = ? AND host_id IS NOT NULL", events);
}

std::vector<int64_t> InferenceRepository::transferEnds(const std::vector<int64_t> &transfers)
{
    auto st = m_cs.db().prepare("SELECT src_host_id, dst_host_id FROM transfers WHERE id = ?");
    std::vector<int64_t> out;
    for (int64_t t : transfers) {
        st.bind(1, t);
        while (st.step()) {
            if (!st.isNull(0))
                out.push_back(st.int64(0));
            out.push_back(st.int64(1));
        }
        st.reset();
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

InferenceRepository::RunTransaction::RunTransaction(CaseStore &cs)
    : m_tx(std::make_unique<sql::Transaction>(cs.db()))
{
    lockCaseWriters(cs.db()); // a server case: one inference or import file at a time
}

InferenceRepository::RunTransaction::~RunTransaction() = default;

void InferenceRepository::RunTransaction::commit()
{
    m_tx->commit();
}

InferenceRepository::PageCacheLimit::PageCacheLimit(CaseStore &cs, int64_t kib)
    : m_cs(cs)
    , m_previous(cs.db().isPostgres() ? 0 : cs.db().queryInt("PRAGMA cache_size", 0))
{
    // A server case has no page cache in this process (the server's buffers are its own): nothing
    // to limit. SQLite: negative is a size in KiB, positive in pages. Only ever lowered.
    if (cs.db().isPostgres())
        return;
    const int64_t pageSize = cs.db().queryInt("PRAGMA page_size", 4096);
    const int64_t previousKib = m_previous < 0 ? -m_previous : m_previous * pageSize / 1024;
    if (kib > 0 && previousKib > kib)
        cs.db().exec("PRAGMA cache_size=" + std::to_string(-kib));
}

InferenceRepository::PageCacheLimit::~PageCacheLimit()
{
    if (m_cs.db().isPostgres())
        return;
    try {
        m_cs.db().exec("PRAGMA cache_size=" + std::to_string(m_previous));
    } catch (...) {
        // a failed restore only leaves the smaller cache
    }
}

InferenceRepository::Interrupter::Interrupter(CaseStore &cs, const std::atomic<bool> *flag)
    : m_cs(cs)
{
    if (sql::PgDb *pg = m_cs.db().pg()) {
        // Not owned: the flag outlives the interrupter (aliasing constructor, no control block).
        pg->setCancelFlag(sql::CancelFlag(std::shared_ptr<void>(), const_cast<std::atomic<bool> *>(flag)));
        return;
    }
    sqlite3_progress_handler(m_cs.db().handle(), 10000, onProgress, const_cast<std::atomic<bool> *>(flag));
}

InferenceRepository::Interrupter::~Interrupter()
{
    if (sql::PgDb *pg = m_cs.db().pg()) {
        pg->setCancelFlag(nullptr);
        return;
    }
    sqlite3_progress_handler(m_cs.db().handle(), 0, nullptr, nullptr);
}

} // namespace tt::store

namespace tt::store {

std::vector<ShareReadRow> InferenceRepository::shareReads()
{
    return loadShareReads(m_cs.db());
}

std::vector<ScheduledTaskRow> InferenceRepository::scheduledTasks()
{
    return loadScheduledTasks(m_cs.db());
}

std::vector<BitsJobRow> InferenceRepository::bitsJobs()
{
    return loadBitsJobs(m_cs.db());
}

std::vector<ScriptBlockRow> InferenceRepository::scriptBlocks()
{
    return loadScriptBlocks(m_cs.db());
}

std::vector<RemotingRow> InferenceRepository::remotingRecords()
{
    return loadRemotingRecords(m_cs.db());
}

std::vector<MountRow> InferenceRepository::mounts()
{
    return loadMounts(m_cs.db());
}

std::vector<AirDropRow> InferenceRepository::airDropAsks()
{
    return loadAirDropAsks(m_cs.db());
}

} // namespace tt::store
