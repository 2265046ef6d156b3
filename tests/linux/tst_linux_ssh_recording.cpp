// A real recording: record_ssh.sh runs a private sshd (LogLevel VERBOSE, sftp-server -l INFO)
// in one network namespace and scp, scp -O, sftp -b and rsync -e ssh in another, joined by a veth
// pair; this test is the syslog daemon (sshd logs through /dev/log, bound to our socket in sshd's
// mount namespace) and writes what arrives as rsyslog would (RFC 3339 precise and RFC 3164
// traditional). The log is imported with a client-side audit log written for the recorded
// commands, and the sshd events and the four transfers are checked against what the real programs
// wrote. Exits 77 (skipped) when the machine cannot do it: not root, no netns, sshd / scp / rsync
// missing. TT_RECORD_OUT=dir keeps the capture (tests/fixtures/linux/recorded-*).

#include "SshRecording.h"
#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/ImportEngine.h"
#include "core/TimeUtil.h"
#include "linux/SyslogAuthParser.h"
#include "store/CaseStore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace tt;

namespace {
struct Datagram {
    int64_t us;
    std::string text;
};

int64_t nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool writeFile(const QString &path, const std::string &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(data.data(), qint64(data.size())) == qint64(data.size());
}

std::string readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray b = f.readAll();
    return std::string(b.constData(), size_t(b.size()));
}
} // namespace

class TstLinuxSshRecording : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_fd = -1;
    std::atomic<bool> m_stop {false};
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<Datagram> m_got;

    void receive()
    {
        char buf[65536];
        while (!m_stop) {
            pollfd p {m_fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                continue;
            std::lock_guard<std::mutex> lock(m_mutex);
            m_got.push_back({nowUs(), std::string(buf, size_t(n))});
        }
    }

private slots:
    void recordAndInfer()
    {
        QVERIFY(m_dir.isValid());
        const QString work = m_dir.filePath(QStringLiteral("w"));
        QVERIFY(QDir().mkpath(work));
        const std::string sock = m_dir.filePath(QStringLiteral("log.sock")).toStdString();
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        QVERIFY(m_fd >= 0);
        sockaddr_un addr {};
        addr.sun_family = AF_UNIX;
        QVERIFY(sock.size() < sizeof addr.sun_path);
        std::memcpy(addr.sun_path, sock.c_str(), sock.size() + 1);
        QVERIFY(::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
        m_thread = std::thread([this] { receive(); });

        QProcess rec;
        rec.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        rec.start(QStringLiteral("bash"), {QStringLiteral(TT_RECORD_SCRIPT), work, QString::fromStdString(sock)});
        const bool finished = rec.waitForFinished(120000);
        QThread::msleep(300); // the last datagrams
        m_stop = true;
        m_thread.join();
        ::close(m_fd);
        QVERIFY(finished);
        if (rec.exitCode() == 77) {
            std::fprintf(stderr, "SKIP: record_ssh.sh cannot record here (see its message above)\n");
            std::fflush(stderr);
            std::_Exit(77);
        }
        QCOMPARE(rec.exitCode(), 0);

        // What sshd sent: "<PRI>Mmm dd hh:mm:ss sshd[pid]: message" (glibc syslog(3), local time).
        std::string precise, traditional;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            for (const Datagram &d : m_got) {
                std::string_view s = d.text;
                const auto gt = s.find('>');
                if (s.empty() || s[0] != '<' || gt == std::string_view::npos || s.size() < gt + 17)
                    continue;
                s.remove_prefix(gt + 1);
                const std::string_view stamp = s.substr(0, 15), rest = s.substr(16);
                std::string iso = timeutil::formatIsoUtc(d.us);
                iso.pop_back(); // 'Z'
                precise += iso + "+00:00 " + sshrec::kServerHost + " " + std::string(rest) + "\n";
                traditional += std::string(stamp) + " " + sshrec::kServerHost + " " + std::string(rest) + "\n";
            }
        }
        QVERIFY(precise.find("Accepted publickey for root from 10.213.0.1") != std::string::npos);
        const QString authLog = m_dir.filePath(QStringLiteral("auth.log"));
        const QString clientLog = m_dir.filePath(QStringLiteral("client-audit.log"));
        QVERIFY(writeFile(authLog, precise));
        const auto commands = sshrec::readClientTsv(readFile(work + QStringLiteral("/client.tsv")));
        QCOMPARE(commands.size(), size_t(4));
        QVERIFY(writeFile(clientLog, sshrec::clientAuditLog(commands, int64_t(::getpid()), work.toStdString())));
        if (const QByteArray out = qgetenv("TT_RECORD_OUT"); !out.isEmpty()) {
            QVERIFY(writeFile(QString::fromLocal8Bit(out) + QStringLiteral("/recorded-auth.log"), precise));
            QVERIFY(writeFile(
                QString::fromLocal8Bit(out) + QStringLiteral("/recorded-client-audit.log"), readFile(clientLog)));
        }

        // The traditional (RFC 3164) spelling of the same lines reads to the same events.
        {
            SyslogAuthParser p;
            test::CollectingSink a, b;
            MemorySource sa(precise), sb(traditional);
            QVERIFY(p.parse(sa, a));
            QVERIFY(p.parse(sb, b));
            QCOMPARE(a.events.size(), b.events.size());
            for (size_t i = 0; i < a.events.size(); ++i) {
                QCOMPARE(a.events[i].eventId, b.events[i].eventId);
                QCOMPARE(a.events[i].channel, b.events[i].channel);
            }
        }

        auto cs = store::CaseStore::open(
            m_dir.filePath(QStringLiteral("rec.ttcase")).toStdString(), store::CaseStore::Access::Create);
        ImportEngine engine(*cs, {});
        const ImportSummary s = engine.run({authLog.toStdString(), clientLog.toStdString()});
        QCOMPARE(s.count(FileReport::Status::Imported), size_t(2));
        QCOMPARE(s.rejected(), int64_t(0));
        sshrec::checkRecordedCase(*cs);
    }
};

QTEST_GUILESS_MAIN(TstLinuxSshRecording)
#include "tst_linux_ssh_recording.moc"
