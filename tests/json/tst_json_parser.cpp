// Tests of tt::JsonLinesParser on hand-written fixtures (tests/fixtures/json) and bad input.

#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/TimeUtil.h"
#include "json/JsonLinesParser.h"

#include <QFile>
#include <QtTest>

#include <string>

using tt::RawEvent;
using tt::TimeSource;
using tt::test::CollectingSink;
using tt::test::fld;
using tt::test::hasSys;
using tt::test::readFixture;
using tt::test::sys;

namespace {

struct Result {
    bool ok = false;
    CollectingSink sink;
};

void parseInto(const std::string &text, Result &r, size_t block = 0, size_t maxLine = 0)
{
    tt::JsonLinesParser p;
    if (block)
        p.setBlockSize(block);
    if (maxLine)
        p.setMaxLineBytes(maxLine);
    tt::MemorySource src(text);
    r.ok = p.parse(src, r.sink);
}

std::string iso(int64_t us)
{
    return tt::timeutil::formatIsoUtc(us);
}

// A minimal NXLog-style line.
std::string nx(const std::string &host, int id, const std::string &extra = {})
{
    return R"({"Hostname":")" + host + R"(","EventID":)" + std::to_string(id)
        + R"(,"Channel":"Security","SourceName":"Microsoft-Windows-Security-Auditing","EventTime":"2021-01-12 09:41:03","@timestamp":"2021-01-12T14:41:05.218Z")"
        + extra + "}";
}

} // namespace

class TstJsonParser : public QObject {
    Q_OBJECT
private slots:
    void nxlogFixture();
    void nxlogFixtureSmallBlocks();
    void winlogbeat7();
    void winlogbeat8();
    void valueRendering();
    void keysAndStringsInPlaceOrUnescaped();
    void assumedUtcWarnsOnce();
    void explicitZoneEventTime();
    void malformedLineInMiddle();
    void truncatedLastLine();
    void lastLineWithoutNewline();
    void nonObjectLines();
    void emptyFile();
    void binaryGarbageFile();
    void garbageLineInMiddle();
    void invalidUtf8();
    void oneMegabyteCommandLine();
    void overlongLineRejected();
    void overlongLine64MiB();
    void missingHostOrEventId();
    void trailingContentAndBadNumbers();
    void xmlFedToJsonParser();
    void outOfRangeRecordNumber();
    void unrecognisedTimeFieldWarnsOnce();
};

void TstJsonParser::nxlogFixture()
{
    const std::string text = readFixture("json/nxlog_mordor_like.json");
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.warnings.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(6));
    const auto &e = r.sink.events;

    // Line 1: Security 4624, before the host's first Sysmon record; its time uses the offset
    // learned later from Sysmon (UtcTime 14:41:12.406 vs EventTime 09:41:12 -> +5 h).
    const RawEvent &a = e[0];
    QCOMPARE(a.position, int64_t(1));
    QCOMPARE(a.computer, std::string("FS01.contoso.local"));
    QCOMPARE(a.channel, std::string("Security"));
    QCOMPARE(a.provider, std::string("Microsoft-Windows-Security-Auditing"));
    QCOMPARE(a.eventId, 4624);
    QCOMPARE(a.recordId, int64_t(918273));
    QCOMPARE(iso(a.timeUs), std::string("2021-01-12T14:41:03.000000Z"));
    QCOMPARE(a.timeSource, TimeSource::LocalPlusOffset);
    QCOMPARE(fld(a, "TargetUserName"), std::string("alice"));
    QCOMPARE(fld(a, "IpAddress"), std::string("10.20.30.47"));
    QCOMPARE(fld(a, "LogonType"), std::string("3"));
    QCOMPARE(fld(a, "LogonProcessName"), std::string("NtLmSsp "));
    QCOMPARE(fld(a, "ElevatedToken"), std::string("%%1842"));
    QCOMPARE(a.fields.size(), size_t(27));
    QCOMPARE(sys(a, "Keywords"), std::string("0x8020000000000000"));
    QCOMPARE(sys(a, "Provider.Guid"), std::string("{54849625-5478-4994-A5BA-3E3B0328C30D}"));
    QCOMPARE(sys(a, "Version"), std::string("2"));
    QCOMPARE(sys(a, "Task"), std::string("12544"));
    QCOMPARE(sys(a, "Opcode"), std::string("0"));
    QCOMPARE(sys(a, "RenderingInfo.Opcode"), std::string("Info"));
    QCOMPARE(sys(a, "RenderingInfo.Task"), std::string("Logon"));
    QCOMPARE(sys(a, "RenderingInfo.Message"),
        std::string("An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-0-0"));
    QCOMPARE(sys(a, "Execution.ProcessID"), std::string("652"));
    QCOMPARE(sys(a, "Execution.ThreadID"), std::string("4120"));
    QCOMPARE(sys(a, "Correlation.ActivityID"), std::string("{2B7C3A19-E8F1-0003-6C3B-7C2BF1E8D601}"));
    QCOMPARE(sys(a, "EventTime"), std::string("2021-01-12 09:41:03"));
    QCOMPARE(sys(a, "EventReceivedTime"), std::string("2021-01-12 09:41:05"));
    QCOMPARE(sys(a, "@timestamp"), std::string("2021-01-12T14:41:05.218Z"));
    QCOMPARE(sys(a, "SeverityValue"), std::string("2"));
    QCOMPARE(sys(a, "EventType"), std::string("AUDIT_SUCCESS"));
    QCOMPARE(sys(a, "SourceModuleType"), std::string("im_msvistalog"));
    QCOMPARE(sys(a, "host"), std::string("wec01.contoso.local"));
    QCOMPARE(sys(a, "port"), std::string("51244"));
    QCOMPARE(sys(a, "tags"), std::string("[\"labCapture\"]"));
    QCOMPARE(sys(a, "@version"), std::string("1"));
    QVERIFY(!hasSys(a, "Hostname") && !a.hasField("Hostname") && !a.hasField("EventID"));
    QCOMPARE(a.originalFormat, std::string("json"));
    QCOMPARE(a.original, text.substr(0, text.find('\n')));

    // Line 2 (CRLF-terminated): 5145, escapes decoded.
    const RawEvent &b = e[1];
    QCOMPARE(b.position, int64_t(2));
    QCOMPARE(b.eventId, 5145);
    QCOMPARE(b.recordId, int64_t(918274));
    QCOMPARE(fld(b, "ShareName"), std::string("\\\\*\\C$"));
    QCOMPARE(fld(b, "RelativeTargetName"), std::string("Windows\\Temp\\svcupd.exe"));
    QCOMPARE(fld(b, "AccessList"), std::string("%%4417\r\n\t\t\t\t"));
    QCOMPARE(iso(b.timeUs), std::string("2021-01-12T14:41:04.000000Z"));
    QVERIFY(b.original.back() == '}'); // no CR kept
    QVERIFY(b.original.find('\r') == std::string::npos);

    // Line 3: Sysmon 1; UtcTime agrees with EventTime + offset.
    const RawEvent &c = e[2];
    QCOMPARE(c.position, int64_t(3));
    QCOMPARE(c.channel, std::string("Microsoft-Windows-Sysmon/Operational"));
    QCOMPARE(c.provider, std::string("Microsoft-Windows-Sysmon"));
    QCOMPARE(c.eventId, 1);
    QCOMPARE(c.recordId, int64_t(44120));
    QCOMPARE(iso(c.timeUs), std::string("2021-01-12T14:41:12.406000Z"));
    QCOMPARE(c.timeSource, TimeSource::SysmonUtcTime);
    QCOMPARE(fld(c, "UtcTime"), std::string("2021-01-12 14:41:12.406"));
    QCOMPARE(fld(c, "CommandLine"), std::string("C:\\Windows\\Temp\\svcupd.exe -k netsvcs"));
    QCOMPARE(fld(c, "ParentImage"), std::string("C:\\Windows\\System32\\services.exe"));
    QCOMPARE(fld(c, "User"), std::string("NT AUTHORITY\\SYSTEM"));
    QCOMPARE(sys(c, "Security.UserID"), std::string("S-1-5-18"));
    QCOMPARE(sys(c, "AccountName"), std::string("SYSTEM")); // NXLog's lookup of UserID: envelope
    QCOMPARE(sys(c, "Domain"), std::string("NT AUTHORITY"));
    QCOMPARE(sys(c, "AccountType"), std::string("User"));
    QVERIFY(!c.hasField("AccountName") && !c.hasField("Domain") && !c.hasField("UserID"));
    QCOMPARE(sys(c, "Keywords"), std::string("0x8000000000000000"));
    QCOMPARE(c.fields.size(), size_t(22));

    // Line 4: Sysmon 3 whose UtcTime is hours off: EventTime + offset.
    const RawEvent &d = e[3];
    QCOMPARE(d.position, int64_t(4));
    QCOMPARE(d.eventId, 3);
    QCOMPARE(iso(d.timeUs), std::string("2021-01-12T14:41:20.000000Z"));
    QCOMPARE(d.timeSource, TimeSource::LocalPlusOffset);
    QCOMPARE(fld(d, "DestinationPort"), std::string("445"));

    // Lines 5 and 6 are blank; line 7: Sysmon 11.
    const RawEvent &f = e[4];
    QCOMPARE(f.position, int64_t(7));
    QCOMPARE(f.eventId, 11);
    QCOMPARE(fld(f, "TargetFilename"), std::string("C:\\Windows\\Temp\\svcupd.exe"));
    QCOMPARE(iso(f.timeUs), std::string("2021-01-12T14:41:04.730000Z"));
    QCOMPARE(f.timeSource, TimeSource::SysmonUtcTime);

    // Line 8: DC01 has no Sysmon: offset learned from @timestamp (14:41:11.94 - 09:40:58 -> 5 h).
    const RawEvent &g = e[5];
    QCOMPARE(g.position, int64_t(8));
    QCOMPARE(g.computer, std::string("DC01.contoso.local"));
    QCOMPARE(g.recordId, int64_t(2210456));
    QCOMPARE(iso(g.timeUs), std::string("2021-01-12T14:40:58.000000Z"));
    QCOMPARE(g.timeSource, TimeSource::LocalPlusOffset);
    QCOMPARE(fld(g, "TargetUserName"), std::string("FS01$"));
}

void TstJsonParser::nxlogFixtureSmallBlocks()
{
    const std::string text = readFixture("json/nxlog_mordor_like.json");
    Result big, small;
    parseInto(text, big);
    parseInto(text, small, 64);
    QVERIFY(small.ok);
    QCOMPARE(small.sink.events.size(), big.sink.events.size());
    for (size_t i = 0; i < big.sink.events.size(); ++i) {
        QCOMPARE(small.sink.events[i].original, big.sink.events[i].original);
        QCOMPARE(small.sink.events[i].position, big.sink.events[i].position);
        QCOMPARE(small.sink.events[i].timeUs, big.sink.events[i].timeUs);
        QCOMPARE(small.sink.events[i].fields.size(), big.sink.events[i].fields.size());
    }
}

void TstJsonParser::winlogbeat7()
{
    const std::string text = readFixture("json/winlogbeat7.json");
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(2));
    const RawEvent &a = r.sink.events[0];
    QCOMPARE(a.position, int64_t(1));
    QCOMPARE(a.computer, std::string("WS07.contoso.local"));
    QCOMPARE(a.channel, std::string("Security"));
    QCOMPARE(a.provider, std::string("Microsoft-Windows-Security-Auditing"));
    QCOMPARE(a.eventId, 4624);
    QCOMPARE(a.recordId, int64_t(77125));
    QCOMPARE(iso(a.timeUs), std::string("2021-06-03T08:12:44.518000Z"));
    QCOMPARE(a.timeSource, TimeSource::SystemTimeUtc);
    QCOMPARE(a.fields.size(), size_t(11));
    QCOMPARE(fld(a, "TargetUserName"), std::string("bob"));
    QCOMPARE(fld(a, "IpAddress"), std::string("10.20.30.52"));
    QCOMPARE(fld(a, "LogonType"), std::string("3"));
    QCOMPARE(sys(a, "Provider.Guid"), std::string("{54849625-5478-4994-a5ba-3e3b0328c30d}"));
    QCOMPARE(sys(a, "Version"), std::string("2"));
    QCOMPARE(sys(a, "Execution.ProcessID"), std::string("708"));
    QCOMPARE(sys(a, "Execution.ThreadID"), std::string("3316"));
    QCOMPARE(sys(a, "Correlation.ActivityID"), std::string("{a7e3c1b2-55e0-0001-c3b1-e3a7e055d701}"));
    QCOMPARE(sys(a, "RenderingInfo.Keywords"), std::string("Audit Success"));
    QCOMPARE(sys(a, "RenderingInfo.Task"), std::string("Logon"));
    QCOMPARE(sys(a, "RenderingInfo.Opcode"), std::string("Info"));
    QCOMPARE(sys(a, "RenderingInfo.Level"), std::string("information"));
    QCOMPARE(sys(a, "RenderingInfo.Message"),
        std::string("An account was successfully logged on.\n\nSubject:\n\tSecurity ID:\t\tS-1-5-18"));
    QCOMPARE(sys(a, "winlog.logon.id"), std::string("0x9b0e22"));
    QCOMPARE(sys(a, "winlog.api"), std::string("wineventlog"));
    QCOMPARE(sys(a, "event.category"), std::string("[\"authentication\"]"));
    QCOMPARE(sys(a, "event.code"), std::string("4624"));
    QCOMPARE(sys(a, "agent.version"), std::string("7.12.1"));
    QCOMPARE(sys(a, "host.name"), std::string("WS07.contoso.local"));
    QCOMPARE(sys(a, "@metadata.beat"), std::string("winlogbeat"));
    QCOMPARE(a.original, text.substr(0, text.find('\n')));
    QCOMPARE(a.originalFormat, std::string("json"));

    const RawEvent &b = r.sink.events[1];
    QCOMPARE(b.position, int64_t(2));
    QCOMPARE(b.channel, std::string("Microsoft-Windows-Sysmon/Operational"));
    QCOMPARE(b.eventId, 3);
    QCOMPARE(b.recordId, int64_t(5512));
    QCOMPARE(sys(b, "Security.UserID"), std::string("S-1-5-18"));
    QCOMPARE(sys(b, "winlog.user.name"), std::string("SYSTEM"));
    QCOMPARE(fld(b, "UtcTime"), std::string("2021-06-03 08:12:44.871"));
    QCOMPARE(fld(b, "DestinationPort"), std::string("445"));
    QCOMPARE(fld(b, "User"), std::string("NT AUTHORITY\\SYSTEM"));
    QCOMPARE(iso(b.timeUs), std::string("2021-06-03T08:12:46.003000Z"));
}

void TstJsonParser::winlogbeat8()
{
    const std::string text = readFixture("json/winlogbeat8.json"); // BOM, CRLF, spaced separators
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(2));
    const RawEvent &a = r.sink.events[0];
    QCOMPARE(a.position, int64_t(1));
    QCOMPARE(a.computer, std::string("FS01.contoso.local")); // winlog.computer_name beats host.name
    QCOMPARE(a.eventId, 5145); // from a string
    QCOMPARE(a.recordId, int64_t(1183302)); // from a string
    QCOMPARE(a.channel, std::string("Security"));
    QCOMPARE(fld(a, "ShareName"), std::string("\\\\*\\ADMIN$"));
    QCOMPARE(fld(a, "RelativeTargetName"), std::string("PSEXESVC.exe"));
    QCOMPARE(fld(a, "AccessList"), std::string("%%4417\n\t\t\t\t"));
    QCOMPARE(sys(a, "host.os.build"), std::string("17763.3887"));
    QCOMPARE(iso(a.timeUs), std::string("2023-02-14T19:03:27.771000Z"));
    QVERIFY(a.original.rfind("{\"@timestamp\"", 0) == 0); // BOM not part of the record
    QVERIFY(a.original.back() == '}');

    const RawEvent &b = r.sink.events[1];
    QCOMPARE(b.position, int64_t(2));
    QCOMPARE(b.computer, std::string("rds01")); // no computer_name: host.name
    QCOMPARE(b.eventId, 21);
    QCOMPARE(b.recordId, int64_t(3391));
    QCOMPARE(b.channel, std::string("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"));
    QCOMPARE(b.fields.size(), size_t(3));
    QCOMPARE(b.fields[0].name, std::string("User"));
    QCOMPARE(b.fields[0].value, std::string("CONTOSO\\carol"));
    QCOMPARE(fld(b, "SessionID"), std::string("3"));
    QCOMPARE(fld(b, "Address"), std::string("10.20.30.61"));
    QVERIFY(!b.hasField("xml_name"));
    QCOMPARE(sys(b, "Security.UserID"), std::string("S-1-5-18"));
}

void TstJsonParser::valueRendering()
{
    const std::string text
        = nx("H1", 4688,
              R"(,"F":1.50,"E":-2e+10,"B":true,"C":false,"N":null,"O":{"a":[1, 2,{"b":"c\"d"}]},"A":[],"U":"\u00e9\ud83d\ude00","K":"")")
        + "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(1));
    const RawEvent &e = r.sink.events[0];
    QCOMPARE(fld(e, "F"), std::string("1.50"));
    QCOMPARE(fld(e, "E"), std::string("-2e+10"));
    QCOMPARE(fld(e, "B"), std::string("true"));
    QCOMPARE(fld(e, "C"), std::string("false"));
    QCOMPARE(fld(e, "N"), std::string(""));
    QCOMPARE(fld(e, "O"), std::string(R"({"a":[1,2,{"b":"c\"d"}]})"));
    QCOMPARE(fld(e, "A"), std::string("[]"));
    QCOMPARE(fld(e, "U"), std::string("\xC3\xA9\xF0\x9F\x98\x80"));
    QCOMPARE(fld(e, "K"), std::string(""));
    QCOMPARE(e.fields.size(), size_t(9));
}

// Keys and strings without a backslash are read in place, the others unescaped: both must give
// the same text, whatever the whitespace around the tokens.
void TstJsonParser::keysAndStringsInPlaceOrUnescaped()
{
    const std::string text
        = R"({ "Hostname" : "H1" , "EventID" : 4688 , "Channel":"Security", "EventTime":"2021-01-12 09:41:03",)"
          R"( "Plain" : "abc"  , "Path":"C:\\Windows\\x.exe", "Q":"say \"hi\"", "Tail\\":"\"",)"
          R"( "K\u0041y" : "v" , "Empty":"" ,"Uni":"\u00e9x" , "Sp" :	"a b"	})"
          "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(1));
    const RawEvent &e = r.sink.events[0];
    QCOMPARE(e.computer, std::string("H1"));
    QCOMPARE(e.eventId, 4688);
    QCOMPARE(e.channel, std::string("Security"));
    QCOMPARE(fld(e, "Plain"), std::string("abc"));
    QCOMPARE(fld(e, "Path"), std::string("C:\\Windows\\x.exe"));
    QCOMPARE(fld(e, "Q"), std::string("say \"hi\""));
    QCOMPARE(fld(e, "Tail\\"), std::string("\""));
    QCOMPARE(fld(e, "KAy"), std::string("v"));
    QCOMPARE(fld(e, "Empty"), std::string(""));
    QCOMPARE(fld(e, "Uni"), std::string("\xC3\xA9x"));
    QCOMPARE(fld(e, "Sp"), std::string("a b"));
    QCOMPARE(e.fields.size(), size_t(8));
}

void TstJsonParser::assumedUtcWarnsOnce()
{
    // EventTime without zone, no @timestamp, no Sysmon: taken as UTC, one warning per file.
    std::string text;
    text += R"({"Hostname":"H","EventID":4624,"Channel":"Security","EventTime":"2021-01-12 09:41:03"})"
            "\n";
    text += R"({"Hostname":"H","EventID":4625,"Channel":"Security","EventTime":"2021-01-12 09:41:04"})"
            "\n";
    // Winlogbeat-shaped line whose @timestamp has no zone.
    text
        += R"({"@timestamp":"2021-01-12 09:41:05","winlog":{"computer_name":"H","event_id":4634,"channel":"Security"}})"
           "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(3));
    for (const auto &e : r.sink.events)
        QCOMPARE(e.timeSource, TimeSource::AssumedUtc);
    QCOMPARE(iso(r.sink.events[0].timeUs), std::string("2021-01-12T09:41:03.000000Z"));
    QCOMPARE(iso(r.sink.events[2].timeUs), std::string("2021-01-12T09:41:05.000000Z"));
    QCOMPARE(r.sink.warnings.size(), size_t(1));

    // No time at all: kept, without time.
    Result n;
    parseInto(R"({"Hostname":"H","EventID":1})", n);
    QCOMPARE(n.sink.events.size(), size_t(1));
    QCOMPARE(n.sink.events[0].timeUs, tt::kNoTime);
    QCOMPARE(n.sink.events[0].timeSource, TimeSource::Unknown);
}

void TstJsonParser::explicitZoneEventTime()
{
    // A numeric zone on EventTime is trusted; "Z"-marked TimeCreated (exports without EventTime)
    // is treated like local time and corrected by the Sysmon-learned offset (Mordor 2020-12 sets).
    std::string text;
    text += R"({"Hostname":"H","EventID":4624,"EventTime":"2021-01-12T09:41:03-05:00"})"
            "\n";
    text
        += R"({"Hostname":"W","EventID":4624,"Channel":"Security","TimeCreated":"2020-12-19T06:59:28.410Z","@timestamp":"2020-12-19T06:59:28.410Z"})"
           "\n";
    text
        += R"({"Hostname":"W","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","SourceName":"Microsoft-Windows-Sysmon","TimeCreated":"2020-12-19T06:59:30.000Z","@timestamp":"2020-12-19T06:59:30.000Z","UtcTime":"2020-12-19 11:59:29.981"})"
           "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(iso(r.sink.events[0].timeUs), std::string("2021-01-12T14:41:03.000000Z"));
    QCOMPARE(r.sink.events[0].timeSource, TimeSource::ExplicitZone);
    QCOMPARE(iso(r.sink.events[1].timeUs), std::string("2020-12-19T11:59:28.410000Z"));
    QCOMPARE(r.sink.events[1].timeSource, TimeSource::LocalPlusOffset);
    QCOMPARE(iso(r.sink.events[2].timeUs), std::string("2020-12-19T11:59:29.981000Z"));
    QCOMPARE(r.sink.events[2].timeSource, TimeSource::SysmonUtcTime);
    QCOMPARE(sys(r.sink.events[1], "TimeCreated"), std::string("2020-12-19T06:59:28.410Z"));
    QCOMPARE(r.sink.warnings.size(), size_t(0));
}

void TstJsonParser::malformedLineInMiddle()
{
    const std::string text = nx("H1", 4624) + "\n" + nx("H1", 4625) + "\n" + R"({"Hostname":"H1","EventID":4624,)"
        + "\n" + nx("H1", 4634) + "\n";
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(3));
    QVERIFY(r.sink.rejects[0].reason.find("malformed JSON") != std::string::npos);
    QCOMPARE(r.sink.events[2].position, int64_t(4));
    QCOMPARE(r.sink.events[2].eventId, 4634);
}

void TstJsonParser::truncatedLastLine()
{
    std::string last = nx("H1", 4634);
    last.resize(last.size() / 2);
    const std::string text = nx("H1", 4624) + "\n" + nx("H1", 4625) + "\n" + last;
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(3));
}

void TstJsonParser::lastLineWithoutNewline()
{
    const std::string text = nx("H1", 4624) + "\r\n" + nx("H1", 4625);
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.events[1].original, nx("H1", 4625));
}

void TstJsonParser::nonObjectLines()
{
    const std::string text = nx("H1", 4624) + "\n[1,2,3]\n\"text\"\n42\nnull\n" + nx("H1", 4625) + "\n";
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(4));
    for (size_t i = 0; i < 4; ++i) {
        QCOMPARE(r.sink.rejects[i].position, int64_t(i + 2));
        QCOMPARE(r.sink.rejects[i].reason, std::string("not a JSON object"));
    }
    QCOMPARE(r.sink.events[1].position, int64_t(6));
}

void TstJsonParser::emptyFile()
{
    for (const std::string &text : {std::string(), std::string("\n\n  \r\n"), std::string("\xEF\xBB\xBF")}) {
        Result r;
        parseInto(text, r);
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(0));
        QCOMPARE(r.sink.rejects.size(), size_t(0));
        QCOMPARE(r.sink.warnings.size(), size_t(1));
    }
}

void TstJsonParser::binaryGarbageFile()
{
    std::string text;
    uint32_t x = 12345;
    for (int i = 0; i < 100000; ++i) {
        x = x * 1103515245u + 12345u;
        text.push_back(char(x >> 16));
    }
    text[0] = '\x7f';
    Result r;
    parseInto(text, r);
    QVERIFY(!r.ok);
    QCOMPARE(r.sink.events.size(), size_t(0));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(0));
}

void TstJsonParser::garbageLineInMiddle()
{
    const std::string garbage("\x01\x02\xff\xfe{\x00\x00\x9c}\x7f", 10);
    // (A NUL inside a line: "{" + "\x00}" as a const char * would stop at the NUL.)
    const std::string text
        = nx("H1", 4624) + "\n" + garbage + "\n" + std::string("{\x00}", 3) + "\n" + nx("H1", 4625) + "\n";
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(2));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QCOMPARE(r.sink.rejects[1].position, int64_t(3));
    QCOMPARE(r.sink.events[1].position, int64_t(4));
}

void TstJsonParser::invalidUtf8()
{
    // A cp1252 byte (0xE9) in a value: the record is kept with U+FFFD and a warning.
    const std::string text = nx("H1", 4624, ",\"TargetUserName\":\"ren\xE9\"") + "\n" + nx("H1", 4625) + "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(fld(r.sink.events[0], "TargetUserName"), std::string("ren\xEF\xBF\xBD"));
    QCOMPARE(r.sink.warnings.size(), size_t(1));
    QCOMPARE(r.sink.warnings[0].position, int64_t(1));
}

void TstJsonParser::oneMegabyteCommandLine()
{
    std::string cmd = "powershell.exe -enc ";
    while (cmd.size() < (size_t(1) << 20))
        cmd += "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA";
    cmd.resize(size_t(1) << 20);
    const std::string line
        = R"({"Hostname":"WS07","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","CommandLine":")" + cmd
        + R"(","Image":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"})";
    const std::string text = nx("H1", 4624) + "\n" + line + "\n" + nx("H1", 4625) + "\n";
    for (size_t block : {size_t(0), size_t(4096)}) {
        Result r;
        parseInto(text, r, block);
        QCOMPARE(r.sink.rejects.size(), size_t(0));
        QCOMPARE(r.sink.events.size(), size_t(3));
        QCOMPARE(r.sink.events[1].field("CommandLine").size(), size_t(1) << 20);
        QVERIFY(r.sink.events[1].field("CommandLine") == cmd);
        QCOMPARE(fld(r.sink.events[1], "Image"),
            std::string("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"));
        QCOMPARE(r.sink.events[1].original, line);
    }
}

void TstJsonParser::overlongLineRejected()
{
    const std::string longLine = nx("H1", 1, ",\"X\":\"" + std::string(5000, 'x') + "\"");
    const std::string text = nx("H1", 4624) + "\n" + longLine + "\n" + nx("H1", 4625) + "\n" + longLine;
    for (size_t block : {size_t(0), size_t(256)}) {
        Result r;
        parseInto(text, r, block, 1000);
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(r.sink.rejects.size(), size_t(2));
        QCOMPARE(r.sink.rejects[0].position, int64_t(2));
        QCOMPARE(r.sink.rejects[1].position, int64_t(4));
        QCOMPARE(r.sink.events[1].position, int64_t(3));
    }
}

void TstJsonParser::overlongLine64MiB()
{
    // The real limit: a line of 64 MiB + 1 byte is rejected (and not buffered whole).
    std::string text = nx("H1", 4624) + "\n";
    const std::string head = R"({"Hostname":"H1","EventID":1,"X":")";
    const size_t total = tt::JsonLinesParser::kDefaultMaxLineBytes + 1;
    text += head;
    text.append(total - head.size() - 2, 'x');
    text += "\"}\n";
    text += nx("H1", 4625) + "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QCOMPARE(r.sink.events[1].position, int64_t(3));
}

void TstJsonParser::missingHostOrEventId()
{
    const std::string text = nx("H1", 4624) + "\n" + R"({"EventID":4624,"Channel":"Security"})" + "\n"
        + R"({"Hostname":"H1","Channel":"Security"})" + "\n" + R"({"Hostname":"H1","EventID":"abc"})" + "\n"
        + R"({"Hostname":"H1","EventID":"4625"})" + "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.events[1].eventId, 4625);
    QCOMPARE(r.sink.rejects.size(), size_t(3));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QVERIFY(r.sink.rejects[0].reason.find("no host") != std::string::npos);
    QVERIFY(r.sink.rejects[1].reason.find("event id") != std::string::npos);
    QVERIFY(r.sink.rejects[2].reason.find("event id") != std::string::npos);
}

void TstJsonParser::trailingContentAndBadNumbers()
{
    const std::string text = nx("H1", 4624) + "\n" + nx("H1", 1) + " xyz\n" + nx("H1", 1) + nx("H1", 2) + "\n"
        + R"({"Hostname":"H1","EventID":4624,"X":12abc})" + "\n" + R"({"Hostname":"H1","EventID":4624,"X":01})" + "\n"
        + R"({"Hostname":"H1","EventID":4624,"X":tru})" + "\n" + R"({"Hostname":"H1","EventID":4624,"X":"\q"})" + "\n"
        + nx("H1", 4625) + "\n";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(6));
    for (size_t i = 0; i < r.sink.rejects.size(); ++i)
        QCOMPARE(r.sink.rejects[i].position, int64_t(i + 2));
}

void TstJsonParser::xmlFedToJsonParser()
{
    QFile f(tt::test::fixturesDir() + "/xml/wevtutil_security.xml");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray b = f.readAll();
    Result r;
    parseInto(std::string(b.constData(), size_t(b.size())), r);
    QVERIFY(!r.ok);
    QCOMPARE(r.sink.events.size(), size_t(0));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(0));
}

// A RecordNumber / winlog.record_id past INT64_MAX keeps its line, without a record number, and
// says so with the line number (never signed overflow); INT64_MAX itself is a record number.
void TstJsonParser::outOfRangeRecordNumber()
{
    Result r;
    parseInto(nx("H1", 4624, R"(,"RecordNumber":9999999999999999999)") + "\n"
            + nx("H1", 4624, R"(,"RecordNumber":"9223372036854775807")") + "\n"
            + nx("H1", 4624, R"(,"RecordNumber":-5)") + "\n",
        r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(r.sink.events[0].recordId, int64_t(-1));
    QCOMPARE(r.sink.events[1].recordId, std::numeric_limits<int64_t>::max());
    QCOMPARE(r.sink.events[2].recordId, int64_t(-1));
    Result wlb;
    parseInto(
        R"({"@timestamp":"2021-01-12T14:41:05.218Z","winlog":{"computer_name":"H2","event_id":4624,"channel":"Security","record_id":99999999999999999999}})"
        "\n",
        wlb);
    QVERIFY(wlb.ok);
    QCOMPARE(wlb.sink.events.size(), size_t(1));
    QCOMPARE(wlb.sink.events[0].recordId, int64_t(-1));
    std::vector<tt::test::Reject> numberWarnings;
    for (const auto *sink : {&r.sink, &wlb.sink})
        for (const auto &w : sink->warnings)
            if (w.reason.find("record number") != std::string::npos)
                numberWarnings.push_back(w);
    QCOMPARE(numberWarnings.size(), size_t(3));
    QCOMPARE(numberWarnings[0].position, int64_t(1));
    QCOMPARE(numberWarnings[0].reason,
        std::string("RecordNumber '9999999999999999999' is not a record number from 0 to 9223372036854775807: record "
                    "kept without it"));
    QCOMPARE(numberWarnings[1].position, int64_t(3));
    QCOMPARE(numberWarnings[2].position, int64_t(1));
    QVERIFY(numberWarnings[2].reason.find("winlog.record_id '99999999999999999999'") == 0);
}

// Records whose only time field is not one the format documents (UtcTime on a Security record)
// are stored without a time, and the file says so once with the field names seen; Sysmon's
// UtcTime (UTC by Sysmon's documentation) dates its record.
void TstJsonParser::unrecognisedTimeFieldWarnsOnce()
{
    Result r;
    parseInto(
        std::string(R"({"Hostname":"H1","EventID":4624,"Channel":"Security","UtcTime":"2021-01-12 09:41:03.123"})")
            + "\n"
            + R"({"Hostname":"H1","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","UtcTime":"2021-01-12 09:41:04.500"})"
            + "\n" + R"({"Hostname":"H1","EventID":4634,"Channel":"Security","LogonDate":"yesterday","UtcTime":"x"})"
            + "\n",
        r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(r.sink.events[0].timeUs, tt::kNoTime);
    QCOMPARE(iso(r.sink.events[1].timeUs), std::string("2021-01-12T09:41:04.500000Z"));
    QVERIFY(r.sink.events[1].timeSource == TimeSource::SysmonUtcTime);
    QCOMPARE(r.sink.events[2].timeUs, tt::kNoTime);
    QCOMPARE(r.sink.warnings.size(), size_t(1));
    QCOMPARE(r.sink.warnings[0].position, int64_t(1));
    QCOMPARE(r.sink.warnings[0].reason,
        std::string("2 record(s) stored without a time: no recognised time field (time-like fields seen: UtcTime, "
                    "LogonDate; recognised: EventTime, TimeCreated, @timestamp, and UtcTime on Sysmon records)"));
}

QTEST_APPLESS_MAIN(TstJsonParser)
#include "tst_json_parser.moc"
