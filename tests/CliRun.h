#pragma once

// Runs the built `transfertrace` (TT_BINARY_DIR/app/transfertrace) as the CLI tests do.

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace tt::test {

struct Run {
    int code = -1; // -1: did not finish in time
    QByteArray out, err;
};

inline Run cli(const QStringList &args, int timeoutMs = 180000)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("TT_BINARY_DIR")) + QStringLiteral("/app/transfertrace"));
    p.setArguments(args);
    p.start();
    if (!p.waitForFinished(timeoutMs))
        return {};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace tt::test
