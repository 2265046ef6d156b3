// Tests of the scenario generator: determinism, the real field shapes of NXLog / Logstash JSON
// and event XML, counts against the ground truth, evidence references, per-host clocks. (Speed is measured by bench/,
// not here.)

#include "generator/Generator.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QXmlStreamReader>
#include <QtTest>

#include <cmath>

using namespace tt::gen;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QList<QByteArray> lines(const QString &path)
{
    QList<QByteArray> out = readAll(path).split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

QJsonObject groundTruth(const Summary &s)
{
    const QJsonDocument d = QJsonDocument::fromJson(readAll(s.groundTruthPath));
    if (!d.isArray() || d.array().size() != 1)
        return {};
    return d.array().first().toObject();
}

// "YYYY-MM-DD hh:mm:ss[.mmm]" or ISO with Z, as milliseconds since the epoch (zone ignored: UTC).
qint64 ms(const QString &s)
{
    QString t = s;
    t.replace(QLatin1Char(' '), QLatin1Char('T'));
    if (t.endsWith(QLatin1Char('Z')))
        t.chop(1);
    QDateTime d = QDateTime::fromString(t, t.contains(QLatin1Char('.')) ? Qt::ISODateWithMs : Qt::ISODate);
    d.setTimeZone(QTimeZone::utc());
    return d.toMSecsSinceEpoch();
}

qint64 round15min(qint64 msec)
{
    const double q = 15.0 * 60 * 1000;
    return static_cast<qint64>(std::llround(static_cast<double>(msec) / q)) * static_cast<qint64>(q);
}

Options opts(const QString &dir, uint64_t seed = 1, int64_t events = 20000)
{
    Options o;
    o.outDir = dir;
    o.seed = seed;
    o.events = events;
    // These checks read the Windows event files; the Linux servers and the sensor are covered
    // by linuxAndSensor() and tst_generator_mixed.
    o.linuxHosts = 0;
    o.sensor = false;
    return o;
}

// Keys every NXLog record carries, and the event data keys of the real providers.
const char *const kEnvelope[]
    = {"Keywords", "SeverityValue", "EventReceivedTime", "EventID", "ProviderGuid", "ExecutionProcessID", "Channel",
        "host", "ThreadID", "EventTime", "Message", "@timestamp", "SourceModuleType", "port", "RecordNumber", "Task",
        "@version", "OpcodeValue", "SourceModuleName", "Severity", "SourceName", "Version", "Hostname", "tags"};
struct Shape {
    const char *channel;
    int id;
    QStringList keys;
};
QList<Shape> shapes()
{
    auto k = [](const char *s) { return QString::fromLatin1(s).split(QLatin1Char(' ')); };
    const char *sys = "Microsoft-Windows-Sysmon/Operational";
    return {
        {sys, 1,
            k("UtcTime ProcessGuid ProcessId Image FileVersion Description Product Company OriginalFileName "
              "CommandLine "
              "CurrentDirectory User LogonGuid LogonId TerminalSessionId IntegrityLevel Hashes ParentProcessGuid "
              "ParentProcessId ParentImage ParentCommandLine RuleName AccountName Domain UserID Category")},
        {sys, 3,
            k("UtcTime ProcessGuid ProcessId Image User Protocol Initiated SourceIsIpv6 SourceIp SourceHostname "
              "SourcePort SourcePortName DestinationIsIpv6 DestinationIp DestinationHostname DestinationPort "
              "DestinationPortName")},
        {sys, 5, k("UtcTime ProcessGuid ProcessId Image")},
        {sys, 11, k("UtcTime ProcessGuid ProcessId Image TargetFilename CreationUtcTime")},
        {sys, 13, k("UtcTime ProcessGuid ProcessId Image TargetObject Details EventTypeOrignal")},
        {sys, 22, k("UtcTime ProcessGuid ProcessId QueryName QueryStatus QueryResults Image")},
        {"Security", 4624,
            k("SubjectUserSid SubjectUserName SubjectDomainName SubjectLogonId TargetUserSid TargetUserName "
              "TargetDomainName TargetLogonId LogonType LogonProcessName AuthenticationPackageName "
              "WorkstationName LogonGuid TransmittedServices LmPackageName KeyLength ProcessId ProcessName "
              "IpAddress IpPort ImpersonationLevel RestrictedAdminMode TargetOutboundUserName "
              "TargetOutboundDomainName VirtualAccount TargetLinkedLogonId ElevatedToken EventType Opcode Category")},
        {"Security", 4634, k("TargetUserSid TargetUserName TargetDomainName TargetLogonId LogonType")},
        {"Security", 4672, k("SubjectUserSid SubjectUserName SubjectDomainName SubjectLogonId PrivilegeList")},
        {"Security", 4688,
            k("SubjectUserSid SubjectUserName SubjectDomainName SubjectLogonId NewProcessId NewProcessName "
              "TokenElevationType ProcessId CommandLine TargetUserSid TargetUserName TargetDomainName "
              "TargetLogonId ParentProcessName MandatoryLabel")},
        {"Security", 4689,
            k("SubjectUserSid SubjectUserName SubjectDomainName SubjectLogonId Status ProcessId ProcessName")},
        {"Security", 5140,
            k("SubjectUserSid SubjectUserName SubjectDomainName SubjectLogonId ObjectType IpAddress IpPort "
              "ShareName ShareLocalPath AccessMask AccessList")},
        {"Security", 5145,
            k("SubjectUserSid SubjectUserName SubjectDomainName SubjectLogonId ObjectType IpAddress IpPort "
              "ShareName ShareLocalPath RelativeTargetName AccessMask AccessList AccessReason")},
        {"Security", 4648,
            k("SubjectUserSid SubjectUserName TargetUserName TargetServerName TargetInfo ProcessId ProcessName")},
        {"Security", 4697,
            k("SubjectUserSid SubjectUserName ServiceName ServiceFileName ServiceType ServiceStartType "
              "ServiceAccount")},
        {"System", 7045, k("ServiceName ImagePath ServiceType StartType AccountName AccountType UserID Domain")},
    };
}

} // namespace

class TestGenerator : public QObject {
    Q_OBJECT

private slots:
    void deterministic();
    void jsonShapes();
    void countsMatch();
    void evidenceLines();
    void hostClocks();
    void scenarioContent();
    void xmlWellFormed();
    void smallBudget();
    void linuxAndSensor();
};

void TestGenerator::deterministic()
{
    QTemporaryDir a, b, c;
    const Summary sa = generate(opts(a.path()));
    const Summary sb = generate(opts(b.path()));
    const Summary sc = generate(opts(c.path(), 2));
    QVERIFY2(sa.error.isEmpty(), qPrintable(sa.error));
    QCOMPARE(sa.files.size(), sb.files.size());
    for (int i = 0; i < sa.files.size(); ++i)
        QVERIFY2(readAll(sa.files[i]) == readAll(sb.files[i]), qPrintable(sa.files[i]));
    QCOMPARE(readAll(sa.groundTruthPath), readAll(sb.groundTruthPath));
    QVERIFY(readAll(sa.groundTruthPath) != readAll(sc.groundTruthPath));
    QByteArray all1, all3;
    for (const QString &f : sa.files)
        all1 += readAll(f);
    for (const QString &f : sc.files)
        all3 += readAll(f);
    QVERIFY(all1 != all3);
}

void TestGenerator::jsonShapes()
{
    QTemporaryDir d;
    const Summary s = generate(opts(d.path()));
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    const QList<Shape> sh = shapes();
    QSet<QString> seen;
    for (const QString &file : s.files) {
        const QString host = QFileInfo(file).completeBaseName();
        for (const QByteArray &line : lines(file)) {
            QJsonParseError err;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &err);
            QVERIFY2(err.error == QJsonParseError::NoError && doc.isObject(), line.left(200).constData());
            const QJsonObject o = doc.object();
            for (const char *k : kEnvelope)
                QVERIFY2(o.contains(QLatin1String(k)),
                    qPrintable(QLatin1String(k) + QLatin1Char(' ') + QString::fromUtf8(line.left(300))));
            QVERIFY(o.value(QStringLiteral("Hostname")).toString().startsWith(host + QLatin1Char('.')));
            QVERIFY(o.value(QStringLiteral("@timestamp")).toString().endsWith(QLatin1Char('Z')));
            QVERIFY(!o.value(QStringLiteral("EventTime")).toString().endsWith(QLatin1Char('Z')));
            QVERIFY(
                o.value(QStringLiteral("EventID")).isDouble() && o.value(QStringLiteral("RecordNumber")).isDouble());
            const QString ch = o.value(QStringLiteral("Channel")).toString();
            const int id = o.value(QStringLiteral("EventID")).toInt();
            for (const Shape &shp : sh) {
                if (ch != QLatin1String(shp.channel) || id != shp.id)
                    continue;
                seen.insert(ch + QLatin1Char(':') + QString::number(id));
                for (const QString &k : shp.keys)
                    QVERIFY2(o.contains(k),
                        qPrintable(ch + QLatin1Char(':') + QString::number(id) + QLatin1String(" lacks ") + k));
            }
            if (ch.startsWith(QLatin1String("Microsoft-Windows-Sysmon")))
                QVERIFY(o.value(QStringLiteral("ProcessGuid")).toString().size() == 38);
            if (id == 4688)
                QVERIFY(o.value(QStringLiteral("NewProcessId")).toString().startsWith(QLatin1String("0x")));
        }
    }
    // The scenario must exercise every shape listed.
    for (const Shape &shp : sh)
        QVERIFY2(seen.contains(QLatin1String(shp.channel) + QLatin1Char(':') + QString::number(shp.id)),
            qPrintable(QLatin1String(shp.channel) + QLatin1Char(':') + QString::number(shp.id)));
}

void TestGenerator::countsMatch()
{
    QTemporaryDir d;
    const Summary s = generate(opts(d.path(), 7, 30000));
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(s.eventsWritten, 30000);
    QCOMPARE(s.hosts, 12);
    QCOMPARE(s.files.size(), 12);
    const QJsonObject gt = groundTruth(s);
    QCOMPARE(gt.value(QStringLiteral("events")).toInteger(), s.eventsWritten);
    const QJsonObject byHost = gt.value(QStringLiteral("counts_by_host")).toObject();
    QHash<QString, qint64> byChannel;
    qint64 total = 0;
    for (const QString &file : s.files) {
        const QList<QByteArray> ls = lines(file);
        total += ls.size();
        QString host;
        for (const QByteArray &l : ls) {
            const QJsonObject o = QJsonDocument::fromJson(l).object();
            host = o.value(QStringLiteral("Hostname")).toString();
            ++byChannel[o.value(QStringLiteral("Channel")).toString() + QLatin1Char(':')
                + QString::number(o.value(QStringLiteral("EventID")).toInt())];
        }
        QCOMPARE(byHost.value(host).toInteger(), qint64(ls.size()));
    }
    QCOMPARE(total, s.eventsWritten);
    const QJsonObject gch = gt.value(QStringLiteral("counts_by_channel_eventid")).toObject();
    QCOMPARE(gch.size(), byChannel.size());
    for (auto it = byChannel.cbegin(); it != byChannel.cend(); ++it)
        QCOMPARE(gch.value(it.key()).toInteger(), it.value());
    QCOMPARE(gt.value(QStringLiteral("transfers")).toArray().size(), s.transfers);
}

void TestGenerator::evidenceLines()
{
    QTemporaryDir d;
    const Summary s = generate(opts(d.path(), 3));
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    const QJsonObject gt = groundTruth(s);
    QHash<QString, QList<QByteArray>> cache;
    QJsonArray all = gt.value(QStringLiteral("transfers")).toArray();
    for (const QJsonValue v : gt.value(QStringLiteral("other_transfers")).toArray())
        all.append(v);
    QVERIFY(all.size() >= 5);
    for (const QJsonValue v : all) {
        const QJsonObject t = v.toObject();
        const QString file = t.value(QStringLiteral("file")).toString();
        const QJsonArray refs = t.value(QStringLiteral("evidence_refs")).toArray();
        QVERIFY2(!refs.isEmpty(), qPrintable(file));
        QCOMPARE(refs.size(), t.value(QStringLiteral("evidence")).toArray().size());
        QCOMPARE(t.value(QStringLiteral("context_refs")).toArray().size(),
            t.value(QStringLiteral("context")).toArray().size());
        bool atDst = false, atSrc = false;
        for (const QJsonValue rv : t.value(QStringLiteral("context_refs")).toArray()) {
            const QJsonObject r = rv.toObject();
            atSrc |= r.value(QStringLiteral("host")).toString() == t.value(QStringLiteral("src")).toString();
        }
        for (const QJsonValue rv : refs) {
            const QJsonObject r = rv.toObject();
            const QString f = d.path() + QLatin1Char('/') + r.value(QStringLiteral("file")).toString();
            if (!cache.contains(f))
                cache.insert(f, lines(f));
            const QList<QByteArray> &ls = cache[f];
            const qint64 line = r.value(QStringLiteral("line")).toInteger();
            QVERIFY(line >= 1 && line <= ls.size());
            const QByteArray &text = ls[line - 1];
            QVERIFY2(text.contains(file.toUtf8()),
                qPrintable(file + QLatin1String(" not in ") + QString::fromUtf8(text.left(400))));
            const QJsonObject o = QJsonDocument::fromJson(text).object();
            QCOMPARE(
                o.value(QStringLiteral("RecordNumber")).toInteger(), r.value(QStringLiteral("record")).toInteger());
            QCOMPARE(o.value(QStringLiteral("EventID")).toInt(), r.value(QStringLiteral("event_id")).toInt());
            const QString host = o.value(QStringLiteral("Hostname")).toString();
            atDst |= host == t.value(QStringLiteral("dst")).toString();
            atSrc |= host == t.value(QStringLiteral("src")).toString();
        }
        QVERIFY2(atDst, qPrintable(file));
        if (t.value(QStringLiteral("visibility")).toString() == QLatin1String("both"))
            QVERIFY2(atSrc, qPrintable(file));
    }
    QVERIFY(!gt.value(QStringLiteral("fp_traps")).toArray().isEmpty());
}

void TestGenerator::hostClocks()
{
    QTemporaryDir d;
    const Summary s = generate(opts(d.path(), 5));
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QSet<qint64> offsets;
    for (const QString &file : s.files) {
        qint64 offset = 0;
        bool first = true;
        for (const QByteArray &l : lines(file)) {
            const QJsonObject o = QJsonDocument::fromJson(l).object();
            const qint64 local = ms(o.value(QStringLiteral("EventTime")).toString());
            const qint64 collector = ms(o.value(QStringLiteral("@timestamp")).toString());
            const qint64 off = round15min(local - collector);
            if (first) {
                offset = off;
                first = false;
                offsets.insert(off);
            }
            QCOMPARE(off, offset);
            // Collector lag 1-30 s, host skew 0-8 s.
            const qint64 lag = collector - (local - offset);
            QVERIFY2(lag > -9000 && lag < 31000, l.left(300).constData());
            QVERIFY(ms(o.value(QStringLiteral("EventReceivedTime")).toString()) >= local);
            const QString utc = o.value(QStringLiteral("UtcTime")).toString();
            if (!utc.isEmpty()) {
                const qint64 u = ms(utc);
                QCOMPARE(round15min(local - u), offset);
                QVERIFY(local - offset - u <= 0 && local - offset - u > -1000); // EventTime is UtcTime truncated
            }
        }
    }
    QVERIFY2(offsets.size() >= 2, "hosts should not all share one time zone");
}

void TestGenerator::scenarioContent()
{
    QTemporaryDir d;
    Options o = opts(d.path(), 11, 40000);
    o.hosts = 16;
    o.attackerHops = 6;
    const Summary s = generate(o);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    const QJsonObject gt = groundTruth(s);
    QSet<QString> methods, accounts, dsts;
    int attack = 0, benign = 0;
    for (const QJsonValue v : gt.value(QStringLiteral("transfers")).toArray()) {
        const QJsonObject t = v.toObject();
        const QString label = t.value(QStringLiteral("label")).toString();
        if (label == QLatin1String("attack")) {
            ++attack;
            methods.insert(t.value(QStringLiteral("method")).toString());
            accounts.insert(t.value(QStringLiteral("account")).toString());
            dsts.insert(t.value(QStringLiteral("dst")).toString());
            QVERIFY(t.value(QStringLiteral("src")).toString() != t.value(QStringLiteral("dst")).toString());
        } else {
            QCOMPARE(label, QStringLiteral("benign-admin"));
            ++benign;
        }
    }
    QVERIFY(attack >= 6);
    QVERIFY(benign >= 3);
    QCOMPARE(dsts.size(), 6);
    QVERIFY(accounts.size() >= 2);
    for (const char *m : {"smb-admin-share", "psexec-service-binary", "rdp-tsclient"})
        QVERIFY2(methods.contains(QLatin1String(m)), m);
    QCOMPARE(gt.value(QStringLiteral("host_ip_map")).toObject().size(), 16);
    QVERIFY(gt.value(QStringLiteral("fp_trap_refs")).toArray().size() >= 4);
    QCOMPARE(gt.value(QStringLiteral("other_transfers")).toArray().size(), 1);
}

void TestGenerator::xmlWellFormed()
{
    QTemporaryDir d;
    Options o = opts(d.path(), 4, 15000);
    o.format = Options::Format::EventXml;
    const Summary s = generate(o);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QCOMPARE(s.eventsWritten, 15000);
    const QJsonObject gt = groundTruth(s);
    QCOMPARE(gt.value(QStringLiteral("format")).toString(), QStringLiteral("xml"));
    const QJsonObject byHost = gt.value(QStringLiteral("counts_by_host")).toObject();
    qint64 total = 0;
    for (const QString &file : s.files) {
        QVERIFY(file.endsWith(QLatin1String(".xml")));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QXmlStreamReader x(&f);
        qint64 events = 0;
        QString computer;
        bool sawTime = false;
        while (!x.atEnd()) {
            x.readNext();
            if (!x.isStartElement())
                continue;
            if (x.name() == QLatin1String("Event")) {
                ++events;
                QCOMPARE(x.namespaceUri(), QStringLiteral("http://schemas.microsoft.com/win/2004/08/events/event"));
            } else if (x.name() == QLatin1String("TimeCreated")) {
                const QString st = x.attributes().value(QStringLiteral("SystemTime")).toString();
                QVERIFY(st.endsWith(QLatin1Char('Z')) && st.size() == 28);
                sawTime = true;
            } else if (x.name() == QLatin1String("Computer")) {
                computer = x.readElementText();
            }
        }
        QVERIFY2(!x.hasError(), qPrintable(file + QLatin1String(": ") + x.errorString()));
        QVERIFY(sawTime);
        QCOMPARE(byHost.value(computer).toInteger(), events);
        total += events;
    }
    QCOMPARE(total, s.eventsWritten);
    // Evidence lines point at <Event> lines naming the file.
    for (const QJsonValue v : gt.value(QStringLiteral("transfers")).toArray()) {
        const QJsonObject t = v.toObject();
        for (const QJsonValue rv : t.value(QStringLiteral("evidence_refs")).toArray()) {
            const QJsonObject r = rv.toObject();
            const QList<QByteArray> ls
                = lines(d.path() + QLatin1Char('/') + r.value(QStringLiteral("file")).toString());
            const QByteArray &l = ls.at(r.value(QStringLiteral("line")).toInt() - 1);
            QVERIFY(l.startsWith("<Event "));
            QVERIFY(l.contains(t.value(QStringLiteral("file")).toString().toUtf8()));
            const QByteArray rec = QByteArray("<EventRecordID>")
                + QByteArray::number(r.value(QStringLiteral("record")).toInteger()) + QByteArray("</EventRecordID>");
            QVERIFY(l.contains(rec));
        }
    }
}

void TestGenerator::smallBudget()
{
    // Fewer events than the scripted scenario needs: the scenario is kept whole.
    QTemporaryDir d;
    const Summary s = generate(opts(d.path(), 1, 50));
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    QVERIFY(s.eventsWritten > 50);
    QCOMPARE(groundTruth(s).value(QStringLiteral("events")).toInteger(), s.eventsWritten);
    Options bad;
    QVERIFY(!generate(bad).error.isEmpty());
}

void TestGenerator::linuxAndSensor()
{
    QTemporaryDir a, b;
    Options o = opts(a.path(), 9, 20000);
    o.linuxHosts = 3;
    o.sensor = true;
    const Summary s = generate(o);
    QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
    o.outDir = b.path();
    const Summary s2 = generate(o);
    QCOMPARE(s.files.size(), s2.files.size());
    for (int i = 0; i < s.files.size(); ++i)
        QVERIFY2(readAll(s.files[i]) == readAll(s2.files[i]), qPrintable(s.files[i]));
    QCOMPARE(s.hosts, 12 + 3);
    QCOMPARE(s.eventsWritten, 20000); // Linux records and sensor records count against the budget
    const QJsonObject gt = groundTruth(s);
    QCOMPARE(gt.value(QStringLiteral("events")).toInteger(), s.eventsWritten);
    QCOMPARE(gt.value(QStringLiteral("files")).toArray().size(), s.files.size());

    // Shapes: audit lines carry node= and a stamp, auth lines an RFC 3339 time and the host,
    // Zeek TSV a header block.
    int audit = 0, auth = 0, zeek = 0;
    const QRegularExpression auditRe(
        QStringLiteral("^node=[a-z]+[0-9]+ type=[A-Z_]+ msg=audit\\([0-9]+\\.[0-9]{3}:[0-9]+\\):"));
    const QRegularExpression authRe(QStringLiteral(
        "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{6}\\+00:00 [a-z]+[0-9]+ [A-Za-z-]+\\[[0-9]+\\]: "));
    for (const QString &f : s.files) {
        const QList<QByteArray> ls = lines(f);
        QVERIFY2(!ls.isEmpty(), qPrintable(f));
        if (f.endsWith(QLatin1String("-audit.log"))) {
            ++audit;
            for (const QByteArray &l : ls)
                QVERIFY2(auditRe.match(QString::fromUtf8(l)).hasMatch(), l.constData());
        } else if (f.endsWith(QLatin1String("-auth.log"))) {
            ++auth;
            for (const QByteArray &l : ls)
                QVERIFY2(authRe.match(QString::fromUtf8(l)).hasMatch(), l.constData());
        } else if (f.contains(QLatin1String("/zeek/"))) {
            ++zeek;
            QVERIFY(ls.first().startsWith("#separator \\x09"));
            QVERIFY(ls.at(6).startsWith("#fields\tts\t"));
        }
    }
    QCOMPARE(audit, 3);
    QCOMPARE(auth, 3);
    QCOMPARE(zeek, 5);

    // SSH transfers are labelled with evidence at both ends; SMB hops also on the wire.
    int ssh = 0, wire = 0;
    for (const QJsonValue v : gt.value(QStringLiteral("transfers")).toArray()) {
        const QJsonObject t = v.toObject();
        const QString method = t.value(QStringLiteral("method")).toString();
        const QString file = t.value(QStringLiteral("file")).toString();
        bool atSrc = false, atDst = false, sensor = false;
        for (const QJsonValue rv : t.value(QStringLiteral("evidence_refs")).toArray()) {
            const QJsonObject r = rv.toObject();
            const QList<QByteArray> ls
                = lines(a.path() + QLatin1Char('/') + r.value(QStringLiteral("file")).toString());
            const qint64 line = r.value(QStringLiteral("line")).toInteger();
            QVERIFY(line >= 1 && line <= ls.size());
            // An audit event's line is its first record's; the EXECVE naming the file follows.
            QByteArray text = ls.at(line - 1);
            for (qint64 k = line;
                 k < ls.size() && ls.at(k - 1).contains(" type=") && !ls.at(k - 1).contains(" type=EOE"); ++k)
                text += ls.at(k);
            QVERIFY2(text.contains(file.toUtf8()), qPrintable(file));
            atSrc |= r.value(QStringLiteral("host")).toString() == t.value(QStringLiteral("src")).toString();
            atDst |= r.value(QStringLiteral("host")).toString() == t.value(QStringLiteral("dst")).toString();
            sensor |= r.value(QStringLiteral("channel")).toString().startsWith(QLatin1String("zeek:"));
        }
        if (method == QLatin1String("scp") || method == QLatin1String("rsync")) {
            ++ssh;
            QVERIFY2(atSrc && atDst, qPrintable(file));
            QVERIFY(t.value(QStringLiteral("path")).toString().startsWith(QLatin1Char('/')));
        }
        wire += sensor;
    }
    QVERIFY(ssh >= 3);
    QVERIFY(wire >= 3);
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
