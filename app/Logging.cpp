#include "Logging.h"

#include <QDir>
#include <QStandardPaths>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace tt::app {

std::string setupLogging(bool verbose, bool console)
{
    std::vector<spdlog::sink_ptr> sinks;
    std::string logPath;
    const QString dir
        = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/logs");
    if (QDir().mkpath(dir)) {
        logPath = QString(dir + QStringLiteral("/transfertrace.log")).toStdString();
        try {
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(logPath, 5 * 1024 * 1024, 3);
            file->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
            sinks.push_back(file);
        } catch (const spdlog::spdlog_ex &) {
            logPath.clear(); // an unwritable log must not stop the tool
        }
    }
    if (console || verbose) {
        auto err = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        err->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
        sinks.push_back(err);
    }
    auto logger = std::make_shared<spdlog::logger>("tt", sinks.begin(), sinks.end());
    logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    return logPath;
}

} // namespace tt::app
