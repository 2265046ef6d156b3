// transfertrace: one executable. A sub-command runs headless (no display needed); no
// sub-command, or a case path, opens the workbench.

#include "CliSupport.h"
#include "Commands.h"
#include "Logging.h"
#include "store/CaseLocation.h"

#include <QApplication>
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {
const char *const kUsage
    = "usage: transfertrace [CASE.ttcase | --demo]          open the workbench\n"
      "       transfertrace import CASE PATH... [--format F] [--json] [--quiet] [--no-infer] [--verbose]\n"
      "       transfertrace info CASE [--json]\n"
      "       transfertrace transfers CASE [--format table|csv|json] [--min-confidence X] [--host H] [--account A]\n"
      "                               [--exclude-benign | --benign-only]\n"
      "       transfertrace spread CASE FILE [--format table|json|dot]   where one file (name, path, hash) went\n"
      "       transfertrace infer CASE                        recompute transfers\n"
      "       transfertrace notes CASE [--json] [--tag T] [--bookmarked] [--kind K] [--text S]\n"
      "       transfertrace meta CASE [--title T] [--analyst A] [--description D] [--tz Z] [--json]\n"
      "       transfertrace export graph|timeline|transfers CASE OUT [--account A] [--parent-image P] [--from T --to "
      "T]\n"
      "                            [--scale S | --dpi D] [--whole]   (.svg .png .pdf .dot / .png .svg / .csv .json)\n"
      "       transfertrace report CASE OUT.html [--pdf OUT.pdf]   self-contained HTML report\n"
      "       transfertrace gen --out DIR | --stdout [--hosts N] [--linux N] [--days D] [--events M] [--seed S]\n"
      "                         [--hops H] [--format jsonl|xml] [--no-sensor] [--zeek-format tsv|json] [--deploy]\n"
      "                         [--procedures] [--platforms] [--enterprise]\n"
      "       transfertrace demo [--case PATH]                 build the demo case, print its path\n"
      "       transfertrace copy FROM TO [--replace] [--json]  case file <-> postgresql://...?case=NAME, verified\n"
      "       transfertrace server grant URL --analyst ROLE | --viewer ROLE [--create]; server revoke URL ROLE\n"
      "       transfertrace --version | --help\n"
      "exit status: 0 done, 1 failed, 2 bad arguments (or some input rejected), 128+N stopped by signal N\n"
      "             (130 SIGINT, 143 SIGTERM, 129 SIGHUP: cancelled cleanly)\n";

// Qt's platform plugins ask for the runtime directory and warn on every run when XDG_RUNTIME_DIR
// is unset (root shells, CI, cron). Give them a private one quietly: ours, 0700, not a symlink.
void ensureRuntimeDir()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    const uid_t uid = ::getuid();
    std::string dir = std::filesystem::temp_directory_path().string() + "/transfertrace-runtime-" + std::to_string(uid);
    struct stat st { };
    if (::mkdir(dir.c_str(), 0700) != 0
        && !(::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid && (st.st_mode & 077) == 0)) {
        std::string templ = std::filesystem::temp_directory_path().string() + "/transfertrace-runtime-XXXXXX";
        if (!::mkdtemp(templ.data()))
            return; // Qt's own fallback (and its warning) then
        dir = templ;
    }
    qputenv("XDG_RUNTIME_DIR", QByteArray::fromStdString(dir));
}

bool isSubcommand(const char *a)
{
    if (std::strcmp(a, "notes") == 0 || std::strcmp(a, "meta") == 0)
        return true;
    if (std::strcmp(a, "copy") == 0 || std::strcmp(a, "server") == 0)
        return true;
    for (const char *c : {"import", "info", "gen", "demo", "infer", "transfers", "spread"})
        if (std::strcmp(a, c) == 0)
            return true;
    return false;
}
} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("transfertrace %s\n", TT_VERSION);
        return 0;
    }
    if (argc >= 2 && (std::strcmp(argv[1], "export") == 0 || std::strcmp(argv[1], "report") == 0)) {
        // Exports paint with the GUI's own code: a QApplication, offscreen unless told otherwise.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        ensureRuntimeDir();
        QApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("TransferTrace"));
        QStringList args = QCoreApplication::arguments();
        const QString cmd = args.at(1);
        args.removeAt(1);
        tt::app::setupLogging(args.contains(QStringLiteral("--verbose")), true);
        return cmd == QLatin1String("export") ? tt::app::runExport(args) : tt::app::runReport(args);
    }
    if (argc >= 2 && isSubcommand(argv[1])) {
        ensureRuntimeDir();
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("TransferTrace"));
        QStringList args = QCoreApplication::arguments();
        const QString cmd = args.at(1);
        args.removeAt(1); // parsers see "transfertrace <options...>"
        tt::app::setupLogging(args.contains(QStringLiteral("--verbose")), true);
        if (cmd == QLatin1String("import"))
            return tt::app::runImport(args);
        if (cmd == QLatin1String("info"))
            return tt::app::runInfo(args);
        if (cmd == QLatin1String("gen"))
            return tt::app::runGen(args);
        if (cmd == QLatin1String("infer"))
            return tt::app::runInfer(args);
        if (cmd == QLatin1String("transfers"))
            return tt::app::runTransfers(args);
        if (cmd == QLatin1String("spread"))
            return tt::app::runSpread(args);
        if (cmd == QLatin1String("copy"))
            return tt::app::runCopy(args);
        if (cmd == QLatin1String("server"))
            return tt::app::runServer(args);
        if (cmd == QLatin1String("notes") || cmd == QLatin1String("meta"))
            return cmd == QLatin1String("notes") ? tt::app::runNotes(args) : tt::app::runMeta(args);
        return tt::app::runDemo(args);
    }
    if (argc >= 2 && argv[1][0] == '-' && std::strcmp(argv[1], "--demo") != 0
        && std::strcmp(argv[1], "--screenshot") != 0 && std::strcmp(argv[1], "--verbose") != 0) {
        std::fprintf(stderr, "transfertrace: unknown option '%s'\n%s", tt::app::printable(argv[1]).c_str(), kUsage);
        return tt::app::kUsageError;
    }
    // A word that is no command opens the workbench only when it names a file (a case); a typo such
    // as `transfertrace frobnicate x` is a usage error, not a window (or a crash without a display).
    // A postgresql:// location opens a server case (issue 13).
    if (argc >= 2 && argv[1][0] != '-' && !std::filesystem::is_regular_file(argv[1])
        && !tt::store::CaseLocation::looksLikeUrl(argv[1])) {
        std::fprintf(stderr, "transfertrace: '%s' is neither a command nor an existing case file\n%s",
            tt::app::printable(argv[1]).c_str(), kUsage);
        return tt::app::kUsageError;
    }
    ensureRuntimeDir();
    return tt::app::runGui(argc, argv);
}
