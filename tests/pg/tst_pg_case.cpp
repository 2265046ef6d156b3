// Issue 13 item 2, the proof: the same inputs imported into a case file and into a case on a
// PostgreSQL server (its own throw-away cluster, tests/pg/PgTestCluster.h) give the same case,
// table for table, and the same `transfers --format json` / `info --json`. Plus the command line
// on a server location: every command, the redaction of a password, a server that is not there.
#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "pg/PgTestCluster.h"
#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace tt;

namespace {

QString binary()
{
    return QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace");
}

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(binary(), args);
    Run r;
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// The inputs: the project's fixtures, and a few corpus recordings when the corpus is there.
std::vector<std::string> inputs(QString *corpusNote)
{
    const QString fx = QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR"));
    std::vector<std::string> in;
    for (const char *d : {"xml", "json", "linux", "timeline", "zeek", "inference", "macos", "esxi"})
        in.push_back(QString(fx + QLatin1Char('/') + QLatin1String(d)).toStdString());
    const QString corpus = QString::fromLocal8Bit(qgetenv("TT_CORPUS_DIR"));
    const QString lm = corpus + QStringLiteral("/evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/");
    const QStringList evtx {QStringLiteral("LM_5145_Remote_FileCopy.evtx"),
        QStringLiteral("remote_file_copy_system_proc_file_write_sysmon_11.evtx"),
        QStringLiteral("LM_Remote_Service02_7045.evtx"), QStringLiteral("smbmap_upload_exec_sysmon.evtx"),
        QStringLiteral("LM_sysmon_psexec_smb_meterpreter.evtx"), QStringLiteral("LM_tsclient_startup_folder.evtx")};
    const QString mordor = corpus + QStringLiteral("/mordor/empire_psexec_dcerpc_tcp_svcctl.zip");
    int found = 0;
    for (const QString &f : evtx)
        if (!corpus.isEmpty() && QFileInfo::exists(lm + f)) {
            in.push_back(QString(lm + f).toStdString());
            ++found;
        }
    if (!corpus.isEmpty() && QFileInfo::exists(mordor)) {
        in.push_back(mordor.toStdString());
        ++found;
    }
    *corpusNote = found ? QStringLiteral("%1 corpus recordings").arg(found)
                        : QStringLiteral("no corpus at '%1': fixtures only").arg(corpus);
    return in;
}

// Columns whose value is the wall clock of the run, not of the data (when it was imported, how long
// it took): left out of the comparison.
bool runTimeColumn(const std::string &table, const std::string &column)
{
    auto endsWith = [&](const char *suffix) {
        const std::string s(suffix);
        return column.size() > s.size() && column.compare(column.size() - s.size(), s.size(), s) == 0;
    };
    return table != "events" && (endsWith("_utc") || column == "duration_ms");
}

using Rows = std::vector<std::string>;

// Every row of `table` (the listed columns), rendered engine-independently, sorted (the engines
// order text differently).
Rows dump(sql::Db &db, const std::string &table, const std::vector<std::pair<std::string, std::string>> &cols)
{
    std::string sql = "SELECT ";
    for (size_t i = 0; i < cols.size(); ++i)
        sql += (i ? ", " : "") + cols[i].first;
    sql += " FROM " + table;
    auto st = db.prepare(sql);
    Rows rows;
    while (st.step()) {
        std::string row;
        for (size_t i = 0; i < cols.size(); ++i) {
            const int c = static_cast<int>(i);
            const std::string &type = cols[i].second;
            row += i ? "\x1f" : "";
            if (st.isNull(c)) {
                row += "NULL";
            } else if (type == "REAL") {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.15g", st.real(c));
                row += buf;
            } else if (type == "BLOB") {
                const std::string_view b = st.blob(c);
                row += "blob:" + std::to_string(b.size()) + ":" + std::to_string(std::hash<std::string_view> {}(b));
            } else if (type == "INTEGER") {
                row += std::to_string(st.int64(c));
            } else {
                row += st.text(c);
            }
        }
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

QString jsonWithoutCase(QString json)
{
    // info --json names the case ("case": location); the rest must be equal.
    static const QRegularExpression caseLine(QStringLiteral("\n *\"case\": \"[^\"]*\",?"));
    return json.remove(caseLine);
}

} // namespace

class TstPgCase : public QObject {
    Q_OBJECT
    test::PgTestCluster m_pg;
    QTemporaryDir m_dir;
    QString m_file; // the SQLite case
    std::string m_url; // the server case
    QString m_corpusNote;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFileInfo(binary()).isExecutable(), qPrintable(binary()));
    }

    // Import and infer into both, through the same engine calls the import command makes.
    void importBoth()
    {
        const auto in = inputs(&m_corpusNote);
        qInfo("inputs: %zu (%s)", in.size(), qPrintable(m_corpusNote));
        m_file = m_dir.filePath(QStringLiteral("same.ttcase"));
        m_url = m_pg.url("same");
        std::map<std::string, std::string> summaries;
        for (const std::string &location : {m_file.toStdString(), m_url}) {
            QElapsedTimer t;
            t.start();
            auto cs = store::CaseStore::open(location, store::CaseStore::Access::Create, {true});
            QVERIFY(!cs->readOnly());
            QCOMPARE(cs->isServer(), location == m_url);
            ImportEngine engine(*cs, {});
            const ImportSummary sum = engine.run(in, {}, {});
            QVERIFY2(sum.stored() > 0, location.c_str());
            QCOMPARE(sum.count(FileReport::Status::Failed), size_t(0));
            inference::InferenceEngine(*cs).run();
            summaries[location] = std::to_string(sum.count(FileReport::Status::Imported)) + " files, "
                + std::to_string(sum.count(FileReport::Status::Duplicate)) + " duplicates, "
                + std::to_string(sum.stored()) + " events, " + std::to_string(sum.rejected()) + " rejected";
            qInfo("%s: %s in %.1f s", cs->isServer() ? "server" : "file", summaries[location].c_str(),
                double(t.elapsed()) / 1000);
        }
        QCOMPARE(summaries[m_url], summaries[m_file.toStdString()]);
    }

    // Every table of the schema, every column (payload blocks compared by size and hash), the
    // same rows. Ids are compared as they are: both engines number from max(id) + 1.
    void sameTables()
    {
        auto file = store::CaseStore::open(m_file.toStdString(), store::CaseStore::Access::ReadOnly);
        auto server = store::CaseStore::open(m_url, store::CaseStore::Access::ReadOnly);
        std::vector<std::string> tables;
        {
            auto st = file->db().prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                                         "'sqlite_%' AND name NOT LIKE 'events_fts%' ORDER BY name");
            while (st.step())
                tables.push_back(st.text(0));
        }
        QVERIFY(tables.size() > 20);
        int compared = 0, nonEmpty = 0;
        int64_t rowsCompared = 0;
        for (const std::string &table : tables) {
            std::vector<std::pair<std::string, std::string>> cols;
            auto info = file->db().prepare("SELECT name, upper(type) FROM pragma_table_info(?) ORDER BY cid");
            info.bind(1, table);
            while (info.step())
                if (!runTimeColumn(table, info.text(0)))
                    cols.emplace_back(info.text(0), info.text(1));
            if (cols.empty())
                continue;
            const Rows a = dump(file->db(), table, cols);
            const Rows b = dump(server->db(), table, cols);
            if (a != b) {
                std::set<std::string> sa(a.begin(), a.end()), sb(b.begin(), b.end());
                std::vector<std::string> onlyA, onlyB;
                std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(onlyA));
                std::set_difference(sb.begin(), sb.end(), sa.begin(), sa.end(), std::back_inserter(onlyB));
                QString msg = QStringLiteral("table %1: %2 rows in the file, %3 on the server")
                                  .arg(QString::fromStdString(table))
                                  .arg(a.size())
                                  .arg(b.size());
                if (!onlyA.empty())
                    msg += QStringLiteral("; only in the file: ") + QString::fromStdString(onlyA.front());
                if (!onlyB.empty())
                    msg += QStringLiteral("; only on the server: ") + QString::fromStdString(onlyB.front());
                QFAIL(qPrintable(msg.replace(QChar(0x1f), QLatin1Char('|'))));
            }
            ++compared;
            nonEmpty += a.empty() ? 0 : 1;
            rowsCompared += static_cast<int64_t>(a.size());
        }
        qInfo("%d tables compared (%d not empty), %lld rows", compared, nonEmpty, static_cast<long long>(rowsCompared));
        QVERIFY(nonEmpty >= 15); // hosts, accounts, sources, events, transfers, evidence, bindings ...
        QVERIFY(server->totals().events > 0);
        QCOMPARE(server->totals().events, file->totals().events);
    }

    void sameCommandOutputs()
    {
        const QString url = QString::fromStdString(m_url);
        const Run ft = cli({QStringLiteral("transfers"), m_file, QStringLiteral("--format"), QStringLiteral("json")});
        const Run st = cli({QStringLiteral("transfers"), url, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(ft.code, 0);
        QCOMPARE(st.code, 0);
        QVERIFY(ft.out.count(QStringLiteral("\"destination\"")) > 5);
        QCOMPARE(st.out, ft.out);
        const Run fi = cli({QStringLiteral("info"), m_file, QStringLiteral("--json")});
        const Run si = cli({QStringLiteral("info"), url, QStringLiteral("--json")});
        QCOMPARE(fi.code, 0);
        QCOMPARE(si.code, 0);
        QVERIFY(si.out.contains(QStringLiteral("\"case\": \"postgresql://tt@/postgres?case=same")));
        QCOMPARE(jsonWithoutCase(si.out), jsonWithoutCase(fi.out));
        // spread: the tree of one file, and whether it ran (process images by suffix).
        for (const QString &file : {QStringLiteral("hostname"), QStringLiteral("PSEXESVC.exe")}) {
            const Run fs
                = cli({QStringLiteral("spread"), m_file, file, QStringLiteral("--format"), QStringLiteral("json")});
            const Run ss
                = cli({QStringLiteral("spread"), url, file, QStringLiteral("--format"), QStringLiteral("json")});
            QCOMPARE(fs.code, 0);
            QVERIFY2(ss.code == 0, qPrintable(ss.err));
            QCOMPARE(ss.out, fs.out);
        }
    }

    // Every command on a location with a password in it: it works, and the password appears in
    // nothing it prints or writes.
    void commandsOnUrlAndRedaction()
    {
        // A role with a password (the superuser has none: trust).
        {
            sql::Db admin;
            admin.open(store::CaseLocation::parse(m_pg.url("same")), sql::Db::Mode::ReadWrite);
            admin.exec("CREATE ROLE analyst LOGIN PASSWORD 'Hunter2pw'");
            admin.exec("CREATE DATABASE work OWNER analyst"); // not in a transaction block
        }
        const QString secret = QStringLiteral("Hunter2pw");
        const QString url = QString::fromStdString(m_pg.url("redact", "work", "analyst:Hunter2pw"));
        const QString fx = QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR"));
        const QString out = m_dir.filePath(QStringLiteral("out"));
        QDir().mkpath(out);
        struct Step {
            QStringList args;
            int code;
        };
        const std::vector<Step> steps {
            {{QStringLiteral("import"), url, fx + QStringLiteral("/inference"), QStringLiteral("--verbose")}, 0},
            {{QStringLiteral("import"), url, fx + QStringLiteral("/inference"), QStringLiteral("--json")}, 0},
            {{QStringLiteral("info"), url}, 0},
            {{QStringLiteral("info"), url, QStringLiteral("--json")}, 0},
            {{QStringLiteral("transfers"), url}, 0},
            {{QStringLiteral("transfers"), url, QStringLiteral("--format"), QStringLiteral("csv")}, 0},
            {{QStringLiteral("infer"), url}, 0},
            {{QStringLiteral("meta"), url, QStringLiteral("--title"), QStringLiteral("Server case")}, 0},
            {{QStringLiteral("meta"), url, QStringLiteral("--json")}, 0},
            {{QStringLiteral("notes"), url, QStringLiteral("--json")}, 0},
            {{QStringLiteral("spread"), url, QStringLiteral("psexesvc.exe")}, -1},
            {{QStringLiteral("export"), QStringLiteral("transfers"), url, out + QStringLiteral("/t.csv")}, 0},
            {{QStringLiteral("export"), QStringLiteral("graph"), url, out + QStringLiteral("/g.dot")}, 0},
            {{QStringLiteral("report"), url, out + QStringLiteral("/r.html")}, 0},
        };
        for (const Step &s : steps) {
            const Run r = cli(s.args);
            const QString what = s.args.join(QLatin1Char(' ')).replace(secret, QStringLiteral("***"));
            if (s.code >= 0)
                QVERIFY2(r.code == s.code,
                    qPrintable(QStringLiteral("%1: exit %2: %3").arg(what).arg(r.code).arg(r.err.left(600))));
            QVERIFY2(!r.out.contains(secret) && !r.err.contains(secret), qPrintable(what));
        }
        QVERIFY(
            cli({QStringLiteral("meta"), url, QStringLiteral("--json")}).out.contains(QStringLiteral("Server case")));
        const Run report = cli({QStringLiteral("info"), url});
        QVERIFY2(report.out.contains(QStringLiteral("postgresql://analyst@/work?case=redact")), qPrintable(report.out));
        for (const QString &f : QDir(out).entryList(QDir::Files)) {
            QFile file(QDir(out).filePath(f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            QVERIFY2(bytes.size() > 0, qPrintable(f));
            QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(f));
        }
        // The application log (XDG_DATA_HOME of this test) neither.
        const QString logs = QString::fromLocal8Bit(qgetenv("XDG_DATA_HOME")) + QStringLiteral("/TransferTrace/logs");
        for (const QString &f : QDir(logs).entryList(QDir::Files)) {
            QFile file(QDir(logs).filePath(f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(f));
        }
        // A wrong password: a clear authentication error, redacted.
        const Run bad
            = cli({QStringLiteral("info"), QString::fromStdString(m_pg.url("redact", "work", "analyst:WrongPw9"))});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains(QStringLiteral("cannot connect")), qPrintable(bad.err));
        QVERIFY(!bad.err.contains(QStringLiteral("WrongPw9")));
    }

    // No server at the location: a clear connection error, exit 1, no password.
    // A server case from before schema 14 holds Sysmon 7 loads from a share as records only: a
    // writable open reads them back into image-load rows (as a case file's migration does) and
    // marks inference pending; inference then finds the pull.
    void olderServerCaseGetsImageLoads()
    {
        const QString input = m_dir.filePath(QStringLiteral("s7.json"));
        {
            QFile f(input);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"EventTime":"2026-03-11 10:00:00","Hostname":"WS6.corp.local","EventID":7,)"
                    R"("SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational",)"
                    R"("RecordNumber":1,"UtcTime":"2026-03-11 10:00:00.000",)"
                    R"("ProcessGuid":"{6a3c3ef2-50ee-5f7c-0000-0010237c0000}","ProcessId":"636",)"
                    R"("Image":"C:\\Windows\\System32\\lsass.exe","ImageLoaded":"\\\\10.9.9.9\\shared\\lsadb.dll",)"
                    R"("Hashes":"SHA256=AA","Signed":"false"})"
                    "\n");
        }
        const std::string url = m_pg.url("imageload");
        const char *rowsSql = "SELECT concat_ws(' ', event, host_id, ts, path, image, process_guid, pid, hashes) "
                              "FROM file_events WHERE kind = 'image-load' ORDER BY id";
        std::vector<std::string> fresh;
        {
            auto cs = store::CaseStore::open(url, store::CaseStore::Access::Create, {true});
            QVERIFY(ImportEngine(*cs, {}).run({input.toStdString()}).stored() == 1);
            auto st = cs->db().prepare(rowsSql);
            while (st.step())
                fresh.push_back(st.text(0));
            QCOMPARE(fresh.size(), size_t(1));
            cs->db().exec("DELETE FROM file_events WHERE kind = 'image-load'");
            cs->db().exec("DELETE FROM schema_version WHERE version >= 14");
            cs->db().exec("DELETE FROM transfer_evidence");
            cs->db().exec("DELETE FROM transfers");
        }
        auto cs = store::CaseStore::open(url, store::CaseStore::Access::ReadWrite, {true});
        QCOMPARE(cs->migratedFrom(), 13);
        std::vector<std::string> again;
        auto st = cs->db().prepare(rowsSql);
        while (st.step())
            again.push_back(st.text(0));
        QCOMPARE(again, fresh);
        inference::InferenceEngine(*cs).run();
        QCOMPARE(
            cs->db().queryInt("SELECT count(*) FROM transfers WHERE rules = 'remote-image' AND direction = 'pull'"),
            int64_t(1));
    }

    void noServer()
    {
        const QString url = QStringLiteral("postgresql://viewer:Sekrit77@/postgres?case=x&host=%1&connect_timeout=2")
                                .arg(m_dir.filePath(QStringLiteral("no-such-socket-dir")));
        for (const QString &cmd : {QStringLiteral("info"), QStringLiteral("transfers")}) {
            const Run r = cli({cmd, url});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(QStringLiteral("cannot connect to postgresql://viewer@/postgres?case=x")),
                qPrintable(r.err));
            QVERIFY2(!r.err.contains(QStringLiteral("Sekrit77")) && !r.out.contains(QStringLiteral("Sekrit77")),
                qPrintable(r.err));
        }
        // A case that does not exist on a server that does: said so, nothing created.
        const Run missing = cli({QStringLiteral("info"), QString::fromStdString(m_pg.url("absent"))});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("there is no case 'absent'")), qPrintable(missing.err));
    }
};

QTEST_GUILESS_MAIN(TstPgCase)
#include "tst_pg_case.moc"
