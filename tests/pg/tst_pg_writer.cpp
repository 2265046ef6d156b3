// The case writer on a server case buffers the normalised tables' rows as COPY text (processes,
// logon sessions, file events, connections, share accesses, service installs, DNS queries,
// explicit logons) and applies the UPDATEs that end processes / logons and mark privileged logons
// to the rows still buffered. The same script of writes into a case file and a server case must
// give the same rows, ids included: ends of rows still buffered, of rows already sent in an
// earlier COPY of the same file (more than one COPY's worth of rows), of rows of an earlier file;
// texts that need COPY escaping (tab, newline, CR, backslash, "\N"); a NUL byte ends a text on
// the server (as it ends a bound text parameter: PostgreSQL text cannot hold one); a rolled-back
// file in between.

#include "store/CaseStore.h"
#include "store/CaseWriter.h"
#include "store/Rows.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>

#include "pg/PgTestCluster.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace tt;
using namespace tt::store;

namespace {

// Texts a COPY row must carry unchanged (and one cut at its NUL byte, as a bound text is).
const std::string kAwkward[] = {
    "plain",
    std::string("tab\there"),
    "new\nline",
    "cr\rlf\r\n",
    "back\\slash\\",
    "\\N",
    "\\.",
    std::string("nul\0after", 9),
    "C:\\Windows\\System32\\cmd.exe /c \"copy \\\\srv\\c$\\a.exe\"",
    "\xc3\xa9t\xc3\xa9 \xe2\x82\xac",
};

std::string awkward(int i)
{
    return kAwkward[static_cast<size_t>(i) % (sizeof kAwkward / sizeof kAwkward[0])];
}

// One file's writes; `round` varies the ids and times so that a later file ends earlier rows.
void writeFile(CaseWriter &w, int round, int processes, const std::string &sha)
{
    SourceRow src;
    const std::string path = "/evidence/file" + std::to_string(round) + ".evtx";
    src.path = path;
    src.size = 1000 + round;
    src.mtime = 1700000000 + round;
    src.format = "evtx";
    src.parser = "test";
    src.parserVersion = "1";
    w.begin(src);
    const int64_t hosts[] = {w.hostId("WS01"), w.hostId("WS02.corp.local"), w.hostId("DC01")};
    const int64_t account = w.accountId("CORP", "alice", "S-1-5-21-1-2-3-1001");
    const int64_t t0 = 1704067200000000LL + int64_t(round) * 3600000000LL;
    int64_t firstEvent = 0;
    for (int i = 0; i < processes; ++i) {
        const int64_t host = hosts[i % 3];
        const int64_t ts = i % 97 == 5 ? kNoValue : t0 + int64_t(i) * 1000000;
        const std::string text = awkward(i);
        const std::string payload = "{\"i\":" + std::to_string(i) + "}";
        EventRow ev;
        ev.ts = ts;
        ev.hostId = host;
        ev.channel = "Microsoft-Windows-Sysmon/Operational";
        ev.provider = "Microsoft-Windows-Sysmon";
        ev.eventId = 1;
        ev.recordId = i;
        ev.accountId = i % 2 ? account : 0;
        ev.position = i;
        ev.payload = payload;
        const int64_t event = w.insertEvent(ev);
        if (!firstEvent)
            firstEvent = event;

        const std::string guid = "{" + std::to_string(round) + "-" + std::to_string(i) + "}";
        const std::string hashes = "SHA256=" + std::to_string(i % 7);
        ProcessRow p;
        p.event = event;
        p.hostId = host;
        p.origin = i % 4 ? "sysmon1" : "4688";
        p.guid = i % 4 ? std::string_view(guid) : std::string_view();
        p.pid = 1000 + i % 50; // reused: ends by pid must pick the right one
        p.image = text;
        p.commandLine = text;
        p.currentDirectory = i % 3 ? "" : "C:\\";
        p.parentGuid = i % 5 ? "{P}" : "";
        p.parentPid = i % 6 ? 4 : kNoValue;
        p.parentImage = text;
        p.accountId = i % 2 ? account : 0;
        p.logonId = "0x3e7";
        p.hashes = i % 4 ? std::string_view(hashes) : std::string_view();
        p.startTs = ts;
        w.insertProcess(p);

        const std::string logonId = "0x" + std::to_string(round * 100000 + i % 300);
        LogonRow l;
        l.event = event;
        l.hostId = host;
        l.ts = ts;
        l.outcome = i % 11 ? "success" : "failure";
        l.origin = "4624";
        l.logonId = logonId;
        l.logonType = i % 2 ? 3 : 10;
        l.accountId = account;
        l.sourceIp = i % 3 ? "10.0.0.5" : "";
        l.sourcePort = i % 3 ? 49152 + i : kNoValue;
        l.workstation = text;
        l.authPackage = "NTLM";
        l.sessionId = i % 10 ? "" : "2";
        w.insertLogon(l);

        FileEventRow f;
        f.event = event;
        f.hostId = host;
        f.ts = ts;
        f.kind = "create";
        f.path = text;
        f.image = text;
        f.processGuid = guid;
        f.pid = p.pid;
        f.accountId = p.accountId;
        f.accessMask = i % 2 ? 2 : kNoValue;
        f.hashes = i % 3 ? "" : "MD5=1";
        w.insertFileEvent(f);

        if (i % 2 == 0) {
            NetConnRow n;
            n.event = event;
            n.hostId = host;
            n.ts = ts;
            n.protocol = "tcp";
            n.initiated = i % 4 ? 1 : 0;
            n.srcIp = "10.0.0.1";
            n.srcPort = 50000 + i;
            n.srcName = text;
            n.dstIp = "10.0.0.2";
            n.dstPort = 445;
            n.image = text;
            n.processGuid = guid;
            n.pid = p.pid;
            w.insertNetConn(n);
        }
        if (i % 3 == 0) {
            ShareAccessRow s;
            s.event = event;
            s.hostId = host;
            s.ts = ts;
            s.code = 5145;
            s.shareName = "\\\\*\\ADMIN$";
            s.sharePath = "\\??\\C:\\Windows";
            s.relativeTarget = text;
            s.accessMask = 2;
            s.accessList = "%%4417";
            s.srcIp = "10.0.0.9";
            s.srcPort = 50123;
            s.accountId = account;
            s.logonId = logonId;
            w.insertShareAccess(s);
        }
        if (i % 5 == 0) {
            DnsQueryRow d;
            d.event = event;
            d.hostId = host;
            d.ts = ts;
            d.query = text;
            d.results = "::ffff:10.0.0.2;";
            d.status = "0";
            d.image = text;
            d.processGuid = guid;
            w.insertDnsQuery(d);
        }
        if (i % 50 == 0) {
            ServiceInstallRow s;
            s.event = event;
            s.hostId = host;
            s.ts = ts;
            s.origin = "7045";
            s.serviceName = text;
            s.imagePath = text;
            s.serviceType = "user mode service";
            s.startType = "demand start";
            s.serviceAccount = "LocalSystem";
            s.accountId = account;
            w.insertServiceInstall(s);
            ExplicitLogonRow x;
            x.event = event;
            x.hostId = host;
            x.ts = ts;
            x.subjectAccountId = account;
            x.subjectLogonId = logonId;
            x.targetAccountId = account;
            x.targetServer = text;
            x.targetInfo = "";
            x.ip = "10.0.0.3";
            x.port = 0;
            x.processImage = text;
            x.pid = p.pid;
            w.insertExplicitLogon(x);
        }

        // Ends and marks, of rows just written (still buffered), written a few hundred rows ago,
        // written more than one COPY ago (kCopyRows = 4096, already sent) and in an earlier file.
        for (const int back : {0, 7, 300, 4500}) {
            if (i < back)
                continue;
            const bool due = back == 0 ? i % 3 == 0
                : back == 7            ? i % 10 == 0
                : back == 300          ? i % 303 == 0
                                       : (i - back) % 30 == 1; // rows no nearer end reached
            if (!due)
                continue;
            const int j = i - back;
            const int64_t endHost = hosts[j % 3];
            const std::string endGuid = "{" + std::to_string(round) + "-" + std::to_string(j) + "}";
            w.endProcessByGuid(endHost, endGuid, ts, event);
            w.endLogon(endHost, "0x" + std::to_string(round * 100000 + j % 300), ts);
            if (j % 2)
                w.markPrivileged(endHost, "0x" + std::to_string(round * 100000 + j % 300));
        }
        if (i % 13 == 0)
            w.endProcessByPid(hosts[(i + 1) % 3], 1000 + (i + 7) % 50, ts, event);
        if (round > 0 && i % 17 == 0) {
            const std::string earlier = "{" + std::to_string(round - 1) + "-" + std::to_string(i) + "}";
            w.endProcessByGuid(host, earlier, ts, event);
            w.endLogon(host, "0x" + std::to_string((round - 1) * 100000 + i % 300), ts);
            w.endProcessByPid(host, 1000 + i % 50, ts, event);
        }
        if (i % 41 == 0)
            w.endLogon(host, logonId, kNoValue); // a NULL end changes nothing
    }
    SourceCounts counts;
    counts.read = counts.stored = processes;
    w.commit(sha, counts);
    QVERIFY(firstEvent > 0);
}

using Rows = std::vector<std::string>;

// Every row of `table` in id order, each value typed by the file's schema, rendered alike on
// both engines.
Rows dump(sql::Db &db, sql::Db &schema, const std::string &table)
{
    std::vector<std::pair<std::string, std::string>> cols;
    {
        auto info = schema.prepare("SELECT name, upper(type) FROM pragma_table_info(?) ORDER BY cid");
        info.bind(1, table);
        while (info.step())
            cols.emplace_back(info.text(0), info.text(1));
    }
    std::string sql = "SELECT ";
    for (size_t i = 0; i < cols.size(); ++i)
        sql += (i ? ", " : "") + cols[i].first;
    sql += " FROM " + table + " ORDER BY id";
    auto st = db.prepare(sql);
    Rows rows;
    while (st.step()) {
        std::string row;
        for (size_t i = 0; i < cols.size(); ++i) {
            const int c = static_cast<int>(i);
            row += i ? "|" : "";
            if (st.isNull(c))
                row += "NULL";
            else if (cols[i].second == "INTEGER")
                row += std::to_string(st.int64(c));
            else // up to a NUL byte: a case file keeps what follows, PostgreSQL text cannot hold it
                row += "'" + std::string(st.textView(c).substr(0, st.textView(c).find('\0'))) + "'";
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace

class TstPgWriter : public QObject {
    Q_OBJECT

    test::PgTestCluster m_pg;
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        QVERIFY(m_dir.isValid());
    }

    void sameRowsOnBothEngines()
    {
        const std::string file = m_dir.filePath(QStringLiteral("w.ttcase")).toStdString();
        const std::string url = m_pg.url("w");
        for (const std::string &location : {file, url}) {
            auto cs = CaseStore::open(location, CaseStore::Access::Create);
            CaseWriter w(*cs);
            writeFile(w, 0, 9000, std::string(64, 'a'));
            { // a file rolled back half-way: leaves nothing, and the next file's ids follow on
                SourceRow src;
                src.path = "/evidence/broken.evtx";
                src.format = "evtx";
                src.parser = "test";
                src.parserVersion = "1";
                w.begin(src);
                ProcessRow p;
                p.event = 1;
                p.hostId = w.hostId("WS01");
                p.origin = "4688";
                p.image = "x";
                w.insertProcess(p);
                w.rollback();
            }
            writeFile(w, 1, 5000, std::string(64, 'b'));
        }
        auto a = CaseStore::open(file, CaseStore::Access::ReadOnly);
        auto b = CaseStore::open(url, CaseStore::Access::ReadOnly);
        QVERIFY(b->isServer());
        int64_t ended = 0, privileged = 0, total = 0;
        for (const char *table : {"processes", "logon_sessions", "file_events", "net_connections", "share_accesses",
                 "service_installs", "dns_queries", "explicit_logons", "process_hashes"}) {
            const Rows fileRows = dump(a->db(), a->db(), table);
            const Rows serverRows = dump(b->db(), a->db(), table);
            QVERIFY2(!fileRows.empty(), table);
            QCOMPARE(serverRows.size(), fileRows.size());
            for (size_t i = 0; i < fileRows.size(); ++i)
                if (serverRows[i] != fileRows[i])
                    QFAIL(qPrintable(
                        QStringLiteral("%1 row %2:\n file:   %3\n server: %4")
                            .arg(QLatin1String(table))
                            .arg(i)
                            .arg(QString::fromStdString(fileRows[i]), QString::fromStdString(serverRows[i]))));
            total += static_cast<int64_t>(fileRows.size());
        }
        // The script really ended and marked rows of each kind (else the comparison proves little).
        ended = a->db().queryInt("SELECT count(*) FROM processes WHERE end_event IS NOT NULL");
        const int64_t endedPrevious = a->db().queryInt(
            "SELECT count(*) FROM processes p JOIN events e ON e.id = p.event JOIN events x ON x.id = p.end_event "
            "WHERE e.source_id <> x.source_id");
        const int64_t endedFar = a->db().queryInt("SELECT count(*) FROM processes p JOIN events e ON e.id = p.event "
                                                  "JOIN events x ON x.id = p.end_event WHERE x.id - e.id >= 4096 "
                                                  "AND e.source_id = x.source_id");
        const int64_t endedNear = a->db().queryInt("SELECT count(*) FROM processes p JOIN events e ON e.id = p.event "
                                                   "JOIN events x ON x.id = p.end_event WHERE x.id - e.id < 400");
        privileged = a->db().queryInt("SELECT count(*) FROM logon_sessions WHERE privileged = 1");
        const int64_t logonsEnded = a->db().queryInt("SELECT count(*) FROM logon_sessions WHERE end_ts IS NOT NULL");
        // A NUL byte ends the text on a server case, as it ends a bound text parameter there.
        const int64_t cut = b->db().queryInt("SELECT count(*) FROM processes WHERE image = 'nul'");
        const int64_t escaped = a->db().queryInt(
            "SELECT count(*) FROM processes WHERE image = 'tab' || char(9) || 'here' OR image = '\\N'");
        qInfo("%lld rows compared; processes ended %lld (earlier file %lld, >= 1 COPY back %lld, near %lld), logons "
              "ended %lld, privileged %lld",
            static_cast<long long>(total), static_cast<long long>(ended), static_cast<long long>(endedPrevious),
            static_cast<long long>(endedFar), static_cast<long long>(endedNear), static_cast<long long>(logonsEnded),
            static_cast<long long>(privileged));
        QVERIFY(endedPrevious > 0);
        QVERIFY(endedFar > 0);
        QVERIFY(endedNear > 0);
        QVERIFY(logonsEnded > 0);
        QVERIFY(privileged > 0);
        QVERIFY(cut > 0);
        QVERIFY(escaped > 0);
        QCOMPARE(b->db().queryInt("SELECT count(*) FROM sources"), 2);
    }
};

QTEST_GUILESS_MAIN(TstPgWriter)
#include "tst_pg_writer.moc"
