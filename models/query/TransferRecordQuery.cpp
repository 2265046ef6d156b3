#include "query/TransferRecordQuery.h"

#include "store/CaseStore.h"
#include "store/HostName.h"
#include "store/RowBinding.h"
#include "store/Sqlite.h"

#include <algorithm>
#include <unordered_map>

namespace tt {

namespace {
// The columns of a record and where they come from; readRecord() maps them in this order.
constexpr const char *kColumns = R"SQL(
SELECT t.id, t.key, t.src_host_id, t.dst_host_id, t.account_id, sh.name, t.src_ip, dh.name, t.file_name, t.dst_path,
       t.src_path, t.method, t.direction, a.domain, a.name, t.first_ts, t.last_ts, t.confidence, t.confidence_label,
       t.executed, t.hashes, t.rules,
       (SELECT count(*) FROM transfer_evidence e WHERE e.transfer_id = t.id),
       (SELECT count(*) FROM transfer_evidence e WHERE e.transfer_id = t.id AND e.role LIKE 'src-%'),
       (SELECT count(*) FROM transfer_evidence e WHERE e.transfer_id = t.id AND e.role NOT LIKE 'src-%'),
       (SELECT group_concat(role, ',') FROM (SELECT DISTINCT e.role FROM transfer_evidence e
                                             WHERE e.transfer_id = t.id ORDER BY e.role) d),
       sp.image, (SELECT image FROM processes dp WHERE dp.id = t.dst_process_id), t.benign_tool, t.benign_reason
FROM transfers t
LEFT JOIN hosts sh ON sh.id = t.src_host_id
JOIN hosts dh ON dh.id = t.dst_host_id
LEFT JOIN accounts a ON a.id = t.account_id
LEFT JOIN processes sp ON sp.id = t.src_process_id
)SQL";

TransferRecord readRecord(const sql::Stmt &st)
{
    using store::columnInt64;
    using store::columnText;
    TransferRecord r;
    r.id = st.int64(0);
    r.key = columnText(st, 1);
    r.srcHostId = columnInt64(st, 2);
    r.dstHostId = st.int64(3);
    r.accountId = columnInt64(st, 4);
    r.source = columnText(st, 5);
    r.sourceIp = columnText(st, 6);
    if (r.source.empty())
        r.source = r.sourceIp;
    r.destination = columnText(st, 7);
    r.file = columnText(st, 8);
    r.path = columnText(st, 9);
    r.srcPath = columnText(st, 10);
    r.method = columnText(st, 11);
    r.direction = columnText(st, 12);
    const std::string dom = columnText(st, 13), name = columnText(st, 14);
    r.account = name.empty() ? std::string() : dom.empty() ? name : dom + '\\' + name;
    r.firstTs = st.int64(15);
    r.lastTs = st.int64(16);
    r.confidence = st.real(17);
    r.confidenceLabel = columnText(st, 18);
    r.executed = st.int64(19) != 0;
    r.hashes = columnText(st, 20);
    r.rules = columnText(st, 21);
    r.evidence = st.integer(22);
    r.srcEvidence = st.integer(23);
    r.dstEvidence = st.integer(24);
    const std::string joined = columnText(st, 25);
    for (size_t b = 0; b < joined.size();) {
        const size_t e = std::min(joined.find(',', b), joined.size());
        r.roles.push_back(joined.substr(b, e - b));
        b = e + 1;
    }
    r.sourceProcess = columnText(st, 26);
    r.executingProcess = columnText(st, 27);
    r.benignTool = columnText(st, 28);
    r.benignReason = columnText(st, 29);
    return r;
}
} // namespace

AccountSpelling parseAccountSpelling(const std::string &spelling)
{
    AccountSpelling a;
    const auto bs = spelling.find('\\');
    const auto at = spelling.find('@');
    if (bs != std::string::npos) {
        a.domain = store::toUpperAscii(spelling.substr(0, bs));
        a.name = store::toUpperAscii(spelling.substr(bs + 1));
    } else if (at != std::string::npos) {
        a.domain = store::toUpperAscii(spelling.substr(at + 1));
        a.name = store::toUpperAscii(spelling.substr(0, at));
    } else {
        a.name = store::toUpperAscii(spelling);
    }
    return a;
}

std::vector<TransferRecord> readTransferRecords(sql::Db &db, const TransferRecordFilter &filter)
{
    // Host filter: every spelling in host_names (NetBIOS, FQDN, as written, IP-only names) plus
    // the addresses a host held. Account filter: the canonical account of any linked spelling.
    std::string hostKey = filter.host;
    if (!hostKey.empty()) {
        const store::HostName hn = store::normaliseHostName(filter.host);
        hostKey = hn.valid ? hn.key : store::toUpperAscii(filter.host);
    }
    const AccountSpelling acct = filter.account.empty() ? AccountSpelling {} : parseAccountSpelling(filter.account);
    auto st = db.prepare(std::string(R"SQL(
WITH hostmatch(id) AS (
  SELECT host_id FROM host_names WHERE ?2 != '' AND (name = ?2 OR upper(name) = upper(?3))
  UNION SELECT id FROM hosts WHERE ?2 != '' AND (name = ?2 OR lower(fqdn) = lower(?3))
  UNION SELECT host_id FROM host_addresses WHERE ?2 != '' AND address = lower(?3)
),
acct(id) AS (
  SELECT coalesce(l.canonical_id, a.id) FROM accounts a LEFT JOIN account_links l ON l.account_id = a.id
  WHERE ?5 != '' AND a.name_key = ?5 AND (?4 = '' OR a.domain = ?4
        OR substr(a.domain, 1, length(?4) + 1) = ?4 || '.' OR substr(?4, 1, length(a.domain) + 1) = a.domain || '.')
))SQL") + kColumns
        + R"SQL(
WHERE t.confidence >= ?1
  AND (?2 = '' OR t.src_host_id IN (SELECT id FROM hostmatch) OR t.dst_host_id IN (SELECT id FROM hostmatch)
       OR t.src_ip = lower(?3))
  AND (?5 = '' OR t.account_id IN (SELECT id FROM acct))
ORDER BY t.first_ts, t.id
)SQL");
    st.bind(1, filter.minConfidence);
    st.bind(2, std::string_view(hostKey));
    st.bind(3, std::string_view(filter.host));
    st.bind(4, std::string_view(acct.domain));
    st.bind(5, std::string_view(acct.name));
    std::vector<TransferRecord> out;
    while (st.step())
        out.push_back(readRecord(st));
    return out;
}

std::vector<TransferRecord> readTransferRecords(store::CaseStore &cs, const TransferRecordFilter &filter)
{
    return readTransferRecords(cs.db(), filter);
}

std::vector<TransferRecord> readTransferRecordsById(sql::Db &db, const std::vector<int64_t> &ids)
{
    std::vector<TransferRecord> rows;
    if (ids.empty())
        return rows;
    std::string sql = std::string(kColumns) + "WHERE t.id IN (";
    for (size_t i = 0; i < ids.size(); ++i)
        sql += i ? ",?" : "?";
    sql += ')';
    auto st = db.prepare(sql);
    for (size_t i = 0; i < ids.size(); ++i)
        st.bind(static_cast<int>(i) + 1, ids[i]);
    std::unordered_map<int64_t, TransferRecord> byId;
    while (st.step()) {
        TransferRecord r = readRecord(st);
        const int64_t id = r.id;
        byId.emplace(id, std::move(r));
    }
    rows.reserve(byId.size());
    for (int64_t id : ids)
        if (auto it = byId.find(id); it != byId.end())
            rows.push_back(std::move(it->second));
    return rows;
}

} // namespace tt
