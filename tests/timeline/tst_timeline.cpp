// Timelines of other tools (importers/timeline): EvtxECmd CSV / JSON and Hayabusa CSV (standard,
// verbose) / JSONL of the same seven records as tests/fixtures/timeline/psexec_push.xml give back
// the fields and times the event XML gives (as far as the tool kept them, nothing invented), and
// the same transfer after import and inference; malformed rows are rejected with their line
// numbers and the others kept.

#include "TestSupport.h"
#include "TimelineFixtures.h"

#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"
#include "timeline/TimelineParser.h"
#include "xml/WinXmlParser.h"

#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace tt;
using tt::test::CollectingSink;
using tt::test::fld;
using tt::test::readFixture;

namespace {

struct Parsed {
    CollectingSink sink;
    bool ok = false;
};

std::unique_ptr<Parsed> parseWith(FormatParser &p, const std::string &text)
{
    auto r = std::make_unique<Parsed>();
    MemorySource src(text);
    r->ok = p.parse(src, r->sink);
    return r;
}

std::unique_ptr<Parsed> parseTimeline(TimelineParser::Kind kind, const std::string &text, size_t block = 1 << 20)
{
    TimelineParser p(kind);
    p.setBlockSize(block);
    return parseWith(p, text);
}

const RawEvent *byRecord(const std::vector<RawEvent> &v, int64_t id)
{
    for (const auto &e : v)
        if (e.recordId == id)
            return &e;
    return nullptr;
}

QString fixturePath(const char *name)
{
    return test::fixturesDir() + QStringLiteral("/timeline/") + QLatin1String(name);
}

bool sameNumber(const std::string &a, const std::string &b)
{
    bool oka = false, okb = false;
    const qulonglong x = QString::fromStdString(a).toULongLong(&oka, 0);
    const qulonglong y = QString::fromStdString(b).toULongLong(&okb, 0);
    return oka && okb && x == y;
}

} // namespace

class TstTimeline : public QObject {
    Q_OBJECT
private:
    std::vector<RawEvent> m_ref; // the event XML reference

    // Every record of the reference is there with the same envelope; fields: all of them
    // (EvtxECmd) or all the reference has, values equal except Hayabusa's hex-to-decimal
    // rewrites; no unprefixed field the reference lacks.
    void compareToReference(const std::vector<RawEvent> &got, bool exactFields, int64_t timeToleranceUs)
    {
        QCOMPARE(got.size(), m_ref.size());
        for (const RawEvent &r : m_ref) {
            const RawEvent *g = byRecord(got, r.recordId);
            QVERIFY2(g, qPrintable(QStringLiteral("record %1 missing").arg(r.recordId)));
            QCOMPARE(g->computer, r.computer);
            QCOMPARE(g->channel, r.channel);
            QCOMPARE(g->eventId, r.eventId);
            QVERIFY2(std::llabs(g->timeUs - r.timeUs) <= timeToleranceUs,
                qPrintable(QStringLiteral("record %1: %2 vs %3").arg(r.recordId).arg(g->timeUs).arg(r.timeUs)));
            if (exactFields) {
                QCOMPARE(g->provider, r.provider);
                QCOMPARE(g->fields.size(), r.fields.size());
                for (size_t i = 0; i < r.fields.size(); ++i) {
                    QCOMPARE(g->fields[i].name, r.fields[i].name);
                    QCOMPARE(g->fields[i].value, r.fields[i].value);
                }
                continue;
            }
            QVERIFY(g->provider.empty()); // Hayabusa does not write it: not invented
            for (const Field &f : r.fields) {
                const std::string v = fld(*g, f.name);
                QVERIFY2(v == f.value || sameNumber(v, f.value),
                    qPrintable(QStringLiteral("record %1 field %2: '%3' vs '%4'")
                                   .arg(r.recordId)
                                   .arg(QString::fromStdString(f.name), QString::fromStdString(v),
                                       QString::fromStdString(f.value))));
            }
            for (const Field &f : g->fields)
                QVERIFY2(f.name.rfind("Hayabusa.", 0) == 0 || r.hasField(f.name),
                    qPrintable(QStringLiteral("invented field %1").arg(QString::fromStdString(f.name))));
        }
    }

private slots:
    void initTestCase()
    {
        WinXmlParser xml;
        auto r = parseWith(xml, readFixture(QStringLiteral("timeline/psexec_push.xml")));
        QVERIFY(r->ok);
        QVERIFY(r->sink.rejects.empty());
        m_ref = r->sink.events;
        QCOMPARE(m_ref.size(), size_t(7));
    }

    void detection_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("format");
        QTest::newRow("evtxecmd csv") << "evtxecmd.csv" << int(Format::EvtxECmdCsv);
        QTest::newRow("evtxecmd json") << "evtxecmd.json" << int(Format::EvtxECmdJson);
        QTest::newRow("hayabusa standard") << "hayabusa_standard.csv" << int(Format::HayabusaCsv);
        QTest::newRow("hayabusa verbose") << "hayabusa_verbose.csv" << int(Format::HayabusaCsv);
        QTest::newRow("hayabusa jsonl") << "hayabusa.jsonl" << int(Format::HayabusaJsonl);
        QTest::newRow("event xml") << "psexec_push.xml" << int(Format::WinXml);
    }
    void detection()
    {
        QFETCH(QString, file);
        QFETCH(int, format);
        const std::string t = readFixture(QStringLiteral("timeline/") + file);
        QCOMPARE(int(detectFormat(t.data(), std::min<size_t>(t.size(), 65536))), format);
        const std::string_view name = formatName(Format(format));
        QCOMPARE(int(formatFromName(name)), format);
    }

    void detectionNegatives()
    {
        const std::string csv = "a,b,c\n1,2,3\n";
        QCOMPARE(int(detectFormat(csv.data(), csv.size())), int(Format::Unknown));
        const std::string nx = "{\"EventID\":4624,\"Hostname\":\"x\",\"Channel\":\"Security\"}\n";
        QCOMPARE(int(detectFormat(nx.data(), nx.size())), int(Format::JsonLines));
    }

    void evtxecmdCsv()
    {
        // Small blocks: quoted fields and records straddle refills.
        for (size_t block : {size_t(1) << 20, size_t(37)}) {
            auto r = parseTimeline(
                TimelineParser::Kind::EvtxECmdCsv, readFixture(QStringLiteral("timeline/evtxecmd.csv")), block);
            QVERIFY(r->ok);
            QVERIFY(r->sink.rejects.empty());
            QVERIFY(r->sink.warnings.empty());
            compareToReference(r->sink.events, true, 0);
            if (QTest::currentTestFailed())
                return;
            const RawEvent &e = *byRecord(r->sink.events, 5001);
            QCOMPARE(int(e.timeSource), int(TimeSource::SystemTimeUtc));
            QCOMPARE(e.position, int64_t(2)); // line 2, after the header
            QCOMPARE(test::sys(e, "Keywords"), std::string("0x8020000000000000"));
            QCOMPARE(test::sys(e, "RenderingInfo.Level"), std::string("LogAlways"));
            QCOMPARE(test::sys(e, "Execution.ProcessID"), std::string("4"));
            QCOMPARE(test::sys(e, "EvtxECmd.RemoteHost"), std::string("WS5 (10.1.1.5)"));
            QVERIFY(!test::hasSys(e, "EvtxECmd.PayloadData3")); // empty columns are absent
            QCOMPARE(e.originalFormat, std::string("json"));
            QVERIFY(e.original.find("\"MapDescription\":\"Successful logon\"") != std::string::npos);
            // A doubled quote inside the quoted Payload inside the quoted CSV field.
            QCOMPARE(fld(*byRecord(r->sink.events, 5004), "CommandLine"),
                std::string("C:\\Windows\\Temp\\tool.exe -accepteula \"x y\""));
        }
    }

    void evtxecmdJson()
    {
        auto r
            = parseTimeline(TimelineParser::Kind::EvtxECmdJson, readFixture(QStringLiteral("timeline/evtxecmd.json")));
        QVERIFY(r->ok);
        QVERIFY(r->sink.rejects.empty());
        compareToReference(r->sink.events, true, 0);
        const RawEvent &e = *byRecord(r->sink.events, 9002);
        QCOMPARE(e.position, int64_t(6));
        QCOMPARE(int(e.timeSource), int(TimeSource::SystemTimeUtc));
        QCOMPARE(test::sys(e, "EvtxECmd.ChunkNumber"), std::string("0"));
        QVERIFY(e.original.rfind("{\"RecordNumber\":9002", 0) == 0);
    }

    void evtxecmdPayloadShapes()
    {
        const std::string t = fixtures::payloadShapesCsv();
        auto r = parseTimeline(TimelineParser::Kind::EvtxECmdCsv, t);
        QVERIFY(r->ok);
        QCOMPARE(r->sink.events.size(), size_t(5));
        QVERIFY(r->sink.rejects.empty());
        const auto &ev = r->sink.events;
        QCOMPARE(fld(ev[0], "ServiceName"), std::string("X"));
        QCOMPARE(fld(ev[1], "Data1"), std::string("Print Spooler"));
        QCOMPARE(fld(ev[1], "Data2"), std::string("running"));
        QCOMPARE(fld(ev[1], "Binary"), std::string("0A0B"));
        QCOMPARE(fld(ev[2], "User"), std::string("CORP\\admin"));
        QCOMPARE(fld(ev[2], "Address"), std::string("10.1.1.5"));
        QVERIFY(!ev[2].hasField("xmlns") && !ev[2].hasField("@xmlns"));
        QVERIFY(ev[3].fields.empty());
        QCOMPARE(test::sys(ev[3], "EvtxECmd.PayloadData1"), std::string("Target: CORP\\admin"));
        QVERIFY(ev[4].fields.empty());
        QCOMPARE(r->sink.warnings.size(), size_t(1));
        QCOMPARE(r->sink.warnings[0].position, int64_t(6));
    }

    void hayabusa_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("duplicates");
        QTest::newRow("standard") << "hayabusa_standard.csv" << int(TimelineParser::Kind::HayabusaCsv) << 0;
        QTest::newRow("verbose") << "hayabusa_verbose.csv" << int(TimelineParser::Kind::HayabusaCsv) << 1;
        QTest::newRow("jsonl") << "hayabusa.jsonl" << int(TimelineParser::Kind::HayabusaJsonl) << 0;
    }
    void hayabusa()
    {
        QFETCH(QString, file);
        QFETCH(int, kind);
        QFETCH(int, duplicates);
        auto r = parseTimeline(TimelineParser::Kind(kind), readFixture(QStringLiteral("timeline/") + file));
        QVERIFY(r->ok);
        QVERIFY(r->sink.rejects.empty());
        QCOMPARE(int(r->sink.warnings.size()), duplicates); // "repeated a record already read"
        // Hayabusa keeps milliseconds.
        compareToReference(r->sink.events, false, 1000);
        const RawEvent &logon = *byRecord(r->sink.events, 5001);
        QCOMPARE(int(logon.timeSource), int(TimeSource::ExplicitZone));
        QCOMPARE(fld(logon, "LogonType"), std::string("3")); // "3 - NETWORK" undone
        QCOMPARE(fld(logon, "ElevatedToken"), std::string("%%1842")); // "YES" undone
        QCOMPARE(fld(logon, "IpAddress"), std::string("10.1.1.5")); // SrcIP
        QCOMPARE(test::sys(logon, "Hayabusa.Channel"), std::string("Sec"));
        QCOMPARE(test::sys(logon, "Hayabusa.RuleTitle"), std::string("Logon (Network)"));
        const RawEvent &write = *byRecord(r->sink.events, 5003);
        QCOMPARE(fld(write, "AccessList"), std::string("%%4417"));
        QCOMPARE(fld(write, "RelativeTargetName"), std::string("Temp\\tool.exe"));
        const RawEvent &proc = *byRecord(r->sink.events, 9002);
        QCOMPARE(fld(proc, "CommandLine"), std::string("C:\\Windows\\Temp\\tool.exe -accepteula \"x y\""));
        QCOMPARE(proc.channel, std::string("Microsoft-Windows-Sysmon/Operational"));
    }

    void hayabusaDetailsOnly()
    {
        // Minimal profile, no ExtraFieldInfo: only the Details, unknown keys prefixed, "n/a" absent.
        std::string t = "Timestamp,Computer,Channel,EventID,Level,RuleTitle,Details\n";
        t += "2024-03-04 10:00:10.150 +00:00,WS6,Sec,4624,info,Logon,Type: 10 - REMOTE INTERACTIVE ¦ TgtUser: admin ¦ "
             "SrcComp: n/a ¦ SrcIP: 10.1.1.5 ¦ LID: 0x1 ¦ Shiny: new\n";
        t += "2024-03-04 10:00:11.000 +00:00,WS6,RDS-LSM,21,info,RDP Logon,User: CORP\\admin ¦ SrcIP: 10.1.1.5\n";
        auto r = parseTimeline(TimelineParser::Kind::HayabusaCsv, t);
        QVERIFY(r->ok);
        QCOMPARE(r->sink.events.size(), size_t(2));
        const RawEvent &e = r->sink.events[0];
        QCOMPARE(fld(e, "LogonType"), std::string("10"));
        QCOMPARE(fld(e, "TargetUserName"), std::string("admin"));
        QCOMPARE(fld(e, "TargetLogonId"), std::string("0x1"));
        QVERIFY(!e.hasField("WorkstationName"));
        QCOMPARE(fld(e, "Hayabusa.Details.Shiny"), std::string("new"));
        QCOMPARE(e.fields.size(), size_t(5));
        const RawEvent &rdp = r->sink.events[1];
        QCOMPARE(rdp.channel, std::string("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"));
        QCOMPARE(fld(rdp, "Hayabusa.Details.SrcIP"), std::string("10.1.1.5")); // no certain mapping for 21
        QVERIFY(!rdp.hasField("Address"));
    }

    void badRowsKeepTheRest()
    {
        std::string t = "Timestamp,Computer,Channel,EventID,RecordID,RuleTitle,Details\n"; // line 1
        t += "2024-03-04 10:00:00.000 +00:00,H1,Sec,4624,1,R,TgtUser: a\n"; // 2 good
        t += "2024-03-04 10:00:01.000 +00:00,H1,Sec,46x4,2,R,TgtUser: b\n"; // 3 bad event id
        t += "2024-03-04 10:00:02.000 +00:00,H1,Sec,4624,3,R,\"Cmdline: a\nb\nc\"\n"; // 4-6 embedded newlines
        t += "not a time,H1,Sec,4624,4,R,x\n"; // 7 bad time
        t += "2024-03-04 10:00:04.000 +00:00,,Sec,4624,5,R,x\n"; // 8 no computer
        t += "2024-03-04 10:00:05.000 +00:00,H1,Sec,4624,6,R,a \"quoted\" b\n"; // 9 stray quote
        t += "\n"; // 10 blank
        t += "2024-03-04 10:00:06.000 +00:00,H1,Sec,4624,7,R,TgtUser: g\r\n"; // 11 good (CRLF)
        t += "2024-03-04 10:00:07.000 +00:00,H1,Sec,4624,8,R\n"; // 12 missing field
        t += "2024-03-04 10:00:08.000 +00:00,H1,Sec,4624,9,R,TgtUser: i\n"; // 13 good
        t += "2024-03-04 10:00:09.000 +00:00,H1,Sec,4624,10"; // 14 truncated
        for (size_t block : {size_t(1) << 20, size_t(16)}) {
            auto r = parseTimeline(TimelineParser::Kind::HayabusaCsv, t, block);
            QVERIFY(r->ok);
            std::vector<int64_t> good, bad;
            for (const auto &e : r->sink.events)
                good.push_back(e.position);
            for (const auto &x : r->sink.rejects)
                bad.push_back(x.position);
            QCOMPARE(good, (std::vector<int64_t> {2, 4, 11, 13}));
            QCOMPARE(bad, (std::vector<int64_t> {3, 7, 8, 9, 12, 14}));
            QCOMPARE(r->sink.events[1].recordId, int64_t(3));
            QCOMPARE(fld(r->sink.events[1], "Hayabusa.Details.Cmdline"), std::string("a\nb\nc"));
            QCOMPARE(fld(r->sink.events[2], "TargetUserName"), std::string("g"));
        }
    }

    void unterminatedQuote()
    {
        std::string t = "Timestamp,Computer,Channel,EventID,RecordID,RuleTitle,Details\n";
        t += "2024-03-04 10:00:00.000 +00:00,H1,Sec,4624,1,R,x\n";
        t += "2024-03-04 10:00:01.000 +00:00,H1,Sec,4624,2,R,\"Cmdline: cut\nin the mid";
        auto r = parseTimeline(TimelineParser::Kind::HayabusaCsv, t);
        QVERIFY(r->ok);
        QCOMPARE(r->sink.events.size(), size_t(1));
        QCOMPARE(r->sink.rejects.size(), size_t(1));
        QCOMPARE(r->sink.rejects[0].position, int64_t(3));
        QVERIFY(QString::fromStdString(r->sink.rejects[0].reason).contains(QLatin1String("quoted")));
    }

    // An EventRecordId / RecordID past INT64_MAX keeps its row without a record number and says
    // so with the line number; EvtxECmd's RecordNumber is then not used in its place either.
    void outOfRangeRecordNumber()
    {
        std::string t = "EventRecordId,RecordNumber,TimeCreated,EventId,Provider,Channel,Computer,Payload\n";
        t += "9999999999999999999,9999999999999999999,2024-03-04 10:00:10.1500000,4624,P,Security,WS6,\n";
        t += "9223372036854775807,,2024-03-04 10:00:10.1500000,4624,P,Security,WS6,\n";
        auto r = parseTimeline(TimelineParser::Kind::EvtxECmdCsv, t);
        QVERIFY(r->ok);
        QVERIFY(r->sink.rejects.empty());
        QCOMPARE(r->sink.events.size(), size_t(2));
        QCOMPARE(r->sink.events[0].recordId, int64_t(-1));
        QCOMPARE(r->sink.events[1].recordId, std::numeric_limits<int64_t>::max());
        QCOMPARE(r->sink.warnings.size(), size_t(1));
        QCOMPARE(r->sink.warnings[0].position, int64_t(2));
        QVERIFY(r->sink.warnings[0].reason.find("'9999999999999999999' is not a record number") != std::string::npos);

        std::string h = "Timestamp,Computer,Channel,EventID,Level,RecordID,RuleTitle,Details\n";
        h += "2024-03-04 10:00:10.150 +00:00,WS6,Sec,4624,info,18446744073709551616,Logon,LID: 0x1\n";
        auto hr = parseTimeline(TimelineParser::Kind::HayabusaCsv, h);
        QVERIFY(hr->ok);
        QCOMPARE(hr->sink.events.size(), size_t(1));
        QCOMPARE(hr->sink.events[0].recordId, int64_t(-1));
        QCOMPARE(hr->sink.warnings.size(), size_t(1));
        QCOMPARE(hr->sink.warnings[0].reason,
            std::string("RecordID '18446744073709551616' is not a record number from 0 to 9223372036854775807: record "
                        "kept without it"));
    }

    // A file of just a UTF-8 byte-order mark (found by the hayabusa_csv fuzzer: the reader went
    // on past its block) is an empty timeline: no record, one warning, nothing read past it
    // (the sanitizer run checks the last part).
    void byteOrderMarkOnly()
    {
        for (auto kind : {TimelineParser::Kind::HayabusaCsv, TimelineParser::Kind::EvtxECmdCsv}) {
            auto r = parseTimeline(kind, "\xEF\xBB\xBF", 16);
            QVERIFY(r->ok);
            QVERIFY(r->sink.events.empty());
            QVERIFY(r->sink.rejects.empty());
            QCOMPARE(r->sink.warnings.size(), size_t(1)); // said once, not a record
        }
        // With a header and a row after it, the mark is skipped as before.
        std::string t = "\xEF\xBB\xBFTimestamp,Computer,Channel,EventID,RecordID,RuleTitle,Details\n";
        t += "2024-03-04 10:00:00.000 +00:00,H1,Sec,4624,1,R,x\n";
        auto r = parseTimeline(TimelineParser::Kind::HayabusaCsv, t, 16);
        QVERIFY(r->ok);
        QCOMPARE(r->sink.events.size(), size_t(1));
    }

    void wrongHeaderIsRefused()
    {
        auto r = parseTimeline(TimelineParser::Kind::EvtxECmdCsv, "a,b\n1,2\n");
        QVERIFY(!r->ok);
        QCOMPARE(r->sink.rejects.size(), size_t(1));
        QCOMPARE(r->sink.rejects[0].position, int64_t(0));
    }

    void jsonlBadLines()
    {
        std::string t = readFixture(QStringLiteral("timeline/hayabusa.jsonl"));
        const size_t second = t.find('\n') + 1;
        t.insert(second,
            "{\"Timestamp\":\"2024-03-04 10:00:00 +00:00\",\"Computer\":\"H\",\"Channel\":\"Sec\",\"EventID\":\n"
            "[1,2\n");
        auto r = parseTimeline(TimelineParser::Kind::HayabusaJsonl, t);
        QVERIFY(r->ok);
        QCOMPARE(r->sink.events.size(), size_t(7));
        QCOMPARE(r->sink.rejects.size(), size_t(2));
        QCOMPARE(r->sink.rejects[0].position, int64_t(2));
        QCOMPARE(r->sink.rejects[1].position, int64_t(3));
        QCOMPARE(byRecord(r->sink.events, 5002)->position, int64_t(4));
    }

    // Imported through the engine and inferred: the ADMIN$ push is found as from the event XML.
    void inferenceLikeEventXml_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("evtxecmd csv") << "evtxecmd.csv";
        QTest::newRow("evtxecmd json") << "evtxecmd.json";
        QTest::newRow("hayabusa standard") << "hayabusa_standard.csv";
        QTest::newRow("hayabusa verbose") << "hayabusa_verbose.csv";
        QTest::newRow("hayabusa jsonl") << "hayabusa.jsonl";
    }
    void inferenceLikeEventXml()
    {
        QFETCH(QString, file);
        QTemporaryDir dir;
        auto infer = [&](const QString &input, const char *caseName, ImportSummary &sum) {
            auto cs = store::CaseStore::open(
                dir.filePath(QLatin1String(caseName)).toStdString(), store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            sum = engine.run({input.toStdString()});
            inference::InferenceEngine(*cs).run();
            return inference::listTransfers(*cs, {});
        };
        ImportSummary refSum, sum;
        const auto ref = infer(fixturePath("psexec_push.xml"), "ref.ttcase", refSum);
        const auto got = infer(fixturePath(file.toLatin1().constData()), "t.ttcase", sum);
        QCOMPARE(sum.stored(), int64_t(7));
        QCOMPARE(sum.rejected(), int64_t(0));
        QCOMPARE(sum.files.size(), size_t(1));
        QCOMPARE(QString::fromStdString(sum.files[0].format),
            QString::fromLatin1(
                formatName(detectFormat(readFixture(QStringLiteral("timeline/") + file).data(), 4096))));
        QCOMPARE(ref.size(), size_t(1));
        QCOMPARE(got.size(), ref.size());
        const auto &a = ref[0], &b = got[0];
        QCOMPARE(a.destination, std::string("WS6"));
        QCOMPARE(a.source, std::string("WS5"));
        QCOMPARE(a.path, std::string("C:\\Windows\\Temp\\tool.exe"));
        QVERIFY(a.executed);
        QCOMPARE(b.source, a.source);
        QCOMPARE(b.sourceIp, a.sourceIp);
        QCOMPARE(b.destination, a.destination);
        QCOMPARE(b.path, a.path);
        QCOMPARE(b.method, a.method);
        QCOMPARE(b.direction, a.direction);
        QCOMPARE(b.account, a.account);
        QCOMPARE(b.executed, a.executed);
        QCOMPARE(b.confidenceLabel, a.confidenceLabel);
        QCOMPARE(b.rules, a.rules);
        QVERIFY(std::llabs(b.firstTs - a.firstTs) <= 1000);
    }
};

QTEST_GUILESS_MAIN(TstTimeline)
#include "tst_timeline.moc"
