#include "CliSupport.h"
#include "Commands.h"
#include "InferenceSummary.h"
#include "SignalCancel.h"

#include "TerminalProgress.h"
#include "core/ImportEngine.h"
#include "core/TimeUtil.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <spdlog/spdlog.h>

#include <cstdio>

namespace tt::app {

namespace {
const char *statusName(FileReport::Status s)
{
    switch (s) {
    case FileReport::Status::Imported:
        return "imported";
    case FileReport::Status::Duplicate:
        return "duplicate";
    case FileReport::Status::Failed:
        return "failed";
    case FileReport::Status::Cancelled:
        return "cancelled";
    case FileReport::Status::Skipped:
        return "skipped";
    }
    return "?";
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonObject toJson(const ImportSummary &sum, const std::string &casePath)
{
    QJsonArray files;
    for (const FileReport &f : sum.files) {
        QJsonObject o;
        o[QStringLiteral("path")] = q(f.path);
        o[QStringLiteral("status")] = QString::fromLatin1(statusName(f.status));
        o[QStringLiteral("format")] = q(f.format);
        o[QStringLiteral("read")] = static_cast<double>(f.read);
        o[QStringLiteral("stored")] = static_cast<double>(f.stored);
        o[QStringLiteral("rejected")] = static_cast<double>(f.rejected);
        o[QStringLiteral("warnings")] = static_cast<double>(f.warnings);
        o[QStringLiteral("bytes")] = static_cast<double>(f.bytes);
        o[QStringLiteral("seconds")] = f.seconds;
        if (!f.sha256.empty())
            o[QStringLiteral("sha256")] = q(f.sha256);
        if (f.firstTs)
            o[QStringLiteral("first_utc")] = q(timeutil::formatIsoUtc(f.firstTs));
        if (f.lastTs)
            o[QStringLiteral("last_utc")] = q(timeutil::formatIsoUtc(f.lastTs));
        if (!f.message.empty())
            o[QStringLiteral("message")] = q(f.message);
        QJsonArray issues;
        for (const ImportIssue &i : f.issues) {
            QJsonObject io;
            io[QStringLiteral("position")] = static_cast<double>(i.position);
            io[QStringLiteral("severity")] = i.reject ? QStringLiteral("reject") : QStringLiteral("warning");
            io[QStringLiteral("message")] = q(i.message);
            issues.append(io);
        }
        if (!issues.isEmpty())
            o[QStringLiteral("issues")] = issues;
        files.append(o);
    }
    QJsonObject root;
    root[QStringLiteral("case")] = q(casePath);
    root[QStringLiteral("files")] = files;
    root[QStringLiteral("imported")] = static_cast<double>(sum.count(FileReport::Status::Imported));
    root[QStringLiteral("duplicates")] = static_cast<double>(sum.count(FileReport::Status::Duplicate));
    root[QStringLiteral("failed")] = static_cast<double>(sum.count(FileReport::Status::Failed));
    root[QStringLiteral("skipped")] = static_cast<double>(sum.count(FileReport::Status::Skipped));
    root[QStringLiteral("apple_double_skipped")] = static_cast<double>(sum.appleDoubleSkipped);
    root[QStringLiteral("hosts_fixed")] = static_cast<double>(sum.hostsFixed);
    root[QStringLiteral("stored")] = static_cast<double>(sum.stored());
    root[QStringLiteral("rejected")] = static_cast<double>(sum.rejected());
    root[QStringLiteral("bytes")] = static_cast<double>(sum.bytes());
    root[QStringLiteral("seconds")] = sum.seconds;
    root[QStringLiteral("events_per_second")] = sum.seconds > 0 ? static_cast<double>(sum.stored()) / sum.seconds : 0.0;
    // Bulk import: secondary indexes dropped and rebuilt at the end (index_seconds of seconds).
    root[QStringLiteral("bulk_indexes")] = sum.bulkIndexes;
    root[QStringLiteral("index_seconds")] = sum.indexSeconds;
    root[QStringLiteral("cancelled")] = sum.cancelled;
    root[QStringLiteral("exit_code")] = sum.exitCode();
    return root;
}

void printText(const ImportSummary &sum, std::FILE *out)
{
    for (const FileReport &f : sum.files) {
        if (f.status == FileReport::Status::Imported && f.rejected == 0 && f.warnings == 0 && f.message.empty())
            continue;
        std::fprintf(out, "%-9s %s", statusName(f.status), printable(f.path).c_str());
        if (f.status == FileReport::Status::Imported)
            std::fprintf(out, ": %lld stored, %lld rejected, %lld warnings", static_cast<long long>(f.stored),
                static_cast<long long>(f.rejected), static_cast<long long>(f.warnings));
        if (!f.message.empty())
            std::fprintf(out, ": %s", printable(f.message).c_str());
        std::fprintf(out, "\n");
        size_t shown = 0;
        for (const ImportIssue &i : f.issues) {
            if (++shown > 10) {
                std::fprintf(out, "          ... (%zu more listed in the case's import_issues; see `info`)\n",
                    f.issues.size() - 10);
                break;
            }
            // Position 0: about the file or a part of it (an EVTX chunk), not a record.
            if (i.position == 0)
                std::fprintf(
                    out, "          %s %s\n", i.reject ? "rejected" : "warning ", printable(i.message).c_str());
            else
                std::fprintf(out, "          %s %s %lld: %s\n", i.reject ? "rejected" : "warning ",
                    (f.format == "evtx" || f.format == "winxml") ? "record" : "line",
                    static_cast<long long>(i.position), printable(i.message).c_str());
        }
    }
    const double rate = sum.seconds > 0 ? static_cast<double>(sum.stored()) / sum.seconds : 0;
    std::string skipped;
    if (const size_t n = sum.count(FileReport::Status::Skipped))
        skipped += ", " + std::to_string(n) + " skipped (not telemetry)";
    if (sum.appleDoubleSkipped > 0)
        skipped += ", " + std::to_string(sum.appleDoubleSkipped) + " macOS metadata file(s) (__MACOSX/, ._*) skipped";
    std::fprintf(out,
        "%zu file(s) imported, %zu already in the case, %zu failed%s%s; %s events stored, %s rejected; "
        "%s in %s (%s events/s)\n",
        sum.count(FileReport::Status::Imported), sum.count(FileReport::Status::Duplicate),
        sum.count(FileReport::Status::Failed), skipped.c_str(),
        sum.cancelled ? ", CANCELLED (the interrupted file was rolled back)" : "",
        humanCount(static_cast<double>(sum.stored())).c_str(), humanCount(static_cast<double>(sum.rejected())).c_str(),
        humanBytes(static_cast<double>(sum.bytes())).c_str(), humanDuration(sum.seconds).c_str(),
        humanCount(rate).c_str());
}
} // namespace

int runImport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Import telemetry (EVTX, event XML, JSON lines; files, folders, "
                                               "zip/tar/gz archives) into a case file."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file (*.ttcase); created when missing."));
    p.addPositionalArgument(QStringLiteral("paths"),
        QStringLiteral("Files or folders to import; - reads standard input."), QStringLiteral("PATH..."));
    QCommandLineOption formatOpt(QStringLiteral("format"),
        QStringLiteral("Override content detection: evtx, xml, jsonl, zeek, evtxecmd-csv, evtxecmd-json, "
                       "hayabusa-csv, hayabusa-jsonl, audit, syslog, journald, esxi, eslogger, unifiedlog."),
        QStringLiteral("F"));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the summary as JSON on stdout."));
    QCommandLineOption quietOpt(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    QCommandLineOption noInferOpt(
        QStringLiteral("no-infer"), QStringLiteral("Do not recompute transfers after the import (run `infer` later)."));
    QCommandLineOption hostOpt(QStringLiteral("host"),
        QStringLiteral(
            "Host of records that name none (Linux audit logs without node=, ESXi log files, macOS exports)."),
        QStringLiteral("NAME"));
    p.addOptions({formatOpt, jsonOpt, quietOpt, verboseOpt, noInferOpt, hostOpt});
    if (!p.parse(args)) {
        std::fprintf(stderr, "transfertrace import: %s\n", qPrintable(p.errorText()));
        return kUsageError;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return 0;
    }
    const QStringList pos = p.positionalArguments();
    if (pos.size() < 2) {
        std::fprintf(stderr,
            "usage: transfertrace import CASE PATH... [--format "
            "evtx|xml|jsonl|zeek|evtxecmd-csv|evtxecmd-json|hayabusa-csv|hayabusa-jsonl|audit|syslog|journald|esxi|"
            "eslogger|unifiedlog] "
            "[--host "
            "H] [--json]\n");
        return kUsageError;
    }
    ImportEngine::Options opts;
    opts.defaultHost = p.value(hostOpt).toStdString();
    if (p.isSet(formatOpt)) {
        opts.forcedFormat = formatFromName(p.value(formatOpt).toStdString());
        if (opts.forcedFormat == Format::Unknown) {
            std::fprintf(stderr,
                "transfertrace import: unknown format '%s' (evtx, xml, jsonl, zeek, evtxecmd-csv, evtxecmd-json, "
                "hayabusa-csv, hayabusa-jsonl, audit, syslog, journald, esxi, eslogger, unifiedlog)\n",
                qPrintable(p.value(formatOpt)));
            return kUsageError;
        }
    }
    SignalCancel interrupt; // before the case is opened: a signal at any moment cancels cleanly
    std::unique_ptr<store::CaseStore> cs;
    try {
        cs = store::CaseStore::open(pos[0].toStdString(), store::CaseStore::Access::Create, {true}); // session lock
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace import: %s\n", printable(e.what()).c_str());
        return 1;
    }
    if (cs->readOnly()) {
        std::fprintf(stderr, "transfertrace import: case file '%s' is read-only: %s\n", printable(cs->path()).c_str(),
            printable(cs->readOnlyReason()).c_str()); // path(): redacted
        return 1;
    }
    if (!cs->migrationBackup().empty())
        std::fprintf(stderr, "transfertrace import: upgraded the case from schema v%d; the original is kept as '%s'\n",
            cs->migratedFrom(), printable(cs->migrationBackup()).c_str());
    ImportEngine engine(*cs, opts);
    interrupt.forward(engine.cancelFlag());
    TerminalProgress bar(stderr);
    const bool showBar = !p.isSet(quietOpt) && !p.isSet(verboseOpt) && bar.enabled();
    std::vector<std::string> inputs;
    for (int i = 1; i < pos.size(); ++i)
        inputs.push_back(pos[i].toStdString());
    spdlog::info("import into {}: {} input(s)", cs->path(), inputs.size());
    ImportSummary sum = engine.run(inputs,
        [&](const ImportProgress &pr) {
            if (showBar)
                bar.update(pr);
        },
        {});
    if (showBar)
        bar.clear();
    spdlog::info("import done: {} stored, {} rejected, exit {}", sum.stored(), sum.rejected(), sum.exitCode());
    // Transfers are derived data and part of the import's contract: recomputed whenever the case
    // says they are stale (this import added something, or an earlier one was killed before its
    // inference committed), even when every file was already in the case.
    std::string inferred;
    int64_t transfers = -1;
    int exitCode = sum.exitCode();
    bool inferenceCancelled = false;
    if (!p.isSet(noInferOpt) && !interrupt.caught() && store::inferencePending(*cs)) {
        try {
            const auto r = inferStale(*cs, interrupt, true);
            inferred = inferenceSummary(r);
            transfers = static_cast<int64_t>(r.transfers);
            spdlog::info("{}", inferred);
        } catch (const inference::InferenceEngine::Cancelled &) {
            inferenceCancelled = true;
        } catch (const std::exception &e) {
            inferred = std::string("inference failed: ") + printable(e.what());
            spdlog::error("{}", inferred);
            exitCode = exitCode == 0 ? 2 : exitCode;
        }
    }
    std::string cancelLine;
    if (interrupt.caught() || sum.cancelled) {
        exitCode = interrupt.exitCode();
        cancelLine = std::string("cancelled by ") + interrupt.signalName()
            + (inferenceCancelled ? " during inference: the imported files are kept; their transfers are recomputed by "
                                    "the next import, `infer` or opening the case"
                                  : ": the interrupted file was rolled back; run the same import again to go on");
    }
    if (p.isSet(jsonOpt)) {
        QJsonObject root = toJson(sum, cs->path());
        root[QStringLiteral("cancelled")] = !cancelLine.empty();
        if (transfers >= 0)
            root[QStringLiteral("transfers")] = static_cast<double>(transfers);
        root[QStringLiteral("inference")] = inferenceCancelled ? QStringLiteral("cancelled")
            : store::inferencePending(*cs)                     ? QStringLiteral("pending")
                                                               : QStringLiteral("done");
        if (!cancelLine.empty())
            root[QStringLiteral("message")] = q(cancelLine);
        root[QStringLiteral("exit_code")] = exitCode;
        writeOutput(QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
        printText(sum, stderr);
        if (!inferred.empty())
            std::fprintf(stderr, "%s\n", inferred.c_str());
        if (!cancelLine.empty())
            std::fprintf(stderr, "%s\n", cancelLine.c_str());
    } else {
        printText(sum, stdout);
        if (!inferred.empty())
            std::printf("%s\n", inferred.c_str());
        if (!cancelLine.empty())
            std::printf("%s\n", cancelLine.c_str());
    }
    return exitCode;
}

} // namespace tt::app
