// `transfertrace export graph|timeline|transfers CASE OUT` and `transfertrace report CASE OUT`:
// the workbench's exports without a display (QApplication on the offscreen platform, the same
// scene and widget paint code as the GUI). Bad arguments and unknown suffixes exit 2.

#include "CliSupport.h"
#include "Commands.h"
#include "TerminalProgress.h"

#include "ExportText.h"
#include "GraphExport.h"
#include "TimelineView.h"
#include "TransferExport.h"
#include "core/TimeUtil.h"
#include "query/ExportQuery.h"
#include "query/GraphQuery.h"
#include "store/CaseStore.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimeZone>

#include <cstdio>
#include <optional>

namespace tt::app {

namespace {

const char *const kExportUsage
    = "transfertrace export graph|timeline|transfers CASE OUT [--account A] [--parent-image P] [--from T --to T] "
      "[--scale S | --dpi D] [--whole] [--group subnet|domain|named|auto|none] [--no-fan]\n"
      "  graph: OUT .svg .png .pdf .dot; timeline: .png .svg; transfers: .csv .json";
const char *const kReportUsage
    = "transfertrace report CASE OUT.html [--pdf OUT.pdf] [--account A] [--parent-image P] [--from T --to T] "
      "[--group subnet|domain|named|auto|none] [--no-fan]";

struct FilterOptions {
    QCommandLineOption account {QStringLiteral("account"),
        QStringLiteral("Transfers done as this account (DOMAIN\\user, user@domain or user)."), QStringLiteral("A")};
    QCommandLineOption parentImage {QStringLiteral("parent-image"),
        QStringLiteral("Parent image of the source or executing process (full path, any case)."), QStringLiteral("P")};
    QCommandLineOption from {QStringLiteral("from"),
        QStringLiteral("Window start, ISO 8601 (UTC unless an offset is given)."), QStringLiteral("T")};
    QCommandLineOption to {QStringLiteral("to"), QStringLiteral("Window end, ISO 8601."), QStringLiteral("T")};
    QCommandLineOption verbose {QStringLiteral("verbose"), QStringLiteral("Log details on the console.")};
    void add(QCommandLineParser &p) { p.addOptions({account, parentImage, from, to, verbose}); }
};

// The graph's drawing options, shared by `export graph` and `report` (its graph picture).
struct GraphOptions {
    QCommandLineOption group {QStringLiteral("group"),
        QStringLiteral("graph: group hosts as the workbench does: subnet (/24), domain, named (the analyst's groups "
                       "only), auto, or none (the default); named groups apply in every mode but none. A group is "
                       "one node labelled \"NAME (N hosts)\"."),
        QStringLiteral("subnet|domain|named|auto|none")};
    QCommandLineOption noFan {QStringLiteral("no-fan"),
        QStringLiteral("graph: draw every deployment-tool transfer as its own edge (by default one tool's push of one "
                       "file to 5 or more hosts is one \"fan\" node, \"SCCM push: FILE -> N hosts\"; a host with any "
                       "other transfer is never folded).")};
    void add(QCommandLineParser &p) { p.addOptions({group, noFan}); }
    // None when --group is not given; nullopt for a name that is not a grouping.
    std::optional<HostGrouping> grouping(const QCommandLineParser &p) const
    {
        return p.isSet(group) ? hostGroupingFromName(p.value(group)) : std::optional(HostGrouping::None);
    }
};

bool parseTime(const QString &text, int64_t *us)
{
    const auto t = timeutil::parseIso8601(text.trimmed().toStdString());
    if (!t)
        return false;
    *us = t->us; // without a zone: taken as UTC
    return true;
}

// The workbench filter from the options; false (message printed) on a bad value.
bool buildFilter(
    const QCommandLineParser &p, const FilterOptions &o, store::CaseStore &cs, const char *cmd, FilterState *f)
{
    if (p.isSet(o.from) && !parseTime(p.value(o.from), &f->fromUs)) {
        std::fprintf(stderr, "transfertrace %s: --from is an ISO 8601 time (2024-03-04T10:00:00Z)\n", cmd);
        return false;
    }
    if (p.isSet(o.to) && !parseTime(p.value(o.to), &f->toUs)) {
        std::fprintf(stderr, "transfertrace %s: --to is an ISO 8601 time (2024-03-04T12:00:00Z)\n", cmd);
        return false;
    }
    if (f->fromUs && f->toUs && f->fromUs > f->toUs) {
        std::fprintf(stderr, "transfertrace %s: --from is after --to\n", cmd);
        return false;
    }
    for (const QString &img : p.values(o.parentImage))
        f->parentImages << img;
    for (const QString &a : p.values(o.account)) {
        const auto ids = exporting::resolveAccounts(cs, a.toStdString());
        if (ids.empty())
            std::fprintf(stderr, "transfertrace %s: no account in the case matches '%s': nothing is in view\n", cmd,
                printable(a.toStdString(), 200).c_str());
        for (int64_t id : ids)
            f->accounts.insert(id);
        if (ids.empty())
            f->accounts.insert(-1); // matches nothing, as asked
    }
    return true;
}

QString caption(store::CaseStore &cs, const QString &casePath, const FilterState &f, qint64 inView, qint64 total)
{
    const QString ft = exporting::describeFilter(cs, f);
    return QStringLiteral("%1 - %2\n%3 of %4 transfer(s) in view; exported %5")
        .arg(cs.isServer() ? QString::fromStdString(cs.path()) : QFileInfo(casePath).fileName(),
            ft.isEmpty() ? QStringLiteral("no filter (whole case)") : ft)
        .arg(inView)
        .arg(total)
        .arg(exporting::formatTime(QDateTime::currentMSecsSinceEpoch() * 1000, QTimeZone::utc()));
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit())
        return true;
    *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    return false;
}
} // namespace

int runExport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Export the transfer graph, the timeline or the transfers of a case."));
    p.addPositionalArgument(QStringLiteral("what"), QStringLiteral("graph, timeline or transfers."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file."));
    p.addPositionalArgument(QStringLiteral("out"), QStringLiteral("Output file; the format follows its suffix."));
    FilterOptions fo;
    fo.add(p);
    QCommandLineOption scaleOpt(
        QStringLiteral("scale"), QStringLiteral("PNG pixels per graph unit (default 1)."), QStringLiteral("S"));
    QCommandLineOption dpiOpt(
        QStringLiteral("dpi"), QStringLiteral("PNG resolution (96 = scale 1)."), QStringLiteral("D"));
    QCommandLineOption wholeOpt(
        QStringLiteral("whole"), QStringLiteral("The whole graph (the default without a window)."));
    GraphOptions go;
    p.addOptions({scaleOpt, dpiOpt, wholeOpt});
    go.add(p);
    if (auto stop = parseCommand(p, args, "export", kExportUsage, 3, 3))
        return *stop;
    const QString what = p.positionalArguments()[0];
    const QString casePath = p.positionalArguments()[1];
    const QString out = p.positionalArguments()[2];
    const ExportFormat format = exportFormatFor(out);
    auto usage = [](const char *msg) {
        std::fprintf(stderr, "transfertrace export: %s\nusage: %s\n", msg, kExportUsage);
        return kUsageError;
    };
    if (what == QLatin1String("graph")) {
        if (format != ExportFormat::Svg && format != ExportFormat::Png && format != ExportFormat::Pdf
            && format != ExportFormat::Dot)
            return usage("the graph exports as .svg, .png, .pdf or .dot");
    } else if (what == QLatin1String("timeline")) {
        if (format != ExportFormat::Svg && format != ExportFormat::Png)
            return usage("the timeline exports as .png or .svg");
    } else if (what == QLatin1String("transfers")) {
        if (format != ExportFormat::Csv && format != ExportFormat::Json)
            return usage("transfers export as .csv or .json");
    } else {
        return usage("export what? graph, timeline or transfers");
    }
    if (p.isSet(go.group) && what != QLatin1String("graph"))
        return usage("--group is for the graph");
    if (p.isSet(go.noFan) && what != QLatin1String("graph"))
        return usage("--no-fan is for the graph");
    const auto grouping = go.grouping(p);
    if (!grouping)
        return usage("--group is subnet, domain, named, auto or none");
    SnapshotOptions opt;
    if (p.isSet(scaleOpt) && p.isSet(dpiOpt))
        return usage("--scale or --dpi, not both");
    if (p.isSet(scaleOpt) || p.isSet(dpiOpt)) {
        bool ok = false;
        const double v = p.isSet(scaleOpt) ? p.value(scaleOpt).toDouble(&ok) : p.value(dpiOpt).toDouble(&ok) / 96.0;
        if (!ok || !(v >= 0.05 && v <= 16))
            return usage("--scale is 0.05..16 (--dpi 5..1536)");
        opt.scale = v;
    }

    QString error;
    try {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        FilterState filter;
        if (!buildFilter(p, fo, *cs, "export", &filter))
            return kUsageError;
        if (what == QLatin1String("transfers")) {
            const auto rows = exporting::queryExportTransfers(*cs, filter, true);
            if (!writeFile(out,
                    format == ExportFormat::Csv ? exporting::transfersCsv(rows) : exporting::transfersJson(rows),
                    &error))
                throw std::runtime_error(error.toStdString());
            std::printf("%zu transfer(s) written to %s\n", rows.size(), qPrintable(out));
            return 0;
        }
        if (what == QLatin1String("timeline")) {
            OffscreenTimeline tl;
            if (!tl.load(casePath, filter, QSize(1400, 360), &error))
                throw std::runtime_error(error.toStdString());
            const qint64 total = countTransfers(*cs);
            const auto inView = exporting::queryExportTransfers(*cs, filter, false).size();
            opt.caption = caption(*cs, casePath, filter, static_cast<qint64>(inView), total);
            if (!exportTimeline(tl.view(), out, opt, &error))
                throw std::runtime_error(error.toStdString());
            std::printf("timeline written to %s\n", qPrintable(out));
            return 0;
        }
        OffscreenGraph g;
        if (!g.load(casePath, filter, &error, *grouping, !p.isSet(go.noFan)))
            throw std::runtime_error(error.toStdString());
        opt.caption = caption(*cs, casePath, filter, g.data().transfersInView, g.data().transfersTotal);
        if (!exportGraph(g.ref(), wholeGraphRect(g.scene()), out, opt, &error))
            throw std::runtime_error(error.toStdString());
        std::printf("graph (%zu hosts, %zu edges) written to %s\n", g.data().hosts.size(), g.data().edges.size(),
            qPrintable(out));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace export: %s\n", printable(e.what(), 2000).c_str());
        return 1;
    }
    return 0;
}

int runReport(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Write the case report: one self-contained HTML file (optionally a PDF too)."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file."));
    p.addPositionalArgument(QStringLiteral("out"), QStringLiteral("Report file (.html)."));
    FilterOptions fo;
    fo.add(p);
    QCommandLineOption pdfOpt(
        QStringLiteral("pdf"), QStringLiteral("Also print the report to this PDF."), QStringLiteral("OUT.pdf"));
    p.addOption(pdfOpt);
    GraphOptions go;
    go.add(p);
    if (auto stop = parseCommand(p, args, "report", kReportUsage, 2, 2))
        return *stop;
    const auto grouping = go.grouping(p);
    if (!grouping) {
        std::fprintf(
            stderr, "transfertrace report: --group is subnet, domain, named, auto or none\nusage: %s\n", kReportUsage);
        return kUsageError;
    }
    const QString casePath = p.positionalArguments()[0];
    const QString out = p.positionalArguments()[1];
    if (exportFormatFor(out) != ExportFormat::Html) {
        std::fprintf(stderr, "transfertrace report: the report is an .html file\nusage: %s\n", kReportUsage);
        return kUsageError;
    }
    if (p.isSet(pdfOpt) && exportFormatFor(p.value(pdfOpt)) != ExportFormat::Pdf) {
        std::fprintf(stderr, "transfertrace report: --pdf needs a .pdf file\nusage: %s\n", kReportUsage);
        return kUsageError;
    }
    QString error;
    try {
        auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::ReadOnly);
        FilterState filter;
        if (!buildFilter(p, fo, *cs, "report", &filter))
            return kUsageError;
        const exporting::ReportData data
            = exporting::queryReportData(*cs, filter, QString::fromStdString(cs->path())); // redacted
        if (!data.error.isEmpty())
            throw std::runtime_error(data.error.toStdString());
        OffscreenGraph g;
        if (!g.load(casePath, filter, &error, *grouping, !p.isSet(go.noFan)))
            throw std::runtime_error(error.toStdString());
        const QRectF whole = wholeGraphRect(g.scene());
        if (!writeReportFile(data, g.ref(), whole, out, ExportFormat::Html, &error))
            throw std::runtime_error(error.toStdString());
        if (p.isSet(pdfOpt) && !writeReportFile(data, g.ref(), whole, p.value(pdfOpt), ExportFormat::Pdf, &error))
            throw std::runtime_error(error.toStdString());
        std::printf("report (%zu transfer(s)) written to %s (%s)\n", data.transfers.size(),
            printable(out.toStdString()).c_str(), humanBytes(double(QFileInfo(out).size())).c_str());
        if (p.isSet(pdfOpt))
            std::printf("PDF written to %s (%s)\n", printable(p.value(pdfOpt).toStdString()).c_str(),
                humanBytes(double(QFileInfo(p.value(pdfOpt)).size())).c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace report: %s\n", printable(e.what(), 2000).c_str());
        return 1;
    }
    return 0;
}

} // namespace tt::app
