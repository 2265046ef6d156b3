// Every record of an imported file comes back byte-exact from the compressed blocks (schema v6):
// JSON lines as the file's own lines, event XML as the event's text, rendered formats (Zeek TSV)
// as rendered; hand-written fixtures and generated files large enough for many blocks and a
// trained dictionary.

#include "RecordCheck.h"
#include "generator/Generator.h"
#include "store/RecordBlockWriter.h"
#include "store/RecordBlocks.h"

#include <QDir>
#include <QTemporaryDir>

using namespace tt;

class TstRecordImport : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_genJson, m_genXml;

    static QString largestFile(const QString &dir, const QString &pattern)
    {
        const QFileInfoList files = QDir(dir).entryInfoList({pattern}, QDir::Files, QDir::Size);
        return files.isEmpty() ? QString() : files.first().absoluteFilePath();
    }

private slots:
    void initTestCase()
    {
        gen::Options o;
        o.hosts = 4;
        o.linuxHosts = 0;
        o.events = 12000;
        o.outDir = m_dir.filePath(QStringLiteral("gen-json"));
        gen::generate(o);
        m_genJson = largestFile(o.outDir, QStringLiteral("*.json"));
        o.format = gen::Options::Format::EventXml;
        o.events = 3000;
        o.outDir = m_dir.filePath(QStringLiteral("gen-xml"));
        gen::generate(o);
        m_genXml = largestFile(o.outDir, QStringLiteral("*.xml"));
        QVERIFY(!m_genJson.isEmpty() && !m_genXml.isEmpty());
    }

    void payloadsByteExact_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("minBlocks");
        const QString fx = test::fixturesDir() + QLatin1Char('/');
        QTest::newRow("NXLog JSON lines") << fx + "json/nxlog_mordor_like.json" << 1;
        QTest::newRow("Winlogbeat 7") << fx + "json/winlogbeat7.json" << 1;
        QTest::newRow("Winlogbeat 8") << fx + "json/winlogbeat8.json" << 1;
        QTest::newRow("wevtutil XML") << fx + "xml/wevtutil_security.xml" << 1;
        QTest::newRow("Event Viewer XML") << fx + "xml/eventviewer_saveas.xml" << 1;
        QTest::newRow("UTF-16 XML") << fx + "xml/utf16_sysmon.xml" << 1;
        QTest::newRow("UserData XML") << fx + "xml/userdata_rdp.xml" << 1;
        QTest::newRow("Zeek TSV (rendered)") << fx + "zeek/conn_multi.log" << 1;
        QTest::newRow("Zeek JSON") << fx + "zeek/mixed.json" << 1;
        QTest::newRow("generated JSON lines") << m_genJson << 8;
        QTest::newRow("generated event XML") << m_genXml << 4;
    }
    void payloadsByteExact()
    {
        QFETCH(QString, file);
        QFETCH(int, minBlocks);
        static int n = 0;
        const std::string casePath = m_dir.filePath(QStringLiteral("c%1.ttcase").arg(++n)).toStdString();
        const size_t compared = test::checkImportedPayloads(casePath, file.toStdString());
        if (QTest::currentTestFailed())
            return;
        QVERIFY(compared > 0);
        sql::Db db;
        db.open(casePath, sql::Db::Mode::ReadOnly);
        QVERIFY(db.queryInt("SELECT count(*) FROM record_blocks") >= minBlocks);
        if (minBlocks > 4) { // a big source trains its format / channel dictionary and stores it
            QVERIFY(db.queryInt("SELECT count(*) FROM record_dicts") >= 1);
            // Only the blocks it was trained on (the first kTrainBytes of payloads, trained on a
            // thread of its own meanwhile) go without it.
            QVERIFY(db.queryInt("SELECT coalesce(sum(raw_bytes), 0) FROM record_blocks WHERE dict_id IS NULL")
                < int64_t(store::RecordBlockWriter::kTrainBytes + 2 * store::blocks::kTargetBytes));
        }
    }

    // JSON lines: the stored payload is the file's line itself (the line number is its position).
    void jsonLinesAreTheFileLines()
    {
        QFile f(m_genJson);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        const std::string casePath = m_dir.filePath(QStringLiteral("lines.ttcase")).toStdString();
        auto cs = store::CaseStore::open(casePath, store::CaseStore::Access::Create);
        ImportEngine(*cs, {}).run({m_genJson.toStdString()});
        int64_t decompressed = 0;
        const std::vector<test::StoredRecord> records = test::storedRecords(cs->db(), &decompressed);
        for (const test::StoredRecord &r : records) {
            QVERIFY(r.position >= 1 && r.position <= lines.size());
            QVERIFY2(r.ok, r.payload.c_str());
            QCOMPARE(QByteArray::fromStdString(r.payload), lines.at(r.position - 1));
        }
        QCOMPARE(qsizetype(records.size()), lines.size() - (lines.last().isEmpty() ? 1 : 0));
        QCOMPARE(decompressed, cs->db().queryInt("SELECT count(*) FROM record_blocks"));
    }
};

QTEST_GUILESS_MAIN(TstRecordImport)
#include "tst_record_import.moc"
