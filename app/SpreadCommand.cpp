// `transfertrace spread CASE FILE`: where one file went (models/query/SpreadQuery), as a table,
// JSON or DOT. Case text is attacker-controlled: the table goes through printable(), JSON through
// QJsonDocument (and escapeControls on a terminal), DOT through exporting::writeDot with every
// label made printable first (no raw newline, ESC or bidi control reaches a renderer).

#include "CliSupport.h"
#include "Commands.h"
#include "InferenceSummary.h"

#include "DotWriter.h"
#include "core/TimeUtil.h"
#include "query/SpreadQuery.h"
#include "store/CaseStore.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <string>

namespace tt::app {

namespace {

std::string u8(const QString &s)
{
    return s.toStdString();
}

std::string isoSeconds(int64_t us)
{
    return us ? timeutil::formatIsoUtc(us).substr(0, 19) : std::string("-");
}

QString isoFull(int64_t us)
{
    return us ? QString::fromStdString(timeutil::formatIsoUtc(us)) : QString();
}

// "smb-admin-share by CORP\alice (C:\Tools\PsExec.exe)": how a hop was made, as one line.
QString viaText(const SpreadHop &h)
{
    QString s = h.method;
    if (!h.account.isEmpty())
        s += QStringLiteral(" by ") + h.account;
    if (!h.srcProcess.isEmpty())
        s += QStringLiteral(" (") + h.srcProcess + QLatin1Char(')');
    return s;
}

QString matchingLine(const SpreadResult &r)
{
    if (r.match == SpreadMatch::Hash)
        return QStringLiteral("matched by hash (") + r.matchedOn + QLatin1Char(')');
    return QStringLiteral("matched by file name '") + r.matchedOn
        + QStringLiteral("' (no hash recorded; Windows names ignore case)");
}

std::string hostList(const SpreadResult &r, const std::vector<int> &nodes)
{
    std::string out;
    for (int n : nodes)
        out += (out.empty() ? "" : ", ") + printable(u8(r.nodes[size_t(n)].name), 40);
    return out.empty() ? std::string("(none)") : out;
}

void printTable(const SpreadResult &r)
{
    const SpreadNode &p0 = r.nodes[size_t(r.patientZero)];
    std::printf("spread of %s: %s\n", printable(u8(r.query), 120).c_str(), printable(u8(matchingLine(r)), 300).c_str());
    // An unknown source's node is named as the graph names it ("unknown → DST yyyy-mm-dd").
    std::printf(
        "patient zero: %s (first seen %s)\n", printable(u8(p0.name), 60).c_str(), isoSeconds(p0.firstSeen).c_str());
    for (size_t i = 0; i < r.variants.size(); ++i) {
        const SpreadVariant &v = r.variants[i];
        std::printf("%s %s: %d transfer(s) at %s\n", i == 0 ? "name   " : "renamed", printable(u8(v.name), 60).c_str(),
            v.transfers, printable(u8(v.paths.join(QStringLiteral(", "))), 200).c_str());
    }
    for (const QString &o : r.otherFiles)
        std::printf("another file has this name (ask for it by hash): %s\n", printable(u8(o), 200).c_str());
    std::printf(
        "\n%-32s %-20s %-60s %s\n", "HOST (TREE)", "FIRST SEEN (UTC)", "VIA (METHOD BY ACCOUNT (PROCESS))", "RAN");
    for (int n : r.order) {
        const SpreadNode &node = r.nodes[size_t(n)];
        const std::string indent(size_t(std::min(node.depth, 8)) * 2, ' ');
        const std::string via = node.via >= 0 ? printable(u8(viaText(r.hops[size_t(node.via)])), 60)
            : n == r.patientZero              ? std::string("patient zero")
                                              : std::string("origin (pushed it before receiving it)");
        const std::string ran = node.ran ? "yes: " + printable(u8(node.ranHow), 80) + " at " + isoSeconds(node.ranTs)
            : node.received()            ? std::string("no")
                                         : std::string("not seen");
        std::printf("%-32s %-20s %-60s %s\n", (indent + printable(u8(node.name), 32 - indent.size())).c_str(),
            isoSeconds(node.firstSeen).c_str(), via.c_str(), ran.c_str());
    }
    std::printf("\n%-20s %-24s %-24s %-24s %-50s %5s %-3s %s\n", "HOP (UTC)", "SOURCE", "DESTINATION", "FILE", "VIA",
        "CONF", "EXE", "TRANSFER");
    for (const SpreadHop &h : r.hops)
        std::printf("%-20s %-24s %-24s %-24s %-50s %5.2f %-3s %lld%s\n", isoSeconds(h.firstTs).c_str(),
            printable(u8(r.nodes[size_t(h.src)].name), 24).c_str(),
            printable(u8(r.nodes[size_t(h.dst)].name), 24).c_str(), printable(u8(h.fileName), 24).c_str(),
            printable(u8(viaText(h)), 50).c_str(), h.confidence, h.executed ? "yes" : "",
            static_cast<long long>(h.transferId),
            h.byName         ? " (no hash: by name)"
                : h.treeEdge ? ""
                             : " (host had it already)");
    std::printf("\nran on: %s\nreceived, never ran: %s\n%zu host(s), %zu hop(s)\n", hostList(r, r.ranOn()).c_str(),
        hostList(r, r.receivedNeverRan()).c_str(), r.nodes.size(), r.hops.size());
}

QJsonDocument spreadJson(const SpreadResult &r)
{
    QJsonObject o;
    o[QStringLiteral("query")] = r.query;
    o[QStringLiteral("matching")] = spreadMatchName(r.match);
    o[QStringLiteral("matched_on")] = r.matchedOn;
    const SpreadNode &p0 = r.nodes[size_t(r.patientZero)];
    o[QStringLiteral("patient_zero")]
        = QJsonObject {{QStringLiteral("host"), p0.name}, {QStringLiteral("unknown_source"), r.patientZeroUnknown()},
            {QStringLiteral("first_seen"), isoFull(p0.firstSeen)}};
    QJsonArray variants;
    for (const SpreadVariant &v : r.variants)
        variants.append(QJsonObject {{QStringLiteral("name"), v.name}, {QStringLiteral("transfers"), v.transfers},
            {QStringLiteral("paths"), QJsonArray::fromStringList(v.paths)},
            {QStringLiteral("hashes"), QJsonArray::fromStringList(v.hashes)}});
    o[QStringLiteral("variants")] = variants;
    o[QStringLiteral("other_files_same_name")] = QJsonArray::fromStringList(r.otherFiles);
    QJsonArray hosts;
    for (int n : r.order) {
        const SpreadNode &node = r.nodes[size_t(n)];
        QJsonObject h {{QStringLiteral("host"), node.name}, {QStringLiteral("host_id"), qint64(node.hostId)},
            {QStringLiteral("depth"), node.depth}, {QStringLiteral("first_seen"), isoFull(node.firstSeen)},
            {QStringLiteral("received"), node.received()}, {QStringLiteral("inbound_hops"), node.inbound},
            {QStringLiteral("ran"), node.ran}};
        h[QStringLiteral("parent")] = node.parent >= 0 ? QJsonValue(r.nodes[size_t(node.parent)].name) : QJsonValue();
        h[QStringLiteral("via_transfer")]
            = node.via >= 0 ? QJsonValue(qint64(r.hops[size_t(node.via)].transferId)) : QJsonValue();
        if (node.unknownNode) { // the graph's node of this unknown source, and what it stands for
            h[QStringLiteral("unknown_source_node")] = qint64(node.unknownNode);
            h[QStringLiteral("unknown_source_detail")] = node.detail;
        }
        if (node.ran) {
            h[QStringLiteral("ran_how")] = node.ranHow;
            h[QStringLiteral("ran_at")] = isoFull(node.ranTs);
            h[QStringLiteral("ran_process_id")] = qint64(node.ranProcessId);
        }
        hosts.append(h);
    }
    o[QStringLiteral("hosts")] = hosts;
    QJsonArray hops;
    for (const SpreadHop &h : r.hops)
        hops.append(QJsonObject {{QStringLiteral("transfer_id"), qint64(h.transferId)},
            {QStringLiteral("first_time"), isoFull(h.firstTs)}, {QStringLiteral("last_time"), isoFull(h.lastTs)},
            {QStringLiteral("source"), r.nodes[size_t(h.src)].name},
            {QStringLiteral("destination"), r.nodes[size_t(h.dst)].name}, {QStringLiteral("file"), h.fileName},
            {QStringLiteral("dst_path"), h.dstPath}, {QStringLiteral("src_path"), h.srcPath},
            {QStringLiteral("method"), h.method}, {QStringLiteral("direction"), h.direction},
            {QStringLiteral("account"), h.account}, {QStringLiteral("source_process"), h.srcProcess},
            {QStringLiteral("confidence"), h.confidence}, {QStringLiteral("confidence_label"), h.confidenceLabel},
            {QStringLiteral("executed"), h.executed}, {QStringLiteral("executed_by"), h.dstProcess},
            {QStringLiteral("executed_at"), isoFull(h.execTs)}, {QStringLiteral("hashes"), h.hashes},
            {QStringLiteral("tree_edge"), h.treeEdge},
            {QStringLiteral("matched_by"), h.byName ? QStringLiteral("name") : spreadMatchName(r.match)}});
    o[QStringLiteral("hops")] = hops;
    auto names = [&](const std::vector<int> &nodes) {
        QJsonArray a;
        for (int n : nodes)
            a.append(r.nodes[size_t(n)].name);
        return a;
    };
    o[QStringLiteral("ran_on")] = names(r.ranOn());
    o[QStringLiteral("received_never_ran")] = names(r.receivedNeverRan());
    return QJsonDocument(o);
}

// Labels are display text: control characters shown as \xNN, so a crafted name cannot break a
// label over lines or hide in it; writeDot quotes and escapes the rest.
std::string label(const QString &s, size_t max = 80)
{
    return printable(u8(s), max);
}

exporting::DotGraph spreadDot(const SpreadResult &r)
{
    exporting::DotGraph g;
    g.name = "spread";
    g.graphAttrs["rankdir"] = "LR";
    g.graphAttrs["label"] = label(QStringLiteral("spread of ") + r.query + QStringLiteral(", ") + matchingLine(r), 300);
    for (int n : r.order) {
        const SpreadNode &node = r.nodes[size_t(n)];
        exporting::DotNode d;
        d.name = "n" + std::to_string(n);
        std::string text = label(node.name, 60) + "\nfirst seen " + isoSeconds(node.firstSeen);
        text += node.ran ? "\nran" : node.received() ? "\nreceived, never ran" : "";
        if (n == r.patientZero)
            text = "patient zero: " + text;
        d.attrs["label"] = text;
        d.attrs["shape"] = "box";
        d.attrs["style"] = node.ran ? "filled,bold" : "filled";
        d.attrs["fillcolor"] = node.ran ? "#f4b6b6" : node.received() ? "#e8e8e8" : "#fff2b3";
        g.nodes.push_back(std::move(d));
    }
    for (const SpreadHop &h : r.hops) {
        exporting::DotEdge e;
        e.tail = "n" + std::to_string(h.src);
        e.head = "n" + std::to_string(h.dst);
        e.attrs["label"] = label(h.fileName, 40) + "\n" + label(viaText(h), 80) + "\n" + isoSeconds(h.firstTs);
        if (!h.treeEdge)
            e.attrs["style"] = "dashed";
        g.edges.push_back(std::move(e));
    }
    return g;
}

} // namespace

int runSpread(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Where one file went: the spread tree from patient zero, who pushed each hop, when it reached "
                       "each host, where it ran and where it never ran. FILE is a file name, a path or a hash (MD5, "
                       "SHA1 or SHA256); copies are matched by hash when the case has one, else by name."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file."));
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("File name, path or hash."));
    QCommandLineOption formatOpt(
        QStringLiteral("format"), QStringLiteral("table, json or dot."), QStringLiteral("F"), QStringLiteral("table"));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    p.addOptions({formatOpt, verboseOpt});
    if (auto stop = parseCommand(p, args, "spread", "transfertrace spread CASE FILE [--format table|json|dot]", 2, 2))
        return *stop;
    const QString format = p.value(formatOpt);
    if (format != QLatin1String("table") && format != QLatin1String("json") && format != QLatin1String("dot")) {
        std::fprintf(stderr, "transfertrace spread: --format is table, json or dot\n");
        return kUsageError;
    }
    SpreadResult r;
    try {
        auto cs = store::CaseStore::open(p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadOnly);
        warnIfInferencePending(*cs, "spread");
        r = querySpread(*cs, p.positionalArguments()[1]);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace spread: %s\n", printable(e.what()).c_str());
        return 1;
    }
    if (!r.found()) {
        std::fprintf(stderr, "transfertrace spread: %s\n", printable(u8(r.error), 300).c_str());
        return 1;
    }
    if (format == QLatin1String("json")) {
        writeOutput(spreadJson(r).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
        return 0;
    }
    if (format == QLatin1String("dot")) {
        std::string error;
        const auto dot = exporting::writeDot(spreadDot(r), &error);
        if (!dot) {
            std::fprintf(stderr, "transfertrace spread: %s\n", printable(error).c_str());
            return 1;
        }
        writeOutput(*dot, stdout, Escape::Text);
        return 0;
    }
    printTable(r);
    return 0;
}

} // namespace tt::app
