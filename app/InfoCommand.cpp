#include "CliSupport.h"
#include "Commands.h"
#include "InferenceSummary.h"

#include "TerminalProgress.h"
#include "core/TimeUtil.h"
#include "store/AnnotationStore.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace tt::app {

namespace {
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
std::string iso(int64_t us)
{
    return us ? timeutil::formatIsoUtc(us) : std::string("-");
}

} // namespace

int runInfo(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Summarise a case file: hosts, sources, event counts."));
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("Case file (*.ttcase)."));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print as JSON."));
    p.addOption(jsonOpt);
    if (auto stop = parseCommand(p, args, "info", "transfertrace info CASE [--json]", 1, 1))
        return *stop;
    std::unique_ptr<store::CaseStore> cs;
    try {
        cs = store::CaseStore::open(p.positionalArguments()[0].toStdString(), store::CaseStore::Access::ReadOnly);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace info: %s\n", printable(e.what()).c_str());
        return 1;
    }
    try {
        const auto totals = cs->totals();
        const auto hosts = cs->hosts();
        const auto sources = cs->sources();
        const auto byEvent = cs->countsByChannelEventId();
        const auto meta = store::AnnotationStore(*cs).meta();
        const bool stale = store::inferencePending(*cs);
        warnIfInferencePending(*cs, "info");
        const std::string upgraded = cs->temporaryCopy() ? ", read from a copy upgraded from v"
                + std::to_string(cs->migratedFrom()) + "; the file itself is unchanged"
                                                         : std::string();
        if (p.isSet(jsonOpt)) {
            QJsonObject root;
            root[QStringLiteral("case")] = q(cs->path());
            root[QStringLiteral("schema_version")] = cs->schemaVersion();
            root[QStringLiteral("file_schema_version")]
                = cs->temporaryCopy() ? cs->migratedFrom() : cs->schemaVersion();
            root[QStringLiteral("title")] = q(meta.title);
            root[QStringLiteral("analyst")] = q(meta.analyst);
            root[QStringLiteral("description")] = q(meta.description);
            root[QStringLiteral("display_tz")] = q(meta.displayTz);
            root[QStringLiteral("events")] = static_cast<double>(totals.events);
            root[QStringLiteral("rejected")] = static_cast<double>(totals.rejected);
            root[QStringLiteral("transfers_stale")] = stale;
            root[QStringLiteral("first_utc")] = q(iso(totals.firstTs));
            root[QStringLiteral("last_utc")] = q(iso(totals.lastTs));
            QJsonArray ha;
            for (const auto &h : hosts) {
                QJsonObject o;
                o[QStringLiteral("name")] = q(h.name);
                o[QStringLiteral("fqdn")] = q(h.fqdn);
                o[QStringLiteral("ip_only")] = h.ipOnly;
                o[QStringLiteral("events")] = static_cast<double>(h.events);
                o[QStringLiteral("first_utc")] = q(iso(h.firstTs));
                o[QStringLiteral("last_utc")] = q(iso(h.lastTs));
                o[QStringLiteral("addresses")] = q(h.addresses);
                QJsonArray ba;
                for (const auto &b : h.bindings) {
                    QJsonObject bo;
                    bo[QStringLiteral("address")] = q(b.address);
                    bo[QStringLiteral("how")] = q(b.how);
                    bo[QStringLiteral("from_utc")] = q(iso(b.firstTs));
                    bo[QStringLiteral("until_utc")] = q(iso(b.lastTs));
                    bo[QStringLiteral("records")] = static_cast<double>(b.count);
                    bo[QStringLiteral("evidence_event")] = static_cast<double>(b.evidenceEvent);
                    bo[QStringLiteral("source")] = q(b.source);
                    bo[QStringLiteral("conflicts_with")] = q(b.conflictsWith);
                    ba.append(bo);
                }
                o[QStringLiteral("bindings")] = ba;
                ha.append(o);
            }
            root[QStringLiteral("hosts")] = ha;
            QJsonArray sa;
            for (const auto &s : sources) {
                QJsonObject o;
                o[QStringLiteral("path")] = q(s.path);
                o[QStringLiteral("format")] = q(s.format);
                o[QStringLiteral("sha256")] = q(s.sha256);
                o[QStringLiteral("size")] = static_cast<double>(s.size);
                o[QStringLiteral("read")] = static_cast<double>(s.read);
                o[QStringLiteral("stored")] = static_cast<double>(s.stored);
                o[QStringLiteral("rejected")] = static_cast<double>(s.rejected);
                o[QStringLiteral("warnings")] = static_cast<double>(s.warnings);
                sa.append(o);
            }
            root[QStringLiteral("sources")] = sa;
            QJsonObject ev;
            for (const auto &c : byEvent)
                ev[q(c.key)] = static_cast<double>(c.count);
            root[QStringLiteral("counts_by_channel_eventid")] = ev;
            writeOutput(QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
            return 0;
        }
        std::printf(
            "case        %s (schema v%d%s)\n", printable(cs->path()).c_str(), cs->schemaVersion(), upgraded.c_str());
        if (!meta.title.empty())
            std::printf("title       %s\n", printable(meta.title).c_str());
        if (!meta.analyst.empty())
            std::printf("analyst     %s\n", printable(meta.analyst).c_str());
        std::printf("events      %lld stored, %lld rejected, from %zu source file(s)\n",
            static_cast<long long>(totals.events), static_cast<long long>(totals.rejected), sources.size());
        std::printf("time range  %s .. %s\n\n", iso(totals.firstTs).c_str(), iso(totals.lastTs).c_str());
        std::printf("%-24s %10s  %-27s %-27s %s\n", "HOST", "EVENTS", "FIRST (UTC)", "LAST (UTC)", "ADDRESSES");
        for (const auto &h : hosts)
            std::printf("%-24s %10lld  %-27s %-27s %s\n", printable(h.name).c_str(), static_cast<long long>(h.events),
                iso(h.firstTs).c_str(), iso(h.lastTs).c_str(), printable(h.addresses).c_str());
        std::printf("\n%-24s %-16s %-16s %-20s %-20s %8s %10s  %s\n", "HOST", "ADDRESS", "RULE", "FROM (UTC)",
            "UNTIL (UTC)", "RECORDS", "EVENT", "SOURCE");
        for (const auto &h : hosts)
            for (const auto &b : h.bindings) {
                std::printf("%-24s %-16s %-16s %-20s %-20s %8lld %10lld  %s\n", printable(h.name).c_str(),
                    printable(b.address).c_str(), printable(b.how).c_str(), iso(b.firstTs).substr(0, 19).c_str(),
                    iso(b.lastTs).substr(0, 19).c_str(), static_cast<long long>(b.count),
                    static_cast<long long>(b.evidenceEvent), printable(b.source).c_str());
                if (!b.conflictsWith.empty())
                    std::printf("%-24s   CONFLICT: %s held by %s at an overlapping time\n", "",
                        printable(b.address).c_str(), printable(b.conflictsWith).c_str());
            }
        std::printf("\n%-60s %8s %10s %9s\n", "SOURCE", "FORMAT", "STORED", "REJECTED");
        for (const auto &s : sources)
            std::printf("%-60s %8s %10lld %9lld\n", printable(s.path).c_str(), s.format.c_str(),
                static_cast<long long>(s.stored), static_cast<long long>(s.rejected));
        std::printf("\n%-72s %10s\n", "CHANNEL:EVENTID", "EVENTS");
        for (const auto &c : byEvent)
            std::printf("%-72s %10lld\n", printable(c.key).c_str(), static_cast<long long>(c.count));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace info: %s\n", printable(e.what()).c_str());
        return 1;
    }
    return 0;
}

} // namespace tt::app
