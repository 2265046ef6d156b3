// Transfers into and out of ESXi hosts from their own logs (tests/fixtures/esxi, built from the
// documented formats): ESX01's shell.log / auth.log / hostd.log / vobd.log imported with --host
// and esx02's lines forwarded by syslog. Checks the canonical rows (shell commands as processes
// with the resolved program, sshd / vobd / hostd logons with source address, datastore uploads
// and downloads as file events) and every transfer with source, destination, account, file,
// method and direction: a file pushed over ssh and run from /tmp, a wget pull and its run, an
// esxcli depot pull, datastore uploads (one named by a login, one by the request's client) and a
// download; none from a public address or for local files; HTML in a file name escaped in the report.

#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "export/ReportWriter.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "query/ExportQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tt;

namespace {
const inference::TransferRow *byFile(const std::vector<inference::TransferRow> &rows, const std::string &file)
{
    const inference::TransferRow *found = nullptr;
    for (const auto &r : rows)
        if (r.file == file) {
            if (found)
                return nullptr; // one transfer per file expected
            found = &r;
        }
    return found;
}

std::string describe(const inference::TransferRow &r)
{
    return r.source + " -> " + r.destination + " | " + r.account + " | " + r.path + " | " + r.srcPath + " | " + r.method
        + " | " + r.direction;
}
} // namespace

class TstEsxiInference : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::CaseStore> m_case;
    std::vector<inference::TransferRow> m_rows;
    ImportSummary m_summary;

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
            m_dir.filePath(QStringLiteral("esxi.ttcase")).toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const char *f :
            {"esx01-auth.log", "esx01-shell.log", "esx01-hostd.log", "esx01-vobd.log", "esx02-forwarded.log"})
            inputs.push_back(QString(test::fixturesDir() + QStringLiteral("/esxi/") + QLatin1String(f)).toStdString());
        ImportEngine::Options opts;
        opts.defaultHost = "ESX01"; // ESXi's own files name no host; forwarded lines do
        ImportEngine engine(*m_case, opts);
        m_summary = engine.run(inputs);
        QCOMPARE(m_summary.count(FileReport::Status::Imported), size_t(5));
        inference::InferenceEngine(*m_case).run();
        m_rows = inference::listTransfers(*m_case, {});
    }

    void importReport()
    {
        // The cut line of shell.log: rejected with file and line, the file imported.
        QCOMPARE(m_summary.rejected(), int64_t(1));
        for (const FileReport &f : m_summary.files) {
            const bool forwarded = f.path.find("forwarded") != std::string::npos;
            QCOMPARE(f.format, std::string(forwarded ? "syslog" : "esxi"));
            if (f.path.find("shell") != std::string::npos) {
                QCOMPARE(f.rejected, int64_t(1));
                QCOMPARE(f.issues.at(0).position, int64_t(8));
                QCOMPARE(f.stored, int64_t(11));
            } else {
                QCOMPARE(f.rejected, int64_t(0));
            }
        }
    }

    void canonicalRows()
    {
        QCOMPARE(q("SELECT count(*) FROM processes p JOIN hosts h ON h.id=p.host_id WHERE h.name='ESX01' AND "
                   "origin='esxi-shell'"),
            int64_t(10));
        QCOMPARE(text("SELECT image || '|' || current_directory || '|' || parent_pid || '|' || a.domain || '\\' || "
                      "a.name FROM processes p JOIN accounts a ON a.id=p.account_id WHERE command_line LIKE "
                      "'./encrypt.sh%'"),
            std::string("/tmp/encrypt.sh|/tmp|2001|ESX01\\root"));
        // sshd (auth.log) and vobd logons from the ssh client, hostd logons from the Host Client.
        QCOMPARE(q("SELECT count(*) FROM logon_sessions l JOIN hosts h ON h.id=l.host_id WHERE h.name='ESX01' AND "
                   "origin='sshd' AND outcome='success' AND source_ip='10.20.0.11'"),
            int64_t(3));
        QCOMPARE(q("SELECT count(*) FROM logon_sessions WHERE origin='sshd' AND logon_process='vobd'"), int64_t(2));
        QCOMPARE(text("SELECT group_concat(source_ip || ':' || logon_type || ':' || outcome || ':' || logon_process, "
                      "' ') FROM (SELECT * FROM logon_sessions WHERE origin='hostd' ORDER BY ts)"),
            std::string("10.20.0.12:3:success:hostd 10.20.0.13:3:success:hostd-http 10.20.0.66:3:failure:hostd "
                        "10.20.0.14:3:success:hostd 10.20.0.14:3:success:hostd-http 10.20.0.14:3:success:hostd-http"));
        QCOMPARE(text("SELECT group_concat(kind || ' ' || path, '|') FROM (SELECT * FROM file_events WHERE "
                      "image='hostd' ORDER BY ts)"),
            std::string("create /vmfs/volumes/datastore1/iso/payload v2.iso|read "
                        "/vmfs/volumes/datastore1/vm01/vm01-flat.vmdk|create "
                        "/vmfs/volumes/datastore1/tools/loader.vib|create /vmfs/volumes/datastore1/tools/<img src=x "
                        "onerror=alert(1)>.vib"));
        QCOMPARE(text("SELECT group_concat(h.name || '=' || a.address, ' ') FROM host_addresses a JOIN hosts h ON "
                      "h.id=a.host_id WHERE a.how='sshd-local'"),
            std::string("ESX01=10.20.0.50"));
    }

    void transfers()
    {
        std::string all;
        for (const auto &r : m_rows)
            all += r.file + ": " + describe(r) + "\n";
        QVERIFY2(m_rows.size() == 9, all.c_str());

        // Pushed over ssh, then run from /tmp (cd /tmp; ./encrypt.sh): the ESXi side alone.
        const auto *enc = byFile(m_rows, "encrypt.sh");
        QVERIFY2(enc, all.c_str());
        QCOMPARE(describe(*enc), std::string("10.20.0.11 -> ESX01 | ESX01\\root | /tmp/encrypt.sh |  | scp | push"));
        QVERIFY(enc->executed);
        QCOMPARE(roles(enc->id), std::string("dst-exec,dst-logon"));

        const auto *beacon = byFile(m_rows, "beacon.bin");
        QVERIFY2(beacon, all.c_str());
        QCOMPARE(describe(*beacon), std::string("10.20.0.5 -> ESX01 | ESX01\\root | /tmp/beacon.bin |  | http | pull"));
        QVERIFY(beacon->executed);

        const auto *depot = byFile(m_rows, "backdoor-depot.zip");
        QVERIFY2(depot, all.c_str());
        QCOMPARE(describe(*depot), std::string("10.20.0.5 -> ESX01 | ESX01\\root |  |  | http | pull"));

        const auto *iso = byFile(m_rows, "payload v2.iso");
        QVERIFY2(iso, all.c_str());
        QCOMPARE(describe(*iso),
            std::string(
                "10.20.0.12 -> ESX01 | ESX01\\root | /vmfs/volumes/datastore1/iso/payload v2.iso |  | http | push"));
        QCOMPARE(roles(iso->id), std::string("dst-create,dst-logon"));

        const auto *vmdk = byFile(m_rows, "vm01-flat.vmdk");
        QVERIFY2(vmdk, all.c_str());
        QCOMPARE(describe(*vmdk),
            std::string(
                "ESX01 -> 10.20.0.13 | ESX01\\root |  | /vmfs/volumes/datastore1/vm01/vm01-flat.vmdk | http | pull"));
        QCOMPARE(roles(vmdk->id), std::string("src-read"));

        // Forwarded by syslog from esx02.
        const auto *agent = byFile(m_rows, "agent.elf");
        QVERIFY2(agent, all.c_str());
        QCOMPARE(describe(*agent),
            std::string("10.20.0.11 -> ESX02 | ESX02\\root | /vmfs/volumes/datastore1/agent.elf |  | scp | push"));
        // Run through interpreters (nohup sh /tmp/enc.sh): the script landed the same way.
        const auto *script = byFile(m_rows, "enc.sh");
        QVERIFY2(script, all.c_str());
        QCOMPARE(describe(*script), std::string("10.20.0.11 -> ESX02 | ESX02\\root | /tmp/enc.sh |  | scp | push"));
        const auto *vib = byFile(m_rows, "loader.vib");
        QVERIFY2(vib, all.c_str());
        QCOMPARE(describe(*vib),
            std::string(
                "10.20.0.14 -> ESX02 | ESX02\\root | /vmfs/volumes/datastore1/tools/loader.vib |  | http | push"));
        QVERIFY(byFile(m_rows, "<img src=x onerror=alert(1)>.vib"));

        // No transfer: the curl from a public address, the file written locally (.note), the
        // chmod'ed file that wget fetched (one transfer, not two), /etc/passwd.
        QVERIFY(!byFile(m_rows, "x.py"));
        QVERIFY(!byFile(m_rows, ".note"));
        QVERIFY(!byFile(m_rows, "passwd"));
    }

    // With the client's own telemetry the ESXi-side push merges with its scp command: one transfer
    // from the named host, method scp as the command says, the ESXi login and the run as evidence.
    void mergesWithTheClientCommand()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("merge.ttcase")).toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const char *f : {"esx01-auth.log", "esx01-shell.log", "web01-sysmon-linux.json"})
            inputs.push_back(QString(test::fixturesDir() + QStringLiteral("/esxi/") + QLatin1String(f)).toStdString());
        ImportEngine::Options opts;
        opts.defaultHost = "ESX01";
        ImportEngine engine(*cs, opts);
        QCOMPARE(engine.run(inputs).count(FileReport::Status::Imported), size_t(3));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + " " + r.rules + "\n";
        const auto *enc = byFile(rows, "encrypt.sh");
        QVERIFY2(enc, all.c_str());
        QCOMPARE(describe(*enc),
            std::string("WEB01 -> ESX01 | ESX01\\root | /tmp/encrypt.sh | /tmp/.x/encrypt.sh | scp | push"));
        QVERIFY2(enc->rules.find("esxi") != std::string::npos && enc->rules.find("ssh-transfer") != std::string::npos,
            enc->rules.c_str());
        QVERIFY(enc->executed);
        QCOMPARE(enc->srcEvidence > 0 && enc->dstEvidence > 0, true);
    }

    void reportEscapesHostileNames()
    {
        const exporting::ReportData d = exporting::queryReportData(*m_case, {}, QStringLiteral("esxi.ttcase"));
        const QByteArray html = exporting::writeReport(d, {});
        QVERIFY(html.contains("&lt;img src=x onerror=alert(1)&gt;.vib"));
        QVERIFY(!html.contains("<img src=x"));
    }
};

QTEST_GUILESS_MAIN(TstEsxiInference)
#include "tst_esxi_inference.moc"
