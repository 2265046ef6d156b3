#pragma once

// Builders for NXLog / Logstash JSON lines (the Mordor shape of tests/core/EngineFixtures.cpp)
// for the inference tests: Security, System and Sysmon records of small scenarios. EventTime is
// written in UTC and @timestamp a second later, so the importer learns a zero offset.

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "inference/TransferQuery.h"

namespace tt::store {
class CaseStore;
}

namespace fixtures {

using Fields = std::initializer_list<std::pair<const char *, QString>>;

// Milliseconds since the epoch of 2024-03-04 10:00:00 UTC plus the given seconds.
qint64 at(double seconds);

QByteArray security(const char *host, int eventId, qint64 utcMs, Fields fields);
QByteArray system(const char *host, int eventId, qint64 utcMs, Fields fields);
QByteArray sysmon(const char *host, int eventId, qint64 utcMs, Fields fields);
// Any other channel (Bits-Client, PowerShell, WinRM operational logs).
QByteArray event(const char *host, int eventId, qint64 utcMs, const char *channel, const char *provider, Fields fields);

// Common records.
QByteArray logon(const char *host, qint64 ms, const char *ip, int port, const char *logonId, int type = 3,
    const char *domain = "CORP", const char *user = "admin");
QByteArray shareOpen(const char *host, qint64 ms, const char *ip, int port, const char *logonId, const char *share,
    const char *localPath);
QByteArray shareCheck(const char *host, qint64 ms, const char *ip, int port, const char *logonId, const char *share,
    const char *localPath, const char *relative, const char *mask);
QByteArray netConnect(const char *host, qint64 ms, bool initiated, const char *srcIp, int srcPort, const char *dstIp,
    int dstPort, const char *image = "System");
QByteArray fileCreate(const char *host, qint64 ms, const char *image, const char *path, int pid = 4);
QByteArray process(const char *host, qint64 ms, const char *guid, int pid, const char *image, const char *cmd,
    const char *user = "CORP\\admin", const char *logonId = "0x5000",
    const char *parentImage = "C:\\Windows\\explorer.exe");
QByteArray service(const char *host, qint64 ms, const char *name, const char *imagePath);

// Small cases in a temporary folder, imported through the real ImportEngine.
class CaseFactory {
public:
    // The lines written to a file and imported; nullptr when nothing was stored.
    std::unique_ptr<tt::store::CaseStore> fromLines(const QByteArray &lines);
    std::unique_ptr<tt::store::CaseStore> fromFile(const QString &input);

private:
    QTemporaryDir m_dir;
    int m_n = 0;
};

// Runs inference and lists every transfer.
std::vector<tt::inference::TransferRow> inferTransfers(tt::store::CaseStore &cs);

} // namespace fixtures
