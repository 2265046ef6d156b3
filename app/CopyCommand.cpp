// `transfertrace copy FROM TO` and `transfertrace server grant | revoke` (issue 13 items 4 and 5;
// docs/server.md). The work is in models/store (CaseCopy, PgRoles); this is the command line:
// locations parsed and shown redacted, progress on stderr, SIGINT / SIGTERM / SIGHUP cancel.

#include "CliSupport.h"
#include "Commands.h"
#include "SignalCancel.h"
#include "TerminalProgress.h"

#include "store/CaseCopy.h"
#include "store/CaseLocation.h"
#include "store/PgDb.h"
#include "store/PgRoles.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace tt::app {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// A location from the command line; on a bad one, the parser's message (redacted) and nothing.
std::optional<store::CaseLocation> locationArg(const QString &text, const char *command)
{
    try {
        return store::CaseLocation::parse(text.toStdString());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace %s: %s\n", command, printable(e.what()).c_str());
        return std::nullopt;
    }
}

// Progress for big cases, on stderr: one line per second at most (rewritten in place on a
// terminal), naming the table and its rows.
class CopyProgress {
public:
    CopyProgress()
        : m_tty(::isatty(STDERR_FILENO) != 0)
        , m_start(std::chrono::steady_clock::now())
        , m_last(m_start)
    {
    }
    void update(const std::string &table, int64_t done, int64_t total)
    {
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < std::chrono::seconds(1))
            return;
        m_last = now;
        const double secs = std::chrono::duration<double>(now - m_start).count();
        std::fprintf(stderr, "%scopying %s: %s of %s rows (%s elapsed)%s", m_tty ? "\r\x1b[K" : "", table.c_str(),
            humanCount(double(done)).c_str(), humanCount(double(total)).c_str(), humanDuration(secs).c_str(),
            m_tty ? "" : "\n");
        std::fflush(stderr);
        m_shown = true;
    }
    void clear()
    {
        if (m_tty && m_shown)
            std::fputs("\r\x1b[K", stderr);
    }

private:
    bool m_tty;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start, m_last;
};

std::string renderTable(const store::CopyReport &r)
{
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%-20s %12s %12s  %-64s  %s\n", "table", "source rows", "target rows",
        "sha256 (source)", "check");
    out += line;
    for (const store::TableCheck &t : r.tables) {
        std::snprintf(line, sizeof line, "%-20s %12lld %12lld  %-64s  %s\n", t.table.c_str(),
            static_cast<long long>(t.sourceRows), static_cast<long long>(t.targetRows), t.sourceSha256.c_str(),
            t.matches() ? "same" : ("DIFFERS (target " + t.targetSha256 + ")").c_str());
        out += line;
    }
    return out;
}

QJsonObject reportJson(const store::CopyReport &r)
{
    QJsonObject root;
    root[QStringLiteral("from")] = q(r.from);
    root[QStringLiteral("to")] = q(r.to);
    root[QStringLiteral("verified")] = r.verified;
    root[QStringLiteral("committed")] = r.verified;
    root[QStringLiteral("created_target")] = r.createdTarget;
    root[QStringLiteral("rows")] = static_cast<double>(r.rows);
    root[QStringLiteral("seconds")] = r.seconds;
    root[QStringLiteral("search_index")] = QStringLiteral("not copied: rebuilt on the target");
    QJsonArray tables;
    for (const store::TableCheck &t : r.tables) {
        QJsonObject o;
        o[QStringLiteral("table")] = q(t.table);
        o[QStringLiteral("source_rows")] = static_cast<double>(t.sourceRows);
        o[QStringLiteral("target_rows")] = static_cast<double>(t.targetRows);
        o[QStringLiteral("source_sha256")] = q(t.sourceSha256);
        o[QStringLiteral("target_sha256")] = q(t.targetSha256);
        o[QStringLiteral("same")] = t.matches();
        tables.append(o);
    }
    root[QStringLiteral("tables")] = tables;
    return root;
}

} // namespace

int runCopy(const QStringList &args)
{
    const char *usage = "transfertrace copy FROM TO [--replace] [--json]   (FROM / TO: a case file or a "
                        "postgresql:// location)";
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Copy a case between a case file and a PostgreSQL server (either way), verified table by table."));
    p.addPositionalArgument(QStringLiteral("from"), QStringLiteral("Case file or postgresql://...?case=NAME"));
    p.addPositionalArgument(QStringLiteral("to"), QStringLiteral("New case file, or postgresql://...?case=NAME"));
    QCommandLineOption replaceOpt(
        QStringLiteral("replace"), QStringLiteral("Empty a server case that already holds data and copy into it."));
    QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the verification as JSON."));
    p.addOption(replaceOpt);
    p.addOption(jsonOpt);
    if (auto stop = parseCommand(p, args, "copy", usage, 2, 2))
        return *stop;
    const auto from = locationArg(p.positionalArguments()[0], "copy");
    const auto to = locationArg(p.positionalArguments()[1], "copy");
    if (!from || !to)
        return kUsageError;

    SignalCancel interrupt;
    const sql::CancelFlag flag = sql::makeCancelFlag();
    interrupt.forward(flag.get());
    CopyProgress progress;
    store::CopyOptions options;
    options.replace = p.isSet(replaceOpt);
    options.appVersion = TT_VERSION;
    options.cancel = flag;
    bool paused = false;
    options.progress = [&](const std::string &table, int64_t done, int64_t total) {
        if (!paused && table == "events" && done > 0) {
            paused = true;
            pauseForTest("copy-events", *flag);
        }
        progress.update(table, done, total);
    };
    store::CopyReport report;
    try {
        report = store::copyCase(*from, *to, options);
    } catch (const store::CopyCancelled &) {
        progress.clear();
        std::fprintf(stderr, "transfertrace copy: cancelled by %s; nothing was written to %s\n", interrupt.signalName(),
            printable(to->redacted()).c_str());
        return interrupt.exitCode();
    } catch (const std::exception &e) {
        progress.clear();
        if (interrupt.caught()) {
            std::fprintf(stderr, "transfertrace copy: cancelled by %s; nothing was written to %s\n",
                interrupt.signalName(), printable(to->redacted()).c_str());
            return interrupt.exitCode();
        }
        std::fprintf(stderr, "transfertrace copy: %s\n", printable(e.what()).c_str());
        return 1;
    }
    progress.clear();
    if (p.isSet(jsonOpt)) {
        writeOutput(
            QJsonDocument(reportJson(report)).toJson(QJsonDocument::Indented).toStdString(), stdout, Escape::Json);
    } else {
        std::string text = "copied " + report.from + " -> " + report.to + ": " + std::to_string(report.rows)
            + " rows in " + humanDuration(report.seconds)
            + (report.seconds > 0 ? " (" + humanCount(double(report.rows) / report.seconds) + " rows/s)" : "")
            + ", verified by row count and SHA-256 per table; the search index is rebuilt on the target, not "
              "copied\n";
        text += renderTable(report);
        writeOutput(text, stdout, Escape::Text);
    }
    if (!report.verified) {
        std::fprintf(stderr,
            "transfertrace copy: the copy differs from %s (see the tables marked DIFFERS); it was rolled back, "
            "nothing was written to %s\n",
            printable(report.from).c_str(), printable(report.to).c_str());
        return 1;
    }
    return 0;
}

int runServer(const QStringList &args)
{
    const char *usage = "transfertrace server grant URL --analyst ROLE | --viewer ROLE [--create]\n"
                        "       transfertrace server revoke URL ROLE";
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Roles on a case on a PostgreSQL server (PostgreSQL's own grants)."));
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("grant or revoke"));
    p.addPositionalArgument(QStringLiteral("url"), QStringLiteral("postgresql://...?case=NAME"));
    p.addPositionalArgument(QStringLiteral("role"), QStringLiteral("revoke: the role"), QStringLiteral("[ROLE]"));
    QCommandLineOption analystOpt(
        QStringLiteral("analyst"), QStringLiteral("Read and write the case."), QStringLiteral("role"));
    QCommandLineOption viewerOpt(
        QStringLiteral("viewer"), QStringLiteral("Read the case only."), QStringLiteral("role"));
    QCommandLineOption createOpt(QStringLiteral("create"),
        QStringLiteral("Create the role (LOGIN) first, with the password read from stdin (first line)."));
    p.addOption(analystOpt);
    p.addOption(viewerOpt);
    p.addOption(createOpt);
    if (auto stop = parseCommand(p, args, "server", usage, 2, 3))
        return *stop;
    const QStringList pos = p.positionalArguments();
    const QString action = pos[0];
    const bool grant = action == QLatin1String("grant");
    if (!grant && action != QLatin1String("revoke")) {
        std::fprintf(stderr, "transfertrace server: unknown action '%s'\nusage: %s\n",
            printable(action.toStdString()).c_str(), usage);
        return kUsageError;
    }
    if (grant && (pos.size() != 2 || p.isSet(analystOpt) == p.isSet(viewerOpt))) {
        std::fprintf(stderr,
            "transfertrace server grant: name the role once, as --analyst ROLE or --viewer ROLE\nusage: %s\n", usage);
        return kUsageError;
    }
    if (!grant && (pos.size() != 3 || p.isSet(analystOpt) || p.isSet(viewerOpt) || p.isSet(createOpt))) {
        std::fprintf(stderr, "usage: %s\n", usage);
        return kUsageError;
    }
    const auto location = locationArg(pos[1], "server");
    if (!location)
        return kUsageError;
    if (location->isFile()) {
        std::fprintf(stderr,
            "transfertrace server: '%s' is a case file; roles are for cases on a server (postgresql://...)\n",
            printable(location->redacted()).c_str());
        return kUsageError;
    }
    const bool viewer = grant && p.isSet(viewerOpt);
    const std::string role = (grant ? (viewer ? p.value(viewerOpt) : p.value(analystOpt)) : pos[2]).toStdString();
    try {
        sql::PgDb db;
        db.open(*location, sql::PgDb::Mode::ReadWrite);
        if (grant && p.isSet(createOpt)) {
            std::string password;
            std::getline(std::cin, password);
            if (!password.empty() && password.back() == '\r')
                password.pop_back();
            store::createPgLoginRole(db, role, password);
            std::printf("created role %s (LOGIN, SCRAM-SHA-256 password)\n", printable(role).c_str());
        }
        if (grant) {
            store::grantPgCase(db, *location, role, viewer ? store::PgCaseRole::Viewer : store::PgCaseRole::Analyst);
            std::printf("granted %s %s access to %s (%s)\n", printable(role).c_str(), viewer ? "viewer" : "analyst",
                printable(location->redacted()).c_str(), viewer ? "read only" : "read and write");
        } else {
            store::revokePgCase(db, *location, role);
            std::printf("revoked every privilege of %s on %s\n", printable(role).c_str(),
                printable(location->redacted()).c_str());
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "transfertrace server %s: %s\n", grant ? "grant" : "revoke", printable(e.what()).c_str());
        return 1;
    }
    return 0;
}

} // namespace tt::app
