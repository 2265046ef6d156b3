// The command line against a hostile or careless user (issue 15): unknown commands, usage exit
// codes, hand-edited and foreign case files, a kill -9 or a signal at a known moment of an import
// (TT_TEST_PAUSE_AT pauses the real executable there), a FIFO without a writer, terminal escape
// injection through CSV / JSON, an extreme timestamp, the writing commands and the session lock.

#include "store/CaseLock.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <functional>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "CliRun.h"

using tt::test::cli;
using tt::test::Run;

namespace {

QString binary()
{
    return QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace");
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

const QByteArray kLogon = "{\"EventID\":4624,\"Channel\":\"Security\",\"Hostname\":\"WS1.corp.local\","
                          "\"@timestamp\":\"2024-03-04T10:00:01.000Z\",\"TargetUserName\":\"bob\","
                          "\"TargetDomainName\":\"CORP\",\"LogonType\":\"3\",\"IpAddress\":\"10.0.0.9\"}\n";

// Runs the binary with stdout on a pseudo-terminal (raw mode: bytes arrive as written) and returns
// what the terminal received.
QByteArray onTerminal(const QStringList &args)
{
    int master = -1, slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
        return "openpty failed";
    struct termios t { };
    ::tcgetattr(slave, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave, TCSANOW, &t);
    std::vector<QByteArray> argv8 {binary().toLocal8Bit()};
    for (const QString &a : args)
        argv8.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    argv.reserve(argv8.size() + 1);
    for (QByteArray &a : argv8)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(slave, STDOUT_FILENO);
        ::close(master);
        ::close(slave);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(slave);
    QByteArray out;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n > 0)
            out.append(buf, n);
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break; // EIO: the child closed the terminal
    }
    ::close(master);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return out;
}

// Waits until the child says on stderr that it paused at `point`.
bool waitForPause(QProcess &p, const char *point)
{
    QByteArray err;
    p.setReadChannel(QProcess::StandardError);
    const QByteArray want = QByteArray("paused at ") + point;
    while (!err.contains(want)) {
        if (!p.waitForReadyRead(60000))
            return false;
        err += p.readAllStandardError();
    }
    return true;
}

// How a command ended that was sent `sig` while paused at `point` (TT_TEST_PAUSE_AT).
struct Interrupted {
    bool paused = false;
    bool exited = false; // normally (not by a signal), within a minute
    int code = -1;
    QByteArray out;
};

// Runs the binary with args until it pauses at `point`, calls whilePaused, then sends sig.
Interrupted interruptAt(
    const QStringList &args, const char *point, int sig, const std::function<void()> &whilePaused = {})
{
    Interrupted r;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("TT_TEST_PAUSE_AT", point);
    p.setProcessEnvironment(env);
    p.start(binary(), args);
    r.paused = waitForPause(p, point);
    if (r.paused && whilePaused)
        whilePaused();
    if (p.processId() > 0) // (never kill(0, ...): that is this test's own process group)
        ::kill(pid_t(p.processId()), r.paused ? sig : SIGKILL);
    r.exited = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit;
    r.code = p.exitCode();
    r.out = p.readAllStandardOutput();
    return r;
}

// The signal tests' common verdict: exit 128+sig, not death by the signal, and a cancelled line
// or (json) a document saying so, returned in *doc.
void checkCancelled(const Interrupted &r, int sig, bool json, QJsonObject *doc)
{
    QVERIFY(r.exited);
    QCOMPARE(r.code, 128 + sig);
    if (json) {
        *doc = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(doc->value("cancelled").toBool(), r.out.constData());
        QCOMPARE(doc->value("exit_code").toInt(), 128 + sig);
    } else {
        QVERIFY2(r.out.contains("cancelled by SIG"), r.out.constData());
    }
}

} // namespace

class TstCliHardening : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A generated intrusion folder (shared by the tests that need transfers).
    QString genDir()
    {
        QString dir = path("gen");
        if (!QDir(dir).exists()) {
            const Run r = cli({"gen", "--out", dir, "--hosts", "8", "--events", "3000", "--seed", "3"});
            if (r.code != 0)
                return {};
            QFile::remove(dir + "/ground_truth.json"); // not telemetry
        }
        return dir;
    }

    // A case with one transfer whose file name is `fileName` (planted as a crafted log would).
    QString caseWithTransferNamed(const QString &name, const QByteArray &fileName)
    {
        QString c = path(name);
        const QString log = path(name + ".json");
        writeFile(log, kLogon);
        if (cli({"import", c, log, "--quiet"}).code != 0)
            return {};
        auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadWrite);
        auto &db = cs->db();
        db.exec("INSERT INTO hosts(name) VALUES('SRV9')");
        auto st = db.prepare("INSERT INTO transfers(src_host_id, dst_host_id, file_name, method, direction, first_ts, "
                             "last_ts, confidence, confidence_label, rules) SELECT (SELECT min(id) FROM hosts), "
                             "(SELECT max(id) FROM hosts), ?, 'smb-admin-share', 'push', 1709546401000000, "
                             "1709546401000000, 0.9, 'high', 'test'");
        st.bind(1, fileName.toStdString());
        st.exec();
        return c;
    }

private slots:
    // Defect 11: a word that is no command and no file is a usage error (exit 2), not the GUI.
    void unknownCommandIsUsageError()
    {
        Run r = cli({"frobnicate", "x"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("'frobnicate' is neither a command nor an existing case file"));
        QVERIFY(r.err.contains("usage:"));
        QCOMPARE(cli({"--frobnicate"}).code, 2);
        QCOMPARE(cli({"info", "--bogus"}).code, 2);
        QCOMPARE(cli({"info"}).code, 2);
        QCOMPARE(cli({"import", path("u.ttcase")}).code, 2);
        QCOMPARE(cli({"transfers", path("u.ttcase"), "--format", "xml"}).code, 2);
        QVERIFY(cli({"--help"}).out.contains("2 bad arguments"));
    }

    // Defect 4 and 14: tables replaced or missing are refused with a clear message by every command.
    void tamperedSchemaIsRefused()
    {
        const QString log = path("one.json");
        writeFile(log, kLogon);
        const QString view = path("view.ttcase");
        QCOMPARE(cli({"import", view, log, "--quiet"}).code, 0);
        {
            auto cs = tt::store::CaseStore::open(view.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            cs->db().exec("ALTER TABLE hosts RENAME TO hosts_old; CREATE VIEW hosts AS SELECT * FROM hosts_old");
        }
        const QString missing = path("missing.ttcase");
        QCOMPARE(cli({"import", missing, log, "--quiet"}).code, 0);
        {
            auto cs = tt::store::CaseStore::open(missing.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            cs->db().exec("DROP TABLE transfer_evidence");
        }
        const QString log2 = path("two.json");
        writeFile(log2, QByteArray(kLogon).replace("10:00:01", "10:00:02"));
        for (const QStringList &cmd : QList<QStringList> {{"import", "CASE", log2, "--quiet"}, {"info", "CASE"},
                 {"transfers", "CASE"}, {"infer", "CASE"}, {"notes", "CASE"}, {"meta", "CASE"},
                 {"meta", "CASE", "--title", "x"}, {"export", "transfers", "CASE", path("x.json")}}) {
            for (const auto &[c, why] : {std::pair {view, QByteArray("hosts is a view, not a table")},
                     std::pair {missing, QByteArray("table transfer_evidence is missing")}}) {
                QStringList args = cmd;
                args.replaceInStrings("CASE", c);
                const Run r = cli(args);
                QVERIFY2(r.code == 1, qPrintable(args.join(' ') + ": exit " + QString::number(r.code)));
                QVERIFY2(r.err.contains(QByteArray(QByteArray("not a valid TransferTrace case: ") + why)),
                    r.err.constData());
                QVERIFY2(!r.err.contains("SELECT") && !r.err.contains("prepare"), r.err.constData());
            }
        }
    }

    // Defect 5: a foreign SQLite file (and a file that is no database) stays byte for byte.
    void foreignFileIsLeftAlone()
    {
        const QString other = path("other.db");
        {
            tt::sql::Db db;
            db.open(other.toStdString(), tt::sql::Db::Mode::Create);
            db.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)");
        }
        const QString text = path("notes.txt");
        writeFile(text, "just some text, not a database\n");
        const QString log = path("f.json");
        writeFile(log, kLogon);
        for (const QString &f : {other, text}) {
            const QByteArray before = fileBytes(f);
            QVERIFY(!before.isEmpty());
            for (const QStringList &args : QList<QStringList> {{"import", f, log, "--quiet"}, {"info", f}, {"meta", f},
                     {"meta", f, "--title", "x"}, {"infer", f}, {"notes", f}, {"transfers", f}}) {
                const Run r = cli(args);
                QVERIFY2(r.code == 1, qPrintable(args.join(' ')));
                QVERIFY2(r.err.contains("not a TransferTrace case"), r.err.constData());
                QCOMPARE(fileBytes(f), before);
                QVERIFY(!QFile::exists(f + "-wal") && !QFile::exists(f + "-shm"));
                QVERIFY(!QFile::exists(tt::store::CaseLock::lockPathFor(f.toStdString()).c_str()));
            }
        }
    }

    // Defect 13: every writing command honours the session lock.
    void writersHonourTheLock()
    {
        const QString c = caseWithTransferNamed("locked.ttcase", "a.exe");
        QVERIFY(!c.isEmpty());
        const QByteArray before = cli({"transfers", c, "--format", "csv"}).out;
        auto lock = tt::store::CaseLock::acquire(c.toStdString()); // as a running import holds it
        QVERIFY(lock);
        Run r = cli({"infer", c});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("opened by another TransferTrace"), r.err.constData());
        QCOMPARE(cli({"transfers", c, "--format", "csv"}).out, before); // not rewritten
        QCOMPARE(cli({"meta", c, "--title", "t"}).code, 1);
        const QString log = path("locked2.json");
        writeFile(log, QByteArray(kLogon).replace("10:00:01", "10:00:03"));
        QCOMPARE(cli({"import", c, log, "--quiet"}).code, 1);
        lock.reset();
        QCOMPARE(cli({"infer", c}).code, 0);
    }

    // Defects 2 and 3: kill -9 while the post-import inference runs leaves a case that says its
    // transfers are stale; the same import again (nothing new) re-infers; read-only commands warn.
    void killedInferenceIsRedone()
    {
        const QString dir = genDir();
        QVERIFY(!dir.isEmpty());
        const QString c = path("killed.ttcase");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TT_TEST_PAUSE_AT", "inference");
        p.setProcessEnvironment(env);
        p.start(binary(), {"import", c, dir, "--quiet"});
        QVERIFY(waitForPause(p, "inference"));
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(60000));
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadOnly);
            QVERIFY(cs->db().queryInt("SELECT count(*) FROM sources") > 0);
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers"), 0);
            QVERIFY(tt::store::inferencePending(cs->db()));
        }
        Run r = cli({"transfers", c});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains("transfers are stale"), r.err.constData());
        r = cli({"info", c, "--json"});
        QVERIFY(QJsonDocument::fromJson(r.out).object().value("transfers_stale").toBool());
        r = cli({"import", c, dir, "--quiet", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("imported").toInt(), 0); // everything was already in the case
        QVERIFY(o.value("transfers").toInt() > 0); // and yet the transfers are back
        QCOMPARE(o.value("inference").toString(), QStringLiteral("done"));
        r = cli({"transfers", c});
        QVERIFY(!r.err.contains("stale"));
        // --no-infer leaves the mark; `infer` clears it.
        const QString log = path("extra.json");
        writeFile(log, QByteArray(kLogon).replace("10:00:01", "10:00:09"));
        QCOMPARE(cli({"import", c, log, "--quiet", "--no-infer"}).code, 0);
        QVERIFY(cli({"info", c}).err.contains("stale"));
        QCOMPARE(cli({"infer", c}).code, 0);
        QVERIFY(!cli({"info", c}).err.contains("stale"));
    }

    // Defect 3: SIGINT / SIGTERM / SIGHUP during the inference: exit 128+N, a cancelled line or a
    // JSON document, no lock left, the case still marked stale.
    void signalDuringInferenceCancelsCleanly_data()
    {
        QTest::addColumn<int>("sig");
        QTest::addColumn<bool>("json");
        QTest::newRow("SIGINT") << int(SIGINT) << false;
        QTest::newRow("SIGINT --json") << int(SIGINT) << true;
        QTest::newRow("SIGTERM") << int(SIGTERM) << false;
        QTest::newRow("SIGHUP --json") << int(SIGHUP) << true;
    }
    void signalDuringInferenceCancelsCleanly()
    {
        QFETCH(int, sig);
        QFETCH(bool, json);
        const QString dir = genDir();
        QVERIFY(!dir.isEmpty());
        const QString c = path(QStringLiteral("sig%1%2.ttcase").arg(sig).arg(json));
        QStringList args {"import", c, dir, "--quiet"};
        if (json)
            args << "--json";
        const Interrupted r = interruptAt(args, "inference", sig);
        QVERIFY(r.paused);
        QJsonObject o;
        checkCancelled(r, sig, json, &o);
        if (QTest::currentTestFailed())
            return;
        if (json)
            QCOMPARE(o.value("inference").toString(), QStringLiteral("cancelled"));
        QVERIFY(!QFile::exists(c + ".lock"));
        auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadOnly);
        QVERIFY(tt::store::inferencePending(cs->db()));
    }

    // SIGINT / SIGTERM during `meta` (holding the lock to change the case) and `notes`: exit
    // 128+N with a cancelled line or a JSON document, no lock left, the case unchanged.
    void signalDuringMetaAndNotesCancelsCleanly_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("sig");
        QTest::addColumn<bool>("json");
        QTest::newRow("meta --title, SIGINT") << QStringLiteral("meta") << int(SIGINT) << false;
        QTest::newRow("meta --title, SIGTERM --json") << QStringLiteral("meta") << int(SIGTERM) << true;
        QTest::newRow("notes, SIGINT") << QStringLiteral("notes") << int(SIGINT) << false;
        QTest::newRow("notes, SIGTERM --json") << QStringLiteral("notes") << int(SIGTERM) << true;
    }
    void signalDuringMetaAndNotesCancelsCleanly()
    {
        QFETCH(QString, command);
        QFETCH(int, sig);
        QFETCH(bool, json);
        const QString c = path(QStringLiteral("%1-%2-%3.ttcase").arg(command).arg(sig).arg(json));
        const QString log = c + ".json";
        writeFile(log, kLogon);
        QCOMPARE(cli({"import", c, log, "--quiet"}).code, 0);
        QCOMPARE(cli({"meta", c, "--title", "before"}).code, 0);
        QStringList args {command, c};
        if (command == QLatin1String("meta"))
            args << "--title"
                 << "after";
        if (json)
            args << "--json";
        bool lockedWhilePaused = false;
        const Interrupted r = interruptAt(
            args, command.toLatin1().constData(), sig, [&] { lockedWhilePaused = QFile::exists(c + ".lock"); });
        QVERIFY(r.paused);
        if (command == QLatin1String("meta"))
            QVERIFY(lockedWhilePaused); // the writer holds the session lock while paused
        QJsonObject o;
        checkCancelled(r, sig, json, &o);
        if (QTest::currentTestFailed())
            return;
        if (json)
            QVERIFY(o.value("message").toString().startsWith(QStringLiteral("cancelled by SIG")));
        QVERIFY(!QFile::exists(c + ".lock"));
        const Run shown = cli({"meta", c, "--json"});
        QCOMPARE(shown.code, 0);
        QCOMPARE(QJsonDocument::fromJson(shown.out).object().value("title").toString(), QStringLiteral("before"));
    }

    // Defect 6: a FIFO without a writer neither blocks SIGTERM nor the process; with a writer it
    // imports.
    void fifoIsInterruptibleAndImportable()
    {
        const QString fifo = path("pipe.json");
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        const QString c = path("fifo.ttcase");
        QProcess p;
        p.start(binary(), {"import", c, fifo, "--quiet"});
        QVERIFY(p.waitForStarted());
        // The import has the FIFO open (it never did: open(2) waited for a writer).
        const QString fdDir = QStringLiteral("/proc/%1/fd").arg(p.processId());
        auto fifoOpen = [&] {
            for (const QFileInfo &fd : QDir(fdDir).entryInfoList(QDir::Files | QDir::System))
                if (fd.symLinkTarget() == QFileInfo(fifo).absoluteFilePath())
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(fifoOpen(), 60000);
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 143);
        QVERIFY(p.readAllStandardOutput().contains("cancelled by SIGTERM"));
        QVERIFY(!QFile::exists(c + ".lock"));

        // A writer that comes later: the data is imported.
        QProcess q;
        q.start(binary(), {"import", c, fifo, "--quiet", "--json"});
        QVERIFY(q.waitForStarted());
        const int w = ::open(fifo.toLocal8Bit().constData(), O_WRONLY); // waits for the reader
        QVERIFY(w >= 0);
        QCOMPARE(::write(w, kLogon.constData(), size_t(kLogon.size())), ssize_t(kLogon.size()));
        ::close(w);
        QVERIFY(q.waitForFinished(60000));
        QCOMPARE(q.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(q.readAllStandardOutput()).object().value("stored").toInt(), 1);
    }

    // Defect 7: CSV and JSON to a terminal carry no raw control characters; to a pipe they stay exact.
    void terminalOutputIsEscaped()
    {
        const QByteArray hostile = "evil\x1b]0;pwned\x07\x1b[31m\xc2\x9b"
                                   "1m\xe2\x80\xae"
                                   "gpj.exe";
        const QString c = caseWithTransferNamed("tty.ttcase", hostile);
        QVERIFY(!c.isEmpty());
        QVERIFY(cli({"meta", c, "--title", QString::fromUtf8(hostile)}).code == 0);
        auto rawControls = [](const QByteArray &b) {
            for (int i = 0; i < b.size(); ++i) {
                const uchar ch = uchar(b[i]);
                if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7f)
                    return true;
                if (ch == 0xc2 && i + 1 < b.size() && uchar(b[i + 1]) >= 0x80 && uchar(b[i + 1]) <= 0x9f)
                    return true;
                if (b.mid(i, 3) == "\xe2\x80\xae")
                    return true;
            }
            return false;
        };
        for (const QStringList &args : QList<QStringList> {{"transfers", c, "--format", "csv"},
                 {"transfers", c, "--format", "json"}, {"transfers", c}, {"meta", c}, {"meta", c, "--json"},
                 {"info", c}, {"info", c, "--json"}, {"notes", c, "--json"}}) {
            const QByteArray tty = onTerminal(args);
            QVERIFY2(!rawControls(tty), qPrintable(args.join(' ') + ": " + QString::fromLatin1(tty.toHex())));
        }
        QVERIFY(onTerminal({"transfers", c, "--format", "csv"}).contains("evil\\x1b]0;pwned\\x07"));
        const QByteArray ttyJson = onTerminal({"transfers", c, "--format", "json"});
        QVERIFY(ttyJson.contains("evil\\u001b]0;pwned\\u0007\\u001b[31m\\u009b1m\\u202egpj.exe"));
        // Still valid JSON with the same string.
        QCOMPARE(QJsonDocument::fromJson(ttyJson).array().at(0).toObject().value("file").toString(),
            QString::fromUtf8(hostile));
        // A pipe gets the exact bytes in CSV, and JSON escapes the C0 controls itself (RFC 8259).
        QVERIFY(cli({"transfers", c, "--format", "csv"}).out.contains(hostile));
        const Run json = cli({"transfers", c, "--format", "json"});
        QVERIFY(!json.out.contains('\x1b') && !json.out.contains('\x07'));
        QCOMPARE(QJsonDocument::fromJson(json.out).array().at(0).toObject().value("file").toString(),
            QString::fromUtf8(hostile));
    }

    // Defect 8: one event at INT64_MIN: export timeline ends (no overflow, no endless tick loop).
    void extremeTimestampTimelineExport()
    {
        // Two events an hour apart; then the first is moved to INT64_MIN (as a crafted record says).
        const QString log = path("extreme.json");
        writeFile(log, kLogon + QByteArray(kLogon).replace("10:00:01", "11:00:01"));
        const QString c = path("extreme.ttcase");
        QCOMPARE(cli({"import", c, log, "--quiet"}).code, 0);
        {
            auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadWrite);
            cs->db().exec("UPDATE events SET ts = -9223372036854775807 - 1 WHERE id = (SELECT min(id) FROM events); "
                          "UPDATE sources SET first_ts = -9223372036854775807 - 1");
        }
        for (const char *out : {"t.png", "t.svg"}) {
            const Run r = cli({"export", "timeline", c, path(out)}, 120000); // -1: still running (it spun forever)
            QVERIFY2(r.code == 0, r.err.constData());
            QVERIFY(QFileInfo(path(out)).size() > 0);
        }
        QCOMPARE(cli({"export", "graph", c, path("g.svg")}, 120000).code, 0);
        QCOMPARE(cli({"report", c, path("r.html")}, 120000).code, 0);
        QCOMPARE(cli({"info", c}).code, 0);
    }

    // Defect 14 (CLI): no QStandardPaths warning without XDG_RUNTIME_DIR; report --pdf says both files.
    void quietWithoutRuntimeDirAndReportSaysFiles()
    {
        const QString c = caseWithTransferNamed("quiet.ttcase", "q.exe");
        QVERIFY(!c.isEmpty());
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("XDG_RUNTIME_DIR");
        p.setProcessEnvironment(env);
        for (const QStringList &args : QList<QStringList> {{"info", c}, {"transfers", c},
                 {"export", "timeline", c, path("q.png")}, {"report", c, path("q.html"), "--pdf", path("q.pdf")}}) {
            p.start(binary(), args);
            QVERIFY(p.waitForFinished(120000));
            QCOMPARE(p.exitCode(), 0);
            const QByteArray err = p.readAllStandardError();
            QVERIFY2(!err.contains("XDG_RUNTIME_DIR"), err.constData());
            if (args.first() == "report") {
                const QByteArray out = p.readAllStandardOutput();
                QVERIFY2(
                    out.contains(QByteArray(QByteArray("written to ") + path("q.html").toUtf8())), out.constData());
                QVERIFY2(
                    out.contains(QByteArray(QByteArray("PDF written to ") + path("q.pdf").toUtf8())), out.constData());
                QVERIFY(fileBytes(path("q.pdf")).startsWith("%PDF"));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstCliHardening)
#include "tst_cli_hardening.moc"
