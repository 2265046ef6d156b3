#include "CliSupport.h"
#include "Commands.h"
#include "Demo.h"

#include "core/ImportEngine.h"
#include "generator/Generator.h"
#include "inference/InferenceEngine.h"
#include "store/CaseMaintenance.h"
#include "store/CaseStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

#include <cstdio>

namespace tt::app {

namespace {
// The demo scenario: a small domain with an attacker moving tools over four hops.
gen::Options demoOptions(const QString &outDir)
{
    gen::Options o;
    o.hosts = 14;
    o.days = 2;
    o.events = 40000;
    o.seed = 1570; // T1570
    o.attackerHops = 5;
    o.linuxHosts = 3; // web, build, db: the attacker reaches them over SSH; the sensor sees the SMB hops
    o.sensor = true;
    o.outDir = outDir;
    return o;
}
} // namespace

std::string ensureDemoCase(const std::string &casePathIn, std::string *error)
{
    QString casePath = QString::fromStdString(casePathIn);
    if (casePath.isEmpty())
        casePath = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
            + QStringLiteral("/demo/demo-") + QStringLiteral(TT_VERSION) + QStringLiteral(".ttcase");
    // Kept between runs, but rebuilt by a newer build: importers and inference evolve, and the
    // demo must show what this build does.
    const QFileInfo existing(casePath);
    const QFileInfo self(QCoreApplication::applicationFilePath());
    if (existing.exists() && (!self.exists() || existing.lastModified() >= self.lastModified()))
        return casePath.toStdString();
    // Never leave an old WAL beside the new file: SQLite would apply it to the new database.
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(casePath + QLatin1String(suffix));
    const QString dir = QFileInfo(casePath).absolutePath();
    const QString telemetry = dir + QStringLiteral("/telemetry");
    QDir(telemetry).removeRecursively();
    if (!QDir().mkpath(telemetry)) {
        *error = "cannot create " + telemetry.toStdString();
        return {};
    }
    spdlog::info("building the demo case in {}", casePath.toStdString());
    const gen::Summary g = gen::generate(demoOptions(telemetry));
    if (!g.error.isEmpty()) {
        *error = "generator: " + g.error.toStdString();
        return {};
    }
    // Build beside the final name and rename, so a half-built demo case never appears.
    const QString tmp = casePath + QStringLiteral(".building");
    QFile::remove(tmp);
    QFile::remove(tmp + QStringLiteral("-wal"));
    QFile::remove(tmp + QStringLiteral("-shm"));
    try {
        auto cs = store::CaseStore::open(tmp.toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        std::vector<std::string> files; // the host logs; ground_truth.json is not telemetry
        for (const QString &f : g.files)
            files.push_back(f.toStdString());
        ImportSummary sum = engine.run(files);
        if (sum.stored() == 0) {
            *error = "the demo telemetry imported no events";
            return {};
        }
        inference::InferenceEngine(*cs).run();
        store::checkpoint(*cs);
    } catch (const std::exception &e) {
        *error = e.what();
        return {};
    }
    QFile::remove(tmp + QStringLiteral("-wal"));
    QFile::remove(tmp + QStringLiteral("-shm"));
    if (!QFile::rename(tmp, casePath)) {
        *error = "cannot move the demo case into place at " + casePath.toStdString();
        return {};
    }
    return casePath.toStdString();
}

int runDemo(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Build the built-in demo case (if missing) and print its path."));
    p.addHelpOption();
    QCommandLineOption caseOpt(QStringLiteral("case"), QStringLiteral("Where to build it."), QStringLiteral("PATH"));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    p.addOptions({caseOpt, verboseOpt});
    if (!p.parse(args)) {
        std::fprintf(stderr, "transfertrace demo: %s\n", qPrintable(p.errorText()));
        return kUsageError;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return 0;
    }
    std::string error;
    const std::string path = ensureDemoCase(p.value(caseOpt).toStdString(), &error);
    if (path.empty()) {
        std::fprintf(stderr, "transfertrace demo: %s\n", error.c_str());
        return 1;
    }
    std::printf("%s\n", path.c_str());
    return 0;
}

int runGen(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Write a generated multi-host lateral-movement recording (through the "
                                               "real import formats) and its ground truth."));
    p.addHelpOption();
    QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR"));
    QCommandLineOption hostsOpt(QStringLiteral("hosts"),
        QStringLiteral("Windows hosts (2-%1).").arg(gen::Options::kMaxHosts), QStringLiteral("N"),
        QStringLiteral("12"));
    QCommandLineOption daysOpt(
        QStringLiteral("days"), QStringLiteral("Days recorded."), QStringLiteral("D"), QStringLiteral("1"));
    QCommandLineOption eventsOpt(
        QStringLiteral("events"), QStringLiteral("Events in total."), QStringLiteral("M"), QStringLiteral("20000"));
    QCommandLineOption seedOpt(
        QStringLiteral("seed"), QStringLiteral("Random seed."), QStringLiteral("S"), QStringLiteral("1"));
    QCommandLineOption hopsOpt(
        QStringLiteral("hops"), QStringLiteral("Attacker transfers."), QStringLiteral("H"), QStringLiteral("4"));
    QCommandLineOption formatOpt(
        QStringLiteral("format"), QStringLiteral("jsonl or xml."), QStringLiteral("F"), QStringLiteral("jsonl"));
    QCommandLineOption linuxOpt(QStringLiteral("linux"),
        QStringLiteral("Linux servers beside the Windows hosts (0-200)."), QStringLiteral("N"), QStringLiteral("3"));
    QCommandLineOption noSensorOpt(QStringLiteral("no-sensor"), QStringLiteral("No Zeek sensor logs."));
    QCommandLineOption zeekOpt(QStringLiteral("zeek-format"), QStringLiteral("Zeek logs as tsv or json."),
        QStringLiteral("F"), QStringLiteral("tsv"));
    QCommandLineOption deployOpt(QStringLiteral("deploy"),
        QStringLiteral("Add benign deployment-tool pushes (SCCM, PDQ, Ansible) and a cloud-synced file."));
    QCommandLineOption proceduresOpt(QStringLiteral("procedures"),
        QStringLiteral("Add remote-procedure transfers the attack chain does not make (PowerShell remoting copies)."));
    QCommandLineOption platformsOpt(QStringLiteral("platforms"),
        QStringLiteral("Add ESXi hosts and Macs with transfers into them (scp, hostd uploads, wget, curl); the Macs' "
                       "logs name no host: import each with --host NAME (printed)."));
    QCommandLineOption enterpriseOpt(QStringLiteral("enterprise"),
        QStringLiteral("Enterprise identity problems: workstations cloned from three images (shared machine SID, one "
                       "local admin name the attacker uses), DHCP churn between days (with --days 2 or more), a "
                       "VPN pool re-assigned every morning, two jump servers, and a deployment server pushing one "
                       "package to every workstation (up to 400) with attacker hops beside it."));
    QCommandLineOption verboseOpt(QStringLiteral("verbose"), QStringLiteral("Log details on the console."));
    QCommandLineOption stdoutOpt(QStringLiteral("stdout"),
        QStringLiteral("Stream the Windows hosts' JSON lines to standard output, one host after another, instead of "
                       "--out (no Linux hosts, no sensor, no ground truth): transfertrace gen --stdout | "
                       "transfertrace import CASE -"));
    p.addOptions({outOpt, hostsOpt, daysOpt, eventsOpt, seedOpt, hopsOpt, formatOpt, linuxOpt, noSensorOpt, zeekOpt,
        deployOpt, proceduresOpt, platformsOpt, enterpriseOpt, verboseOpt, stdoutOpt});
    if (!p.parse(args)) {
        std::fprintf(stderr, "transfertrace gen: %s\n", qPrintable(p.errorText()));
        return kUsageError;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return 0;
    }
    const bool toStdout = p.isSet(stdoutOpt);
    if (p.isSet(outOpt) == toStdout) {
        std::fprintf(stderr, "transfertrace gen: --out DIR or --stdout is required (one of them)\n");
        return kUsageError;
    }
    gen::Options o;
    bool ok1, ok2, ok3, ok4, ok5, ok6;
    o.outDir = p.value(outOpt);
    o.hosts = p.value(hostsOpt).toInt(&ok1);
    o.days = p.value(daysOpt).toInt(&ok2);
    o.events = p.value(eventsOpt).toLongLong(&ok3);
    o.seed = p.value(seedOpt).toULongLong(&ok4);
    o.attackerHops = p.value(hopsOpt).toInt(&ok5);
    o.linuxHosts = p.value(linuxOpt).toInt(&ok6);
    o.sensor = !p.isSet(noSensorOpt);
    o.deployment = p.isSet(deployOpt);
    o.procedures = p.isSet(proceduresOpt);
    o.platforms = p.isSet(platformsOpt);
    o.enterprise = p.isSet(enterpriseOpt);
    const QString zfmt = p.value(zeekOpt);
    o.zeekJson = zfmt == QLatin1String("json");
    const QString fmt = p.value(formatOpt);
    if (!(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || (fmt != QLatin1String("jsonl") && fmt != QLatin1String("xml"))
        || (zfmt != QLatin1String("tsv") && zfmt != QLatin1String("json"))) {
        std::fprintf(stderr, "transfertrace gen: invalid number or format\n");
        return kUsageError;
    }
    o.format = fmt == QLatin1String("xml") ? gen::Options::Format::EventXml : gen::Options::Format::JsonLines;
    if (toStdout && (fmt != QLatin1String("jsonl") || (o.linuxHosts != 0 && p.isSet(linuxOpt)) || p.isSet(zeekOpt))) {
        std::fprintf(stderr,
            "transfertrace gen: --stdout streams Windows JSON lines only (no --format xml, --linux, "
            "--zeek-format)\n");
        return kUsageError;
    }
    o.stream = toStdout ? stdout : nullptr;
    const gen::Summary s = gen::generate(o);
    if (toStdout) {
        if (!s.error.isEmpty() || std::fflush(stdout) != 0) {
            std::fprintf(stderr, "transfertrace gen: %s\n",
                s.error.isEmpty() ? "cannot write to standard output" : qPrintable(s.error));
            return 1;
        }
        std::fprintf(stderr, "%lld events on %d hosts streamed\n", static_cast<long long>(s.eventsWritten), s.hosts);
        return 0;
    }
    if (!s.error.isEmpty()) {
        std::fprintf(stderr, "transfertrace gen: %s\n", qPrintable(s.error));
        return 1;
    }
    std::printf("%lld events on %d hosts, %d labelled transfers, %lld files; ground truth: %s\n",
        static_cast<long long>(s.eventsWritten), s.hosts, s.transfers, static_cast<long long>(s.files.size()),
        qPrintable(s.groundTruthPath));
    for (const auto &[file, host] : s.hostFiles)
        std::printf("names no host: transfertrace import CASE %s --host %s (before importing the folder)\n",
            qPrintable(file), qPrintable(host));
    return 0;
}

} // namespace tt::app
