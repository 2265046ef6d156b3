// Zeek parser (TSV and JSON lines) on hand-written fixtures (tests/fixtures/zeek), and the import
// of those fixtures into a case: escapes, set / vector fields, unset vs empty, several header
// blocks, gzip, damaged lines rejected with their line numbers while the rest is kept, and the
// network tables (schema v3) filled with both ends' addresses.

#include "TestSupport.h"

#include "core/ByteSource.h"
#include "core/FormatDetector.h"
#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"
#include "zeek/ZeekParser.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace tt;
using tt::test::fld;
using tt::test::sys;

namespace {
class StringSource : public ByteSource {
public:
    explicit StringSource(std::string s, size_t chunk = 7)
        : m_s(std::move(s))
        , m_chunk(chunk)
    {
    }
    long long read(char *buf, size_t n) override
    {
        n = std::min({n, m_chunk, m_s.size() - m_pos});
        std::memcpy(buf, m_s.data() + m_pos, n);
        m_pos += n;
        return static_cast<long long>(n);
    }

private:
    std::string m_s;
    size_t m_pos = 0, m_chunk;
};

tt::test::CollectingSink parse(const std::string &text, size_t chunk = 7)
{
    tt::test::CollectingSink sink;
    StringSource src(text, chunk);
    ZeekParser p;
    if (!p.parse(src, sink))
        qFatal("parse returned false");
    return sink;
}

std::string fixture(const char *name)
{
    return tt::test::readFixture(QStringLiteral("zeek/") + QString::fromLatin1(name));
}

std::string scalar(store::CaseStore &cs, const char *sql)
{
    auto st = cs.db().prepare(sql);
    if (!st.step())
        return "<no row>";
    return st.isNull(0) ? "<null>" : st.text(0);
}
} // namespace

class TstZeekParser : public QObject {
    Q_OBJECT
private slots:
    void detection()
    {
        const std::string tsv = fixture("smb_files.log");
        QCOMPARE(int(detectFormat(tsv.data(), tsv.size())), int(Format::Zeek));
        const std::string js = fixture("mixed.json");
        QCOMPARE(int(detectFormat(js.data(), js.size())), int(Format::Zeek));
        const std::string winJson = "{\"EventID\":4624,\"Hostname\":\"PC\",\"EventTime\":\"2020-01-01 00:00:00\"}\n";
        QCOMPARE(int(detectFormat(winJson.data(), winJson.size())), int(Format::JsonLines));
        const std::string stream = "{\"@stream\":\"conn\",\"ts\":1.5}\n";
        QCOMPARE(int(detectFormat(stream.data(), stream.size())), int(Format::Zeek));
        QCOMPARE(int(formatFromName("zeek")), int(Format::Zeek));
    }

    void tsvEscapesAndUnset()
    {
        auto sink = parse(fixture("smb_files.log"));
        QCOMPARE(sink.events.size(), size_t(3));
        const RawEvent &w = sink.events[0];
        QCOMPARE(w.channel, std::string("zeek:smb_files"));
        QCOMPARE(w.provider, std::string("zeek"));
        QCOMPARE(w.eventId, 0);
        QVERIFY(w.computer.empty());
        QCOMPARE(w.position, int64_t(9));
        QCOMPARE(w.timeUs, int64_t(1588206925606391));
        QCOMPARE(fld(w, "name"), std::string("Temp\\tab\tname.exe")); // literal backslash kept, \x09 decoded
        QCOMPARE(fld(w, "path"), std::string("\\\\NASHUA\\C$"));
        QCOMPARE(fld(w, "prev_name"), std::string("<absent>")); // '-' = unset: no field
        QCOMPARE(fld(w, "times.modified"), std::string("1588206925.000000"));
        // The original line is kept verbatim.
        QVERIFY(sys(w, "Line").find("Temp\\tab\\x09name.exe") != std::string::npos);
        const RawEvent &o = sink.events[1];
        QCOMPARE(fld(o, "name"), std::string("back\\x41slash")); // \x5c -> '\', not decoded twice
        QCOMPARE(fld(o, "size"), std::string("")); // (empty) = present, empty
        QCOMPARE(fld(o, "fuid"), std::string("<absent>"));
        QCOMPARE(sink.events[2].position, int64_t(13));
        QCOMPARE(sink.events[2].timeUs, int64_t(1588206928250000));
        // The truncated line 11 and the line with a bad ts (12) are rejected with their numbers.
        QCOMPARE(sink.rejects.size(), size_t(2));
        QCOMPARE(sink.rejects[0].position, int64_t(11));
        QVERIFY(sink.rejects[0].reason.find("expected 13 fields, found 5") != std::string::npos);
        QCOMPARE(sink.rejects[1].position, int64_t(12));
        QVERIFY(sink.rejects[1].reason.find("ts") != std::string::npos);
    }

    void tsvSetsVectorsAndHeaderBlocks()
    {
        auto sink = parse(fixture("conn_multi.log"), 3);
        QCOMPARE(sink.rejects.size(), size_t(0));
        QCOMPARE(sink.events.size(), size_t(6));
        const RawEvent &a = sink.events[0];
        QCOMPARE(a.channel, std::string("zeek:conn"));
        QCOMPARE(fld(a, "tunnel_parents"), std::string("Ctun1,Ctun2"));
        QCOMPARE(fld(a, "vlans"), std::string("10,20"));
        QCOMPARE(fld(a, "service"), std::string("gssapi,smb"));
        QCOMPARE(fld(sink.events[1], "tunnel_parents"), std::string("")); // empty set
        QCOMPARE(fld(sink.events[1], "vlans"), std::string("<absent>")); // unset vector
        QCOMPARE(fld(sink.events[1], "duration"), std::string("<absent>"));
        QCOMPARE(fld(sink.events[2], "tunnel_parents"), std::string("a,b,c")); // \x2c inside an element decoded
        // Second block: separator '|', set separator ';', EMPTY / NONE markers.
        QCOMPARE(fld(sink.events[3], "tunnel_parents"), std::string("x,y"));
        QCOMPARE(fld(sink.events[3], "id.orig_h"), std::string("10.0.1.5"));
        QCOMPARE(fld(sink.events[4], "tunnel_parents"), std::string(""));
        QCOMPARE(fld(sink.events[5], "id.orig_h"), std::string("<absent>"));
        QCOMPARE(fld(sink.events[5], "tunnel_parents"), std::string("<absent>"));
        QCOMPARE(sink.events[5].position, int64_t(22));
    }

    void jsonLines()
    {
        auto sink = parse(fixture("mixed.json"), 5);
        QCOMPARE(sink.events.size(), size_t(6));
        const RawEvent &h = sink.events[0];
        QCOMPARE(h.channel, std::string("zeek:http"));
        QCOMPARE(h.timeUs, int64_t(1588206925658000)); // ISO 8601 ts
        QCOMPARE(fld(h, "orig_mime_types"), std::string("application/x-dosexec"));
        QCOMPARE(fld(h, "tags"), std::string("")); // [] = empty, present
        QCOMPARE(fld(h, "proxied"), std::string("<absent>")); // null = unset
        QCOMPARE(fld(h, "request_body_len"), std::string("5305104"));
        QCOMPARE(sys(h, "_path"), std::string("http"));
        QCOMPARE(h.originalFormat, std::string("json"));
        QVERIFY(h.original.find("/up/tool.exe") != std::string::npos);
        const RawEvent &f = sink.events[1];
        QCOMPARE(f.channel, std::string("zeek:files"));
        QCOMPARE(fld(f, "is_orig"), std::string("T")); // booleans as the TSV writer spells them
        QCOMPARE(fld(f, "timedout"), std::string("F"));
        QCOMPARE(sys(f, "@stream"), std::string("files"));
        const RawEvent &ftp = sink.events[2];
        QCOMPARE(ftp.channel, std::string("zeek:ftp")); // guessed from the fields
        QCOMPARE(fld(ftp, "id.orig_h"), std::string("10.0.1.4")); // id_orig_h -> id.orig_h
        QCOMPARE(ftp.position, int64_t(3));
        QCOMPARE(sink.events[3].channel, std::string("zeek:kerberos"));
        QCOMPARE(sink.events[3].position, int64_t(7));
        QCOMPARE(fld(sink.events[4], "answers"), std::string("10.0.1.6"));
        // Truncated object (4), garbage (5), bad ts (8); the blank line 6 is not a record.
        QCOMPARE(sink.rejects.size(), size_t(3));
        QCOMPARE(sink.rejects[0].position, int64_t(4));
        QCOMPARE(sink.rejects[1].position, int64_t(5));
        QCOMPARE(sink.rejects[2].position, int64_t(8));
    }

    void jsonTrailingContentAndCrlf()
    {
        auto sink = parse("{\"ts\":1.0,\"uid\":\"C\"} extra\r\n{\"ts\":2,\"uid\":\"D\",\"conn_state\":\"SF\"}\r\n");
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(1));
        QCOMPARE(sink.events.size(), size_t(1));
        QCOMPARE(sink.events[0].channel, std::string("zeek:conn"));
        QCOMPARE(sink.events[0].timeUs, int64_t(2000000));
    }

    void tsvRecordBeforeHeader()
    {
        auto sink = parse("#separator \\x09\n1.0\tC\n");
        QCOMPARE(sink.events.size(), size_t(0));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(2));
    }

    // A #separator that does not split the header is named as the culprit, on the header line and
    // on every record after it; not "record before any #fields header".
    void tsvInvalidSeparator()
    {
        auto sink = parse("#separator \\x7c\n#fields\tts\tuid\n#types\ttime\tstring\n1.0\tC\n");
        QCOMPARE(sink.events.size(), size_t(0));
        QCOMPARE(sink.rejects.size(), size_t(3));
        QCOMPARE(sink.rejects[0].position, int64_t(2));
        QCOMPARE(sink.rejects[0].reason,
            std::string("#fields header not split by the #separator '|' declared on line 1: invalid separator, the "
                        "header cannot be read"));
        QCOMPARE(sink.rejects[1].position, int64_t(3));
        QCOMPARE(sink.rejects[2].position, int64_t(4));
        QCOMPARE(sink.rejects[2].reason,
            std::string("Zeek TSV record without a readable #fields header (the #separator '|' declared on "
                        "line 1 is invalid)"));
    }

    // A ts past what int64 microseconds hold is rejected with its line, never overflowed.
    void tsOutOfRange()
    {
        auto sink = parse("#separator \\x09\n#fields\tts\tuid\n#types\ttime\tstring\n9999999999999999999.0\tC1\n"
                          "1588206925.5\tC2\n");
        QCOMPARE(sink.events.size(), size_t(1));
        QCOMPARE(sink.events[0].timeUs, int64_t(1588206925500000));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(4));
        QCOMPARE(sink.rejects[0].reason, std::string("ts is not a time: '9999999999999999999.0'"));
    }

    void unescapeAndTime()
    {
        QCOMPARE(ZeekParser::unescape("a\\x09b\\x5c\\x"), std::string("a\tb\\\\x"));
        QCOMPARE(ZeekParser::unescape("\\xZZ"), std::string("\\xZZ"));
        int64_t us = 0;
        QVERIFY(ZeekParser::parseTime("1588206925.6063919", us));
        QCOMPARE(us, int64_t(1588206925606391));
        QVERIFY(ZeekParser::parseTime("1588206925", us));
        QCOMPARE(us, int64_t(1588206925000000));
        QVERIFY(!ZeekParser::parseTime("1e9", us));
        QVERIFY(!ZeekParser::parseTime("", us));
        QVERIFY(!ZeekParser::parseTime("12.", us));
    }

    void importIntoCase()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("z.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const QString fx = tt::test::fixturesDir() + QStringLiteral("/zeek/");
        const ImportSummary sum = engine.run({QString(fx + QStringLiteral("smb_files.log")).toStdString(),
            QString(fx + QStringLiteral("mixed.json")).toStdString(),
            QString(fx + QStringLiteral("conn.2020-04-30-00-00-00.log.gz")).toStdString()});
        QCOMPARE(sum.files.size(), size_t(3));
        for (const FileReport &r : sum.files)
            QCOMPARE(r.format, std::string("zeek"));
        QCOMPARE(sum.stored(), int64_t(3 + 6 + 6));
        QCOMPARE(sum.rejected(), int64_t(2 + 3));
        QCOMPARE(sum.exitCode(), 2);
        sql::Db &db = cs->db();
        // Sensor records belong to no host.
        QCOMPARE(db.queryInt("SELECT count(*) FROM events WHERE host_id IS NOT NULL"), int64_t(0));
        QCOMPARE(db.queryInt("SELECT count(*) FROM import_issues WHERE severity='reject'"), int64_t(5));
        QCOMPARE(db.queryInt("SELECT count(*) FROM import_issues WHERE position IN (11,12,4,5,8)"), int64_t(5));
        // Rows in the network tables, addresses of both ends.
        QCOMPARE(db.queryInt("SELECT count(*) FROM net_flows"), int64_t(6));
        QCOMPARE(scalar(*cs,
                     "SELECT orig_bytes || '/' || resp_bytes || '/' || duration_us || '/' || service FROM net_flows "
                     "WHERE uid='CE5Tb'"),
            std::string("4261160/3871/10740680/gssapi,smb"));
        QCOMPARE(scalar(*cs, "SELECT orig_ip FROM net_flows WHERE uid='CE5Tg'"), std::string("<null>"));
        QCOMPARE(scalar(*cs,
                     "SELECT src_ip || '>' || dst_ip || ' ' || name || ' ' || size FROM net_files WHERE "
                     "log='smb_files' AND action='SMB::FILE_WRITE'"),
            std::string("10.0.1.4>10.0.1.6 Temp\\tab\tname.exe 4261160"));
        QCOMPARE(scalar(*cs,
                     "SELECT src_ip || '>' || dst_ip FROM net_files WHERE log='smb_files' AND action='SMB::FILE_READ'"),
            std::string("10.0.1.6>10.0.1.4"));
        QCOMPARE(scalar(*cs,
                     "SELECT src_ip || '>' || dst_ip || ' ' || size || ' ' || action FROM net_files WHERE log='http'"),
            std::string("10.0.1.4>10.0.1.9 5305104 PUT"));
        QCOMPARE(scalar(*cs, "SELECT src_ip || '>' || dst_ip || ' ' || md5 FROM net_files WHERE log='files'"),
            std::string("10.0.1.4>10.0.1.9 dd5ea7248edbdc4b158e3c81c154857b"));
        QCOMPARE(scalar(*cs, "SELECT src_ip || '>' || dst_ip || ' ' || name FROM net_files WHERE log='ftp'"),
            std::string("10.0.1.4>10.0.1.9 ftp://10.0.1.9/./drop.bin"));
        QCOMPARE(scalar(*cs, "SELECT client || ' ' || service || ' ' || success FROM net_auth WHERE log='kerberos'"),
            std::string("pbeesly/DMEVALS.LOCAL cifs/NASHUA 1"));
        QCOMPARE(scalar(*cs, "SELECT client || ' ' || workstation FROM net_auth WHERE log='ntlm'"),
            std::string("DMEVALS\\mscott UTICA"));
        // DNS answer and NTLM workstation: address evidence for named hosts.
        QCOMPARE(scalar(*cs,
                     "SELECT h.name || ' ' || a.address || ' ' || a.how FROM host_addresses a JOIN hosts h ON "
                     "h.id=a.host_id WHERE a.how='zeek-dns'"),
            std::string("NASHUA 10.0.1.6 zeek-dns"));
        QCOMPARE(scalar(*cs,
                     "SELECT h.name || ' ' || a.address FROM host_addresses a JOIN hosts h ON h.id=a.host_id WHERE "
                     "a.how='zeek-ntlm'"),
            std::string("UTICA 10.0.1.7"));
        QCOMPARE(scalar(*cs,
                     "SELECT c.name FROM events e JOIN channels c ON c.id=e.channel_id WHERE e.position=9 AND c.name "
                     "LIKE 'zeek:smb%'"),
            std::string("zeek:smb_files"));
        // Re-importing the same files is a no-op.
        ImportEngine again(*cs, {});
        const ImportSummary sum2 = again.run({QString(fx + QStringLiteral("smb_files.log")).toStdString()});
        QCOMPARE(int(sum2.files.at(0).status), int(FileReport::Status::Duplicate));
    }

    // zeek-network on a small sensor log: a named SMB write to C$ (with its conn volume and the
    // cifs/ ticket), an FTP STOR; not an SMB read, not a PUT to a public address, not a POST to a
    // private address with no domain evidence.
    void inferenceOnFixture()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("t.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const ImportSummary sum
            = engine.run({QString(tt::test::fixturesDir() + QStringLiteral("/zeek/transfers.json")).toStdString()});
        QCOMPARE(sum.stored(), int64_t(8));
        inference::InferenceEngine inf(*cs);
        inf.run();
        const auto rows = inference::listTransfers(*cs, {});
        QCOMPARE(rows.size(), size_t(2));
        const inference::TransferRow *smb = nullptr, *ftp = nullptr;
        for (const auto &r : rows) {
            QCOMPARE(r.sourceIp, std::string("10.0.2.1"));
            // 10.0.2.2 is named by FILESRV$'s own Kerberos AS request (issue #10, zeek-kerberos).
            QCOMPARE(r.destination, std::string("FILESRV"));
            QCOMPARE(r.direction, std::string("push"));
            (r.method == "ftp" ? ftp : smb) = &r;
        }
        QVERIFY(smb && ftp);
        QCOMPARE(smb->method, std::string("smb-admin-share"));
        QCOMPARE(smb->file, std::string("tool.exe"));
        QCOMPARE(smb->path, std::string("\\\\FILESRV\\C$\\Temp\\tool.exe"));
        QCOMPARE(smb->account, std::string("CORP\\alice"));
        QCOMPARE(smb->confidenceLabel, std::string("high")); // write + volume + ticket
        QCOMPARE(smb->evidence, 3);
        QCOMPARE(ftp->file, std::string("payload.bin"));
        QCOMPARE(ftp->confidenceLabel, std::string("medium")); // the write alone
    }

    // Pulls seen by a sensor (issue 10 item 5): a client fetching a whole program from an internal
    // server is a transfer server -> client, direction pull: smb_files FILE_READ of a tool-like
    // file (with the reader's cifs/ ticket as its account), ftp RETR answered 226, http GET of an
    // executable (resp_mime_types application/x-dosexec; files.log's record of the same bytes
    // joins it). Not: a document read, a SYSVOL logon script, FILE_OPEN alone, a RETR answered
    // 550, a GET of text/html or answered 404, a download from a public address.
    void pullsOnFixture()
    {
        QTemporaryDir dir;
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("p.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const ImportSummary sum
            = engine.run({QString(tt::test::fixturesDir() + QStringLiteral("/zeek/pulls.json")).toStdString()});
        QCOMPARE(sum.stored(), int64_t(13));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        QStringList got;
        for (const auto &r : rows)
            got << QString::fromStdString(r.source + " -> " + r.destination + ' ' + r.file + ' ' + r.method + ' '
                + r.direction + ' ' + r.account + ' ' + std::to_string(r.evidence));
        got.sort();
        QCOMPARE(got,
            QStringList({QStringLiteral("FILESRV -> 10.0.2.1 agent.bin ftp pull  1"),
                QStringLiteral("FILESRV -> 10.0.2.1 tool.exe smb-share pull CORP\\alice 2"),
                QStringLiteral("FILESRV -> 10.0.2.1 update http pull  2")}));
        for (const auto &r : rows) {
            QCOMPARE(r.sourceIp, std::string("10.0.2.2"));
            if (r.method == "smb-share")
                QCOMPARE(r.srcPath, std::string("\\\\FILESRV\\tools\\x64\\tool.exe"));
        }
    }

    // An unnamed SMB upload burst counts each connection once: one connection seen by two
    // sensors (same client port, starts 0.8 s apart, byte counts differ) is the larger count,
    // while the same client port reused 20 s later is a second connection of the burst.
    void burstCountsEachConnectionOnce_data()
    {
        QTest::addColumn<double>("secondStart"); // of the second record on client port 50100
        QTest::addColumn<QString>("bytes"); // of the burst
        QTest::newRow("two sensors") << 0.8 << QStringLiteral("1300000"); // 700000 + 600000
        QTest::newRow("port reused") << 20.0 << QStringLiteral("1990000"); // 700000 + 690000 + 600000
    }

    void burstCountsEachConnectionOnce()
    {
        QFETCH(double, secondStart);
        QFETCH(QString, bytes);
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("conn.json"));
        {
            QFile f(log);
            QVERIFY(f.open(QIODevice::WriteOnly));
            auto conn = [&](const char *uid, double ts, int port, int orig) {
                f.write(QStringLiteral("{\"_path\":\"conn\",\"ts\":%1,\"uid\":\"%2\",\"id.orig_h\":\"10.0.2.1\","
                                       "\"id.orig_p\":%3,\"id.resp_h\":\"10.0.2.2\",\"id.resp_p\":445,\"proto\":"
                                       "\"tcp\",\"service\":\"smb\",\"duration\":1.0,\"orig_bytes\":%4,"
                                       "\"resp_bytes\":2000,\"conn_state\":\"SF\"}\n")
                            .arg(ts, 0, 'f', 1)
                            .arg(QLatin1String(uid))
                            .arg(port)
                            .arg(orig)
                            .toUtf8());
            };
            // Both ends internal (Kerberos clients of the domain); the server named FILESRV.
            f.write("{\"_path\":\"kerberos\",\"ts\":1600000000.0,\"uid\":\"K1\",\"id.orig_h\":\"10.0.2.1\","
                    "\"id.orig_p\":50000,\"id.resp_h\":\"10.0.2.9\",\"id.resp_p\":88,\"request_type\":\"TGS\","
                    "\"client\":\"alice/CORP.EXAMPLE\",\"service\":\"cifs/FILESRV\",\"success\":true}\n");
            f.write("{\"_path\":\"kerberos\",\"ts\":1600000001.0,\"uid\":\"K2\",\"id.orig_h\":\"10.0.2.2\","
                    "\"id.orig_p\":50001,\"id.resp_h\":\"10.0.2.9\",\"id.resp_p\":88,\"request_type\":\"AS\","
                    "\"client\":\"FILESRV$/CORP.EXAMPLE\",\"service\":\"krbtgt/CORP.EXAMPLE\",\"success\":true}\n");
            conn("C1", 1600000002.0, 50100, 700000);
            conn("C2", 1600000002.0 + secondStart, 50100, 690000);
            conn("C3", 1600000004.0, 50101, 600000);
        }
        auto cs = store::CaseStore::open(
            dir.filePath(QStringLiteral("t.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        QCOMPARE(engine.run({log.toStdString()}).stored(), int64_t(5));
        inference::InferenceEngine(*cs).run();
        const auto rows = inference::listTransfers(*cs, {});
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].destination, std::string("FILESRV"));
        QCOMPARE(QString::fromStdString(rows[0].file), QStringLiteral("(unnamed: %1 bytes over SMB)").arg(bytes));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TstZeekParser t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_zeek_parser.moc"
