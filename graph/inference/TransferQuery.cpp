#include "inference/TransferQuery.h"

#include "inference/ConfidenceModel.h"
#include "store/HostName.h"
#include "store/Sqlite.h"

#include <algorithm>

namespace tt::inference {

std::vector<TransferRow> listTransfers(sql::Db &db, const TransferFilter &filter)
{
    // Host filter: every spelling in host_names (NetBIOS, FQDN, as written, IP-only names) plus
    // the addresses a host held. Account filter: the canonical account of any linked spelling.
    std::string hostKey = filter.host;
    if (!hostKey.empty()) {
        const store::HostName hn = store::normaliseHostName(filter.host);
        hostKey = hn.valid ? hn.key : store::toUpperAscii(filter.host);
    }
    std::string acctDomain, acctName;
    if (!filter.account.empty()) {
        const auto bs = filter.account.find('\\');
        const auto at = filter.account.find('@');
        if (bs != std::string::npos) {
            acctDomain = store::toUpperAscii(filter.account.substr(0, bs));
            acctName = store::toUpperAscii(filter.account.substr(bs + 1));
        } else if (at != std::string::npos) {
            acctDomain = store::toUpperAscii(filter.account.substr(at + 1));
            acctName = store::toUpperAscii(filter.account.substr(0, at));
        } else {
            acctName = store::toUpperAscii(filter.account);
        }
    }
    auto st = db.prepare(R"SQL(
WITH hostmatch(id) AS (
  SELECT host_id FROM host_names WHERE ?2 != '' AND (name = ?2 OR upper(name) = upper(?3))
  UNION SELECT id FROM hosts WHERE ?2 != '' AND (name = ?2 OR lower(fqdn) = lower(?3))
  UNION SELECT host_id FROM host_addresses WHERE ?2 != '' AND address = lower(?3)
),
acct(id) AS (
  SELECT coalesce(l.canonical_id, a.id) FROM accounts a LEFT JOIN account_links l ON l.account_id = a.id
  WHERE ?5 != '' AND a.name_key = ?5 AND (?4 = '' OR a.domain = ?4
        OR substr(a.domain, 1, length(?4) + 1) = ?4 || '.' OR substr(?4, 1, length(a.domain) + 1) = a.domain || '.')
)
SELECT t.id, t.src_host_id, t.dst_host_id, t.account_id, sh.name, t.src_ip, dh.name, t.file_name, t.dst_path,
       t.src_path, t.method, t.direction, a.domain, a.name, t.first_ts, t.last_ts, t.confidence, t.confidence_label,
       t.executed, t.hashes, t.rules,
       (SELECT count(*) FROM transfer_evidence e WHERE e.transfer_id = t.id),
       (SELECT count(*) FROM transfer_evidence e WHERE e.transfer_id = t.id AND e.role LIKE 'src-%'),
       (SELECT count(*) FROM transfer_evidence e WHERE e.transfer_id = t.id AND e.role NOT LIKE 'src-%'),
       (SELECT group_concat(role, ',') FROM (SELECT DISTINCT e.role FROM transfer_evidence e
                                             WHERE e.transfer_id = t.id ORDER BY e.role))
FROM transfers t
LEFT JOIN hosts sh ON sh.id = t.src_host_id
JOIN hosts dh ON dh.id = t.dst_host_id
LEFT JOIN accounts a ON a.id = t.account_id
WHERE t.confidence >= ?1
  AND (?2 = '' OR t.src_host_id IN hostmatch OR t.dst_host_id IN hostmatch OR t.src_ip = lower(?3))
  AND (?5 = '' OR t.account_id IN acct)
ORDER BY t.first_ts, t.id
)SQL");
    st.bind(1, filter.minConfidence);
    st.bind(2, std::string_view(hostKey));
    st.bind(3, std::string_view(filter.host));
    st.bind(4, std::string_view(acctDomain));
    st.bind(5, std::string_view(acctName));
    std::vector<TransferRow> out;
    auto text = [&](int c) { return st.isNull(c) ? std::string() : st.text(c); };
    while (st.step()) {
        TransferRow r;
        r.id = st.int64(0);
        r.srcHostId = st.isNull(1) ? 0 : st.int64(1);
        r.dstHostId = st.int64(2);
        r.accountId = st.isNull(3) ? 0 : st.int64(3);
        r.source = text(4);
        r.sourceIp = text(5);
        if (r.source.empty())
            r.source = r.sourceIp;
        r.destination = text(6);
        r.file = text(7);
        r.path = text(8);
        r.srcPath = text(9);
        r.method = text(10);
        r.direction = text(11);
        const std::string dom = text(12), name = text(13);
        r.account = name.empty() ? std::string() : dom.empty() ? name : dom + '\\' + name;
        r.firstTs = st.int64(14);
        r.lastTs = st.int64(15);
        r.confidence = st.real(16);
        r.confidenceLabel = text(17);
        r.executed = st.int64(18) != 0;
        r.hashes = text(19);
        r.rules = text(20);
        r.evidence = st.integer(21);
        r.srcEvidence = st.integer(22);
        r.dstEvidence = st.integer(23);
        std::vector<std::string> roles;
        const std::string joined = text(24);
        for (size_t b = 0; b < joined.size();) {
            const size_t e = std::min(joined.find(',', b), joined.size());
            roles.push_back(joined.substr(b, e - b));
            b = e + 1;
        }
        r.reasons = ConfidenceModel::reasons(roles, r.srcHostId || !r.sourceIp.empty());
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace tt::inference
