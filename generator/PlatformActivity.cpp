#include "PlatformActivity.h"

#include "TimeFormat.h"
#include "Topology.h"

#include <cstdio>

namespace tt::gen {

namespace {
constexpr int64_t kMs = 1000;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;

constexpr const char *kEsxiTools[] = {"encrypt.sh", "esxi_locker", "vmkd-helper", "ransom.elf", "agent.bin"};
constexpr const char *kMacTools[] = {"stage.pkg", "helper.dylib", "update.zip", "notes.sh", "loader.app.zip"};
constexpr const char *kIsos[] = {"win2022-eval.iso", "tools-12.3.iso", "ubuntu-22.04.iso"};

std::string jsonEscaped(const std::string &s)
{
    std::string o;
    for (const char c : s) {
        if (c == '\n') {
            o.append("\\n");
            continue;
        }
        if (c == '"' || c == '\\')
            o.push_back('\\');
        o.push_back(c);
    }
    return o;
}

// "YYYY-MM-DDThh:mm:ss.mmmZ" (ESXi's own stamps)
std::string esxiTime(int64_t us)
{
    std::string s;
    TimeFormat::appendIsoMs(s, us);
    return s;
}

// eslogger's "time": RFC 3339 UTC with nanoseconds.
std::string esTime(int64_t us)
{
    std::string s;
    TimeFormat::appendRfc3339Utc(s, us);
    s.resize(s.size() - 6);
    s.append("000Z");
    return s;
}

// `log show` timestamps: local time with the numeric offset, "2026-03-11 11:00:00.050000+0100".
std::string unifiedTime(int64_t us, int tzMinutes)
{
    std::string s;
    TimeFormat::appendRfc3339Utc(s, us + tzMinutes * 60 * kSec);
    s.resize(s.size() - 6);
    s[10] = ' ';
    const int a = tzMinutes < 0 ? -tzMinutes : tzMinutes;
    char off[24];
    std::snprintf(off, sizeof off, "%c%02d%02d", tzMinutes < 0 ? '-' : '+', a / 60, a % 60);
    s.append(off);
    return s;
}

struct MacProc {
    uint32_t pid = 0, ppid = 1, uid = 0;
    std::string path, signing;
};

std::string esProcessJson(const MacProc &p)
{
    const std::string pid = std::to_string(p.pid), uid = std::to_string(p.uid);
    return R"({"audit_token":{"asid":100001,"auid":)" + uid + R"(,"egid":20,"euid":)" + uid + R"(,"pid":)" + pid
        + R"(,"pidversion":)" + std::to_string(p.pid * 10) + R"(,"rgid":20,"ruid":)" + uid
        + R"(},"cdhash":"0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4","codesigning_flags":570522385,"executable":{"path":")"
        + jsonEscaped(p.path) + R"(","path_truncated":false},"group_id":)" + pid
        + R"(,"is_es_client":false,"is_platform_binary":true,"original_ppid":)" + std::to_string(p.ppid) + R"(,"ppid":)"
        + std::to_string(p.ppid) + R"(,"session_id":)" + pid + R"(,"signing_id":")" + p.signing
        + R"(","start_time":"2026-01-01T00:00:00.000000Z","team_id":null,"tty":null})";
}

class EsLog {
public:
    explicit EsLog(PlatformLog &log)
        : m_log(log)
    {
    }
    void message(int64_t us, int type, const std::string &event, const MacProc &by)
    {
        ++m_seq;
        m_log.add(us,
            R"({"action":{"result":{"result":{"auth":0},"result_type":0}},"action_type":1,"event":{)" + event
                + R"(},"event_type":)" + std::to_string(type) + R"(,"global_seq_num":)" + std::to_string(m_seq + 5000)
                + R"(,"mach_time":)" + std::to_string(900000000 + m_seq * 7919) + R"(,"process":)" + esProcessJson(by)
                + R"(,"schema_version":1,"seq_num":)" + std::to_string(m_seq) + R"(,"thread":{"thread_id":)"
                + std::to_string(4000 + by.pid % 97) + R"(},"time":")" + esTime(us) + R"(","version":7})");
    }
    void exec(int64_t us, const MacProc &parent, const MacProc &child, const std::vector<std::string> &args,
        const std::string &cwd)
    {
        std::string a;
        for (const std::string &s : args)
            a += (a.empty() ? "\"" : ",\"") + jsonEscaped(s) + '"';
        message(us, 9,
            R"("exec":{"target":)" + esProcessJson(child) + R"(,"args":[)" + a + R"(],"cwd":{"path":")"
                + jsonEscaped(cwd) + R"(","path_truncated":false},"env":[],"script":null,"fds":[]})",
            parent);
    }
    void create(int64_t us, const MacProc &by, const std::string &dir, const std::string &name)
    {
        message(us, 13,
            R"("create":{"destination_type":1,"destination":{"new_path":{"dir":{"path":")" + jsonEscaped(dir)
                + R"(","path_truncated":false},"filename":")" + jsonEscaped(name) + R"(","mode":420}}})",
            by);
    }
    void sshLogin(int64_t us, const MacProc &sshd, const std::string &from, const std::string &user, uint32_t uid)
    {
        message(us, 96,
            R"("openssh_login":{"success":true,"result_type":0,"source_address_type":0,"source_address":")" + from
                + R"(","username":")" + user + R"(","has_uid":true,"uid":{"uid":)" + std::to_string(uid) + "}}",
            sshd);
    }

private:
    PlatformLog &m_log;
    uint64_t m_seq = 0;
};

class UnifiedLog {
public:
    UnifiedLog(PlatformLog &log, int tz)
        : m_log(log)
        , m_tz(tz)
    {
    }
    void entry(int64_t us, const std::string &image, uint32_t pid, const std::string &subsystem,
        const std::string &category, const std::string &message)
    {
        m_log.add(us,
            R"({"traceID":)" + std::to_string(1000 + pid) + R"(,"eventMessage":")" + jsonEscaped(message)
                + R"(","eventType":"logEvent","source":null,"formatString":"%{public}s","activityIdentifier":0,"subsystem":")"
                + subsystem + R"(","category":")" + category + R"(","threadID":)" + std::to_string(5000 + pid)
                + R"(,"senderImageUUID":"A1B2","backtrace":{"frames":[]},"bootUUID":"","processImagePath":")" + image
                + R"(","timestamp":")" + unifiedTime(us, m_tz) + R"(","senderImagePath":")" + image
                + R"(","machTimestamp":1,"messageType":"Default","processImageUUID":"C3D4","processID":)"
                + std::to_string(pid) + R"(,"senderProgramCounter":1,"parentActivityIdentifier":0,"timezoneName":""})");
    }

private:
    PlatformLog &m_log;
    int m_tz;
};

// One forwarded ESXi log (RFC 5424, the ESXi host's name in the header).
class EsxiLog {
public:
    EsxiLog(PlatformLog &log, std::string fqdn)
        : m_log(log)
        , m_fqdn(std::move(fqdn))
    {
    }
    void line(int64_t us, int pri, const std::string &app, uint32_t pid, const std::string &msg)
    {
        m_log.add(us,
            '<' + std::to_string(pri) + ">1 " + esxiTime(us) + ' ' + m_fqdn + ' ' + app + ' ' + std::to_string(pid)
                + " - - " + msg);
    }
    void sshd(int64_t us, uint32_t pid, const std::string &msg) { line(us, 38, "sshd", pid, msg); }
    void shell(int64_t us, uint32_t pid, const std::string &cmd) { line(us, 14, "shell", pid, "[root]: " + cmd); }
    void hostd(int64_t us, uint32_t pid, const std::string &op, const std::string &msg)
    {
        line(us, 166, "Hostd", pid, "[Originator@6876 sub=" + op + "] " + msg);
    }

private:
    PlatformLog &m_log;
    std::string m_fqdn;
};
} // namespace

void PlatformActivity::run()
{
    const Topology &t = m_s.topo();
    Rng &r = m_s.rng();
    const int n = t.windowsCount();
    if (n < 2)
        return;
    const std::string &ip0 = t.host(0).ip;
    const std::string base = ip0.substr(0, ip0.find('.', ip0.find('.') + 1) + 1); // "10.N."
    const std::string dom = t.dnsDomain();
    const std::vector<int> servers = t.indicesOf(HostRole::Server);
    const std::vector<int> workstations = t.indicesOf(HostRole::Workstation);
    auto server = [&] { return servers.empty() ? 0 : servers[r.below(servers.size())]; };
    auto workstation = [&] { return workstations.empty() ? n - 1 : workstations[r.below(workstations.size())]; };
    const int64_t span = std::max<int64_t>(m_s.endUs() - m_s.startUs() - 3 * 3600 * kSec, kMin);
    auto when
        = [&] { return m_s.startUs() + 3600 * kSec + static_cast<int64_t>(r.below(static_cast<uint64_t>(span))); };

    // --- the hosts ---
    constexpr int kEsxi = 2, kMacs = 2;
    auto &hosts = m_s.platformHosts;
    for (int i = 0; i < kEsxi; ++i) {
        PlatformHost h;
        h.kind = "esxi";
        h.name = "ESX0" + std::to_string(i + 1);
        h.fqdn = "esx0" + std::to_string(i + 1) + '.' + dom;
        h.ip = base + "2." + std::to_string(11 + i);
        h.logs.push_back({"esxi/" + h.name + "-syslog.log", "", {}});
        hosts.push_back(std::move(h));
    }
    const char *const macUsers[] = {"jchen", "lpark", "mdiaz"};
    for (int i = 0; i < kMacs; ++i) {
        PlatformHost h;
        h.kind = "macos";
        h.name = "MAC-DSGN-0" + std::to_string(i + 1);
        h.fqdn = h.name + '.' + dom;
        h.ip = base + "3." + std::to_string(21 + i);
        h.logs.push_back({"macos/" + h.name + "/eslogger.ndjson", h.name, {}});
        h.logs.push_back({"macos/" + h.name + "/unifiedlog.ndjson", h.name, {}});
        hosts.push_back(std::move(h));
    }
    const int tz = t.mainTzMinutes();

    auto label = [&](const std::string &srcName, const std::string &srcIp, int srcIndex, const std::string &dstName,
                     const std::string &dstIp, int dstIndex, const std::string &file, const std::string &path,
                     const std::string &account, const std::string &method, const std::string &direction, int64_t us,
                     std::string notes) {
        Transfer tr;
        tr.category = Transfer::Category::Attack;
        tr.src = srcIndex;
        tr.dst = dstIndex;
        tr.srcName = srcName;
        tr.srcIp = srcIp;
        tr.dstName = dstName;
        tr.dstIp = dstIp;
        tr.file = file;
        tr.path = path;
        tr.account = account;
        tr.method = method;
        tr.direction = direction;
        tr.confidence = "medium";
        tr.utcUs = us;
        tr.notes = std::move(notes);
        return m_s.addTransfer(std::move(tr));
    };

    int esxiTransfers = 0, macTransfers = 0;
    for (int m = 0; m < kMacs; ++m) {
        PlatformHost &mac = hosts[static_cast<size_t>(kEsxi) + static_cast<size_t>(m)];
        EsLog es(mac.logs[0]);
        UnifiedLog ul(mac.logs[1], tz);
        const std::string user = macUsers[m % 3];
        const uint32_t uid = 501 + static_cast<uint32_t>(m);
        const std::string home = "/Users/" + user;
        uint32_t nextPid = 700 + static_cast<uint32_t>(r.below(200));
        const MacProc launchd {1, 0, 0, "/sbin/launchd", "com.apple.xpc.launchd"};
        const MacProc sshd {nextPid++, 1, 0, "/usr/sbin/sshd", "com.apple.sshd"};
        const MacProc zsh {nextPid++, 1, uid, "/bin/zsh", "com.apple.zsh"};

        // The user opens Terminal at the start of the day: Terminal.app runs `login -pf USER`
        // (ES login_login names the uid), which starts the shell.
        {
            const MacProc login {nextPid++, 1, 0, "/usr/bin/login", "com.apple.login"};
            es.message(m_s.startUs() + 20 * kMin, 100,
                R"("login_login":{"success":true,"failure_message":null,"username":")" + user
                    + R"(","has_uid":true,"uid":{"uid":)" + std::to_string(uid) + "}}",
                login);
        }
        // Ordinary activity: the user's shell, apps writing their own caches, .DS_Store files.
        for (int k = 0; k < 12; ++k) {
            const int64_t us = when();
            const MacProc ls {nextPid++, zsh.pid, uid, "/bin/ls", "com.apple.ls"};
            es.exec(us, zsh, ls, {"ls", "-la", home + "/Documents"}, home);
            const MacProc app {nextPid++, 1, uid, "/Applications/Safari.app/Contents/MacOS/Safari", "com.apple.Safari"};
            es.create(us + 2 * kSec, app, home + "/Library/Caches/com.apple.Safari",
                "Cache" + std::to_string(r.range(100, 999)) + ".db");
            const MacProc finder {
                nextPid++, 1, uid, "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder", "com.apple.finder"};
            es.create(us + 3 * kSec, finder, home + "/Desktop", ".DS_Store");
        }
        (void)launchd;

        // (1) A Windows host pushes a tool into the Mac with OpenSSH's scp.exe (scp >= 9 speaks SFTP:
        // the Mac's sftp-server writes the file).
        {
            const int src = workstation();
            const Host &s = t.host(src);
            HostContext &sc = m_s.ctx(src);
            const int64_t us = when();
            const std::string file = kMacTools[r.below(std::size(kMacTools))];
            const std::string dir = home + "/Downloads";
            const int acct = s.primaryUser >= 0 ? s.primaryUser : t.accountsOf(AccountKind::ItAdmin).front();
            const int tag = label(s.fqdn, s.ip, src, mac.fqdn, mac.ip, -1, file, dir + '/' + file,
                mac.name + '\\' + user, "scp", "push", us + 1500 * kMs,
                "OpenSSH scp.exe on " + s.fqdn + " pushing " + file + " into " + mac.fqdn
                    + " (unified-log sshd login, eslogger sftp-server create).");
            const Proc u = sc.userProc(us - 60 * kSec, acct, 0x5e7000 + static_cast<uint64_t>(r.below(0xfff)), 1,
                "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", false);
            const Proc ps
                = m_s.start(src, us - 20 * kSec, u, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" ");
            const Proc scp = m_s.start(src, us, ps, "C:\\Windows\\System32\\OpenSSH\\scp.exe",
                "\"C:\\Windows\\System32\\OpenSSH\\scp.exe\" C:\\Users\\Public\\" + file + ' ' + user + '@' + mac.ip
                    + ':' + dir + '/',
                tag);
            const std::string port = m_s.ephemeralPort();
            m_s.put(src, m_s.f(src).networkConnect(us + 100 * kMs, scp, true, s.ip, port, mac.ip, "22"), tag);
            m_s.stop(src, us + 4 * kSec, scp);
            m_s.stop(src, us + 30 * kSec, ps);

            const uint32_t sess = nextPid++;
            const int64_t a = us + 200 * kMs;
            ul.entry(a, "/usr/sbin/sshd", sshd.pid, "", "",
                "Connection from " + s.ip + " port " + port + " on " + mac.ip + " port 22 rdomain \"\"");
            ul.entry(a + 300 * kMs, "/usr/sbin/sshd", sshd.pid, "", "",
                "Accepted publickey for " + user + " from " + s.ip + " port " + port
                    + " ssh2: ED25519 SHA256:q2Vh0Jr4bS9u1cXk7mN3pA8dL5fG6hT0wE2yR4uI9oP");
            es.sshLogin(a + 310 * kMs, sshd, s.ip, user, uid);
            ul.entry(a + 500 * kMs, "/usr/libexec/sshd-session", sess, "", "",
                "Starting session: subsystem 'sftp' for " + user + " from " + s.ip + " port " + port + " id 0");
            const MacProc sshdSess {sess, sshd.pid, uid, "/usr/libexec/sshd-session", "com.apple.sshd-session"};
            const MacProc sftp {nextPid++, sess, uid, "/usr/libexec/sftp-server", "com.apple.sftp-server"};
            es.exec(a + 600 * kMs, sshdSess, sftp, {"/usr/libexec/sftp-server"}, home);
            es.create(a + 1300 * kMs, sftp, dir, file);
            ul.entry(a + 3 * kSec, "/usr/libexec/sshd-session", sess, "", "",
                "Received disconnect from " + s.ip + " port " + port + ":11: disconnected by user");
            ++macTransfers;
        }

        // (1b) A Windows host copies a tool into the Mac's Public folder over SMB (File Sharing on):
        // `copy` on the client; Endpoint Security sees smbd create the file (eslogger create by
        // /usr/sbin/smbd). The first Mac's smbd also logs the session, the tree connect and the
        // create (debug logging; message wording assumed: docs/record-conventions.md "macOS smbd");
        // the second logs as by default (nothing): the account is then the client's. Then another
        // client only reads a file of that share and its Finder-like housekeeping writes: no
        // transfer.
        {
            const bool smbdLog = m == 0;
            const int src = workstation();
            const Host &s = t.host(src);
            HostContext &sc = m_s.ctx(src);
            const int64_t us = when();
            const std::string file = kMacTools[r.below(std::size(kMacTools))];
            const std::string shareDir = home + "/Public";
            const int acct = s.primaryUser >= 0 ? s.primaryUser : t.accountsOf(AccountKind::ItAdmin).front();
            const int tag = label(s.fqdn, s.ip, src, mac.fqdn, mac.ip, -1, file, shareDir + '/' + file,
                smbdLog ? mac.name + '\\' + user : t.domainOf(acct, s) + '\\' + t.account(acct).sam, "smb-share",
                "push", us + 600 * kMs,
                "cmd copy on " + s.fqdn + " into \\\\" + mac.name + "\\Public ("
                    + (smbdLog ? "the Mac's smbd: session setup, tree connect, create; " : "")
                    + "eslogger: smbd creates the file).");
            const Proc u = sc.userProc(us - 60 * kSec, acct, 0x5e8000 + static_cast<uint64_t>(r.below(0xfff)), 1,
                "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", false);
            const Proc cmd = m_s.start(src, us, u, "C:\\Windows\\System32\\cmd.exe",
                "cmd.exe /c copy C:\\Users\\Public\\" + file + " \\\\" + mac.name + "\\Public\\" + file, tag);
            const std::string port = m_s.ephemeralPort();
            m_s.put(src, m_s.f(src).networkConnect(us + 100 * kMs, sc.system(), true, s.ip, port, mac.ip, "445"), tag);
            m_s.stop(src, us + 2 * kSec, cmd);

            const uint32_t smbd = 400 + static_cast<uint32_t>(m);
            const MacProc smbdProc {smbd, 1, 0, "/usr/sbin/smbd", "com.apple.smbd"};
            es.create(us + 605 * kMs, smbdProc, shareDir, file);
            const Host &reader = t.host(workstation());
            const int64_t b = us + 40 * kMin;
            es.create(b + 505 * kMs, smbdProc, shareDir, "._" + file); // the reader's Finder
            if (smbdLog) {
                char session[16];
                std::snprintf(
                    session, sizeof session, "0x%llx", static_cast<unsigned long long>(r.range(0x100, 0xfff)));
                const int64_t a = us + 200 * kMs;
                ul.entry(a, "/usr/sbin/smbd", smbd, "com.apple.smbd", "session",
                    "SMB2 session setup: client=" + s.ip + ':' + port + " user=\"" + user
                        + "\" auth=NTLMv2 session=" + session + " status=STATUS_SUCCESS");
                ul.entry(a + 40 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "tree",
                    std::string("SMB2 tree connect: session=") + session + " share=\"Public\" path=\"" + shareDir
                        + "\" status=STATUS_SUCCESS");
                ul.entry(a + 400 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "file",
                    std::string("SMB2 create: session=") + session + " share=\"Public\" file=\"" + file
                        + "\" type=file disposition=FILE_OVERWRITE_IF access=0x00130197 action=created "
                          "status=STATUS_SUCCESS");
                ul.entry(a + 900 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "file",
                    std::string("SMB2 close: session=") + session + " share=\"Public\" file=\"" + file
                        + "\" written=" + std::to_string(r.range(20000, 900000)));
                ul.entry(a + 1200 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "session",
                    std::string("SMB2 session logoff: session=") + session);

                const std::string rport = m_s.ephemeralPort();
                ul.entry(b, "/usr/sbin/smbd", smbd, "com.apple.smbd", "session",
                    "SMB2 session setup: client=" + reader.ip + ':' + rport + " user=\"" + user
                        + "\" auth=NTLMv2 session=0x77 status=STATUS_SUCCESS");
                ul.entry(b + 40 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "tree",
                    "SMB2 tree connect: session=0x77 share=\"Public\" path=\"" + shareDir + "\" status=STATUS_SUCCESS");
                ul.entry(b + 300 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "file",
                    "SMB2 create: session=0x77 share=\"Public\" file=\"" + file
                        + "\" type=file disposition=FILE_OPEN access=0x00120089 action=opened status=STATUS_SUCCESS");
                ul.entry(b + 500 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "file",
                    "SMB2 create: session=0x77 share=\"Public\" file=\"._" + file
                        + "\" type=file disposition=FILE_OVERWRITE_IF access=0x00130197 action=created "
                          "status=STATUS_SUCCESS");
                ul.entry(b + 900 * kMs, "/usr/sbin/smbd", smbd, "com.apple.smbd", "session",
                    "SMB2 session logoff: session=0x77");
            }
            ++macTransfers;
        }

        // (2) The Mac pulls a file with curl from an internal web server.
        {
            const int sv = server();
            const Host &s = t.host(sv);
            const int64_t us = when();
            const std::string file = kMacTools[r.below(std::size(kMacTools))];
            const std::string dir = "/tmp";
            const bool byName = r.chance(0.5);
            const std::string url = "http://" + (byName ? s.fqdn : s.ip) + "/share/" + file;
            label(s.fqdn, s.ip, sv, mac.fqdn, mac.ip, -1, file, dir + '/' + file, mac.name + '\\' + user, "http",
                "pull", us, "curl on " + mac.fqdn + " downloading " + url + " (eslogger exec + create).");
            const MacProc curl {nextPid++, zsh.pid, uid, "/usr/bin/curl", "com.apple.curl"};
            es.exec(us, zsh, curl, {"curl", "-s", "-o", dir + '/' + file, url}, home);
            es.create(us + 900 * kMs, curl, dir, file);
            ++macTransfers;
        }

        // (3) The Mac pushes a tool into an ESXi host with scp; root makes it executable and runs it
        // from the ESXi Shell a little later.
        {
            PlatformHost &esx = hosts[static_cast<size_t>(m % kEsxi)];
            EsxiLog ex(esx.logs[0], esx.fqdn);
            const int64_t us = when();
            const std::string file = kEsxiTools[r.below(std::size(kEsxiTools))];
            const std::string path = "/tmp/" + file;
            label(mac.fqdn, mac.ip, -1, esx.fqdn, esx.ip, -1, file, path, esx.name + "\\root", "scp", "push",
                us + 1 * kSec,
                "scp on " + mac.fqdn + " pushing " + file + " into " + esx.fqdn
                    + ":/tmp/ (eslogger exec; ESXi auth.log login, shell.log chmod and run).");
            const MacProc scp {nextPid++, zsh.pid, uid, "/usr/bin/scp", "com.apple.scp"};
            es.exec(us, zsh, scp, {"scp", home + "/Downloads/" + file, "root@" + esx.ip + ":/tmp/"}, home);
            const int port = static_cast<int>(r.range(49152, 65000));
            const uint32_t pid = 2000 + static_cast<uint32_t>(r.below(90000));
            ex.sshd(us + 300 * kMs, pid,
                "Connection from " + mac.ip + " port " + std::to_string(port) + " on " + esx.ip
                    + " port 22 rdomain \"\"");
            ex.sshd(us + 800 * kMs, pid,
                "Accepted keyboard-interactive/pam for root from " + mac.ip + " port " + std::to_string(port)
                    + " ssh2");
            ex.sshd(us + 900 * kMs, pid, "subsystem request for sftp by user root");
            ex.sshd(us + 3 * kSec, pid, "Disconnected from user root " + mac.ip + " port " + std::to_string(port));
            const int64_t later = us + static_cast<int64_t>(r.range(60, 600)) * kSec;
            const int port2 = port + 7;
            const uint32_t pid2 = pid + 11;
            ex.sshd(later, pid2,
                "Accepted keyboard-interactive/pam for root from " + mac.ip + " port " + std::to_string(port2)
                    + " ssh2");
            ex.sshd(later + 100 * kMs, pid2, "Session opened for 'root' on /dev/char/pty/t0");
            const uint32_t shellPid = pid2 + 3;
            ex.line(later + 2 * kSec, 14, "shell", shellPid, "Interactive shell session started");
            ex.shell(later + 10 * kSec, shellPid, "cd /tmp");
            ex.shell(later + 14 * kSec, shellPid, "chmod +x " + file);
            ex.shell(later + 20 * kSec, shellPid, "./" + file + " --path /vmfs/volumes");
            ++esxiTransfers;
        }
    }

    // (6) AirDrop: each Mac receives a file from the other Mac (a host of the case) and one from a
    // phone (no host: an unknown source). sharingd logs the ask with the AirDrop request's keys
    // (SenderComputerName, SenderID, Files / FileName) and writes the accepted file into
    // ~/Downloads. The message wording around the keys is assumed (not documented).
    for (int m = 0; m < kMacs; ++m) {
        PlatformHost &mac = hosts[static_cast<size_t>(kEsxi) + static_cast<size_t>(m)];
        const PlatformHost &other = hosts[static_cast<size_t>(kEsxi) + static_cast<size_t>((m + 1) % kMacs)];
        EsLog es(mac.logs[0]);
        UnifiedLog ul(mac.logs[1], tz);
        const std::string user = macUsers[m % 3];
        const uint32_t uid = 501 + static_cast<uint32_t>(m);
        const MacProc sharingd {310 + static_cast<uint32_t>(m), 1, uid, "/usr/libexec/sharingd", "com.apple.sharingd"};
        for (int k = 0; k < 2; ++k) {
            const bool phone = k == 1;
            const int64_t us = when();
            const std::string file = phone ? "IMG_" + std::to_string(r.range(1000, 9999)) + ".HEIC"
                                           : kMacTools[r.below(std::size(kMacTools))];
            const std::string sender = phone ? std::string("Bob's iPhone") : other.name;
            const int64_t lands = us + static_cast<int64_t>(r.range(3, 40)) * kSec; // the user accepted
            label(phone ? std::string() : other.fqdn, phone ? std::string() : other.ip, -1, mac.fqdn, mac.ip, -1, file,
                "/Users/" + user + "/Downloads/" + file, mac.name + '\\' + user, "airdrop", "push", lands,
                "AirDrop from " + sender + " to " + mac.fqdn + " (sharingd ask, file created by sharingd).");
            char id[16];
            std::snprintf(id, sizeof id, "%012llx", static_cast<unsigned long long>(r.below(0xffffffffffffull)));
            ul.entry(us, "/usr/libexec/sharingd", sharingd.pid, "com.apple.sharing", "AirDrop",
                "SDAirDropTransferManager: Ask request received: {\n    BundleID = com.apple.finder;\n    Files = (\n"
                "        {\n            FileIsDirectory = 0;\n            FileName = \""
                    + file
                    + "\";\n            FileType = \"public.data\";\n        }\n    );\n"
                      "    SenderComputerName = \""
                    + sender + "\";\n    SenderID = " + id + ";\n    SenderModelName = \""
                    + (phone ? "iPhone14,2" : "MacBookPro18,3") + "\";\n}");
            es.create(lands, sharingd, "/Users/" + user + "/Downloads", file);
            ++macTransfers;
        }
    }

    for (int e = 0; e < kEsxi; ++e) {
        PlatformHost &esx = hosts[static_cast<size_t>(e)];
        EsxiLog ex(esx.logs[0], esx.fqdn);
        const uint32_t hostdPid = 2099000 + static_cast<uint32_t>(r.below(900));
        // Ordinary activity: vpxa's local logins, an administrator's own script written and run
        // (no transfer: a command named it first), esxcli queries.
        for (int k = 0; k < 10; ++k) {
            const int64_t us = when();
            ex.hostd(us, hostdPid, "Vimsvc.ha-eventmgr opID=vpxa-" + std::to_string(k) + " user=vpxuser",
                "Event " + std::to_string(200 + k) + " : User vpxuser@127.0.0.1 logged in as VMware-client/6.5.0");
            ex.shell(us + 5 * kSec, 3000 + static_cast<uint32_t>(k), "esxcli network ip connection list");
        }
        {
            const int64_t us = when();
            const uint32_t sh = 3300 + static_cast<uint32_t>(e);
            ex.shell(us, sh, "vi /tmp/collect-stats.sh");
            ex.shell(us + 40 * kSec, sh, "chmod +x /tmp/collect-stats.sh");
            ex.shell(us + 45 * kSec, sh, "/tmp/collect-stats.sh");
        }

        // (4) An administrator's browser uploads an ISO through the Host Client datastore browser.
        {
            const int src = server();
            const Host &s = t.host(src);
            HostContext &sc = m_s.ctx(src);
            const int64_t us = when();
            const std::string file = kIsos[r.below(std::size(kIsos))];
            label(s.fqdn, s.ip, src, esx.fqdn, esx.ip, -1, file, "/vmfs/volumes/datastore1/iso/" + file,
                esx.name + "\\root", "http", "push", us + 30 * kSec,
                "Host Client datastore upload of " + file + " from " + s.fqdn + " into " + esx.fqdn + " (hostd).");
            const int acct = t.accountsOf(AccountKind::ItAdmin).front();
            const Proc u = sc.userProc(us - 60 * kSec, acct, 0x6e7000 + static_cast<uint64_t>(r.below(0xfff)), 1,
                "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", false);
            const Proc edge = m_s.start(src, us - 10 * kSec, u,
                "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
                "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" https://" + esx.fqdn + "/ui/");
            m_s.put(
                src, m_s.f(src).networkConnect(us - 9 * kSec, edge, true, s.ip, m_s.ephemeralPort(), esx.ip, "443"));
            ex.hostd(us, hostdPid,
                "Vimsvc.ha-eventmgr opID=esxui-" + std::to_string(r.range(1000, 9999)) + " user=root",
                "Event " + std::to_string(r.range(300, 900)) + " : User root@" + s.ip
                    + " logged in as Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
            ex.hostd(us + 30 * kSec, hostdPid + 1,
                "Libs opID=esxui-" + std::to_string(r.range(1000, 9999)) + " user=root",
                "PUT /folder/iso/" + file + "?dcPath=ha-datacenter&dsName=datastore1 HTTP/1.1 client " + s.ip);
            ++esxiTransfers;
        }

        // (5) root pulls a script with wget from an internal web server.
        {
            const int sv = server();
            const Host &s = t.host(sv);
            const int64_t us = when();
            const std::string file = "esx-" + std::to_string(r.range(10, 99)) + ".sh";
            const std::string url = "http://" + s.ip + "/tools/" + file;
            const PlatformHost &mac = hosts[static_cast<size_t>(kEsxi) + static_cast<size_t>(e % kMacs)];
            label(s.fqdn, s.ip, sv, esx.fqdn, esx.ip, -1, file, "/tmp/" + file, esx.name + "\\root", "http", "pull",
                us + 20 * kSec, "wget on " + esx.fqdn + " from " + url + " (shell.log).");
            const uint32_t pid = 5000 + static_cast<uint32_t>(r.below(9000));
            const int port = static_cast<int>(r.range(49152, 65000));
            ex.sshd(us, pid,
                "Accepted keyboard-interactive/pam for root from " + mac.ip + " port " + std::to_string(port)
                    + " ssh2");
            ex.sshd(us + 100 * kMs, pid, "Session opened for 'root' on /dev/char/pty/t1");
            ex.shell(us + 20 * kSec, pid + 2, "wget " + url + " -O /tmp/" + file);
            ex.shell(us + 25 * kSec, pid + 2, "sh /tmp/" + file);
            ++esxiTransfers;
        }
    }
    for (PlatformHost &h : hosts)
        for (PlatformLog &l : h.logs)
            l.sort();
    m_s.note("Platforms: " + std::to_string(kEsxi) + " ESXi hosts (syslog-forwarded shell / auth / hostd lines) and "
        + std::to_string(kMacs) + " Macs (eslogger + unified log, import with --host NAME); "
        + std::to_string(esxiTransfers) + " transfers into ESXi hosts, " + std::to_string(macTransfers)
        + " into Macs.");
}

} // namespace tt::gen
