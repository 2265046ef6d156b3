// Process ancestry, events / evidence and event details: queries, item models and the three
// docks, offscreen, on a small case built through the import engine (Sysmon 1 chains with GUIDs,
// 4688 chains with hex PIDs and PID reuse) plus a transfer and its evidence inserted with SQL.

#include "EventDetailsView.h"
#include "EvidenceTableView.h"
#include "ProcessAncestryPanel.h"
#include "core/ImportEngine.h"
#include "items/AncestryTreeModel.h"
#include "items/EventDetailsModel.h"
#include "items/EvidenceTableModel.h"
#include "query/AncestryQuery.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTreeView>
#include <QtTest>

#include <QElapsedTimer>

#include <algorithm>
#include <memory>

using namespace tt;

namespace {

const QString kScript = QStringLiteral("<script>alert(1)</script>");

QString stamp(const QString &hms)
{
    return QStringLiteral("2020-10-09T%1.000Z").arg(hms);
}

QByteArray jsonLine(const QVariantMap &m)
{
    return QJsonDocument(QJsonObject::fromVariantMap(m)).toJson(QJsonDocument::Compact) + '\n';
}

QVariantMap base(const QString &host, const QString &hms, int eventId, const QString &channel, int record)
{
    return {{"EventID", eventId}, {"Channel", channel},
        {"SourceName", channel == "Security" ? "Microsoft-Windows-Security-Auditing" : "Microsoft-Windows-Sysmon"},
        {"Hostname", QString(host + ".corp.local")}, {"RecordNumber", record}, {"@timestamp", stamp(hms)}};
}

int g_record = 1;

void put(QVariantMap &m, std::initializer_list<std::pair<QString, QVariant>> kv)
{
    for (const auto &[k, v] : kv)
        m.insert(k, v);
}

QByteArray sysmon1(const QString &host, const QString &hms, const QString &guid, int pid, const QString &image,
    const QString &cmd, const QString &pguid, int ppid, const QString &pimage)
{
    QVariantMap m = base(host, hms, 1, "Microsoft-Windows-Sysmon/Operational", g_record++);
    put(m,
        {{"UtcTime", QStringLiteral("2020-10-09 %1.000").arg(hms)}, {"ProcessGuid", guid},
            {"ProcessId", QString::number(pid)}, {"Image", image}, {"CommandLine", cmd}, {"User", "CORP\\alice"},
            {"LogonId", "0x1111"}, {"ParentProcessGuid", pguid}, {"ParentProcessId", QString::number(ppid)},
            {"ParentImage", pimage}});
    return jsonLine(m);
}

QString hex(int v)
{
    return QStringLiteral("0x%1").arg(v, 0, 16);
}

QByteArray sec4688(
    const QString &host, const QString &hms, int pid, const QString &image, int ppid, const QString &pimage)
{
    QVariantMap m = base(host, hms, 4688, "Security", g_record++);
    put(m,
        {{"SubjectUserName", "bob"}, {"SubjectDomainName", "CORP"}, {"SubjectLogonId", "0x2222"},
            {"NewProcessId", hex(pid)}, {"NewProcessName", image}, {"CommandLine", QString(image + " /x")},
            {"ProcessId", hex(ppid)}, {"ParentProcessName", pimage}, {"TargetUserName", "-"}});
    return jsonLine(m);
}

QByteArray sec4689(const QString &host, const QString &hms, int pid, const QString &image)
{
    QVariantMap m = base(host, hms, 4689, "Security", g_record++);
    put(m,
        {{"SubjectUserName", "bob"}, {"SubjectDomainName", "CORP"}, {"ProcessId", hex(pid)}, {"ProcessName", image}});
    return jsonLine(m);
}

QByteArray share5145(const QString &host, const QString &hms)
{
    QVariantMap m = base(host, hms, 5145, "Security", g_record++);
    put(m,
        {{"SubjectUserName", "alice"}, {"SubjectDomainName", "CORP"}, {"SubjectLogonId", "0x3333"},
            {"ShareName", "\\\\*\\C$"}, {"ShareLocalPath", "\\??\\C:\\"},
            {"RelativeTargetName", "Windows\\Temp\\tool.exe"}, {"AccessMask", "0x2"}, {"IpAddress", "10.1.1.5"},
            {"IpPort", "51712"}});
    return jsonLine(m);
}

const QString kExplorer = "C:\\Windows\\explorer.exe";
const QString kCmd = "C:\\Windows\\System32\\cmd.exe";
const QString kCopy = "C:\\Tools\\copy.exe";
const QString kServices = "C:\\Windows\\System32\\services.exe";
const QString kTool = "C:\\Windows\\Temp\\tool.exe";
QString guid(int n)
{
    return QStringLiteral("{b34bc01c-7fae-5f63-%1-000000000400}").arg(n, 4, 16, QLatin1Char('0'));
}

// Lets every worker job and every queued result (and the jobs they start) run to the end.
void settle()
{
    for (int i = 0; i < 8; ++i) {
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents();
        QTest::qWait(5);
    }
}

QStringList images(const ProcessChain &c)
{
    QStringList out;
    for (const ProcessInfo &p : c.chain)
        out << p.image;
    return out;
}

// The chain under a group row (or the top level): follow the on-chain child down.
QStringList modelChain(const QAbstractItemModel *m, QModelIndex at)
{
    QStringList out;
    for (;;) {
        QModelIndex next;
        for (int r = 0; r < m->rowCount(at); ++r) {
            const QModelIndex c = m->index(r, 0, at);
            if (c.data(AncestryTreeModel::OnChainRole).toBool()) {
                next = c;
                break;
            }
        }
        if (!next.isValid())
            return out;
        out << next.data(AncestryTreeModel::ImageRole).toString();
        at = next;
    }
}

QModelIndex findImage(const QAbstractItemModel *m, const QString &image, const QModelIndex &under = {})
{
    for (int r = 0; r < m->rowCount(under); ++r) {
        const QModelIndex c = m->index(r, 0, under);
        if (c.data(AncestryTreeModel::ImageRole).toString() == image
            && !c.data(AncestryTreeModel::IsGroupRole).toBool())
            return c;
        const QModelIndex deeper = findImage(m, image, c);
        if (deeper.isValid())
            return deeper;
    }
    return {};
}

QAction *menuAction(QMenu *menu, const char *name)
{
    for (QAction *a : menu->actions())
        if (a->objectName() == QLatin1String(name))
            return a;
    return nullptr;
}

} // namespace

class TstAncestry : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;
    std::unique_ptr<store::CaseStore> m_store; // read-write, for set-up and expectations
    int64_t q(const QString &sql) { return m_store->db().queryInt(sql.toStdString(), -1); }
    int64_t procId(const QString &imageLike, const QString &host)
    {
        return q(QStringLiteral("SELECT p.id FROM processes p JOIN hosts h ON h.id=p.host_id WHERE p.image LIKE '%1' "
                                "AND h.name='%2' ORDER BY p.start_ts DESC LIMIT 1")
                     .arg(imageLike, host));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QByteArray data;
        // Source WS5: explorer -> cmd -> copy.exe (Sysmon 1, GUIDs; explorer's parent never logged).
        data += sysmon1("WS5", "10:00:00", guid(1), 1000, kExplorer, "explorer.exe", guid(0xaa), 900,
            "C:\\Windows\\System32\\userinit.exe");
        data += sysmon1("WS5", "10:01:00", guid(2), 2000, kCmd, "cmd.exe", guid(1), 1000, kExplorer);
        data += sysmon1("WS5", "10:02:00", guid(3), 3000, kCopy, "copy.exe tool.exe \\\\WS6\\C$\\Windows\\Temp",
            guid(2), 2000, kCmd);
        // Destination WS6: services.exe -> tool.exe; the command line carries markup.
        data += sysmon1("WS6", "09:00:00", guid(0x10), 700, kServices, "services.exe", guid(0xbb), 600,
            "C:\\Windows\\System32\\wininit.exe");
        data += share5145("WS6", "10:03:00");
        data += sysmon1(
            "WS6", "10:05:00", guid(0x11), 4242, kTool, QString("tool.exe " + kScript), guid(0x10), 700, kServices);
        // WS7: 4688 without GUIDs. Explorer 0x100 ends, the PID is reused by evil.exe; whoami's
        // parent 0x100 is evil.exe, notepad's (earlier) is explorer.
        data += sec4688(
            "WS7", "08:00:00", 0x100, "C:\\Windows\\explorer.exe", 0x50, "C:\\Windows\\System32\\userinit.exe");
        data += sec4688("WS7", "08:01:00", 0x200, "C:\\Windows\\System32\\cmd.exe", 0x100, "C:\\Windows\\explorer.exe");
        data += sec4688("WS7", "08:02:00", 0x400, "C:\\Windows\\notepad.exe", 0x100, "C:\\Windows\\explorer.exe");
        data += sec4689("WS7", "08:03:00", 0x100, "C:\\Windows\\explorer.exe");
        data += sec4688("WS7", "08:04:00", 0x100, "C:\\Temp\\evil.exe", 0x60, "C:\\Temp\\dropper.exe");
        data += sec4688("WS7", "08:05:00", 0x300, "C:\\Windows\\System32\\whoami.exe", 0x100, "C:\\Temp\\evil.exe");
        // Reuse without an end event: the latest process with the PID wins.
        data += sec4688("WS7", "08:10:00", 0x500, "C:\\a.exe", 0x50, "x");
        data += sec4688("WS7", "08:11:00", 0x600, "C:\\b.exe", 0x500, "C:\\a.exe");
        data += sec4688("WS7", "08:12:00", 0x500, "C:\\c.exe", 0x50, "x");
        data += sec4688("WS7", "08:13:00", 0x700, "C:\\d.exe", 0x500, "C:\\c.exe");
        const QString input = m_dir.filePath("events.json");
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
        f.close();

        m_case = m_dir.filePath("a.ttcase");
        m_store = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*m_store, {});
        const ImportSummary sum = engine.run({input.toStdString()});
        QCOMPARE(sum.exitCode(), 0);
        QCOMPARE(q("SELECT count(*) FROM processes"), int64_t(14));
        QCOMPARE(q("SELECT count(*) FROM processes WHERE origin='4688' AND pid=256"), int64_t(2)); // 0x100 twice

        // The transfer and its evidence (inference is someone else's): copy.exe pushed tool.exe.
        const int64_t copy = procId("%copy.exe", "WS5"), tool = procId("%tool.exe", "WS6");
        QVERIFY(copy > 0 && tool > 0);
        m_store->db().exec(QStringLiteral(
            "INSERT INTO transfers(id, src_host_id, dst_host_id, file_name, dst_path, method, direction, "
            "account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, confidence_label, "
            "executed, rules) VALUES(1, (SELECT id FROM hosts WHERE name='WS5'), (SELECT id FROM hosts "
            "WHERE name='WS6'), 'tool.exe', 'C:\\Windows\\Temp\\tool.exe', 'smb-admin-share', 'push', "
            "(SELECT account_id FROM processes WHERE id=%1), %1, %2, "
            "(SELECT ts FROM events WHERE event_id=5145), (SELECT start_ts FROM processes WHERE id=%2), "
            "0.9, 'high', 1, 'smb-write,exec')")
                               .arg(copy)
                               .arg(tool)
                               .toStdString());
        m_store->db().exec(QStringLiteral("INSERT INTO transfer_evidence(transfer_id, event, role, rule) VALUES"
                                          "(1, (SELECT event FROM processes WHERE id=%1), 'src-command', 'smb-copy'),"
                                          "(1, (SELECT id FROM events WHERE event_id=5145), 'dst-share', 'smb-write'),"
                                          "(1, (SELECT event FROM processes WHERE id=%2), 'dst-exec', 'exec')")
                               .arg(copy)
                               .arg(tool)
                               .toStdString());
    }

    void cleanupTestCase() { settle(); }

    // ---- queries ------------------------------------------------------------------------

    void transferChainsBothSides()
    {
        const TransferSides s = queryTransferAncestry(m_store->db(), 1);
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QCOMPARE(images(s.pushedBy), QStringList({kExplorer, kCmd, kCopy}));
        QCOMPARE(images(s.executedBy), QStringList({kServices, kTool}));
        QVERIFY(!s.pushedBy.cycle && !s.pushedBy.truncated);
        const ProcessInfo &copy = s.pushedBy.chain.back();
        QCOMPARE(copy.account, QStringLiteral("CORP\\alice"));
        QCOMPARE(copy.logonId, QStringLiteral("0x1111"));
        QCOMPARE(copy.host, QStringLiteral("WS5"));
        QCOMPARE(copy.pid, int64_t(3000));
        QCOMPARE(copy.guid, guid(3).toUpper());
        QVERIFY(copy.startTs > 0);
    }

    void pidChainsPickTheRightParent_data()
    {
        QTest::addColumn<QString>("child");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("before reuse") << "%cmd.exe"
                                      << QStringList {"C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\cmd.exe"};
        QTest::newRow("after reuse (ended)")
            << "%whoami.exe" << QStringList {"C:\\Temp\\evil.exe", "C:\\Windows\\System32\\whoami.exe"};
        QTest::newRow("reuse, no end: earlier child") << "C:\\b.exe" << QStringList {"C:\\a.exe", "C:\\b.exe"};
        QTest::newRow("reuse, no end: latest wins") << "C:\\d.exe" << QStringList {"C:\\c.exe", "C:\\d.exe"};
    }
    void pidChainsPickTheRightParent()
    {
        QFETCH(QString, child);
        QFETCH(QStringList, expected);
        const ProcessChain c = queryAncestry(m_store->db(), procId(child, "WS7"));
        QCOMPARE(images(c), expected);
    }

    void pidChildrenFollowTheSameRule()
    {
        auto childImages = [this](const QString &image) {
            QStringList out;
            for (const ProcessInfo &p : queryChildren(m_store->db(), procId(image, "WS7")))
                out << p.image;
            return out;
        };
        const int64_t explorer
            = q("SELECT id FROM processes WHERE image='C:\\Windows\\explorer.exe' AND origin='4688'");
        QStringList fromExplorer;
        for (const ProcessInfo &p : queryChildren(m_store->db(), explorer))
            fromExplorer << p.image;
        QCOMPARE(fromExplorer, QStringList({"C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\notepad.exe"}));
        QCOMPARE(childImages("%evil.exe"), QStringList({"C:\\Windows\\System32\\whoami.exe"}));
        QCOMPARE(childImages("C:\\a.exe"), QStringList({"C:\\b.exe"}));
        QCOMPARE(childImages("C:\\c.exe"), QStringList({"C:\\d.exe"}));
        // GUID children.
        QStringList fromCmd;
        for (const ProcessInfo &p : queryChildren(m_store->db(), procId("%cmd.exe", "WS5")))
            fromCmd << p.image;
        QCOMPARE(fromCmd, QStringList({kCopy}));
    }

    void cyclesAndDepthStop()
    {
        sql::Db &db = m_store->db();
        const int64_t host = q("SELECT id FROM hosts WHERE name='WS5'");
        const int64_t ev = q("SELECT min(id) FROM events");
        auto ins
            = db.prepare("INSERT INTO processes(id, event, host_id, origin, guid, pid, image, parent_guid, parent_pid, "
                         "start_ts) VALUES(?,?,?,?,?,?,?,?,?,?)");
        auto add = [&](int64_t id, const char *origin, const std::string &g, int64_t pid, const std::string &image,
                       const std::string &pg, int64_t ppid, bool withStart) {
            ins.bind(1, id).bind(2, ev).bind(3, host).bind(4, std::string_view(origin));
            g.empty() ? ins.bindNull(5) : ins.bind(5, g);
            ins.bind(6, pid).bind(7, image);
            pg.empty() ? ins.bindNull(8) : ins.bind(8, pg);
            ins.bind(9, ppid);
            withStart ? ins.bind(10, int64_t(1602230000000000)) : ins.bindNull(10);
            ins.exec();
        };
        // GUID cycle: X's parent is Y, Y's parent is X.
        add(9001, "sysmon1", "{X}", 51, "x.exe", "{Y}", 52, true);
        add(9002, "sysmon1", "{Y}", 52, "y.exe", "{X}", 51, true);
        // PID cycle without start times (no time window to break it).
        add(9003, "4688", "", 61, "p.exe", "", 62, false);
        add(9004, "4688", "", 62, "q.exe", "", 61, false);
        // A 100-deep GUID chain.
        for (int i = 0; i < 100; ++i)
            add(9100 + i, "sysmon1", "{D" + std::to_string(i) + "}", 70000 + i, "d" + std::to_string(i) + ".exe",
                i ? "{D" + std::to_string(i - 1) + "}" : "", 0, true);

        QElapsedTimer t;
        t.start();
        const ProcessChain g = queryAncestry(db, 9001);
        QVERIFY(g.cycle);
        QCOMPARE(images(g), QStringList({"y.exe", "x.exe"}));
        const ProcessChain p = queryAncestry(db, 9003);
        QVERIFY(p.cycle);
        QCOMPARE(images(p), QStringList({"q.exe", "p.exe"}));
        const ProcessChain d = queryAncestry(db, 9199);
        QVERIFY(d.truncated);
        QCOMPARE(int(d.chain.size()), kMaxAncestryDepth);
        QCOMPARE(d.chain.back().image, QStringLiteral("d99.exe"));
        QVERIFY(t.elapsed() < 5000);
        db.exec("DELETE FROM processes WHERE id >= 9000");
    }

    void payloadParsing_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::newRow("rendered json") << 1
                                       << QByteArray(
                                              "{\"System\":{\"EventID\":\"1\",\"Computer\":\"WS5\"},\"EventData\":"
                                              "[[\"Image\",\"a.exe\"],[\"CommandLine\",\"<b>x</b>\"]]}")
                                       << "CommandLine"
                                       << "<b>x</b>";
        QTest::newRow("original json nested")
            << 2 << QByteArray("{\"winlog\":{\"event_data\":{\"Image\":\"a.exe\"}},\"n\":12345678901}")
            << "winlog.event_data.Image"
            << "a.exe";
        QTest::newRow("original json integer") << 2 << QByteArray("{\"n\":12345678901}") << "n"
                                               << "12345678901";
        QTest::newRow("xml data")
            << 3
            << QByteArray("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
                          "<Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID></System>"
                          "<EventData><Data Name='CommandLine'>&lt;script&gt;alert(1)&lt;/script&gt;</Data>"
                          "</EventData></Event>")
            << "CommandLine" << kScript;
        QTest::newRow("xml system attribute")
            << 3 << QByteArray("<Event><System><Provider Name='P'/><EventID>4688</EventID></System></Event>")
            << "Provider.Name"
            << "P";
        QTest::newRow("xml broken") << 3 << QByteArray("<Event><System>") << "(error)" << QString();
        QTest::newRow("json broken") << 2 << QByteArray("{\"a\":") << "(error)" << QString();
    }
    void payloadParsing()
    {
        QFETCH(int, format);
        QFETCH(QByteArray, payload);
        QFETCH(QString, name);
        QFETCH(QString, value);
        const std::vector<EventField> fields = parsePayloadFields(format, payload);
        auto it = std::find_if(fields.begin(), fields.end(), [&](const EventField &f) { return f.name == name; });
        QVERIFY2(it != fields.end(), qPrintable(name));
        if (!value.isEmpty())
            QCOMPARE(it->value, value);
    }

    // ---- models and docks -----------------------------------------------------------------

    void docksFollowTheSelection()
    {
        FilterHistory filters;
        Selection selection;
        ProcessAncestryPanel ancestry(&filters, &selection);
        EvidenceTableView evidence(&filters, &selection);
        EventDetailsView details(&filters, &selection);
        QAbstractItemModelTester t1(ancestry.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(evidence.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(details.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        ancestry.resize(900, 400);
        evidence.resize(900, 400);
        details.resize(600, 500);
        ancestry.show();
        evidence.show();
        details.show();
        ancestry.setCase(m_case);
        evidence.setCase(m_case);
        details.setCase(m_case);

        // A transfer: two roots with the exact chains; its three evidence rows in time order.
        SelectedEntities tr;
        tr.kind = SelectedEntities::Kind::Transfer;
        tr.transfers = {1};
        selection.select(tr);
        settle();
        const QAbstractItemModel *am = ancestry.model();
        QCOMPARE(am->rowCount(), 2);
        QVERIFY(am->index(0, 0).data().toString().startsWith("pushed by"));
        QVERIFY(am->index(1, 0).data().toString().startsWith("executed by"));
        QCOMPARE(modelChain(am, am->index(0, 0)), QStringList({kExplorer, kCmd, kCopy}));
        QCOMPARE(modelChain(am, am->index(1, 0)), QStringList({kServices, kTool}));
        const QModelIndex toolNode = findImage(am, kTool);
        QVERIFY(toolNode.data(AncestryTreeModel::IsTargetRole).toBool());
        QCOMPARE(am->index(toolNode.row(), AncestryTreeModel::CommandLine, toolNode.parent()).data().toString(),
            "tool.exe " + kScript); // raw text, not rendered
        // Lazy children of the leaf: tool.exe has none; expanding it asks, gets, settles.
        ancestry.treeView()->expand(toolNode);
        settle();
        QCOMPARE(am->rowCount(findImage(am, kTool)), 0);
        QVERIFY(!am->hasChildren(findImage(am, kTool)));

        EvidenceTableModel *em = evidence.model();
        QCOMPARE(em->rowCount(), 3);
        QVERIFY(em->isPageLoaded(0));
        QStringList roles;
        for (int r = 0; r < em->rowCount(); ++r)
            roles << em->index(r, EvidenceTableModel::Role).data().toString();
        QCOMPARE(roles, QStringList({"src-command", "dst-share", "dst-exec"}));

        QCOMPARE(em->index(0, EvidenceTableModel::Host).data().toString(), QStringLiteral("WS5"));
        QCOMPARE(em->index(1, EvidenceTableModel::EventId).data().toString(), QStringLiteral("5145"));
        QCOMPARE(em->index(1, EvidenceTableModel::Channel).data().toString(), QStringLiteral("Security"));
        QVERIFY(em->index(1, EvidenceTableModel::Summary)
                    .data()
                    .toString()
                    .contains("RelativeTargetName=Windows\\Temp\\tool.exe"));
        QVERIFY(em->index(2, EvidenceTableModel::Summary).data().toString().contains(kScript));
        QCOMPARE(em->index(2, EvidenceTableModel::Rule).data().toString(), QStringLiteral("exec"));

        // Picking the dst-exec row selects that event; the list stays; details show its fields.
        const int64_t toolEvent = q("SELECT event FROM processes WHERE image LIKE '%tool.exe'");
        evidence.tableView()->setCurrentIndex(em->index(2, 0));
        QCOMPARE(int(selection.current().kind), int(SelectedEntities::Kind::Event));
        QCOMPARE(selection.current().events, QVector<qint64>({toolEvent}));
        QCOMPARE(selection.current().transfers, QVector<qint64>({1}));
        settle();
        QCOMPARE(em->rowCount(), 3);
        QCOMPARE(details.eventShown(), toolEvent);
        EventDetailsModel *dm = details.model();
        QCOMPARE(dm->value("Image"), kTool);
        QCOMPARE(dm->value("ProcessGuid"), guid(0x11));
        QCOMPARE(dm->value("ParentImage"), kServices);
        QCOMPARE(dm->value("EventID"), QStringLiteral("1"));
        QCOMPARE(dm->value("CommandLine"), "tool.exe " + kScript);
        QVERIFY(dm->value("(error)").isEmpty());
        bool shown = false;
        for (int r = 0; r < dm->rowCount(); ++r)
            if (dm->index(r, EventDetailsModel::Value).data(Qt::DisplayRole).toString() == "tool.exe " + kScript)
                shown = true;
        QVERIFY(shown);
        QVERIFY(details.rawView()->toPlainText().contains(kScript)); // literally, in a plain-text widget
        QVERIFY(details.headerText().contains("WS6"));
        for (QLabel *l : details.findChildren<QLabel *>())
            QCOMPARE(l->textFormat(), Qt::PlainText);
        // The ancestry follows the event to the process it started.
        QCOMPARE(am->rowCount(), 1);
        QCOMPARE(modelChain(am, {}), QStringList({kServices, kTool}));

        // An event without a process (the share access): never the previous chain under "no
        // process known" (issue 11) but the transfer it is evidence of, said so.
        evidence.tableView()->setCurrentIndex(em->index(1, 0));
        settle();
        QCOMPARE(am->rowCount(), 2); // pushed by / executed by, as for the transfer itself
        QVERIFY2(ancestry.statusText().contains(QLatin1String("no process known")), qPrintable(ancestry.statusText()));
        QVERIFY(ancestry.statusText().contains(QLatin1String("transfer 1 ")));
        QCOMPARE(dm->value("ShareName"), QStringLiteral("\\\\*\\C$"));

        // A host: the evidence of its transfers in view, and the filter applies.
        SelectedEntities host;
        host.kind = SelectedEntities::Kind::Host;
        host.hosts = {q("SELECT id FROM hosts WHERE name='WS6'")};
        selection.select(host);
        settle();
        QCOMPARE(em->rowCount(), 3);
        QCOMPARE(am->rowCount(), 0);
        QCOMPARE(dm->rowCount(), 0);
        FilterState late;
        late.fromUs = q("SELECT last_ts FROM transfers WHERE id=1") + 1;
        filters.apply(late);
        settle();
        QCOMPARE(em->rowCount(), 0);
        filters.back();
        settle();
        QCOMPARE(em->rowCount(), 3);

        // Stale results are dropped: the last of two quick selections wins.
        selection.select(tr);
        SelectedEntities proc;
        proc.kind = SelectedEntities::Kind::Process;
        proc.process = procId("%whoami.exe", "WS7");
        selection.select(proc);
        settle();
        QCOMPARE(am->rowCount(), 1);
        QCOMPARE(modelChain(am, {}), QStringList({"C:\\Temp\\evil.exe", "C:\\Windows\\System32\\whoami.exe"}));
        QCOMPARE(em->rowCount(), 1); // whoami's own start event
        QCOMPARE(em->index(0, EvidenceTableModel::Role).data().toString(), QStringLiteral("process-start"));
        QCOMPARE(dm->value("NewProcessName"), QStringLiteral("C:\\Windows\\System32\\whoami.exe"));
        QCOMPARE(dm->value("NewProcessId"), QStringLiteral("0x300"));
        // Lazy children of a chain node: evil.exe was expanded with the chain, whoami is its child.
        const QModelIndex evil = findImage(am, "C:\\Temp\\evil.exe");
        QCOMPARE(am->rowCount(evil), 1);
        QVERIFY(!ancestry.statusText().isEmpty());
    }

    void chainNodeSiblingsLoadOnDemand()
    {
        FilterHistory filters;
        Selection selection;
        ProcessAncestryPanel ancestry(&filters, &selection);
        QAbstractItemModelTester tester(ancestry.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        ancestry.setCase(m_case);
        SelectedEntities proc;
        proc.kind = SelectedEntities::Kind::Process;
        proc.process = procId("%cmd.exe", "WS7");
        selection.select(proc);
        settle();
        const QAbstractItemModel *am = ancestry.model();
        QCOMPARE(modelChain(am, {}), QStringList({"C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\cmd.exe"}));
        // Explorer (expanded as a chain node) got its other child, notepad, after cmd; never whoami.
        const QModelIndex explorer = am->index(0, 0);
        QCOMPARE(am->rowCount(explorer), 2);
        QCOMPARE(am->index(0, 0, explorer).data(AncestryTreeModel::ImageRole).toString(),
            QStringLiteral("C:\\Windows\\System32\\cmd.exe"));
        QCOMPARE(am->index(1, 0, explorer).data(AncestryTreeModel::ImageRole).toString(),
            QStringLiteral("C:\\Windows\\notepad.exe"));
        QVERIFY(!am->index(1, 0, explorer).data(AncestryTreeModel::OnChainRole).toBool());
    }

    void evidenceContextMenu()
    {
        // The evidence rows' context menu: the same pivots as the graph and the timeline.
        FilterHistory filters;
        Selection selection;
        EvidenceTableView ev(&filters, &selection);
        ev.setCase(m_case);
        SelectedEntities tr;
        tr.kind = SelectedEntities::Kind::Transfer;
        tr.transfers = {1};
        selection.select(tr);
        settle();
        QCOMPARE(ev.model()->rowCount(), 3);
        QVERIFY(ev.model()->isPageLoaded(0));
        std::unique_ptr<QMenu> menu(ev.contextMenuForRow(0, &ev)); // copy.exe started on WS5
        QVERIFY(menu);
        QAction *host = menuAction(menu.get(), "pivotHost");
        QVERIFY(host && host->text().contains("WS5"));
        QAction *img = menuAction(menu.get(), "pivotParentImage");
        QVERIFY(img && img->text().contains(kCmd));
        QAction *acc = menuAction(menu.get(), "pivotAccount");
        QVERIFY(acc && acc->text().contains("alice", Qt::CaseInsensitive));
        QVERIFY(menuAction(menu.get(), "selectTransfer"));
        QVERIFY(menuAction(menu.get(), "pivotWindow5m"));
        img->trigger();
        QCOMPARE(filters.current().parentImages, QStringList({kCmd}));
        acc->trigger();
        QCOMPARE(filters.current().accounts,
            QSet<qint64>({q("SELECT id FROM accounts WHERE name_key='ALICE' AND domain='CORP'")}));
        host->trigger();
        QCOMPARE(filters.current().hosts, QSet<qint64>({q("SELECT id FROM hosts WHERE name='WS5'")}));
        QVERIFY(!std::unique_ptr<QMenu>(ev.contextMenuForRow(99, &ev)));
        settle();
    }

    void pivotActions()
    {
        FilterHistory filters;
        Selection selection;
        ProcessAncestryPanel ancestry(&filters, &selection);
        ancestry.setCase(m_case);
        SelectedEntities tr;
        tr.kind = SelectedEntities::Kind::Transfer;
        tr.transfers = {1};
        selection.select(tr);
        settle();
        const QAbstractItemModel *am = ancestry.model();

        // Group rows have no process menu.
        QVERIFY(!std::unique_ptr<QMenu>(ancestry.contextMenuFor(am->index(0, 0), &ancestry)));

        std::unique_ptr<QMenu> menu(ancestry.contextMenuFor(findImage(am, kCmd), &ancestry));
        QVERIFY(menu);
        QAction *img = menuAction(menu.get(), "pivotParentImage");
        QVERIFY(img && img->isEnabled());
        QCOMPARE(img->text(), QStringLiteral("Pivot on this parent image"));
        img->trigger();
        QCOMPARE(filters.current().parentImages, QStringList({kCmd}));
        QVERIFY(filters.canGoBack());
        img->trigger(); // again: no duplicate, no new history entry
        QCOMPARE(filters.current().parentImages, QStringList({kCmd}));

        menu.reset(ancestry.contextMenuFor(findImage(am, kCopy), &ancestry));
        QAction *acc = menuAction(menu.get(), "pivotAccount");
        QVERIFY(acc && acc->isEnabled());
        acc->trigger();
        const int64_t alice = q("SELECT id FROM accounts WHERE name_key='ALICE' AND domain='CORP'");
        QCOMPARE(filters.current().accounts, QSet<qint64>({alice}));
        QCOMPARE(filters.current().parentImages, QStringList({kCmd})); // pivots add up
        filters.back();
        QVERIFY(filters.current().accounts.isEmpty());
        QCOMPARE(filters.current().parentImages, QStringList({kCmd}));
        filters.back();
        QVERIFY(filters.current().isEmpty());

        menu.reset(ancestry.contextMenuFor(findImage(am, kTool), &ancestry));
        QAction *ev = menuAction(menu.get(), "showProcessEvents");
        QVERIFY(ev);
        ev->trigger();
        QCOMPARE(int(selection.current().kind), int(SelectedEntities::Kind::Process));
        QCOMPARE(selection.current().process, procId("%tool.exe", "WS6"));
        QCOMPARE(selection.current().hosts, QVector<qint64>({q("SELECT id FROM hosts WHERE name='WS6'")}));
        settle();
    }

    void evidenceWindowsLoadLazily()
    {
        // A model over many rows fetches one window at a time, only for rows asked for.
        EvidenceTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<EvidenceKey> rows;
        rows.reserve(2000);
        for (int i = 0; i < 2000; ++i)
            rows.push_back({i + 1, 7, 1000 + i, "role", "rule"});
        QSignalSpy spy(&m, &EvidenceTableModel::pageNeeded);
        m.setRows(rows);
        QCOMPARE(m.rowCount(), 2000);
        (void)m.index(1500, EvidenceTableModel::Summary).data();
        (void)m.index(1501, EvidenceTableModel::Summary).data();
        QTRY_VERIFY(!spy.isEmpty());
        QCoreApplication::processEvents();
        QSet<int> pages;
        for (const auto &args : spy)
            pages.insert(args.at(1).toInt());
        QVERIFY(pages.contains(1500 / EvidenceTableModel::kPageSize));
        const int page = 1500 / EvidenceTableModel::kPageSize;
        QCOMPARE(spy.count(), pages.size()); // each window asked for once
        std::vector<EvidenceDetail> d {{1501, 3, "H", "C", 4688, "s"}};
        m.setPage(m.generation() + 1, page, d); // an older / other generation: dropped
        QVERIFY(!m.isPageLoaded(page));
        m.setPage(m.generation(), page, d);
        QVERIFY(m.isPageLoaded(page));
        QCOMPARE(m.index(1500, EvidenceTableModel::Host).data().toString(), QStringLiteral("H"));
        QCOMPARE(m.index(1500, EvidenceTableModel::Summary).data().toString(), QStringLiteral("s"));
    }
};

QTEST_MAIN(TstAncestry)
#include "tst_ancestry.moc"
