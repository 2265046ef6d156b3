#include "CliSupport.h"
#include "Commands.h"
#include "InferenceSummary.h"

#include "core/TimeUtil.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <string>

namespace tt::app {

namespace {
QString q(const std::string &s) { return QString::fromStdString(s); }
std::string iso(int64_t us) { return us ? timeutil::formatIsoUtc(us) : std::string(); }

// CSV cell: quoted, quotes doubled, and cells that a spreadsheet would take for a formula
// (= + - @, tab, CR) prefixed with ' so that attacker-controlled text stays text.
std::string csvCell(const std::string &s)
{
    std::string v = s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v.insert(v.begin(), '\'');
    std::string out = "\"";
    for (char c : v) {
        if (c == '"')
            out += "\"\"";
        else
            out.push_back(c);
    }
    out += '"';
    return out;
}

} // namespace

std::string inferenceSummary(const inference::InferenceEngine::Result &r)
{
    std::string s = std::to_string(r.transfers) + " transfer(s) inferred from " + std::to_string(r.events) + " events";
    if (!r.transfersByMethod.empty()) {
        s += " (";
        bool first = true;
        for (const auto &[m, n] : r.transfersByMethod) {
            s += (first ? "" : ", ") + m + " " + std::to_string(n);
            first = false;
        }
        s += ")";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, " in %.2f s", r.seconds);
    return s + buf;
}

int runInfer(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Recompute the transfers of a case from its events (deterministic)."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file."));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    p.addOption(verboseOpt);
    if (auto stop = parseCommand(p, args, "infer", "transfertrace infer CASE", 1, 1))
        return *stop;
    try {
        auto cs = store::CaseStore::open(p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadWrite);
        const auto r = inference::InferenceEngine(cs->db()).run();
        std::printf("%s\n", inferenceSummary(r).c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace infer: %s\n", e.what());
        return 1;
    }
    return 0;
}

int runTransfers(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the inferred host-to-host transfers of a case."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file."));
    QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("table, csv or json."), QStringLiteral("F"),
                                 QStringLiteral("table"));
    QCommandLineOption minOpt(QStringLiteral("min-confidence"), QStringLiteral("0..1, or high / medium / low."),
                              QStringLiteral("X"));
    QCommandLineOption hostOpt(QStringLiteral("host"), QStringLiteral("Source or destination host (name, FQDN or address)."),
                               QStringLiteral("H"));
    QCommandLineOption accountOpt(QStringLiteral("account"), QStringLiteral("Account (DOMAIN\\user, user@domain or user)."),
                                  QStringLiteral("A"));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    p.addOptions({formatOpt, minOpt, hostOpt, accountOpt, verboseOpt});
    if (auto stop = parseCommand(p, args, "transfers",
                                 "transfertrace transfers CASE [--format table|csv|json] [--min-confidence X] "
                                 "[--host H] [--account A]",
                                 1, 1))
        return *stop;
    const QString format = p.value(formatOpt);
    if (format != QLatin1String("table") && format != QLatin1String("csv") && format != QLatin1String("json")) {
        std::fprintf(stderr, "transfertrace transfers: --format is table, csv or json\n");
        return 64;
    }
    inference::TransferFilter filter;
    if (p.isSet(minOpt)) {
        const QString v = p.value(minOpt).toLower();
        bool ok = true;
        if (v == QLatin1String("high"))
            filter.minConfidence = 0.8;
        else if (v == QLatin1String("medium"))
            filter.minConfidence = 0.5;
        else if (v == QLatin1String("low"))
            filter.minConfidence = 0;
        else
            filter.minConfidence = v.toDouble(&ok);
        if (!ok || filter.minConfidence < 0 || filter.minConfidence > 1) {
            std::fprintf(stderr, "transfertrace transfers: --min-confidence is 0..1 or high/medium/low\n");
            return 64;
        }
    }
    filter.host = p.value(hostOpt).toStdString();
    filter.account = p.value(accountOpt).toStdString();
    std::vector<inference::TransferRow> rows;
    try {
        auto cs = store::CaseStore::open(p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadOnly);
        rows = inference::listTransfers(cs->db(), filter);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace transfers: %s\n", e.what());
        return 1;
    }
    if (format == QLatin1String("json")) {
        QJsonArray arr;
        for (const auto &r : rows) {
            QJsonObject o;
            o[QStringLiteral("id")] = static_cast<double>(r.id);
            o[QStringLiteral("source")] = q(r.source);
            o[QStringLiteral("source_ip")] = q(r.sourceIp);
            o[QStringLiteral("destination")] = q(r.destination);
            o[QStringLiteral("file")] = q(r.file);
            o[QStringLiteral("path")] = q(r.path);
            o[QStringLiteral("source_path")] = q(r.srcPath);
            o[QStringLiteral("method")] = q(r.method);
            o[QStringLiteral("direction")] = q(r.direction);
            o[QStringLiteral("account")] = q(r.account);
            o[QStringLiteral("first_utc")] = q(iso(r.firstTs));
            o[QStringLiteral("last_utc")] = q(iso(r.lastTs));
            o[QStringLiteral("confidence")] = r.confidence;
            o[QStringLiteral("confidence_label")] = q(r.confidenceLabel);
            o[QStringLiteral("executed")] = r.executed;
            o[QStringLiteral("hashes")] = q(r.hashes);
            o[QStringLiteral("rules")] = q(r.rules);
            o[QStringLiteral("evidence")] = r.evidence;
            o[QStringLiteral("evidence_source")] = r.srcEvidence;
            o[QStringLiteral("evidence_destination")] = r.dstEvidence;
            arr.append(o);
        }
        std::fputs(QJsonDocument(arr).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    if (format == QLatin1String("csv")) {
        std::printf("id,first_utc,last_utc,source,source_ip,destination,file,path,source_path,method,direction,account,"
                    "confidence,confidence_label,executed,evidence,evidence_source,evidence_destination,rules,hashes\n");
        for (const auto &r : rows) {
            std::printf("%lld,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%.2f,%s,%d,%d,%d,%d,%s,%s\n", static_cast<long long>(r.id),
                        iso(r.firstTs).c_str(), iso(r.lastTs).c_str(), csvCell(r.source).c_str(), csvCell(r.sourceIp).c_str(),
                        csvCell(r.destination).c_str(), csvCell(r.file).c_str(), csvCell(r.path).c_str(),
                        csvCell(r.srcPath).c_str(), csvCell(r.method).c_str(), csvCell(r.direction).c_str(),
                        csvCell(r.account).c_str(), r.confidence, r.confidenceLabel.c_str(), r.executed ? 1 : 0, r.evidence,
                        r.srcEvidence, r.dstEvidence, csvCell(r.rules).c_str(), csvCell(r.hashes).c_str());
        }
        return 0;
    }
    std::printf("%-20s %-18s %-18s %-24s %-22s %-24s %5s %-3s %s\n", "FIRST (UTC)", "SOURCE", "DESTINATION", "FILE",
                "METHOD", "ACCOUNT", "CONF", "EXE", "EVIDENCE src/dst");
    for (const auto &r : rows) {
        std::string first = iso(r.firstTs).substr(0, 19);
        std::printf("%-20s %-18s %-18s %-24s %-22s %-24s %5.2f %-3s %d/%d\n", first.c_str(),
                    printable(r.source.empty() ? r.sourceIp : r.source, 18).c_str(), printable(r.destination, 18).c_str(),
                    printable(r.file, 24).c_str(), r.method.c_str(), printable(r.account, 24).c_str(), r.confidence,
                    r.executed ? "yes" : "", r.srcEvidence, r.dstEvidence);
    }
    std::printf("%zu transfer(s)\n", rows.size());
    return 0;
}

} // namespace tt::app
