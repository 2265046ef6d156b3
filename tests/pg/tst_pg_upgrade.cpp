// A server case made by an older TransferTrace is upgraded on a writable open (issue 13): the
// schema steps after its version in one transaction (store::upgradePgCase), its rows kept, the
// result the schema of a new case; an import into it works. Refused with a clear message and
// nothing changed: a newer case, a read-only open, another session in the case; a step that fails
// takes the earlier ones back with it.

#include "store/CaseLocation.h"
#include "store/CaseStore.h"
#include "store/CaseWriter.h"
#include "store/PgDb.h"
#include "store/PgSchema.h"
#include "store/Schema.h"

#include <QTest>

#include "pg/PgTestCluster.h"

#include <set>
#include <string>

using namespace tt;
using namespace tt::store;
using tt::sql::PgDb;

namespace {

// The case as the TransferTrace of `version` left it, with rows in that version's layout.
void makeOldCase(const std::string &url, int version)
{
    PgDb db;
    db.open(CaseLocation::parse(url), PgDb::Mode::ReadWrite);
    QVERIFY(createPgCase(db, CaseLocation::parse(url), "old", version));
    db.exec("INSERT INTO hosts(id, name) VALUES(1, 'WS01'), (2, 'WS02')");
    db.exec("INSERT INTO sources(id, path, size, mtime, sha256, format, parser, parser_version, imported_utc) "
            "VALUES(1, '/evidence/a.evtx', 10, 20, 'abc', 'evtx', 'test', '1', 30)");
    db.exec("INSERT INTO events(id, ts, ts_source, host_id, event_id, source_id, position, payload_format, "
            "block_id, block_index) VALUES(1, NULL, 0, 1, 1, 1, 0, 1, 1, 0), (2, NULL, 0, 2, 1, 1, 1, 1, 1, 1), "
            "(3, NULL, 0, 2, 1, 1, 2, 1, 1, 2)");
    db.exec("INSERT INTO processes(id, event, host_id, origin, guid, pid, image, command_line, parent_command_line, "
            "integrity, hashes, start_ts) VALUES"
            "(1, 1, 1, 'sysmon1', '{A}', 10, 'C:\\x.exe', 'x', 'parent', 'High', 'SHA256=BB', 100),"
            "(2, 2, 2, 'sysmon1', '{B}', 11, 'C:\\y.exe', 'y', NULL, 'Medium', 'SHA256=AA', 200),"
            "(3, 3, 2, '4688', NULL, 12, 'C:\\z.exe', 'z', NULL, NULL, NULL, 300),"
            "(4, 3, 1, 'sysmon1', '{C}', 13, 'C:\\x.exe', 'x2', NULL, NULL, 'SHA256=BB', 400)");
    db.exec("INSERT INTO annotations(id, target_kind, target_key, note, created_utc, modified_utc) "
            "VALUES(1, 'host', 'WS01', 'patient zero', 1, 2)");
    for (const char *table : {"hosts", "sources", "events", "processes", "annotations"})
        db.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'id'), (SELECT max(id) FROM "
            + table + "))");
}

int caseVersion(const std::string &url)
{
    PgDb db;
    db.open(CaseLocation::parse(url), PgDb::Mode::ReadOnly);
    return pgSchemaVersion(db, CaseLocation::parse(url));
}

bool hasColumn(CaseStore &cs, const char *table, const char *column)
{
    auto st = cs.db().prepare("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                              "AND table_name = ? AND column_name = ?");
    st.bind(1, std::string_view(table)).bind(2, std::string_view(column));
    return st.step();
}

// Columns (table, name, type, nullability, default) and index definitions of a case's schema,
// the schema name taken out.
std::set<std::string> shape(const std::string &url)
{
    PgDb db;
    const CaseLocation loc = CaseLocation::parse(url);
    db.open(loc, PgDb::Mode::ReadOnly);
    std::set<std::string> out;
    auto cols = db.prepare("SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' "
                           "|| coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = ?");
    cols.bind(1, loc.schemaName());
    while (cols.step())
        out.insert("column " + cols.text(0));
    auto ix = db.prepare("SELECT indexname || ': ' || replace(indexdef, ?, 'S') FROM pg_indexes WHERE schemaname = ?");
    ix.bind(1, loc.schemaName()).bind(2, loc.schemaName());
    while (ix.step())
        out.insert("index " + ix.text(0));
    auto trg = db.prepare("SELECT c.relname || '.' || g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = "
                          "g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND NOT "
                          "g.tgisinternal");
    trg.bind(1, loc.schemaName());
    while (trg.step())
        out.insert("trigger " + trg.text(0));
    return out;
}

std::string openError(const std::string &url, CaseStore::Access access)
{
    try {
        CaseStore::open(url, access);
    } catch (const std::exception &e) {
        return e.what();
    }
    return "<opened>";
}

} // namespace

class TstPgUpgrade : public QObject {
    Q_OBJECT

    test::PgTestCluster m_pg;

private slots:
    void initTestCase() { QVERIFY2(m_pg.start(), qPrintable(m_pg.error())); }

    void version10IsUpgradedWithItsRows()
    {
        const std::string url = m_pg.url("v10");
        makeOldCase(url, 10);
        QCOMPARE(caseVersion(url), 10);

        // Refused, nothing changed: read-only, and while another session is in the case.
        const std::string ro = openError(url, CaseStore::Access::ReadOnly);
        QVERIFY2(ro.find("schema version 10") != std::string::npos
                && ro.find("open it once for writing") != std::string::npos,
            ro.c_str());
        QCOMPARE(caseVersion(url), 10);
        {
            PgDb other;
            other.open(CaseLocation::parse(url), PgDb::Mode::ReadWrite);
            other.exec("SELECT pg_advisory_lock_shared(hashtext('transfertrace session tt_v10'))");
            const std::string busy = openError(url, CaseStore::Access::ReadWrite);
            QVERIFY2(busy.find("open in another TransferTrace session") != std::string::npos, busy.c_str());
            QCOMPARE(caseVersion(url), 10);
        }

        auto cs = CaseStore::open(url, CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), kSchemaVersion);
        QCOMPARE(cs->migratedFrom(), 10);
        QCOMPARE(caseVersion(url), kSchemaVersion);
        // Step 11: the hashes once each, in process_hashes; the dropped columns gone; rows kept.
        QVERIFY(!hasColumn(*cs, "processes", "hashes"));
        QVERIFY(!hasColumn(*cs, "processes", "parent_command_line"));
        QVERIFY(hasColumn(*cs, "processes", "hashes_id"));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM process_hashes"), 2);
        {
            auto st = cs->db().prepare("SELECT p.id, p.image, p.command_line, coalesce(h.hashes, '-') FROM processes p "
                                       "LEFT JOIN process_hashes h ON h.id = p.hashes_id ORDER BY p.id");
            QStringList rows;
            while (st.step())
                rows << QString::fromStdString(
                    std::to_string(st.int64(0)) + " " + st.text(1) + " " + st.text(2) + " " + st.text(3));
            QCOMPARE(rows.join(QLatin1Char(';')),
                QStringLiteral(
                    "1 C:\\x.exe x SHA256=BB;2 C:\\y.exe y SHA256=AA;3 C:\\z.exe z -;4 C:\\x.exe x2 SHA256=BB"));
        }
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events"), 3);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM annotations WHERE note = 'patient zero' AND version = 1"), 1);
        // Schema 12's kept event counts: filled from the events (these have no time: none counted).
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM event_minutes", -1), 0);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_event_hours", -1), 0);
        cs.reset();

        // The same schema as a case made now (columns, indexes, triggers).
        const std::string fresh = m_pg.url("fresh");
        {
            PgDb db;
            db.open(CaseLocation::parse(fresh), PgDb::Mode::ReadWrite);
            QVERIFY(createPgCase(db, CaseLocation::parse(fresh), "new"));
        }
        const std::set<std::string> a = shape(url), b = shape(fresh);
        QVERIFY(a.size() > 200);
        std::string diff;
        for (const std::string &s : a)
            if (!b.count(s))
                diff += "\n only upgraded: " + s;
        for (const std::string &s : b)
            if (!a.count(s))
                diff += "\n only new: " + s;
        QVERIFY2(diff.empty(), diff.c_str());

        // An import into it with this TransferTrace: an existing hash is found, a new one added.
        cs = CaseStore::open(url, CaseStore::Access::Create);
        QCOMPARE(cs->migratedFrom(), 0);
        {
            CaseWriter w(*cs);
            SourceRow src;
            src.path = "/evidence/b.evtx";
            src.format = "evtx";
            src.parser = "test";
            src.parserVersion = "1";
            w.begin(src);
            EventRow ev;
            ev.ts = 1704067200000000LL;
            ev.hostId = w.hostId("WS01");
            QCOMPARE(ev.hostId, int64_t(1));
            ev.channel = "Microsoft-Windows-Sysmon/Operational";
            ev.eventId = 1;
            ev.payload = "{}";
            ProcessRow p;
            p.event = w.insertEvent(ev);
            p.hostId = ev.hostId;
            p.origin = "sysmon1";
            p.guid = "{D}";
            p.image = "C:\\new.exe";
            p.hashes = "SHA256=BB";
            w.insertProcess(p);
            p.guid = "{E}";
            p.hashes = "SHA256=CC";
            w.insertProcess(p);
            SourceCounts counts;
            counts.read = counts.stored = 1;
            QVERIFY(w.commit(std::string(64, 'c'), counts) == CaseWriter::CommitResult::Committed);
        }
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM processes"), 6);
        QCOMPARE(cs->db().queryInt("SELECT id FROM processes WHERE guid = '{D}'"), 5);
        QCOMPARE(cs->db().queryInt("SELECT count(DISTINCT hashes_id) FROM processes WHERE image LIKE '%x.exe' OR guid "
                                   "= '{D}'"),
            1);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM process_hashes"), 3);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events"), 4);
        cs.reset();

        // Newer than this build: refused, naming both versions.
        {
            PgDb db;
            db.open(CaseLocation::parse(url), PgDb::Mode::ReadWrite);
            db.exec("INSERT INTO schema_version(version, applied_utc, app_version) VALUES("
                + std::to_string(kSchemaVersion + 1) + ", 0, 'future')");
        }
        const std::string newer = openError(url, CaseStore::Access::ReadWrite);
        QVERIFY2(newer.find("schema version " + std::to_string(kSchemaVersion + 1)) != std::string::npos
                && newer.find("newer than version " + std::to_string(kSchemaVersion)) != std::string::npos,
            newer.c_str());
        const std::string newerImport = openError(url, CaseStore::Access::Create);
        QVERIFY2(newerImport.find("newer than version " + std::to_string(kSchemaVersion)) != std::string::npos,
            newerImport.c_str());
    }

    void version9IsUpgradedOnImport()
    {
        const std::string url = m_pg.url("v9");
        makeOldCase(url, 9);
        QCOMPARE(caseVersion(url), 9);
        auto cs = CaseStore::open(url, CaseStore::Access::Create); // what `import` does
        QCOMPARE(cs->schemaVersion(), kSchemaVersion);
        QCOMPARE(cs->migratedFrom(), 9);
        QVERIFY(hasColumn(*cs, "annotations", "version"));
        QCOMPARE(cs->db().queryInt("SELECT version FROM annotations WHERE id = 1"), 1);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM annotation_conflicts"), 0);
        QCOMPARE(
            cs->db().queryInt("SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid WHERE "
                              "c.relnamespace = 'tt_v9'::regnamespace AND g.tgname = 'tt_notify_annotation_conflicts'"),
            1);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM processes WHERE hashes_id IS NOT NULL"), 3);
        QCOMPARE(cs->db().queryInt("SELECT max(version) FROM schema_version"), kSchemaVersion);
    }

    // A current case made before the search column had its statistics target (a planner hint,
    // no schema step): a writer sets it as it opens the case, a reader leaves it.
    void searchStatisticsAreSetWhenOpenedForWriting()
    {
        const std::string url = m_pg.url("stats");
        const char *target = "SELECT attstattarget FROM pg_attribute WHERE attrelid = to_regclass('events_fts') "
                             "AND attname = 'text'";
        {
            auto cs = CaseStore::open(url, CaseStore::Access::Create);
            QCOMPARE(cs->db().queryInt(target), kPgTrigramStatistics);
            cs->db().exec("ALTER TABLE events_fts ALTER COLUMN text SET STATISTICS -1");
            QCOMPARE(cs->db().queryInt(target), -1);
        }
        {
            auto cs = CaseStore::open(url, CaseStore::Access::ReadOnly);
            QCOMPARE(cs->db().queryInt(target), -1);
        }
        auto cs = CaseStore::open(url, CaseStore::Access::ReadWrite);
        QCOMPARE(cs->db().queryInt(target), kPgTrigramStatistics);
        QCOMPARE(cs->migratedFrom(), 0);
        PgDb db;
        db.open(CaseLocation::parse(url), PgDb::Mode::ReadWrite);
        QCOMPARE(db.queryInt(target), kPgTrigramStatistics); // (the case's schema on this path too)
        QVERIFY(!ensurePgSearchStatistics(db)); // set already: no DDL
    }

    void aFailedStepLeavesTheCaseAsItWas()
    {
        const std::string url = m_pg.url("broken");
        makeOldCase(url, 9); // steps 10 and 11 to run
        {
            PgDb db; // step 11 will find this table and fail to fill it
            db.open(CaseLocation::parse(url), PgDb::Mode::ReadWrite);
            db.exec(
                "CREATE TABLE process_hashes(id bigint PRIMARY KEY, hashes text NOT NULL UNIQUE, extra int NOT NULL)");
        }
        const std::string err = openError(url, CaseStore::Access::ReadWrite);
        QVERIFY2(err != "<opened>", err.c_str());
        QCOMPARE(caseVersion(url), 9);
        PgDb db;
        db.open(CaseLocation::parse(url), PgDb::Mode::ReadOnly);
        QCOMPARE(db.queryInt("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'tt_broken' AND "
                             "table_name = 'processes' AND column_name = 'hashes'"),
            1);
        QCOMPARE(db.queryInt("SELECT count(*) FROM processes WHERE hashes IS NOT NULL"), 3);
        // Step 10 went back with step 11: one transaction.
        QCOMPARE(db.queryInt("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'tt_broken' AND "
                             "table_name = 'annotations' AND column_name = 'version'"),
            0);
        QCOMPARE(db.queryInt("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'tt_broken' AND "
                             "table_name = 'annotation_conflicts'"),
            0);
    }
};

QTEST_GUILESS_MAIN(TstPgUpgrade)
#include "tst_pg_upgrade.moc"
