// The installed desktop files through the tools a distribution runs on them: desktop-file-validate
// (desktop-file-utils), appstreamcli validate (appstream) and update-mime-database
// (shared-mime-info, what dpkg's trigger runs). Exits 77 (ctest: skipped, never passed) when one of
// the tools is missing; scripts/setup.sh installs them.
#include "InstallTree.h"

#include <QCoreApplication>
#include <QFile>
#include <QStandardPaths>
#include <QTest>

#include <cstdio>

using namespace tt::test;

class TstInstallValidate : public InstalledTreeTest {
    Q_OBJECT

private slots:
    void desktopFileValidate()
    {
        QString out;
        const QString path
            = m_tree.share(QStringLiteral("applications/") + applicationId() + QStringLiteral(".desktop"));
        QVERIFY2(runTool(QStringLiteral("desktop-file-validate"), {path}, &out) == 0, qPrintable(out));
        // Hints are printed but do not fail the tool: ours has none.
        QVERIFY2(out.trimmed().isEmpty(), qPrintable(out));
    }

    void appstreamValidate()
    {
        QString out;
        const QString path
            = m_tree.share(QStringLiteral("metainfo/") + applicationId() + QStringLiteral(".metainfo.xml"));
        QVERIFY2(runTool(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"), path},
                     &out)
                == 0,
            qPrintable(out));
    }

    void updateMimeDatabase()
    {
        QString out;
        const QString mimeDir = m_tree.share(QStringLiteral("mime"));
        QVERIFY2(runTool(QStringLiteral("update-mime-database"), {QStringLiteral("-V"), mimeDir}, &out) == 0,
            qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("rror")) && !out.contains(QLatin1String("arning")), qPrintable(out));
        // The compiled type, as a desktop reads it.
        QFile type(mimeDir + QStringLiteral("/application/x-transfertrace-case.xml"));
        QVERIFY(type.open(QIODevice::ReadOnly));
        QVERIFY(type.readAll().contains("<glob pattern=\"*.ttcase\""));
        QFile globs(mimeDir + QStringLiteral("/globs2"));
        QVERIFY(globs.open(QIODevice::ReadOnly));
        QVERIFY(globs.readAll().contains("application/x-transfertrace-case:*.ttcase"));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    for (const char *tool : {"desktop-file-validate", "appstreamcli", "update-mime-database"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()) {
            std::fprintf(stderr, "SKIP: %s is not installed (scripts/setup.sh installs it)\n", tool);
            return 77;
        }
    }
    TstInstallValidate t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_install_validate.moc"
