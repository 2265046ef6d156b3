// tt::CaseOverviewDock offscreen: a small case built with the import engine from JSON lines written by
// the test, opened in the window; the host and source tables, a broken case, a stale load dropped
// when a second case is opened quickly, item-model conformance and hostile host names.

#include "CaseOverviewDock.h"
#include "core/ImportEngine.h"
#include "items/HostTableModel.h"
#include "items/SourceTableModel.h"
#include "store/CaseStore.h"

#include "EngineFixtures.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include <map>

using namespace tt;

namespace {

using HostCounts = std::map<QString, qlonglong>;

QByteArray lines(std::initializer_list<QByteArray> ls)
{
    QByteArray out;
    for (const QByteArray &l : ls)
        out += l + '\n';
    return out;
}

QByteArray onHost(const char *line, const char *from, const char *to)
{
    return QByteArray(line).replace(from, to);
}

QTableView *table(CaseOverviewDock &w, const char *name)
{
    return w.findChild<QTableView *>(QString::fromLatin1(name));
}

// What the view shows (through its sort proxy): host name -> displayed event count.
HostCounts shownHosts(QTableView *view)
{
    HostCounts out;
    const QAbstractItemModel *m = view->model();
    const QLocale loc;
    for (int r = 0; r < m->rowCount(); ++r) {
        const QString name = m->index(r, HostTableModel::Name).data(Qt::DisplayRole).toString();
        bool ok = false;
        const qlonglong n = loc.toLongLong(m->index(r, HostTableModel::Events).data(Qt::DisplayRole).toString(), &ok);
        out[name] = ok ? n : -1;
    }
    return out;
}

QString describe(const HostCounts &h)
{
    QStringList parts;
    for (const auto &[name, n] : h)
        parts << QStringLiteral("%1=%2").arg(name).arg(n);
    return parts.join(QStringLiteral(", "));
}

QString summaryText(CaseOverviewDock &w)
{
    // The summary label is the only QLabel above the tabs with text.
    for (QLabel *l : w.findChildren<QLabel *>())
        if (l->text().contains(QLatin1String("events from")) || l->text().startsWith(QLatin1String("Cannot open case")))
            return l->text();
    return {};
}

template<typename T> T *sourceModel(QTableView *view)
{
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(view->model());
    return proxy ? qobject_cast<T *>(proxy->sourceModel()) : qobject_cast<T *>(view->model());
}

} // namespace

class TstCaseOverviewDock : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void showsHostsAndSources();
    void brokenCaseReportsError();
    void secondOpenWinsOverStaleFirst();
    void modelsPassModelTester();
    void hostNamesAreShownLiterally();

private:
    // Imports `data` (JSON lines) as `file` into a new case `name`; returns the case path.
    QString makeCase(const QString &name, const QString &file, const QByteArray &data);
    static bool waitLoaded(QSignalSpy &spy, const QString &path, bool *ok);

    QTemporaryDir m_dir;
    QString m_caseA, m_caseB, m_fileA;
    HostCounts m_hostsA, m_hostsB;
};

QString TstCaseOverviewDock::makeCase(const QString &name, const QString &file, const QByteArray &data)
{
    const QString input = m_dir.filePath(file);
    QFile f(input);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return {};
    f.close();
    QString casePath = m_dir.filePath(name);
    auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::Create);
    ImportEngine engine(*cs, {});
    const ImportSummary sum = engine.run({input.toStdString()});
    if (sum.files.size() != 1 || sum.files[0].status != FileReport::Status::Imported)
        return {};
    return casePath;
}

void TstCaseOverviewDock::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Case A: WS6 logs a network logon, a share access and a process; WS5 logs its SMB connection.
    m_fileA = QStringLiteral("ws_mixed.json");
    m_caseA = makeCase(QStringLiteral("a.ttcase"), m_fileA,
        lines({fixtures::kLogon4624, fixtures::kShare5145, fixtures::kSysmon1, fixtures::kSysmon3}));
    QVERIFY(!m_caseA.isEmpty());
    m_hostsA = {{QStringLiteral("WS6"), 3}, {QStringLiteral("WS5"), 1}};
    // Case B: a single other host with two events.
    m_caseB = makeCase(QStringLiteral("b.ttcase"), QStringLiteral("dc_only.json"),
        lines({onHost(fixtures::kSysmon1, "WS6.corp.local", "DC1.corp.local"),
            onHost(fixtures::kSysmon3, "WS5.corp.local", "DC1.corp.local")}));
    QVERIFY(!m_caseB.isEmpty());
    m_hostsB = {{QStringLiteral("DC1"), 2}};
}

bool TstCaseOverviewDock::waitLoaded(QSignalSpy &spy, const QString &path, bool *ok)
{
    for (int i = 0; i < 200; ++i) {
        for (const QList<QVariant> &args : std::as_const(spy)) {
            if (args.at(0).toString() == path) {
                *ok = args.at(1).toBool();
                return true;
            }
        }
        QTest::qWait(50);
    }
    return false;
}

void TstCaseOverviewDock::showsHostsAndSources()
{
    CaseOverviewDock w;
    w.show();
    QSignalSpy spy(&w, &CaseOverviewDock::caseLoaded);
    QVERIFY(spy.isValid());
    QTableView *hosts = table(w, "hostTable");
    QTableView *sources = table(w, "sourceTable");
    QVERIFY(hosts);
    QVERIFY(sources);
    // Reset and data of the live models are checked while the window fills them.
    QAbstractItemModelTester hostTester(hosts->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester sourceTester(sources->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);

    w.openCase(m_caseA);
    QCOMPARE(w.casePath(), m_caseA);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
    QCOMPARE(spy.at(0).at(0).toString(), m_caseA);
    QCOMPARE(spy.at(0).at(1).toBool(), true);

    const HostCounts shown = shownHosts(hosts);
    QVERIFY2(shown == m_hostsA, qPrintable("hosts shown: " + describe(shown)));
    // Sorted by event count, most first.
    QCOMPARE(hosts->model()->index(0, HostTableModel::Name).data().toString(), QStringLiteral("WS6"));

    QCOMPARE(sources->model()->rowCount(), 1);
    const QString src = sources->model()->index(0, SourceTableModel::Path).data().toString();
    QVERIFY2(src.endsWith(QLatin1Char('/') + m_fileA), qPrintable(src));
    QCOMPARE(sources->model()->index(0, SourceTableModel::Format).data().toString(), QStringLiteral("jsonl"));
    QCOMPARE(sources->model()->index(0, SourceTableModel::Stored).data().toString(), QLocale().toString(4));
    QVERIFY2(summaryText(w).contains(QLatin1String("a.ttcase")), qPrintable(summaryText(w)));
}

void TstCaseOverviewDock::brokenCaseReportsError()
{
    // Not a database at all, and a path that does not exist.
    const QString garbage = m_dir.filePath("garbage.ttcase");
    {
        QFile f(garbage);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
    }
    const QString missing = m_dir.filePath("no/such/case.ttcase");

    CaseOverviewDock w;
    w.show();
    QSignalSpy spy(&w, &CaseOverviewDock::caseLoaded);
    for (const QString &bad : {garbage, missing}) {
        spy.clear();
        w.openCase(bad);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
        QCOMPARE(spy.at(0).at(0).toString(), bad);
        QCOMPARE(spy.at(0).at(1).toBool(), false);
        const QString text = summaryText(w);
        QVERIFY2(text.startsWith(QLatin1String("Cannot open case: ")) && text.size() > 18, qPrintable(text));
        QCOMPARE(table(w, "hostTable")->model()->rowCount(), 0);
    }
    QVERIFY(!QFile::exists(missing)); // opening read-only never creates a case

    // The window recovers: a good case opens after a failure.
    spy.clear();
    w.openCase(m_caseB);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
    QCOMPARE(spy.at(0).at(1).toBool(), true);
    QVERIFY2(shownHosts(table(w, "hostTable")) == m_hostsB, qPrintable(describe(shownHosts(table(w, "hostTable")))));

    // A failure after a good case: error and caseLoaded(false) again.
    spy.clear();
    w.openCase(garbage);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
    QCOMPARE(spy.at(0).at(0).toString(), garbage);
    QCOMPARE(spy.at(0).at(1).toBool(), false);
    QVERIFY2(summaryText(w).startsWith(QLatin1String("Cannot open case: ")), qPrintable(summaryText(w)));
    QCOMPARE(w.casePath(), garbage);
    // The previous case's rows must not stay under the name of the one that failed.
    QCOMPARE(table(w, "hostTable")->model()->rowCount(), 0);
    QCOMPARE(table(w, "sourceTable")->model()->rowCount(), 0);
}

void TstCaseOverviewDock::secondOpenWinsOverStaleFirst()
{
    for (int round = 0; round < 5; ++round) {
        CaseOverviewDock w;
        w.show();
        QSignalSpy spy(&w, &CaseOverviewDock::caseLoaded);
        const QString first = round % 2 ? m_caseB : m_caseA;
        const QString second = round % 2 ? m_caseA : m_caseB;
        const HostCounts &want = round % 2 ? m_hostsA : m_hostsB;
        w.openCase(first);
        w.openCase(second);
        bool ok = false;
        QVERIFY(waitLoaded(spy, second, &ok));
        QVERIFY(ok);
        // Let every worker finish and every queued result arrive: the first one must be dropped.
        QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
        QTest::qWait(100);
        QCoreApplication::processEvents();
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), second);
        QCOMPARE(w.casePath(), second);
        const HostCounts shown = shownHosts(table(w, "hostTable"));
        QVERIFY2(shown == want, qPrintable(QStringLiteral("round %1: %2").arg(round).arg(describe(shown))));
        QVERIFY(summaryText(w).contains(QFileInfo(second).fileName()));
    }
}

void TstCaseOverviewDock::modelsPassModelTester()
{
    auto cs = store::CaseStore::open(m_caseA.toStdString(), store::CaseStore::Access::ReadOnly);
    const auto hostRows = cs->hosts();
    const auto sourceRows = cs->sources();
    QCOMPARE(hostRows.size(), size_t(2));
    QCOMPARE(sourceRows.size(), size_t(1));

    HostTableModel hosts;
    QAbstractItemModelTester ht(&hosts, QAbstractItemModelTester::FailureReportingMode::Fatal);
    hosts.setHosts(hostRows);
    QCOMPARE(hosts.rowCount(), 2);
    QCOMPARE(hosts.columnCount(), int(HostTableModel::ColumnCount));
    for (int r = 0; r < hosts.rowCount(); ++r) {
        QCOMPARE(hosts.hostId(r), hostRows[size_t(r)].id);
        QCOMPARE(hosts.index(r, 0).data(HostTableModel::HostIdRole).toLongLong(), hostRows[size_t(r)].id);
        QCOMPARE(hosts.index(r, HostTableModel::Events).data(HostTableModel::SortRole).toLongLong(),
            hostRows[size_t(r)].events);
    }
    QCOMPARE(hosts.hostId(-1), int64_t(0));
    QCOMPARE(hosts.hostId(2), int64_t(0));
    QVERIFY(!hosts.index(0, 0).parent().isValid());
    QCOMPARE(hosts.rowCount(hosts.index(0, 0)), 0);
    // A proxy on top, sorted both ways, as the window uses it.
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester pt(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    proxy.setSourceModel(&hosts);
    proxy.setSortRole(HostTableModel::SortRole);
    proxy.sort(HostTableModel::Events, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, HostTableModel::Name).data().toString(), QStringLiteral("WS5"));
    proxy.sort(HostTableModel::Events, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, HostTableModel::Name).data().toString(), QStringLiteral("WS6"));
    hosts.setHosts({});
    QCOMPARE(proxy.rowCount(), 0);
    hosts.setHosts(hostRows);
    QCOMPARE(proxy.rowCount(), 2);

    SourceTableModel sources;
    QAbstractItemModelTester st(&sources, QAbstractItemModelTester::FailureReportingMode::Fatal);
    sources.setSources(sourceRows);
    QCOMPARE(sources.rowCount(), 1);
    QCOMPARE(sources.columnCount(), int(SourceTableModel::ColumnCount));
    QCOMPARE(
        sources.index(0, SourceTableModel::Sha256).data().toString(), QString::fromStdString(sourceRows[0].sha256));
    for (int c = 0; c < SourceTableModel::ColumnCount; ++c)
        QVERIFY(!sources.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
    sources.setSources({});
    QCOMPARE(sources.rowCount(), 0);
}

void TstCaseOverviewDock::hostNamesAreShownLiterally()
{
    const QString raw = QStringLiteral("<b>x</b>");
    // In the model: DisplayRole (and tooltip) carry the raw text, never rendered markup.
    store::CaseStore::HostSummary h;
    h.id = 7;
    h.name = raw.toStdString();
    h.fqdn = "<b>x</b>.corp.local";
    h.events = 1;
    HostTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setHosts({h});
    QCOMPARE(model.index(0, HostTableModel::Name).data(Qt::DisplayRole).toString(), raw);
    QCOMPARE(model.index(0, HostTableModel::Name).data(Qt::ToolTipRole).toString(), raw);
    QCOMPARE(
        model.index(0, HostTableModel::Fqdn).data(Qt::DisplayRole).toString(), QStringLiteral("<b>x</b>.corp.local"));

    // Through the window: the normaliser never makes such a host from a log, so the test writes
    // one into a copy of a case (as a damaged or hand-edited case could hold it).
    const QString hostile = m_dir.filePath("hostile.ttcase");
    QFile::remove(hostile);
    QVERIFY(QFile::copy(m_caseB, hostile));
    {
        auto cs = store::CaseStore::open(hostile.toStdString(), store::CaseStore::Access::ReadWrite);
        auto ins = cs->db().prepare("INSERT INTO hosts(name, fqdn, event_count) VALUES(?, ?, 5)");
        ins.bind(1, std::string_view("<b>x</b>")).bind(2, std::string_view("<b>x</b>.corp.local"));
        ins.exec();
    }
    CaseOverviewDock w;
    w.show();
    QSignalSpy spy(&w, &CaseOverviewDock::caseLoaded);
    w.openCase(hostile);
    QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, 10000);
    QCOMPARE(spy.at(0).at(1).toBool(), true);
    const HostCounts shown = shownHosts(table(w, "hostTable"));
    const HostCounts want = {{QStringLiteral("DC1"), 2}, {raw, 5}};
    QVERIFY2(shown == want, qPrintable(describe(shown)));
    auto *src = sourceModel<HostTableModel>(table(w, "hostTable"));
    QVERIFY(src);
    bool found = false;
    for (int r = 0; r < src->rowCount(); ++r)
        found |= src->index(r, HostTableModel::Name).data(Qt::DisplayRole).toString() == raw;
    QVERIFY(found);
}

QTEST_MAIN(TstCaseOverviewDock)
#include "tst_case_overview_dock.moc"
