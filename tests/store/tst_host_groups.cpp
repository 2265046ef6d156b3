// Issue 12 item 5: the analyst's named host groups in the case (schema 9): written whole in one
// transaction, read back after reopening, validated (nothing written on a bad list), the pure
// edits "Group as...", rename and delete, and a schema 7 case upgraded to carry them.

#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tt;
using namespace tt::store;

namespace {
const std::vector<HostGroup> kTwo = {
    {"Finance", {"FIN-01", "FIN-02"}},
    {"crown \"jewels\" <b>\\", {"DC01"}},
};
} // namespace

class TstHostGroups : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string path(const char *name) { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }

private slots:
    void persistAndReopen()
    {
        const std::string p = path("persist.ttcase");
        {
            auto cs = CaseStore::open(p, CaseStore::Access::Create);
            QCOMPARE(cs->schemaVersion(), kSchemaVersion);
            AnnotationStore as(*cs);
            QVERIFY(as.hostGroups().empty());
            as.setHostGroups(kTwo);
        }
        auto cs = CaseStore::open(p, CaseStore::Access::ReadOnly);
        const std::vector<HostGroup> back = AnnotationStore(*cs).hostGroups();
        QCOMPARE(back.size(), size_t(2));
        // By name, case-insensitively: "crown ..." before "Finance"; names and hosts byte-exact.
        QCOMPARE(back[0], kTwo[1]);
        QCOMPARE(back[1], kTwo[0]);
    }

    void badListsWriteNothing()
    {
        const std::string p = path("bad.ttcase");
        auto cs = CaseStore::open(p, CaseStore::Access::Create);
        AnnotationStore as(*cs);
        as.setHostGroups(kTwo);
        const std::vector<std::vector<HostGroup>> bad = {
            {{"A", {"H1"}}, {"a", {"H2"}}}, // duplicate name, case-insensitively
            {{"A", {"H1"}}, {"B", {"H1"}}}, // a host in two groups
            {{"A", {}}}, // empty group
            {{"   ", {"H1"}}}, // no name
            {{"line\nbreak", {"H1"}}}, // control character
            {{"A", {""}}}, // empty host name
            {{std::string(129, 'x'), {"H1"}}}, // too long
        };
        for (const auto &groups : bad) {
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, as.setHostGroups(groups));
            QCOMPARE(as.hostGroups().size(), size_t(2)); // the previous state is intact
        }
        as.setHostGroups({});
        QVERIFY(as.hostGroups().empty());
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM host_group_members"), int64_t(0));
    }

    void pureEdits()
    {
        std::vector<HostGroup> g = AnnotationStore::withHostsGrouped({}, " Ops ", {"H2", "H1"});
        QCOMPARE(g.size(), size_t(1));
        QCOMPARE(g[0].name, std::string("Ops"));
        QCOMPARE(g[0].hosts, (std::vector<std::string> {"H1", "H2"}));
        // Into another group: the host leaves "Ops"; adding to "OPS" reaches the same group.
        g = AnnotationStore::withHostsGrouped(g, "Lab", {"H2"});
        QCOMPARE(g.size(), size_t(2));
        QCOMPARE(g[0].name, std::string("Lab"));
        QCOMPARE(g[1].hosts, (std::vector<std::string> {"H1"}));
        g = AnnotationStore::withHostsGrouped(g, "OPS", {"H3"});
        QCOMPARE(g[1].name, std::string("Ops"));
        QCOMPARE(g[1].hosts, (std::vector<std::string> {"H1", "H3"}));
        // A group emptied by a move is dropped.
        g = AnnotationStore::withHostsGrouped(g, "Ops", {"H2"});
        QCOMPARE(g.size(), size_t(1));
        g = AnnotationStore::withGroupRenamed(g, "ops", "Operations");
        QCOMPARE(g[0].name, std::string("Operations"));
        QVERIFY(AnnotationStore::withGroupDeleted(g, "OPERATIONS").empty());
    }

    void schema7CaseIsUpgraded()
    {
        const std::string p = path("v7.ttcase");
        {
            auto cs = CaseStore::open(p, CaseStore::Access::Create);
        }
        {
            // Back to what a version 7 build wrote: no group tables, version 7.
            sql::Db raw;
            raw.open(p, sql::Db::Mode::ReadWrite);
            raw.exec(
                "DROP TABLE host_group_members; DROP TABLE host_groups; DELETE FROM schema_version WHERE version > 7");
            QCOMPARE(schemaVersion(raw), 7);
        }
        auto cs = CaseStore::open(p, CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), kSchemaVersion);
        QCOMPARE(cs->migratedFrom(), 7);
        AnnotationStore as(*cs);
        QVERIFY(as.hostGroups().empty());
        as.setHostGroups(kTwo);
        QCOMPARE(as.hostGroups().size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TstHostGroups)
#include "tst_host_groups.moc"
