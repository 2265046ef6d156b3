// The store's entry points for code outside models/ (issue 13 item 1): what app/, views/ and
// importers/ used to do with the raw connection, now behind store::CaseStore and models/query.
#include "app/CaseBuilder.h"
#include "query/AnnotatedItemQuery.h"
#include "query/GraphQuery.h"
#include "store/AnnotationStore.h"
#include "store/CaseMaintenance.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;

Q_DECLARE_METATYPE(tt::store::TargetKind)

namespace {
qint64 walBytes(const QString &casePath)
{
    const QFileInfo wal(casePath + QStringLiteral("-wal"));
    return wal.exists() ? wal.size() : -1;
}
} // namespace

class TstStoreEntryPoints : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_case;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_case = buildGeneratedCase(m_dir.path(), 6, 3000, 7, &error);
        QVERIFY2(!m_case.isEmpty(), qPrintable(error));
    }

    // `demo` folds the WAL into the case before moving it into place: nothing may stay in -wal.
    void checkpointLeavesNothingInTheWal()
    {
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadWrite);
        store::CaseMeta meta;
        meta.title = "entry points";
        store::AnnotationStore(*cs).setMeta(meta);
        QVERIFY(walBytes(m_case) > 0); // the committed edit sits in the WAL
        store::checkpoint(*cs);
        QCOMPARE(walBytes(m_case), qint64(0));
        // Everything is in the main file now, and fileBytes() says how big it is.
        QCOMPARE(store::fileBytes(*cs), QFileInfo(m_case).size());
        QCOMPARE(store::AnnotationStore(*cs).meta().title, std::string("entry points"));
    }

    void countTransfersIsTheWholeCase()
    {
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
        const int64_t n = countTransfers(*cs);
        QVERIFY(n > 0);
        FilterState narrow;
        narrow.minConfidence = 2.0; // nothing passes: the total does not follow the filter
        const GraphData g = queryGraph(*cs, narrow);
        QCOMPARE(g.transfersTotal, n);
        QCOMPARE(cs->db().queryInt("SELECT count(*) FROM transfers"), n);
    }

    void resolveAnnotatedItem_data()
    {
        QTest::addColumn<store::TargetKind>("kind");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("selected"); // SelectedEntities::Kind
        QTest::addColumn<QVector<qint64>>("hosts");
        QTest::addColumn<QVector<qint64>>("transfers");
        QTest::addColumn<QVector<qint64>>("events");
        QTest::addColumn<qint64>("process");
        QTest::addColumn<qint64>("account");

        using K = SelectedEntities::Kind;
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
        sql::Db &db = cs->db();
        {
            auto st = db.prepare("SELECT id, name FROM hosts WHERE is_ip_only = 0 ORDER BY id LIMIT 1");
            QVERIFY(st.step());
            QTest::newRow("host") << store::TargetKind::Host << QString::fromStdString(st.text(1)) << int(K::Host)
                                  << QVector<qint64> {st.int64(0)} << QVector<qint64>() << QVector<qint64>()
                                  << qint64(0) << qint64(0);
        }
        {
            auto st = db.prepare("SELECT id, key FROM transfers ORDER BY id LIMIT 1");
            QVERIFY(st.step());
            QTest::newRow("transfer") << store::TargetKind::Transfer << QString::fromStdString(st.text(1))
                                      << int(K::Transfer) << QVector<qint64>() << QVector<qint64> {st.int64(0)}
                                      << QVector<qint64>() << qint64(0) << qint64(0);
        }
        {
            const qint64 id = db.queryInt("SELECT max(id) FROM events");
            QTest::newRow("event") << store::TargetKind::Event << QString::number(id) << int(K::Event)
                                   << QVector<qint64>() << QVector<qint64>() << QVector<qint64> {id} << qint64(0)
                                   << qint64(0);
        }
        {
            auto st = db.prepare("SELECT id, host_id FROM processes ORDER BY id DESC LIMIT 1");
            QVERIFY(st.step());
            QTest::newRow("process") << store::TargetKind::Process << QString::number(st.int64(0)) << int(K::Process)
                                     << QVector<qint64> {st.int64(1)} << QVector<qint64>() << QVector<qint64>()
                                     << qint64(st.int64(0)) << qint64(0);
        }
        {
            const qint64 id = db.queryInt("SELECT max(id) FROM accounts");
            QVERIFY(id > 0);
            QTest::newRow("account: a pivot, no selection")
                << store::TargetKind::Account << QString::number(id) << int(K::None) << QVector<qint64>()
                << QVector<qint64>() << QVector<qint64>() << qint64(0) << id;
        }
        const QVector<qint64> none;
        QTest::newRow("gone host") << store::TargetKind::Host << QStringLiteral("no-such-host") << int(K::None) << none
                                   << none << none << qint64(0) << qint64(0);
        QTest::newRow("gone transfer") << store::TargetKind::Transfer << QStringLiteral("no-such-key") << int(K::None)
                                       << none << none << none << qint64(0) << qint64(0);
        QTest::newRow("gone event") << store::TargetKind::Event << QStringLiteral("999999999") << int(K::None) << none
                                    << none << none << qint64(0) << qint64(0);
        QTest::newRow("process key not a number") << store::TargetKind::Process << QStringLiteral("x'; DROP")
                                                  << int(K::None) << none << none << none << qint64(0) << qint64(0);
        QTest::newRow("gone account") << store::TargetKind::Account << QStringLiteral("0") << int(K::None) << none
                                      << none << none << qint64(0) << qint64(0);
    }

    void resolveAnnotatedItem()
    {
        QFETCH(store::TargetKind, kind);
        QFETCH(QString, key);
        QFETCH(int, selected);
        QFETCH(QVector<qint64>, hosts);
        QFETCH(QVector<qint64>, transfers);
        QFETCH(QVector<qint64>, events);
        QFETCH(qint64, process);
        QFETCH(qint64, account);
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::ReadOnly);
        const AnnotatedItem item = tt::resolveAnnotatedItem(*cs, kind, key.toStdString());
        QCOMPARE(int(item.selection.kind), selected);
        QCOMPARE(item.selection.hosts, hosts);
        QCOMPARE(item.selection.transfers, transfers);
        QCOMPARE(item.selection.events, events);
        QCOMPARE(item.selection.process, process);
        QCOMPARE(item.account, account);
        // An item that is gone says so (the Notes dock shows it); a found one has no error.
        QCOMPARE(item.error.isEmpty(), selected != int(SelectedEntities::Kind::None) || account != 0);
    }
};

QTEST_GUILESS_MAIN(TstStoreEntryPoints)
#include "tst_store_entry_points.moc"
