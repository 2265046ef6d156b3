// The export library's text handling and DOT writer on hostile input: the one HTML escape
// function, CSV cells, XML-safe bytes, times, and DOT built with cgraph parsed back by Graphviz
// into exactly the nodes, edges and attributes written.

#include "DotWriter.h"
#include "ExportText.h"

#include <QTest>
#include <QXmlStreamReader>

#include <set>

using namespace tt::exporting;

namespace {
// Text content of an XML fragment wrapped in <r>...</r>; "" and false on a parse error.
bool xmlText(const QString &fragment, QString *text)
{
    QXmlStreamReader r(QStringLiteral("<r a=\"%1\">%1</r>").arg(fragment));
    text->clear();
    QString attr;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement())
            attr = r.attributes().value(QStringLiteral("a")).toString();
        if (r.isCharacters())
            *text += r.text();
    }
    return !r.hasError() && attr == *text;
}
} // namespace

class TstExportFormats : public QObject {
    Q_OBJECT
private slots:
    void htmlEscapeIsInertAndIntact()
    {
        const QStringList cases
            = {QStringLiteral("<script>alert(1)</script>"), QStringLiteral("\"'&<>"), QStringLiteral("{x}->]y["),
                QStringLiteral("line1\nline2\ttab"), QString(100000, QLatin1Char('x')) + QStringLiteral("<b>"),
                QStringLiteral("&amp; already"), QStringLiteral("]]> cdata end")};
        for (const QString &s : cases) {
            const QString e = htmlEscape(s);
            QVERIFY(!e.contains(QLatin1Char('<')));
            QVERIFY(!e.contains(QLatin1Char('>')));
            QVERIFY(!e.contains(QLatin1Char('"')));
            QVERIFY(!e.contains(QLatin1Char('\'')));
            QString back;
            QVERIFY2(xmlText(e, &back), qPrintable(s.left(60)));
            QCOMPARE(back, s); // intact, in content and in an attribute
        }
        // Characters XML cannot carry: visible stand-ins, still well-formed.
        const QString ctl = QStringLiteral("a\x1b[31mb\x01") + QChar(char16_t(0xD800)) + QStringLiteral("c\r");
        QString back;
        QVERIFY(xmlText(htmlEscape(ctl), &back));
        QCOMPARE(back, QStringLiteral("a\u241B[31mb\u2401\uFFFDc\r"));
        // Proper surrogate pairs pass.
        const QString emoji = QString::fromUtf8("x\xF0\x9F\x98\x80y");
        QCOMPARE(htmlEscape(emoji), emoji);
    }

    void xmlSafeBytes()
    {
        QCOMPARE(xmlSafeUtf8("<a>plain</a>"), QByteArray("<a>plain</a>"));
        const QByteArray in("<a>x\x1by\x7fz</a>");
        QCOMPARE(xmlSafeUtf8(in), QByteArray("<a>x\xE2\x90\x9By\x7fz</a>"));
        QXmlStreamReader r(xmlSafeUtf8(in));
        while (!r.atEnd())
            r.readNext();
        QVERIFY(!r.hasError());
    }

    void csvCellsAreQuotedAndNeutralised()
    {
        QCOMPARE(csvCell("plain"), std::string("\"plain\""));
        QCOMPARE(csvCell("=1+2"), std::string("\"'=1+2\""));
        QCOMPARE(csvCell("+1"), std::string("\"'+1\""));
        QCOMPARE(csvCell("-1"), std::string("\"'-1\""));
        QCOMPARE(csvCell("@SUM(A1)"), std::string("\"'@SUM(A1)\""));
        QCOMPARE(csvCell("a\"b\nc"), std::string("\"a\"\"b\nc\""));
        QCOMPARE(csvCell("x=1"), std::string("\"x=1\""));
    }

    void timesInUtcOrTheCaseZone()
    {
        const int64_t us = 1709546400123456; // 2024-03-04T10:00:00.123456Z
        QCOMPARE(formatTime(us, QTimeZone::utc()), QStringLiteral("2024-03-04T10:00:00.123456Z"));
        QCOMPARE(formatTime(0, QTimeZone::utc()), QString());
        const QTimeZone ny("America/New_York");
        if (ny.isValid())
            QCOMPARE(formatTime(us, ny), QStringLiteral("2024-03-04T05:00:00.123456-05:00"));
        QCOMPARE(formatTime(-1, QTimeZone::utc()), QStringLiteral("1969-12-31T23:59:59.999999Z"));
    }

    void dotRoundTripWithHostileLabels()
    {
        const std::vector<std::string> labels = {
            "plain",
            "a\"];injected->pwned[color=red];{",
            "<script>alert(1)</script>",
            "<b>html-like</b>",
            "new\nline",
            "back\\slash\\N\\l",
            "]",
            std::string(100000, 'L'),
            "ends with backslash\\",
            "x\\\"];injected->pwned[color=red];y[label=\"",
            "a\\\\\"b",
            "c\\\nd",
            "node",
            "subgraph {",
        };
        DotGraph g;
        g.graphAttrs["label"] = "caption \"x\" -> {y} \\";
        for (size_t i = 0; i < labels.size(); ++i) {
            DotNode n;
            n.name = "h" + std::to_string(i);
            n.attrs["label"] = labels[i];
            n.attrs["shape"] = "box";
            if (i % 2)
                n.attrs["fqdn"] = labels[i];
            g.nodes.push_back(n);
        }
        // A crafted node *name* too: cgraph quotes names as well.
        g.nodes.push_back({"x\" -> y [color=red", {{"label", "crafted name"}}});
        g.nodes.push_back({"n\\", {{"label", "name ending in a backslash"}}});
        for (size_t i = 0; i + 1 < labels.size(); ++i)
            g.edges.push_back({"h" + std::to_string(i), "h" + std::to_string(i + 1),
                {{"label", labels[i + 1]}, {"color", "#123456"}}});
        g.edges.push_back({"h0", "h1", {{"label", "second edge, same pair"}}});
        std::string err;
        const auto text = writeDot(g, &err);
        QVERIFY2(text.has_value(), err.c_str());
        const auto back = readDot(*text, &err);
        QVERIFY2(back.has_value(), err.c_str());
        QCOMPARE(back->nodes.size(), g.nodes.size());
        QCOMPARE(back->edges.size(), g.edges.size());
        std::map<std::string, std::map<std::string, std::string>> nodesIn, nodesOut;
        for (const auto &n : g.nodes)
            nodesIn[n.name] = n.attrs;
        for (const auto &n : back->nodes)
            nodesOut[n.name] = n.attrs;
        QVERIFY(nodesIn == nodesOut); // same names, same attributes, nothing added
        std::multiset<std::tuple<std::string, std::string, std::string>> edgesIn, edgesOut;
        for (const auto &e : g.edges)
            edgesIn.insert({e.tail, e.head, e.attrs.at("label")});
        for (const auto &e : back->edges) {
            edgesOut.insert({e.tail, e.head, e.attrs.count("label") ? e.attrs.at("label") : std::string()});
            for (const auto &[k, v] : e.attrs)
                QVERIFY2(k == "label" || k == "color", k.c_str());
        }
        QVERIFY(edgesIn == edgesOut);
        QCOMPARE(back->graphAttrs.at("label"), g.graphAttrs.at("label"));
        for (size_t i = 0; i < labels.size(); ++i)
            QCOMPARE(nodesOut["h" + std::to_string(i)]["label"], labels[i]);
    }

    void garbageDotIsRefused()
    {
        std::string err;
        QVERIFY(!readDot("digraph { a -> ", &err).has_value());
        QVERIFY(!err.empty());
    }
};

QTEST_GUILESS_MAIN(TstExportFormats)
#include "tst_export_formats.moc"
