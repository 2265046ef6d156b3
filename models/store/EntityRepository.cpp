#include "store/EntityRepository.h"

#include "store/CaseStore.h"
#include "store/Sqlite.h"

namespace tt::store {

std::vector<HostEntityRow> EntityRepository::hosts()
{
    std::vector<HostEntityRow> out;
    auto st = m_cs.db().prepare("SELECT id, name, is_ip_only FROM hosts ORDER BY id");
    while (st.step())
        out.push_back({st.int64(0), st.text(1), st.int64(2) != 0});
    return out;
}

std::vector<AddressBindingRow> EntityRepository::addressBindings()
{
    std::vector<AddressBindingRow> out;
    auto st = m_cs.db().prepare("SELECT host_id, address, source_id, first_ts, last_ts, count, how FROM host_addresses "
                                "WHERE first_ts IS NOT NULL ORDER BY id");
    while (st.step()) {
        AddressBindingRow r;
        r.host = st.int64(0);
        r.address = st.text(1);
        r.source = st.int64(2);
        r.firstTs = st.int64(3);
        r.lastTs = st.isNull(4) ? r.firstTs : st.int64(4);
        r.count = st.int64(5);
        r.how = st.text(6);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::string> EntityRepository::hostNames()
{
    std::vector<std::string> out;
    auto st = m_cs.db().prepare("SELECT name FROM host_names UNION SELECT name FROM hosts WHERE is_ip_only = 0");
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

int64_t EntityRepository::hostIdByName(std::string_view name)
{
    auto st = m_cs.db().prepare("SELECT host_id FROM host_names WHERE name=?");
    st.bind(1, name);
    return st.step() ? st.int64(0) : 0;
}

int64_t EntityRepository::hostIdByEntityName(std::string_view name)
{
    auto st = m_cs.db().prepare("SELECT id FROM hosts WHERE name=?");
    st.bind(1, name);
    return st.step() ? st.int64(0) : 0;
}

int64_t EntityRepository::ensureNamedHost(std::string_view key, std::string_view fqdn)
{
    sql::Db &db = m_cs.db();
    int64_t id = 0;
    auto ins = db.prepare("INSERT INTO hosts(name, fqdn, is_ip_only) VALUES(?,?,0) "
                          "ON CONFLICT(name) DO UPDATE SET fqdn=coalesce(hosts.fqdn, excluded.fqdn) RETURNING id");
    ins.bind(1, key).bindOptional(2, fqdn);
    if (ins.step())
        id = ins.int64(0);
    ins.reset();
    auto nm = db.prepare("INSERT INTO host_names(name, host_id, kind) VALUES(?,?,?) ON CONFLICT DO NOTHING");
    nm.bind(1, key).bind(2, id).bind(3, std::string_view("netbios"));
    nm.exec();
    if (!fqdn.empty()) {
        nm.bind(1, fqdn).bind(2, id).bind(3, std::string_view("fqdn"));
        nm.exec();
    }
    return id;
}

int64_t EntityRepository::createIpHost(std::string_view ip)
{
    sql::Db &db = m_cs.db();
    int64_t id = 0;
    auto ins = db.prepare("INSERT INTO hosts(name, is_ip_only) VALUES(?, 1) RETURNING id");
    ins.bind(1, ip);
    if (ins.step())
        id = ins.int64(0);
    ins.reset();
    auto nm = db.prepare("INSERT INTO host_names(name, host_id, kind) VALUES(?,?,'ip') ON CONFLICT DO NOTHING");
    nm.bind(1, ip).bind(2, id);
    nm.exec();
    return id;
}

void EntityRepository::rewriteAddressConflicts(std::string_view weakHow)
{
    sql::Db &db = m_cs.db();
    db.exec("DELETE FROM address_conflicts");
    auto st = db.prepare(
        "INSERT INTO address_conflicts(address, binding_a, binding_b, first_ts, last_ts) "
        "SELECT a.address, a.id, b.id, CASE WHEN a.first_ts > b.first_ts THEN a.first_ts ELSE b.first_ts END, "
        "CASE WHEN coalesce(a.last_ts, a.first_ts) < coalesce(b.last_ts, b.first_ts) THEN coalesce(a.last_ts, "
        "a.first_ts) ELSE coalesce(b.last_ts, b.first_ts) END FROM host_addresses a JOIN host_addresses b "
        "ON b.address = a.address AND b.host_id > a.host_id "
        "AND a.first_ts <= coalesce(b.last_ts, b.first_ts) AND b.first_ts <= coalesce(a.last_ts, a.first_ts) "
        "JOIN hosts ha ON ha.id = a.host_id JOIN hosts hb ON hb.id = b.host_id "
        "WHERE ha.is_ip_only = 0 AND hb.is_ip_only = 0 AND a.how <> ?1 AND b.how <> ?1 ORDER BY a.id, b.id");
    st.bind(1, weakHow);
    st.exec();
}

std::vector<AccountRow> EntityRepository::accounts()
{
    std::vector<AccountRow> out;
    auto st = m_cs.db().prepare("SELECT id, domain, name_key, name, sid, is_machine FROM accounts ORDER BY id");
    while (st.step()) {
        AccountRow a;
        a.id = st.int64(0);
        a.domain = st.text(1);
        a.nameKey = st.text(2);
        a.name = st.text(3);
        a.sid = st.isNull(4) ? std::string() : st.text(4);
        a.machine = st.int64(5) != 0;
        out.push_back(std::move(a));
    }
    return out;
}

std::string EntityRepository::accountNameKey(int64_t id)
{
    auto st = m_cs.db().prepare("SELECT name_key FROM accounts WHERE id=?");
    st.bind(1, id);
    return st.step() ? st.text(0) : std::string();
}

void EntityRepository::replaceAccountLinks(const std::vector<AccountLinkRow> &links)
{
    sql::Db &db = m_cs.db();
    db.exec("DELETE FROM account_links");
    auto ins = db.prepare("INSERT INTO account_links(account_id, canonical_id, how) VALUES(?,?,?)");
    for (const AccountLinkRow &l : links) {
        ins.bind(1, l.account).bind(2, l.canonical).bind(3, std::string_view(l.how));
        ins.exec();
    }
}

} // namespace tt::store
