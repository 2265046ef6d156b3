// Tests of tt::WinXmlParser on hand-written fixtures (tests/fixtures/xml) and bad input.

#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/TimeUtil.h"
#include "xml/WinXmlParser.h"

#include <QFile>
#include <QtTest>

#include <chrono>
#include <string>

using tt::RawEvent;
using tt::TimeSource;
using tt::test::CollectingSink;
using tt::test::fld;
using tt::test::hasSys;
using tt::test::readFixture;
using tt::test::sys;

namespace {

const char *kNs = "http://schemas.microsoft.com/win/2004/08/events/event";

struct Result {
    bool ok = false;
    CollectingSink sink;
};

void parseInto(const std::string &text, Result &r, size_t block = 0, size_t maxRecord = 0)
{
    tt::WinXmlParser p;
    if (block)
        p.setBlockSize(block);
    if (maxRecord)
        p.setMaxRecordBytes(maxRecord);
    tt::MemorySource src(text);
    r.ok = p.parse(src, r.sink);
}

std::string iso(int64_t us)
{
    return tt::timeutil::formatIsoUtc(us);
}

// A small well-formed event.
std::string ev(int id, int rec, const std::string &data = "<Data Name='X'>1</Data>",
    const std::string &time = "2021-01-12T14:41:03.5550731Z")
{
    return std::string("<Event xmlns='") + kNs + "'><System><Provider Name='P'/><EventID>" + std::to_string(id)
        + "</EventID><TimeCreated SystemTime='" + time + "'/><EventRecordID>" + std::to_string(rec)
        + "</EventRecordID><Channel>Security</Channel><Computer>H1</Computer></System><EventData>" + data
        + "</EventData></Event>";
}

std::string toUtf16(const std::string &utf8, bool bigEndian, bool bom)
{
    const QString s = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    std::string out;
    if (bom)
        out += bigEndian ? std::string("\xFE\xFF") : std::string("\xFF\xFE");
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (bigEndian) {
            out.push_back(char(u >> 8));
            out.push_back(char(u & 0xFF));
        } else {
            out.push_back(char(u & 0xFF));
            out.push_back(char(u >> 8));
        }
    }
    return out;
}

} // namespace

class TstXmlParser : public QObject {
    Q_OBJECT
private slots:
    void wevtutil();
    void eventViewerSaveAs();
    void userData();
    void utf16();
    void smallBlocksSameResult();
    void zonelessSystemTime();
    void invalidRecordBetweenGoodOnes();
    void unclosedLastEvent();
    void unclosedEventInMiddle();
    void entityBomb();
    void deepNesting();
    void oversizedRecord();
    void invalidUtf8();
    void commentsAndCdata();
    void missingSystemOrEventId();
    void jsonFedToXmlParser();
    void emptyAndGarbage();
    void outOfRangeRecordId();
    void throughput();
};

void TstXmlParser::wevtutil()
{
    const std::string text = readFixture("xml/wevtutil_security.xml");
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.warnings.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(3));

    const RawEvent &a = r.sink.events[0];
    QCOMPARE(a.position, int64_t(1));
    QCOMPARE(a.computer, std::string("FS01.contoso.local"));
    QCOMPARE(a.channel, std::string("Security"));
    QCOMPARE(a.provider, std::string("Microsoft-Windows-Security-Auditing"));
    QCOMPARE(a.eventId, 4624);
    QCOMPARE(a.recordId, int64_t(918273));
    QCOMPARE(iso(a.timeUs), std::string("2021-01-12T14:41:03.555073Z"));
    QCOMPARE(a.timeSource, TimeSource::SystemTimeUtc);
    QCOMPARE(a.fields.size(), size_t(27));
    QCOMPARE(a.fields[0].name, std::string("SubjectUserSid"));
    QCOMPARE(a.fields[0].value, std::string("S-1-0-0"));
    QCOMPARE(fld(a, "TargetUserName"), std::string("alice"));
    QCOMPARE(fld(a, "IpAddress"), std::string("10.20.30.47"));
    QCOMPARE(fld(a, "LogonProcessName"), std::string("NtLmSsp "));
    QCOMPARE(fld(a, "ElevatedToken"), std::string("%%1842"));
    QCOMPARE(sys(a, "Provider.Guid"), std::string("{54849625-5478-4994-a5ba-3e3b0328c30d}"));
    QCOMPARE(sys(a, "Version"), std::string("2"));
    QCOMPARE(sys(a, "Level"), std::string("0"));
    QCOMPARE(sys(a, "Task"), std::string("12544"));
    QCOMPARE(sys(a, "Opcode"), std::string("0"));
    QCOMPARE(sys(a, "Keywords"), std::string("0x8020000000000000"));
    QCOMPARE(sys(a, "TimeCreated"), std::string("2021-01-12T14:41:03.5550731Z"));
    QCOMPARE(sys(a, "Correlation.ActivityID"), std::string("{2B7C3A19-E8F1-0003-6C3B-7C2BF1E8D601}"));
    QCOMPARE(sys(a, "Execution.ProcessID"), std::string("652"));
    QCOMPARE(sys(a, "Execution.ThreadID"), std::string("4120"));
    QCOMPARE(sys(a, "Security.UserID"), std::string("<absent>"));
    QCOMPARE(a.system.size(), size_t(10));
    QCOMPARE(a.originalFormat, std::string("xml"));
    QCOMPARE(a.original, text.substr(0, text.find("\r\n")));

    const RawEvent &b = r.sink.events[1];
    QCOMPARE(b.position, int64_t(2));
    QCOMPARE(b.eventId, 5145);
    QCOMPARE(b.recordId, int64_t(918274));
    QCOMPARE(fld(b, "ShareName"), std::string("\\\\*\\C$"));
    QCOMPARE(fld(b, "ShareLocalPath"), std::string("\\??\\C:\\"));
    QCOMPARE(fld(b, "RelativeTargetName"), std::string("Windows\\Temp\\svcupd.exe"));
    QCOMPARE(fld(b, "AccessList"), std::string("%%4417\n\t\t\t\t"));
    QCOMPARE(iso(b.timeUs), std::string("2021-01-12T14:41:04.012985Z"));

    const RawEvent &c = r.sink.events[2];
    QCOMPARE(c.position, int64_t(3));
    QCOMPARE(c.eventId, 7045);
    QCOMPARE(c.channel, std::string("System"));
    QCOMPARE(c.provider, std::string("Service Control Manager"));
    QCOMPARE(sys(c, "EventID.Qualifiers"), std::string("16384"));
    QCOMPARE(sys(c, "Provider.EventSourceName"), std::string("Service Control Manager"));
    QCOMPARE(sys(c, "Security.UserID"), std::string("S-1-5-21-1111111111-2222222222-3333333333-1104"));
    QCOMPARE(fld(c, "ImagePath"), std::string("%SystemRoot%\\Temp\\svcupd.exe -k netsvcs"));
    QCOMPARE(fld(c, "ServiceName"), std::string("svcupd"));
}

void TstXmlParser::eventViewerSaveAs()
{
    const std::string text = readFixture("xml/eventviewer_saveas.xml");
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(3));

    const RawEvent &a = r.sink.events[0];
    QCOMPARE(a.eventId, 1);
    QCOMPARE(a.channel, std::string("Microsoft-Windows-Sysmon/Operational"));
    QCOMPARE(a.recordId, int64_t(44120));
    QCOMPARE(iso(a.timeUs), std::string("2021-01-12T14:41:12.406883Z"));
    QCOMPARE(fld(a, "CommandLine"), std::string("\"C:\\Windows\\Temp\\svcupd.exe\" -k netsvcs & echo <done>"));
    QCOMPARE(fld(a, "UtcTime"), std::string("2021-01-12 14:41:12.406"));
    QCOMPARE(a.fields.size(), size_t(8));
    QCOMPARE(sys(a, "Security.UserID"), std::string("S-1-5-18"));
    QCOMPARE(sys(a, "RenderingInfo.Culture"), std::string("en-US"));
    QCOMPARE(sys(a, "RenderingInfo.Message"),
        std::string("Process Create:\r\nRuleName: -\r\nUtcTime: 2021-01-12 14:41:12.406"));
    QCOMPARE(sys(a, "RenderingInfo.Level"), std::string("Information"));
    QCOMPARE(sys(a, "RenderingInfo.Task"), std::string("Process Create (rule: ProcessCreate)"));
    QCOMPARE(sys(a, "RenderingInfo.Opcode"), std::string("Info"));
    QCOMPARE(sys(a, "RenderingInfo.Channel"), std::string("Microsoft-Windows-Sysmon/Operational"));
    QCOMPARE(sys(a, "RenderingInfo.Provider"), std::string(""));
    QCOMPARE(sys(a, "RenderingInfo.Keywords"), std::string(""));
    QVERIFY(a.original.rfind("<Event xmlns=", 0) == 0);
    QVERIFY(a.original.size() > 8 && a.original.compare(a.original.size() - 8, 8, "</Event>") == 0);

    // Pretty-printed record: indentation is not data.
    const RawEvent &b = r.sink.events[1];
    QCOMPARE(b.eventId, 11);
    QCOMPARE(b.computer, std::string("FS01.contoso.local"));
    QCOMPARE(b.recordId, int64_t(44122));
    QCOMPARE(fld(b, "TargetFilename"), std::string("C:\\Windows\\Temp\\svcupd.exe"));
    QCOMPARE(b.fields.size(), size_t(7));
    QCOMPARE(sys(b, "Execution.ThreadID"), std::string("3612"));
    QCOMPARE(sys(b, "RenderingInfo.Keywords"), std::string("Audit Success; Classic"));
    QCOMPARE(sys(b, "RenderingInfo.Message"), std::string("File created:"));
    QCOMPARE(iso(b.timeUs), std::string("2021-01-12T14:41:04.731220Z"));

    // Classic provider: unnamed Data -> Data1.., Binary upper-case hex.
    const RawEvent &c = r.sink.events[2];
    QCOMPARE(c.eventId, 11707);
    QCOMPARE(c.provider, std::string("MsiInstaller"));
    QCOMPARE(sys(c, "EventID.Qualifiers"), std::string("0"));
    QCOMPARE(sys(c, "Provider.Guid"), std::string("<absent>"));
    QCOMPARE(c.fields.size(), size_t(4));
    QCOMPARE(c.fields[0].name, std::string("Data1"));
    QCOMPARE(c.fields[0].value, std::string("Product: Remote Support Agent -- Installation completed successfully."));
    QCOMPARE(fld(c, "Data2"), std::string("(NULL)"));
    QCOMPARE(fld(c, "Data3"), std::string(""));
    QCOMPARE(
        fld(c, "Binary"), std::string("7B34314131444642312D413341302D344133332D423945392D3741393130303337333343367D"));
    QCOMPARE(sys(c, "RenderingInfo.Keywords"), std::string("Classic"));
}

void TstXmlParser::userData()
{
    const std::string text = readFixture("xml/userdata_rdp.xml");
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(2));
    const RawEvent &a = r.sink.events[0];
    QCOMPARE(a.eventId, 21);
    QCOMPARE(a.channel, std::string("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"));
    QCOMPARE(a.computer, std::string("RDS01.contoso.local"));
    QCOMPARE(a.recordId, int64_t(3391));
    QCOMPARE(a.fields.size(), size_t(3));
    QCOMPARE(a.fields[0].name, std::string("User"));
    QCOMPARE(a.fields[0].value, std::string("CONTOSO\\carol"));
    QCOMPARE(fld(a, "SessionID"), std::string("3"));
    QCOMPARE(fld(a, "Address"), std::string("10.20.30.61"));
    QCOMPARE(iso(a.timeUs), std::string("2023-02-14T19:05:10.002144Z"));

    const RawEvent &b = r.sink.events[1];
    QCOMPARE(b.eventId, 1102);
    QCOMPARE(fld(b, "SubjectUserName"), std::string("Administrator"));
    QCOMPARE(fld(b, "SubjectLogonId"), std::string("0x4d2f1"));
    QCOMPARE(fld(b, "Client.Address"), std::string("10.20.30.61"));
    QCOMPARE(fld(b, "Client.Address.Port"), std::string("3389"));
    QCOMPARE(b.fields.size(), size_t(6));
}

void TstXmlParser::utf16()
{
    const std::string le = readFixture("xml/utf16_sysmon.xml"); // UTF-16LE with BOM
    Result r;
    parseInto(le, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(1));
    const RawEvent &a = r.sink.events[0];
    QCOMPARE(a.eventId, 11);
    QCOMPARE(a.recordId, int64_t(81234));
    QCOMPARE(a.computer, std::string("PC-M\xC3\x9CNCHEN-04"));
    QCOMPARE(fld(a, "TargetFilename"),
        std::string("C:\\Users\\j\xC3\xBCrgen.wei\xC3\x9F\\Desktop\\\xC3\x9C"
                    "berweisung \xF0\x9F\x93\x84.pdf.exe"));
    QCOMPARE(iso(a.timeUs), std::string("2022-11-30T07:15:42.118002Z"));
    QVERIFY(a.original.rfind("<Event xmlns=", 0) == 0); // stored as UTF-8

    // The same record as UTF-16BE with BOM, and UTF-16LE without BOM.
    const std::string utf8 = a.original;
    for (auto [be, bom] : {std::pair {true, true}, std::pair {false, false}, std::pair {true, false}}) {
        Result o;
        parseInto(toUtf16(utf8 + "\r\n" + utf8, be, bom), o, 33); // odd block size splits code units
        QVERIFY(o.ok);
        QCOMPARE(o.sink.rejects.size(), size_t(0));
        QCOMPARE(o.sink.events.size(), size_t(2));
        QCOMPARE(o.sink.events[1].original, utf8);
        QCOMPARE(o.sink.events[1].position, int64_t(2));
    }
}

void TstXmlParser::smallBlocksSameResult()
{
    for (const char *name :
        {"wevtutil_security.xml", "eventviewer_saveas.xml", "userdata_rdp.xml", "utf16_sysmon.xml"}) {
        const std::string text = readFixture(QStringLiteral("xml/") + name);
        Result big, small;
        parseInto(text, big);
        parseInto(text, small, 16);
        QVERIFY(small.ok);
        QCOMPARE(small.sink.events.size(), big.sink.events.size());
        QCOMPARE(small.sink.rejects.size(), size_t(0));
        for (size_t i = 0; i < big.sink.events.size(); ++i) {
            QCOMPARE(small.sink.events[i].original, big.sink.events[i].original);
            QCOMPARE(small.sink.events[i].fields.size(), big.sink.events[i].fields.size());
            QCOMPARE(small.sink.events[i].timeUs, big.sink.events[i].timeUs);
        }
    }
}

void TstXmlParser::zonelessSystemTime()
{
    const std::string text
        = ev(4624, 1, "", "2021-01-12T14:41:03.5") + ev(4625, 2, "", "2021-01-12 14:41:04") + ev(4634, 3);
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(r.sink.events[0].timeSource, TimeSource::AssumedUtc);
    QCOMPARE(iso(r.sink.events[0].timeUs), std::string("2021-01-12T14:41:03.500000Z"));
    QCOMPARE(r.sink.events[1].timeSource, TimeSource::AssumedUtc);
    QCOMPARE(r.sink.events[2].timeSource, TimeSource::SystemTimeUtc);
    QCOMPARE(r.sink.warnings.size(), size_t(1));
    QCOMPARE(r.sink.warnings[0].position, int64_t(1));
}

void TstXmlParser::invalidRecordBetweenGoodOnes()
{
    const std::string bad = std::string("<Event xmlns='") + kNs
        + "'><System><EventID>4624</EventID><Computer>H1</Computer></System><EventData><Data "
          "Name='A'>x</Dat></EventData></Event>";
    const std::string text = "<Events>\n" + ev(4624, 1) + "\n" + bad + "\n" + ev(4625, 3) + "\n</Events>\n";
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QVERIFY(r.sink.rejects[0].reason.find("malformed XML") != std::string::npos);
    QCOMPARE(r.sink.events[1].position, int64_t(3));
    QCOMPARE(r.sink.events[1].eventId, 4625);
}

void TstXmlParser::unclosedLastEvent()
{
    std::string last = ev(4634, 3);
    last.resize(last.size() - 30);
    const std::string text = ev(4624, 1) + "\n" + ev(4625, 2) + "\n" + last;
    Result r;
    parseInto(text, r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(3));
    QVERIFY(r.sink.rejects[0].reason.find("unclosed") != std::string::npos);
}

void TstXmlParser::unclosedEventInMiddle()
{
    std::string cut = ev(4625, 2);
    cut.resize(cut.size() / 2);
    const std::string text = ev(4624, 1) + cut + ev(4634, 3) + ev(4647, 4);
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QCOMPARE(r.sink.events[1].position, int64_t(3));
    QCOMPARE(r.sink.events[2].eventId, 4647);
}

void TstXmlParser::entityBomb()
{
    // Billion laughs in the prolog: the DTD is never read; the record using it is rejected.
    std::string dtd = "<?xml version='1.0'?>\n<!DOCTYPE Events [\n <!ENTITY lol \"lol\">\n";
    std::string prev = "lol";
    for (int i = 1; i <= 9; ++i) {
        const std::string name = "lol" + std::to_string(i);
        std::string def;
        for (int k = 0; k < 10; ++k)
            def += "&" + prev + ";";
        dtd += " <!ENTITY " + name + " \"" + def + "\">\n";
        prev = name;
    }
    dtd += "]>\n";
    const std::string text
        = dtd + "<Events>" + ev(4624, 1) + ev(4625, 2, "<Data Name='X'>&lol9;</Data>") + ev(4634, 3) + "</Events>";
    const auto t0 = std::chrono::steady_clock::now();
    Result r;
    parseInto(text, r);
    QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    QVERIFY(r.ok);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));

    // A DOCTYPE / entity declaration inside a record: rejected as well.
    const std::string inside
        = ev(4624, 1) + "<Event><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]><System/></Event>" + ev(4625, 3);
    Result r2;
    parseInto(inside, r2);
    QCOMPARE(r2.sink.events.size(), size_t(2));
    QCOMPARE(r2.sink.rejects.size(), size_t(1));
    QCOMPARE(r2.sink.rejects[0].position, int64_t(2));
}

void TstXmlParser::deepNesting()
{
    std::string deep;
    for (int i = 0; i < 5000; ++i)
        deep += "<a>";
    deep += "x";
    for (int i = 0; i < 5000; ++i)
        deep += "</a>";
    const std::string bad = std::string("<Event xmlns='") + kNs
        + "'><System><EventID>1</EventID><Computer>H1</Computer></System><UserData><W>" + deep
        + "</W></UserData></Event>";
    const std::string text = ev(4624, 1) + bad + ev(4625, 3);
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QVERIFY(r.sink.rejects[0].reason.find("deeper") != std::string::npos);
}

void TstXmlParser::oversizedRecord()
{
    const std::string big
        = ev(4688, 2, "<Data Name='CommandLine'>" + std::string(10000, 'A') + "</Data><Data Name='Y'>2</Data>");
    const std::string text = ev(4624, 1) + "\n" + big + "\n" + ev(4625, 3) + "\n";
    for (size_t block : {size_t(0), size_t(100)}) {
        Result r;
        parseInto(text, r, block, 2000);
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(r.sink.rejects.size(), size_t(1));
        QCOMPARE(r.sink.rejects[0].position, int64_t(2));
        QCOMPARE(r.sink.events[1].position, int64_t(3));
        QCOMPARE(r.sink.events[1].eventId, 4625);
    }
    // Without the limit the same record parses (a 1 MB value works).
    const std::string huge = ev(4688, 1, "<Data Name='CommandLine'>" + std::string(1 << 20, 'B') + "</Data>");
    Result h;
    parseInto(huge, h);
    QCOMPARE(h.sink.events.size(), size_t(1));
    QCOMPARE(h.sink.events[0].field("CommandLine").size(), size_t(1) << 20);
}

void TstXmlParser::invalidUtf8()
{
    const std::string text = ev(4624, 1, "<Data Name='TargetUserName'>ren\xE9</Data>") + ev(4625, 2);
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(fld(r.sink.events[0], "TargetUserName"), std::string("ren\xEF\xBF\xBD"));
    QCOMPARE(r.sink.warnings.size(), size_t(1));
}

void TstXmlParser::commentsAndCdata()
{
    const std::string text = "<!-- exported <Event> list -->\n<Events>" + ev(4624, 1)
        + "<!-- <Event> in a comment between records -->"
        + ev(4625, 2, "<Data Name='Script'><![CDATA[if (a <Event b) { x = \"</Event>\"; }]]></Data><!-- </Event> -->")
        + ev(4634, 3) + "</Events>";
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(3));
    QCOMPARE(fld(r.sink.events[1], "Script"), std::string("if (a <Event b) { x = \"</Event>\"; }"));
}

void TstXmlParser::missingSystemOrEventId()
{
    const std::string text = ev(4624, 1) + "<Event><EventData/></Event>"
        + "<Event><System><EventID>abc</EventID></System></Event>" + "<Event/>" + ev(4625, 5);
    Result r;
    parseInto(text, r);
    QCOMPARE(r.sink.events.size(), size_t(2));
    QCOMPARE(r.sink.rejects.size(), size_t(3));
    QCOMPARE(r.sink.rejects[0].position, int64_t(2));
    QCOMPARE(r.sink.rejects[1].position, int64_t(3));
    QCOMPARE(r.sink.rejects[2].position, int64_t(4));
    QCOMPARE(r.sink.events[1].position, int64_t(5));
}

void TstXmlParser::jsonFedToXmlParser()
{
    QFile f(tt::test::fixturesDir() + "/json/nxlog_mordor_like.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray b = f.readAll();
    Result r;
    parseInto(std::string(b.constData(), size_t(b.size())), r);
    QVERIFY(!r.ok);
    QCOMPARE(r.sink.events.size(), size_t(0));
    QCOMPARE(r.sink.rejects.size(), size_t(1));
    QCOMPARE(r.sink.rejects[0].position, int64_t(0));

    // Other XML without any <Event>.
    Result o;
    parseInto("<?xml version='1.0'?><html><body>hello</body></html>", o);
    QVERIFY(!o.ok);
    QCOMPARE(o.sink.rejects.size(), size_t(1));
    QCOMPARE(o.sink.rejects[0].position, int64_t(0));
}

void TstXmlParser::emptyAndGarbage()
{
    for (const std::string &text : {std::string(), std::string(" \r\n\t"), std::string("\xEF\xBB\xBF")}) {
        Result r;
        parseInto(text, r);
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(0));
        QCOMPARE(r.sink.rejects.size(), size_t(0));
        QCOMPARE(r.sink.warnings.size(), size_t(1));
    }
    std::string garbage;
    uint32_t x = 99;
    for (int i = 0; i < 50000; ++i) {
        x = x * 1103515245u + 12345u;
        garbage.push_back(char(x >> 16));
    }
    garbage[0] = 'G';
    Result g;
    parseInto(garbage, g);
    QVERIFY(!g.ok);
    QCOMPARE(g.sink.events.size(), size_t(0));
    QCOMPARE(g.sink.rejects.size(), size_t(1));
    QCOMPARE(g.sink.rejects[0].position, int64_t(0));
}

void TstXmlParser::throughput()
{
    // Records/s on wevtutil-like Security records (printed, not asserted: machine dependent).
    const std::string one = readFixture("xml/wevtutil_security.xml");
    std::string text;
    while (text.size() < (size_t(32) << 20))
        text += one;
    tt::WinXmlParser p;
    CollectingSink sink;
    sink.keepEvents = false;
    tt::MemorySource src(text);
    const auto t0 = std::chrono::steady_clock::now();
    QVERIFY(p.parse(src, sink));
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    QCOMPARE(sink.rejects.size(), size_t(0));
    qInfo("winxml: %llu records, %.1f MB in %.3f s: %.0f records/s, %.0f MB/s",
        static_cast<unsigned long long>(sink.count), text.size() / 1e6, dt, double(sink.count) / dt,
        text.size() / 1e6 / dt);
}

// An EventRecordID past INT64_MAX (19 and 20 digits, negative) keeps its record, without a record
// number, and says so with the record's position; INT64_MAX itself is a record number.
void TstXmlParser::outOfRangeRecordId()
{
    auto withId = [](const std::string &id) {
        std::string e = ev(4624, 1);
        const std::string from = "<EventRecordID>1</EventRecordID>";
        return e.replace(e.find(from), from.size(), "<EventRecordID>" + id + "</EventRecordID>");
    };
    Result r;
    parseInto("<Events>" + withId("9999999999999999999") + withId("9223372036854775807")
            + withId("18446744073709551616") + withId("-1") + "</Events>",
        r);
    QVERIFY(r.ok);
    QCOMPARE(r.sink.rejects.size(), size_t(0));
    QCOMPARE(r.sink.events.size(), size_t(4));
    QCOMPARE(r.sink.events[0].recordId, int64_t(-1));
    QCOMPARE(r.sink.events[1].recordId, std::numeric_limits<int64_t>::max());
    QCOMPARE(r.sink.events[2].recordId, int64_t(-1));
    QCOMPARE(r.sink.events[3].recordId, int64_t(-1));
    QCOMPARE(r.sink.warnings.size(), size_t(3));
    QCOMPARE(r.sink.warnings[0].position, int64_t(1));
    QCOMPARE(r.sink.warnings[0].reason,
        std::string("EventRecordID '9999999999999999999' is not a record number from 0 to 9223372036854775807: "
                    "record kept without it"));
    QCOMPARE(r.sink.warnings[1].position, int64_t(3));
    QVERIFY(r.sink.warnings[1].reason.find("'18446744073709551616'") != std::string::npos);
    QCOMPARE(r.sink.warnings[2].position, int64_t(4));
}

QTEST_APPLESS_MAIN(TstXmlParser)
#include "tst_xml_parser.moc"
