#include "linux/LinuxNormalizer.h"

#include "core/Normalizer.h"
#include "core/RawEvent.h"
#include "linux/SshdMessage.h"
#include "store/CaseWriter.h"
#include "store/HostName.h"

namespace tt {

using store::kNoValue;

namespace {
constexpr std::string_view kUnset = "4294967295";

std::string_view firstOf(const RawEvent &ev, std::initializer_list<std::string_view> names)
{
    for (std::string_view n : names)
        if (std::string_view v = ev.field(n); !v.empty())
            return v;
    return {};
}

std::string_view known(std::string_view v)
{
    return (v == "?" || v == "(null)" || v == kUnset) ? std::string_view() : v;
}

int64_t tsOf(const RawEvent &ev)
{
    return ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
}
} // namespace

std::string LinuxNormalizer::accountDomain(std::string_view computer)
{
    const store::HostName h = store::normaliseHostName(computer);
    return h.valid ? h.key : store::toUpperAscii(computer);
}

int64_t LinuxNormalizer::auditAccount(const RawEvent &ev)
{
    // The login user (auid) is the person; uid only when no login is known (daemons).
    std::string_view name = ev.field("auid_name");
    std::string_view id = known(ev.field("SYSCALL.auid"));
    if (name.empty() && id.empty()) {
        id = known(ev.field("SYSCALL.uid"));
        if (id == "0")
            name = "root";
    }
    if (name.empty())
        name = id;
    if (name.empty())
        return 0;
    return m_w.accountId(accountDomain(ev.computer), name, {});
}

int64_t LinuxNormalizer::primaryAccount(const RawEvent &ev)
{
    if (ev.channel == "linux:audit")
        return auditAccount(ev);
    if (ev.channel == "linux:sshd") {
        const std::string_view user = ev.field("user");
        return user.empty() ? 0 : m_w.accountId(accountDomain(ev.computer), user, {});
    }
    return 0;
}

void LinuxNormalizer::normalise(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    if (ev.channel == "linux:audit")
        audit(ev, eventRow, host);
    else if (ev.channel == "linux:sshd")
        sshd(ev, eventRow, host);
}

void LinuxNormalizer::audit(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    const int64_t ts = tsOf(ev);
    if (ev.hasField("EXECVE.argc") && ev.field("SYSCALL.success") != "no") {
        store::ProcessRow r;
        r.event = eventRow;
        r.hostId = host;
        r.origin = "auditd";
        r.pid = Normalizer::parseInteger(ev.field("SYSCALL.pid"));
        r.parentPid = Normalizer::parseInteger(ev.field("SYSCALL.ppid"));
        r.image = firstOf(ev, {"SYSCALL.exe", "PATH.name"});
        r.commandLine = ev.field("cmdline");
        r.currentDirectory = ev.field("CWD.cwd");
        r.accountId = auditAccount(ev);
        r.logonId = known(ev.field("SYSCALL.ses"));
        r.startTs = ts;
        m_w.insertProcess(r);
        return;
    }
    switch (ev.eventId) {
    case 1112: { // USER_LOGIN
        store::LogonRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.origin = "auditd";
        r.outcome = ev.field("USER_LOGIN.res") == "success" ? "success" : "failure";
        r.logonId = known(ev.field("USER_LOGIN.ses"));
        std::string_view user = ev.field("auid_name");
        if (user.empty())
            user = known(firstOf(ev, {"USER_LOGIN.acct", "USER_LOGIN.id"}));
        r.accountId = user.empty() ? 0 : m_w.accountId(accountDomain(ev.computer), user, {});
        std::string ip = store::normaliseIp(known(ev.field("USER_LOGIN.addr")));
        if (store::isUninformativeIp(ip))
            ip.clear();
        r.sourceIp = ip;
        const std::string_view hostname = known(ev.field("USER_LOGIN.hostname"));
        if (!hostname.empty() && hostname != ev.field("USER_LOGIN.addr"))
            r.workstation = hostname;
        r.logonProcess = ev.field("USER_LOGIN.exe");
        m_w.insertLogon(r);
        break;
    }
    case 1106: // USER_END
    case 1113: // USER_LOGOUT
        if (std::string_view ses = known(firstOf(ev, {"USER_END.ses", "USER_LOGOUT.ses"})); !ses.empty())
            m_w.endLogon(host, ses, ts);
        break;
    case 1300: { // SYSCALL: connect() with its SOCKADDR
        const std::string_view fam = ev.field("SOCKADDR.family");
        if (fam != "inet" && fam != "inet6")
            break;
        const std::string_view arch = ev.field("SYSCALL.arch"), sc = ev.field("SYSCALL.syscall");
        const bool connect = sc == "connect" || (arch == "c000003e" && sc == "42")
            || (arch == "c00000b7" && sc == "203") || (arch == "40000003" && sc == "362");
        const std::string_view exitCode = ev.field("SYSCALL.exit");
        if (!connect || (ev.field("SYSCALL.success") != "yes" && exitCode != "-115" && exitCode != "EINPROGRESS"))
            break;
        store::NetConnRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.protocol = "tcp";
        r.initiated = 1;
        const std::string dst = store::normaliseIp(ev.field("SOCKADDR.addr"));
        r.dstIp = dst;
        r.dstPort = Normalizer::parseInteger(ev.field("SOCKADDR.port"));
        r.image = ev.field("SYSCALL.exe");
        r.pid = Normalizer::parseInteger(ev.field("SYSCALL.pid"));
        r.accountId = auditAccount(ev);
        m_w.insertNetConn(r);
        break;
    }
    default:
        break;
    }
}

void LinuxNormalizer::sshd(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    const int64_t ts = tsOf(ev);
    const std::string_view pid = ev.field("pid");
    const std::string logonId = pid.empty() ? std::string() : "sshd:" + std::string(pid);
    // A file sftp-server names (-l INFO): written ("create") or sent whole to the client ("read").
    auto sftpFileEvent = [&](const char *kind) {
        store::FileEventRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.kind = kind;
        r.path = ev.field("path");
        r.image = ev.field("identifier");
        r.pid = Normalizer::parseInteger(pid);
        m_w.insertFileEvent(r);
    };
    switch (ev.eventId) {
    case sshd::kAccepted:
    case sshd::kFailed:
    case sshd::kInvalidUser: {
        store::LogonRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.origin = "sshd";
        r.outcome = ev.eventId == sshd::kAccepted ? "success" : "failure";
        if (ev.eventId == sshd::kAccepted)
            r.logonId = logonId;
        const std::string_view user = ev.field("user");
        r.accountId = user.empty() ? 0 : m_w.accountId(accountDomain(ev.computer), user, {});
        std::string ip = store::normaliseIp(ev.field("ip"));
        if (store::isUninformativeIp(ip))
            ip.clear();
        r.sourceIp = ip;
        r.sourcePort = Normalizer::parseInteger(ev.field("port"));
        r.authPackage = ev.field("method");
        r.logonProcess = "sshd";
        m_w.insertLogon(r);
        break;
    }
    case sshd::kPamSessionClose:
    case sshd::kDisconnect:
    case sshd::kSessionClose:
        if (!logonId.empty())
            m_w.endLogon(host, logonId, ts);
        break;
    case sshd::kConnection: {
        const std::string local = store::normaliseIp(ev.field("local_ip"));
        if (!store::isUninformativeIp(local) && local != "0.0.0.0")
            m_w.noteAddress(host, local, "sshd-local", ts, eventRow);
        break;
    }
    case sshd::kSftpOpen: {
        const std::string_view flags = ev.field("flags");
        if (flags.find("WRITE") == std::string_view::npos && flags.find("CREATE") == std::string_view::npos)
            break;
        sftpFileEvent("create");
        break;
    }
    case sshd::kSftpClose: {
        // A file the client downloaded: sftp-server read it and wrote nothing ("bytes read N
        // written 0"). The close carries the amount, so it stands for the whole read.
        const int64_t read = Normalizer::parseInteger(ev.field("bytes_read"));
        if (read <= 0 || Normalizer::parseInteger(ev.field("bytes_written")) != 0)
            break;
        sftpFileEvent("read");
        break;
    }
    default:
        break;
    }
}

} // namespace tt
