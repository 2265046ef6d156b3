// The tool spread query (issue 11, item 3) on a case with a known spread (SpreadCase.h).

#include "SpreadCase.h"
#include "query/GraphQuery.h"
#include "query/SpreadQuery.h"
#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace tt;

class TestSpreadQuery : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    spreadcase::Ids m_ids;
    std::unique_ptr<store::CaseStore> m_case;

    QStringList rows(const SpreadResult &r) const
    {
        QStringList out;
        for (int n : r.order)
            out << r.nodes[size_t(n)].name;
        return out;
    }
    QStringList names(const SpreadResult &r, const std::vector<int> &nodes) const
    {
        QStringList out;
        for (int n : nodes)
            out << r.nodes[size_t(n)].name;
        return out;
    }
    QList<qint64> hopIds(const SpreadResult &r) const
    {
        QList<qint64> out;
        for (const SpreadHop &h : r.hops)
            out << h.transferId;
        return out;
    }

    // The tool.exe spread, however it was asked for.
    void checkToolSpread(const SpreadResult &r)
    {
        QVERIFY2(r.found(), qPrintable(r.error));
        QCOMPARE(r.match, SpreadMatch::Hash);
        QVERIFY(r.matchedOn.contains(QLatin1String(spreadcase::kHash)));
        QVERIFY(r.matchedOn.contains(QLatin1String(spreadcase::kMd5))); // grown through the renamed copy
        // In time order; t5 (same name, other hash) is another file; t7 (no hash) joins by name.
        QCOMPARE(hopIds(r), (QList<qint64> {m_ids.t[1], m_ids.t[2], m_ids.t[3], m_ids.t[4], m_ids.t[7]}));
        QCOMPARE(rows(r),
            (QStringList {
                QStringLiteral("WS1"), QStringLiteral("WS2"), QStringLiteral("SRV1"), QStringLiteral("SRV2")}));
        QCOMPARE(r.patientZero, 0);
        QCOMPARE(r.nodes[0].name, QStringLiteral("WS1"));
        QVERIFY(!r.patientZeroUnknown());
        // The tree: WS1 -> WS2 -> SRV1, WS1 -> SRV2; t4 (SRV1 -> WS2) and t7 are no tree edges.
        auto node = [&](const QString &name) {
            for (size_t i = 0; i < r.nodes.size(); ++i)
                if (r.nodes[i].name == name)
                    return int(i);
            return -1;
        };
        const int ws1 = node(QStringLiteral("WS1")), ws2 = node(QStringLiteral("WS2")),
                  srv1 = node(QStringLiteral("SRV1")), srv2 = node(QStringLiteral("SRV2"));
        QCOMPARE(r.nodes[size_t(ws2)].parent, ws1);
        QCOMPARE(r.nodes[size_t(srv1)].parent, ws2);
        QCOMPARE(r.nodes[size_t(srv2)].parent, ws1);
        QCOMPARE(r.nodes[size_t(srv1)].depth, 2);
        QCOMPARE(r.nodes[size_t(ws2)].inbound, 3);
        QCOMPARE(r.nodes[size_t(ws2)].firstSeen, spreadcase::kT0 + 10 * spreadcase::kSec);
        QCOMPARE(r.nodes[size_t(srv2)].firstSeen, spreadcase::kT0 + 200 * spreadcase::kSec);
        QVERIFY(r.hops[0].treeEdge && r.hops[1].treeEdge && r.hops[2].treeEdge);
        QVERIFY(!r.hops[3].treeEdge && !r.hops[4].treeEdge);
        QVERIFY(r.hops[4].byName && !r.hops[0].byName);
        // Who pushed each hop.
        const SpreadHop &first = r.hops[size_t(r.nodes[size_t(ws2)].via)];
        QCOMPARE(first.account, QStringLiteral("CORP\\alice"));
        QCOMPARE(first.srcProcess, QStringLiteral("C:\\Tools\\PsExec.exe"));
        QCOMPARE(first.method, QStringLiteral("smb-admin-share"));
        const SpreadHop &second = r.hops[size_t(r.nodes[size_t(srv1)].via)];
        QCOMPARE(second.account, QStringLiteral("CORP\\bob"));
        QCOMPARE(second.method, QStringLiteral("psexec-service-binary"));
        // Ran: the origin (its own process, same hash) and SRV1 (the execution rule); WS2 and SRV2
        // got it and never ran it (SRV2's tool.exe under Program Files is the other file).
        QCOMPARE(names(r, r.ranOn()), (QStringList {QStringLiteral("WS1"), QStringLiteral("SRV1")}));
        QCOMPARE(names(r, r.receivedNeverRan()), (QStringList {QStringLiteral("WS2"), QStringLiteral("SRV2")}));
        QCOMPARE(r.nodes[size_t(srv1)].ranTs, spreadcase::kT0 + 105 * spreadcase::kSec);
        QVERIFY(r.nodes[size_t(srv1)].ranHow.contains(QLatin1String("transfer")));
        QVERIFY(r.nodes[size_t(ws1)].ranHow.contains(QLatin1String("same hash")));
        // Variants: the renamed copy is listed; the other file of the same name is named.
        QCOMPARE(r.variants.size(), size_t(2));
        QCOMPARE(r.variants[0].name, QStringLiteral("tool.exe"));
        QCOMPARE(r.variants[0].transfers, 4);
        QCOMPARE(r.variants[1].name, QStringLiteral("svc.exe"));
        QCOMPARE(r.variants[1].paths, QStringList {QStringLiteral("C:\\Windows\\svc.exe")});
        QCOMPARE(r.otherFiles.size(), 1);
        QVERIFY(r.otherFiles[0].contains(QLatin1String(spreadcase::kOtherHash)));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("spread.ttcase"));
        const QString err = spreadcase::build(path, &m_ids);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        m_case = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadOnly);
    }

    void byNameHashOrPath_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("name") << QStringLiteral("tool.exe");
        QTest::newRow("name, other case") << QStringLiteral("Tool.EXE");
        QTest::newRow("renamed copy") << QStringLiteral("svc.exe");
        QTest::newRow("sha256, lower case") << QString::fromLatin1(spreadcase::kHash).toLower();
        QTest::newRow("sha256=") << QStringLiteral("SHA256=") + QLatin1String(spreadcase::kHash);
        QTest::newRow("md5 of the renamed copy") << QString::fromLatin1(spreadcase::kMd5);
        QTest::newRow("path") << QStringLiteral("c:\\windows\\temp\\TOOL.exe");
    }
    void byNameHashOrPath()
    {
        QFETCH(QString, file);
        checkToolSpread(querySpread(m_case->db(), file));
    }

    void fromATransfer()
    {
        for (int t : {1, 2, 3, 4})
            checkToolSpread(querySpreadForTransfer(m_case->db(), m_ids.t[t]));
    }

    // The path of the other file that shares the name seeds its own hash: a one-hop spread.
    void pathPicksItsOwnFile()
    {
        const SpreadResult r = querySpread(m_case->db(), QStringLiteral("C:\\Program Files\\Vendor\\tool.exe"));
        QVERIFY2(r.found(), qPrintable(r.error));
        QCOMPARE(r.match, SpreadMatch::Hash);
        QVERIFY(r.matchedOn.contains(QLatin1String(spreadcase::kOtherHash)));
        QCOMPARE(hopIds(r), (QList<qint64> {m_ids.t[5], m_ids.t[7]}));
        // SRV2 ran a process with this file's hash (at 450, after it arrived at 400).
        QCOMPARE(names(r, r.ranOn()), QStringList {QStringLiteral("SRV2")});
    }

    // No hash anywhere: matched by name, case-insensitively; the first hop's source is unknown.
    void byNameWithUnknownSource()
    {
        const SpreadResult r = querySpread(m_case->db(), QStringLiteral("NOTES.txt"));
        QVERIFY2(r.found(), qPrintable(r.error));
        QCOMPARE(r.match, SpreadMatch::Name);
        QCOMPARE(hopIds(r), (QList<qint64> {m_ids.t[6], m_ids.t[8]}));
        QVERIFY(r.patientZeroUnknown());
        // Named as the graph names that unknown source (destination and UTC day of its first push).
        const QString unknown = QStringLiteral("unknown \u2192 SRV1 2024-03-18");
        QCOMPARE(r.nodes[size_t(r.patientZero)].name, unknown);
        QVERIFY(r.nodes[size_t(r.patientZero)].unknownNode < 0);
        QVERIFY2(r.nodes[size_t(r.patientZero)].detail.contains(QLatin1String("10.9.9.9")),
            qPrintable(r.nodes[size_t(r.patientZero)].detail));
        // SRV2 pushed it without having received it: a second origin, not a child.
        QCOMPARE(rows(r), (QStringList {unknown, QStringLiteral("SRV1"), QStringLiteral("SRV2")}));
        QCOMPARE(r.nodes[2].parent, -1);
        QCOMPARE(r.variants.size(), size_t(1)); // notes.txt and Notes.TXT: one Windows name
        QCOMPARE(r.variants[0].transfers, 2);
        QVERIFY(r.ranOn().empty());
        QCOMPARE(names(r, r.receivedNeverRan()), QStringList {QStringLiteral("SRV1")});
    }

    void unknownFile()
    {
        for (const QString &f : {QStringLiteral("nothing.exe"), QString(64, QLatin1Char('0')), QStringLiteral(" ")}) {
            const SpreadResult r = querySpread(m_case->db(), f);
            QVERIFY(!r.found());
            QCOMPARE(r.match, SpreadMatch::None);
            QVERIFY(!r.error.isEmpty());
        }
        QVERIFY(!querySpreadForTransfer(m_case->db(), 999999).found());
    }

    // Attacker text is data: a name with quotes, '%1' and control characters matches itself.
    void hostileName()
    {
        const SpreadResult r = querySpread(m_case->db(), QString::fromUtf8(spreadcase::kHostileName));
        QVERIFY2(r.found(), qPrintable(r.error));
        QCOMPARE(hopIds(r), QList<qint64> {m_ids.t[9]});
        QCOMPARE(r.hops[0].fileName, QString::fromUtf8(spreadcase::kHostileName));
    }

    // Issue 11 item 4 in the spread view: one node per distinct unknown source, named as the
    // graph names it. drop.exe arrives from sources the logs do not name (no address): at WS2
    // twice in one session, at SRV2 the same minute, at WS2 again two days later. Before, all
    // four hops came from one "unknown source" node (the whole case's unknown pushers as one host).
    void unknownSourcesAsTheGraphNamesThem()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("unknown.ttcase"));
        spreadcase::Ids ids;
        const QString err = spreadcase::build(path, &ids);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadWrite);
        sql::Db &db = cs->db();
        auto st = db.prepare("INSERT INTO transfers(src_host_id, dst_host_id, file_name, dst_path, method, direction, "
                             "first_ts, last_ts, confidence, confidence_label, rules) "
                             "VALUES(NULL, ?, 'drop.exe', 'C:\\Windows\\drop.exe', 'smb-admin-share', 'push', ?, ?, "
                             "0.6, 'medium', 'test')");
        const int64_t day = 86400 * spreadcase::kSec;
        const std::pair<int64_t, int64_t> pushes[]
            = {{ids.ws2, 1000}, {ids.srv2, 1030}, {ids.ws2, 1200}, {ids.ws2, 2 * day / spreadcase::kSec + 1000}};
        QList<qint64> drops;
        for (const auto &[dst, sec] : pushes) {
            st.reset();
            st.bind(1, dst)
                .bind(2, spreadcase::kT0 + sec * spreadcase::kSec)
                .bind(3, spreadcase::kT0 + sec * spreadcase::kSec);
            st.exec();
            drops << db.lastInsertId();
        }
        const SpreadResult r = querySpread(db, QStringLiteral("drop.exe"));
        QVERIFY2(r.found(), qPrintable(r.error));
        QCOMPARE(hopIds(r), drops);
        const QString ws2First = QStringLiteral("unknown \u2192 WS2 2024-03-18");
        const QString srv2 = QStringLiteral("unknown \u2192 SRV2 2024-03-18");
        const QString ws2Later = QStringLiteral("unknown \u2192 WS2 2024-03-20");
        // Three sources (WS2's first two pushes are one session), each a root over its destination.
        QCOMPARE(rows(r), (QStringList {ws2First, QStringLiteral("WS2"), srv2, QStringLiteral("SRV2"), ws2Later}));
        QCOMPARE(r.nodes[size_t(r.hops[0].src)].name, ws2First);
        QCOMPARE(r.hops[2].src, r.hops[0].src);
        QVERIFY(r.hops[1].src != r.hops[0].src && r.hops[3].src != r.hops[0].src);
        QVERIFY(r.patientZeroUnknown());
        // The same names and node ids as the graph's unknown-source nodes.
        const UnknownSources unknown = queryUnknownSources(db);
        const GraphData g = queryGraph(db, FilterState {});
        for (int i = 0; i < 4; ++i) {
            const SpreadNode &n = r.nodes[size_t(r.hops[size_t(i)].src)];
            QCOMPARE(n.hostId, int64_t(0));
            QCOMPARE(n.name, unknownSourceName(unknown.forTransfer(drops[i])));
            QCOMPARE(n.unknownNode, int64_t(unknown.forTransfer(drops[i])->nodeId));
            const auto node = std::find_if(
                g.hosts.cbegin(), g.hosts.cend(), [&](const GraphHost &h) { return h.id == n.unknownNode; });
            QVERIFY(node != g.hosts.cend());
            QVERIFY(node->unknownSource);
            QCOMPARE(node->name, n.name);
        }
    }
};

QTEST_GUILESS_MAIN(TestSpreadQuery)
#include "tst_spread_query.moc"
