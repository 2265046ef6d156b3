// Corpus test of tt::JsonLinesParser: every Mordor zip in ../shared/corpus/mordor, checked against
// the hand-made labels in ground_truth.json. Exits 77 (skipped) when the corpus is absent.

#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/TimeUtil.h"
#include "json/JsonLinesParser.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <chrono>
#include <map>

namespace {

struct CountingSink : tt::RecordSink {
    uint64_t events = 0;
    std::vector<tt::test::Reject> rejects;
    std::map<std::string, int64_t> byChannelEventId;
    std::map<std::string, int64_t> byHost;
    std::map<tt::TimeSource, int64_t> bySource;
    // The record checked for the local-time fix (Security 4624, WORKSTATION6, RecordNumber 243215).
    int64_t probeTime = tt::kNoTime;
    int64_t probeRecord = -1;

    void event(tt::RawEvent &ev) override
    {
        ++events;
        ++byChannelEventId[ev.channel + ":" + std::to_string(ev.eventId)];
        ++byHost[ev.computer];
        ++bySource[ev.timeSource];
        if (ev.recordId == probeRecord && ev.eventId == 4624 && ev.computer == "WORKSTATION6.theshire.local")
            probeTime = ev.timeUs;
    }
    void reject(int64_t position, std::string_view reason) override
    {
        rejects.push_back({position, std::string(reason)});
    }
};

QByteArray unzipJson(const QString &zip)
{
    QProcess p;
    p.start("unzip", {"-p", zip, "*.json"});
    if (!p.waitForStarted(30000))
        return {};
    QByteArray out;
    while (p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(1000);
        out += p.readAllStandardOutput();
    }
    out += p.readAllStandardOutput();
    return out;
}

int64_t nonBlankLines(const QByteArray &b)
{
    int64_t n = 0;
    bool nonBlank = false;
    for (char c : b) {
        if (c == '\n') {
            n += nonBlank;
            nonBlank = false;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            nonBlank = true;
        }
    }
    return n + nonBlank;
}

} // namespace

class TstJsonCorpus : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void mordor_data();
    void mordor();
    void localTimeFix();

private:
    QJsonArray m_truth;
};

void TstJsonCorpus::initTestCase()
{
    QFile f(tt::test::corpusDir() + "/ground_truth.json");
    QVERIFY2(f.open(QIODevice::ReadOnly), "ground_truth.json missing");
    m_truth = QJsonDocument::fromJson(f.readAll()).array();
    QVERIFY(!m_truth.isEmpty());
}

void TstJsonCorpus::mordor_data()
{
    QTest::addColumn<QString>("zip");
    const QDir dir(tt::test::corpusDir() + "/mordor");
    const QStringList zips = dir.entryList({"*.zip"}, QDir::Files, QDir::Name);
    QVERIFY(!zips.isEmpty());
    for (const QString &z : zips)
        QTest::newRow(qPrintable(z)) << dir.filePath(z);
}

void TstJsonCorpus::mordor()
{
    QFETCH(QString, zip);
    const QByteArray data = unzipJson(zip);
    QVERIFY2(!data.isEmpty(), "unzip -p produced nothing");

    tt::JsonLinesParser parser;
    CountingSink sink;
    tt::MemorySource src(data.constData(), size_t(data.size()));
    const auto t0 = std::chrono::steady_clock::now();
    QVERIFY(parser.parse(src, sink));
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    qInfo("%s: %llu events, %zu rejects, %.1f MB, %.3f s, %.0f lines/s, %.0f MB/s",
        qPrintable(QFileInfo(zip).fileName()), static_cast<unsigned long long>(sink.events), sink.rejects.size(),
        data.size() / 1e6, dt, double(sink.events + sink.rejects.size()) / dt, data.size() / 1e6 / dt);
    for (size_t i = 0; i < sink.rejects.size() && i < 5; ++i)
        qWarning(
            "reject line %lld: %s", static_cast<long long>(sink.rejects[i].position), sink.rejects[i].reason.c_str());

    QCOMPARE(int64_t(sink.events + sink.rejects.size()), nonBlankLines(data));

    const QString rel = "mordor/" + QFileInfo(zip).fileName();
    QJsonObject truth;
    for (const auto &v : m_truth) {
        const QJsonObject o = v.toObject();
        if (o.value("file").toString() == rel && o.value("format").toString() == "jsonl")
            truth = o;
    }
    if (truth.isEmpty())
        QSKIP("no jsonl label for this file in ground_truth.json");

    QCOMPARE(int64_t(sink.events), int64_t(truth.value("events").toInteger()));
    const QJsonObject byCe = truth.value("counts_by_channel_eventid").toObject();
    std::map<std::string, int64_t> expectCe, expectHost;
    for (auto it = byCe.begin(); it != byCe.end(); ++it)
        expectCe[it.key().toStdString()] = it.value().toInteger();
    const QJsonObject byHost = truth.value("counts_by_host").toObject();
    for (auto it = byHost.begin(); it != byHost.end(); ++it)
        expectHost[it.key().toStdString()] = it.value().toInteger();
    for (const auto &[k, n] : expectCe)
        if (sink.byChannelEventId[k] != n)
            qWarning("%s: expected %lld got %lld", k.c_str(), static_cast<long long>(n),
                static_cast<long long>(sink.byChannelEventId[k]));
    std::erase_if(sink.byChannelEventId, [](const auto &kv) { return kv.second == 0; });
    QCOMPARE(sink.byChannelEventId, expectCe);
    QCOMPARE(sink.byHost, expectHost);
    // Nothing is left on an assumed zone: every host learned its offset.
    QCOMPARE(sink.bySource[tt::TimeSource::AssumedUtc], int64_t(0));
}

void TstJsonCorpus::localTimeFix()
{
    const QString zip = tt::test::corpusDir() + "/mordor/covenant_dcom_iertutil_dll_hijack.zip";
    const QByteArray data = unzipJson(zip);
    QVERIFY(!data.isEmpty());
    // Security 4624 on WORKSTATION6 with EventTime "2020-10-09 18:30:31" (host local, UTC-4).
    QVERIFY(data.contains(R"("EventTime":"2020-10-09 18:30:31")"));
    tt::JsonLinesParser parser;
    CountingSink sink;
    sink.probeRecord = 243215;
    tt::MemorySource src(data.constData(), size_t(data.size()));
    QVERIFY(parser.parse(src, sink));
    QVERIFY(sink.probeTime != tt::kNoTime);
    QCOMPARE(tt::timeutil::formatIsoUtc(sink.probeTime), std::string("2020-10-09T22:30:31.000000Z"));
}

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstJsonCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_json_corpus.moc"
