#pragma once

// `cmake --install` of this build tree into a fresh temporary prefix, as a packager or `make
// install` would; the tests then look at what landed where a freedesktop.org desktop looks.
#include <QDir>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace tt::test {

inline QString applicationId()
{
    return QStringLiteral("org.transfertrace.TransferTrace");
}

struct InstallTree {
    std::unique_ptr<QTemporaryDir> dir = std::make_unique<QTemporaryDir>();
    QString prefix;
    QString error; // empty when the install worked

    QString share(const QString &rel) const { return prefix + QStringLiteral("/share/") + rel; }
};

inline InstallTree installIntoTemporaryPrefix()
{
    InstallTree t;
    if (!t.dir->isValid()) {
        t.error = QStringLiteral("cannot create a temporary directory: ") + t.dir->errorString();
        return t;
    }
    t.prefix = t.dir->path() + QStringLiteral("/prefix");
    const QString build = qEnvironmentVariable("TT_BINARY_DIR");
    if (build.isEmpty() || !QDir(build).exists()) {
        t.error = QStringLiteral("TT_BINARY_DIR is not set to the build tree");
        return t;
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(
        QStringLiteral(TT_CMAKE_COMMAND), {QStringLiteral("--install"), build, QStringLiteral("--prefix"), t.prefix});
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        t.error = QStringLiteral("cmake --install failed: ") + QString::fromLocal8Bit(p.readAll());
    return t;
}

// Runs PROGRAM ARGS; returns its exit code (-1 when it did not start or finish) and its output.
inline int runTool(const QString &program, const QStringList &args, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool done = p.waitForFinished(120000);
    *output = QString::fromLocal8Bit(p.readAll());
    return done && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// A test case that starts by installing into its own temporary prefix (m_tree).
class InstalledTreeTest : public QObject {
    Q_OBJECT

protected:
    InstallTree m_tree;

private slots:
    void initTestCase()
    {
        m_tree = installIntoTemporaryPrefix();
        QVERIFY2(m_tree.error.isEmpty(), qPrintable(m_tree.error));
    }
};

} // namespace tt::test
