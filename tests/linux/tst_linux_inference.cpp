// Linux normalisation and the SSH / pull rules on a hand-written two-host case (tests/fixtures/
// linux/make_fixtures.py): web01's raw audit log and journald export, db01's audit log and
// rsyslog auth.log. Checks the canonical rows (auditd processes with pid / ppid / ses, sshd and
// audit logons with source address and end, connect(), the host addresses sshd teaches),
// process ancestry over auditd rows, and the transfers: scp and rsync over ssh (both ends merged
// into one), curl / wget pulls from internal hosts, none from a public address.

#include "SshRecording.h"
#include "TestSupport.h"

#include "core/ImportEngine.h"
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
        return text("SELECT group_concat(role, ',') FROM (SELECT DISTINCT role FROM transfer_evidence WHERE transfer_id=" +
                    std::to_string(transferId) + " ORDER BY role)");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = store::CaseStore::open(m_dir.filePath(QStringLiteral("linux.ttcase")).toStdString(),
                                        store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const char *f : {"web01-audit.log", "db01-audit.log", "db01-auth.log", "web01-journal.json"})
            inputs.push_back(QString(test::fixturesDir() + QStringLiteral("/linux/") + QLatin1String(f)).toStdString());
        ImportEngine engine(*m_case, {});
        const ImportSummary s = engine.run(inputs);
        QCOMPARE(s.count(FileReport::Status::Imported), size_t(4));
        QCOMPARE(s.rejected(), int64_t(0));
        for (const FileReport &f : s.files)
            QVERIFY2(f.format == "linux-audit" || f.format == "syslog" || f.format == "journald", f.format.c_str());
        inference::InferenceEngine(m_case->db()).run();
        m_rows = inference::listTransfers(m_case->db(), {});
    }

    void processes()
    {
        QCOMPARE(q("SELECT count(*) FROM processes p JOIN hosts h ON h.id=p.host_id WHERE h.name='WEB01' AND origin='auditd'"),
                 int64_t(7));
        QCOMPARE(text("SELECT command_line || '|' || parent_pid || '|' || logon_id || '|' || current_directory || '|' || image "
                      "FROM processes WHERE pid=2101"),
                 std::string("scp -O -i /root/.ssh/id_ed25519 /tmp/.x/linpeas.sh root@10.20.0.12:/var/tmp/|2000|12|/root|/usr/bin/scp"));
        QCOMPARE(text("SELECT a.domain || '\\' || a.name FROM processes p JOIN accounts a ON a.id=p.account_id WHERE p.pid=2101"),
                 std::string("WEB01\\root"));
        // bash -c 'scp -t' exec'd in place: two rows with one pid, the later one is scp.
        QCOMPARE(q("SELECT count(*) FROM processes WHERE pid=3300"), int64_t(2));
    }

    void logonsAndAddresses()
    {
        QCOMPARE(q("SELECT count(*) FROM logon_sessions l JOIN hosts h ON h.id=l.host_id WHERE h.name='DB01' AND "
                   "origin='sshd' AND outcome='success' AND source_ip='10.20.0.11'"),
                 int64_t(2));
        QCOMPARE(text("SELECT source_port || '|' || logon_id || '|' || auth_package || '|' || (end_ts > ts) FROM logon_sessions "
                      "WHERE origin='sshd' AND source_port=51514"),
                 std::string("51514|sshd:3290|publickey|1"));
        QCOMPARE(text("SELECT a.name FROM logon_sessions l JOIN accounts a ON a.id=l.account_id WHERE outcome='failure'"),
                 std::string("oracle"));
        QCOMPARE(text("SELECT logon_id || '|' || source_ip || '|' || (end_ts IS NOT NULL) FROM logon_sessions WHERE "
                      "origin='auditd' AND logon_id='21'"),
                 std::string("21|10.20.0.11|1"));
        QCOMPARE(text("SELECT group_concat(x, ' ') FROM (SELECT h.name || '=' || a.address || ':' || a.how AS x FROM "
                      "host_addresses a JOIN hosts h ON h.id=a.host_id ORDER BY h.name)"),
                 std::string("DB01=10.20.0.12:sshd-local WEB01=10.20.0.11:sshd-local"));
        QCOMPARE(text("SELECT dst_ip || ':' || dst_port || '|' || image FROM net_connections"), std::string("10.20.0.12:22|/usr/bin/ssh"));
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

    // What real sshd 9.2 (LogLevel VERBOSE) and sftp-server (-l INFO) wrote for scp, scp -O,
    // sftp -b and rsync -e ssh between two network namespaces (tst_linux_ssh_recording with
    // TT_RECORD_OUT), with the client-side audit log written for the recorded commands.
    void recordedSshdLog()
    {
        auto cs = store::CaseStore::open(m_dir.filePath(QStringLiteral("recorded.ttcase")).toStdString(),
                                         store::CaseStore::Access::Create);
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
