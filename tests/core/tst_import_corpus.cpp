// Corpus test of the whole import path (engine + format detection + parsers + normaliser + SQLite)
// on ../shared/corpus: the full EVTX folder into one case against evtx_counts.tsv, every labelled
// EVTX / Mordor file alone against ground_truth.json, and normalised rows of two hand-checked
// lateral-movement recordings. Exits 77 (skipped) when the corpus is absent.

#include "TestSupport.h"

#include "core/ImportEngine.h"
#include "store/CaseStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <future>
#include <map>

using namespace tt;

namespace {

const char *const kIertutilZip = "mordor/covenant_dcom_iertutil_dll_hijack.zip";
const char *const kRemoteFileCopy = "evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement/LM_5145_Remote_FileCopy.evtx";

struct TsvRow {
    int64_t evtxinfoRecords = 0;
    int64_t evtxexportExported = 0;
};

// Non-blank lines of the .json inside a Mordor zip, streamed out of `unzip -p` (no event loop
// needed: runs on a worker thread while the engine imports the same zip).
int64_t nonBlankJsonLines(const QString &zip, QString *error)
{
    QProcess p;
    p.start(QStringLiteral("unzip"), {QStringLiteral("-p"), zip, QStringLiteral("*.json")});
    if (!p.waitForStarted(30000)) {
        *error = QStringLiteral("cannot start unzip: ") + p.errorString();
        return -1;
    }
    int64_t n = 0;
    bool nonBlank = false;
    auto consume = [&](const QByteArray &chunk) {
        for (char c : chunk) {
            if (c == '\n') {
                n += nonBlank;
                nonBlank = false;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                nonBlank = true;
            }
        }
    };
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(1000);
        consume(p.readAllStandardOutput());
    }
    consume(p.readAllStandardOutput());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("unzip failed: ") + QString::fromLocal8Bit(p.readAllStandardError());
        return -1;
    }
    return n + nonBlank;
}

// Ground truth names hosts as logged (FQDN or NetBIOS); the case keys them by upper-case short name.
QString hostKey(const QString &name)
{
    static const QRegularExpression ipv4(QStringLiteral("^\\d{1,3}(\\.\\d{1,3}){3}$"));
    if (ipv4.match(name).hasMatch() || name.contains(QLatin1Char(':')))
        return name; // an address names an IP-only host as is
    return name.section(QLatin1Char('.'), 0, 0).toUpper();
}

QMap<QString, int64_t> toMap(const std::vector<store::CaseStore::CountRow> &rows)
{
    QMap<QString, int64_t> m;
    for (const auto &r : rows)
        m[QString::fromStdString(r.key)] += r.count;
    return m;
}

// "" when equal, else one line per differing key.
QString diffCounts(const QMap<QString, int64_t> &expected, const QMap<QString, int64_t> &actual)
{
    QString out;
    QStringList keys = expected.keys() + actual.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &k : keys) {
        const int64_t e = expected.value(k, 0), a = actual.value(k, 0);
        if (e != a)
            out += QStringLiteral("\n  '%1': expected %2, case has %3").arg(k).arg(e).arg(a);
    }
    return out;
}

int64_t queryInt(store::CaseStore &cs, const char *sql)
{
    return cs.db().queryInt(sql);
}

int64_t utcSeconds(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toSecsSinceEpoch();
}

} // namespace

class TstImportCorpus : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void wholeEvtxFolder();
    void groundTruthCounts_data();
    void groundTruthCounts();
    void iertutilNormalised();
    void remoteFileCopy5145();
    void cleanupTestCase();

private:
    // A case holding only `rel` (relative to the corpus), imported once and shared between tests.
    QString caseFor(const QString &rel, ImportSummary *summary = nullptr);

    QString m_corpus;
    QTemporaryDir m_tmp;
    QJsonArray m_truth;
    std::map<QString, TsvRow> m_tsv;
    QHash<QString, QString> m_cases;
    int m_caseCounter = 0;
    QElapsedTimer m_clock;
};

void TstImportCorpus::initTestCase()
{
    m_clock.start();
    QVERIFY(m_tmp.isValid());
    m_corpus = QDir(tt::test::corpusDir()).absolutePath();

    QFile gt(m_corpus + "/ground_truth.json");
    QVERIFY2(gt.open(QIODevice::ReadOnly), "ground_truth.json missing");
    m_truth = QJsonDocument::fromJson(gt.readAll()).array();
    QVERIFY(!m_truth.isEmpty());

    QFile tsv(m_corpus + "/evtx_counts.tsv");
    QVERIFY2(tsv.open(QIODevice::ReadOnly | QIODevice::Text), "evtx_counts.tsv missing");
    const QList<QByteArray> header = tsv.readLine().trimmed().split('\t');
    const int colPath = int(header.indexOf("path"));
    const int colInfo = int(header.indexOf("evtxinfo_records"));
    const int colExport = int(header.indexOf("evtxexport_exported"));
    QVERIFY2(colPath >= 0 && colInfo >= 0 && colExport >= 0, "unexpected evtx_counts.tsv header");
    while (!tsv.atEnd()) {
        const QByteArray line = tsv.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> f = line.split('\t');
        QVERIFY2(f.size() == header.size(), line.constData());
        TsvRow r;
        bool ok1 = false, ok2 = false;
        r.evtxinfoRecords = f[colInfo].toLongLong(&ok1);
        r.evtxexportExported = f[colExport].toLongLong(&ok2);
        QVERIFY2(ok1 && ok2, line.constData());
        m_tsv[QString::fromUtf8(f[colPath])] = r;
    }
    QVERIFY(!m_tsv.empty());
}

QString TstImportCorpus::caseFor(const QString &rel, ImportSummary *summary)
{
    if (!summary) {
        auto it = m_cases.constFind(rel);
        if (it != m_cases.constEnd())
            return it.value();
    }
    QString casePath = m_tmp.filePath(QStringLiteral("case%1.ttcase").arg(++m_caseCounter));
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::Create);
    ImportEngine engine(*cs, {});
    ImportSummary sum = engine.run({QString(m_corpus + "/" + rel).toStdString()});
    if (summary)
        *summary = sum;
    m_cases.insert(rel, casePath);
    return casePath;
}

// a. Every EVTX file of the corpus, through the engine's folder walk, into one case.
void TstImportCorpus::wholeEvtxFolder()
{
    QElapsedTimer t;
    t.start();
    const QString evtxDir = m_corpus + "/evtx";
    const QString casePath = m_tmp.filePath("all_evtx.ttcase");
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::Create);
    ImportEngine engine(*cs, {});
    const ImportSummary sum = engine.run({evtxDir.toStdString()});
    QVERIFY(!sum.cancelled);
    QCOMPARE(sum.files.size(), m_tsv.size());

    const QString prefix = evtxDir + "/";
    auto relOf = [&](const std::string &p) {
        const QString s = QString::fromStdString(p);
        return s.startsWith(prefix) ? s.mid(prefix.size()) : s;
    };

    // Stored records per source row, reachable by path and by hash (duplicates name no row).
    QHash<QString, int64_t> storedByRel;
    QHash<QString, int64_t> storedBySha;
    for (const auto &s : cs->sources()) {
        QVERIFY2(QString::fromStdString(s.path).startsWith(prefix), s.path.c_str());
        storedByRel.insert(relOf(s.path), s.stored);
        storedBySha.insert(QString::fromStdString(s.sha256), s.stored);
    }

    QStringList failed, unknown, belowExport, belowInfo;
    int64_t totalStored = 0, totalInfo = 0, totalExport = 0;
    int duplicates = 0;
    for (const FileReport &f : sum.files) {
        const QString rel = relOf(f.path);
        if (f.status == FileReport::Status::Failed || f.status == FileReport::Status::Cancelled) {
            failed << QStringLiteral("%1: %2").arg(rel, QString::fromStdString(f.message));
            continue;
        }
        auto row = m_tsv.find(rel);
        if (row == m_tsv.end()) {
            unknown << rel;
            continue;
        }
        int64_t stored = -1;
        if (f.status == FileReport::Status::Duplicate) {
            // Same bytes as a file imported earlier in the walk: its row holds the records.
            ++duplicates;
            stored = storedBySha.value(QString::fromStdString(f.sha256), -1);
        } else {
            QCOMPARE(f.format, std::string("evtx"));
            stored = storedByRel.value(rel, -1);
            QCOMPARE(stored, f.stored);
            totalStored += stored;
            totalInfo += row->second.evtxinfoRecords;
            totalExport += row->second.evtxexportExported;
        }
        if (stored < row->second.evtxexportExported)
            belowExport << QStringLiteral("%1: stored %2 < evtxexport %3")
                               .arg(rel)
                               .arg(stored)
                               .arg(row->second.evtxexportExported);
        if (stored < row->second.evtxinfoRecords) {
            belowInfo << rel;
            qInfo("below evtxinfo: %s: stored %lld < evtxinfo_records %lld", qPrintable(rel), qlonglong(stored),
                qlonglong(row->second.evtxinfoRecords));
        }
    }
    qInfo("whole evtx folder: %zu files (%d duplicates by content), %lld records stored vs evtxinfo %lld and "
          "evtxexport %lld (unique files); %lld files below evtxinfo; %.1f s",
        sum.files.size(), duplicates, qlonglong(totalStored), qlonglong(totalInfo), qlonglong(totalExport),
        qlonglong(belowInfo.size()), double(t.elapsed()) / 1000.0);
    QVERIFY2(failed.isEmpty(), qPrintable("files failed:\n" + failed.join('\n')));
    QVERIFY2(unknown.isEmpty(), qPrintable("files not in evtx_counts.tsv:\n" + unknown.join('\n')));
    QVERIFY2(belowExport.isEmpty(), qPrintable("fewer records than evtxexport:\n" + belowExport.join('\n')));
    QCOMPARE(queryInt(*cs, "SELECT count(*) FROM events"), totalStored);
    QCOMPARE(cs->totals().events, totalStored);
}

// b. Each labelled EVTX / Mordor file alone: counts per Channel:EventID and per host.
void TstImportCorpus::groundTruthCounts_data()
{
    QTest::addColumn<QString>("rel");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QJsonObject>("entry");
    for (const QJsonValue v : std::as_const(m_truth)) {
        const QJsonObject o = v.toObject();
        const QString format = o.value("format").toString();
        if (format != "evtx" && format != "jsonl")
            continue;
        const QString rel = o.value("file").toString();
        QTest::newRow(qPrintable(rel)) << rel << format << o;
    }
}

void TstImportCorpus::groundTruthCounts()
{
    QFETCH(QString, rel);
    QFETCH(QString, format);
    QFETCH(QJsonObject, entry);
    const QString abs = m_corpus + "/" + rel;
    QVERIFY2(QFile::exists(abs), qPrintable(abs));

    // Count the zip's lines on a worker while the engine imports the zip in place.
    std::future<std::pair<int64_t, QString>> lines;
    if (format == "jsonl")
        lines = std::async(std::launch::async, [abs] {
            QString err;
            const int64_t n = nonBlankJsonLines(abs, &err);
            return std::make_pair(n, err);
        });

    ImportSummary sum;
    const QString casePath = caseFor(rel, &sum);
    QCOMPARE(sum.files.size(), size_t(1));
    const FileReport &f = sum.files[0];
    QVERIFY2(f.status == FileReport::Status::Imported, f.message.c_str());
    QCOMPARE(QString::fromStdString(f.format), format);
    if (format == "jsonl")
        QVERIFY2(QString::fromStdString(f.path).startsWith(abs + "!/"), f.path.c_str());

    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
    QMap<QString, int64_t> expectedCe, expectedHost;
    const QJsonObject ce = entry.value("counts_by_channel_eventid").toObject();
    for (auto it = ce.begin(); it != ce.end(); ++it)
        expectedCe[it.key()] += it.value().toInteger();
    const QJsonObject byHost = entry.value("counts_by_host").toObject();
    for (auto it = byHost.begin(); it != byHost.end(); ++it)
        expectedHost[hostKey(it.key())] += it.value().toInteger();
    QVERIFY(!expectedCe.isEmpty());

    const QString ceDiff = diffCounts(expectedCe, toMap(cs->countsByChannelEventId()));
    QVERIFY2(ceDiff.isEmpty(), qPrintable("counts by Channel:EventID differ:" + ceDiff));
    const QString hostDiff = diffCounts(expectedHost, toMap(cs->countsByHost()));
    QVERIFY2(hostDiff.isEmpty(), qPrintable("counts by host differ:" + hostDiff));
    QCOMPARE(cs->totals().events, int64_t(entry.value("events").toInteger()));

    if (format == "jsonl") {
        const auto [n, err] = lines.get();
        QVERIFY2(n > 0, qPrintable(err));
        QCOMPARE(queryInt(*cs, "SELECT sum(records_stored) FROM sources"), n);
        QCOMPARE(f.stored, n);
    }
    cs.reset();
    if (rel != QLatin1String(kIertutilZip) && rel != QLatin1String(kRemoteFileCopy)) {
        QFile::remove(casePath); // the Mordor cases are large; keep only those test c reads
        m_cases.remove(rel);
    }
}

// c. Normalised rows of the DCOM iertutil.dll hijack (file pushed over C$ from WORKSTATION5).
void TstImportCorpus::iertutilNormalised()
{
    const QString casePath = caseFor(kIertutilZip);
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
    QVERIFY(queryInt(*cs, "SELECT count(*) FROM events") > 0);

    QVERIFY(queryInt(*cs,
                "SELECT count(*) FROM share_accesses s JOIN hosts h ON h.id = s.host_id "
                "WHERE s.code = 5145 AND h.name = 'WORKSTATION6' "
                "AND s.relative_target = 'Program Files\\Internet Explorer\\iertutil.dll' "
                "AND s.src_ip = '172.18.39.5' AND s.logon_id = '0x23e34ce'")
        >= 1);
    QVERIFY(queryInt(*cs,
                "SELECT count(*) FROM logon_sessions l JOIN hosts h ON h.id = l.host_id "
                "JOIN accounts a ON a.id = l.account_id WHERE h.name = 'WORKSTATION6' "
                "AND l.logon_type = 3 AND l.source_ip = '172.18.39.5' AND a.name_key = 'PGUSTAVO'")
        >= 1);
    QVERIFY(queryInt(*cs,
                "SELECT count(*) FROM file_events WHERE kind = 'create' AND image = 'System' "
                "AND path = 'C:\\Program Files\\Internet Explorer\\iertutil.dll'")
        >= 1);
    QVERIFY(queryInt(*cs,
                "SELECT count(*) FROM host_addresses a JOIN hosts h ON h.id = a.host_id "
                "WHERE h.name = 'WORKSTATION5' AND a.address = '172.18.39.5'")
        >= 1);

    // Every 5145 on the DLL happened at 22:30:31 UTC (EventTime is local; the case must hold UTC).
    const int64_t want = utcSeconds("2020-10-09T22:30:31Z");
    auto st = cs->db().prepare(
        "SELECT e.ts, s.ts, s.access_mask FROM share_accesses s JOIN events e ON e.id = s.event "
        "WHERE s.code = 5145 AND s.relative_target = 'Program Files\\Internet Explorer\\iertutil.dll'");
    int rows = 0;
    while (st.step()) {
        ++rows;
        const int64_t eventTs = st.int64(0), rowTs = st.int64(1);
        QVERIFY2(eventTs / 1000000 == want,
            qPrintable(QStringLiteral("events.ts %1 is %2, expected 2020-10-09T22:30:31Z")
                           .arg(eventTs)
                           .arg(QDateTime::fromMSecsSinceEpoch(eventTs / 1000, Qt::UTC).toString(Qt::ISODateWithMs))));
        QCOMPARE(rowTs, eventTs);
    }
    QVERIFY(rows >= 1);
}

// c. EVTX-ATTACK-SAMPLES LM_5145_Remote_FileCopy: malwr.exe copied over C$ from 10.0.2.15.
// The file holds five 5145 records on malwr.exe (evtxexport: EventRecordID 438297-438303): the
// copy's two write opens (0x17019f) and three follow-up reads by Explorer (0x120089 twice,
// 0x1200a9), all from 10.0.2.15. Only the write opens carry the transfer.
void TstImportCorpus::remoteFileCopy5145()
{
    const QString casePath = caseFor(kRemoteFileCopy);
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
    auto st
        = cs->db().prepare("SELECT coalesce(src_ip,'<null>'), coalesce(access_mask,-1), relative_target, "
                           "coalesce(ts,0) FROM share_accesses WHERE code = 5145 AND relative_target LIKE '%malwr.exe' "
                           "ORDER BY ts, id");
    QMap<int64_t, int> masks;
    int64_t firstWriteTs = 0;
    while (st.step()) {
        const std::string target = st.text(2);
        QVERIFY2(st.text(0) == "10.0.2.15", qPrintable(QString::fromStdString(target + ": src_ip " + st.text(0))));
        ++masks[st.int64(1)];
        if (st.int64(1) == 0x17019f && firstWriteTs == 0)
            firstWriteTs = st.int64(3);
    }
    QVERIFY2(!masks.isEmpty(), "no 5145 row for malwr.exe");
    QString got;
    for (auto it = masks.begin(); it != masks.end(); ++it)
        got += QStringLiteral(" 0x%1 x%2").arg(it.key(), 0, 16).arg(it.value());
    QVERIFY2(masks.value(0x17019f) == 2, qPrintable("access masks:" + got));
    QVERIFY2(masks.value(0x120089) == 2 && masks.value(0x1200a9) == 1 && masks.size() == 3,
        qPrintable("access masks:" + got));
    QCOMPARE(firstWriteTs / 1000000, utcSeconds("2019-03-18T14:23:26Z"));
}

void TstImportCorpus::cleanupTestCase()
{
    qInfo("tst_import_corpus total %.1f s", double(m_clock.elapsed()) / 1000.0);
}

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstImportCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_import_corpus.moc"
