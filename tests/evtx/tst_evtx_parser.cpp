// Unit tests of the EVTX parser on files produced by EvtxTestWriter, and bad input derived
// from them (truncation, bad signatures, checksums, offsets, nesting, random damage).

#include "EvtxTestWriter.h"
#include "TestSupport.h"
#include "core/FileSource.h"
#include "evtx/EvtxChunk.h"
#include "evtx/EvtxParser.h"

#include <QtTest>

#include <cstdio>
#include <cstring>
#include <random>

using tt::test::CollectingSink;
using tt::test::sys;
using W = tt::test::EvtxTestWriter;

namespace {

constexpr uint64_t kFt = 132380052345678901ULL; // 2020-06-30T15:40:34.5678901Z
constexpr int64_t kFtUs = 1593531634567890LL;
const uint8_t kGuid[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
const char *kGuidText = "{03020100-0504-0706-0809-0A0B0C0D0E0F}";

// The <System> part shared by the templates: substitutions 0..15.
W::Element systemElement(bool qualifiers)
{
    W::Element sys {"System"};
    sys.child(W::Element {"Provider"}.attr("Name", W::sub(0, 0x01)).attr("Guid", W::sub(1, 0x0f)));
    W::Element eid {"EventID"};
    if (qualifiers)
        eid.attr("Qualifiers", W::optSub(16, 0x06));
    eid.add(W::sub(2, 0x06));
    sys.child(eid);
    sys.child(W::Element {"Version"}.add(W::sub(3, 0x04)));
    sys.child(W::Element {"Level"}.add(W::sub(4, 0x04)));
    sys.child(W::Element {"Task"}.add(W::sub(5, 0x06)));
    sys.child(W::Element {"Opcode"}.add(W::sub(6, 0x04)));
    sys.child(W::Element {"Keywords"}.add(W::sub(7, 0x15)));
    sys.child(W::Element {"TimeCreated"}.attr("SystemTime", W::sub(8, 0x11)));
    sys.child(W::Element {"EventRecordID"}.add(W::sub(9, 0x0a)));
    sys.child(W::Element {"Correlation"}
                  .attr("ActivityID", W::optSub(10, 0x0f))
                  .attr("RelatedActivityID", W::optSub(17, 0x0f)));
    sys.child(W::Element {"Execution"}.attr("ProcessID", W::sub(11, 0x08)).attr("ThreadID", W::sub(12, 0x08)));
    sys.child(W::Element {"Channel"}.add(W::sub(13, 0x01)));
    sys.child(W::Element {"Computer"}.add(W::sub(14, 0x01)));
    sys.child(W::Element {"Security"}.attr("UserID", W::optSub(15, 0x13)));
    return sys;
}

std::vector<W::Value> systemValues(
    const char *provider, uint16_t eventId, uint64_t recordId, const char *channel, bool withActivity = true)
{
    return {W::str(provider), W::guid(kGuid), W::u16(eventId), W::u8(2), W::u8(0), W::u16(12544), W::u8(0),
        W::hex64(0x8020000000000000ULL), W::fileTime(kFt), W::u64(recordId), withActivity ? W::guid(kGuid) : W::null(),
        W::u32(588), W::u32(4120), W::str(channel), W::str("WS01.corp.example"), W::sid(5, {18}), W::null(), W::null()};
}

W::Element eventRoot(W::Element sys, W::Element body)
{
    W::Element ev {"Event"};
    ev.attr("xmlns", W::text("http://schemas.microsoft.com/win/2004/08/events/event"));
    ev.child(std::move(sys));
    ev.child(std::move(body));
    return ev;
}

struct Sample {
    std::string file;
    std::vector<size_t> offsets;
};

// Four records: a Security 4624 (named Data), a UserData event, a classic event with unnamed
// Data and Binary, and an event carrying every special type; records 5..n repeat the 4624.
Sample makeSample(int extra4624 = 2, int perChunk = 1000000)
{
    W w;
    w.setRecordsPerChunk(perChunk);
    W::Element data4624 {"EventData"};
    const char *names[] = {
        "SubjectUserSid", "SubjectUserName", "SubjectLogonId", "LogonType", "IpAddress", "LogonGuid", "TargetUserName"};
    const uint8_t types[] = {0x13, 0x01, 0x15, 0x08, 0x01, 0x0f, 0x01};
    for (int i = 0; i < 7; ++i)
        data4624.child(
            W::Element {"Data"}.attr("Name", W::text(names[i])).add(W::sub(static_cast<uint16_t>(18 + i), types[i])));
    const int t4624 = w.addTemplate(eventRoot(systemElement(false), data4624));

    W::Element user {"UserData"};
    W::Element wrapper {"EventXML"};
    wrapper.attr("xmlns", W::text("Event_NS"));
    wrapper.child(W::Element {"User"}.add(W::sub(18, 0x01)));
    wrapper.child(W::Element {"SessionID"}.add(W::sub(19, 0x08)));
    wrapper.child(W::Element {"Client"}.child(W::Element {"Address"}.add(W::sub(20, 0x01))));
    user.child(wrapper);
    const int tUser = w.addTemplate(eventRoot(systemElement(false), user));

    W::Element classic {"EventData"};
    classic.child(W::Element {"Data"}.add(W::sub(18, 0x01)));
    classic.child(W::Element {"Data"}.add(W::sub(19, 0x01)));
    classic.child(W::Element {"Binary"}.add(W::sub(20, 0x0e)));
    const int tClassic = w.addTemplate(eventRoot(systemElement(true), classic));

    W::Element typed {"EventData"};
    const char *tn[] = {"Time", "SysTime", "Flag", "Ratio", "Strings", "Numbers", "Hex32", "Signed", "Bad16", "Nested"};
    const uint8_t tt[] = {0x11, 0x12, 0x0d, 0x0c, 0x81, 0x88, 0x14, 0x07, 0x01, 0x21};
    for (int i = 0; i < 10; ++i)
        typed.child(W::Element {"Data"}.attr("Name", W::text(tn[i])).add(W::sub(static_cast<uint16_t>(18 + i), tt[i])));
    typed.child(W::Element {"Data"}.attr("Name", W::text("Joined")).add(W::text("")).add(W::sub(28, 0x81)));
    typed.child(W::Element {"Data"}.attr("Name", W::text("Absent")).add(W::optSub(29, 0x0e)));
    const int tTyped = w.addTemplate(eventRoot(systemElement(false), typed));

    auto v4624 = [&](uint64_t id) {
        auto v = systemValues("Microsoft-Windows-Security-Auditing", 4624, id, "Security");
        v.push_back(W::sid(5, {21, 1, 2, 3, 500}));
        v.push_back(W::str("alice"));
        v.push_back(W::hex64(0x17019f));
        v.push_back(W::u32(3));
        v.push_back(W::str("10.0.0.5"));
        v.push_back(W::guid(kGuid));
        v.push_back(W::str("bob"));
        return v;
    };
    w.addRecord(t4624, v4624(1001), 1001, kFt);
    auto vu = systemValues("Microsoft-Windows-TerminalServices-LocalSessionManager", 21, 1002,
        "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational", false);
    vu.push_back(W::str("CORP\\alice"));
    vu.push_back(W::u32(2));
    vu.push_back(W::str("10.0.0.7"));
    w.addRecord(tUser, vu, 1002, kFt);
    auto vc = systemValues("Service Control Manager", 7045, 1003, "System");
    vc[16] = W::u16(16384);
    vc.push_back(W::str("PSEXESVC"));
    vc.push_back(W::str("%SystemRoot%\\PSEXESVC.exe"));
    vc.push_back(W::binary(std::string("\x01\xab\x00\xff", 4)));
    w.addRecord(tClassic, vc, 1003, kFt);
    auto vt = systemValues("Typed-Provider", 1, 1004, "Application");
    vt.push_back(W::fileTime(131961000000000000ULL));
    vt.push_back(W::systemTime(2021, 2, 3, 4, 5, 6, 789));
    vt.push_back(W::boolean(true));
    vt.push_back(W::real64(0.25));
    vt.push_back(W::stringArray({"a", "b c"}));
    vt.push_back(W::u32Array({1, 2, 3}));
    vt.push_back(W::hex32(0x1f));
    vt.push_back(W::i32(-5));
    vt.push_back(W::rawString(std::string("\x00\xd8"
                                          "A\x00"
                                          "\x00\xdc"
                                          "\x3d\xd8\x00\xde",
        10))); // lone high, A, lone low, U+1F600
    vt.push_back(W::binXml(W::Element {"Inner"}.child(W::Element {"Leaf"}.add(W::text("deep")))));
    vt.push_back(W::stringArray({"x", "y"}));
    vt.push_back(W::null());
    w.addRecord(tTyped, vt, 1004, kFt);
    for (int i = 0; i < extra4624; ++i)
        w.addRecord(t4624, v4624(1005 + static_cast<uint64_t>(i)), 1005 + static_cast<uint64_t>(i), kFt);
    Sample s;
    s.file = w.build();
    s.offsets = w.recordOffsets();
    return s;
}

bool parse(const std::string &bytes, CollectingSink &sink, bool threaded = true)
{
    tt::MemorySource src(bytes);
    tt::EvtxParser p;
    p.setThreaded(threaded);
    return p.parse(src, sink);
}

std::string field(const tt::RawEvent &ev, std::string_view name)
{
    return std::string(ev.field(name));
}
bool hasReason(const CollectingSink &s, int64_t pos, const char *needle)
{
    for (const auto &r : s.rejects)
        if (r.position == pos && r.reason.find(needle) != std::string::npos)
            return true;
    return false;
}
void put32(std::string &s, size_t at, uint32_t v)
{
    std::memcpy(s.data() + at, &v, 4);
}

} // namespace

class TestEvtxParser : public QObject {
    Q_OBJECT
private slots:
    void security4624();
    void userData();
    void classicUnnamedData();
    void valueTypes();
    void positionsAcrossChunks();
    void truncatedMidRecord();
    void truncatedMidChunk();
    void badFileSignature();
    void chunkCrcMismatch();
    void recordSizePastChunk();
    void templateOffsetOutOfRange();
    void templateOffsetIntoRecord();
    void nestedTooDeep();
    void largeString();
    void emptyFile();
    void randomBytes();
    void cancel();
    void fuzz();
    void outOfRangeRecordId();
    void slackSpaceRemnant();
};

void TestEvtxParser::security4624()
{
    const Sample s = makeSample();
    CollectingSink sink;
    QVERIFY(parse(s.file, sink));
    QCOMPARE(sink.rejects.size(), size_t(0));
    QCOMPARE(sink.warnings.size(), size_t(0));
    QCOMPARE(sink.events.size(), size_t(6));
    const tt::RawEvent &ev = sink.events[0];
    QCOMPARE(ev.position, int64_t(1));
    QCOMPARE(ev.recordId, int64_t(1001));
    QCOMPARE(ev.eventId, 4624);
    QCOMPARE(ev.channel, std::string("Security"));
    QCOMPARE(ev.computer, std::string("WS01.corp.example"));
    QCOMPARE(ev.provider, std::string("Microsoft-Windows-Security-Auditing"));
    QCOMPARE(ev.timeUs, kFtUs);
    QVERIFY(ev.timeSource == tt::TimeSource::SystemTimeUtc);
    QCOMPARE(sys(ev, "Provider.Guid"), std::string(kGuidText));
    QCOMPARE(sys(ev, "Version"), std::string("2"));
    QCOMPARE(sys(ev, "Level"), std::string("0"));
    QCOMPARE(sys(ev, "Task"), std::string("12544"));
    QCOMPARE(sys(ev, "Keywords"), std::string("0x8020000000000000"));
    QCOMPARE(sys(ev, "TimeCreated"), std::string("2020-06-30T15:40:34.5678901Z"));
    QCOMPARE(sys(ev, "Correlation.ActivityID"), std::string(kGuidText));
    QCOMPARE(sys(ev, "Correlation.RelatedActivityID"), std::string("<absent>")); // empty optional
    QCOMPARE(sys(ev, "Execution.ProcessID"), std::string("588"));
    QCOMPARE(sys(ev, "Execution.ThreadID"), std::string("4120"));
    QCOMPARE(sys(ev, "Security.UserID"), std::string("S-1-5-18"));
    QCOMPARE(sys(ev, "EventID.Qualifiers"), std::string("<absent>"));
    QCOMPARE(ev.fields.size(), size_t(7));
    QCOMPARE(ev.fields[0].name, std::string("SubjectUserSid"));
    QCOMPARE(field(ev, "SubjectUserSid"), std::string("S-1-5-21-1-2-3-500"));
    QCOMPARE(field(ev, "SubjectUserName"), std::string("alice"));
    QCOMPARE(field(ev, "SubjectLogonId"), std::string("0x17019f"));
    QCOMPARE(field(ev, "LogonType"), std::string("3"));
    QCOMPARE(field(ev, "IpAddress"), std::string("10.0.0.5"));
    QCOMPARE(field(ev, "LogonGuid"), std::string(kGuidText));
    QCOMPARE(field(ev, "TargetUserName"), std::string("bob"));
    QVERIFY(ev.original.empty());
    // The later 4624s use the cached template (referenced by offset, names by offset).
    QCOMPARE(sink.events[4].recordId, int64_t(1005));
    QCOMPARE(field(sink.events[5], "TargetUserName"), std::string("bob"));
    QCOMPARE(sink.events[5].position, int64_t(6));
}

void TestEvtxParser::userData()
{
    CollectingSink sink;
    QVERIFY(parse(makeSample().file, sink));
    const tt::RawEvent &ev = sink.events.at(1);
    QCOMPARE(ev.eventId, 21);
    QCOMPARE(ev.channel, std::string("Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"));
    QCOMPARE(ev.fields.size(), size_t(3));
    QCOMPARE(ev.fields[0].name, std::string("User"));
    QCOMPARE(ev.fields[0].value, std::string("CORP\\alice"));
    QCOMPARE(field(ev, "SessionID"), std::string("2"));
    QCOMPARE(field(ev, "Client.Address"), std::string("10.0.0.7"));
    QCOMPARE(sys(ev, "Correlation.ActivityID"), std::string("<absent>"));
}

void TestEvtxParser::classicUnnamedData()
{
    CollectingSink sink;
    QVERIFY(parse(makeSample().file, sink));
    const tt::RawEvent &ev = sink.events.at(2);
    QCOMPARE(ev.eventId, 7045);
    QCOMPARE(sys(ev, "EventID.Qualifiers"), std::string("16384"));
    QCOMPARE(ev.fields.size(), size_t(3));
    QCOMPARE(ev.fields[0].name, std::string("Data1"));
    QCOMPARE(ev.fields[0].value, std::string("PSEXESVC"));
    QCOMPARE(ev.fields[1].name, std::string("Data2"));
    QCOMPARE(ev.fields[1].value, std::string("%SystemRoot%\\PSEXESVC.exe"));
    QCOMPARE(ev.fields[2].name, std::string("Binary"));
    QCOMPARE(ev.fields[2].value, std::string("01AB00FF"));
}

void TestEvtxParser::valueTypes()
{
    CollectingSink sink;
    QVERIFY(parse(makeSample().file, sink));
    const tt::RawEvent &ev = sink.events.at(3);
    QCOMPARE(field(ev, "Time"), std::string("2019-03-03T15:20:00.0000000Z"));
    QCOMPARE(field(ev, "SysTime"), std::string("2021-02-03T04:05:06.7890000Z"));
    QCOMPARE(field(ev, "Flag"), std::string("true"));
    QCOMPARE(field(ev, "Ratio"), std::string("0.25"));
    // An element whose content is an array substitution is repeated per item (as Windows
    // renders it); duplicates are kept in document order.
    std::vector<std::string> strings, numbers;
    for (const auto &f : ev.fields) {
        if (f.name == "Strings")
            strings.push_back(f.value);
        if (f.name == "Numbers")
            numbers.push_back(f.value);
    }
    QCOMPARE(strings, (std::vector<std::string> {"a", "b c"}));
    QCOMPARE(numbers, (std::vector<std::string> {"1", "2", "3"}));
    QCOMPARE(field(ev, "Joined"), std::string("x, y")); // an array in mixed content is joined
    QCOMPARE(ev.hasField("Absent"), false); // empty optional substitution: no element
    QCOMPARE(field(ev, "Hex32"), std::string("0x1f"));
    QCOMPARE(field(ev, "Signed"), std::string("-5"));
    QCOMPARE(field(ev, "Bad16"),
        std::string("\xEF\xBF\xBD"
                    "A"
                    "\xEF\xBF\xBD"
                    "\xF0\x9F\x98\x80"));
    // Nested BinXML (type 0x21) inside <Data Name="Nested">: flattened below the Data name.
    QCOMPARE(field(ev, "Nested.Inner.Leaf"), std::string("deep"));
}

void TestEvtxParser::positionsAcrossChunks()
{
    const Sample s = makeSample(296, 50); // 300 records over 6 chunks
    QCOMPARE(s.file.size(), size_t(4096 + 6 * 65536));
    for (bool threaded : {true, false}) {
        CollectingSink sink;
        QVERIFY(parse(s.file, sink, threaded));
        QCOMPARE(sink.events.size(), size_t(300));
        QCOMPARE(sink.rejects.size(), size_t(0));
        for (size_t i = 0; i < sink.events.size(); ++i)
            QCOMPARE(sink.events[i].position, int64_t(i + 1));
        QCOMPARE(sink.events[299].recordId, int64_t(1300));
        QCOMPARE(field(sink.events[299], "TargetUserName"), std::string("bob"));
    }
    // A file source goes through the same path.
    const QString path = QDir::temp().filePath(QStringLiteral("tt_evtx_multi.evtx"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(s.file.data(), static_cast<qint64>(s.file.size()));
    }
    tt::FileSource src(path.toStdString());
    CollectingSink sink;
    QVERIFY(tt::EvtxParser().parse(src, sink));
    QCOMPARE(sink.events.size(), size_t(300));
    QFile::remove(path);
}

void TestEvtxParser::truncatedMidRecord()
{
    const Sample s = makeSample();
    CollectingSink sink;
    QVERIFY(parse(s.file.substr(0, s.offsets[2] + 40), sink));
    QCOMPARE(sink.events.size(), size_t(2));
    QCOMPARE(sink.rejects.size(), size_t(1));
    QVERIFY(hasReason(sink, 3, "truncated"));
}

void TestEvtxParser::truncatedMidChunk()
{
    const Sample s = makeSample(96, 50); // 2 chunks
    // Cut inside the second chunk, between records: the first chunk is intact.
    const size_t cut = s.offsets[75];
    CollectingSink sink;
    QVERIFY(parse(s.file.substr(0, cut), sink));
    QCOMPARE(sink.events.size(), size_t(75));
    QVERIFY(sink.rejects.empty());
    QVERIFY(!sink.warnings.empty()); // "truncated" chunk
    // Cut inside the second chunk's header: a reject not tied to a record.
    CollectingSink sink2;
    QVERIFY(parse(s.file.substr(0, 4096 + 65536 + 100), sink2));
    QCOMPARE(sink2.events.size(), size_t(50));
    QCOMPARE(sink2.rejects.size(), size_t(1));
    QCOMPARE(sink2.rejects[0].position, int64_t(0));
    // Cut inside the file header.
    CollectingSink sink3;
    QVERIFY(!parse(s.file.substr(0, 1000), sink3));
    QCOMPARE(sink3.rejects.size(), size_t(1));
    QCOMPARE(sink3.rejects[0].position, int64_t(0));
}

void TestEvtxParser::badFileSignature()
{
    Sample s = makeSample();
    s.file[0] = 'X';
    CollectingSink sink;
    QVERIFY(parse(s.file, sink)); // the chunks behind a damaged header are recovered
    QCOMPARE(sink.rejects.size(), size_t(1));
    QCOMPARE(sink.rejects[0].position, int64_t(0));
    QVERIFY(sink.rejects[0].reason.find("signature") != std::string::npos);
    QCOMPARE(sink.events.size(), size_t(6));
    // Not an EVTX at all: refused.
    std::string notEvtx = "ElfFile garbage";
    notEvtx.resize(8192, 'x');
    CollectingSink sink2;
    QVERIFY(!parse(notEvtx, sink2));
    QVERIFY(sink2.events.empty());
    QCOMPARE(sink2.rejects.size(), size_t(1));
}

void TestEvtxParser::chunkCrcMismatch()
{
    Sample s = makeSample();
    std::string h = s.file;
    h[4096 + 60] ^= 0x55; // unused bytes covered by the header CRC
    CollectingSink sink;
    QVERIFY(parse(h, sink));
    QCOMPARE(sink.events.size(), size_t(6));
    QVERIFY(sink.rejects.empty());
    QCOMPARE(sink.warnings.size(), size_t(1));
    QVERIFY(sink.warnings[0].reason.find("header checksum") != std::string::npos);

    std::string d = s.file;
    d[s.offsets[1] + 16] ^= 0x01; // the record's written time: data CRC breaks, record still reads
    CollectingSink sink2;
    QVERIFY(parse(d, sink2));
    QCOMPARE(sink2.events.size(), size_t(6));
    QCOMPARE(sink2.warnings.size(), size_t(1));
    QVERIFY(sink2.warnings[0].reason.find("data checksum") != std::string::npos);
}

void TestEvtxParser::recordSizePastChunk()
{
    Sample s = makeSample();
    put32(s.file, s.offsets[1] + 4, 0x100000); // 1 MB record
    CollectingSink sink;
    QVERIFY(parse(s.file, sink));
    QCOMPARE(sink.events.size(), size_t(5));
    QCOMPARE(sink.rejects.size(), size_t(1));
    QVERIFY(hasReason(sink, 2, "past the chunk end"));
    QCOMPARE(sink.events[1].position, int64_t(3)); // resynchronised on the next record
    QCOMPARE(sink.events[1].recordId, int64_t(1003));
}

void TestEvtxParser::templateOffsetOutOfRange()
{
    Sample s = makeSample();
    // Record 5 (a 4624) references the template defined in record 1 by offset.
    const size_t defAt = s.offsets[4] + 24 + 4 + 6;
    uint32_t def;
    std::memcpy(&def, s.file.data() + defAt, 4);
    QVERIFY(def < s.offsets[4] - 4096); // by reference, not inline
    put32(s.file, defAt, 0xFFFFFFF0);
    W::fixChunkCrcs(s.file, 0);
    CollectingSink sink;
    QVERIFY(parse(s.file, sink));
    QCOMPARE(sink.events.size(), size_t(5));
    QVERIFY(hasReason(sink, 5, "template offset outside chunk"));
    QCOMPARE(sink.warnings.size(), size_t(0));
}

void TestEvtxParser::templateOffsetIntoRecord()
{
    // Template definitions pointing at other places of the chunk: the record itself, the chunk
    // header, the middle of a name. Whatever they hold, nothing crashes and other records stay.
    const Sample s = makeSample();
    const size_t defAt = s.offsets[4] + 24 + 4 + 6;
    for (uint32_t target : {uint32_t(s.offsets[4] - 4096 + 28), uint32_t(0), uint32_t(200), uint32_t(513),
             uint32_t(s.offsets[1] - 4096 + 31), uint32_t(65536 - 24), uint32_t(65536 - 23)}) {
        std::string f = s.file;
        put32(f, defAt, target);
        CollectingSink sink;
        QVERIFY(parse(f, sink));
        QVERIFY(sink.events.size() >= 5);
        QCOMPARE(sink.events.size() + sink.rejects.size(), size_t(6));
        QCOMPARE(sink.events[0].recordId, int64_t(1001));
    }
}

void TestEvtxParser::nestedTooDeep()
{
    // Template T: <Event><UserData>[sub 0: BinXML]</UserData></Event>. Each nested value is a
    // template instance of T again whose substitution 0 holds the next level.
    W probe;
    W::Element user {"UserData"};
    user.add(W::sub(0, 0x21));
    W::Element root {"Event"};
    root.child(user);
    const int t = probe.addTemplate(root);
    probe.addRecord(t, {W::binXml(W::Element {"W"}.child(W::Element {"A"}.add(W::text("x"))))}, 1, kFt);
    const std::string first = probe.build();
    const size_t r1 = probe.recordOffsets()[0];
    uint32_t def;
    std::memcpy(&def, first.data() + r1 + 34, 4);

    auto nest = [&](int levels) {
        std::string v("\x0f\x01\x01\x00", 4); // innermost: an empty fragment
        for (int i = 0; i < levels; ++i) {
            std::string inst("\x0f\x01\x01\x00\x0c\x01", 6);
            inst.append(4, '\0');
            inst.append(reinterpret_cast<const char *>(&def), 4);
            const uint32_t one = 1;
            inst.append(reinterpret_cast<const char *>(&one), 4);
            const uint16_t size = static_cast<uint16_t>(v.size());
            inst.append(reinterpret_cast<const char *>(&size), 2);
            inst.push_back(0x21);
            inst.push_back(0);
            v = inst + v;
        }
        return v;
    };
    for (int levels : {3, 20}) {
        W w;
        const int tt2 = w.addTemplate(root);
        w.addRecord(tt2, {W::binXml(W::Element {"W"}.child(W::Element {"A"}.add(W::text("x"))))}, 1, kFt);
        W::Value deep;
        deep.type = 0x21;
        deep.bytes = nest(levels);
        w.addRecord(tt2, {deep}, 2, kFt);
        w.addRecord(tt2, {W::binXml(W::Element {"W"}.child(W::Element {"A"}.add(W::text("y"))))}, 3, kFt);
        CollectingSink sink;
        QVERIFY(parse(w.build(), sink));
        QCOMPARE(field(sink.events.at(0), "A"), std::string("x"));
        if (levels == 3) {
            QCOMPARE(sink.events.size(), size_t(3));
        } else {
            QCOMPARE(sink.events.size(), size_t(2));
            QVERIFY(hasReason(sink, 2, "too deep"));
            QCOMPARE(field(sink.events.at(1), "A"), std::string("y"));
        }
    }
}

void TestEvtxParser::largeString()
{
    // A record cannot exceed its 64 KiB chunk (a 1 MB value cannot exist in EVTX: see
    // recordSizePastChunk for a size field claiming 1 MB); the largest string that fits parses.
    W w;
    W::Element data {"EventData"};
    data.child(W::Element {"Data"}.attr("Name", W::text("Big")).add(W::sub(0, 0x01)));
    W::Element root {"Event"};
    root.child(data);
    const int t = w.addTemplate(root);
    w.addRecord(t, {W::str(std::string(32000, 'z'))}, 7, kFt);
    w.addRecord(t, {W::str("small")}, 8, kFt);
    CollectingSink sink;
    QVERIFY(parse(w.build(), sink));
    QCOMPARE(sink.events.size(), size_t(2));
    QCOMPARE(field(sink.events[0], "Big").size(), size_t(32000));
    QCOMPARE(sink.events[0].timeUs, kFtUs); // no TimeCreated: the record header time
    QCOMPARE(sink.events[0].recordId, int64_t(7));
    QCOMPARE(field(sink.events[1], "Big"), std::string("small"));
}

void TestEvtxParser::emptyFile()
{
    CollectingSink sink;
    QVERIFY(!parse(std::string(), sink));
    QCOMPARE(sink.rejects.size(), size_t(1));
    QCOMPARE(sink.rejects[0].position, int64_t(0));
    QVERIFY(sink.events.empty());
}

void TestEvtxParser::randomBytes()
{
    std::mt19937 rng(42);
    std::string junk(300000, '\0');
    for (auto &c : junk)
        c = static_cast<char>(rng());
    CollectingSink sink;
    QVERIFY(!parse(junk, sink));
    QCOMPARE(sink.rejects.size(), size_t(1));
    QVERIFY(sink.events.empty());
    // Random bytes behind a valid file header: chunks without a signature are skipped.
    std::string withHeader = makeSample().file.substr(0, 4096) + junk;
    CollectingSink sink2;
    QVERIFY(parse(withHeader, sink2));
    QVERIFY(sink2.events.empty());
}

void TestEvtxParser::cancel()
{
    struct CancelSink : CollectingSink {
        bool cancelled() const override { return !events.empty(); }
    } sink;
    QVERIFY(parse(makeSample(296, 50).file, sink));
    QCOMPARE(sink.events.size(), size_t(50)); // stops after the first chunk
}

void TestEvtxParser::fuzz()
{
    const Sample s = makeSample(96, 40);
    std::mt19937 rng(1234);
    const int rounds = qEnvironmentVariableIntValue("TT_EVTX_FUZZ_ROUNDS") > 0
        ? qEnvironmentVariableIntValue("TT_EVTX_FUZZ_ROUNDS")
        : 400;
    for (int round = 0; round < rounds; ++round) {
        std::string f = s.file;
        const int flips = 1 + static_cast<int>(rng() % 40);
        for (int i = 0; i < flips; ++i) {
            // Mostly inside the records, sometimes anywhere.
            size_t at = rng() % 4 ? 4096 + 512 + rng() % (f.size() - 4096 - 512) : rng() % f.size();
            f[at] = static_cast<char>(rng());
        }
        if (round % 3 == 0)
            f.resize(rng() % f.size());
        if (round % 5 == 0) // recompute checksums so that damage reaches the BinXML reader
            for (size_t c = 0; c * 65536 + 4096 + 65536 <= f.size(); ++c)
                W::fixChunkCrcs(f, c);
        CollectingSink sink;
        parse(f, sink, round % 2 == 0);
        QVERIFY(sink.events.size() <= 100);
        for (const auto &r : sink.rejects)
            QVERIFY(!r.reason.empty());
    }
}

// An EventRecordID past INT64_MAX (in the BinXML and in the record header) keeps its record
// without a record number and says so with the record's position; INT64_MAX itself is one.
void TestEvtxParser::outOfRangeRecordId()
{
    W w;
    const int t = w.addTemplate(eventRoot(systemElement(false), W::Element {"EventData"}));
    const uint64_t big = 9999999999999999999ULL, max = uint64_t(std::numeric_limits<int64_t>::max());
    w.addRecord(t, systemValues("P", 4624, big, "Security"), big, kFt);
    w.addRecord(t, systemValues("P", 4624, max, "Security"), max, kFt);
    for (bool threaded : {false, true}) {
        CollectingSink sink;
        QVERIFY(parse(w.build(), sink, threaded));
        QCOMPARE(sink.rejects.size(), size_t(0));
        QCOMPARE(sink.events.size(), size_t(2));
        QCOMPARE(sink.events[0].recordId, int64_t(-1));
        QCOMPARE(sink.events[1].recordId, std::numeric_limits<int64_t>::max());
        QCOMPARE(sink.warnings.size(), size_t(1));
        QCOMPARE(sink.warnings[0].position, int64_t(1));
        QCOMPARE(sink.warnings[0].reason,
            std::string("EventRecordID '9999999999999999999' is not a record number from 0 to 9223372036854775807: "
                        "record kept without it"));
    }
}

// A record left past the chunk's free-space offset (Windows reuses chunks without zeroing them) is
// not imported, and the warning says what it is, in which chunk, at which offsets: no "record 0".
void TestEvtxParser::slackSpaceRemnant()
{
    Sample s = makeSample(0);
    const size_t chunk = tt::EvtxParser::kFileHeaderSize;
    const uint32_t freeSpace = uint32_t(s.offsets[3] - chunk);
    put32(s.file, chunk + 48, freeSpace);
    W::fixChunkCrcs(s.file, 0);
    CollectingSink sink;
    QVERIFY(parse(s.file, sink));
    QCOMPARE(sink.events.size(), size_t(3));
    QCOMPARE(sink.rejects.size(), size_t(0));
    QCOMPARE(sink.warnings.size(), size_t(1));
    QCOMPARE(sink.warnings[0].position, int64_t(0));
    char offset[16];
    std::snprintf(offset, sizeof offset, "0x%x", freeSpace);
    QCOMPARE(sink.warnings[0].reason,
        "chunk 0 (file offset 0x1000): " + std::to_string(tt::EvtxChunk::kSize - freeSpace)
            + " bytes of slack space after the last record (chunk offset " + offset
            + ") hold 1 remnant(s) of overwritten records: not part of the log, not imported");
}

QTEST_GUILESS_MAIN(TestEvtxParser)
#include "tst_evtx_parser.moc"
