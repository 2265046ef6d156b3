// store::copyCase between a case file and a throw-away PostgreSQL server (issue 13 item 5): a case
// built with the project's own generator, import, inference (benign labels included) and
// annotation APIs (notes, tags, bookmarks, saved views, node positions, metadata) goes file ->
// server -> file and comes back identical: the same tables, every row equal (compared by SQL
// between the two files, blobs bytewise) and the same per-table checksums. With the corpus, the
// same on a case of real recordings. Refusals and failures leave nothing behind.

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/AnnotationStore.h"
#include "store/CaseCopy.h"
#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/PgDb.h"
#include "store/PgSchema.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"
#include "pg/PgTestCluster.h"

#include <cstring>
#include <map>
#include <set>

using namespace tt;
using store::CaseLocation;

namespace {

std::vector<std::string> fileTables(sql::Db &db, const std::string &schema = "main")
{
    std::vector<std::string> out;
    auto st = db.prepare("SELECT name FROM " + schema + ".sqlite_schema WHERE type = 'table' ORDER BY name");
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

} // namespace

class TstCaseCopy : public QObject {
    Q_OBJECT
    test::PgTestCluster m_pg;
    QTemporaryDir m_dir;
    std::string m_fixture; // the annotated generated case

    CaseLocation pg(const std::string &name) const { return CaseLocation::parse(m_pg.url(name)); }
    CaseLocation file(const QString &name) const { return CaseLocation::parse(m_dir.filePath(name).toStdString()); }

    static std::string buildCase(const QString &dir, const std::vector<std::string> &files)
    {
        std::string path = QString(dir + "/case.ttcase").toStdString();
        auto cs = store::CaseStore::open(path, store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const int code = engine.run(files).exitCode();
        if (code == 1)
            throw std::runtime_error("import failed");
        inference::InferenceEngine(*cs).run();
        return path;
    }

    // Every row of every table of two case files equal (SQL over both, blobs bytewise), and no
    // table on one side only.
    void compareFiles(const std::string &a, const std::string &b)
    {
        sql::Db db;
        db.open(a, sql::Db::Mode::ReadOnly);
        db.exec("ATTACH DATABASE '" + b + "' AS other");
        const std::vector<std::string> ta = fileTables(db), tb = fileTables(db, "other");
        QCOMPARE(ta, tb);
        int compared = 0;
        for (const std::string &t : ta) {
            if (t.rfind("events_fts", 0) == 0 || t.rfind("sqlite_", 0) == 0)
                continue; // the derived search index (not copied) and SQLite's own tables
            std::string where = t == "case_info" ? " WHERE key <> 'search_indexed_through'" : "";
            const int64_t na = db.queryInt("SELECT count(*) FROM main.\"" + t + "\"" + where);
            const int64_t nb = db.queryInt("SELECT count(*) FROM other.\"" + t + "\"" + where);
            QVERIFY2(na == nb, (t + ": " + std::to_string(na) + " vs " + std::to_string(nb) + " rows").c_str());
            const int64_t onlyA = db.queryInt("SELECT count(*) FROM (SELECT * FROM main.\"" + t + "\"" + where
                + " EXCEPT SELECT * FROM other.\"" + t + "\"" + where + ")");
            const int64_t onlyB = db.queryInt("SELECT count(*) FROM (SELECT * FROM other.\"" + t + "\"" + where
                + " EXCEPT SELECT * FROM main.\"" + t + "\"" + where + ")");
            QVERIFY2(onlyA == 0 && onlyB == 0, (t + ": rows differ").c_str());
            ++compared;
        }
        QVERIFY(compared >= 30);
        // The same indexes (the copy drops the bulk ones while loading and builds them again).
        auto indexes = [&](const std::string &schema) {
            std::vector<std::string> out;
            auto st = db.prepare("SELECT name FROM " + schema + ".sqlite_schema WHERE type = 'index' ORDER BY name");
            while (st.step())
                out.push_back(st.text(0));
            return out;
        };
        QCOMPARE(indexes("main"), indexes("other"));
        QVERIFY(indexes("other").size() > tt::store::bulkIndexes().size());
        db.exec("DETACH DATABASE other");
    }

    void compareChecksums(const CaseLocation &a, const CaseLocation &b)
    {
        const auto sa = store::caseChecksums(a), sb = store::caseChecksums(b);
        QCOMPARE(sa.size(), sb.size());
        for (size_t i = 0; i < sa.size(); ++i) {
            QCOMPARE(sa[i].table, sb[i].table);
            QVERIFY2(sa[i].rows == sb[i].rows && sa[i].sha256 == sb[i].sha256, sa[i].table.c_str());
            QCOMPARE(sa[i].sha256.size(), size_t(64));
        }
    }

    void roundTrip(const std::string &source, const std::string &caseName, const QString &backName)
    {
        store::CopyOptions o;
        o.appVersion = "test";
        int64_t progressCalls = 0;
        o.progress = [&](const std::string &, int64_t, int64_t) { ++progressCalls; };
        const store::CopyReport up = store::copyCase(CaseLocation::parse(source), pg(caseName), o);
        QVERIFY(up.verified);
        QVERIFY(up.createdTarget);
        QVERIFY(up.rows > 0);
        QVERIFY(progressCalls > 0);
        for (const store::TableCheck &t : up.tables)
            QVERIFY2(t.matches(), t.table.c_str());
        const store::CopyReport down = store::copyCase(pg(caseName), file(backName), o);
        QVERIFY(down.verified);
        QCOMPARE(down.rows, up.rows);
        const std::string back = m_dir.filePath(backName).toStdString();
        QVERIFY(QFileInfo::exists(QString::fromStdString(back)));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(back) + ".copying-" + QString::number(getpid())));
        compareFiles(source, back);
        if (QTest::currentTestFailed())
            return;
        compareChecksums(CaseLocation::parse(source), CaseLocation::parse(back));
        compareChecksums(CaseLocation::parse(source), pg(caseName));
        {
            sql::PgDb db;
            db.open(pg(caseName), sql::PgDb::Mode::ReadOnly);
            for (const store::BulkIndex &ix : store::bulkIndexes()) {
                auto st = db.prepare("SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND indexname = ?");
                st.bind(1, pg(caseName).schemaName()).bind(2, std::string_view(ix.name));
                QVERIFY(st.step());
                QVERIFY2(st.int64(0) == 1, ix.name);
            }
        }
        // The copy is a normal case file: it opens read-write and says the same.
        auto a = store::CaseStore::open(source, store::CaseStore::Access::ReadOnly);
        auto b = store::CaseStore::open(back, store::CaseStore::Access::ReadWrite);
        QCOMPARE(b->totals().events, a->totals().events);
        QCOMPARE(store::AnnotationStore(*b).list().size(), store::AnnotationStore(*a).list().size());
    }

private slots:
    void initTestCase()
    {
#ifdef TT_COPY_CORPUS
        test::requireCorpusOrSkip(); // exits 77: ctest reports this executable as skipped
#endif
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        QVERIFY(m_dir.isValid());
#ifdef TT_COPY_CORPUS
        return;
#endif
        gen::Options o;
        o.hosts = 8;
        o.events = 4000;
        o.seed = 13;
        o.linuxHosts = 2;
        o.attackerHops = 4;
        o.deployment = true; // benign labels on transfers
        o.outDir = m_dir.filePath("gen");
        const gen::Summary g = gen::generate(o);
        QVERIFY2(g.error.isEmpty(), qPrintable(g.error));
        std::vector<std::string> files;
        for (const QString &f : g.files)
            files.push_back(f.toStdString());
        QDir().mkpath(m_dir.filePath("fixture"));
        m_fixture = buildCase(m_dir.filePath("fixture"), files);
        auto cs = store::CaseStore::open(m_fixture, store::CaseStore::Access::ReadWrite);
        store::AnnotationStore s(*cs);
        s.setMeta({"Copy fixture", "Ana Lyst", "file -> server -> file", "Europe/Berlin"});
        const int64_t mine = s.addTag("c2 staging", "#123456");
        const int64_t mal = s.tagByName("malicious")->id;
        store::Annotation host;
        host.kind = store::TargetKind::Host;
        host.key = "WS01";
        // Markup, SQL, a bidi override and what COPY's text format escapes: \\, \n, \r, \t, "\\.", "\\N".
        host.note = "<script>alert(1)</script> '); DROP TABLE annotations; -- \xe2\x80\xae\nline 2\r\n\ttab "
                    "C:\\Windows\\PSEXESVC.exe \\.\n\\.\n\\N";
        host.tagIds = {mal, mine};
        host.bookmarked = true;
        s.put(host);
        auto key = cs->db().prepare("SELECT key FROM transfers WHERE key IS NOT NULL ORDER BY id LIMIT 1");
        QVERIFY(key.step());
        store::Annotation tr;
        tr.kind = store::TargetKind::Transfer;
        tr.key = key.text(0);
        key.reset();
        tr.note = "**pushed** by the attacker";
        tr.markdown = true;
        tr.tagIds = {mal};
        s.put(tr);
        store::SavedView view;
        view.name = "lateral";
        view.filterJson = "{\"accounts\":[\"ACME\\\\admin\"]}";
        view.positionsJson = "{\"WS01\":[1.5,-2.25]}";
        s.saveView(view);
        s.setNodePosition("WS01", 12.125, -7.0000000001);
        s.setNodePosition("DC01", 1e-300, 3.141592653589793);
        // What the copy must carry: every kind of data the issue names.
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM transfers WHERE benign_tool IS NOT NULL") > 0);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM transfers") > 3);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM record_blocks") > 0);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM record_dicts") > 0);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM sources") > 3);
        QVERIFY(cs->db().queryInt("SELECT count(*) FROM transfer_evidence") > 0);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM node_positions"), 2);
    }

#ifndef TT_COPY_CORPUS
    void fileServerFileRoundTripIsIdentical()
    {
        roundTrip(m_fixture, "rt", "back.ttcase");
        // Identity sequences were moved past the copied ids: a new row gets the next id.
        sql::PgDb db;
        db.open(pg("rt"), sql::PgDb::Mode::ReadWrite);
        const int64_t maxHost = db.queryInt("SELECT max(id) FROM hosts");
        auto ins = db.prepare("INSERT INTO hosts(name) VALUES('NEWHOST') RETURNING id");
        QVERIFY(ins.step());
        QCOMPARE(ins.int64(0), maxHost + 1);
    }

#endif
#ifdef TT_COPY_CORPUS
    // A case of a dozen real recordings (EVTX-ATTACK-SAMPLES Lateral_Movement).
    void corpusRoundTripIsIdentical()
    {
        const QString dir = test::corpusDir() + "/evtx/EVTX-ATTACK-SAMPLES/Lateral_Movement";
        QStringList names = QDir(dir).entryList({"*.evtx"}, QDir::Files, QDir::Name);
        QVERIFY(names.size() >= 6);
        std::vector<std::string> files;
        for (const QString &n : names.mid(0, 12))
            files.push_back(QString(dir + "/" + n).toStdString());
        QDir().mkpath(m_dir.filePath("corpus"));
        const std::string path = buildCase(m_dir.filePath("corpus"), files);
        {
            auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadOnly);
            QVERIFY(cs->totals().events > 100);
        }
        roundTrip(path, "corpus", "corpus-back.ttcase");
    }
#else

    void existingFileTargetIsRefusedAndUnchanged()
    {
        const QString target = m_dir.filePath("exists.ttcase");
        {
            QFile f(target);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("keep me");
        }
        try {
            store::copyCase(pg("rt"), file("exists.ttcase"), {});
            QFAIL("an existing file was overwritten");
        } catch (const std::runtime_error &e) {
            QVERIFY2(std::string(e.what()).find("never overwrites") != std::string::npos, e.what());
        }
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("keep me"));
    }

    void serverCaseWithDataIsRefusedUnlessReplace()
    {
        sql::PgDb db;
        db.open(pg("rt"), sql::PgDb::Mode::ReadWrite);
        const int64_t hosts = db.queryInt("SELECT count(*) FROM hosts");
        try {
            store::copyCase(CaseLocation::parse(m_fixture), pg("rt"), {});
            QFAIL("copied into a case holding data");
        } catch (const std::runtime_error &e) {
            QVERIFY2(std::string(e.what()).find("already holds data") != std::string::npos, e.what());
        }
        QCOMPARE(db.queryInt("SELECT count(*) FROM hosts"), hosts); // NEWHOST still there
        db.exec("INSERT INTO events_fts(rowid, text) VALUES(1, 'stale index text')");
        store::CopyOptions o;
        o.replace = true;
        const store::CopyReport r = store::copyCase(CaseLocation::parse(m_fixture), pg("rt"), o);
        QVERIFY(r.verified);
        QVERIFY(!r.createdTarget);
        QCOMPARE(db.queryInt("SELECT count(*) FROM hosts WHERE name = 'NEWHOST'"), 0);
        QCOMPARE(db.queryInt("SELECT count(*) FROM events_fts"), 0); // derived: emptied, rebuilt later
        compareChecksums(CaseLocation::parse(m_fixture), pg("rt"));
    }

    // A target that does not store what it was given (here a trigger lower-cases host names) is
    // caught by the verification: the copy is rolled back and the case keeps what it held.
    void verificationCatchesADifferenceAndRollsBack()
    {
        sql::PgDb db;
        db.open(pg("tamper"), sql::PgDb::Mode::ReadWrite);
        QVERIFY(store::createPgCase(db, pg("tamper"), "test"));
        db.exec("INSERT INTO hosts(name) VALUES('KEEP')");
        db.exec("CREATE FUNCTION lower_name() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN NEW.name := lower(NEW.name); RETURN NEW; END $$");
        db.exec("CREATE TRIGGER lower_name BEFORE INSERT ON hosts FOR EACH ROW EXECUTE FUNCTION lower_name()");
        store::CopyOptions o;
        o.replace = true;
        const store::CopyReport r = store::copyCase(CaseLocation::parse(m_fixture), pg("tamper"), o);
        QVERIFY(!r.verified);
        int differing = 0;
        for (const store::TableCheck &t : r.tables) {
            if (t.matches())
                continue;
            ++differing;
            QCOMPARE(t.table, std::string("hosts"));
            QCOMPARE(t.targetRows, t.sourceRows); // same count, other content
            QVERIFY(t.targetSha256 != t.sourceSha256);
        }
        QCOMPARE(differing, 1);
        QCOMPARE(db.queryInt("SELECT count(*) FROM hosts"), 1);
        QCOMPARE(db.queryInt("SELECT count(*) FROM hosts WHERE name = 'KEEP'"), 1);
        QCOMPARE(db.queryInt("SELECT count(*) FROM events"), 0);
        QCOMPARE(store::pgSchemaVersion(db, pg("tamper")), tt::store::kSchemaVersion);
    }

    void unknownTableIsAnErrorAndLeavesNothing()
    {
        const std::string odd = m_dir.filePath("odd.ttcase").toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(m_fixture), QString::fromStdString(odd)));
        {
            sql::Db db;
            db.open(odd, sql::Db::Mode::ReadWrite);
            db.exec("CREATE TABLE plugin_notes(id INTEGER PRIMARY KEY, text TEXT)");
        }
        try {
            store::copyCase(CaseLocation::parse(odd), pg("odd"), {});
            QFAIL("an unknown table was skipped");
        } catch (const std::runtime_error &e) {
            QVERIFY2(std::string(e.what()).find("plugin_notes") != std::string::npos, e.what());
        }
        sql::PgDb db;
        db.open(pg("odd"), sql::PgDb::Mode::ReadWrite);
        QCOMPARE(store::pgSchemaVersion(db, pg("odd")), 0); // the case it created is gone again
    }

    void badValueFailsWithoutAHalfCase()
    {
        // A text column holding a blob cannot be kept exactly: a clear error, nothing written.
        const std::string bad = m_dir.filePath("bad.ttcase").toStdString();
        QVERIFY(QFile::copy(QString::fromStdString(m_fixture), QString::fromStdString(bad)));
        {
            sql::Db db;
            db.open(bad, sql::Db::Mode::ReadWrite);
            db.exec("UPDATE annotations SET note = x'00ff' WHERE target_kind = 'host'");
        }
        try {
            store::copyCase(CaseLocation::parse(bad), pg("bad"), {});
            QFAIL("a blob in a text column was copied");
        } catch (const std::runtime_error &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("annotations") != std::string::npos && what.find("note") != std::string::npos, e.what());
        }
        sql::PgDb db;
        db.open(pg("bad"), sql::PgDb::Mode::ReadWrite);
        QCOMPARE(store::pgSchemaVersion(db, pg("bad")), 0);
        // Server -> file failing half-way (cancelled in the events table): no file, no temporary.
        store::CopyOptions o;
        o.cancel = sql::makeCancelFlag();
        o.batchRows = 50;
        o.progress = [&](const std::string &table, int64_t done, int64_t) {
            if (table == "events" && done > 0)
                o.cancel->store(true);
        };
        QVERIFY_THROWS_EXCEPTION(store::CopyCancelled, store::copyCase(pg("rt"), file("cancelled.ttcase"), o));
        QVERIFY(!QFileInfo::exists(m_dir.filePath("cancelled.ttcase")));
        const QStringList left = QDir(m_dir.path()).entryList({"cancelled.ttcase*"});
        QVERIFY2(left.isEmpty(), qPrintable(left.join(',')));
        // File -> new server case cancelled: the case is gone again.
        o.cancel->store(false);
        QVERIFY_THROWS_EXCEPTION(store::CopyCancelled, store::copyCase(CaseLocation::parse(m_fixture), pg("cx"), o));
        sql::PgDb cx;
        cx.open(pg("cx"), sql::PgDb::Mode::ReadWrite);
        QCOMPARE(store::pgSchemaVersion(cx, pg("cx")), 0);
    }

    void checksumIsTheDocumentedRendering()
    {
        // node_positions holds (host_name TEXT, x REAL, y REAL), columns by name: host_name, x, y.
        // Recompute its checksum here from the definition and compare with caseChecksums.
        sql::Db db;
        db.open(m_fixture, sql::Db::Mode::ReadOnly);
        auto st = db.prepare("SELECT host_name, x, y FROM node_positions ORDER BY host_name");
        QCryptographicHash h(QCryptographicHash::Sha256);
        auto be = [](QByteArray &b, quint64 v) {
            for (int k = 7; k >= 0; --k)
                b.append(char((v >> (8 * k)) & 0xff));
        };
        int rows = 0;
        while (st.step()) {
            QByteArray b;
            const std::string name = st.text(0);
            b.append('T');
            be(b, name.size());
            b.append(name.data(), qsizetype(name.size()));
            for (int c : {1, 2}) {
                const double d = st.real(c);
                quint64 bits;
                std::memcpy(&bits, &d, 8);
                b.append('R');
                be(b, bits);
            }
            h.addData(b);
            ++rows;
        }
        QCOMPARE(rows, 2);
        for (const auto &t : store::caseChecksums(CaseLocation::parse(m_fixture)))
            if (t.table == "node_positions") {
                QCOMPARE(t.rows, 2);
                QCOMPARE(QByteArray::fromStdString(t.sha256), h.result().toHex());
                return;
            }
        QFAIL("no node_positions checksum");
    }
#endif
};

QTEST_GUILESS_MAIN(TstCaseCopy)
#include "tst_case_copy.moc"
