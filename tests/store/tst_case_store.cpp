// The case store side of issue #5: annotations, tags, bookmarks, saved views, node positions and
// case metadata round-trip through close / reopen; a writer SIGKILLed mid-edit loses nothing it
// reported as written; the v1 fixture migrates (backup kept) and opens read-only through a
// private copy; newer files are refused; read-only files and the session lock give a reason;
// Save As makes a self-contained equal copy; hostile strings are stored and found intact.
//
// The test binary doubles as the crash-test writer and as a lock holder:
//   tst_case_store --crash-child CASE ROUND      writes in a loop, one line per finished write
//   tst_case_store --hold-lock CASE              takes the session lock, prints "locked", sleeps

#include "store/AnnotationStore.h"
#include "store/CaseLock.h"
#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/SearchIndex.h"
#include "store/Sqlite.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "V1Fixture.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace tt;
using store::AnnotationStore;
using store::CaseStore;
using store::TargetKind;
using tt::test::fileBytes;
using tt::test::unpackV1Fixture;

namespace {

// Everything the analyst can add, read back in one go.
struct Snapshot {
    std::vector<store::Tag> tags;
    std::vector<store::Annotation> annotations;
    std::vector<store::SavedView> views;
    std::map<std::string, std::pair<double, double>> positions;
    store::CaseMeta meta;

    static Snapshot of(sql::Db &db)
    {
        AnnotationStore s(db);
        return {s.tags(), s.list(), s.views(), s.nodePositions(), s.meta()};
    }
    bool operator==(const Snapshot &o) const
    {
        return annotations == o.annotations && tags == o.tags && views == o.views && positions == o.positions
            && meta == o.meta;
    }
};

std::string integrity(const std::string &path)
{
    sql::Db db;
    db.open(path, sql::Db::Mode::ReadOnly);
    auto st = db.prepare("PRAGMA integrity_check");
    std::string out;
    while (st.step())
        out += st.text(0);
    return out;
}

int64_t rawCount(const std::string &path, const char *sql)
{
    sql::Db db;
    db.open(path, sql::Db::Mode::ReadOnly);
    return db.queryInt(sql, -1);
}

store::Annotation note(TargetKind k, const std::string &key, const std::string &text, std::vector<int64_t> tags = {},
    bool bookmark = false)
{
    store::Annotation a;
    a.kind = k;
    a.key = key;
    a.label = "label of " + key;
    a.note = text;
    a.tagIds = std::move(tags);
    a.bookmarked = bookmark;
    return a;
}

// ---- child modes ------------------------------------------------------------------------------

int crashChild(const std::string &path, int round)
{
    auto cs = CaseStore::open(path, CaseStore::Access::ReadWrite);
    AnnotationStore s(cs->db());
    const int64_t mal = s.tagByName("malicious")->id;
    for (int i = 0; i < 1000000; ++i) {
        const std::string key = "r" + std::to_string(round) + "-" + std::to_string(i);
        auto a = note(TargetKind::Event, key, "v1 " + key, {mal});
        s.put(a);
        std::printf("W %s 1\n", key.c_str());
        std::fflush(stdout);
        if (i % 3 == 2) { // rewrite an earlier one: version 2, bookmarked, different tags
            const std::string prev = "r" + std::to_string(round) + "-" + std::to_string(i - 1);
            s.put(note(TargetKind::Event, prev, "v2 " + prev, {}, true));
            std::printf("W %s 2\n", prev.c_str());
            std::fflush(stdout);
        }
        if (i % 5 == 4) {
            store::SavedView v;
            v.name = "view " + key;
            v.filterJson = "{\"text\":\"" + key + "\"}";
            s.saveView(v);
            s.setNodePosition("HOST-" + key, i, -i);
            std::printf("V %s\n", key.c_str());
            std::fflush(stdout);
        }
    }
    return 0;
}

int holdLock(const std::string &path)
{
    auto lock = store::CaseLock::acquire(path);
    std::printf(lock ? "locked\n" : "failed\n");
    std::fflush(stdout);
    if (lock)
        std::this_thread::sleep_for(std::chrono::minutes(5)); // until killed
    return lock ? 0 : 1;
}

QString selfPath()
{
    return QCoreApplication::applicationFilePath();
}

} // namespace

class TstCaseStore : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void targetKindNames()
    {
        for (TargetKind k :
            {TargetKind::Host, TargetKind::Transfer, TargetKind::Event, TargetKind::Process, TargetKind::Account})
            QCOMPARE(store::targetKindFromName(store::targetKindName(k)), std::optional<TargetKind>(k));
        QCOMPARE(QString(store::targetKindName(TargetKind::Transfer)), QString("transfer"));
        QVERIFY(!store::targetKindFromName("Host"));
        QVERIFY(!store::targetKindFromName(""));
    }

    void roundTrip()
    {
        const std::string p = path("round.ttcase").toStdString();
        Snapshot before;
        {
            auto cs = CaseStore::open(p, CaseStore::Access::Create);
            AnnotationStore s(cs->db());
            s.setMeta({"Operation Copycat", "A. Analyst", "Lateral tool transfer\nacross the lab", "Europe/Berlin"});
            const int64_t mine = s.addTag("  exfil-staging ", "#00AAff");
            const auto tags = s.tags();
            QCOMPARE(tags.size(), size_t(4));
            QCOMPARE(tags[3].name, std::string("exfil-staging")); // trimmed
            QCOMPARE(tags[3].color, std::string("#00aaff")); // lower-case
            const int64_t mal = s.tagByName("MALICIOUS")->id;
            const int64_t review = s.tagByName("needs-review")->id;
            auto h = s.put(note(TargetKind::Host, "WS01", "patient zero", {mal, mine}, true));
            QVERIFY(h.id > 0);
            QCOMPARE(h.author, std::string("A. Analyst")); // from the case metadata
            QCOMPARE(h.tagIds, (std::vector<int64_t> {std::min(mal, mine), std::max(mal, mine)}));
            auto md = note(TargetKind::Transfer, "SRV02|c:\\windows\\psexesvc.exe|1700000000",
                "# Finding\n\n* pushed via **ADMIN$**\n* `psexesvc.exe`", {review});
            md.markdown = true;
            md.author = "B. Colleague";
            QVERIFY(s.put(md).markdown);
            s.put(note(TargetKind::Event, "4711", "", {}, true)); // bookmark only
            s.put(note(TargetKind::Process, "99", "mimikatz parent", {mal}));
            s.put(note(TargetKind::Account, "12", "service account, benign", {s.tagByName("benign-admin")->id}));
            store::SavedView v;
            v.name = "Chain from WS01";
            v.filterJson = "{\"hosts\":[\"WS01\"],\"minConfidence\":0.5}";
            v.positionsJson = "{\"WS01\":[10.5,-20],\"SRV02\":[300,40]}";
            v.viewportJson = "{\"x\":-100,\"y\":-50,\"w\":800,\"h\":600}";
            const auto saved = s.saveView(v);
            QVERIFY(saved.id > 0);
            QVERIFY(saved.createdUs > 0);
            s.setNodePosition("WS01", 10.5, -20.25);
            s.setNodePosition("SRV02", 300, 40);
            s.setNodePosition("GONE", 1, 1);
            s.clearNodePosition("GONE");
            before = Snapshot::of(cs->db());
            QCOMPARE(before.annotations.size(), size_t(5));
            QCOMPARE(before.views.size(), size_t(1));
            QCOMPARE(before.positions.size(), size_t(2));
        }
        for (auto access : {CaseStore::Access::ReadWrite, CaseStore::Access::ReadOnly}) {
            auto cs = CaseStore::open(p, access);
            const Snapshot after = Snapshot::of(cs->db());
            QVERIFY(after == before);
            QCOMPARE(after.meta.title, std::string("Operation Copycat"));
            QCOMPARE(after.meta.displayTz, std::string("Europe/Berlin"));
            AnnotationStore s(cs->db());
            const auto t = s.find(TargetKind::Transfer, "SRV02|c:\\windows\\psexesvc.exe|1700000000");
            QVERIFY(t);
            QVERIFY(t->markdown);
            QCOMPARE(t->author, std::string("B. Colleague"));
            QCOMPARE(t->note, std::string("# Finding\n\n* pushed via **ADMIN$**\n* `psexesvc.exe`"));
            QVERIFY(s.find(TargetKind::Event, "4711")->bookmarked);
            QCOMPARE(s.nodePositions().at("WS01"), std::make_pair(10.5, -20.25));
        }
        QCOMPARE(integrity(p), std::string("ok"));
    }

    void annotationRules()
    {
        auto cs = CaseStore::open(path("rules.ttcase").toStdString(), CaseStore::Access::Create);
        AnnotationStore s(cs->db());
        // Tags: validation, duplicates (case-insensitive), built-ins recolour only.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("", "#112233"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("   ", "#112233"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("x", "112233"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("x", "#11223"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("x", "#11223g"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("x", "red"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("a\tb", "#112233"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag(std::string(65, 'n'), "#112233"));
        QVERIFY(s.addTag(std::string(64, 'n'), "#112233") > 0);
        // 64 characters, 128 bytes: the limit counts characters.
        std::string umlauts;
        for (int i = 0; i < 64; ++i)
            umlauts += "\xc3\xa4";
        QVERIFY(s.addTag(umlauts, "#112233") > 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("Malicious", "#000000"));
        const int64_t custom = s.addTag("lab-only", "#abcdef");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("LAB-ONLY", "#abcdef"));
        const auto mal = *s.tagByName("malicious");
        QVERIFY(mal.builtin);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.deleteTag(mal.id));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.updateTag(mal.id, "evil", "#000000"));
        s.updateTag(mal.id, "malicious", "#FF0000");
        QCOMPARE(s.tagByName("malicious")->color, std::string("#ff0000"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.updateTag(custom, "needs-review", "#abcdef"));
        s.updateTag(custom, "lab only", "#abcdef");
        QCOMPARE(s.tagByName("lab only")->id, custom);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.deleteTag(123456));

        // Unknown tag id: refused, nothing written.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.put(note(TargetKind::Host, "H1", "x", {987654})));
        QVERIFY(!s.find(TargetKind::Host, "H1"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.put(note(TargetKind::Host, "", "x")));

        // Update keeps id and creation time; modified moves forward; tags replaced whole.
        const auto first = s.put(note(TargetKind::Host, "H1", "first", {mal.id, custom}));
        QTest::qWait(2);
        const auto second = s.put(note(TargetKind::Host, "H1", "second", {custom, custom}));
        QCOMPARE(second.id, first.id);
        QCOMPARE(second.createdUs, first.createdUs);
        QVERIFY(second.modifiedUs > first.modifiedUs);
        QCOMPARE(second.tagIds, std::vector<int64_t> {custom});
        QCOMPARE(second.note, std::string("second"));

        // Deleting a tag detaches it; an annotation left empty disappears, others stay.
        s.put(note(TargetKind::Process, "7", "", {custom}));
        s.put(note(TargetKind::Process, "8", "keep me", {custom}));
        s.deleteTag(custom);
        QVERIFY(!s.tagByName("lab only"));
        QVERIFY(!s.find(TargetKind::Process, "7"));
        QVERIFY(s.find(TargetKind::Process, "8")->tagIds.empty());
        QVERIFY(s.find(TargetKind::Host, "H1")->tagIds.empty());
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM annotation_tags WHERE tag_id NOT IN (SELECT id FROM tags)"),
            int64_t(0));

        // An empty put deletes; remove() too.
        QVERIFY(s.put(note(TargetKind::Host, "H1", "")).id == 0);
        QVERIFY(!s.find(TargetKind::Host, "H1"));
        s.put(note(TargetKind::Account, "3", "x"));
        s.remove(TargetKind::Account, "3");
        QVERIFY(!s.find(TargetKind::Account, "3"));
        // Same key, different kinds: separate annotations.
        s.put(note(TargetKind::Event, "42", "event 42"));
        s.put(note(TargetKind::Process, "42", "process 42"));
        QCOMPARE(s.find(TargetKind::Event, "42")->note, std::string("event 42"));
        QCOMPARE(s.find(TargetKind::Process, "42")->note, std::string("process 42"));

        // Filters and order (newest modified first).
        cs->db().exec("DELETE FROM annotation_tags; DELETE FROM annotations");
        const int64_t review = s.tagByName("needs-review")->id;
        s.put(note(TargetKind::Host, "ALPHA", "Ärger im Netz", {review}));
        QTest::qWait(2);
        s.put(note(TargetKind::Transfer, "BETA|x|1", "copied tool", {}, true));
        QTest::qWait(2);
        s.put(note(TargetKind::Host, "GAMMA", "nothing", {review}, true));
        auto keys = [&](const store::AnnotationFilter &f) {
            std::vector<std::string> out;
            for (const auto &a : s.list(f))
                out.push_back(a.key);
            return out;
        };
        using V = std::vector<std::string>;
        QCOMPARE(keys({}), (V {"GAMMA", "BETA|x|1", "ALPHA"}));
        QCOMPARE(keys({review, "", false, std::nullopt}), (V {"GAMMA", "ALPHA"}));
        QCOMPARE(keys({std::nullopt, "", true, std::nullopt}), (V {"GAMMA", "BETA|x|1"}));
        QCOMPARE(keys({review, "", true, std::nullopt}), (V {"GAMMA"}));
        QCOMPARE(keys({std::nullopt, "", false, TargetKind::Host}), (V {"GAMMA", "ALPHA"}));
        QCOMPARE(keys({std::nullopt, "ärger", false, std::nullopt}), (V {"ALPHA"})); // Unicode case-insensitive
        QCOMPARE(keys({std::nullopt, "beta|", false, std::nullopt}), (V {"BETA|x|1"})); // matches the key
        QCOMPARE(keys({std::nullopt, "LABEL OF G", false, std::nullopt}), (V {"GAMMA"})); // matches the label
        QCOMPARE(keys({std::nullopt, "no such text", false, std::nullopt}), V {});

        // Saved views: replace by name keeps the id, rename, duplicates, bad JSON.
        store::SavedView v;
        v.name = "triage";
        v.filterJson = "{}";
        const auto a = s.saveView(v);
        v.filterJson = "{\"text\":\"psexec\"}";
        QTest::qWait(2);
        const auto b = s.saveView(v);
        QCOMPARE(b.id, a.id);
        QCOMPARE(b.createdUs, a.createdUs);
        QVERIFY(b.modifiedUs > a.modifiedUs);
        QCOMPARE(b.filterJson, v.filterJson);
        QCOMPARE(s.views().size(), size_t(1));
        v.name = "other";
        const auto c = s.saveView(v);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.renameView(c.id, "triage"));
        s.renameView(c.id, "second look");
        QCOMPARE(s.views().at(0).name, std::string("second look"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.renameView(99999, "x"));
        v.filterJson = "{not json";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.saveView(v));
        v.filterJson = "{}";
        v.viewportJson = "[1,2";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.saveView(v));
        v.name = "\n";
        v.viewportJson.clear();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.saveView(v));
        s.deleteView(c.id);
        QCOMPARE(s.views().size(), size_t(1));

        // Node positions and metadata validation.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.setNodePosition("H", std::nan(""), 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.setNodePosition("H", 0, INFINITY));
        s.setNodePosition("H", 1, 2);
        s.setNodePosition("H", 3, 4);
        QCOMPARE(s.nodePositions().at("H"), std::make_pair(3.0, 4.0));
        s.clearNodePositions();
        QVERIFY(s.nodePositions().empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.setMeta({"t", "", "", "Mars/Olympus_Mons"}));
        s.setMeta({"t", "me", "", "America/New_York"});
        s.setMeta({"t2", "", "", ""}); // empty fields are cleared
        QCOMPARE(s.meta(), (store::CaseMeta {"t2", "", "", ""}));
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM case_info WHERE key IN ('analyst','display_tz')"), int64_t(0));
    }

    // Writes are durable at once: the connection's synchronous level is FULL during the write
    // and back to NORMAL afterwards (imports keep their speed). Measures the cost per edit.
    void writesAreDurableAndCheap()
    {
        auto cs = CaseStore::open(path("dur.ttcase").toStdString(), CaseStore::Access::Create);
        QCOMPARE(cs->db().queryInt("PRAGMA synchronous"), int64_t(1));
        AnnotationStore s(cs->db());
        QElapsedTimer t;
        t.start();
        const int n = 50;
        for (int i = 0; i < n; ++i)
            s.put(note(TargetKind::Event, std::to_string(i), "note " + std::to_string(i)));
        const double full = double(t.nsecsElapsed()) / 1e6 / n;
        QCOMPARE(cs->db().queryInt("PRAGMA synchronous"), int64_t(1));
        // A failing write restores the level too.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.addTag("malicious", "#000000"));
        QCOMPARE(cs->db().queryInt("PRAGMA synchronous"), int64_t(1));
        // The same kind of transaction at the connection's normal level, for comparison.
        t.restart();
        for (int i = 0; i < n; ++i) {
            sql::Transaction tx(cs->db());
            auto st = cs->db().prepare("INSERT OR REPLACE INTO case_info(key, value) VALUES(?, ?)");
            st.bind(1, "k" + std::to_string(i)).bind(2, std::string(40, 'x'));
            st.exec();
            tx.commit();
        }
        const double normal = double(t.nsecsElapsed()) / 1e6 / n;
        qInfo("put(): %.2f ms per committed, fsynced edit; %.2f ms per synchronous=NORMAL commit (%d each)", full,
            normal, n);
    }

    void hostileStringsIntact()
    {
        auto cs = CaseStore::open(path("hostile.ttcase").toStdString(), CaseStore::Access::Create);
        AnnotationStore s(cs->db());
        const std::string sqlKey = "x'); DROP TABLE annotations; --";
        const std::string quotes = "it's \"quoted\" `back` \\ slash";
        std::string big;
        for (int i = 0; big.size() < 100 * 1024; ++i)
            big += "line " + std::to_string(i) + " with 50% of _all_ and 'quotes' \"too\" <b>html</b> \x1b[31m\n";
        const std::string pct = "100% sure";
        const std::string under = "a_b";
        const std::string plain = "abXb 100 sure";
        s.put(note(TargetKind::Host, sqlKey, quotes));
        s.put(note(TargetKind::Event, "1", big));
        s.put(note(TargetKind::Event, "2", pct));
        s.put(note(TargetKind::Event, "3", under));
        s.put(note(TargetKind::Event, "4", plain));
        const int64_t tag = s.addTag("'; DELETE FROM tags; --", "#010203");
        store::SavedView v;
        v.name = "view' OR 1=1 --";
        v.filterJson = "{\"text\":\"%_'\\\"; DROP TABLE saved_views\"}";
        s.saveView(v);
        s.setNodePosition(sqlKey, 1, 2);
        s.setMeta({quotes, sqlKey, big, ""});

        QCOMPARE(s.find(TargetKind::Host, sqlKey)->note, quotes);
        QCOMPARE(s.find(TargetKind::Event, "1")->note, big);
        QCOMPARE(s.tags().size(), size_t(4));
        QCOMPARE(s.tagByName("'; DELETE FROM tags; --")->id, tag);
        QCOMPARE(s.views().at(0).name, v.name);
        QCOMPARE(s.views().at(0).filterJson, v.filterJson);
        QCOMPARE(s.nodePositions().count(sqlKey), size_t(1));
        QCOMPARE(s.meta().description, big);
        QCOMPARE(s.meta().analyst, sqlKey);
        // Wildcards are literal in search: '%' and '_' match only themselves.
        auto keysFor = [&](const std::string &text) {
            std::set<std::string> out;
            store::AnnotationFilter f;
            f.text = text;
            for (const auto &a : s.list(f))
                out.insert(a.key);
            return out;
        };
        using S = std::set<std::string>;
        QCOMPARE(keysFor("%"), (S {"1", "2"}));
        QCOMPARE(keysFor("_"), (S {"1", "3"}));
        QCOMPARE(keysFor("a_b"), (S {"3"}));
        QCOMPARE(keysFor("100% sure"), (S {"2"}));
        QCOMPARE(keysFor("DROP TABLE"), (S {sqlKey}));
        QCOMPARE(keysFor("'"), (S {"1", sqlKey}));
        QCOMPARE(
            cs->db().queryInt("SELECT count(*) FROM sqlite_schema WHERE name IN ('annotations','tags','saved_views')"),
            int64_t(3));
    }

    // A writer killed (SIGKILL) at a random point, three times over: every write it reported
    // as finished is there, and the file is intact.
    void killedWriterLosesNothingCommitted()
    {
        const QString c = path("crash.ttcase");
        CaseStore::open(c.toStdString(), CaseStore::Access::Create);
        std::map<std::string, int> reported; // key -> highest version reported
        std::set<std::string> views;
        int totalLines = 0;
        for (int round = 0; round < 3; ++round) {
            QProcess child;
            child.setProgram(selfPath());
            child.setArguments({"--crash-child", c, QString::number(round)});
            child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
            child.start();
            QVERIFY(child.waitForStarted());
            const int stopAfter = 40 + int(QRandomGenerator::global()->bounded(120));
            QByteArray out;
            QElapsedTimer t;
            t.start();
            while (out.count('\n') < stopAfter && t.elapsed() < 60000 && child.state() == QProcess::Running) {
                child.waitForReadyRead(100);
                out += child.readAllStandardOutput();
            }
            QVERIFY2(child.state() == QProcess::Running, "the writer stopped on its own");
            child.kill(); // SIGKILL: no destructors, no rollback, no flush
            QVERIFY(child.waitForFinished(10000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            out += child.readAllStandardOutput();
            // Only complete lines count (the kill may cut one).
            const QList<QByteArray> lines = out.left(out.lastIndexOf('\n') + 1).split('\n');
            for (const QByteArray &line : lines) {
                const auto parts = line.split(' ');
                if (parts.size() == 3 && parts[0] == "W") {
                    int &v = reported[parts[1].toStdString()];
                    v = std::max(v, parts[2].toInt());
                    ++totalLines;
                } else if (parts.size() == 2 && parts[0] == "V") {
                    views.insert(parts[1].toStdString());
                    ++totalLines;
                }
            }
            QCOMPARE(integrity(c.toStdString()), std::string("ok"));
            auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite);
            AnnotationStore s(cs->db());
            for (const auto &[key, version] : reported) {
                const auto a = s.find(TargetKind::Event, key);
                QVERIFY2(a, key.c_str());
                // Either the reported version or the next one (written, killed before its line).
                const int stored = a->note.rfind("v2 ", 0) == 0 ? 2 : 1;
                QVERIFY2(stored >= version, key.c_str());
                QCOMPARE(a->bookmarked, stored == 2);
                QCOMPARE(a->tagIds.size(), size_t(stored == 2 ? 0 : 1));
            }
            const auto positions = s.nodePositions();
            std::set<std::string> viewNames;
            for (const auto &v : s.views())
                viewNames.insert(v.name);
            for (const std::string &k : views) {
                QVERIFY2(viewNames.count("view " + k), k.c_str());
                QVERIFY2(positions.count("HOST-" + k), k.c_str());
            }
            // Nothing half-written: every annotation row has its tag links or is a v2.
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM annotations a WHERE a.note LIKE 'v1 %' AND NOT EXISTS "
                                       "(SELECT 1 FROM annotation_tags t WHERE t.annotation_id = a.id)"),
                int64_t(0));
        }
        qInfo("%d reported writes checked after 3 kills", totalLines);
        QVERIFY(totalLines >= 3 * 40);
    }

    // Schema 5 adds the events' full-text index (trigram FTS5, time-ordered keys): a v4 case gets
    // the empty index and the mark at 0, so every stored event is pending until it is built.
    void migratesV4AddsSearchIndex()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("v4.ttcase");
        QVERIFY(tt::test::unpackV5Fixture(file)); // made v4 again: no index, no version 5
        const std::string path = file.toStdString();
        {
            sql::Db raw;
            raw.open(path, sql::Db::Mode::ReadWrite);
            raw.exec("DROP TABLE events_fts; DELETE FROM schema_version WHERE version = 5;");
            QCOMPARE(store::schemaVersion(raw), 4);
        }
        auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadWrite);
        QCOMPARE(cs->migratedFrom(), 4);
        QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
        QVERIFY(QFileInfo::exists(QString::fromStdString(cs->migrationBackup())));
        sql::Db &db = cs->db();
        QCOMPARE(store::searchIndexedThrough(db), int64_t(0));
        QCOMPARE(store::searchPendingEvents(db), int64_t(16));
        // The table is a trigram FTS5 index: substrings match, case-insensitively, bound as a string.
        auto ins = db.prepare("INSERT INTO events_fts(rowid, text) VALUES(?, ?)");
        ins.bind(1, store::searchKey(1700000000000000, true, 1)).bind(2, std::string_view("C:\\Windows\\PSEXESVC.exe"));
        ins.exec();
        auto q = db.prepare("SELECT rowid FROM events_fts WHERE events_fts MATCH ?");
        q.bind(1, store::ftsQueryForText("windows\\psexesvc"));
        QVERIFY(q.step());
        QCOMPARE(q.int64(0) & store::kSearchIdMask, int64_t(1));
        QCOMPARE(q.int64(0) >> store::kSearchIdBits, int64_t(1700000000));
        QCOMPARE(store::searchKey(0, false, 2) >> store::kSearchIdBits, int64_t(0)); // no time: first
    }

    // Schema 8: WinRM copies found by the remoting rules and stored as 'other' before become
    // 'winrm'; every other row keeps its method; the CHECK now takes 'winrm' and 'airdrop'.
    void migratesWinrmCopiesToTheirMethod()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("v5-winrm.ttcase");
        QVERIFY(tt::test::unpackV5Fixture(file));
        const std::string path = file.toStdString();
        {
            sql::Db raw;
            raw.open(path, sql::Db::Mode::ReadWrite);
            QVERIFY(store::schemaVersion(raw) < 8);
            const int64_t host = raw.queryInt("SELECT min(id) FROM hosts", -1);
            QVERIFY(host > 0);
            auto ins
                = raw.prepare("INSERT INTO transfers(dst_host_id, file_name, method, direction, first_ts, "
                              "last_ts, confidence, confidence_label, rules) VALUES(?,?,?,'push',1,1,0.5,'medium',?)");
            const char *const rows[][3] = {
                {"a.exe", "other", "winrm-write"}, {"b.exe", "other", "ps-remoting-copy,winrm-write"},
                {"c.exe", "other", "ps-remoting-copy"},
                {"d.exe", "other", "source-command"}, // not a remoting rule: stays other
                {"e.exe", "smb-share", "smb-share-write,winrm-write"}, // a better method won: kept
                {"f.exe", "other", "winrm-writer-lookalike"}, // a name that only contains the rule's
            };
            for (const auto &r : rows) {
                ins.bind(1, host).bind(2, std::string_view(r[0])).bind(3, std::string_view(r[1]));
                ins.bind(4, std::string_view(r[2]));
                ins.exec();
            }
            // The old CHECK has no winrm: what the step is for.
            QVERIFY_THROWS_EXCEPTION(
                sql::Error, raw.exec("UPDATE transfers SET method = 'winrm' WHERE file_name = 'a.exe'"));
        }
        auto cs = store::CaseStore::open(path, store::CaseStore::Access::ReadWrite);
        QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
        sql::Db &db = cs->db();
        auto method = [&](const char *file) {
            auto st = db.prepare("SELECT method FROM transfers WHERE file_name = ?");
            st.bind(1, std::string_view(file));
            return st.step() ? st.text(0) : std::string("(missing)");
        };
        QCOMPARE(method("a.exe"), std::string("winrm"));
        QCOMPARE(method("b.exe"), std::string("winrm"));
        QCOMPARE(method("c.exe"), std::string("winrm"));
        QCOMPARE(method("d.exe"), std::string("other"));
        QCOMPARE(method("e.exe"), std::string("smb-share"));
        QCOMPARE(method("f.exe"), std::string("other"));
        db.exec("UPDATE transfers SET method = 'airdrop' WHERE file_name = 'd.exe'");
        QVERIFY_THROWS_EXCEPTION(
            sql::Error, db.exec("UPDATE transfers SET method = 'carrier-pigeon' WHERE file_name = 'd.exe'"));
        QCOMPARE(db.queryInt("SELECT count(*) FROM pragma_index_list('transfers')"), int64_t(5));
    }

    void migratesV1FixtureWithBackup()
    {
        const QString c = path("v1.ttcase");
        QVERIFY(unpackV1Fixture(c));
        const std::string p = c.toStdString();
        QCOMPARE(rawCount(p, "SELECT max(version) FROM schema_version"), int64_t(1));
        {
            auto cs = CaseStore::open(p, CaseStore::Access::ReadWrite, {true});
            QVERIFY(!cs->readOnly());
            QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
            QCOMPARE(cs->migratedFrom(), 1);
            QCOMPARE(QString::fromStdString(cs->migrationBackup()), c + ".v1.bak");
            QVERIFY(!cs->temporaryCopy());
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM events"), int64_t(400));
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM hosts"), int64_t(5));
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers"), int64_t(7));
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers WHERE key IS NULL OR key = ''"), int64_t(0));
            QCOMPARE(
                cs->db().queryInt(std::string("SELECT count(*) FROM transfers WHERE key = ") + store::kTransferKeySql),
                int64_t(7));
            QCOMPARE(cs->db().queryInt("SELECT count(DISTINCT key) FROM transfers"), int64_t(7));
            // v7 (issue 14): the rows survive the rebuild, unlabelled until the next inference.
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers WHERE benign_tool IS NULL"), int64_t(7));
            QCOMPARE(cs->db().queryInt("SELECT count(*) FROM tags WHERE builtin = 1"), int64_t(3));
            // The new tables work on the migrated file.
            AnnotationStore s(cs->db());
            std::string key;
            {
                auto st = cs->db().prepare("SELECT key FROM transfers ORDER BY id LIMIT 1");
                QVERIFY(st.step());
                key = st.text(0);
            }
            s.put(note(TargetKind::Transfer, key, "first transfer", {s.tagByName("malicious")->id}));
        }
        QCOMPARE(integrity(p), std::string("ok"));
        // The backup is the file as it was: version 1, same rows, self-contained.
        const std::string bak = p + ".v1.bak";
        QVERIFY(QFileInfo::exists(QString::fromStdString(bak)));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(bak + "-wal")));
        QCOMPARE(rawCount(bak, "SELECT max(version) FROM schema_version"), int64_t(1));
        QCOMPARE(rawCount(bak, "SELECT count(*) FROM events"), int64_t(400));
        QCOMPARE(rawCount(bak, "SELECT count(*) FROM transfers"), int64_t(7));
        QCOMPARE(rawCount(bak, "SELECT count(*) FROM sqlite_schema WHERE name = 'annotations'"), int64_t(0));
        QCOMPARE(integrity(bak), std::string("ok"));
        QVERIFY(fileBytes(QString::fromStdString(bak)).size() > 0);
        // Reopening: nothing more to migrate, no second backup, the annotation is there.
        {
            auto cs = CaseStore::open(p, CaseStore::Access::ReadWrite);
            QCOMPARE(cs->migratedFrom(), 0);
            QVERIFY(cs->migrationBackup().empty());
            QCOMPARE(AnnotationStore(cs->db()).list().size(), size_t(1));
        }
        QVERIFY(!QFileInfo::exists(c + ".v1.2.bak"));
        // A second v1 file with a .v1.bak already beside it: the old backup is never overwritten.
        const QString c2 = path("again.ttcase");
        QVERIFY(unpackV1Fixture(c2));
        QVERIFY(QFile::copy(c, c2 + ".v1.bak")); // a v2 file standing in for an older backup
        {
            auto cs = CaseStore::open(c2.toStdString(), CaseStore::Access::ReadWrite);
            QCOMPARE(QString::fromStdString(cs->migrationBackup()), c2 + ".v1.2.bak");
        }
        QCOMPARE(rawCount(QString(c2 + ".v1.bak").toStdString(), "SELECT max(version) FROM schema_version"),
            int64_t(store::kSchemaVersion));
        QCOMPARE(
            rawCount(QString(c2 + ".v1.2.bak").toStdString(), "SELECT max(version) FROM schema_version"), int64_t(1));
    }

    // `transfertrace info` opens read-only: an older file is read through a migrated private
    // copy and the file itself is left exactly as it was.
    void readOnlyOpenOfV1UsesPrivateCopy()
    {
        const QString c = path("ro-v1.ttcase");
        QVERIFY(unpackV1Fixture(c));
        const QByteArray original = fileBytes(c);
        for (bool chmodded : {false, true}) {
            if (chmodded)
                QVERIFY(::chmod(c.toLocal8Bit().constData(), 0444) == 0);
            std::string tmp;
            {
                auto cs = CaseStore::open(
                    c.toStdString(), chmodded ? CaseStore::Access::ReadWrite : CaseStore::Access::ReadOnly);
                QVERIFY(cs->readOnly());
                QCOMPARE(cs->readOnlyCause(),
                    chmodded ? CaseStore::ReadOnlyCause::FileNotWritable : CaseStore::ReadOnlyCause::Requested);
                QVERIFY(!cs->readOnlyReason().empty());
                QCOMPARE(cs->schemaVersion(), store::kSchemaVersion);
                QCOMPARE(cs->migratedFrom(), 1);
                QVERIFY(cs->temporaryCopy());
                QVERIFY(cs->migrationBackup().empty());
                tmp = cs->dataPath();
                QVERIFY(QFileInfo::exists(QString::fromStdString(tmp)));
                QCOMPARE(cs->totals().events, int64_t(400));
                QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers WHERE key IS NOT NULL"), int64_t(7));
                AnnotationStore s(cs->db());
                QCOMPARE(s.tags().size(), size_t(3));
                QVERIFY_THROWS_EXCEPTION(sql::Error, s.put(note(TargetKind::Host, "X", "no")));
                // Save As from a read-only old file gives an upgraded, writable copy.
                const std::string out = path(chmodded ? "ro-v1-saved-b.ttcase" : "ro-v1-saved-a.ttcase").toStdString();
                cs->saveAs(out);
                QCOMPARE(rawCount(out, "SELECT max(version) FROM schema_version"), int64_t(store::kSchemaVersion));
            }
            QVERIFY(!QFileInfo::exists(QString::fromStdString(tmp))); // removed on close
            QCOMPARE(fileBytes(c), original);
            QVERIFY(!QFileInfo::exists(c + ".v1.bak"));
        }
    }

    void newerSchemaRefusedNamingBothVersions()
    {
        const std::string p = path("newer.ttcase").toStdString();
        {
            auto cs = CaseStore::open(p, CaseStore::Access::Create);
            cs->db().exec(
                "INSERT INTO schema_version VALUES(" + std::to_string(store::kSchemaVersion + 1) + ", 0, 'future')");
        }
        for (auto access : {CaseStore::Access::ReadWrite, CaseStore::Access::ReadOnly}) {
            try {
                CaseStore::open(p, access);
                QFAIL("a newer case file was opened");
            } catch (const std::runtime_error &e) {
                const QString msg = QString::fromUtf8(e.what());
                QVERIFY2(msg.contains("schema version " + QString::number(store::kSchemaVersion + 1)), e.what());
                QVERIFY2(msg.contains("version " + QString::number(store::kSchemaVersion)), e.what());
            }
        }
        QCOMPARE(
            rawCount(p, "SELECT max(version) FROM schema_version"), int64_t(store::kSchemaVersion + 1)); // untouched
    }

    void readOnlyFileOpensReadOnlyWithReason()
    {
        const QString c = path("ro.ttcase");
        {
            auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::Create);
            AnnotationStore(cs->db()).put(note(TargetKind::Host, "H", "kept"));
        }
        QVERIFY(::chmod(c.toLocal8Bit().constData(), 0444) == 0);
        auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite, {true});
        QVERIFY(cs->readOnly());
        QCOMPARE(cs->readOnlyCause(), CaseStore::ReadOnlyCause::FileNotWritable);
        QVERIFY(QString::fromStdString(cs->readOnlyReason()).contains("not writable"));
        QVERIFY(!cs->hasSessionLock()); // read-only sessions never lock
        AnnotationStore s(cs->db());
        QCOMPARE(s.find(TargetKind::Host, "H")->note, std::string("kept"));
        QVERIFY_THROWS_EXCEPTION(sql::Error, s.put(note(TargetKind::Host, "H", "changed")));
        QVERIFY_THROWS_EXCEPTION(sql::Error, s.setMeta({"t", "", "", ""}));
        QCOMPARE(s.find(TargetKind::Host, "H")->note, std::string("kept"));
        // A writable case opened read-only on request says so.
        QVERIFY(::chmod(c.toLocal8Bit().constData(), 0644) == 0);
        auto asked = CaseStore::open(c.toStdString(), CaseStore::Access::ReadOnly);
        QCOMPARE(asked->readOnlyCause(), CaseStore::ReadOnlyCause::Requested);
        auto rw = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite);
        QCOMPARE(rw->readOnlyCause(), CaseStore::ReadOnlyCause::None);
        QVERIFY(rw->readOnlyReason().empty());
    }

    void sessionLockIsExclusive()
    {
        const QString c = path("locked.ttcase");
        CaseStore::open(c.toStdString(), CaseStore::Access::Create);
        const QString pidText = "pid " + QString::number(::getpid());
        {
            std::string why;
            auto first = store::CaseLock::acquire(c.toStdString(), &why);
            QVERIFY2(first, why.c_str());
            auto second = store::CaseLock::acquire(c.toStdString(), &why);
            QVERIFY(!second);
            QVERIFY2(QString::fromStdString(why).contains("opened by another TransferTrace (" + pidText), why.c_str());
            // Another spelling of the same path is the same case.
            QVERIFY(!store::CaseLock::acquire(m_dir.path().toStdString() + "/./locked.ttcase", &why));
            // Opening for editing while it is held: read-only, with the holder named.
            auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite, {true});
            QVERIFY(cs->readOnly());
            QCOMPARE(cs->readOnlyCause(), CaseStore::ReadOnlyCause::LockedElsewhere);
            QVERIFY2(QString::fromStdString(cs->readOnlyReason()).contains(pidText), cs->readOnlyReason().c_str());
            // Worker connections (no session lock) are unaffected.
            QVERIFY(!CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite)->readOnly());
        }
        QVERIFY(!QFileInfo::exists(c + ".lock")); // released and removed
        {
            auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite, {true});
            QVERIFY(!cs->readOnly());
            QVERIFY(cs->hasSessionLock());
            QVERIFY(QFileInfo::exists(c + ".lock"));
            auto other = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite, {true});
            QCOMPARE(other->readOnlyCause(), CaseStore::ReadOnlyCause::LockedElsewhere);
        }
        QVERIFY(!QFileInfo::exists(c + ".lock"));

        // Held by another process; when that process dies (SIGKILL) the case is free again.
        QProcess holder;
        holder.setProgram(selfPath());
        holder.setArguments({"--hold-lock", c});
        holder.start();
        QVERIFY(holder.waitForStarted());
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (!out.contains('\n') && t.elapsed() < 20000) {
            holder.waitForReadyRead(100);
            out += holder.readAllStandardOutput();
        }
        QCOMPARE(out, QByteArray("locked\n"));
        {
            auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite, {true});
            QCOMPARE(cs->readOnlyCause(), CaseStore::ReadOnlyCause::LockedElsewhere);
            QVERIFY2(
                QString::fromStdString(cs->readOnlyReason()).contains("pid " + QString::number(holder.processId())),
                cs->readOnlyReason().c_str());
        }
        holder.kill();
        QVERIFY(holder.waitForFinished(10000));
        QVERIFY(QFileInfo::exists(c + ".lock")); // the stale sidecar stays, unlocked
        auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::ReadWrite, {true});
        QVERIFY(!cs->readOnly());
        QVERIFY(cs->hasSessionLock());
    }

    void saveAsMakesSelfContainedEqualCopy()
    {
        const QString c = path("orig.ttcase");
        Snapshot before;
        auto cs = CaseStore::open(c.toStdString(), CaseStore::Access::Create, {true});
        {
            AnnotationStore s(cs->db());
            s.setMeta({"Copy me", "me", "d", "UTC"});
            const int64_t t = s.addTag("mine", "#123456");
            for (int i = 0; i < 200; ++i)
                s.put(note(TargetKind::Event, std::to_string(i), std::string(500, char('a' + i % 26)), {t}, i % 2));
            store::SavedView v;
            v.name = "v";
            v.filterJson = "{}";
            s.saveView(v);
            s.setNodePosition("A", 1, 2);
            before = Snapshot::of(cs->db());
        }
        // The edits are still in the WAL (no checkpoint yet): the copy must not need it.
        QVERIFY(QFileInfo(c + "-wal").size() > 0);
        const QString dest = path("copy.ttcase");
        QFile junk(dest);
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a database, replaced whole");
        junk.close();
        QFile staleWal(dest + "-wal");
        QVERIFY(staleWal.open(QIODevice::WriteOnly));
        staleWal.write(QByteArray(4096, 'x'));
        staleWal.close();
        cs->saveAs(dest.toStdString());
        QVERIFY(!QFileInfo::exists(dest + "-wal"));
        QVERIFY(!QFileInfo::exists(dest + "-journal"));
        QVERIFY(QDir(m_dir.path()).entryList({"copy.ttcase.tmp-*"}).isEmpty());
        {
            sql::Db raw;
            raw.open(dest.toStdString(), sql::Db::Mode::ReadOnly);
            auto jm = raw.prepare("PRAGMA journal_mode");
            QVERIFY(jm.step());
            QCOMPARE(jm.text(0), std::string("delete"));
        }
        QCOMPARE(integrity(dest.toStdString()), std::string("ok"));
        {
            auto copy = CaseStore::open(dest.toStdString(), CaseStore::Access::ReadOnly);
            QVERIFY(Snapshot::of(copy->db()) == before);
            QCOMPARE(copy->migratedFrom(), 0);
        }
        // The original keeps working on its own file.
        AnnotationStore(cs->db()).put(note(TargetKind::Host, "after", "only in the original"));
        {
            auto copy = CaseStore::open(dest.toStdString(), CaseStore::Access::ReadOnly);
            QVERIFY(!AnnotationStore(copy->db()).find(TargetKind::Host, "after"));
        }
        // Refused: the open case itself (any spelling), a directory, a case open elsewhere.
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, cs->saveAs(c.toStdString()));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, cs->saveAs(m_dir.path().toStdString() + "/./orig.ttcase"));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, cs->saveAs(m_dir.path().toStdString()));
        {
            auto other = CaseStore::open(dest.toStdString(), CaseStore::Access::ReadWrite, {true});
            QVERIFY(other->hasSessionLock());
            try {
                cs->saveAs(dest.toStdString());
                QFAIL("saved over a case open in another session");
            } catch (const std::runtime_error &e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains("opened by another TransferTrace"), e.what());
            }
        }
        QCOMPARE(integrity(c.toStdString()), std::string("ok"));
    }
};

int main(int argc, char **argv)
{
    if (argc == 4 && std::strcmp(argv[1], "--crash-child") == 0)
        return crashChild(argv[2], std::atoi(argv[3]));
    if (argc == 3 && std::strcmp(argv[1], "--hold-lock") == 0)
        return holdLock(argv[2]);
    QCoreApplication app(argc, argv);
    TstCaseStore t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_case_store.moc"
