// Snapshots and the report from the same scene the workbench draws, built offscreen from a case
// with planted hostile strings: SVG parses and renders, PNG has the requested size, PDF is a
// PDF, DOT parses back (Graphviz) into the graph's nodes and edges, the timeline exports, the
// HTML report is well-formed with every transfer and nothing from the case active, CSV / JSON
// keep the text intact with evidence references.

#include "ExportText.h"
#include "GraphExport.h"
#include "GraphLegend.h"
#include "MethodPalette.h"
#include "ReportWriter.h"
#include "TimelineView.h"
#include "TransferExport.h"
#include "app/HostileCase.h"
#include "query/ExportQuery.h"
#include "store/CaseStore.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <set>

using namespace tt;

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Parsed {
    bool ok = false;
    QString error;
    QString text; // all character data
    QStringList elements;
    QStringList attributeValues;
};
Parsed parseXml(const QByteArray &bytes)
{
    Parsed p;
    QXmlStreamReader r(bytes);
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement()) {
            p.elements << r.name().toString().toLower();
            for (const auto &a : r.attributes())
                p.attributeValues << a.value().toString();
        } else if (r.isCharacters()) {
            p.text += r.text();
        }
    }
    p.ok = !r.hasError();
    p.error = r.errorString() + QStringLiteral(" at line %1").arg(r.lineNumber());
    return p;
}

// RFC 4180 records.
std::vector<QStringList> parseCsv(const QString &s)
{
    std::vector<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false, any = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < s.size() && s[i + 1] == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
            any = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
        } else if (c == QLatin1Char('\n')) {
            row << cell;
            rows.push_back(row);
            row.clear();
            cell.clear();
            any = false;
        } else {
            cell += c;
            any = true;
        }
    }
    if (any || !row.isEmpty()) {
        row << cell;
        rows.push_back(row);
    }
    return rows;
}
} // namespace

class TstGraphExport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    HostileCase m_case;
    std::unique_ptr<OffscreenGraph> m_graph;
    QRectF m_whole;
    QString m_caption;

    QString out(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void initTestCase()
    {
        QString error;
        m_case = buildHostileCase(m_dir.filePath(QStringLiteral("case")), &error);
        QVERIFY2(!m_case.path.isEmpty(), qPrintable(error));
        m_graph = std::make_unique<OffscreenGraph>();
        QVERIFY2(m_graph->load(m_case.path, {}, &error), qPrintable(error));
        QVERIFY(m_graph->data().hosts.size() >= 3);
        m_whole = wholeGraphRect(m_graph->scene());
        m_caption = QStringLiteral("case.ttcase - ") + m_case.hostName;
    }

    void graphSvgParsesRendersAndIsInert()
    {
        SnapshotOptions o;
        o.caption = m_caption;
        QString error;
        QVERIFY2(exportGraph(m_graph->ref(), m_whole, out("g.svg"), o, &error), qPrintable(error));
        const QByteArray svg = readAll(out("g.svg"));
        const Parsed p = parseXml(svg);
        QVERIFY2(p.ok, qPrintable(p.error));
        QVERIFY(p.elements.contains(QStringLiteral("svg")));
        QVERIFY(!p.elements.contains(QStringLiteral("script")));
        QVERIFY(!svg.contains("<script"));
        // The crafted host name is drawn as text: intact once the XML is parsed.
        QVERIFY2(p.text.contains(QStringLiteral("EVIL\"];injected->pwned[color=red];{<script>alert(1)</script>")),
            qPrintable(p.text.left(400)));
        QSvgRenderer r(svg);
        QVERIFY(r.isValid());
        QImage img(400, 300, QImage::Format_ARGB32);
        img.fill(Qt::white);
        QPainter painter(&img);
        r.render(&painter);
    }

    void pngHasTheRequestedSize()
    {
        for (double scale : {1.0, 2.0, 0.5}) {
            SnapshotOptions o;
            o.scale = scale;
            o.caption = m_caption;
            QString error;
            QVERIFY2(exportGraph(m_graph->ref(), m_whole, out("g.png"), o, &error), qPrintable(error));
            QImage img(out("g.png"));
            QVERIFY(!img.isNull());
            const QSizeF s = snapshotSize(graphPicture(m_graph->ref(), m_whole).size, true);
            QCOMPARE(img.size(), QSize(int(std::lround(s.width() * scale)), int(std::lround(s.height() * scale))));
        }
        // Without a caption the picture is the graph's extent and the legend beside it.
        QString error;
        QVERIFY(exportGraph(m_graph->ref(), m_whole, out("n.png"), {}, &error));
        const QSizeF legend = graphLegendSize(graphLegendEntries(m_graph->data()));
        QCOMPARE(QImage(out("n.png")).size(),
            QSize(int(std::lround(m_whole.width() + legend.width() + 2 * kLegendMargin)),
                int(std::lround(std::max(m_whole.height(), legend.height() + 2 * kLegendMargin)))));
        // Not all background: the graph was drawn.
        QImage img(out("n.png"));
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 3)
            for (int x = 0; x < img.width(); x += 3)
                colours.insert(img.pixel(x, y));
        QVERIFY(colours.size() > 10);
    }

    // Issue 11: every graph export carries the legend: the SVG (and so the HTML report, which
    // inlines it) draws its entries as text, the DOT has a legend cluster, the PNG has it to the
    // right of the graph.
    void legendInEveryExport()
    {
        const QVector<GraphLegendEntry> entries = graphLegendEntries(m_graph->data());
        QStringList texts;
        for (const GraphLegendEntry &e : entries)
            texts << e.text;
        for (const GraphEdge &e : m_graph->data().edges)
            for (const QString &m : e.methods)
                QVERIFY(texts.contains(MethodPalette::label(m)));
        QVERIFY(texts.contains(QStringLiteral("DC: domain controller")));
        QVERIFY(texts.contains(QStringLiteral("dashed: every transfer below 0.5 confidence")));
        const Parsed p = parseXml(graphSvg(m_graph->ref(), m_whole, {}));
        QVERIFY(p.ok);
        for (const QString &t : texts)
            QVERIFY2(p.text.contains(t), qPrintable(t));
        QString error;
        QVERIFY(exportGraph(m_graph->ref(), m_whole, out("l.dot"), {}, &error));
        const auto dot = exporting::readDot(readAll(out("l.dot")).toStdString());
        QVERIFY(dot.has_value());
        QCOMPARE(dot->subgraphs.size(), size_t(1));
        QCOMPARE(dot->subgraphs[0].name, std::string("cluster_legend"));
        QCOMPARE(dot->subgraphs[0].nodes.size(), size_t(entries.size()));
        std::set<std::string> dotTexts;
        for (const auto &n : dot->subgraphs[0].nodes)
            dotTexts.insert(n.attrs.at("label"));
        QVERIFY(dotTexts.count("S: first source (root of the deepest chain)"));
        // The edge label is the count; the hop depth is an attribute of its own.
        for (const auto &e : dot->edges)
            QVERIFY2(
                QString::fromStdString(e.attrs.at("label")).startsWith(QChar(0x00D7)), e.attrs.at("label").c_str());
        // The PNG: the legend's box is drawn right of the graph (not background there).
        QVERIFY(exportGraph(m_graph->ref(), m_whole, out("l.png"), {}, &error));
        const QImage img(out("l.png"));
        const int lx = int(m_whole.width() + kLegendMargin + 20);
        int nonBackground = 0;
        for (int y = 0; y < std::min(img.height(), 200); ++y)
            nonBackground += img.pixel(lx, y) != QColor(0xFB, 0xFB, 0xFC).rgb();
        QVERIFY(nonBackground > 50);
    }

    void pdfIsVector()
    {
        QString error;
        SnapshotOptions o;
        o.caption = m_caption;
        QVERIFY2(exportGraph(m_graph->ref(), m_whole, out("g.pdf"), o, &error), qPrintable(error));
        const QByteArray pdf = readAll(out("g.pdf"));
        QVERIFY(pdf.startsWith("%PDF"));
        QVERIFY(pdf.contains("%%EOF"));
        QVERIFY(!exportGraph(m_graph->ref(), m_whole, out("g.bmp"), o, &error));
    }

    void dotParsesBackIntoTheSameGraph()
    {
        QString error;
        SnapshotOptions o;
        o.caption = m_caption;
        QVERIFY2(exportGraph(m_graph->ref(), m_whole, out("g.dot"), o, &error), qPrintable(error));
        std::string err;
        const auto dot = exporting::readDot(readAll(out("g.dot")).toStdString(), &err);
        QVERIFY2(dot.has_value(), err.c_str());
        std::map<std::string, std::string> want, got;
        for (const GraphHost &h : m_graph->data().hosts)
            want["h" + std::to_string(h.id)] = h.name.toStdString();
        const std::set<std::string> allowed = {"label", "shape", "style", "fillcolor", "pos", "sent", "received",
            "fqdn", "addresses", "xlabel", "color", "penwidth", "tt_dimmed"};
        for (const auto &n : dot->nodes) {
            got[n.name] = n.attrs.count("label") ? n.attrs.at("label") : std::string();
            for (const auto &[k, v] : n.attrs)
                QVERIFY2(allowed.count(k), k.c_str()); // a crafted label added no attribute
        }
        QVERIFY(want == got);
        QVERIFY(want.size() == dot->nodes.size());
        std::multiset<std::pair<std::string, std::string>> we, ge;
        for (const GraphEdge &e : m_graph->data().edges)
            we.insert({"h" + std::to_string(e.source), "h" + std::to_string(e.target)});
        for (const auto &e : dot->edges)
            ge.insert({e.tail, e.head});
        QVERIFY(we == ge);
        QCOMPARE(dot->graphAttrs.at("label"), m_caption.toStdString());
    }

    void timelineSnapshots()
    {
        OffscreenTimeline tl;
        QString error;
        QVERIFY2(tl.load(m_case.path, {}, QSize(900, 300), &error), qPrintable(error));
        QVERIFY(!tl.view()->data().markers.empty());
        SnapshotOptions o;
        o.scale = 2;
        o.caption = m_caption;
        QVERIFY2(exportTimeline(tl.view(), out("t.png"), o, &error), qPrintable(error));
        QCOMPARE(QImage(out("t.png")).size(), QSize(1800, int(std::lround((300 + kCaptionBand) * 2))));
        QVERIFY2(exportTimeline(tl.view(), out("t.svg"), o, &error), qPrintable(error));
        const QByteArray svg = readAll(out("t.svg"));
        QVERIFY(parseXml(svg).ok);
        QVERIFY(QSvgRenderer(svg).isValid());
        QVERIFY(!exportTimeline(tl.view(), out("t.pdf"), o, &error));
    }

    void reportIsWellFormedCompleteAndInert()
    {
        exporting::ReportData d;
        {
            auto cs = store::CaseStore::open(m_case.path.toStdString(), store::CaseStore::Access::ReadOnly);
            d = exporting::queryReportData(cs->db(), {}, m_case.path);
        }
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(qsizetype(d.transfers.size()), m_case.fileNames.size());
        QString error;
        QVERIFY2(
            writeReportFile(d, m_graph->ref(), m_whole, out("r.html"), ExportFormat::Html, &error), qPrintable(error));
        // The report's graph carries the legend (issue 11).
        QVERIFY(parseXml(readAll(out("r.html"))).text.contains(QStringLiteral("depth in the earliest chain")));
        const QByteArray html = readAll(out("r.html"));
        QVERIFY(html.startsWith("<!DOCTYPE html>"));
        const Parsed p = parseXml(html);
        QVERIFY2(p.ok, qPrintable(p.error));
        // Nothing active or fetched: no scripts, frames, objects, images, links.
        for (const char *bad : {"script", "iframe", "object", "embed", "img", "link", "a", "foreignobject"})
            QVERIFY2(!p.elements.contains(QLatin1String(bad)), bad);
        QVERIFY(!html.toLower().contains("<script"));
        for (const QString &v : p.attributeValues)
            QVERIFY2(!v.contains(QStringLiteral("://")) || v.startsWith(QStringLiteral("http://www.w3.org/")),
                qPrintable(v));
        QVERIFY(p.elements.contains(QStringLiteral("svg"))); // the graph, inline
        // Every transfer's file name, intact (the escape character as its visible stand-in).
        for (const QString &f : m_case.fileNames) {
            QString shown = f;
            shown.replace(QChar(0x1b), QChar(0x241B));
            QVERIFY2(p.text.contains(shown), qPrintable(f.left(80)));
        }
        QVERIFY(p.text.contains(m_case.commandLine)); // process chains
        QVERIFY(p.text.contains(m_case.note)); // annotations
        QVERIFY(p.text.contains(QStringLiteral("malicious")));
        QVERIFY(p.text.contains(m_case.hostName));
        QVERIFY(p.text.contains(QStringLiteral("Chronology of transfers")));
        // The chronology lists every transfer once, in time order.
        QXmlStreamReader r(html);
        int items = 0;
        bool inChrono = false;
        while (!r.atEnd()) {
            r.readNext();
            if (r.isStartElement() && r.name() == QLatin1String("h2"))
                inChrono = r.attributes().value(QStringLiteral("id")) == QLatin1String("chronology");
            if (inChrono && r.isStartElement() && r.name() == QLatin1String("li"))
                ++items;
        }
        QCOMPARE(items, int(d.transfers.size()));
        for (size_t i = 1; i < d.transfers.size(); ++i)
            QVERIFY(d.transfers[i - 1].row.firstTs <= d.transfers[i].row.firstTs);

        QVERIFY2(
            writeReportFile(d, m_graph->ref(), m_whole, out("r.pdf"), ExportFormat::Pdf, &error), qPrintable(error));
        QVERIFY(readAll(out("r.pdf")).startsWith("%PDF"));
    }

    // Transfers a deployment tool made are listed apart with the tool and the reason, escaped; a
    // report without any says so.
    void reportListsBenignCandidates()
    {
        exporting::ReportData d;
        {
            auto cs = store::CaseStore::open(m_case.path.toStdString(), store::CaseStore::Access::ReadOnly);
            d = exporting::queryReportData(cs->db(), {}, m_case.path);
        }
        QVERIFY(d.transfers.size() >= 2);
        QString error;
        QVERIFY2(
            writeReportFile(d, m_graph->ref(), m_whole, out("nb.html"), ExportFormat::Html, &error), qPrintable(error));
        QVERIFY(
            parseXml(readAll(out("nb.html")))
                .text.contains(QStringLiteral("No transfer in this report was recognised as a deployment tool's.")));

        d.transfers[1].row.benignTool = "sccm";
        d.transfers[1].row.benignReason = "ccmsetup.exe <script>alert(1)</script> pushed by the site server";
        QVERIFY2(
            writeReportFile(d, m_graph->ref(), m_whole, out("b.html"), ExportFormat::Html, &error), qPrintable(error));
        const QByteArray html = readAll(out("b.html"));
        const Parsed p = parseXml(html);
        QVERIFY2(p.ok, qPrintable(p.error));
        QVERIFY(!html.contains("<script>alert"));
        // The section's rows: exactly the one candidate, with its tool and reason as text.
        QXmlStreamReader r(html);
        bool inBenign = false;
        QStringList cells;
        while (!r.atEnd()) {
            r.readNext();
            if (r.isStartElement() && r.name() == QLatin1String("h2"))
                inBenign = r.attributes().value(QStringLiteral("id")) == QLatin1String("benign");
            if (inBenign && r.isStartElement() && r.name() == QLatin1String("td"))
                cells << r.readElementText(QXmlStreamReader::IncludeChildElements);
        }
        QCOMPARE(cells.size(), 7);
        QCOMPARE(cells[0], QString::number(d.transfers[1].row.id));
        QCOMPARE(cells[4], QString::fromStdString(d.transfers[1].row.file));
        QCOMPARE(cells[5], QStringLiteral("sccm"));
        QCOMPARE(cells[6], QStringLiteral("ccmsetup.exe <script>alert(1)</script> pushed by the site server"));
    }

    void reportUsesTheCaseTimeZone()
    {
        {
            auto cs = store::CaseStore::open(m_case.path.toStdString(), store::CaseStore::Access::ReadWrite);
            cs->db().exec("INSERT OR REPLACE INTO case_info(key, value) VALUES('display_tz', 'Europe/Berlin')");
        }
        exporting::ReportData d;
        {
            auto cs = store::CaseStore::open(m_case.path.toStdString(), store::CaseStore::Access::ReadWrite);
            d = exporting::queryReportData(cs->db(), {}, m_case.path);
            cs->db().exec("DELETE FROM case_info WHERE key = 'display_tz'");
        }
        if (!QTimeZone::isTimeZoneIdAvailable("Europe/Berlin"))
            QSKIP("no tz database");
        const QByteArray html = exporting::writeReport(d, {});
        QVERIFY(html.contains("Times in Europe/Berlin"));
        const QString first = exporting::formatTime(d.transfers.front().row.firstTs, QTimeZone("Europe/Berlin"));
        QVERIFY(first.endsWith(QStringLiteral("+01:00")) || first.endsWith(QStringLiteral("+02:00")));
        QVERIFY(html.contains(first.toUtf8()));
    }

    void transfersCsvAndJsonKeepTextWithEvidence()
    {
        std::vector<exporting::ExportTransfer> rows;
        {
            auto cs = store::CaseStore::open(m_case.path.toStdString(), store::CaseStore::Access::ReadOnly);
            rows = exporting::queryExportTransfers(cs->db(), {}, true);
        }
        const auto csv = parseCsv(QString::fromUtf8(exporting::transfersCsv(rows)));
        QCOMPARE(csv.size(), rows.size() + 1);
        const int fileCol = int(csv[0].indexOf(QStringLiteral("file")));
        const int refCol = int(csv[0].indexOf(QStringLiteral("evidence_refs")));
        QVERIFY(fileCol > 0 && refCol > 0);
        for (size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(csv[i + 1].size(), csv[0].size());
            const QString f = QString::fromStdString(rows[i].row.file);
            const QString cell = csv[i + 1][fileCol];
            if (f.startsWith(QLatin1Char('=')))
                QCOMPARE(cell, QLatin1Char('\'') + f); // formula neutralised
            else
                QCOMPARE(cell, f);
            QCOMPARE(csv[i + 1][refCol].isEmpty(), rows[i].evidence.empty());
        }
        const QJsonArray arr = QJsonDocument::fromJson(exporting::transfersJson(rows)).array();
        QCOMPARE(qsizetype(arr.size()), qsizetype(rows.size()));
        int withEvidence = 0;
        for (qsizetype i = 0; i < arr.size(); ++i) {
            const QJsonObject o = arr[i].toObject();
            QCOMPARE(o.value(QStringLiteral("file")).toString(), m_case.fileNames[i]);
            const QJsonArray refs = o.value(QStringLiteral("evidence_refs")).toArray();
            QCOMPARE(refs.size(), o.value(QStringLiteral("evidence")).toInt());
            for (const auto &ref : refs) {
                QVERIFY(ref.toObject().value(QStringLiteral("event")).toDouble() > 0);
                QVERIFY(!ref.toObject().value(QStringLiteral("role")).toString().isEmpty());
                QVERIFY(!ref.toObject().value(QStringLiteral("source_file")).toString().isEmpty());
            }
            withEvidence += refs.isEmpty() ? 0 : 1;
        }
        QCOMPARE(withEvidence, int(arr.size()));
    }
};

QTEST_MAIN(TstGraphExport)
#include "tst_graph_export.moc"
