// Corpus test of the EVTX parser over ../shared/corpus/evtx: record counts against the reference
// tools' numbers (evtx_counts.tsv), the hand-checked labels (ground_truth.json) and a field-level
// cross-check against `evtxexport -f xml` (libevtx) on a varied selection of files.

#include "TestSupport.h"
#include "core/FileSource.h"
#include "evtx/EvtxParser.h"

#include <QtTest>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QXmlStreamReader>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

// Files for the field-level cross-check: Security (4624, 5145, 4656...), Sysmon, System 7045,
// classic providers (MSSQL), RDP / TerminalServices (EventData and UserData), event-log
// clearing (UserData 1102), PowerShell, print spooler.
const char *const kCrossCheck[] = {
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_Remote_Service02_7045.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_5145_Remote_FileCopy.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/DFIR_RDP_Client_TimeZone_RdpCoreTs_104_example.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/dfir_rdpsharp_target_RdpCoreTs_168_68_131.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_sysmon_psexec_smb_meterpreter.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_tsclient_startup_folder.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_ScheduledTask_ATSVC_target_host.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_xp_cmdshell_MSSQL_Events.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/RemotePowerShell_MS_Windows-Remote_Management_EventID_169.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_dcom_shwnd_shbrwnd_mmc20_failed_traces_system_10016.evtx",
    "EVTX-ATTACK-SAMPLES/Lateral_Movement/remote_task_update_4624_4702_same_logonid.evtx",
    "EVTX-ATTACK-SAMPLES/Command_and_Control/" // NOLINT(bugprone-suspicious-missing-comma): one long path, split
    "DE_RDP_Tunneling_TerminalServices-RemoteConnectionManagerOperational_1149.evtx",
    "EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx",
    "EVTX-ATTACK-SAMPLES/Credential_Access/sysmon_10_11_lsass_memdump.evtx",
    "EVTX-to-MITRE-Attack/TA0005-Defense_Evasion/T1070.001-Clear_Windows_event_logs/ID104-1102-Event_log_cleared.evtx",
    "EVTX-to-MITRE-Attack/TA0004-Privilege_Escalation/T1574-DLL_side-loading/"
    "ID354-808-Mimispool_printer_installation_(PrintNightmare).evtx",
    "EVTX-to-MITRE-Attack/TA0006-Credential_Access/T1003-Credential_dumping/"
    "ID4656,_5145,_4674-Impacket_secret_dump_via_SMB.evtx",
    "EVTX-to-MITRE-Attack/EVTX_full_APT_attack_steps/ID5145-4624-DonPAPI_full_extraction.evtx",
    "YamatoSecurity/IntialAccess/ValidAccounts/ID302_RDS_Gateway_Logon_Logoff.evtx",
    "DeepBlueCLI/Powershell-Invoke-Obfuscation-many.evtx",
    "DeepBlueCLI/disablestop-eventlog.evtx",
};

struct FileResult {
    uint64_t records = 0;
    uint64_t rejects = 0;
    std::map<std::string, int> byChannelEventId;
    std::map<std::string, int> byHost;
    std::vector<tt::RawEvent> events; // cross-check files only
};

class CountingSink : public tt::RecordSink {
public:
    explicit CountingSink(FileResult &r, bool keep)
        : m_r(r)
        , m_keep(keep)
    {
    }
    void event(tt::RawEvent &ev) override
    {
        ++m_r.records;
        ++m_r.byChannelEventId[ev.channel + ":" + std::to_string(ev.eventId)];
        ++m_r.byHost[ev.computer];
        if (m_keep)
            m_r.events.push_back(ev);
    }
    void reject(int64_t position, std::string_view reason) override
    {
        ++m_r.rejects;
        qInfo("  reject #%lld: %.*s", static_cast<long long>(position), static_cast<int>(reason.size()), reason.data());
    }

private:
    FileResult &m_r;
    bool m_keep;
};

// One event of evtxexport's XML, reduced to what is compared.
struct RefEvent {
    std::string eventId, computer, channel, time, recordId;
    std::vector<std::pair<std::string, std::string>> fields;
};

std::string s(const QStringView v)
{
    return v.toString().toStdString();
}

// Flattens <UserData>'s wrapper content like the parser (paths of local names below it).
void readUserBody(QXmlStreamReader &x, const std::string &path, RefEvent &ev)
{
    std::string text;
    bool children = false;
    while (!x.atEnd()) {
        x.readNext();
        if (x.isStartElement()) {
            children = true;
            const std::string p = path.empty() ? s(x.name()) : path + "." + s(x.name());
            for (const auto &a : x.attributes())
                if (a.prefix().isEmpty() && a.name() != QLatin1String("xmlns"))
                    ev.fields.emplace_back(p + "." + s(a.name()), s(a.value()));
            readUserBody(x, p, ev);
        } else if (x.isCharacters()) {
            text += s(x.text());
        } else if (x.isEndElement()) {
            break;
        }
    }
    if (!children && !path.empty())
        ev.fields.emplace_back(path, text);
}

std::vector<RefEvent> parseReference(const QByteArray &out, QString &error)
{
    std::vector<RefEvent> events;
    QByteArray body = out;
    const int firstLine = body.indexOf('\n');
    if (body.startsWith("evtxexport") && firstLine >= 0)
        body = body.mid(firstLine + 1);
    QXmlStreamReader x(QByteArray("<Root>") + body + QByteArray("</Root>"));
    x.readNextStartElement(); // Root
    while (x.readNextStartElement()) {
        if (x.name() != QLatin1String("Event")) {
            x.skipCurrentElement();
            continue;
        }
        RefEvent ev;
        while (x.readNextStartElement()) {
            if (x.name() == QLatin1String("System")) {
                while (x.readNextStartElement()) {
                    const QStringView n = x.name();
                    if (n == QLatin1String("TimeCreated")) {
                        ev.time = s(x.attributes().value(QLatin1String("SystemTime")));
                        x.skipCurrentElement();
                    } else if (n == QLatin1String("EventID")) {
                        ev.eventId = x.readElementText().toStdString();
                    } else if (n == QLatin1String("Computer")) {
                        ev.computer = x.readElementText().toStdString();
                    } else if (n == QLatin1String("Channel")) {
                        ev.channel = x.readElementText().toStdString();
                    } else if (n == QLatin1String("EventRecordID")) {
                        ev.recordId = x.readElementText().toStdString();
                    } else {
                        x.skipCurrentElement();
                    }
                }
            } else if (x.name() == QLatin1String("EventData")) {
                int index = 0;
                while (x.readNextStartElement()) {
                    ++index;
                    std::string name = s(x.name());
                    if (x.name() == QLatin1String("Data")) {
                        const std::string attr = s(x.attributes().value(QLatin1String("Name")));
                        name = attr.empty() ? "Data" + std::to_string(index) : attr;
                    }
                    ev.fields.emplace_back(
                        name, x.readElementText(QXmlStreamReader::IncludeChildElements).toStdString());
                }
            } else if (x.name() == QLatin1String("UserData")) {
                while (x.readNextStartElement()) // the wrapper
                    readUserBody(x, std::string(), ev);
            } else {
                x.skipCurrentElement();
            }
        }
        events.push_back(std::move(ev));
    }
    if (x.hasError())
        error = x.errorString();
    return events;
}

// evtxexport prints 9 fractional digits (100 ns ticks followed by "00"); the parser prints the
// 7 that FILETIME holds, as Windows does.
std::string normTime(std::string t)
{
    if (t.size() == 30 && t.back() == 'Z' && t.compare(27, 2, "00") == 0)
        t = t.substr(0, 27) + "Z";
    return t;
}

// Applied to both sides before values are compared:
// - evtxexport pads HexInt32/HexInt64 to 8/16 digits ("0x00000000000fc635"); Windows and the
//   project conventions do not ("0xfc635"). Leading zeros of a 0x-hex value are dropped.
// - The reference goes through an XML reader, which turns CR LF into LF (XML end-of-line
//   handling); the parser keeps the CR of multi-line values (AccessList, PrivilegeList...).
// - Control characters that XML 1.0 cannot hold (some values carry e.g. U+000F) are replaced
//   by '?' in evtxexport's output before it is read, so the same is done to the parser's values.
// - FILETIME values: 9 fractional digits in evtxexport, 7 (what FILETIME holds) in the parser.
std::string normValue(const std::string &v)
{
    std::string out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (c == '\r') { // XML end-of-line handling: CR LF and a lone CR both become LF
            if (i + 1 < v.size() && v[i + 1] == '\n')
                continue;
            c = '\n';
        }
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 && c != '\t' && c != '\n' ? '?' : c);
    }
    out = normTime(out);
    if (out.size() > 3 && out[0] == '0' && out[1] == 'x'
        && out.find_first_not_of("0123456789abcdef", 2) == std::string::npos) {
        const size_t nz = out.find_first_not_of('0', 2);
        out = "0x" + (nz == std::string::npos ? std::string("0") : out.substr(nz));
    }
    return out;
}

QByteArray xmlSafe(QByteArray b)
{
    for (char &c : b) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r')
            c = '?';
    }
    return b;
}

} // namespace

class TestEvtxCorpus : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void counts();
    void groundTruth();
    void crossCheck();

private:
    QString m_dir;
    struct Row {
        std::string path;
        long long infoRecords, exported;
    };
    std::vector<Row> m_rows;
    std::map<std::string, FileResult> m_results; // by path relative to evtx/
};

void TestEvtxCorpus::initTestCase()
{
    m_dir = tt::test::corpusDir();
    QFile tsv(m_dir + QStringLiteral("/evtx_counts.tsv"));
    QVERIFY(tsv.open(QIODevice::ReadOnly));
    tsv.readLine();
    while (!tsv.atEnd()) {
        const QList<QByteArray> cols = tsv.readLine().trimmed().split('\t');
        if (cols.size() < 5)
            continue;
        m_rows.push_back({cols[0].toStdString(), cols[2].toLongLong(), cols[4].toLongLong()});
    }
    QVERIFY(m_rows.size() > 500);
    const std::set<std::string> keep(std::begin(kCrossCheck), std::end(kCrossCheck));
    QElapsedTimer timer;
    timer.start();
    uint64_t bytes = 0, records = 0;
    for (const Row &row : m_rows) {
        const std::string path = m_dir.toStdString() + "/evtx/" + row.path;
        tt::FileSource src(path);
        QVERIFY2(src.isOpen(), path.c_str());
        FileResult &r = m_results[row.path];
        CountingSink sink(r, keep.count(row.path) > 0);
        tt::EvtxParser parser;
        QVERIFY2(parser.parse(src, sink), path.c_str());
        bytes += static_cast<uint64_t>(src.sizeHint());
        records += r.records;
    }
    const double secs = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    qInfo("parsed %zu files, %llu records, %.1f MB in %.3f s (incl. keeping %zu files' events): %.0f records/s, %.1f "
          "MB/s",
        m_rows.size(), static_cast<unsigned long long>(records), static_cast<double>(bytes) / 1e6, secs, keep.size(),
        static_cast<double>(records) / secs, static_cast<double>(bytes) / 1e6 / secs);
}

void TestEvtxCorpus::counts()
{
    uint64_t total = 0, rejects = 0, reference = 0, beat = 0, below = 0, beyond = 0;
    for (const Row &row : m_rows) {
        const FileResult &r = m_results[row.path];
        total += r.records;
        rejects += r.rejects;
        reference += static_cast<uint64_t>(row.exported);
        if (static_cast<long long>(r.records) < row.infoRecords) {
            ++below;
            qInfo("below evtxinfo: %s: %llu records, evtxinfo %lld", row.path.c_str(),
                static_cast<unsigned long long>(r.records), row.infoRecords);
        }
        if (static_cast<long long>(r.records) > row.infoRecords)
            ++beyond;
        if (static_cast<long long>(r.records) > row.exported) {
            ++beat;
            qInfo("beats evtxexport: %s: %llu records, evtxexport %lld, evtxinfo %lld", row.path.c_str(),
                static_cast<unsigned long long>(r.records), row.exported, row.infoRecords);
        }
        QVERIFY2(static_cast<long long>(r.records) >= row.exported, row.path.c_str());
    }
    qInfo("TOTAL: %zu files, %llu records (%llu rejects), evtxexport %llu; %llu files beat evtxexport, %llu below "
          "evtxinfo, %llu above evtxinfo",
        m_rows.size(), static_cast<unsigned long long>(total), static_cast<unsigned long long>(rejects),
        static_cast<unsigned long long>(reference), static_cast<unsigned long long>(beat),
        static_cast<unsigned long long>(below), static_cast<unsigned long long>(beyond));
}

void TestEvtxCorpus::groundTruth()
{
    QFile f(m_dir + QStringLiteral("/ground_truth.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray files = QJsonDocument::fromJson(f.readAll()).array();
    int checked = 0;
    for (const QJsonValue v : files) { // (a QJsonArray hands out QJsonValueConstRef: one copy)
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("format")).toString() != QLatin1String("evtx"))
            continue;
        std::string rel = o.value(QStringLiteral("file")).toString().toStdString();
        if (rel.rfind("evtx/", 0) == 0)
            rel = rel.substr(5);
        auto it = m_results.find(rel);
        QVERIFY2(it != m_results.end(), rel.c_str());
        auto compare = [&](const char *key, const std::map<std::string, int> &mine) {
            std::map<std::string, int> expected;
            const QJsonObject e = o.value(QLatin1String(key)).toObject();
            for (auto k = e.begin(); k != e.end(); ++k)
                expected[k.key().toStdString()] = k.value().toInt();
            if (expected != mine) {
                for (const auto &[name, n] : expected)
                    qInfo("  %s %s expected %d got %d", key, name.c_str(), n, mine.count(name) ? mine.at(name) : 0);
                for (const auto &[name, n] : mine)
                    if (!expected.count(name))
                        qInfo("  %s %s unexpected %d", key, name.c_str(), n);
            }
            QVERIFY2(expected == mine, (rel + ": " + key).c_str());
        };
        compare("counts_by_channel_eventid", it->second.byChannelEventId);
        compare("counts_by_host", it->second.byHost);
        ++checked;
    }
    qInfo("ground truth: %d evtx files match counts_by_channel_eventid and counts_by_host", checked);
    QVERIFY(checked > 0);
}

void TestEvtxCorpus::crossCheck()
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("evtxexport"));
    if (tool.isEmpty())
        QSKIP("evtxexport (libevtx-utils) is not installed: field-level cross-check skipped");
    uint64_t comparedEvents = 0, comparedFields = 0, mismatches = 0;
    for (const char *rel : kCrossCheck) {
        const FileResult &mine = m_results[rel];
        QProcess p;
        p.start(tool,
            {QStringLiteral("-f"), QStringLiteral("xml"), m_dir + QStringLiteral("/evtx/") + QString::fromUtf8(rel)});
        QVERIFY(p.waitForFinished(120000));
        QString error;
        const std::vector<RefEvent> ref = parseReference(xmlSafe(p.readAllStandardOutput()), error);
        QVERIFY2(error.isEmpty(), qPrintable(QString::fromUtf8(rel) + QStringLiteral(": ") + error));
        QVERIFY2(!ref.empty(), rel);
        std::multimap<int64_t, const tt::RawEvent *> byId;
        for (const auto &ev : mine.events)
            byId.emplace(ev.recordId, &ev);
        uint64_t fileMismatches = 0;
        auto mismatch
            = [&](const RefEvent &r, const std::string &what, const std::string &theirs, const std::string &ours) {
                  if (++fileMismatches > 5)
                      return;
                  size_t at = 0;
                  while (at < theirs.size() && at < ours.size() && theirs[at] == ours[at])
                      ++at;
                  const size_t from = at > 20 ? at - 20 : 0;
                  qInfo("  %s record %s %s: differs at %zu of %zu/%zu: evtxexport '%s' parser '%s'", rel,
                      r.recordId.c_str(), what.c_str(), at, theirs.size(), ours.size(), theirs.substr(from, 60).c_str(),
                      ours.substr(from, 60).c_str());
              };
        for (const RefEvent &r : ref) {
            auto it = byId.find(std::stoll(r.recordId));
            if (it == byId.end()) {
                mismatch(r, "missing", "present", "absent");
                continue;
            }
            const tt::RawEvent &ev = *it->second;
            byId.erase(it);
            ++comparedEvents;
            if (r.eventId != std::to_string(ev.eventId))
                mismatch(r, "EventID", r.eventId, std::to_string(ev.eventId));
            if (r.computer != ev.computer)
                mismatch(r, "Computer", r.computer, ev.computer);
            if (r.channel != ev.channel)
                mismatch(r, "Channel", r.channel, ev.channel);
            std::string time;
            for (const auto &f : ev.system)
                if (f.name == "TimeCreated")
                    time = f.value;
            if (normTime(r.time) != time)
                mismatch(r, "TimeCreated", r.time, time);
            const size_t n = std::max(r.fields.size(), ev.fields.size());
            for (size_t i = 0; i < n; ++i) {
                const std::string rn = i < r.fields.size() ? r.fields[i].first : "<none>";
                const std::string rv = normValue(i < r.fields.size() ? r.fields[i].second : "");
                const std::string on = i < ev.fields.size() ? ev.fields[i].name : "<none>";
                const std::string ov = normValue(i < ev.fields.size() ? ev.fields[i].value : "");
                ++comparedFields;
                if (rn != on || rv != ov)
                    mismatch(r, "field " + rn + "/" + on, rv, ov);
            }
        }
        mismatches += fileMismatches;
        qInfo("cross-check %s: %zu reference events, %llu mismatches", rel, ref.size(),
            static_cast<unsigned long long>(fileMismatches));
    }
    qInfo("cross-check total: %llu events, %llu fields compared, %llu mismatches",
        static_cast<unsigned long long>(comparedEvents), static_cast<unsigned long long>(comparedFields),
        static_cast<unsigned long long>(mismatches));
    QCOMPARE(mismatches, uint64_t(0));
}

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TestEvtxCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_evtx_corpus.moc"
