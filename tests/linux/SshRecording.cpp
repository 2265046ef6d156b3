#include "SshRecording.h"

#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "linux/AuditParser.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QTest>

#include <cstdio>
#include <sstream>

namespace sshrec {

namespace {
std::string hex(std::string_view s)
{
    std::string out;
    char b[3];
    for (unsigned char c : s) {
        std::snprintf(b, sizeof b, "%02X", c);
        out += b;
    }
    return out;
}

std::string stamp(int64_t us, int64_t serial)
{
    char b[64];
    std::snprintf(b, sizeof b, "msg=audit(%lld.%03lld:%lld):", static_cast<long long>(us / 1000000),
        static_cast<long long>((us / 1000) % 1000), static_cast<long long>(serial));
    return b;
}

bool needsHex(const std::string &a)
{
    for (unsigned char c : a)
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'')
            return true;
    return a.empty();
}

void execve(std::string &out, int64_t us, int64_t serial, int64_t pid, int64_t ppid, const std::string &exe,
    const std::vector<std::string> &argv, const std::string &cwd)
{
    const std::string pre = std::string("node=") + kClientHost + " ";
    const std::string st = stamp(us, serial);
    std::string comm = exe.substr(exe.rfind('/') + 1);
    out += pre + "type=SYSCALL " + st
        + " arch=c000003e syscall=59 success=yes exit=0 a0=55e4b9a0c2d0 a1=55e4b9a0c3f0 "
          "a2=55e4b9a0c480 a3=8 items=2 ppid="
        + std::to_string(ppid) + " pid=" + std::to_string(pid)
        + " auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=4 comm=\"" + comm + "\" exe=\""
        + exe + "\" subj=unconfined key=\"exec\"\n";
    out += pre + "type=EXECVE " + st + " argc=" + std::to_string(argv.size());
    for (size_t i = 0; i < argv.size(); ++i)
        out += " a" + std::to_string(i) + "=" + (needsHex(argv[i]) ? hex(argv[i]) : "\"" + argv[i] + "\"");
    out += "\n";
    out += pre + "type=CWD " + st + " cwd=\"" + cwd + "\"\n";
    out += pre + "type=PATH " + st + " item=0 name=\"" + exe
        + "\" inode=2229104 dev=fd:01 mode=0100755 ouid=0 ogid=0 "
          "rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n";
    std::string title;
    for (size_t i = 0; i < argv.size(); ++i) {
        if (i)
            title.push_back('\0');
        title += argv[i];
    }
    if (title.size() > 128)
        title.resize(128);
    out += pre + "type=PROCTITLE " + st + " proctitle=" + hex(title) + "\n";
    out += pre + "type=EOE " + st + "\n";
}
} // namespace

std::vector<ClientCommand> readClientTsv(const std::string &text)
{
    std::vector<ClientCommand> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
        if (t1 == std::string::npos || t2 == std::string::npos)
            continue;
        ClientCommand c;
        c.startUs = std::stoll(line.substr(0, t1));
        c.pid = std::stoll(line.substr(t1 + 1, t2 - t1 - 1));
        std::string rest = line.substr(t2 + 1);
        size_t start = 0;
        while (start <= rest.size()) {
            const auto sep = rest.find('\x1f', start);
            c.argv.push_back(rest.substr(start, sep == std::string::npos ? std::string::npos : sep - start));
            if (sep == std::string::npos)
                break;
            start = sep + 1;
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string clientAuditLog(const std::vector<ClientCommand> &commands, int64_t shellPid, const std::string &cwd)
{
    std::string out;
    int64_t serial = 4100;
    for (const ClientCommand &c : commands) {
        if (c.argv.empty())
            continue;
        const std::string tool = c.argv[0];
        execve(out, c.startUs, ++serial, c.pid, shellPid, "/usr/bin/" + tool, c.argv, cwd);
        // The ssh transport it starts (argv as scp / sftp / rsync build it).
        std::vector<std::string> ssh = {"/usr/bin/ssh", "-x", "-oPermitLocalCommand=no", "-oClearAllForwardings=yes",
            "-oRemoteCommand=none", "-oRequestTTY=no", "-oForwardAgent=no", "-l", "root", "--", kServerIp};
        if (tool == "rsync")
            ssh = {"ssh", "-l", "root", kServerIp, "rsync", "--server", "-logDtpre.iLsfxCIvu", ".", "recv/"};
        else if (tool == "scp" && c.argv.size() > 1 && c.argv[1] == "-O")
            ssh.emplace_back("scp -t recv/");
        else
            ssh.insert(ssh.end(), {"-s", "sftp"});
        const int64_t childUs = c.startUs + 3000;
        execve(out, childUs, ++serial, c.pid + 1, c.pid, "/usr/bin/ssh", ssh, cwd);
        const std::string pre = std::string("node=") + kClientHost + " ";
        const std::string st = stamp(childUs + 800, ++serial);
        out += pre + "type=SYSCALL " + st
            + " arch=c000003e syscall=42 success=no exit=-115 a0=3 a1=5612c0a1e2f0 a2=10 a3=0 "
              "items=0 ppid="
            + std::to_string(c.pid) + " pid=" + std::to_string(c.pid + 1)
            + " auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=4 comm=\"ssh\" "
              "exe=\"/usr/bin/ssh\" subj=unconfined key=\"netconn\"\n";
        out += pre + "type=SOCKADDR " + st + " saddr=02000016" + hex("\x0a\xd5") + "0002" + "0000000000000000\n";
        out += pre + "type=PROCTITLE " + st + " proctitle=" + hex("/usr/bin/ssh") + "\n";
        out += pre + "type=EOE " + st + "\n";
    }
    return out;
}

void checkRecordedCase(tt::store::CaseStore &cs)
{
    tt::sql::Db &db = cs.db();
    auto q = [&](const char *sql) { return db.queryInt(sql); };
    // What real sshd (LogLevel VERBOSE) and sftp-server (-l INFO) wrote for the four sessions.
    QCOMPARE(q("SELECT count(*) FROM events e JOIN channels c ON c.id=e.channel_id WHERE c.name='linux:sshd' AND "
               "e.event_id=1"),
        int64_t(4)); // Accepted publickey
    QCOMPARE(q("SELECT count(*) FROM events e JOIN channels c ON c.id=e.channel_id WHERE c.name='linux:sshd' AND "
               "e.event_id=7"),
        int64_t(4)); // Starting session: subsystem 'sftp' (scp, sftp) / command (scp -O, rsync)
    QCOMPARE(q("SELECT count(*) FROM events e JOIN channels c ON c.id=e.channel_id WHERE c.name='linux:sshd' AND "
               "e.event_id=21"),
        int64_t(2)); // sftp-server: open "..." flags WRITE,CREATE...
    QCOMPARE(
        q("SELECT count(*) FROM logon_sessions WHERE origin='sshd' AND outcome='success' AND source_ip='10.213.0.1' "
          "AND auth_package='publickey' AND end_ts IS NOT NULL"),
        int64_t(4));
    QCOMPARE(q("SELECT count(*) FROM host_addresses a JOIN hosts h ON h.id=a.host_id WHERE h.name='TT-SSH-SRV' AND "
               "a.address='10.213.0.2' AND a.how='sshd-local'"),
        int64_t(1));
    QCOMPARE(q("SELECT count(*) FROM file_events WHERE kind='create' AND image='sftp-server'"), int64_t(2));

    tt::inference::InferenceEngine(cs).run();
    const auto rows = tt::inference::listTransfers(cs, {});
    QCOMPARE(rows.size(), size_t(4));
    struct Want {
        const char *file, *method;
    };
    const Want wants[]
        = {{"tool-scp.bin", "scp"}, {"tool-legacy.bin", "scp"}, {"tool-sftp.bin", "sftp"}, {"tool-rsync.bin", "rsync"}};
    std::string dir;
    for (const Want &w : wants) {
        const tt::inference::TransferRow *t = nullptr;
        for (const auto &r : rows)
            if (r.file == w.file)
                t = &r;
        QVERIFY2(t, w.file);
        QCOMPARE(t->source, std::string("TT-SSH-CLI"));
        QCOMPARE(t->destination, std::string("TT-SSH-SRV"));
        QCOMPARE(t->sourceIp, std::string(kClientIp));
        QCOMPARE(t->method, std::string(w.method));
        QCOMPARE(t->direction, std::string("push"));
        QCOMPARE(t->account, std::string("TT-SSH-SRV\\root")); // the ssh login's account
        const std::string suffix = std::string("/recv/") + w.file;
        QVERIFY2(t->path.size() > suffix.size()
                && t->path.compare(t->path.size() - suffix.size(), suffix.size(), suffix) == 0,
            t->path.c_str());
        const std::string d = t->path.substr(0, t->path.size() - std::string(w.file).size());
        if (dir.empty())
            dir = d;
        QCOMPARE(d, dir);
        const std::string roles = [&] {
            auto st
                = db.prepare("SELECT group_concat(role, ',') FROM (SELECT DISTINCT role FROM transfer_evidence WHERE "
                             "transfer_id=? ORDER BY role)");
            st.bind(1, t->id);
            return st.step() ? st.text(0) : std::string();
        }();
        const bool sftpWrite = std::string(w.file) == "tool-scp.bin" || std::string(w.file) == "tool-sftp.bin";
        QCOMPARE(roles,
            std::string(
                sftpWrite ? "dst-create,dst-logon,src-command,src-connect" : "dst-logon,src-command,src-connect"));
        // The file seen landing (sftp-server's write) makes it high; a command and a login
        // without the file on the destination stay medium.
        QCOMPARE(t->confidenceLabel, std::string(sftpWrite ? "high" : "medium"));
    }
}

} // namespace sshrec
