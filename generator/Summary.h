#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace tt::gen {

// What generate() wrote. error is empty on success.
struct Summary {
    int64_t eventsWritten = 0;
    int hosts = 0;
    int transfers = 0; // labelled transfers (attack + benign-admin; ingress not counted)
    QStringList files; // per-host event files (absolute paths), in host order: Windows hosts' event files,
                       // then each Linux host's audit.log and auth.log, then the sensor's zeek/*.log
    // Files that name no host (macOS eslogger / unified-log exports): import each with --host
    // NAME; (file, NAME) pairs, not in `files`.
    QList<QPair<QString, QString>> hostFiles;
    QString groundTruthPath; // ground_truth.json
    QString error;
};

} // namespace tt::gen
