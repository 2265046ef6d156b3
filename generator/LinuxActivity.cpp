#include "LinuxActivity.h"

#include "TimeFormat.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tt::gen {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;
constexpr int64_t kMin = 60 * kSec;

const char kStamp = '\x01';

// auditd writes a value quoted when it is plain printable ASCII without blanks or quotes, else hex.
std::string auditValue(const std::string &v)
{
    bool plain = !v.empty();
    for (unsigned char c : v)
        if (c <= 0x20 || c >= 0x7f || c == '"')
            plain = false;
    if (plain)
        return '"' + v + '"';
    static const char d[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : v) {
        out.push_back(d[c >> 4]);
        out.push_back(d[c & 15]);
    }
    return out;
}

std::string hex(const std::string &v)
{
    static const char d[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : v) {
        out.push_back(d[c >> 4]);
        out.push_back(d[c & 15]);
    }
    return out;
}

std::string baseName(const std::string &p)
{
    const auto i = p.find_last_of("/\\");
    return i == std::string::npos ? p : p.substr(i + 1);
}

// sockaddr_in as auditd prints it: family 2, port, address, zero padding.
std::string sockaddr(const std::string &ip, int port)
{
    char buf[64];
    unsigned a = 0, b = 0, c = 0, d = 0;
    std::sscanf(ip.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
    std::snprintf(
        buf, sizeof buf, "0200%04X%02X%02X%02X%02X0000000000000000", port & 0xffff, a & 255, b & 255, c & 255, d & 255);
    return buf;
}

const char *const kCron[][2] = {
    {"/bin/sh", "cd / && run-parts --report /etc/cron.hourly"},
    {"/bin/sh", "test -x /usr/sbin/logrotate && /usr/sbin/logrotate /etc/logrotate.conf"},
    {"/bin/sh",
        "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi"},
    {"/bin/sh", "/usr/local/sbin/node_exporter_textfile.sh > /var/lib/prometheus/node.prom"},
    {"/bin/sh", "/usr/bin/flock -n /run/apt-daily.lock /usr/lib/apt/apt.systemd.daily"},
};
const char *const kShell[][3] = {
    {"/usr/bin/systemctl", "systemctl", "status nginx.service"},
    {"/usr/bin/journalctl", "journalctl", "-u app.service --since today"},
    {"/usr/bin/df", "df", "-h"},
    {"/usr/bin/tail", "tail", "-n 200 /var/log/syslog"},
    {"/usr/bin/ps", "ps", "auxf"},
    {"/usr/bin/free", "free", "-m"},
    {"/usr/bin/uptime", "uptime", ""},
    {"/usr/bin/ss", "ss", "-tlnp"},
    {"/usr/bin/git", "git", "-C /srv/app log --oneline -5"},
};
const char *const kLinuxTools[]
    = {"kdevtmpfsi.bin", "dbus-helper.bin", "gs-netcat.x64", "sysupdate.elf", "kworkerd.bin", "libnss-cache.x64"};
const char *const kScanners[] = {"45.148.10.81", "141.98.11.23", "193.32.162.40", "218.92.0.112", "61.177.172.140"};
const char *const kScanUsers[] = {"admin", "test", "oracle", "ubuntu", "git", "postgres", "user"};
} // namespace

LinuxActivity::LinuxActivity(Scenario &s, uint64_t seed, int64_t budgetPerHost)
    : m_s(s)
    , m_t(s.topo())
    , m_rng(Rng::derive(seed, 0x1170))
    , m_budget(budgetPerHost)
{
    m_state.resize(m_t.hosts().size());
    for (const Host &h : m_t.hosts())
        if (h.role == HostRole::Linux) {
            m_linux.push_back(h.index);
            m_state[static_cast<size_t>(h.index)].pid = static_cast<uint32_t>(m_rng.range(2000, 9000));
            m_state[static_cast<size_t>(h.index)].ses = static_cast<uint32_t>(m_rng.range(1, 40));
        }
}

uint32_t LinuxActivity::pid(int host, int step)
{
    State &st = m_state[static_cast<size_t>(host)];
    st.pid += static_cast<uint32_t>(step > 0 ? step : m_rng.range(1, 40));
    if (st.pid > 4000000)
        st.pid = 1000;
    return st.pid;
}

void LinuxActivity::audit(int host, int64_t us, uint16_t type, std::string text, int tag)
{
    LinuxRecord r;
    r.us = us;
    r.channel = Channel::LinuxAudit;
    r.eventId = type;
    r.transfer = static_cast<int16_t>(tag);
    r.text = std::move(text);
    m_s.putLinux(host, std::move(r));
}

void LinuxActivity::auth(int host, int64_t us, uint16_t id, std::string text, int tag, Channel ch)
{
    LinuxRecord r;
    r.us = us;
    r.channel = ch;
    r.eventId = id;
    r.transfer = static_cast<int16_t>(tag);
    r.text = std::move(text);
    m_s.putLinux(host, std::move(r));
}

uint32_t LinuxActivity::exec(int host, int64_t us, uint32_t ppid, uint32_t p, const Login &who, const std::string &exe,
    const std::vector<std::string> &argv, const std::string &cwd, int tag)
{
    if (!p)
        p = pid(host);
    const std::string ids = "auid=" + std::to_string(who.uid) + " uid=" + std::to_string(who.uid)
        + " gid=" + std::to_string(who.uid) + " euid=" + std::to_string(who.uid) + " suid=" + std::to_string(who.uid)
        + " fsuid=" + std::to_string(who.uid) + " egid=" + std::to_string(who.uid) + " sgid=" + std::to_string(who.uid)
        + " fsgid=" + std::to_string(who.uid);
    std::string t;
    t += "type=SYSCALL msg=audit(\x01): arch=c000003e syscall=59 success=yes exit=0 a0=55d0c1a2b3c0 a1=55d0c1a2b400 "
         "a2=55d0c1a2b480 a3=8 items=2 ppid="
        + std::to_string(ppid) + " pid=" + std::to_string(p) + ' ' + ids + " tty=(none) ses=" + std::to_string(who.ses)
        + " comm=" + auditValue(baseName(exe).substr(0, 15)) + " exe=" + auditValue(exe)
        + " subj=unconfined key=\"exec\"\n";
    t += "type=EXECVE msg=audit(\x01): argc=" + std::to_string(argv.size());
    std::string title;
    for (size_t i = 0; i < argv.size(); ++i) {
        t += " a" + std::to_string(i) + '=' + auditValue(argv[i]);
        if (i)
            title.push_back('\0');
        title += argv[i];
    }
    t += '\n';
    t += "type=CWD msg=audit(\x01): cwd=" + auditValue(cwd) + '\n';
    t += "type=PATH msg=audit(\x01): item=0 name=" + auditValue(exe)
        + " inode=" + std::to_string(1835000 + exe.size() * 37)
        + " dev=fd:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 "
          "cap_frootid=0\n";
    t += "type=PROCTITLE msg=audit(\x01): proctitle=" + hex(title.substr(0, 128)) + '\n';
    t += "type=EOE msg=audit(\x01):";
    audit(host, us, 1300, std::move(t), tag);
    return p;
}

void LinuxActivity::connect(int host, int64_t us, uint32_t ppid, uint32_t p, const Login &who, const std::string &exe,
    const std::string &ip, int port, int tag)
{
    const std::string u = std::to_string(who.uid);
    std::string t
        = "type=SYSCALL msg=audit(\x01): arch=c000003e syscall=42 success=no exit=-115 a0=3 a1=5612c0a1e2f0 a2=10 "
          "a3=0 items=0 ppid="
        + std::to_string(ppid) + " pid=" + std::to_string(p) + " auid=" + u + " uid=" + u + " gid=" + u + " euid=" + u
        + " suid=" + u + " fsuid=" + u + " egid=" + u + " sgid=" + u + " fsgid=" + u
        + " tty=(none) ses=" + std::to_string(who.ses) + " comm=" + auditValue(baseName(exe))
        + " exe=" + auditValue(exe) + " subj=unconfined key=\"netconn\"\n";
    t += "type=SOCKADDR msg=audit(\x01): saddr=" + sockaddr(ip, port) + '\n';
    t += "type=PROCTITLE msg=audit(\x01): proctitle=" + hex(exe) + '\n';
    t += "type=EOE msg=audit(\x01):";
    audit(host, us, 1300, std::move(t), tag);
}

LinuxActivity::Login LinuxActivity::sshLogin(int host, int64_t us, const std::string &fromIp, int fromPort,
    const std::string &user, uint32_t uid, const std::string &kind, int tag)
{
    const Host &h = m_t.host(host);
    Login l;
    l.sshdPid = pid(host);
    l.ses = ++m_state[static_cast<size_t>(host)].ses;
    l.uid = uid;
    l.user = user;
    l.fromIp = fromIp;
    l.fromPort = fromPort;
    const std::string sp = "sshd[" + std::to_string(l.sshdPid) + "]: ";
    const std::string from = fromIp + " port " + std::to_string(fromPort);
    auth(host, us, 8, sp + "Connection from " + from + " on " + h.ip + " port 22 rdomain \"\"", tag);
    const bool key = user != "ops" || m_rng.chance(0.5);
    auth(host, us + 180 * kMs, 1,
        sp + "Accepted " + (key ? "publickey" : "password") + " for " + user + " from " + from + " ssh2"
            + (key ? ": ED25519 SHA256:" + hex(user + h.name).substr(0, 43) : std::string()),
        tag);
    const std::string a = "acct=" + auditValue(user);
    const std::string tail
        = " exe=\"/usr/sbin/sshd\" hostname=" + fromIp + " addr=" + fromIp + " terminal=ssh res=success'";
    audit(host, us + 181 * kMs, 1100,
        "type=USER_AUTH msg=audit(\x01): pid=" + std::to_string(l.sshdPid)
            + " uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=" + (key ? "pubkey" : "PAM:authentication")
            + " grantors=? " + a + tail);
    audit(host, us + 183 * kMs, 1103,
        "type=CRED_ACQ msg=audit(\x01): pid=" + std::to_string(l.sshdPid)
            + " uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:setcred grantors=pam_permit " + a
            + tail);
    audit(host, us + 190 * kMs, 1112,
        "type=USER_LOGIN msg=audit(\x01): pid=" + std::to_string(l.sshdPid) + " uid=0 auid=" + std::to_string(uid)
            + " ses=" + std::to_string(l.ses) + " subj=unconfined msg='op=login id=" + std::to_string(uid) + tail,
        tag);
    audit(host, us + 192 * kMs, 1105,
        "type=USER_START msg=audit(\x01): pid=" + std::to_string(l.sshdPid) + " uid=0 auid=" + std::to_string(uid)
            + " ses=" + std::to_string(l.ses)
            + " subj=unconfined msg='op=PAM:session_open grantors=pam_loginuid,pam_unix " + a + tail);
    auth(host, us + 195 * kMs, 4,
        sp + "pam_unix(sshd:session): session opened for user " + user + "(uid=" + std::to_string(uid) + ") by (uid=0)",
        tag);
    auth(host, us + 230 * kMs, 7, sp + "Starting session: " + kind + " for " + user + " from " + from + " id 0", tag);
    return l;
}

void LinuxActivity::sshLogout(int host, int64_t us, const Login &l, int tag)
{
    const std::string sp = "sshd[" + std::to_string(l.sshdPid) + "]: ";
    const std::string from = l.fromIp + " port " + std::to_string(l.fromPort);
    auth(host, us, 9, sp + "Received disconnect from " + from + ":11: disconnected by user", tag);
    auth(host, us + 1 * kMs, 9, sp + "Disconnected from user " + l.user + ' ' + from, tag);
    audit(host, us + 2 * kMs, 1106,
        "type=USER_END msg=audit(\x01): pid=" + std::to_string(l.sshdPid) + " uid=0 auid=" + std::to_string(l.uid)
            + " ses=" + std::to_string(l.ses)
            + " subj=unconfined msg='op=PAM:session_close grantors=pam_loginuid,pam_unix acct=" + auditValue(l.user)
            + " exe=\"/usr/sbin/sshd\" hostname=" + l.fromIp + " addr=" + l.fromIp + " terminal=ssh res=success'");
    auth(host, us + 3 * kMs, 5, sp + "pam_unix(sshd:session): session closed for user " + l.user, tag);
}

void LinuxActivity::sshFlow(
    int64_t us, const std::string &fromIp, int fromPort, const std::string &toIp, int64_t bytes, int tag)
{
    NetFlow f;
    f.us = us;
    f.durationUs = static_cast<int64_t>(m_rng.range(400, 4000)) * kMs;
    f.origIp = fromIp;
    f.origPort = fromPort;
    f.respIp = toIp;
    f.respPort = 22;
    f.service = "ssh";
    f.origBytes = bytes + static_cast<int64_t>(m_rng.range(3000, 6000));
    f.respBytes = static_cast<int64_t>(m_rng.range(3000, 7000));
    f.transfer = static_cast<int16_t>(tag);
    m_s.addFlow(std::move(f));
}

int LinuxActivity::sshCopy(int src, int64_t us, const Proc *winParent, const Shell *linParent, int dst,
    const std::string &user, uint32_t uid, bool rsync, const std::string &localPath, const std::string &remotePath,
    Transfer::Category category, int hop, bool byName)
{
    const Host &s = m_t.host(src);
    const Host &d = m_t.host(dst);
    const bool win = !m_t.isLinux(src);
    Transfer tr;
    tr.category = category;
    tr.src = src;
    tr.dst = dst;
    tr.path = remotePath;
    tr.srcPath = localPath;
    tr.file = baseName(remotePath);
    tr.account = d.name + '\\' + user;
    tr.method = rsync ? "rsync" : "scp";
    tr.direction = "push";
    tr.hop = hop;
    const int tag = m_s.addTransfer(tr);
    const std::string target = byName ? d.name : d.ipAt(us);
    const int port = win ? static_cast<int>(49152 + m_rng.below(16300)) : static_cast<int>(32768 + m_rng.below(28000));
    const std::string serverCmd
        = rsync ? "rsync --server -logDtprze.iLsfxCIvu . " + remotePath : "scp -t " + remotePath;
    if (win) {
        const std::string key = "C:\\ProgramData\\ssh\\id_ed25519";
        const std::string scpExe = "C:\\Windows\\System32\\OpenSSH\\scp.exe";
        const std::string sshExe = "C:\\Windows\\System32\\OpenSSH\\ssh.exe";
        const Proc scp = m_s.start(src, us, *winParent, scpExe,
            "scp.exe -i " + key + ' ' + localPath + ' ' + user + '@' + target + ':' + remotePath, tag);
        const Proc ssh = m_s.start(src, us + 30 * kMs, scp, sshExe,
            "\"" + sshExe
                + "\" -x -oForwardAgent=no -oPermitLocalCommand=no -oClearAllForwardings=yes "
                  "-oRemoteCommand=none -oRequestTTY=no -i "
                + key + " -l " + user + " -- " + target + ' ' + serverCmd);
        m_s.put(src,
            m_s.f(src).networkConnect(us + 60 * kMs, ssh, true, s.ipAt(us), std::to_string(port), d.ipAt(us), "22"),
            tag);
        m_s.stop(src, us + 3 * kSec, ssh);
        m_s.stop(src, us + 3 * kSec + 20 * kMs, scp);
    } else {
        Login who;
        who.uid = linParent->uid;
        who.ses = linParent->ses;
        std::vector<std::string> argv;
        if (rsync)
            argv = {"rsync", "-az", "-e", "ssh", localPath, user + '@' + target + ':' + remotePath};
        else
            argv = {"scp", "-O", "-i", user == "root" ? "/root/.ssh/id_ed25519" : "/home/" + user + "/.ssh/id_ed25519",
                localPath, user + '@' + target + ':' + remotePath};
        const std::string cwd = user == "root" ? "/root" : "/home/" + user;
        const uint32_t cp
            = exec(src, us, linParent->pid, 0, who, rsync ? "/usr/bin/rsync" : "/usr/bin/scp", argv, cwd, tag);
        std::vector<std::string> sshArgv = {"ssh", "-l", user, target};
        if (!rsync)
            sshArgv = {"/usr/bin/ssh", "-x", "-oPermitLocalCommand=no", "-oClearAllForwardings=yes",
                "-oRemoteCommand=none", "-oRequestTTY=no", "-oForwardAgent=no", "-l", user, "--", target};
        if (rsync) {
            sshArgv.emplace_back("rsync");
            sshArgv.emplace_back("--server");
            sshArgv.emplace_back("-logDtprze.iLsfxCIvu");
            sshArgv.emplace_back(".");
        } else {
            sshArgv.emplace_back("scp");
            sshArgv.emplace_back("-t");
        }
        sshArgv.push_back(remotePath);
        const uint32_t sp = exec(src, us + 2 * kMs, cp, 0, who, "/usr/bin/ssh", sshArgv, cwd, tag);
        connect(src, us + 3 * kMs, cp, sp, who, "/usr/bin/ssh", d.ipAt(us), 22, tag);
    }
    // The server end.
    const int64_t arrive = us + static_cast<int64_t>(m_rng.range(60, 200)) * kMs;
    const Login l = sshLogin(dst, arrive, s.ipAt(us), port, user, uid, "command", tag);
    Login in = l;
    const uint32_t child = pid(dst);
    exec(dst, arrive + 260 * kMs, l.sshdPid + 2, child, in, "/usr/bin/bash", {"bash", "-c", serverCmd},
        uid == 0 ? "/root" : "/home/" + user, tag);
    const int64_t write = arrive + 262 * kMs;
    if (rsync)
        exec(dst, write, l.sshdPid + 2, child, in, "/usr/bin/rsync",
            {"rsync", "--server", "-logDtprze.iLsfxCIvu", ".", remotePath}, uid == 0 ? "/root" : "/home/" + user, tag);
    else
        exec(dst, write, l.sshdPid + 2, child, in, "/usr/bin/scp", {"scp", "-t", remotePath},
            uid == 0 ? "/root" : "/home/" + user, tag);
    m_s.transfer(tag).utcUs = write + d.skewUs;
    sshLogout(dst, write + static_cast<int64_t>(m_rng.range(300, 2500)) * kMs, l);
    sshFlow(us + 50 * kMs, s.ipAt(us), port, d.ipAt(us), static_cast<int64_t>(m_rng.range(40, 3000)) * 1024, tag);
    return tag;
}

LinuxActivity::Shell LinuxActivity::executeRemote(
    int dst, int64_t us, const std::string &fromIp, const std::string &path, int tag)
{
    const int port = static_cast<int>(32768 + m_rng.below(28000));
    const Login l = sshLogin(dst, us, fromIp, port, "root", 0, "command");
    const uint32_t sh = pid(dst);
    exec(dst, us + 250 * kMs, l.sshdPid + 2, sh, l, "/usr/bin/bash",
        {"bash", "-c", "chmod +x " + path + " && nohup " + path + " >/dev/null 2>&1 &"}, "/root");
    exec(dst, us + 252 * kMs, sh, pid(dst), l, "/usr/bin/chmod", {"chmod", "+x", path}, "/root");
    const uint32_t tool = pid(dst);
    exec(dst, us + 260 * kMs, sh, tool, l, path, {path}, "/root", tag);
    sshLogout(dst, us + 400 * kMs, l);
    Shell s;
    s.host = dst;
    s.pid = tool;
    s.ses = l.ses;
    s.uid = 0;
    return s;
}

void LinuxActivity::run()
{
    for (int h : m_linux)
        background(h);
    admin();
    if (m_s.hops() > 0 && !m_s.pivots.empty())
        attack();
    if (m_s.deployment())
        ansible(); // last: the records before it draw the same random numbers with or without it
}

void LinuxActivity::ansible()
{
    // ansible-playbook on the first server; for each other server Ansible builds the module
    // locally (~/.ansible/tmp/ansible-local-*) and copies it to the remote
    // ~/.ansible/tmp/ansible-tmp-<time>-<pid>-<random>/AnsiballZ_<module>.py (scp transfer method).
    if (m_linux.size() < 2)
        return;
    const int ctl = m_linux[0];
    const int64_t us = m_s.startUs() + static_cast<int64_t>(m_rng.range(11 * 3600, 12 * 3600)) * kSec;
    Shell job;
    job.host = ctl;
    job.uid = 1002;
    job.ses = ++m_state[static_cast<size_t>(ctl)].ses;
    job.pid = pid(ctl);
    Login who;
    who.uid = job.uid;
    who.ses = job.ses;
    who.user = "ansible";
    exec(ctl, us - 2 * kSec, 1, job.pid, who, "/usr/bin/python3",
        {"/usr/bin/python3", "/usr/bin/ansible-playbook", "-i", "inventory.ini", "site.yml"}, "/home/ansible");
    const std::string local = "/home/ansible/.ansible/tmp/ansible-local-" + std::to_string(job.pid) + "x9k2";
    for (size_t i = 1; i < m_linux.size(); ++i) {
        const std::string remote = "/home/ansible/.ansible/tmp/ansible-tmp-" + std::to_string(us / kSec) + ".21-"
            + std::to_string(job.pid) + '-' + std::to_string(100000 + m_rng.below(900000)) + "/AnsiballZ_copy.py";
        const int tag = sshCopy(ctl, us + static_cast<int64_t>(i) * 3 * kSec, nullptr, &job, m_linux[i], "ansible",
            1002, false, local + "/tmp" + std::to_string(i) + "q7", remote, Transfer::Category::BenignAdmin, -1, true);
        m_s.transfer(tag).deployTool = "ansible";
        m_s.transfer(tag).notes = "Ansible push of an AnsiballZ module (benign deployment).";
    }
}

void LinuxActivity::admin()
{
    // The build server deploys releases to the other servers (rsync as deploy), and an admin
    // copies a config bundle between servers (scp as ops): benign, and transfers all the same.
    if (m_linux.size() < 2)
        return;
    const int build = m_linux[std::min<size_t>(1, m_linux.size() - 1)];
    for (int day = 0; day < std::min(m_s.days(), 60); ++day) {
        const int dst = m_linux[0] == build ? m_linux[1] : m_linux[0];
        const int64_t us
            = m_s.startUs() + day * 86400 * kSec + static_cast<int64_t>(m_rng.range(10 * 3600, 16 * 3600)) * kSec;
        const std::string rel
            = "app-1." + std::to_string(4 + day / 5) + '.' + std::to_string(day % 5 + m_rng.below(3)) + ".tar.gz";
        Shell job;
        job.host = build;
        job.uid = 1001;
        job.ses = ++m_state[static_cast<size_t>(build)].ses;
        job.pid = pid(build);
        const int tag = sshCopy(build, us, nullptr, &job, dst, "deploy", 1001, true, "/srv/build/out/" + rel,
            "/opt/releases/" + rel, Transfer::Category::BenignAdmin, -1, true);
        m_s.transfer(tag).notes
            = "Nightly release deployment from the build server (rsync over ssh as deploy; benign).";
        if (m_linux.size() >= 3) {
            const int a = m_linux[static_cast<size_t>(m_rng.below(m_linux.size()))];
            int b = m_linux[static_cast<size_t>(m_rng.below(m_linux.size()))];
            if (a == b)
                b = m_linux[(static_cast<size_t>(std::find(m_linux.begin(), m_linux.end(), a) - m_linux.begin()) + 1)
                    % m_linux.size()];
            Shell ops;
            ops.host = a;
            ops.uid = 1000;
            ops.ses = ++m_state[static_cast<size_t>(a)].ses;
            ops.pid = pid(a);
            const std::string file = "nginx-conf-" + std::to_string(20231100 + day) + ".tgz";
            const int t2 = sshCopy(a, us + static_cast<int64_t>(m_rng.range(30, 200)) * kMin, nullptr, &ops, b, "ops",
                1000, false, "/home/ops/" + file, "/home/ops/" + file, Transfer::Category::BenignAdmin, -1, true);
            m_s.transfer(t2).notes = "Admin copying a configuration bundle between servers (scp as ops; benign).";
        }
    }
}

void LinuxActivity::attack()
{
    // The jump host: a Windows server the attacker reached (else the last pivot).
    const Scenario::Pivot *jump = &m_s.pivots.back();
    for (const Scenario::Pivot &p : m_s.pivots)
        if (m_t.host(p.host).role == HostRole::Server || m_t.host(p.host).role == HostRole::AdminStation)
            jump = &p;
    int64_t now = std::max(m_s.attackEndUs, jump->us + 20 * kMin) + static_cast<int64_t>(m_rng.range(3, 9)) * kMin;
    const int hops = std::min<int>(static_cast<int>(m_linux.size()), std::max(1, m_s.hops() / 2));
    std::vector<int> order = m_linux;
    for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[m_rng.below(i)]);
    const int base = m_s.hops() + 1; // hop numbers continue after the Windows chain
    Shell at;
    std::string lastPath;
    for (int i = 0; i < hops; ++i) {
        const int dst = order[static_cast<size_t>(i)];
        const std::string tool = m_rng.pick(kLinuxTools);
        const char *const dirs[] = {"/tmp/", "/var/tmp/", "/dev/shm/"};
        const std::string remote = std::string(dirs[m_rng.below(3)]) + tool;
        int tag;
        if (i == 0) {
            const std::string stage = "C:\\ProgramData\\" + tool;
            m_s.put(jump->host, m_s.f(jump->host).fileCreate(now - 60 * kSec, jump->implant, stage));
            tag = sshCopy(jump->host, now, &jump->implant, nullptr, dst, "root", 0, false, stage, remote,
                Transfer::Category::Attack, base + i - 1, false);
            m_s.transfer(tag).notes = "OpenSSH scp.exe on the Windows jump host " + m_t.host(jump->host).name
                + " with a stolen key: the attacker moves to the Linux servers.";
        } else {
            const bool rsync = i % 2 == 0;
            tag = sshCopy(at.host, now, nullptr, &at, dst, "root", 0, rsync, lastPath, remote,
                Transfer::Category::Attack, base + i - 1, m_rng.chance(0.5));
            m_s.transfer(tag).notes = std::string("Linux to Linux hop with ") + (rsync ? "rsync" : "scp") + " as root.";
        }
        at = executeRemote(dst, now + static_cast<int64_t>(m_rng.range(20, 90)) * kSec,
            m_t.host(m_s.transfer(tag).src).ipAt(now), remote, tag);
        lastPath = remote;
        now += static_cast<int64_t>(m_rng.range(6, 14)) * kMin;
    }
    m_s.note("Attack continues to " + std::to_string(hops) + " Linux server(s) over SSH from "
        + m_t.host(jump->host).fqdn + '.');
}

void LinuxActivity::background(int host)
{
    const Host &h = m_t.host(host);
    const auto adm = m_t.indicesOf(HostRole::AdminStation);
    const std::string admIp = m_t.host(adm.empty() ? 0 : adm.front()).ip;
    const int64_t span = m_s.endUs() - m_s.startUs();
    auto count = [&] { return static_cast<int64_t>(m_s.linuxRecords(host).size()); };
    // An admin logs in within the first hour: sshd's VERBOSE "Connection from ... on <own address>"
    // tells the case this host's address early.
    {
        const int64_t us = m_s.startUs() + static_cast<int64_t>(m_rng.range(60, 3000)) * kSec;
        const Login l = sshLogin(host, us, admIp, static_cast<int>(49152 + m_rng.below(16300)), "ops", 1000, "shell");
        exec(host, us + 400 * kMs, l.sshdPid + 2, pid(host), l, "/usr/bin/bash", {"-bash"}, "/home/ops");
        sshLogout(host, us + 90 * kSec, l);
    }
    auth(host, m_s.startUs() + 5 * kSec, 0,
        "sshd[" + std::to_string(pid(host)) + "]: Server listening on 0.0.0.0 port 22.");
    const bool web = h.name.rfind("web", 0) == 0 || h.name.rfind("proxy", 0) == 0;
    while (count() < m_budget) {
        const int64_t us = m_s.startUs() + static_cast<int64_t>(m_rng.below(static_cast<uint64_t>(span)));
        const uint64_t x = m_rng.below(100);
        if (x < 55) {
            // cron job
            const uint32_t cronPid = pid(host);
            const auto &job = kCron[m_rng.below(sizeof kCron / sizeof kCron[0])];
            Login root;
            root.uid = 0;
            root.ses = ++m_state[static_cast<size_t>(host)].ses;
            const std::string tail
                = " acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'";
            const std::string p = " pid=" + std::to_string(cronPid) + " uid=0 auid=0 ses=" + std::to_string(root.ses)
                + " subj=unconfined msg='op=PAM:";
            audit(host, us, 1101, "type=USER_ACCT msg=audit(\x01):" + p + "accounting grantors=pam_permit" + tail);
            audit(
                host, us + 1 * kMs, 1103, "type=CRED_ACQ msg=audit(\x01):" + p + "setcred grantors=pam_permit" + tail);
            audit(host, us + 2 * kMs, 1105,
                "type=USER_START msg=audit(\x01):" + p + "session_open grantors=pam_loginuid,pam_unix" + tail);
            auth(host, us + 2 * kMs, 0,
                "CRON[" + std::to_string(cronPid)
                    + "]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
                -1, Channel::LinuxSyslog);
            exec(host, us + 4 * kMs, cronPid, pid(host), root, job[0], {"/bin/sh", "-c", job[1]}, "/root");
            const int64_t end = us + static_cast<int64_t>(m_rng.range(50, 4000)) * kMs;
            audit(host, end, 1104, "type=CRED_DISP msg=audit(\x01):" + p + "setcred grantors=pam_permit" + tail);
            audit(host, end + 1 * kMs, 1106,
                "type=USER_END msg=audit(\x01):" + p + "session_close grantors=pam_loginuid,pam_unix" + tail);
            auth(host, end + 1 * kMs, 0,
                "CRON[" + std::to_string(cronPid) + "]: pam_unix(cron:session): session closed for user root", -1,
                Channel::LinuxSyslog);
        } else if (x < 75) {
            // An admin's interactive session: a few commands, sometimes with sudo.
            const Login l
                = sshLogin(host, us, admIp, static_cast<int>(49152 + m_rng.below(16300)), "ops", 1000, "shell");
            const uint32_t bash = pid(host);
            exec(host, us + 400 * kMs, l.sshdPid + 2, bash, l, "/usr/bin/bash", {"-bash"}, "/home/ops");
            int64_t t = us + 5 * kSec;
            const int n = static_cast<int>(m_rng.range(1, 5));
            for (int i = 0; i < n; ++i) {
                const auto &c = kShell[m_rng.below(sizeof kShell / sizeof kShell[0])];
                std::vector<std::string> argv = {c[1]};
                std::string rest = c[2];
                size_t at = 0;
                while (!rest.empty() && at != std::string::npos) {
                    const size_t sp = rest.find(' ', at);
                    argv.push_back(rest.substr(at, sp == std::string::npos ? std::string::npos : sp - at));
                    at = sp == std::string::npos ? sp : sp + 1;
                }
                if (m_rng.chance(0.3)) {
                    std::string cmd = c[0];
                    for (size_t k = 1; k < argv.size(); ++k)
                        cmd += ' ' + argv[k];
                    auth(host, t, 0,
                        "sudo[" + std::to_string(pid(host, 1))
                            + "]:      ops : TTY=pts/0 ; PWD=/home/ops ; USER=root ; COMMAND=" + cmd,
                        -1, Channel::LinuxSyslog);
                }
                exec(host, t + 20 * kMs, bash, pid(host), l, c[0], argv, "/home/ops");
                t += static_cast<int64_t>(m_rng.range(4, 90)) * kSec;
            }
            sshLogout(host, t + 10 * kSec, l);
        } else if (x < 90 && web) {
            // Internet scanners guessing passwords (sshd exposed on a web server).
            const std::string ip = m_rng.pick(kScanners);
            const std::string user = m_rng.pick(kScanUsers);
            const uint32_t p = pid(host);
            const std::string port = std::to_string(20000 + m_rng.below(40000));
            auth(
                host, us, 3, "sshd[" + std::to_string(p) + "]: Invalid user " + user + " from " + ip + " port " + port);
            auth(host, us + 2 * kSec, 2,
                "sshd[" + std::to_string(p) + "]: Failed password for invalid user " + user + " from " + ip + " port "
                    + port + " ssh2");
            auth(host, us + 3 * kSec, 0,
                "sshd[" + std::to_string(p) + "]: Connection closed by invalid user " + user + ' ' + ip + " port "
                    + port + " [preauth]");
        } else {
            // systemd-logind / su noise in auth.log, a service restart in audit.
            const uint32_t p = pid(host);
            auth(host, us, 0,
                "systemd-logind[" + std::to_string(400 + host) + "]: New session " + std::to_string(p % 9000)
                    + " of user ops.",
                -1, Channel::LinuxSyslog);
            Login sys;
            sys.uid = 0;
            sys.ses = 4294967295u;
            exec(host, us + 5 * kMs, 1, p, sys, "/usr/bin/logger", {"logger", "-t", "healthcheck", "ok"}, "/");
        }
    }
}

void LinuxActivity::write(const Topology &topo, int host, uint64_t seed, const std::vector<LinuxRecord> &records,
    const std::string &dir, HostResult &res)
{
    const Host &h = topo.host(host);
    Rng r(Rng::derive(seed, 0xa0d17 + static_cast<uint64_t>(host)));
    const std::string auditName = h.name + "-audit.log";
    const std::string authName = h.name + "-auth.log";
    res.file = auditName;
    res.moreFiles = {authName};
    std::FILE *fa = std::fopen((dir + '/' + auditName).c_str(), "wb");
    std::FILE *fs = std::fopen((dir + '/' + authName).c_str(), "wb");
    if (!fa || !fs) {
        res.error = "cannot write " + dir + '/' + (fa ? authName : auditName) + ": " + std::strerror(errno);
        if (fa)
            std::fclose(fa);
        if (fs)
            std::fclose(fs);
        return;
    }
    uint64_t serial = static_cast<uint64_t>(r.range(1000, 90000));
    int64_t auditLine = 0, authLine = 0;
    std::string out, stamp, t;
    bool first = true;
    for (const LinuxRecord &rec : records) {
        const int64_t us = rec.us + h.skewUs;
        const bool isAudit = rec.channel == Channel::LinuxAudit;
        out.clear();
        int64_t line = 0;
        int64_t record = 0;
        t.clear();
        if (isAudit) {
            serial += 1 + r.below(3);
            record = static_cast<int64_t>(serial);
            char buf[48];
            const int64_t ms = us / 1000;
            std::snprintf(buf, sizeof buf, "%lld.%03lld:%llu", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000), static_cast<unsigned long long>(serial));
            stamp = buf;
            line = auditLine + 1;
            size_t start = 0;
            while (start <= rec.text.size()) {
                const size_t nl = rec.text.find('\n', start);
                const std::string one
                    = rec.text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
                out += "node=" + h.name + ' ';
                for (char c : one)
                    if (c == kStamp)
                        out += stamp;
                    else
                        out.push_back(c);
                out.push_back('\n');
                ++auditLine;
                if (nl == std::string::npos)
                    break;
                start = nl + 1;
            }
            TimeFormat::appendIsoMs(t, us);
            std::fwrite(out.data(), 1, out.size(), fa);
        } else {
            TimeFormat::appendRfc3339Utc(out, us);
            t = out;
            out += ' ' + h.name + ' ' + rec.text + '\n';
            line = ++authLine;
            std::fwrite(out.data(), 1, out.size(), fs);
        }
        ++res.count;
        if (first) {
            res.firstUs = rec.us;
            first = false;
        }
        res.lastUs = std::max(res.lastUs, rec.us);
        ++res.counts[{static_cast<int>(rec.channel), rec.eventId}];
        if (rec.transfer >= 0) {
            EvidenceRef e;
            e.transfer = rec.transfer;
            e.file = isAudit ? auditName : authName;
            e.line = line;
            e.position = line;
            e.record = record;
            e.host = h.fqdn;
            e.channel = RecordWriter::channelName(rec.channel);
            e.eventId = rec.eventId;
            e.time = t;
            std::string sum = out.substr(0, 700);
            while (!sum.empty() && sum.back() == '\n')
                sum.pop_back();
            for (char &c : sum)
                if (c == '\n')
                    c = ' ';
            e.summary = sum;
            res.evidence.push_back(std::move(e));
        }
    }
    if (std::fclose(fa) != 0 || std::fclose(fs) != 0)
        res.error = "close failed for " + auditName;
}

} // namespace tt::gen
