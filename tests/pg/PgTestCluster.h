#pragma once

// A throw-away PostgreSQL server for one test process (issue 13 item 7): initdb + pg_ctl in a new
// directory under /tmp, listening only on a unix socket in that directory (no TCP), removed by
// the destructor. A server that was running before is never used (the PG* environment is
// cleared too).
//
// Root (CI and the developers' machines run tests as root): initdb refuses root, so the server
// runs as `nobody` through setpriv(1) (util-linux, always installed): no system account is
// created, and no PAM session is needed as with runuser / su. The directory is chowned to it.
//
// A crashed, aborted or killed test must not leave a server behind: a reaper process forked
// before anything starts (detached: ctest's kill of a timed-out test's process tree misses it)
// waits for the end of a pipe only this process holds (close-on-exec, so neither the server nor
// other children inherit it), then stops the server and removes the directory. Cost measured on the CI machine:
// about 1.7 s for initdb, 0.15 s start, 0.01 s stop.

#include <QByteArray>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <pwd.h>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tt::test {

class PgTestCluster {
public:
    static constexpr const char *kSuperuser = "tt";

    PgTestCluster() = default;
    ~PgTestCluster() { stop(); }
    PgTestCluster(const PgTestCluster &) = delete;
    PgTestCluster &operator=(const PgTestCluster &) = delete;

    // Creates and starts the cluster. False with error() set when something is missing or fails.
    bool start()
    {
        QElapsedTimer timer;
        timer.start();
        for (const char *var : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE",
                 "PGSERVICEFILE", "PGPASSFILE", "PGOPTIONS", "PGSSLMODE"})
            unsetenv(var);
        m_bin = binDir();
        if (m_bin.isEmpty())
            return failWith(
                QStringLiteral("no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin): "
                               "scripts/setup.sh installs postgresql-15"));
        if (geteuid() == 0) {
            const passwd *pw = getpwnam("nobody");
            if (!pw)
                return failWith(QStringLiteral("running as root and there is no user 'nobody' to run the server as"));
            m_uid = pw->pw_uid;
            m_gid = pw->pw_gid;
        }
        char pattern[] = "/tmp/tt-pg-XXXXXX";
        if (!mkdtemp(pattern))
            return failWith(QStringLiteral("mkdtemp: %1").arg(QString::fromLocal8Bit(strerror(errno))));
        m_dir = QString::fromLocal8Bit(pattern);
        startReaper();
        if (m_uid != uid_t(-1) && chown(pattern, m_uid, m_gid) != 0)
            return failWith(QStringLiteral("chown %1: %2").arg(m_dir, QString::fromLocal8Bit(strerror(errno))));
        if (!run(QStringLiteral("initdb"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QString::fromLatin1(kSuperuser),
                    QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                    QStringLiteral("--no-locale"), QStringLiteral("--no-sync")}))
            return false;
        m_initSeconds = double(timer.elapsed()) / 1000;
        // The superuser needs no password; every other role does (auth failures are testable).
        std::ofstream(dataDir().toStdString() + "/pg_hba.conf", std::ios::trunc)
            << "local all " << kSuperuser << " trust\nlocal all all scram-sha-256\n";
        timer.restart();
        const QString options
            = QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' -c fsync=off "
                             "-c full_page_writes=off -c synchronous_commit=off -c max_connections=30 "
                             "-c shared_buffers=16MB")
                  .arg(m_dir);
        if (!run(QStringLiteral("pg_ctl"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-l"), m_dir + QStringLiteral("/server.log"),
                    QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("120"), QStringLiteral("-s"),
                    QStringLiteral("-o"), options, QStringLiteral("start")}))
            return false;
        m_running = true;
        m_startSeconds = double(timer.elapsed()) / 1000;
        return true;
    }

    void stop()
    {
        if (m_running)
            run(QStringLiteral("pg_ctl"),
                {QStringLiteral("-D"), dataDir(), QStringLiteral("-m"), QStringLiteral("immediate"),
                    QStringLiteral("-s"), QStringLiteral("stop")});
        m_running = false;
        if (!m_dir.isEmpty())
            QDir(m_dir).removeRecursively();
        m_dir.clear();
        if (m_reaperPipe >= 0) { // the reaper finds nothing left to do and exits
            ::close(m_reaperPipe);
            m_reaperPipe = -1;
        }
    }

    const QString &error() const { return m_error; }
    const QString &socketDir() const { return m_dir; }
    bool running() const { return m_running; }
    double initSeconds() const { return m_initSeconds; }
    double startSeconds() const { return m_startSeconds; }

    // A case location on this server: the superuser (no password) unless `user` is given.
    std::string url(const std::string &caseName, const std::string &database = "postgres",
        const std::string &userInfo = kSuperuser) const
    {
        return "postgresql://" + userInfo + "@/" + database + "?case=" + caseName + "&host=" + m_dir.toStdString();
    }

private:
    QString dataDir() const { return m_dir + QStringLiteral("/data"); }

    bool failWith(const QString &message)
    {
        m_error = message;
        return false;
    }

    static QString binDir()
    {
        QStringList candidates;
        QProcess pgConfig;
        pgConfig.start(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
        if (pgConfig.waitForFinished(30000) && pgConfig.exitCode() == 0)
            candidates << QString::fromLocal8Bit(pgConfig.readAllStandardOutput()).trimmed();
        // pg_config comes with libpq-dev and may name a client-only directory: try the servers.
        QDir versions(QStringLiteral("/usr/lib/postgresql"));
        const QStringList found = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed);
        for (const QString &v : found)
            candidates << versions.filePath(v + QStringLiteral("/bin"));
        for (const QString &dir : candidates)
            if (QFileInfo::exists(dir + QStringLiteral("/initdb"))
                && QFileInfo::exists(dir + QStringLiteral("/pg_ctl")))
                return dir;
        return {};
    }

    // Runs a server binary (as `nobody` when we are root) in the cluster directory.
    bool run(const QString &tool, const QStringList &args)
    {
        QProcess p;
        p.setWorkingDirectory(m_dir);
        p.setProcessChannelMode(QProcess::MergedChannels);
        const QString exe = m_bin + QLatin1Char('/') + tool;
        if (m_uid != uid_t(-1))
            p.start(QStringLiteral("setpriv"),
                QStringList {QStringLiteral("--reuid=%1").arg(m_uid), QStringLiteral("--regid=%1").arg(m_gid),
                    QStringLiteral("--clear-groups"), QStringLiteral("--"), exe}
                    + args);
        else
            p.start(exe, args);
        if (!p.waitForFinished(180000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            QString log;
            if (QFile f(m_dir + QStringLiteral("/server.log")); f.open(QIODevice::ReadOnly))
                log = QString::fromLocal8Bit(f.readAll().right(2000));
            return failWith(QStringLiteral("%1 failed (exit %2): %3%4")
                                .arg(tool)
                                .arg(p.exitCode())
                                .arg(QString::fromLocal8Bit(p.readAll()),
                                    log.isEmpty() ? QString() : QStringLiteral("\nserver.log: ") + log));
        }
        return true;
    }

    void startReaper()
    {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            return;
        const std::string dir = m_dir.toStdString();
        // Everything the child needs is built before fork(): it only calls read, close and execv.
        const std::string pgCtl = "'" + m_bin.toStdString() + "/pg_ctl' -D '" + dir + "/data' -m immediate -s stop";
        const std::string asServer = m_uid == uid_t(-1)
            ? std::string()
            : "setpriv --reuid=" + std::to_string(m_uid) + " --regid=" + std::to_string(m_gid) + " --clear-groups -- ";
        const std::string script = "(" + asServer + pgCtl + "; rm -rf '" + dir + "') >/dev/null 2>&1";
        // Forked twice and in a session of its own: the reaper is nobody's child, so neither a
        // process-group kill nor ctest's kill of a timed-out test's process tree reaches it.
        const pid_t pid = fork();
        if (pid == 0) {
            ::close(fds[1]);
            setsid();
            if (fork() != 0)
                _exit(0);
            char byte;
            while (::read(fds[0], &byte, 1) != 0 && errno == EINTR) { }
            const char *argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
            execv("/bin/sh", const_cast<char *const *>(argv));
            _exit(127);
        }
        ::close(fds[0]);
        if (pid < 0) {
            ::close(fds[1]);
            return;
        }
        waitpid(pid, nullptr, 0); // the intermediate child exits at once
        m_reaperPipe = fds[1];
    }

    QString m_bin, m_dir, m_error;
    uid_t m_uid = uid_t(-1);
    gid_t m_gid = gid_t(-1);
    bool m_running = false;
    int m_reaperPipe = -1;
    double m_initSeconds = 0, m_startSeconds = 0;
};

} // namespace tt::test
