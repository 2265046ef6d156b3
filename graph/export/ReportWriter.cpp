#include "ReportWriter.h"

#include "ExportText.h"
#include "TransferExport.h"

#include <QHash>

namespace tt::exporting {

namespace {

const char *const kCss = R"CSS(
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 13px; color: #1d232b; margin: 24px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ccd3dc; padding-bottom: 3px; }
h3 { font-size: 14px; margin: 16px 0 4px 0; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid #ccd3dc; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eef2f7; }
td.txt, li.txt, span.txt { white-space: pre-wrap; word-break: break-all; }
.meta { color: #5b6573; }
.low { color: #9a6700; }
.exe { color: #c01c28; font-weight: bold; }
.tag { display: inline-block; border: 1px solid #8a94a3; border-radius: 3px; padding: 0 4px; margin-right: 3px; }
ul.ev, ol.chain { margin: 0; padding-left: 18px; }
figure { margin: 0; border: 1px solid #ccd3dc; padding: 6px; }
figure svg, figure img { max-width: 100%; height: auto; }
code { font-family: "DejaVu Sans Mono", monospace; }
)CSS";

class Html {
public:
    QString s;
    Html &raw(const QString &t)
    {
        s += t;
        return *this;
    }
    Html &raw(const char *t)
    {
        s += QLatin1String(t);
        return *this;
    }
    Html &text(const QString &t)
    {
        s += htmlEscape(t);
        return *this;
    }
    Html &text(const std::string &t) { return text(QString::fromStdString(t)); }
    // <tag class="cls">escaped text</tag>
    Html &el(const char *tag, const QString &t, const char *cls = nullptr)
    {
        s += QLatin1Char('<') + QLatin1String(tag);
        if (cls)
            s += QStringLiteral(" class=\"") + QLatin1String(cls) + QLatin1Char('"');
        s += QLatin1Char('>') + htmlEscape(t) + QStringLiteral("</") + QLatin1String(tag) + QLatin1Char('>');
        return *this;
    }
    Html &el(const char *tag, const std::string &t, const char *cls = nullptr)
    {
        return el(tag, QString::fromStdString(t), cls);
    }
};

QString chainKey(const QString &kind, const QString &key)
{
    return kind + QChar(31) + key;
}

void processChain(Html &h, const ProcessChain &c, const QTimeZone &zone, const char *missing)
{
    if (!c.error.isEmpty()) {
        h.el("p", QStringLiteral("error: ") + c.error, "meta");
        return;
    }
    if (c.chain.empty()) {
        h.el("p", QString::fromLatin1(missing), "meta");
        return;
    }
    h.raw("<ol class=\"chain\">");
    for (const ProcessInfo &p : c.chain) {
        h.raw("<li><span class=\"txt\">")
            .text(p.image.isEmpty() ? QStringLiteral("(image unknown)") : p.image)
            .raw("</span>");
        h.raw(" <span class=\"meta\">");
        QStringList meta;
        if (p.pid >= 0)
            meta << QStringLiteral("pid %1").arg(p.pid);
        if (!p.account.isEmpty())
            meta << p.account;
        if (p.startTs)
            meta << QStringLiteral("started ") + formatTime(p.startTs, zone);
        meta << QStringLiteral("on ") + p.host;
        meta << QStringLiteral("event %1").arg(p.event);
        h.text(meta.join(QStringLiteral(", "))).raw("</span>");
        if (!p.commandLine.isEmpty())
            h.raw("<br/><code class=\"txt\">").text(p.commandLine).raw("</code>");
        h.raw("</li>");
    }
    h.raw("</ol>");
    if (c.cycle)
        h.el("p", QStringLiteral("the recorded parents loop back: the walk stopped there"), "meta");
    if (c.truncated)
        h.el("p", QStringLiteral("truncated after %1 levels").arg(kMaxAncestryDepth), "meta");
}

QString hostOf(const inference::TransferRow &r)
{
    return QString::fromStdString(r.source.empty() ? std::string("(unknown source)") : r.source);
}

} // namespace

QByteArray inlineSvg(const QByteArray &svgDocument)
{
    const qsizetype start = svgDocument.indexOf("<svg");
    const qsizetype end = svgDocument.lastIndexOf("</svg>");
    if (start < 0 || end < start)
        return {};
    return xmlSafeUtf8(svgDocument.mid(start, end + 6 - start));
}

QByteArray writeReport(const ReportData &d, const ReportOptions &o)
{
    const QTimeZone &zone = d.zone;
    auto t = [&](int64_t us) { return formatTime(us, zone); };
    QHash<QString, const AnnotationRow *> annotated;
    for (const AnnotationRow &a : d.annotations)
        annotated.insert(chainKey(a.kind, a.key), &a);

    Html h;
    h.raw("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\"/>\n");
    h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "img-src data:\"/>\n");
    h.raw("<title>")
        .text(QStringLiteral("TransferTrace report: ") + d.summary.name)
        .raw("</title>\n<style>")
        .raw(kCss)
        .raw("</style>\n</head>\n<body>\n");
    h.el("h1", QStringLiteral("TransferTrace report: ") + d.summary.name);
    h.raw("<p class=\"meta\">")
        .text(
            QStringLiteral("Generated %1 by TransferTrace %2. Times in %3.")
                .arg(formatTime(o.generated.toMSecsSinceEpoch() * 1000, zone), QStringLiteral(TT_VERSION), d.zoneName))
        .raw("</p>\n");
    if (!d.error.isEmpty())
        h.el("p", QStringLiteral("Error reading the case: ") + d.error, "exe");

    // Summary.
    int executed = 0;
    for (const ExportTransfer &x : d.transfers)
        executed += x.row.executed ? 1 : 0;
    h.raw("<h2 id=\"summary\">Case summary</h2>\n<table>");
    auto row = [&](const QString &k, const QString &v) {
        h.raw("<tr><th>").text(k).raw("</th><td class=\"txt\">").text(v).raw("</td></tr>");
    };
    row(QStringLiteral("Case"), d.summary.name);
    row(QStringLiteral("Filter"), d.filterText.isEmpty() ? QStringLiteral("none (whole case)") : d.filterText);
    row(QStringLiteral("Events"), QString::number(d.summary.events));
    row(QStringLiteral("Hosts"), QString::number(d.summary.hosts));
    row(QStringLiteral("Source files"),
        QStringLiteral("%1 (%2 records rejected)").arg(d.summary.sources).arg(d.summary.rejected));
    row(QStringLiteral("Telemetry from"), t(d.summary.firstTs));
    row(QStringLiteral("Telemetry to"), t(d.summary.lastTs));
    row(QStringLiteral("Transfers in this report"),
        QStringLiteral("%1 of %2 (%3 executed afterwards)")
            .arg(d.transfers.size())
            .arg(d.summary.transfersTotal)
            .arg(executed));
    row(QStringLiteral("Annotated items"), QString::number(d.annotations.size()));
    h.raw("</table>\n");

    // Graph.
    h.raw("<h2 id=\"graph\">Transfer graph</h2>\n<figure>");
    if (!o.graphImageUrl.isEmpty())
        h.raw("<img alt=\"transfer graph\" src=\"").text(o.graphImageUrl).raw("\"/>");
    else if (const QByteArray svg = inlineSvg(o.graphSvg); !svg.isEmpty())
        h.raw(QString::fromUtf8(svg));
    else
        h.el("p", QStringLiteral("(no graph)"), "meta");
    h.raw("</figure>\n");

    // Transfers with evidence.
    h.raw("<h2 id=\"transfers\">Transfers</h2>\n<table>\n<tr><th>#</th><th>First "
          "seen</th><th>Source</th><th>Destination</th>"
          "<th>File</th><th>Path</th><th>Method</th><th>Account</th><th>Confidence</th><th>Executed</"
          "th><th>Annotation</th>"
          "<th>Evidence</th></tr>\n");
    for (const ExportTransfer &x : d.transfers) {
        const inference::TransferRow &r = x.row;
        h.raw(QStringLiteral("<tr id=\"t%1\"><td>%1</td>").arg(r.id));
        h.el("td", t(r.firstTs));
        h.el("td", hostOf(r), "txt").el("td", r.destination, "txt").el("td", r.file, "txt").el("td", r.path, "txt");
        h.el("td", r.method).el("td", r.account, "txt");
        h.el("td",
            QStringLiteral("%1 (%2)").arg(r.confidence, 0, 'f', 2).arg(QString::fromStdString(r.confidenceLabel)),
            r.confidence < 0.5 ? "low" : nullptr);
        h.el("td", r.executed ? QStringLiteral("yes") : QString(), r.executed ? "exe" : nullptr);
        h.raw("<td class=\"txt\">");
        if (const AnnotationRow *a
            = annotated.value(chainKey(QStringLiteral("transfer"), QString::fromStdString(x.key)));
            a && !x.key.empty()) {
            for (const QString &tag : a->tags)
                h.el("span", tag, "tag");
            h.text(a->note);
        }
        h.raw("</td><td><ul class=\"ev\">");
        int shown = 0;
        for (const EvidenceRef &e : x.evidence) {
            if (shown++ >= o.maxEvidencePerTransfer)
                break;
            h.el("li", t(e.ts) + QLatin1Char(' ') + evidenceRefText(e), "txt");
        }
        if (static_cast<int>(x.evidence.size()) > o.maxEvidencePerTransfer)
            h.el("li", QStringLiteral("... and %1 more").arg(x.evidence.size() - size_t(o.maxEvidencePerTransfer)),
                "meta");
        h.raw("</ul></td></tr>\n");
    }
    h.raw("</table>\n");

    // Benign deployment candidates: transfers a deployment tool made (inference DeploymentToolRule),
    // with what recognised it. They stay in the table above; this lists them apart, with the reason.
    h.raw("<h2 id=\"benign\">Benign deployment candidates</h2>\n");
    int benign = 0;
    for (const ExportTransfer &x : d.transfers)
        benign += x.row.benignTool.empty() ? 0 : 1;
    if (benign == 0) {
        h.el("p", QStringLiteral("No transfer in this report was recognised as a deployment tool's."), "meta");
    } else {
        h.el("p",
            QStringLiteral("%1 of the %2 transfers above look like software deployment (benign-admin candidates); "
                           "an attacker transfer through the same host at the same time is listed above as its own "
                           "row.")
                .arg(benign)
                .arg(d.transfers.size()),
            "meta");
        h.raw("<table>\n<tr><th>#</th><th>First seen</th><th>Source</th><th>Destination</th><th>File</th>"
              "<th>Tool</th><th>Reason</th></tr>\n");
        for (const ExportTransfer &x : d.transfers) {
            const inference::TransferRow &r = x.row;
            if (r.benignTool.empty())
                continue;
            h.raw(QStringLiteral("<tr><td>%1</td>").arg(r.id)); // the row's number in the table above
            h.el("td", t(r.firstTs));
            h.el("td", hostOf(r), "txt").el("td", r.destination, "txt").el("td", r.file, "txt");
            h.el("td", r.benignTool, "txt").el("td", r.benignReason, "txt");
            h.raw("</tr>\n");
        }
        h.raw("</table>\n");
    }

    // Process chains.
    h.raw("<h2 id=\"chains\">Process chains</h2>\n");
    for (size_t i = 0; i < d.transfers.size() && i < d.chains.size(); ++i) {
        const inference::TransferRow &r = d.transfers[i].row;
        const TransferSides &c = d.chains[i];
        h.raw("<h3>")
            .text(QStringLiteral("#%1 %2 from %3 to %4")
                      .arg(r.id)
                      .arg(QString::fromStdString(r.file), hostOf(r), QString::fromStdString(r.destination)))
            .raw("</h3>\n");
        if (!c.error.isEmpty()) {
            h.el("p", QStringLiteral("error: ") + c.error, "meta");
            continue;
        }
        h.el("p", QStringLiteral("Pushed by (on ") + hostOf(r) + QStringLiteral("):"));
        processChain(h, c.pushedBy, zone, "source process not known");
        h.el("p", QStringLiteral("Executed by (on ") + QString::fromStdString(r.destination) + QStringLiteral("):"));
        processChain(h, c.executedBy, zone, r.executed ? "executing process not known" : "not seen executing");
    }
    if (d.transfers.empty())
        h.el("p", QStringLiteral("No transfers in view."), "meta");

    // Annotations.
    h.raw("<h2 id=\"annotations\">Annotated items</h2>\n");
    if (d.annotations.empty()) {
        h.el("p", QStringLiteral("No annotations."), "meta");
    } else {
        h.raw("<table>\n<tr><th>Kind</th><th>Item</th><th>Tags</th><th>Bookmarked</th><th>Note</th><th>Modified</th></"
              "tr>\n");
        for (const AnnotationRow &a : d.annotations) {
            h.raw("<tr>").el("td", a.kind).el("td", a.label.isEmpty() ? a.key : a.label, "txt").raw("<td>");
            for (const QString &tag : a.tags)
                h.el("span", tag, "tag");
            h.raw("</td>").el("td", a.bookmarked ? QStringLiteral("yes") : QString()).el("td", a.note, "txt");
            h.el("td", t(a.modifiedUs)).raw("</tr>\n");
        }
        h.raw("</table>\n");
    }

    // Chronology.
    h.raw("<h2 id=\"chronology\">Chronology of transfers</h2>\n<ol>\n");
    for (const ExportTransfer &x : d.transfers) {
        const inference::TransferRow &r = x.row;
        QString line = QStringLiteral("%1  %2 -> %3  %4  (%5")
                           .arg(t(r.firstTs), hostOf(r), QString::fromStdString(r.destination),
                               QString::fromStdString(r.file), QString::fromStdString(r.method));
        if (!r.account.empty())
            line += QStringLiteral(", ") + QString::fromStdString(r.account);
        if (r.executed)
            line += QStringLiteral(", executed");
        line += QLatin1Char(')');
        h.el("li", line, "txt");
    }
    h.raw("</ol>\n</body>\n</html>\n");
    return h.s.toUtf8();
}

} // namespace tt::exporting
