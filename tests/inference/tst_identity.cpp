// Identities across a whole collection (issue #10 items 1-3): account keying (cloned machine
// SIDs, domain SIDs, well-known SIDs, machine accounts), host <-> address bindings (the local end
// of Sysmon 3 records, conflicts, the binding valid at a transfer's time, the v4 upgrade of an
// older case) and IP-only endpoints named by Zeek evidence.

#include "InferenceFixtures.h"

#include "core/ImportEngine.h"
#include "inference/AccountResolver.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"
#include "store/EntityRepository.h"
#include "store/HostName.h"
#include "store/InferenceState.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace tt;
using namespace fixtures;

namespace {
constexpr const char *kClonedSid = "S-1-5-21-3583694148-1414552638-2922671848-1000";

QString str(const char *v)
{
    return QString::fromLatin1(v);
}

// A 4624 with the account's SID (the shared fixture writes none).
QByteArray logonWithSid(const char *host, qint64 ms, const char *domain, const char *user, const char *sid,
    const char *logonId, const char *ip, int port)
{
    return security(host, 4624, ms,
        {{"TargetUserName", str(user)}, {"TargetDomainName", str(domain)}, {"TargetUserSid", str(sid)},
            {"TargetLogonId", str(logonId)}, {"LogonType", str("3")}, {"IpAddress", str(ip)},
            {"IpPort", QString::number(port)}, {"AuthenticationPackageName", str("NTLM")},
            {"WorkstationName", str("-")}});
}

// A write-bit 5145 by that account (RemCom's RemComSvc.exe drop on ADMIN$).
QByteArray writeAs(const char *host, qint64 ms, const char *domain, const char *user, const char *sid,
    const char *logonId, const char *ip, int port, const char *relative)
{
    return security(host, 5145, ms,
        {{"SubjectUserName", str(user)}, {"SubjectDomainName", str(domain)}, {"SubjectUserSid", str(sid)},
            {"SubjectLogonId", str(logonId)}, {"ShareName", str("\\\\*\\ADMIN$")},
            {"ShareLocalPath", str("\\??\\C:\\Windows")}, {"RelativeTargetName", str(relative)},
            {"AccessMask", str("0x2")}, {"IpAddress", str(ip)}, {"IpPort", QString::number(port)}});
}

QByteArray zeekLine(
    const char *path, double ts, const char *orig, int origPort, const char *resp, int respPort, const QByteArray &rest)
{
    return QByteArray("{\"_path\":\"") + path + "\",\"ts\":" + QByteArray::number(ts, 'f', 3) + ",\"uid\":\"C"
        + QByteArray::number(qint64(ts * 1000)) + "\",\"id.orig_h\":\"" + orig
        + "\",\"id.orig_p\":" + QByteArray::number(origPort) + ",\"id.resp_h\":\"" + resp
        + "\",\"id.resp_p\":" + QByteArray::number(respPort) + rest + "}\n";
}
} // namespace

class TstIdentity : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;

    QString write(const QByteArray &lines, const char *suffix = ".json")
    {
        QString input = m_dir.filePath(QStringLiteral("in%1%2").arg(++m_n).arg(QLatin1String(suffix)));
        QFile f(input);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(lines);
        return input;
    }

    std::unique_ptr<store::CaseStore> makeCase(const QByteArray &lines, const char *suffix = ".json")
    {
        const QString input = write(lines, suffix);
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("c%1.ttcase").arg(m_n)).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        if (engine.run({input.toStdString()}).stored() == 0)
            return nullptr;
        return cs;
    }

    static std::vector<inference::TransferRow> infer(store::CaseStore &cs)
    {
        inference::InferenceEngine(cs).run();
        return inference::listTransfers(cs, {});
    }

    // A VPN pool hands 10.1.240.10 to LT1 on day 1, to LT2 on day 2 (LT1 has 10.1.240.11 that
    // day) and to LT1 again on day 3; on day 2 a file lands on FS1's Support share from .10.
    // Three recordings: LT1's Sysmon, LT2's Sysmon, FS1's Security log.
    std::tuple<QString, QString, QString> vpnPoolRecordings()
    {
        const qint64 day = 86400000;
        QByteArray lt1, lt2, fs;
        for (int i = 0; i < 3; ++i) {
            lt1 += netConnect("LT1.corp.local", at(i * 600), true, "10.1.240.10", 50100 + i, "10.1.1.2", 445);
            lt1 += netConnect("LT1.corp.local", day + at(i * 600), true, "10.1.240.11", 50200 + i, "10.1.1.2", 445);
            lt1 += netConnect("LT1.corp.local", 2 * day + at(i * 600), true, "10.1.240.10", 50300 + i, "10.1.1.2", 445);
            lt2 += netConnect("LT2.corp.local", day + at(i * 600), true, "10.1.240.10", 50400 + i, "10.1.1.2", 445);
        }
        fs += logon("FS1.corp.local", day + at(700), "10.1.240.10", 50410, "0x900");
        fs += shareCheck("FS1.corp.local", day + at(701), "10.1.240.10", 50410, "0x900", "\\\\*\\Support",
            "\\??\\D:\\Support", "Incoming\\bundle.zip", "0x2");
        return {write(lt1), write(lt2), write(fs)};
    }

    // The first column of every row of sql, as text.
    static std::vector<std::string> firstColumn(store::CaseStore &cs, const char *sql)
    {
        std::vector<std::string> out;
        auto st = cs.db().prepare(sql);
        while (st.step())
            out.push_back(st.text(0));
        return out;
    }

    static int64_t accountId(store::CaseStore &cs, const char *domain, const char *name)
    {
        auto st = cs.db().prepare("SELECT id FROM accounts WHERE domain = ? AND name_key = upper(?)");
        st.bind(1, std::string_view(domain)).bind(2, std::string_view(name));
        return st.step() ? st.int64(0) : 0;
    }

    static int64_t insertAccount(sql::Db &db, const char *domain, const char *name, const char *sid)
    {
        auto st = db.prepare("INSERT INTO accounts(domain, name, name_key, sid, is_machine) VALUES(?,?,upper(?),?,?) "
                             "RETURNING id");
        st.bind(1, std::string_view(domain)).bind(2, std::string_view(name)).bind(3, std::string_view(name));
        st.bindOptional(4, std::string_view(sid ? sid : ""));
        st.bind(5, std::string_view(name).back() == '$' ? 1 : 0);
        return st.step() ? st.int64(0) : 0;
    }

    static std::vector<std::string> addressesOf(store::CaseStore &cs, const char *host)
    {
        std::vector<std::string> out;
        for (const auto &h : cs.hosts())
            if (h.name == host)
                for (const auto &b : h.bindings)
                    out.push_back(b.address + ' ' + b.how);
        return out;
    }

private slots:
    // ---- accounts ------------------------------------------------------------------------

    void clonedMachineSidOnTwoHosts()
    {
        // Two lab VMs cloned from one image: IEWIN7\IEUser and PC01\IEUser share the machine SID.
        // IEWIN7's spelling is seen first (the lower account id). The mixed corpus case showed
        // PC01's RemComSvc.exe drops as IEWIN7\IEUser.
        QByteArray b = logonWithSid("IEWIN7", at(1), "IEWIN7", "IEUser", kClonedSid, "0x100", "10.0.2.16", 50001);
        b += logonWithSid("PC01.example.corp", at(10), "PC01", "IEUser", kClonedSid, "0x200", "10.0.2.17", 50002);
        b += writeAs(
            "PC01.example.corp", at(11), "PC01", "IEUser", kClonedSid, "0x200", "10.0.2.17", 50002, "RemComSvc.exe");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].account, std::string("PC01\\IEUser"));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM account_links"), int64_t(0));
        // Existing cases: a link an older build wrote is replaced by the next inference run.
        cs->db().exec("INSERT INTO account_links(account_id, canonical_id, how) SELECT max(id), min(id), 'sid' "
                      "FROM accounts WHERE name_key = 'IEUSER'");
        infer(*cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM account_links"), int64_t(0));
    }

    void clonedSidSeenUnderTwoNames()
    {
        // Neither machine is in the case (only their names in the accounts): one SID under two
        // domain names is a cloned machine SID all the same; a domain has one name.
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("acc1.ttcase")).toStdString(), store::CaseStore::Access::Create);
        const int64_t a = insertAccount(cs->db(), "WIN-A", "admin", kClonedSid);
        const int64_t b = insertAccount(cs->db(), "WIN-B", "admin", kClonedSid);
        const int64_t sidOnly = insertAccount(cs->db(), "", "S-1-5-21-9-9-9-1000", "S-1-5-21-9-9-9-1000");
        const int64_t one = insertAccount(cs->db(), "WIN-C", "user", "S-1-5-21-9-9-9-1000");
        cs->db().exec("INSERT INTO hosts(name) VALUES('WIN-C')"); // so S-1-5-21-9-9-9 is a machine SID
        store::EntityRepository entities(*cs);
        inference::AccountResolver r(entities);
        r.load();
        QCOMPARE(r.canonical(a), a);
        QCOMPARE(r.canonical(b), b);
        // A machine SID held by one machine only still joins its domain-less (SID-only) spelling.
        QCOMPARE(r.canonical(sidOnly), one);
    }

    void domainAccountBySidOnTwoHosts()
    {
        // A domain account renamed between two logons on two hosts: the SID (domain CORP is no
        // host of the case) joins the spellings.
        QByteArray b = logonWithSid(
            "WS5.corp.local", at(1), "CORP", "asmith", "S-1-5-21-1-2-3-1105", "0x100", "10.1.1.9", 50001);
        b += logonWithSid(
            "WS6.corp.local", at(5), "CORP", "alice.smith", "S-1-5-21-1-2-3-1105", "0x200", "10.1.1.9", 50002);
        b += logonWithSid("WS6.corp.local", at(6), "CORP", "bob", "S-1-5-21-1-2-3-1106", "0x300", "10.1.1.9", 50003);
        auto cs = makeCase(b);
        QVERIFY(cs);
        store::EntityRepository entities(*cs);
        inference::AccountResolver r(entities);
        r.load();
        const int64_t asmith = accountId(*cs, "CORP", "asmith"), alice = accountId(*cs, "CORP", "alice.smith"),
                      bob = accountId(*cs, "CORP", "bob");
        QVERIFY(asmith && alice && bob);
        QCOMPARE(r.canonical(alice), r.canonical(asmith));
        QVERIFY(r.canonical(bob) != r.canonical(asmith));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM account_links WHERE how = 'sid'"), int64_t(1));
    }

    void systemIsNeverAnotherHostsMachineAccount()
    {
        // Security records name SYSTEM of a host as its machine account beside S-1-5-18
        // (SubjectUserName WS5$, SubjectUserSid S-1-5-18): well-known SIDs join nothing.
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("acc2.ttcase")).toStdString(), store::CaseStore::Access::Create);
        sql::Db &db = cs->db();
        const int64_t system = insertAccount(db, "NT AUTHORITY", "SYSTEM", "S-1-5-18");
        const int64_t ws5 = insertAccount(db, "CORP", "WS5$", "S-1-5-18");
        const int64_t ws6 = insertAccount(db, "CORP", "WS6$", "S-1-5-18");
        const int64_t ws6Dns = insertAccount(db, "CORP.LOCAL", "WS6$", "S-1-5-21-1-2-3-1201");
        const int64_t anon1 = insertAccount(db, "NT AUTHORITY", "ANONYMOUS LOGON", "S-1-5-7");
        const int64_t anon2 = insertAccount(db, "WS5", "ANONYMOUS LOGON", "S-1-5-7");
        const int64_t null1 = insertAccount(db, "CORP", "alice", "S-1-0-0");
        const int64_t null2 = insertAccount(db, "CORP", "bob", "S-1-0-0");
        store::EntityRepository entities(*cs);
        inference::AccountResolver r(entities);
        r.load();
        QCOMPARE(r.canonical(ws5), ws5);
        QCOMPARE(r.canonical(system), system);
        QVERIFY(r.canonical(ws6) != r.canonical(ws5));
        QVERIFY(r.canonical(ws6) != system);
        // The same machine account in NetBIOS and DNS spellings of its domain is one identity.
        QCOMPARE(r.canonical(ws6Dns), r.canonical(ws6));
        QVERIFY(r.canonical(anon1) != r.canonical(anon2));
        QVERIFY(r.canonical(null1) != r.canonical(null2));
        QVERIFY(r.isServiceIdentity(ws5));
        QVERIFY(r.isServiceIdentity(system));
        QCOMPARE(db.queryInt("SELECT count(*) FROM account_links WHERE how = 'sid'"), int64_t(0));
    }

    // ---- host <-> address bindings -------------------------------------------------------

    void localEnd_data()
    {
        QTest::addColumn<int>("initiated");
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<int>("srcPort");
        QTest::addColumn<int>("dstPort");
        QTest::addColumn<int>("expected");
        const int src = int(store::LocalEnd::Source), dst = int(store::LocalEnd::Destination),
                  unknown = int(store::LocalEnd::Unknown);
        const QString tcp = str("tcp"), udp = str("udp");
        QTest::newRow("outbound smb") << 1 << tcp << 50001 << 445 << src;
        QTest::newRow("outbound ntp") << 1 << udp << 123 << 123 << src;
        QTest::newRow("inbound smb") << 0 << tcp << 50001 << 445 << dst;
        QTest::newRow("inbound winrm") << 0 << tcp << 50001 << 5985 << dst;
        QTest::newRow("swapped smb") << 0 << tcp << 445 << 50001 << src;
        QTest::newRow("swapped dns.exe answer (udp)") << 0 << udp << 53 << 61234 << unknown;
        QTest::newRow("own dns query logged inbound (udp)") << 0 << udp << 61234 << 53 << unknown;
        QTest::newRow("netbios 137 -> 137") << 0 << tcp << 137 << 137 << unknown;
        QTest::newRow("rpc dynamic ports") << 0 << tcp << 49667 << 51234 << unknown;
        QTest::newRow("no Initiated field") << -1 << tcp << 50001 << 445 << unknown;
    }

    void localEnd()
    {
        QFETCH(int, initiated);
        QFETCH(QString, protocol);
        QFETCH(int, srcPort);
        QFETCH(int, dstPort);
        QFETCH(int, expected);
        QCOMPARE(int(store::localEndOfConnection(initiated, protocol.toStdString(), srcPort, dstPort)), expected);
    }

    void addressSpellings()
    {
        // NXLog spells IPv6 loopback 0:0:0:0:0:0:0:1: it made MORDORDC and WORKSTATION5 "share" it.
        QCOMPARE(store::normaliseIp("0:0:0:0:0:0:0:1"), std::string("::1"));
        QCOMPARE(store::normaliseIp("0:0:0:0:0:ffff:10.1.1.5"), std::string("10.1.1.5"));
        QCOMPARE(store::normaliseIp("::FFFF:10.1.1.5"), std::string("10.1.1.5"));
        QCOMPARE(store::normaliseIp("FD00:0:0:0:0:0:0:5"), std::string("fd00::5"));
        for (const char *ip : {"0:0:0:0:0:0:0:1", "::", "0.0.0.0", "127.0.0.2", "169.254.10.1", "fe80::1%12",
                 "224.0.0.251", "ff02::1:2", "10.1.1.255", "255.255.255.255"})
            QVERIFY2(store::isUninformativeIp(ip), ip);
        for (const char *ip : {"10.1.1.5", "::ffff:172.18.39.5", "fd00::5", "8.8.8.8"})
            QVERIFY2(!store::isUninformativeIp(ip), ip);
    }

    void swappedInboundGivesNoRemoteAddress()
    {
        // The DC (10.1.1.2) logs inbound Sysmon 3: dns.exe answering from port 53 with the ends
        // swapped (the DC as "source"), a NetBIOS 137 -> 137 datagram from WS6, an ordinary SMB
        // session from WS5. Only 10.1.1.2 is the DC's; older builds gave it .5 and .6 too.
        QByteArray b = netConnect(
            "DC1.corp.local", at(1), false, "10.1.1.2", 53, "10.1.1.5", 61234, "C:\\Windows\\System32\\dns.exe");
        b += netConnect("DC1.corp.local", at(2), false, "10.1.1.6", 137, "10.1.1.2", 137);
        b += netConnect("DC1.corp.local", at(3), false, "10.1.1.5", 50001, "10.1.1.2", 445);
        b += netConnect("DC1.corp.local", at(4), false, "127.0.0.1", 50002, "127.0.0.1", 445);
        b += netConnect("DC1.corp.local", at(5), false, "169.254.3.3", 50003, "169.254.3.4", 445);
        b += netConnect("DC1.corp.local", at(6), true, "::ffff:10.1.1.2", 50004, "10.1.1.9", 389);
        b += netConnect("WS6.corp.local", at(7), true, "10.1.1.6", 137, "10.1.1.255", 137);
        // WS6's own DNS query, logged by Sysmon as an inbound datagram (covenant_psremoting_grunt:
        // ACCT001 was given the DC's address by it).
        b += sysmon("WS6.corp.local", 3, at(8),
            {{"Image", str("C:\\Windows\\System32\\svchost.exe")}, {"ProcessId", str("900")}, {"Protocol", str("udp")},
                {"Initiated", str("false")}, {"SourceIp", str("10.1.1.6")}, {"SourcePort", str("61000")},
                {"DestinationIp", str("10.1.1.2")}, {"DestinationPort", str("53")}});
        auto cs = makeCase(b);
        QVERIFY(cs);
        infer(*cs);
        QCOMPARE(addressesOf(*cs, "DC1"), std::vector<std::string> {"10.1.1.2 sysmon3-local"});
        QCOMPARE(addressesOf(*cs, "WS6"), std::vector<std::string> {"10.1.1.6 sysmon3-local"});
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM address_conflicts"), int64_t(0));
    }

    void olderCaseUpgrades()
    {
        // A version 3 case whose Sysmon 3 bindings an older build derived with the swapped ends
        // (the DC holding WS5's address): opening it migrates to v4, which re-derives them.
        QByteArray b = netConnect(
            "DC1.corp.local", at(1), false, "10.1.1.2", 53, "10.1.1.5", 61234, "C:\\Windows\\System32\\dns.exe");
        b += netConnect("DC1.corp.local", at(3), false, "10.1.1.5", 50001, "10.1.1.2", 445);
        b += netConnect("WS5.corp.local", at(3), true, "10.1.1.5", 50001, "10.1.1.2", 445);
        std::string path;
        {
            auto cs = makeCase(b);
            QVERIFY(cs);
            path = cs->path();
            sql::Db &db = cs->db();
            db.exec("INSERT INTO host_addresses(host_id, address, how, source_id, first_ts, last_ts, count, "
                    "evidence_event) SELECT host_id, '10.1.1.5', how, source_id, first_ts, last_ts, 1, evidence_event "
                    "FROM host_addresses WHERE address = '10.1.1.2'");
            db.exec("DROP TABLE address_conflicts");
            db.exec("DELETE FROM schema_version WHERE version = 4");
            db.exec(
                "DROP TABLE events_fts; DELETE FROM schema_version WHERE version >= 5"); // v5: search index, v6: blocks
            QCOMPARE(store::schemaVersion(db), 3);
        }
        auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
        QCOMPARE(addressesOf(*cs, "DC1"), std::vector<std::string> {"10.1.1.2 sysmon3-local"});
        QCOMPARE(addressesOf(*cs, "WS5"), std::vector<std::string> {"10.1.1.5 sysmon3-local"});
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_addresses WHERE evidence_event IS NULL"), int64_t(0));
        infer(*cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM address_conflicts"), int64_t(0));
    }

    void conflictRecorded()
    {
        // Two hosts claim 10.1.1.50 at overlapping times (a cloned VM, a stale lease): the case
        // records both bindings; a third host holding it an hour later is no conflict.
        QByteArray b = netConnect("WS5.corp.local", at(0), true, "10.1.1.50", 50001, "10.1.1.2", 445);
        b += netConnect("WS5.corp.local", at(120), true, "10.1.1.50", 50002, "10.1.1.2", 445);
        b += netConnect("WS7.corp.local", at(60), true, "10.1.1.50", 50003, "10.1.1.2", 445);
        b += netConnect("WS8.corp.local", at(3600), true, "10.1.1.50", 50004, "10.1.1.2", 445);
        auto cs = makeCase(b);
        QVERIFY(cs);
        infer(*cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM address_conflicts"), int64_t(1));
        QCOMPARE(
            cs->db().queryInt("SELECT count(*) FROM address_conflicts c "
                              "JOIN host_addresses a ON a.id = c.binding_a JOIN host_addresses b ON b.id = c.binding_b "
                              "JOIN hosts ha ON ha.id = a.host_id JOIN hosts hb ON hb.id = b.host_id "
                              "WHERE c.address = '10.1.1.50' AND ha.name || hb.name IN ('WS5WS7', 'WS7WS5')"),
            int64_t(1));
        int flagged = 0;
        for (const auto &h : cs->hosts())
            for (const auto &bd : h.bindings)
                if (!bd.conflictsWith.empty()) {
                    ++flagged;
                    QCOMPARE(QString::fromStdString(bd.conflictsWith), h.name == "WS5" ? str("WS7") : str("WS5"));
                }
        QCOMPARE(flagged, 2);
    }

    void bindingByTime()
    {
        // DHCP churn: 10.1.1.50 is WS5's until 10:02, then WS7's from 10:10 (seen until 10:15). WS6 is written to from
        // that address at 10:12, within the tolerance of both bindings; WS5 has more sightings,
        // but only WS7's binding is valid at that time.
        QByteArray b;
        for (int i = 0; i < 4; ++i)
            b += netConnect("WS5.corp.local", at(i * 40), true, "10.1.1.50", 50010 + i, "10.1.1.2", 445);
        b += netConnect("WS7.corp.local", at(600), true, "10.1.1.50", 50020, "10.1.1.2", 445);
        b += netConnect("WS7.corp.local", at(900), true, "10.1.1.50", 50030, "10.1.1.2", 445);
        b += logon("WS6.corp.local", at(720), "10.1.1.50", 50021, "0x900");
        b += shareCheck(
            "WS6.corp.local", at(721), "10.1.1.50", 50021, "0x900", "\\\\*\\C$", "\\??\\C:\\", "Temp\\t.exe", "0x2");
        auto cs = makeCase(b);
        QVERIFY(cs);
        const auto rows = infer(*cs);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("WS7"));
        QCOMPARE(rows[0].sourceIp, std::string("10.1.1.50"));
    }

    void vpnPoolAddressBackAfterADay()
    {
        // A VPN pool hands 10.1.240.10 to LT1 on day 1, to LT2 on day 2 (LT1 has 10.1.240.11 that
        // day) and to LT1 again on day 3. LT1's own Sysmon 3 records are one source: its sightings of
        // .10 on days 1 and 3 are two bindings, not one from day 1 to day 3 over LT2's day. A
        // write from .10 on day 2 is LT2's; no conflict is recorded.
        const qint64 day = 86400000;
        const auto [a, b, c] = vpnPoolRecordings();
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("vpn.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        QVERIFY(engine.run({a.toStdString(), b.toStdString(), c.toStdString()}).stored() > 0);
        // LT1: .10 twice (day 1, day 3), .11 once; neither .10 binding covers day 2.
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_addresses x JOIN hosts h ON h.id = x.host_id "
                                   "WHERE h.name = 'LT1' AND x.address = '10.1.240.10'"),
            int64_t(2));
        const int64_t day2 = (day + at(0)) * 1000;
        QCOMPARE(cs->db().queryInt(QStringLiteral("SELECT count(*) FROM host_addresses x JOIN hosts h ON h.id = "
                                                  "x.host_id WHERE h.name = 'LT1' AND x.address = '10.1.240.10' AND "
                                                  "x.first_ts <= %1 AND x.last_ts >= %1")
                                       .arg(day2)
                                       .toStdString()),
            int64_t(0));
        const auto rows = infer(*cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM address_conflicts"), int64_t(0));
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("LT2"));
        QCOMPARE(rows[0].sourceIp, std::string("10.1.240.10"));
        QCOMPARE(rows[0].file, std::string("bundle.zip"));
    }

    void olderCaseGetsBindingRuns()
    {
        // A case imported before bindings were cut into runs of sightings (schema 12 and older)
        // holds one binding per host, address and source over all its days: LT1's .10 from day 1
        // to day 3, over LT2's day 2. Opening it re-derives the bindings from net_connections
        // exactly as a new import cuts them (schema 13), drops the conflicts that named the old
        // ones and marks inference pending; inference then gives the day-2 write to LT2 again.
        const auto [a, b, c] = vpnPoolRecordings();
        const std::string path = m_dir.filePath(QStringLiteral("vpn-old.ttcase")).toStdString();
        const char *bindingsSql = "SELECT h.name || ' ' || x.address || ' ' || x.how || ' ' || x.source_id || ' ' || "
                                  "x.first_ts || ' ' || x.last_ts || ' ' || x.count || ' ' || x.evidence_event "
                                  "FROM host_addresses x JOIN hosts h ON h.id = x.host_id ORDER BY 1";
        auto bindings = [&](store::CaseStore &cs) { return firstColumn(cs, bindingsSql); };
        std::vector<std::string> fresh;
        {
            auto cs = store::CaseStore::open(path, store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            QVERIFY(engine.run({a.toStdString(), b.toStdString(), c.toStdString()}).stored() > 0);
            infer(*cs);
            fresh = bindings(*cs);
            QCOMPARE(fresh.size(), size_t(4)); // LT1: .10 twice, .11; LT2: .10
            // What the older build wrote: one span per (host, address, source), and a conflict
            // row naming two of those bindings (LT1's .10 over LT2's day).
            sql::Db &db = cs->db();
            db.exec("CREATE TEMP TABLE old AS SELECT host_id, address, how, source_id, min(first_ts) AS f, "
                    "max(last_ts) AS l, sum(count) AS n, min(evidence_event) AS e FROM host_addresses "
                    "GROUP BY host_id, address, how, source_id");
            db.exec("DELETE FROM host_addresses");
            db.exec("INSERT INTO host_addresses(host_id, address, how, source_id, first_ts, last_ts, count, "
                    "evidence_event) SELECT host_id, address, how, source_id, f, l, n, e FROM temp.old");
            db.exec("INSERT INTO address_conflicts(address, binding_a, binding_b, first_ts, last_ts) SELECT "
                    "'10.1.240.10', min(id), max(id), 0, 0 FROM host_addresses WHERE address = '10.1.240.10'");
            db.exec("DELETE FROM schema_version WHERE version >= 13");
            QCOMPARE(store::schemaVersion(db), 12);
            QCOMPARE(bindings(*cs).size(), size_t(3));
            QVERIFY(!store::inferencePending(*cs));
        }
        auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
        QCOMPARE(bindings(*cs), fresh);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM address_conflicts"), int64_t(0));
        QVERIFY(store::inferencePending(*cs));
        const auto rows = infer(*cs);
        QVERIFY(!store::inferencePending(*cs));
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string("LT2"));
    }

    void olderCaseGetsImageLoads()
    {
        // A case imported before Sysmon 7 loads from a share were normalised (schema 13 and
        // older) holds them as records only. Opening it reads them back from the stored records
        // (schema 14) into the rows a new import writes, marks inference pending, and inference
        // then finds the remote image load as on a fresh import.
        QByteArray lines;
        lines += sysmon("WS6.corp.local", 7, at(10),
            {{"ProcessGuid", QStringLiteral("{6a3c3ef2-50ee-5f7c-0000-0010237c0000}")},
                {"ProcessId", QStringLiteral("636")}, {"Image", QStringLiteral("C:\\Windows\\System32\\rundll32.exe")},
                {"ImageLoaded", QStringLiteral("\\\\10.9.9.9\\shared\\lsadb.dll")},
                {"Hashes", QStringLiteral("SHA256=266E4E2970FFB24EE63108F25AAC6EE8359F86728D045097D6E6309CE249BD70")},
                {"User", QStringLiteral("CORP\\bob")}});
        lines += sysmon("WS6.corp.local", 7, at(11),
            {{"ProcessGuid", QStringLiteral("{6a3c3ef2-50ee-5f7c-0000-0010237c0000}")},
                {"ProcessId", QStringLiteral("636")}, {"Image", QStringLiteral("C:\\Windows\\System32\\rundll32.exe")},
                {"ImageLoaded", QStringLiteral("C:\\Windows\\System32\\ntdll.dll")},
                {"User", QStringLiteral("CORP\\bob")}});
        const std::string path = m_dir.filePath(QStringLiteral("imageload-old.ttcase")).toStdString();
        const char *rowsSql = "SELECT event || ' ' || host_id || ' ' || ts || ' ' || path || ' ' || image || ' ' || "
                              "process_guid || ' ' || pid || ' ' || account_id || ' ' || hashes FROM file_events "
                              "WHERE kind = 'image-load' ORDER BY id";
        auto rows = [&](store::CaseStore &cs) { return firstColumn(cs, rowsSql); };
        std::vector<std::string> fresh;
        {
            auto cs = store::CaseStore::open(path, store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            QVERIFY(engine.run({write(lines).toStdString()}).stored() == 2);
            fresh = rows(*cs);
            QCOMPARE(fresh.size(), size_t(1));
            QCOMPARE(infer(*cs).size(), size_t(1));
            // What the older build wrote: no image-load row, so no transfer.
            cs->db().exec("DELETE FROM file_events WHERE kind = 'image-load'");
            QCOMPARE(infer(*cs).size(), size_t(0));
            cs->db().exec("DELETE FROM schema_version WHERE version >= 14");
            QCOMPARE(store::schemaVersion(cs->db()), 13);
            QVERIFY(!store::inferencePending(*cs));
        }
        auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
        QCOMPARE(rows(*cs), fresh);
        QVERIFY(store::inferencePending(*cs));
        const auto found = infer(*cs);
        QCOMPARE(found.size(), size_t(1));
        QCOMPARE(found[0].source, std::string("10.9.9.9"));
        QCOMPARE(found[0].destination, std::string("WS6"));
        QCOMPARE(found[0].file, std::string("lsadb.dll"));
        QCOMPARE(found[0].account, std::string("CORP\\bob"));
        QCOMPARE(found[0].direction, std::string("pull"));
    }

    void staleSightingsAreSeparateBindings()
    {
        // Two sightings of one address 30 hours apart with nothing between (a sparse source such
        // as Zeek's Kerberos log): two bindings, the night between is not assumed; sightings an
        // hour apart stay one binding.
        QByteArray b;
        b += netConnect("WS9.corp.local", at(0), true, "10.1.1.90", 50001, "10.1.1.2", 445);
        b += netConnect("WS9.corp.local", at(3600), true, "10.1.1.90", 50002, "10.1.1.2", 445);
        b += netConnect("WS9.corp.local", at(30 * 3600), true, "10.1.1.90", 50003, "10.1.1.2", 445);
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_addresses WHERE address = '10.1.1.90'"), int64_t(2));
        QCOMPARE(cs->db().queryInt("SELECT max(count) FROM host_addresses WHERE address = '10.1.1.90'"), int64_t(2));
    }

    void twoInterfacesKeepOneBindingEach()
    {
        // A host with two addresses in use at once, seen at each in turn: one binding per address.
        QByteArray b;
        for (int i = 0; i < 6; ++i)
            b += netConnect(
                "SRV2.corp.local", at(i * 1200), true, i % 2 ? "10.1.1.21" : "10.2.1.21", 50001 + i, "10.1.1.2", 445);
        auto cs = makeCase(b);
        QVERIFY(cs);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_addresses"), int64_t(2));
    }

    // ---- IP-only endpoints named by the case ------------------------------------------------

    void zeekNamesTheClient()
    {
        // Zeek sees 10.0.1.4 announce its NetBIOS name by broadcast and SCRANTON$ ask the KDC; a
        // plain name query another host broadcasts is not taken for the sender's name.
        QByteArray z;
        z += zeekLine("dns", 1588206901.874, "10.0.1.4", 137, "10.0.1.255", 137,
            ",\"proto\":\"udp\",\"query\":\"SCRANTON\",\"qtype_name\":\"NB\",\"answers\":[]");
        z += zeekLine("kerberos", 1588206902.0, "10.0.1.7", 60001, "10.0.0.4", 88,
            ",\"request_type\":\"AS\",\"client\":\"NASHUA$/DMEVALS.LOCAL\",\"service\":\"krbtgt/DMEVALS.LOCAL\","
            "\"success\":true");
        auto cs = makeCase(z);
        QVERIFY(cs);
        QCOMPARE(addressesOf(*cs, "SCRANTON"), std::vector<std::string> {"10.0.1.4 zeek-netbios"});
        QCOMPARE(addressesOf(*cs, "NASHUA"), std::vector<std::string> {"10.0.1.7 zeek-kerberos"});
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TstIdentity t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_identity.moc"
