// Issue 14 item 5: deployment fans in the workbench and the exports. A hand-built case (an SCCM
// server pushing a file with a hostile name to 40 workstations, an attacker's drop on one of them
// in the same second) shows one fan node and one fan edge with the right count; selecting the
// edge selects its transfers; expanding gives one edge per host and collapsing folds them again;
// "Fold Deployment Pushes" off draws every push; `export graph` writes the fan to DOT / SVG
// (escaped) unless --no-fan; the report shows it. Then a `gen --deploy` case through the real
// CLI: its SCCM wave is folded, the attacker hop's destination is not.

#include "CliRun.h"
#include "GraphItems.h"
#include "TransferGraphView.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"
#include "workbench/FilterHistory.h"
#include "workbench/Selection.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tt;

namespace {
constexpr int kTargets = 40;
const QString kFile = QStringLiteral("setup \"x\" <b>.exe"); // log text: escaped everywhere

std::vector<const GraphHost *> fans(const GraphData &d)
{
    std::vector<const GraphHost *> out;
    for (const GraphHost &h : d.hosts)
        if (h.isGroup() && h.fan)
            out.push_back(&h);
    return out;
}

const GraphEdge *edgeBetween(const GraphData &d, qint64 s, qint64 t)
{
    for (const GraphEdge &e : d.edges)
        if (e.source == s && e.target == t)
            return &e;
    return nullptr;
}

int edgesFrom(const GraphData &d, qint64 s)
{
    int n = 0;
    for (const GraphEdge &e : d.edges)
        n += e.source == s ? 1 : 0;
    return n;
}

bool waitShown(QSignalSpy &shown, int count, const TransferGraphView &view)
{
    return QTest::qWaitFor([&] { return shown.count() >= count && !view.busy(); }, 60000);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TstWorkbenchFans : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;
    qint64 m_server = 0, m_attacker = 0, m_victim = 0;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = m_dir.filePath(QStringLiteral("fans.ttcase"));
        auto cs = store::CaseStore::open(m_case.toStdString(), store::CaseStore::Access::Create);
        sql::Db &db = cs->db();
        db.exec("BEGIN");
        auto host = db.prepare("INSERT INTO hosts(name) VALUES (?)");
        auto addHost = [&](const std::string &name) {
            host.bind(1, name);
            host.exec();
            return db.queryInt("SELECT max(id) FROM hosts");
        };
        m_server = addHost("SCCM01");
        m_attacker = addHost("WS-ATTACK");
        std::vector<qint64> targets;
        targets.reserve(kTargets);
        for (int i = 0; i < kTargets; ++i)
            targets.push_back(addHost(QStringLiteral("WS-%1").arg(i, 3, 10, QLatin1Char('0')).toStdString()));
        m_victim = targets[7];
        auto tr = db.prepare(
            "INSERT INTO transfers(src_host_id, dst_host_id, file_name, method, direction, first_ts, last_ts, "
            "confidence, confidence_label, rules, key, benign_tool, benign_reason) VALUES "
            "(?, ?, ?, ?, 'push', ?, ?, 0.99, 'high', 'test', ?, ?, ?)");
        const int64_t t0 = 1'700'000'000'000'000;
        int k = 0;
        auto add = [&](qint64 s, qint64 d, const QString &file, const char *method, int64_t ts, const char *tool) {
            tr.bind(1, static_cast<int64_t>(s)).bind(2, static_cast<int64_t>(d)).bind(3, file.toStdString());
            tr.bind(4, std::string_view(method)).bind(5, ts).bind(6, ts).bind(7, "k" + std::to_string(++k));
            tr.bindOptional(8, std::string_view(tool))
                .bindOptional(9, std::string_view(*tool ? "ccmsetup push account" : ""));
            tr.exec();
        };
        for (int i = 0; i < kTargets; ++i)
            add(m_server, targets[static_cast<size_t>(i)], kFile, "psexec-service-binary", t0 + int64_t(i) * 5'000'000,
                "sccm");
        // The attacker's drop on WS-007 in the same second as its push.
        add(m_attacker, m_victim, QStringLiteral("evil.exe"), "smb-admin-share", t0 + 7 * 5'000'000, "");
        db.exec("COMMIT");
    }

    void oneFanEdgeSelectExpandCollapse()
    {
        FilterHistory filter;
        Selection selection;
        TransferGraphView view(&filter, &selection);
        view.resize(1000, 700);
        QSignalSpy shown(&view, &TransferGraphView::graphShown);
        view.setCase(m_case);
        QVERIFY(waitShown(shown, 1, view));
        auto f = fans(view.graph());
        QCOMPARE(f.size(), size_t(1));
        const GraphHost fan = *f.front();
        QCOMPARE(fan.members.size(), qsizetype(kTargets - 1));
        QCOMPARE(fan.name, QStringLiteral("SCCM push: %1 -> 39 hosts (+1 apart)").arg(kFile));
        QVERIFY(view.nodeItem(fan.id));
        // One edge from the server to the fan with the 39 transfers; the victim keeps its push
        // and the attacker's drop as edges of their own.
        const GraphEdge *fe = edgeBetween(view.graph(), m_server, fan.id);
        QVERIFY(fe);
        QCOMPARE(fe->count, kTargets - 1);
        QVERIFY(fe->fan);
        QCOMPARE(edgesFrom(view.graph(), m_server), 2);
        QVERIFY(view.nodeItem(m_victim));
        const GraphEdge *attack = edgeBetween(view.graph(), m_attacker, m_victim);
        QVERIFY(attack);
        QCOMPARE(attack->benign, 0);
        QVERIFY(!attack->fan);
        QVERIFY(edgeBetween(view.graph(), m_server, m_victim));
        QCOMPARE(view.graph().hosts.size(), size_t(4)); // server, attacker, victim, fan
        // The node's tooltip is escaped rich text.
        QVERIFY(view.nodeItem(fan.id)->toolTip().contains(QStringLiteral("&lt;b&gt;.exe")));
        QVERIFY(!view.nodeItem(fan.id)->toolTip().contains(QStringLiteral("<b>.exe")));

        // Selecting the fan edge selects its transfers (transfers table, timeline).
        const QVector<qint64> ids = fe->transferIds;
        TransferEdgeItem *item = view.edgeItem(fe->id);
        QVERIFY(item);
        item->setSelected(true);
        QCOMPARE(selection.current().kind, SelectedEntities::Kind::Edge);
        QCOMPARE(selection.current().transfers.size(), qsizetype(kTargets - 1));
        QCOMPARE(selection.current().transfers, ids);

        // Expanded: one edge per host (40 from the server), no fan; collapsed again: the fan.
        int n = shown.count();
        view.expandGroup(fan.groupKey);
        QVERIFY(waitShown(shown, n + 1, view));
        QVERIFY(fans(view.graph()).empty());
        QCOMPARE(edgesFrom(view.graph(), m_server), kTargets);
        QCOMPARE(view.graph().hosts.size(), size_t(kTargets + 2));
        n = shown.count();
        view.collapseGroup(fan.groupKey);
        QVERIFY(waitShown(shown, n + 1, view));
        QCOMPARE(fans(view.graph()).size(), size_t(1));
        QCOMPARE(fans(view.graph()).front()->id, fan.id);

        // Not folded on request.
        n = shown.count();
        view.setFoldFans(false);
        QVERIFY(waitShown(shown, n + 1, view));
        QVERIFY(fans(view.graph()).empty());
        QCOMPARE(edgesFrom(view.graph(), m_server), kTargets);
    }

    void exportsShowTheFan()
    {
        const QString dot = m_dir.filePath(QStringLiteral("g.dot"));
        test::Run r = test::cli({QStringLiteral("export"), QStringLiteral("graph"), m_case, dot});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray d = readAll(dot);
        QVERIFY(d.contains("tt_group_kind=fan"));
        QVERIFY(d.contains("tt_fan=true"));
        QVERIFY(d.contains("tt_group_hosts=39"));
        QVERIFY(d.contains("tt_fan_apart=1"));
        QVERIFY(d.contains("label=\"SCCM push: setup \\\"x\\\" <b>.exe -> 39 hosts (+1 apart)\""));
        QVERIFY(d.contains("label=\xC3\x97"
                           "39,")); // the fan edge's count
        QVERIFY(!d.contains("WS-000"));
        const QString nofan = m_dir.filePath(QStringLiteral("nofan.dot"));
        r = test::cli({QStringLiteral("export"), QStringLiteral("graph"), m_case, nofan, QStringLiteral("--no-fan")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray n = readAll(nofan);
        QVERIFY(!n.contains("tt_fan"));
        QVERIFY(n.contains("WS-000"));
        QCOMPARE(n.count("tt_benign=true"), kTargets);
        r = test::cli({QStringLiteral("export"), QStringLiteral("transfers"), m_case,
            m_dir.filePath(QStringLiteral("t.csv")), QStringLiteral("--no-fan")});
        QCOMPARE(r.code, 2); // for the graph only
        // SVG and the HTML report: the fan's label, escaped.
        const QString svg = m_dir.filePath(QStringLiteral("g.svg"));
        r = test::cli({QStringLiteral("export"), QStringLiteral("graph"), m_case, svg});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray s = readAll(svg);
        QVERIFY(s.contains("SCCM push: setup"));
        QVERIFY(!s.contains("<b>.exe"));
        const QString html = m_dir.filePath(QStringLiteral("r.html"));
        r = test::cli({QStringLiteral("report"), m_case, html});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray h = readAll(html);
        QVERIFY(h.contains("SCCM push: setup"));
        QVERIFY(!h.contains("<b>.exe"));
        // The report's graph draws every push on request (--no-fan), as export graph does: no fan
        // node, one host node per pushed workstation (the report's tables list transfers, not
        // nodes, so the nodes are counted in the embedded picture).
        const QString htmlNoFan = m_dir.filePath(QStringLiteral("r-nofan.html"));
        r = test::cli({QStringLiteral("report"), m_case, htmlNoFan, QStringLiteral("--no-fan")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray hn = readAll(htmlNoFan);
        QVERIFY(!hn.contains("SCCM push: setup"));
        QVERIFY2(hn.count("WS-000") > h.count("WS-000"),
            qPrintable(QStringLiteral("%1 vs %2").arg(hn.count("WS-000")).arg(h.count("WS-000"))));
        r = test::cli(
            {QStringLiteral("report"), m_case, htmlNoFan, QStringLiteral("--group"), QStringLiteral("by-colour")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--group is subnet, domain, named, auto or none"));
    }

    void generatedDeployCase()
    {
        // gen --deploy through the real CLI: an SCCM wave (up to 8 workstations, one pushed
        // again in the second an attacker hop reaches it), a PDQ run to 3 hosts, Ansible.
        const QString out = m_dir.filePath(QStringLiteral("gen"));
        const QString c = m_dir.filePath(QStringLiteral("gen.ttcase"));
        test::Run r = test::cli({QStringLiteral("gen"), QStringLiteral("--out"), out, QStringLiteral("--deploy"),
            QStringLiteral("--hosts"), QStringLiteral("20"), QStringLiteral("--events"), QStringLiteral("20000"),
            QStringLiteral("--seed"), QStringLiteral("3")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = test::cli({QStringLiteral("import"), c, out, QStringLiteral("--quiet")});
        QVERIFY2(r.code == 0 || r.code == 2, r.err.constData());
        // Which hosts the SCCM pushes reached, and which of them have another transfer.
        QSet<QString> reached, other;
        {
            auto cs = store::CaseStore::open(c.toStdString(), store::CaseStore::Access::ReadOnly);
            auto st = cs->db().prepare("SELECT h.name FROM transfers t JOIN hosts h ON h.id = t.dst_host_id "
                                       "WHERE t.benign_tool = 'sccm'");
            while (st.step())
                reached.insert(QString::fromStdString(st.text(0)));
            auto o
                = cs->db().prepare("SELECT s.name, d.name FROM transfers t LEFT JOIN hosts s ON s.id = t.src_host_id "
                                   "JOIN hosts d ON d.id = t.dst_host_id WHERE coalesce(t.benign_tool, '') <> 'sccm'");
            while (o.step()) {
                other.insert(QString::fromStdString(o.text(0)));
                other.insert(QString::fromStdString(o.text(1)));
            }
        }
        QVERIFY(reached.size() >= 5);
        const QSet<QString> folded = QSet<QString>(reached).subtract(other);
        const QSet<QString> apart = QSet<QString>(reached).intersect(other);
        QVERIFY2(!apart.isEmpty(), "the attacker hop's destination got an SCCM push");
        const QString dot = m_dir.filePath(QStringLiteral("gen.dot"));
        r = test::cli({QStringLiteral("export"), QStringLiteral("graph"), c, dot});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString d = QString::fromUtf8(readAll(dot));
        if (folded.size() < 2) {
            QVERIFY(!d.contains(QStringLiteral("tt_group_kind=fan")));
            return;
        }
        QVERIFY(d.contains(QStringLiteral("tt_group_kind=fan")));
        QVERIFY(d.contains(
            QStringLiteral("SCCM push: ccmsetup.exe -> %1 hosts (+%2 apart)").arg(folded.size()).arg(apart.size())));
        for (const QString &h : folded)
            QVERIFY2(
                !d.contains(QStringLiteral("label=%1,").arg(h)) && !d.contains(QStringLiteral("label=\"%1\"").arg(h)),
                qPrintable(h));
        for (const QString &h : apart) // never folded: drawn as hosts
            QVERIFY2(d.contains(QStringLiteral("label=%1").arg(h)) || d.contains(QStringLiteral("label=\"%1\"").arg(h)),
                qPrintable(h));
    }
};

QTEST_MAIN(TstWorkbenchFans)
#include "tst_workbench_fans.moc"
