// Several analysts at once (issue 13 item 3), store level, against a throw-away server:
// - an edit conflict never loses either side: AnnotationStore::putFrom's compare-and-set on the
//   version, field-by-field merge, the losing note kept as a conflict copy (on a case file with two
//   connections and on a server case); two threads racing on one note keep every write;
// - concurrent imports of different files into one server case (two `transfertrace import`
//   processes at once) give the counts of a serial import, and the same files imported by two
//   processes at once are stored once.

#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "pg/PgTestCluster.h"

#include <atomic>
#include <thread>

using namespace tt;
using store::Annotation;
using store::AnnotationStore;
using store::CaseStore;
using store::TargetKind;

namespace {

QString binary()
{
    return QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace");
}

QString fixture(const char *rel)
{
    return QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR")) + QLatin1Char('/') + QLatin1String(rel);
}

Annotation note(const std::string &key, const std::string &text, std::vector<int64_t> tags = {})
{
    Annotation a;
    a.kind = TargetKind::Host;
    a.key = key;
    a.label = key;
    a.note = text;
    a.tagIds = std::move(tags);
    return a;
}

// The counts and transfer keys a case holds after imports (ids may differ between runs).
QStringList caseSummary(const std::string &location)
{
    auto cs = CaseStore::open(location, CaseStore::Access::ReadOnly);
    QStringList out;
    for (const char *t : {"sources", "events", "hosts", "host_names", "accounts", "channels", "providers", "processes",
             "file_events", "logon_sessions", "transfers", "transfer_evidence", "import_issues"})
        out << QStringLiteral("%1=%2")
                   .arg(QLatin1String(t))
                   .arg(cs->db().queryInt(std::string("SELECT count(*) FROM ") + t));
    auto st = cs->db().prepare("SELECT key FROM transfers ORDER BY key");
    while (st.step())
        out << QString::fromStdString("transfer " + st.text(0));
    auto src = cs->db().prepare("SELECT sha256, records_stored FROM sources ORDER BY sha256");
    while (src.step())
        out << QString::fromStdString("source " + src.text(0) + " " + std::to_string(src.int64(1)));
    return out;
}

} // namespace

class TstPgConcurrent : public QObject {
    Q_OBJECT
    test::PgTestCluster m_pg;

    // Two connections (two analysts) on one case: A and B.
    void conflictsKeepBothSides(const std::string &location)
    {
        auto csA = CaseStore::open(location, CaseStore::Access::ReadWrite);
        auto csB = CaseStore::open(location, CaseStore::Access::ReadWrite);
        QVERIFY(!csA->readOnly());
        QVERIFY2(!csB->readOnly(), csB->readOnlyReason().c_str());
        AnnotationStore a(*csA), b(*csB);
        const int64_t malicious = a.tagByName("malicious")->id;
        const int64_t review = a.tagByName("needs-review")->id;

        // Both create the first note of WS1 from nothing: A first, B's text becomes a copy.
        const Annotation blank = note("WS1", "");
        auto ra = a.putFrom(blank, note("WS1", "A: seen lateral movement"));
        QVERIFY(!ra.merged);
        QCOMPARE(ra.stored->version, int64_t(1));
        auto rb = b.putFrom(blank, note("WS1", "B: looks like admin work"));
        QVERIFY(rb.merged);
        QVERIFY(rb.conflictCopyId > 0);
        QCOMPARE(rb.stored->note, std::string("A: seen lateral movement"));
        auto copies = a.conflictCopies();
        QCOMPARE(copies.size(), size_t(1));
        QVERIFY(copies[0].conflictCopy);
        QCOMPARE(copies[0].key, std::string("WS1"));
        QCOMPARE(copies[0].note, std::string("B: looks like admin work"));
        QCOMPARE(copies[0].version, int64_t(0)); // what B's edit was based on

        // Both edit from version 1: A tags malicious, B tags needs-review and bookmarks: merged,
        // nothing is a conflict (different fields / tag sets), no copy.
        const Annotation v1 = *a.find(TargetKind::Host, "WS1");
        QCOMPARE(v1.version, int64_t(1));
        Annotation editA = v1;
        editA.tagIds = {malicious};
        QVERIFY(!a.putFrom(v1, editA).merged);
        Annotation editB = v1;
        editB.tagIds = {review};
        editB.bookmarked = true;
        auto mb = b.putFrom(v1, editB);
        QVERIFY(mb.merged);
        QCOMPARE(mb.conflictCopyId, int64_t(0));
        std::vector<int64_t> both {malicious, review};
        std::sort(both.begin(), both.end());
        QCOMPARE(mb.stored->tagIds, both);
        QVERIFY(mb.stored->bookmarked);
        QCOMPARE(mb.stored->note, std::string("A: seen lateral movement"));
        QCOMPARE(mb.stored->version, int64_t(3));
        // A conflict copy alone does not write the annotation again (its version is theirs).
        QCOMPARE(rb.stored->version, int64_t(1));

        // A removes a tag from a stale state while B changed the note: both land.
        const Annotation v3 = *a.find(TargetKind::Host, "WS1");
        Annotation noteB = v3;
        noteB.note = "B: confirmed, PsExec";
        QVERIFY(!b.putFrom(v3, noteB).merged);
        Annotation untagA = v3;
        untagA.tagIds = {review};
        auto mu = a.putFrom(v3, untagA);
        QVERIFY(mu.merged);
        QCOMPARE(mu.conflictCopyId, int64_t(0));
        QCOMPARE(mu.stored->note, std::string("B: confirmed, PsExec"));
        QCOMPARE(mu.stored->tagIds, std::vector<int64_t>({review}));

        // A deletes the annotation from a stale state while B rewrote the note: B's note stays.
        const Annotation v5 = *a.find(TargetKind::Host, "WS1");
        Annotation noteB2 = v5;
        noteB2.note = "B: and it ran";
        QVERIFY(!b.putFrom(v5, noteB2).merged);
        auto del = a.putFrom(v5, note("WS1", ""));
        QVERIFY(del.merged);
        QVERIFY(del.stored.has_value());
        QCOMPARE(del.stored->note, std::string("B: and it ran"));
        // Unopposed, it deletes.
        auto del2 = a.putFrom(*del.stored, note("WS1", ""));
        QVERIFY(!del2.merged);
        QVERIFY(!del2.stored.has_value());
        QVERIFY(!b.find(TargetKind::Host, "WS1").has_value());
        // The conflict copy is there until someone removes it.
        QCOMPARE(b.conflictCopies().size(), size_t(1));
        b.removeConflictCopy(copies[0].id);
        QVERIFY(a.conflictCopies().empty());
    }

private slots:
    void initTestCase() { QVERIFY2(m_pg.start(), qPrintable(m_pg.error())); }

    void mergeRules()
    {
        const Annotation base = note("H", "base", {1, 2});
        Annotation mine = base, theirs = base;
        mine.tagIds = {1, 2, 5}; // added 5
        theirs.tagIds = {2, 7}; // removed 1, added 7
        theirs.note = "theirs";
        auto m = AnnotationStore::merge3(base, mine, theirs);
        QVERIFY(!m.noteConflict);
        QCOMPARE(m.merged.note, std::string("theirs"));
        QCOMPARE(m.merged.tagIds, std::vector<int64_t>({2, 5, 7}));
        mine.note = "mine";
        m = AnnotationStore::merge3(base, mine, theirs);
        QVERIFY(m.noteConflict);
        QCOMPARE(m.merged.note, std::string("theirs"));
        theirs.note = "mine"; // both wrote the same text: no conflict
        QVERIFY(!AnnotationStore::merge3(base, mine, theirs).noteConflict);
        theirs.note = "base";
        m = AnnotationStore::merge3(base, mine, theirs);
        QVERIFY(!m.noteConflict);
        QCOMPARE(m.merged.note, std::string("mine"));
    }

    void conflictsOnACaseFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.ttcase")).toStdString();
        CaseStore::open(path, CaseStore::Access::Create);
        conflictsKeepBothSides(path);
    }

    void conflictsOnAServerCase()
    {
        const std::string url = m_pg.url("notes");
        CaseStore::open(url, CaseStore::Access::Create);
        conflictsKeepBothSides(url);
    }

    // Two sessions each holding a workbench's session lock both stay writable on a server case.
    void twoSessionsWriteOneServerCase()
    {
        const std::string url = m_pg.url("sessions");
        CaseStore::open(url, CaseStore::Access::Create);
        store::OpenOptions lock;
        lock.sessionLock = true;
        auto a = CaseStore::open(url, CaseStore::Access::ReadWrite, lock);
        auto b = CaseStore::open(url, CaseStore::Access::ReadWrite, lock);
        QVERIFY(!a->readOnly());
        QVERIFY2(!b->readOnly(), b->readOnlyReason().c_str());
    }

    // Two threads (two analysts) rewrite one note 25 times each, each from the state it just
    // read: every edit lands, as the note (a new version) or, when it lost a race against the
    // other's edit, as a conflict copy: versions written + copies = 50.
    void racingEditsLoseNothing()
    {
        const std::string url = m_pg.url("race");
        {
            auto cs = CaseStore::open(url, CaseStore::Access::Create);
            AnnotationStore(*cs).putFrom(note("DC1", ""), note("DC1", "start"));
        }
        std::atomic<int> merged {0}, copies {0}, failures {0};
        auto work = [&](int who) {
            try {
                auto cs = CaseStore::open(url, CaseStore::Access::ReadWrite);
                AnnotationStore st(*cs);
                for (int i = 0; i < 25; ++i) {
                    const Annotation base = *st.find(TargetKind::Host, "DC1");
                    Annotation after = base;
                    after.note = "analyst " + std::to_string(who) + " edit " + std::to_string(i);
                    const auto out = st.putFrom(base, after);
                    merged += out.merged ? 1 : 0;
                    copies += out.conflictCopyId > 0 ? 1 : 0;
                }
            } catch (const std::exception &e) {
                qWarning("%s", e.what());
                ++failures;
            }
        };
        std::thread t1(work, 1), t2(work, 2);
        t1.join();
        t2.join();
        QCOMPARE(failures.load(), 0);
        auto cs = CaseStore::open(url, CaseStore::Access::ReadOnly);
        AnnotationStore st(*cs);
        QCOMPARE(st.find(TargetKind::Host, "DC1")->version, int64_t(1 + 50 - copies.load()));
        QCOMPARE(static_cast<int>(st.conflictCopies().size()), copies.load());
        QCOMPARE(merged.load(), copies.load()); // every lost race was a note against a note
        qInfo("50 racing edits: %d met a concurrent edit (kept as conflict copies)", copies.load());
    }

    // Two `transfertrace import` processes at once, different files, then the same files again
    // from both at once: the counts equal a serial import.
    void concurrentImports()
    {
        const QStringList first {fixture("xml"), fixture("inference")};
        const QStringList second {fixture("json"), fixture("linux"), fixture("zeek")};
        const QString serial = QString::fromStdString(m_pg.url("serial"));
        const QString parallel = QString::fromStdString(m_pg.url("parallel"));
        auto run = [](const QString &url, const QStringList &files) {
            QProcess p;
            p.start(binary(), QStringList {QStringLiteral("import"), url} + files);
            return p.waitForFinished(240000) && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        };
        const int s1 = run(serial, first);
        const int s2 = run(serial, second);
        QVERIFY2(s1 == 0 || s1 == 2, qPrintable(QString::number(s1)));
        QVERIFY2(s2 == 0 || s2 == 2, qPrintable(QString::number(s2)));

        // Both at once: the first file transaction of one waits for the other's.
        auto race = [](const QString &url, const QStringList &a, const QStringList &b) {
            QProcess p1, p2;
            p1.setProcessChannelMode(QProcess::MergedChannels);
            p2.setProcessChannelMode(QProcess::MergedChannels);
            p1.start(binary(), QStringList {QStringLiteral("import"), url} + a);
            p2.start(binary(), QStringList {QStringLiteral("import"), url} + b);
            const bool ok1 = p1.waitForFinished(240000), ok2 = p2.waitForFinished(240000);
            QStringList out;
            out << QString::number(ok1 ? p1.exitCode() : -1) << QString::number(ok2 ? p2.exitCode() : -1)
                << QString::fromUtf8(p1.readAll()) << QString::fromUtf8(p2.readAll());
            return out;
        };
        QStringList r = race(parallel, first, second);
        QVERIFY2(r[0] == QString::number(s1) && r[1] == QString::number(s2), qPrintable(r.join(QLatin1Char('\n'))));
        const QStringList want = caseSummary(serial.toStdString());
        QCOMPARE(caseSummary(parallel.toStdString()), want);

        // The same files from two processes at once: each stored once (a duplicate is a no-op).
        r = race(parallel, first + second, second + first);
        QVERIFY2(r[0] != QStringLiteral("-1") && r[1] != QStringLiteral("-1"), qPrintable(r.join(QLatin1Char('\n'))));
        QCOMPARE(caseSummary(parallel.toStdString()), want);
        // And into a new case, where both find nothing imported yet.
        const QString fresh = QString::fromStdString(m_pg.url("fresh"));
        r = race(fresh, first, first);
        QVERIFY2(r[0] != QStringLiteral("-1") && r[1] != QStringLiteral("-1"), qPrintable(r.join(QLatin1Char('\n'))));
        const QString serialFirst = QString::fromStdString(m_pg.url("serial_first"));
        run(serialFirst, first);
        QCOMPARE(caseSummary(fresh.toStdString()), caseSummary(serialFirst.toStdString()));
    }
};

QTEST_GUILESS_MAIN(TstPgConcurrent)
#include "tst_pg_concurrent.moc"
