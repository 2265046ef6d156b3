// Schema 11 (issue 12 item 2, a compact case): Sysmon's Hashes stored once per distinct value
// (process_hashes), two unread processes columns and four unqueried indexes gone, two indexes
// partial. On a generated case: every process still gives its record's Hashes, the queries that
// used the changed indexes still use an index, a version 9 case (this build's case taken back to
// what version 9 wrote) migrates to the same tables, indexes, records and inference results, and a
// bulk import's deferred indexes survive the renaming.

#include "../app/CaseBuilder.h"
#include "StoredRecords.h"
#include "inference/InferenceEngine.h"
#include "store/CaseStore.h"
#include "store/InferenceRepository.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace tt;

namespace {

std::set<std::string> strings(sql::Db &db, const std::string &sql)
{
    std::set<std::string> out;
    auto st = db.prepare(sql);
    while (st.step())
        out.insert(st.text(0));
    return out;
}

std::vector<std::string> rows(sql::Db &db, const std::string &sql)
{
    std::vector<std::string> out;
    auto st = db.prepare(sql);
    while (st.step())
        out.push_back(st.text(0));
    return out;
}

std::set<std::string> indexNames(sql::Db &db)
{
    return strings(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'");
}

// process id -> its hashes, as the inference reads them.
std::map<int64_t, std::string> processHashes(store::CaseStore &cs)
{
    std::map<int64_t, std::string> out;
    store::InferenceRepository repo(cs);
    repo.loadProcesses({}, [&](store::ProcessInfo &&p) { out[p.id] = p.hashes; });
    return out;
}

// Everything inference writes that a user sees, one line per transfer, in key order.
std::vector<std::string> transfers(sql::Db &db)
{
    return rows(db,
        "SELECT coalesce(t.key,'') || '|' || coalesce(s.name,'') || '|' || d.name || '|' || t.method || '|' || "
        "t.direction || '|' || coalesce(t.account_id,0) || '|' || coalesce(t.src_process_id,0) || '|' || "
        "coalesce(t.dst_process_id,0) || '|' || t.confidence || '|' || t.executed || '|' || coalesce(t.hashes,'') "
        "|| '|' || t.rules || '|' || (SELECT group_concat(event || ':' || role, ',') FROM (SELECT event, role FROM "
        "transfer_evidence e WHERE e.transfer_id = t.id ORDER BY event, role)) FROM transfers t "
        "LEFT JOIN hosts s ON s.id = t.src_host_id JOIN hosts d ON d.id = t.dst_host_id ORDER BY t.key, t.id");
}

// Takes a current case back to what version 9 wrote: hashes in a processes column, the two
// unread columns, the old index set; `deferEventsAccount`: as a bulk import left it, with the
// account index noted in deferred_indexes instead of built.
void downgradeToVersion9(const std::string &path, bool deferEventsAccount)
{
    sql::Db db;
    db.open(path, sql::Db::Mode::ReadWrite);
    db.exec("BEGIN");
    db.exec("ALTER TABLE processes ADD COLUMN parent_command_line TEXT; ALTER TABLE processes ADD COLUMN integrity "
            "TEXT; ALTER TABLE processes ADD COLUMN hashes TEXT; UPDATE processes SET hashes = (SELECT hashes FROM "
            "process_hashes WHERE id = hashes_id), parent_command_line = 'parent cmd', integrity = 'High'; "
            "ALTER TABLE processes DROP COLUMN hashes_id; DROP TABLE process_hashes;");
    db.exec("DROP INDEX events_account_known; DROP INDEX processes_parent_guid_known; "
            "CREATE INDEX processes_parent_guid ON processes(parent_guid); "
            "CREATE INDEX processes_parent_image ON processes(parent_image COLLATE NOCASE); "
            "CREATE INDEX processes_image ON processes(image COLLATE NOCASE); "
            "CREATE INDEX processes_account ON processes(account_id, start_ts); "
            "CREATE INDEX file_events_path ON file_events(path COLLATE NOCASE);");
    if (deferEventsAccount)
        db.exec("INSERT INTO deferred_indexes(name) VALUES('events_account'), ('processes_image')");
    else
        db.exec("CREATE INDEX events_account ON events(account_id, ts)");
    db.exec("DELETE FROM schema_version WHERE version > 9");
    db.exec("COMMIT");
    QCOMPARE(store::schemaVersion(db), 9);
}

} // namespace

class TstCompactCase : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_case; // built by this build, inferred

    std::string copyOfCase(const QString &name)
    {
        const QString to = m_dir.filePath(name);
        QFile::remove(to);
        if (!QFile::copy(QString::fromStdString(m_case), to))
            return {};
        return to.toStdString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_case = buildGeneratedCase(m_dir.path(), 6, 30000, 11, &error).toStdString();
        QVERIFY2(!m_case.empty(), qPrintable(error));
    }

    // Each distinct Hashes value is one process_hashes row, and every Sysmon 1 process gives back
    // exactly the Hashes field of its own stored record.
    void hashesStoredOnceAndExact()
    {
        auto cs = store::CaseStore::open(m_case, store::CaseStore::Access::ReadOnly);
        sql::Db &db = cs->db();
        QCOMPARE(db.queryInt("SELECT count(*) FROM pragma_table_info('processes') WHERE name IN ('hashes', "
                             "'parent_command_line', 'integrity')"),
            int64_t(0));
        const int64_t withHashes = db.queryInt("SELECT count(*) FROM processes WHERE hashes_id IS NOT NULL");
        const int64_t distinct = db.queryInt("SELECT count(*) FROM process_hashes");
        QVERIFY(withHashes > 100);
        QVERIFY(distinct > 1 && distinct * 10 < withHashes);
        QCOMPARE(db.queryInt("SELECT count(DISTINCT hashes_id) FROM processes"), distinct);

        std::map<int64_t, int64_t> processOfEvent; // Sysmon 1 event -> process id
        {
            auto st = db.prepare("SELECT event, id FROM processes WHERE origin = 'sysmon1'");
            while (st.step())
                processOfEvent[st.int64(0)] = st.int64(1);
        }
        const std::map<int64_t, std::string> hashes = processHashes(*cs);
        size_t compared = 0;
        for (const test::StoredRecord &r : test::storedRecords(db)) {
            const auto it = processOfEvent.find(r.id);
            if (it == processOfEvent.end())
                continue;
            QVERIFY(r.ok);
            const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(r.payload)).object();
            QVERIFY(o.contains(QStringLiteral("Hashes")));
            QCOMPARE(QString::fromStdString(hashes.at(it->second)), o.value(QStringLiteral("Hashes")).toString());
            ++compared;
        }
        QCOMPARE(compared, processOfEvent.size());
        QVERIFY(compared > 100);
        store::InferenceRepository repo(*cs);
        const int64_t some = processOfEvent.begin()->second;
        QCOMPARE(repo.processHashes(some), hashes.at(some));
    }

    // The partial indexes still serve the queries that used their full versions (the event
    // browser's account pivot, the ancestry's children by parent GUID); the dropped ones served none.
    void queriesStillUseTheirIndexes()
    {
        auto cs = store::CaseStore::open(m_case, store::CaseStore::Access::ReadOnly);
        sql::Db &db = cs->db();
        const auto plan = [&](const std::string &sql) {
            std::string all;
            auto st = db.prepare("EXPLAIN QUERY PLAN " + sql);
            while (st.step())
                all += st.text(3) + '\n'; // id, parent, notused, detail
            return all;
        };
        const std::string account
            = plan("SELECT e.id FROM events e WHERE (e.account_id IN (1,2) OR e.account_id IN (SELECT account_id FROM "
                   "account_links WHERE canonical_id IN (1,2))) AND e.ts >= 0 ORDER BY e.ts, e.id LIMIT 100");
        QVERIFY2(account.find("events_account_known") != std::string::npos, account.c_str());
        const std::string children = plan(
            "SELECT p.id FROM processes p WHERE p.host_id=1 AND p.parent_guid='{X}' AND p.id<>2 ORDER BY p.start_ts");
        QVERIFY2(children.find("processes_parent_guid_known") != std::string::npos, children.c_str());
        const std::set<std::string> names = indexNames(db);
        for (const char *gone : {"processes_image", "processes_parent_image", "processes_account", "file_events_path",
                 "events_account", "processes_parent_guid"})
            QVERIFY2(!names.count(gone), gone);
    }

    // A version 9 case migrates: hashes into the dictionary (same value for every process), the
    // columns and old indexes gone, the new ones built, records and inference results unchanged.
    void version9CaseMigrates()
    {
        const std::string v9 = copyOfCase(QStringLiteral("v9.ttcase"));
        QVERIFY(!v9.empty());
        downgradeToVersion9(v9, false);
        if (QTest::currentTestFailed())
            return;
        const qint64 v9Bytes = QFileInfo(QString::fromStdString(v9)).size();
        auto current = store::CaseStore::open(m_case, store::CaseStore::Access::ReadOnly);
        auto migrated = store::CaseStore::open(v9, store::CaseStore::Access::ReadWrite);
        QCOMPARE(migrated->migratedFrom(), 9);
        QCOMPARE(migrated->schemaVersion(), store::kSchemaVersion);
        sql::Db &a = current->db(), &b = migrated->db();
        QCOMPARE(rows(b, "SELECT name FROM pragma_table_info('processes') ORDER BY cid"),
            rows(a, "SELECT name FROM pragma_table_info('processes') ORDER BY cid"));
        QCOMPARE(indexNames(b), indexNames(a));
        QCOMPARE(b.queryInt("SELECT count(*) FROM process_hashes"), a.queryInt("SELECT count(*) FROM process_hashes"));
        QCOMPARE(processHashes(*migrated), processHashes(*current));
        QCOMPARE(rows(b, "PRAGMA integrity_check"), std::vector<std::string> {"ok"});

        const std::vector<test::StoredRecord> ra = test::storedRecords(a), rb = test::storedRecords(b);
        QCOMPARE(rb.size(), ra.size());
        for (size_t i = 0; i < ra.size(); ++i) {
            QVERIFY(rb[i].ok);
            QCOMPARE(rb[i].id, ra[i].id);
            QVERIFY2(rb[i].payload == ra[i].payload, qPrintable(QStringLiteral("record %1").arg(ra[i].id)));
        }

        const std::vector<std::string> before = transfers(a);
        QVERIFY(!before.empty());
        inference::InferenceEngine(*migrated).run();
        QCOMPARE(transfers(b), before);
        migrated.reset(); // checkpointed on close: the vacuumed file gave its free pages back
        QVERIFY2(QFileInfo(QString::fromStdString(v9)).size() < v9Bytes,
            qPrintable(
                QStringLiteral("%1 -> %2 bytes").arg(v9Bytes).arg(QFileInfo(QString::fromStdString(v9)).size())));
    }

    // A bulk import interrupted before its index rebuild noted the old names: the migration notes
    // the renamed index instead (and forgets the dropped one), and the open rebuilds it.
    void deferredIndexesFollowTheRename()
    {
        const std::string v9 = copyOfCase(QStringLiteral("v9-deferred.ttcase"));
        QVERIFY(!v9.empty());
        downgradeToVersion9(v9, true);
        if (QTest::currentTestFailed())
            return;
        {
            sql::Db raw;
            raw.open(v9, sql::Db::Mode::ReadWrite);
            QVERIFY(!indexNames(raw).count("events_account"));
            QVERIFY(!indexNames(raw).count("events_account_known"));
        }
        auto cs = store::CaseStore::open(v9, store::CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
        QCOMPARE(store::pendingBulkIndexes(cs->db()), 0);
        const std::set<std::string> names = indexNames(cs->db());
        QVERIFY(names.count("events_account_known"));
        QVERIFY(!names.count("events_account"));
        QVERIFY(!names.count("processes_image"));
    }
};

QTEST_GUILESS_MAIN(TstCompactCase)
#include "tst_compact_case.moc"
