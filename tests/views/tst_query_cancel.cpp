// Issue 12 item 5: a superseded workbench query stops. runCaseQuery with a SupersededQueries flag:
// the next query sets the previous one's flag, its statement is interrupted (SQLITE_INTERRUPT),
// its result is never applied, and the newer result shows.

#include "SupersededQueries.h"
#include "WorkerQuery.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace tt;

class TstQueryCancel : public QObject {
    Q_OBJECT
private slots:
    void supersededQueryIsInterruptedAndTheNewerResultShows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.ttcase"));
        store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);

        SupersededQueries queries;
        auto started = std::make_shared<std::atomic<bool>>(false);
        auto interruptCode = std::make_shared<std::atomic<int>>(0);
        int firstApplied = 0, secondApplied = 0;
        int64_t secondValue = 0;
        // Never ends on its own: only an interrupt stops it.
        runCaseQuery<int64_t>(
            this, path, queries.next(),
            [started, interruptCode](store::CaseStore &cs) -> int64_t {
                started->store(true);
                try {
                    return cs.db().queryInt("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                                            "SELECT count(*) FROM c");
                } catch (const sql::Error &e) {
                    interruptCode->store(e.code());
                    throw;
                }
            },
            [&](int64_t &, const QString &) { ++firstApplied; });
        QTRY_VERIFY_WITH_TIMEOUT(started->load(), 10000);
        runCaseQuery<int64_t>(
            this, path, queries.next(), [](store::CaseStore &cs) { return cs.db().queryInt("SELECT 6 * 7"); },
            [&](int64_t &v, const QString &error) {
                QVERIFY(error.isEmpty());
                secondValue = v;
                ++secondApplied;
            });
        QTRY_VERIFY_WITH_TIMEOUT(secondApplied == 1, 10000);
        QCOMPARE(secondValue, int64_t(42));
        QTRY_VERIFY_WITH_TIMEOUT(interruptCode->load() != 0, 10000);
        QVERIFY(sql::CancelOnFlag::isInterrupt(interruptCode->load()));
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(firstApplied, 0); // the superseded result never reaches the view
    }

    void queryWithoutAFlagRunsAsBefore()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.ttcase"));
        store::CaseStore::open(path.toStdString(), store::CaseStore::Access::Create);
        int64_t got = 0;
        runCaseQuery<int64_t>(
            this, path, [](store::CaseStore &cs) { return cs.db().queryInt("SELECT 7"); },
            [&](int64_t &v, const QString &) { got = v; });
        QTRY_COMPARE_WITH_TIMEOUT(got, int64_t(7), 10000);
    }
};

QTEST_GUILESS_MAIN(TstQueryCancel)
#include "tst_query_cancel.moc"
