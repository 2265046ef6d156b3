#include "CliSupport.h"
#include "Commands.h"
#include "InferenceSummary.h"
#include "SignalCancel.h"

#include "TransferExport.h"
#include "core/TimeUtil.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <string>

namespace tt::app {

namespace {
std::string iso(int64_t us)
{
    return us ? timeutil::formatIsoUtc(us) : std::string();
}

} // namespace

std::string inferenceSummary(const inference::InferenceEngine::Result &r)
{
    std::string s = std::to_string(r.transfers) + " transfer(s) inferred from " + std::to_string(r.events) + " events";
    if (r.incremental) {
        s += " (incremental: " + std::to_string(r.transfersWritten) + " written, " + std::to_string(r.transfersRemoved)
            + " replaced, " + std::to_string(r.scopeHosts) + " host(s) read)";
    } else if (!r.transfersByMethod.empty()) {
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

inference::InferenceEngine::Result inferStale(store::CaseStore &cs, SignalCancel &interrupt, bool afterImport)
{
    pauseForTest("inference", *interrupt.flag());
    inference::InferenceEngine engine(cs);
    engine.setCancelFlag(interrupt.flag());
    return afterImport ? engine.runAfterImport() : engine.run();
}

void warnIfInferencePending(store::CaseStore &cs, const char *command)
{
    if (store::inferencePending(cs))
        std::fprintf(stderr,
            "transfertrace %s: warning: the transfers are stale (the inference after an import did not finish); "
            "run `transfertrace infer %s` to recompute them\n",
            command, printable(cs.path()).c_str());
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
    SignalCancel interrupt;
    try {
        // A writer like import: takes the session lock, and refuses a case another session holds.
        auto cs = store::CaseStore::open(
            p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadWrite, {true});
        if (cs->readOnly()) {
            std::fprintf(stderr, "transfertrace infer: case file '%s' is read-only: %s\n",
                printable(cs->path()).c_str(), printable(cs->readOnlyReason()).c_str());
            return 1;
        }
        const auto r = inferStale(*cs, interrupt);
        std::printf("%s\n", inferenceSummary(r).c_str());
    } catch (const inference::InferenceEngine::Cancelled &) {
        std::printf("cancelled by %s: the case keeps its previous transfers (still marked stale if they were)\n",
            interrupt.signalName());
        return interrupt.exitCode();
    } catch (const std::exception &e) {
        if (interrupt.caught()) {
            std::printf("cancelled by %s\n", interrupt.signalName());
            return interrupt.exitCode();
        }
        std::fprintf(stderr, "transfertrace infer: %s\n", printable(e.what()).c_str());
        return 1;
    }
    return 0;
}

int runTransfers(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the inferred host-to-host transfers of a case."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file."));
    QCommandLineOption formatOpt(
        QStringLiteral("format"), QStringLiteral("table, csv or json."), QStringLiteral("F"), QStringLiteral("table"));
    QCommandLineOption minOpt(
        QStringLiteral("min-confidence"), QStringLiteral("0..1, or high / medium / low."), QStringLiteral("X"));
    QCommandLineOption hostOpt(QStringLiteral("host"),
        QStringLiteral("Source or destination host (name, FQDN or address)."), QStringLiteral("H"));
    QCommandLineOption accountOpt(
        QStringLiteral("account"), QStringLiteral("Account (DOMAIN\\user, user@domain or user)."), QStringLiteral("A"));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    QCommandLineOption excludeBenignOpt(QStringLiteral("exclude-benign"),
        QStringLiteral("Leave out benign-admin candidates (transfers of recognised deployment tools)."));
    QCommandLineOption benignOnlyOpt(
        QStringLiteral("benign-only"), QStringLiteral("Only benign-admin candidates (deployment tools)."));
    p.addOptions({formatOpt, minOpt, hostOpt, accountOpt, excludeBenignOpt, benignOnlyOpt, verboseOpt});
    if (auto stop = parseCommand(p, args, "transfers",
            "transfertrace transfers CASE [--format table|csv|json] [--min-confidence X] "
            "[--host H] [--account A] [--exclude-benign | --benign-only]",
            1, 1))
        return *stop;
    if (p.isSet(excludeBenignOpt) && p.isSet(benignOnlyOpt)) {
        std::fprintf(stderr, "transfertrace transfers: --exclude-benign and --benign-only exclude each other\n");
        return 2;
    }
    const QString format = p.value(formatOpt);
    if (format != QLatin1String("table") && format != QLatin1String("csv") && format != QLatin1String("json")) {
        std::fprintf(stderr, "transfertrace transfers: --format is table, csv or json\n");
        return 2;
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
            return 2;
        }
    }
    filter.host = p.value(hostOpt).toStdString();
    filter.account = p.value(accountOpt).toStdString();
    std::vector<inference::TransferRow> rows;
    try {
        auto cs = store::CaseStore::open(p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadOnly);
        warnIfInferencePending(*cs, "transfers");
        rows = inference::listTransfers(*cs, filter);
        nameUnknownSources(*cs, rows); // as the graph names them
        std::vector<inference::TransferRow> kept;
        for (auto &r : rows) {
            if ((p.isSet(excludeBenignOpt) && !r.benignTool.empty())
                || (p.isSet(benignOnlyOpt) && r.benignTool.empty()))
                continue;
            kept.push_back(std::move(r));
        }
        rows = std::move(kept);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace transfers: %s\n", printable(e.what()).c_str());
        return 1;
    }
    if (format == QLatin1String("json")) {
        QJsonArray arr;
        for (const auto &r : rows)
            arr.append(exporting::transferJson(r)); // shared with `export transfers`
        writeOutput(QJsonDocument(arr).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
        return 0;
    }
    if (format == QLatin1String("csv")) {
        // Columns shared with `export transfers` (which adds the evidence references); cells
        // quoted and formula-neutralised there.
        std::string csv = exporting::transferCsvHeader() + "\n";
        for (const auto &r : rows)
            csv += exporting::transferCsvRow(r) + "\n";
        writeOutput(csv, stdout, Escape::Text);
        return 0;
    }
    // DIR: which end acted (push: the source wrote, pull: the destination fetched).
    // BENIGN: the deployment tool of a benign-admin candidate (its reason is in csv / json).
    std::printf("%-20s %-32s %-18s %-24s %-22s %-4s %-24s %5s %-3s %-16s %s\n", "FIRST (UTC)", "SOURCE", "DESTINATION",
        "FILE", "METHOD", "DIR", "ACCOUNT", "CONF", "EXE", "EVIDENCE src/dst", "BENIGN");
    for (const auto &r : rows) {
        std::string first = iso(r.firstTs).substr(0, 19);
        // A resolved source keeps the address it was seen from beside its name.
        const std::string source = r.source.empty()        ? r.sourceIp
            : r.sourceIp.empty() || r.sourceIp == r.source ? r.source
                                                           : r.source + " (" + r.sourceIp + ")";
        const std::string evidence = std::to_string(r.srcEvidence) + '/' + std::to_string(r.dstEvidence);
        const std::string benign = r.benignTool.empty()
            ? std::string()
            : std::string(16 - evidence.size() % 16, ' ') + "benign-admin: " + r.benignTool;
        std::printf("%-20s %-32s %-18s %-24s %-22s %-4s %-24s %5.2f %-3s %s%s\n", first.c_str(),
            printable(source, 32).c_str(), printable(r.destination, 18).c_str(), printable(r.file, 24).c_str(),
            r.method.c_str(), r.direction.c_str(), printable(r.account, 24).c_str(), r.confidence,
            r.executed ? "yes" : "", evidence.c_str(), benign.c_str());
    }
    std::printf("%zu transfer(s)\n", rows.size());
    return 0;
}

} // namespace tt::app
