#include "store/NetworkEvidenceRepository.h"

#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

namespace tt::store {

bool NetworkEvidenceRepository::hasNetworkEvidence()
{
    sql::Db &db = m_cs.db();
    if (!hasTable(db, "net_flows"))
        return false;
    return db.queryInt("SELECT (SELECT count(*) FROM net_flows) + (SELECT count(*) FROM net_files)") != 0;
}

std::vector<std::string> NetworkEvidenceRepository::domainAddresses()
{
    auto st = m_cs.db().prepare(
        "SELECT orig_ip FROM net_auth WHERE log IN ('kerberos','ntlm') AND orig_ip IS NOT NULL "
        "UNION SELECT resp_ip FROM net_auth WHERE log='kerberos' AND resp_port=88 AND resp_ip IS NOT NULL "
        "UNION SELECT resp_ip FROM net_flows WHERE resp_port IN (445,139) AND resp_ip IS NOT NULL "
        "  AND (service LIKE '%krb%' OR service LIKE '%ntlm%') "
        "UNION SELECT orig_ip FROM net_flows WHERE resp_port IN (445,139) AND orig_ip IS NOT NULL "
        "  AND (service LIKE '%krb%' OR service LIKE '%ntlm%') "
        "UNION SELECT address FROM host_addresses");
    std::vector<std::string> out;
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

std::vector<NetAuthRow> NetworkEvidenceRepository::smbLogins()
{
    auto st = m_cs.db().prepare("SELECT a.event, coalesce(a.ts,0), coalesce(a.orig_ip,''), coalesce(a.service,''), "
                                "coalesce(a.account_id,0), a.log, coalesce(a.resp_ip,'') FROM net_auth a "
                                "WHERE (a.log='kerberos' AND a.service LIKE 'cifs/%' AND coalesce(a.success,1)=1) "
                                "OR (a.log='ntlm' AND coalesce(a.success,1)=1) ORDER BY a.ts, a.event");
    std::vector<NetAuthRow> out;
    while (st.step()) {
        NetAuthRow a;
        a.event = st.int64(0);
        a.ts = st.int64(1);
        a.orig = st.text(2);
        a.service = st.text(3);
        a.account = st.int64(4);
        a.log = st.text(5);
        a.resp = st.text(6);
        out.push_back(std::move(a));
    }
    return out;
}

std::vector<NetFileRow> NetworkEvidenceRepository::fileMovements()
{
    auto st = m_cs.db().prepare(
        "SELECT f.event, e.source_id, coalesce(f.ts,0), f.log, coalesce(f.uid,''), coalesce(f.orig_ip,''), "
        "coalesce(f.resp_ip,''), coalesce(f.src_ip,''), coalesce(f.dst_ip,''), coalesce(f.action,''), "
        "coalesce(f.name,''), coalesce(f.path,''), coalesce(f.size,-1), coalesce(f.md5,''), "
        "coalesce(f.sha1,''), coalesce(f.sha256,''), coalesce(f.mime,''), coalesce(f.status,'') "
        "FROM net_files f JOIN events e ON e.id=f.event "
        "WHERE f.src_ip IS NOT NULL AND f.dst_ip IS NOT NULL ORDER BY f.ts, f.event");
    std::vector<NetFileRow> out;
    while (st.step()) {
        NetFileRow f;
        f.event = st.int64(0);
        f.source = st.int64(1);
        f.ts = st.int64(2);
        f.log = st.text(3);
        f.uid = st.text(4);
        f.orig = st.text(5);
        f.resp = st.text(6);
        f.src = st.text(7);
        f.dst = st.text(8);
        f.action = st.text(9);
        f.name = st.text(10);
        f.path = st.text(11);
        f.size = st.int64(12);
        f.md5 = st.text(13);
        f.sha1 = st.text(14);
        f.sha256 = st.text(15);
        f.mime = st.text(16);
        f.status = st.text(17);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<NetFlowRow> NetworkEvidenceRepository::smbFlows(int64_t minOrigBytes)
{
    auto st = m_cs.db().prepare(
        "SELECT n.event, e.source_id, coalesce(n.ts,0), coalesce(n.duration_us,0), "
        "coalesce(n.orig_bytes,0), coalesce(n.resp_bytes,0), coalesce(n.orig_port,0), "
        "coalesce(n.uid,''), n.orig_ip, n.resp_ip, coalesce(n.service,'') FROM net_flows n "
        "JOIN events e ON e.id=n.event WHERE n.resp_port IN (445,139) AND n.orig_bytes >= ? "
        "AND n.orig_ip IS NOT NULL AND n.resp_ip IS NOT NULL ORDER BY n.orig_ip, n.resp_ip, n.ts, n.event");
    st.bind(1, minOrigBytes);
    std::vector<NetFlowRow> out;
    while (st.step()) {
        NetFlowRow f;
        f.event = st.int64(0);
        f.source = st.int64(1);
        f.ts = st.int64(2);
        f.dur = st.int64(3);
        f.origBytes = st.int64(4);
        f.respBytes = st.int64(5);
        f.origPort = st.int64(6);
        f.uid = st.text(7);
        f.orig = st.text(8);
        f.resp = st.text(9);
        f.service = st.text(10);
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace tt::store
