// Records compressed in blocks (schema v6): the block format, the writer and the one reader
// (byte-exact at every block boundary, dictionaries, a corrupt block), and the migration of a v5
// case made by the previous release (tests/fixtures/cases/schema-v5.ttcase.gz).

#include "store/CaseStore.h"
#include "store/PayloadCodec.h"
#include "store/RecordBlockWriter.h"
#include "store/RecordBlocks.h"
#include "store/RecordReader.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "StoredRecords.h"
#include "V1Fixture.h"

#include <sqlite3.h>

#include <random>

using namespace tt;
using store::CaseStore;
using Payloads = std::vector<std::string>;
Q_DECLARE_METATYPE(Payloads)

namespace {

// A JSON line like the generator's, numbered (blocks of these compress ~10-20x).
std::string jsonLine(int i, size_t pad = 0)
{
    return R"({"EventTime":"2021-01-12 09:41:)" + std::to_string(10 + i % 50) + R"(","Hostname":"WS)"
        + std::to_string(i % 7)
        + R"(.contoso.local","EventID":4688,"Channel":"Security","NewProcessName":"C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd /c copy x \\\\fs01\\c$\\t)"
        + std::to_string(i) + std::string(pad, 'q') + R"(","EventRecordID":)" + std::to_string(100000 + i) + "}";
}

struct Written {
    std::vector<store::RecordRef> refs;
    store::RecordBlockWriter::Stats stats;
};

// One source's payloads through the writer, committed; a dictionary trained on it and not used
// by its later blocks is stored with it (as the import engine does when an import ends).
Written writeSource(
    sql::Db &db, const Payloads &payloads, std::string_view format = "jsonl", std::string_view channel = "Security")
{
    Written w;
    sql::Transaction tx(db);
    auto src = db.prepare("INSERT INTO sources(path, sha256, format, parser, parser_version, imported_utc) "
                          "VALUES('f', lower(hex(randomblob(16))), ?, 'p', '1', 0)");
    src.bind(1, format);
    src.exec();
    store::RecordBlockWriter writer(db);
    writer.begin(db.lastInsertId(), format);
    for (const std::string &p : payloads)
        w.refs.push_back(writer.add(p, channel));
    writer.finish();
    writer.storeTrained();
    tx.commit();
    w.stats = writer.stats();
    return w;
}

QByteArray bytes(std::string_view v)
{
    return QByteArray(v.data(), static_cast<qsizetype>(v.size()));
}

int64_t rawCount(const std::string &path, const char *sqlText)
{
    sql::Db db;
    db.open(path, sql::Db::Mode::ReadOnly);
    return db.queryInt(sqlText, -1);
}

} // namespace

class TstRecordBlocks : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void blockFormat_data()
    {
        QTest::addColumn<Payloads>("records");
        QTest::newRow("one") << Payloads {"{\"a\":1}"};
        QTest::newRow("empty records") << Payloads {"", "x", "", ""};
        QTest::newRow("binary") << Payloads {std::string("\0\xff\xfe<Event>", 10), std::string(3, '\0')};
    }
    void blockFormat()
    {
        QFETCH(Payloads, records);
        std::vector<std::string_view> views(records.begin(), records.end());
        std::string packed;
        store::blocks::pack(views, packed);
        std::vector<std::string_view> back;
        std::string error;
        QVERIFY2(store::blocks::unpack(packed, back, error), error.c_str());
        QCOMPARE(back.size(), records.size());
        for (size_t i = 0; i < records.size(); ++i)
            QCOMPARE(bytes(back[i]), bytes(records[i]));
        // A header that does not describe the data is refused, never read past.
        for (size_t cut : {size_t(0), size_t(3), packed.size() - 1}) {
            if (cut >= packed.size() || (cut == packed.size() - 1 && records.back().empty()))
                continue;
            QVERIFY(!store::blocks::unpack(std::string_view(packed).substr(0, cut), back, error));
            QVERIFY(!error.empty());
        }
        std::string extra = packed + "z";
        QVERIFY(!store::blocks::unpack(extra, back, error));
        std::string huge = packed;
        huge[0] = '\xff'; // claims 255+ records
        QVERIFY(!store::blocks::unpack(huge, back, error));
    }

    // Every record back byte for byte, across block boundaries: records that fill a block
    // exactly, one larger than a block, the per-block record cap, with and without a dictionary.
    // A dictionary is trained (on a thread of its own) from the source's first kTrainBytes of
    // payloads: the blocks holding those are compressed without it, every later block with it.
    void roundTripAtBlockBoundaries_data()
    {
        using store::blocks::kTargetBytes;
        QTest::addColumn<Payloads>("payloads");
        QTest::addColumn<bool>("dictionary");
        Payloads lines;
        for (int i = 0; i < 6000; ++i) // ~1.6 MiB: trains a dictionary
            lines.push_back(jsonLine(i));
        QTest::newRow("json lines, trained dictionary") << lines << true;
        Payloads few(lines.begin(), lines.begin() + 200); // ~54 KiB: too little to train on
        QTest::newRow("small source, no dictionary") << few << false;
        Payloads exact;
        const std::string base = jsonLine(1);
        const size_t quarter = kTargetBytes / 4;
        for (int i = 0; i < 12; ++i) // four records fill a block exactly
            exact.push_back(jsonLine(i, quarter - jsonLine(i).size()));
        QTest::newRow("records fill blocks exactly") << exact << true;
        Payloads big {jsonLine(1), std::string(kTargetBytes * 8 + 1, 'B'), jsonLine(2), jsonLine(3),
            std::string(kTargetBytes - 10, 'C'), std::string(11, 'D'), jsonLine(4)};
        QTest::newRow("a record larger than a block") << big << false; // 7 samples: training fails
        Payloads tiny;
        for (size_t i = 0; i < store::blocks::kMaxRecords * 2 + 3; ++i)
            tiny.push_back(std::to_string(i % 10)); // one byte each: the record cap closes blocks
        QTest::newRow("record cap") << tiny << false;
        std::mt19937 rng(12);
        Payloads binary;
        for (int i = 0; i < 200; ++i) {
            std::string b(rng() % 3000, '\0');
            for (char &c : b)
                c = static_cast<char>(rng());
            binary.push_back(std::move(b));
        }
        QTest::newRow("binary, incompressible, empty") << binary << true;
    }
    void roundTripAtBlockBoundaries()
    {
        QFETCH(Payloads, payloads);
        QFETCH(bool, dictionary);
        const QString file = path("roundtrip.ttcase");
        QFile::remove(file);
        auto cs = CaseStore::open(file.toStdString(), CaseStore::Access::Create);
        sql::Db &db = cs->db();
        const Written w = writeSource(db, payloads);
        QCOMPARE(w.stats.records, int64_t(payloads.size()));
        QCOMPARE(w.stats.dictionariesTrained, dictionary ? int64_t(1) : int64_t(0));
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_blocks"), w.stats.blocks);
        if (QByteArrayView(QTest::currentDataTag()) == "records fill blocks exactly")
            QCOMPARE(db.queryInt("SELECT count(*) FROM record_blocks WHERE records = 4"), int64_t(3));
        // The training set: the first blocks whose payloads reach kTrainBytes, no dictionary;
        // after them (only in a source larger than that) every block uses it.
        int64_t payload = 0, plain = 0, withDict = 0;
        bool trainingSetDone = false;
        auto blocksInOrder = db.prepare("SELECT dict_id IS NOT NULL, raw_bytes - 4 - 4 * records FROM record_blocks "
                                        "ORDER BY id");
        while (blocksInOrder.step()) {
            if (blocksInOrder.int64(0)) {
                QVERIFY(trainingSetDone); // never before the training set is complete
                ++withDict;
            } else {
                QCOMPARE(withDict, int64_t(0)); // no block without it after the first with it
                ++plain;
                payload += blocksInOrder.int64(1);
                trainingSetDone = trainingSetDone || payload >= int64_t(store::RecordBlockWriter::kTrainBytes);
            }
        }
        QCOMPARE(plain + withDict, w.stats.blocks);
        // A source with more than the training set and a block after it: its later blocks use it.
        const auto afterTraining = int64_t(store::RecordBlockWriter::kTrainBytes + store::blocks::kTargetBytes);
        if (dictionary && w.stats.rawBytes > afterTraining)
            QVERIFY(withDict > 0);
        else
            QCOMPARE(withDict, int64_t(0));
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), dictionary ? int64_t(1) : int64_t(0));
        QCOMPARE(db.queryInt("SELECT sum(records) FROM record_blocks"), int64_t(payloads.size()));
        // No block holds more than the target unless it is a single larger record.
        QCOMPARE(db.queryInt(("SELECT count(*) FROM record_blocks WHERE records > 1 AND raw_bytes > 4 + records * 4 + "
                     + std::to_string(store::blocks::kTargetBytes))
                                 .c_str()),
            int64_t(0));
        store::RecordReader reader(db, 4);
        std::string_view out;
        std::string error;
        for (size_t i = 0; i < payloads.size(); ++i) {
            QVERIFY2(reader.read(w.refs[i].block, w.refs[i].index, out, error), error.c_str());
            QCOMPARE(bytes(out), bytes(payloads[i]));
        }
        // Read in order, each block was decompressed once (the cache), backwards too.
        QCOMPARE(reader.blocksDecompressed(), w.stats.blocks);
        for (size_t i = payloads.size(); i-- > 0;) {
            QVERIFY(reader.read(w.refs[i].block, w.refs[i].index, out, error));
            QCOMPARE(bytes(out), bytes(payloads[i]));
        }
        QVERIFY(reader.blocksDecompressed() <= 2 * w.stats.blocks);
    }

    // A second source with the same format and channel reuses the case's dictionary; another
    // channel trains its own; a rolled-back source leaves neither blocks nor a dictionary.
    void dictionaryPerFormatAndChannel()
    {
        auto cs = CaseStore::open(path("dict.ttcase").toStdString(), CaseStore::Access::Create);
        sql::Db &db = cs->db();
        Payloads lines;
        for (int i = 0; i < 8000; ++i) // ~1.8 MiB: more than the training set
            lines.push_back(jsonLine(i));
        const Payloads underTrainBytes(lines.begin(), lines.begin() + 3000); // ~0.7 MiB
        {
            store::RecordBlockWriter writer(db);
            {
                // Trained in the background on a source that is then rolled back: dropped.
                sql::Transaction tx(db);
                writer.begin(1, "jsonl");
                for (const std::string &p : underTrainBytes)
                    writer.add(p, "Sysmon");
                writer.finish();
                QVERIFY(writer.trainingPending());
                writer.discard();
                QVERIFY(!writer.trainingPending());
                tx.rollback();
            }
            {
                // Stored in a transaction that is then rolled back: gone with it.
                sql::Transaction tx(db);
                writer.begin(1, "jsonl");
                for (const std::string &p : underTrainBytes)
                    writer.add(p, "Sysmon");
                writer.finish();
                writer.storeTrained();
                QCOMPARE(writer.stats().dictionariesTrained, int64_t(1));
                QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), int64_t(1));
                writer.discard();
                tx.rollback();
            }
        }
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), int64_t(0));
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_blocks"), int64_t(0));
        const Written a = writeSource(db, lines);
        const int64_t aPlain = db.queryInt("SELECT count(*) FROM record_blocks WHERE dict_id IS NULL");
        QVERIFY(aPlain > 0 && aPlain < a.stats.blocks); // its training set only
        const Written b = writeSource(db, Payloads(lines.begin(), lines.begin() + 100));
        const Written again = writeSource(db, lines);
        QCOMPARE(a.stats.dictionariesTrained, int64_t(1));
        QCOMPARE(b.stats.dictionariesTrained, int64_t(0));
        QCOMPARE(again.stats.dictionariesTrained, int64_t(0));
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), int64_t(1));
        // Every block of the later sources uses the stored dictionary.
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_blocks WHERE dict_id IS NULL"), aPlain);
        const Written c = writeSource(db, lines, "jsonl", "System");
        QCOMPARE(c.stats.dictionariesTrained, int64_t(1));
        auto keys = db.prepare("SELECT group_concat(key, ',') FROM (SELECT key FROM record_dicts ORDER BY key)");
        QVERIFY(keys.step());
        QCOMPARE(keys.text(0), std::string("jsonl|Security,jsonl|System"));
        // The dictionary pays: the same records take less room with it than the first source's
        // (whose training set went without).
        QVERIFY2(again.stats.storedBytes < a.stats.storedBytes,
            qPrintable(QStringLiteral("%1 vs %2").arg(again.stats.storedBytes).arg(a.stats.storedBytes)));
        QVERIFY2(again.stats.storedBytes * 100 < again.stats.rawBytes * 12,
            qPrintable(QStringLiteral("%1 of %2").arg(again.stats.storedBytes).arg(again.stats.rawBytes)));
        store::RecordReader reader(db);
        std::string_view out;
        std::string error;
        for (const Written *w : {&a, &b, &c, &again})
            for (size_t i = 0; i < w->refs.size(); ++i) {
                QVERIFY2(reader.read(w->refs[i].block, w->refs[i].index, out, error), error.c_str());
                QCOMPARE(bytes(out), bytes(lines[i]));
            }
    }

    // One writer across sources, as an import has: a dictionary trained on a committed source is
    // stored by the next source with the key; when that source is rolled back (a duplicate,
    // a cancel) the dictionary goes back to pending and the source after it stores it.
    void dictionaryOutlivesRolledBackSource()
    {
        auto cs = CaseStore::open(path("dictroll.ttcase").toStdString(), CaseStore::Access::Create);
        sql::Db &db = cs->db();
        Payloads lines;
        for (int i = 0; i < 3000; ++i) // ~0.7 MiB: trained at the end of the source
            lines.push_back(jsonLine(i));
        store::RecordBlockWriter writer(db);
        int64_t source = 0;
        auto run = [&](bool commit) {
            sql::Transaction tx(db);
            db.exec("INSERT INTO sources(path, sha256, format, parser, parser_version, imported_utc) "
                    "VALUES('f', lower(hex(randomblob(16))), 'jsonl', 'p', '1', 0)");
            source = db.lastInsertId();
            writer.begin(source, "jsonl");
            for (const std::string &p : lines)
                writer.add(p, "Security");
            writer.finish();
            if (commit) {
                tx.commit();
            } else {
                writer.discard();
                tx.rollback();
            }
        };
        run(true); // trains in the background
        QVERIFY(writer.trainingPending());
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), int64_t(0));
        run(false); // stores and uses it, then is rolled back
        QVERIFY(writer.trainingPending());
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), int64_t(0));
        run(true); // stores and uses it for good
        QVERIFY(!writer.trainingPending());
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_dicts"), int64_t(1));
        QCOMPARE(writer.stats().dictionariesTrained, int64_t(2)); // stored twice, once kept
        auto st = db.prepare("SELECT count(*), sum(dict_id IS NOT NULL) FROM record_blocks WHERE source_id = ?");
        st.bind(1, source);
        QVERIFY(st.step());
        QVERIFY(st.int64(0) > 0);
        QCOMPARE(st.int64(1), st.int64(0)); // every block of the last source uses it
        QCOMPARE(db.queryInt("SELECT count(*) FROM record_blocks WHERE dict_id IS NULL"),
            db.queryInt("SELECT count(*) FROM record_blocks WHERE source_id = 1"));
    }

    // A damaged block: each of its records reports that block, every other record still reads.
    void corruptBlockFailsOnlyItsRecords_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("flipped bytes") << QStringLiteral("flip");
        QTest::newRow("truncated") << QStringLiteral("truncate");
        QTest::newRow("not zstd") << QStringLiteral("garbage");
        QTest::newRow("missing dictionary") << QStringLiteral("dict");
        QTest::newRow("block row gone") << QStringLiteral("delete");
    }
    void corruptBlockFailsOnlyItsRecords()
    {
        QFETCH(QString, damage);
        const QString file = path("corrupt.ttcase");
        QFile::remove(file);
        auto cs = CaseStore::open(file.toStdString(), CaseStore::Access::Create);
        sql::Db &db = cs->db();
        Payloads lines;
        for (int i = 0; i < 5000; ++i)
            lines.push_back(jsonLine(i));
        const Written w = writeSource(db, lines);
        QVERIFY(w.stats.blocks >= 5);
        const int64_t bad = w.refs[lines.size() / 2].block;
        if (damage == QLatin1String("flip"))
            db.exec(
                "UPDATE record_blocks SET data = substr(data, 1, 40) || zeroblob(64) || substr(data, 105) WHERE id = "
                + std::to_string(bad));
        else if (damage == QLatin1String("truncate"))
            db.exec(
                "UPDATE record_blocks SET data = substr(data, 1, length(data) / 2) WHERE id = " + std::to_string(bad));
        else if (damage == QLatin1String("garbage"))
            db.exec("UPDATE record_blocks SET data = x'00112233445566778899' WHERE id = " + std::to_string(bad));
        else if (damage == QLatin1String("dict"))
            db.exec("UPDATE record_blocks SET dict_id = 999 WHERE id = " + std::to_string(bad));
        else
            db.exec("DELETE FROM record_blocks WHERE id = " + std::to_string(bad));
        store::RecordReader reader(db);
        std::string_view out;
        std::string error;
        int failed = 0;
        for (size_t i = 0; i < lines.size(); ++i) {
            error.clear();
            const bool ok = reader.read(w.refs[i].block, w.refs[i].index, out, error);
            if (w.refs[i].block == bad) {
                QVERIFY(!ok);
                QVERIFY2(
                    QString::fromStdString(error).contains(QStringLiteral("record block %1").arg(bad)), error.c_str());
                ++failed;
            } else {
                QVERIFY2(ok, error.c_str());
                QCOMPARE(bytes(out), bytes(lines[i]));
            }
        }
        QVERIFY(failed > 0);
    }

    // A v5 case (made by the previous release: JSON lines, event XML, Zeek TSV rendered as JSON and
    // one zstd-compressed 8 KB line) opens migrated: backup beside it, every payload byte-exact in
    // blocks, the payload columns gone, the file vacuumed.
    void migratesV5Fixture()
    {
        const QString c = path("v5.ttcase");
        QVERIFY(test::unpackV5Fixture(c));
        const std::string p = c.toStdString();
        QCOMPARE(rawCount(p, "SELECT max(version) FROM schema_version"), int64_t(5));
        std::vector<std::pair<int64_t, std::string>> before;
        {
            sql::Db db;
            db.open(p, sql::Db::Mode::ReadOnly);
            QCOMPARE(db.queryInt("SELECT count(*) FROM events WHERE payload_codec = 1"), int64_t(1));
            auto st = db.prepare("SELECT id, payload_codec, payload FROM events ORDER BY id");
            store::PayloadCodec codec;
            while (st.step()) {
                const void *b = sqlite3_column_blob(st.handle(), 2);
                std::string text;
                QVERIFY(codec.decode(st.integer(1),
                    std::string_view(static_cast<const char *>(b), size_t(sqlite3_column_bytes(st.handle(), 2))),
                    text));
                before.emplace_back(st.int64(0), std::move(text));
            }
        }
        QCOMPARE(before.size(), size_t(16));
        {
            auto cs = CaseStore::open(p, CaseStore::Access::ReadWrite);
            QCOMPARE(cs->migratedFrom(), 5);
            QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
            QCOMPARE(QString::fromStdString(cs->migrationBackup()), c + ".v5.bak");
            sql::Db &db = cs->db();
            QCOMPARE(db.queryInt("SELECT count(*) FROM pragma_table_info('events') WHERE name LIKE 'payload%'"),
                int64_t(1)); // payload_format stays
            QCOMPARE(db.queryInt("SELECT count(*) FROM events WHERE block_id IS NULL"), int64_t(0));
            QCOMPARE(db.queryInt("SELECT count(*) FROM import_issues WHERE message LIKE '%corrupt%'"), int64_t(0));
            // One source's records share blocks; sources never share one.
            QCOMPARE(db.queryInt("SELECT count(DISTINCT block_id) FROM events"), int64_t(4));
            QCOMPARE(db.queryInt("SELECT count(*) FROM events e JOIN record_blocks b ON b.id = e.block_id "
                                 "WHERE b.source_id <> e.source_id"),
                int64_t(0));
            const std::vector<test::StoredRecord> after = test::storedRecords(db);
            QCOMPARE(after.size(), before.size());
            for (size_t i = 0; i < after.size(); ++i) {
                QCOMPARE(after[i].id, before[i].first);
                QVERIFY2(after[i].ok, after[i].payload.c_str());
                QCOMPARE(bytes(after[i].payload), bytes(before[i].second));
            }
            QCOMPARE(db.queryInt("PRAGMA freelist_count"), int64_t(0)); // vacuumed: the payloads' pages are gone
            auto check = db.prepare("PRAGMA integrity_check");
            QVERIFY(check.step());
            QCOMPARE(check.text(0), std::string("ok"));
        }
        QCOMPARE(rawCount(QString(c + ".v5.bak").toStdString(), "SELECT max(version) FROM schema_version"), int64_t(5));
        QCOMPARE(rawCount(QString(c + ".v5.bak").toStdString(), "SELECT count(*) FROM events"), int64_t(16));
        // Reopened: nothing left to migrate.
        auto again = CaseStore::open(p, CaseStore::Access::ReadWrite);
        QCOMPARE(again->migratedFrom(), 0);
    }

    // Read-only: the v5 file is left byte for byte as it was; a private migrated copy is read.
    void readOnlyV5ReadsPrivateCopy()
    {
        const QString c = path("ro-v5.ttcase");
        QVERIFY(test::unpackV5Fixture(c));
        QFile f(c);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray original = f.readAll();
        f.close();
        {
            auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadOnly);
            QVERIFY(cs->temporaryCopy());
            QCOMPARE(cs->migratedFrom(), 5);
            QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
            store::RecordReader reader(cs->db());
            auto st = cs->db().prepare("SELECT block_id, block_index FROM events WHERE payload_format = 2 ORDER BY id");
            std::string_view out;
            std::string error;
            int n = 0;
            while (st.step()) {
                QVERIFY2(reader.read(st, 0, out, error), error.c_str());
                QVERIFY(out.size() > 2 && out.front() == '{' && out.back() == '}');
                ++n;
            }
            QCOMPARE(n, 7);
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), original);
        QVERIFY(!QFileInfo::exists(c + ".v5.bak"));
    }
};

QTEST_GUILESS_MAIN(TstRecordBlocks)
#include "tst_record_blocks.moc"
