#include "macos/MacNormalizer.h"

#include "core/Normalizer.h"
#include "core/RawEvent.h"
#include "linux/LinuxNormalizer.h"
#include "macos/MacLogParsers.h"
#include "store/CaseWriter.h"
#include "store/HostName.h"

#include <cstdlib>
#include <string>

namespace tt {

using store::kNoValue;

int64_t MacNormalizer::uidAccount(const RawEvent &ev, std::string_view uidField, std::string_view nameField)
{
    if (const std::string_view name = ev.field(nameField); !name.empty())
        return m_w.accountId(LinuxNormalizer::accountDomain(ev.computer), name, {});
    std::string_view uid = ev.field(uidField);
    if (uid.empty())
        return 0;
    return m_w.accountId(LinuxNormalizer::accountDomain(ev.computer), uid == "0" ? std::string_view("root") : uid, {});
}

int64_t MacNormalizer::smbdAccount(const RawEvent &ev)
{
    const std::string_view user = ev.field("user");
    if (user.empty())
        return 0;
    // A domain other than the Mac's own names a directory account (a Mac bound to AD); none, or
    // the Mac's name, a local account of the Mac.
    const std::string local = LinuxNormalizer::accountDomain(ev.computer);
    const std::string_view domain = ev.field("domain");
    if (domain.empty() || LinuxNormalizer::accountDomain(domain) == local)
        return m_w.accountId(local, user, {});
    return m_w.accountId(domain, user, {});
}

void MacNormalizer::normaliseSmbd(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    const int64_t ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    const std::string_view status = ev.field("status");
    const bool ok = status.empty() || status == "STATUS_SUCCESS";
    std::string ip = store::normaliseIp(ev.field("client_ip"));
    if (store::isUninformativeIp(ip))
        ip.clear();
    const int64_t port = Normalizer::parseInteger(ev.field("client_port"));
    if (ev.eventId == SmbdMessage::kSessionSetup) {
        store::LogonRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.outcome = ok ? "success" : "failure";
        r.origin = "smbd";
        r.logonId = ev.field("session");
        r.logonType = 3; // network, as Windows types an SMB session
        r.accountId = smbdAccount(ev);
        r.sourceIp = ip;
        r.sourcePort = port;
        r.authPackage = ev.field("auth");
        r.logonProcess = "smbd";
        m_w.insertLogon(r);
        return;
    }
    if (!ok || (ev.eventId != SmbdMessage::kTreeConnect && ev.eventId != SmbdMessage::kCreate))
        return;
    const std::string_view share = ev.field("share");
    if (share.empty())
        return;
    const std::string shareName = "\\\\*\\" + std::string(share); // as Windows' 5140 / 5145 write it
    store::ShareAccessRow r;
    r.event = eventRow;
    r.hostId = host;
    r.ts = ts;
    r.shareName = shareName;
    r.sharePath = ev.field("share_path");
    r.srcIp = ip;
    r.srcPort = port;
    r.accountId = smbdAccount(ev);
    r.logonId = ev.field("session");
    if (ev.eventId == SmbdMessage::kTreeConnect) {
        r.code = 5140;
        m_w.insertShareAccess(r);
        return;
    }
    // A file opened or created in the share (folders are not objects a transfer moves).
    if (ev.field("type") == "directory" || ev.field("file").empty())
        return;
    r.code = 5145;
    r.relativeTarget = ev.field("file");
    int64_t mask = 0;
    if (std::string_view a = ev.field("access"); a.size() > 2 && a[0] == '0' && (a[1] == 'x' || a[1] == 'X'))
        mask = static_cast<int64_t>(std::strtoull(std::string(a.substr(2)).c_str(), nullptr, 16));
    const std::string_view action = ev.field("action");
    if (action == "created" || action == "overwritten" || action == "superseded")
        mask |= 0x2; // the file's data was written whatever access was asked
    r.accessMask = mask;
    m_w.insertShareAccess(r);
}

int64_t MacNormalizer::primaryAccount(const RawEvent &ev)
{
    if (ev.channel == "macos:smbd")
        return smbdAccount(ev);
    if (const std::string_view user = ev.field("user"); !user.empty())
        return m_w.accountId(LinuxNormalizer::accountDomain(ev.computer), user, {});
    return ev.field("event") == "exec" ? uidAccount(ev, "target_euid", "target_user")
                                       : uidAccount(ev, "euid", "process_user");
}

void MacNormalizer::normalise(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    if (ev.channel == "macos:smbd") {
        normaliseSmbd(ev, eventRow, host);
        return;
    }
    if (ev.channel != "macos:es")
        return;
    const int64_t ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    const std::string_view kind = ev.field("event");
    if (kind == "exec") {
        store::ProcessRow r;
        r.event = eventRow;
        r.hostId = host;
        r.origin = "eslogger";
        const std::string_view pid = ev.field("target_pid");
        r.pid = Normalizer::parseInteger(pid.empty() ? ev.field("pid") : pid);
        const std::string_view ppid = ev.field("target_ppid");
        r.parentPid = Normalizer::parseInteger(ppid.empty() ? ev.field("ppid") : ppid);
        r.image = ev.field("target_image");
        r.commandLine = ev.field("cmdline");
        r.currentDirectory = ev.field("cwd");
        r.parentImage = ev.field("image"); // the image the process had before exec
        r.accountId = uidAccount(ev, "target_euid", "target_user");
        r.startTs = ts;
        m_w.insertProcess(r);
    } else if ((kind == "create" || kind == "rename") && !ev.field("path").empty()) {
        store::FileEventRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.kind = "create";
        r.path = ev.field("path");
        r.image = ev.field("image");
        r.pid = Normalizer::parseInteger(ev.field("pid"));
        r.accountId = uidAccount(ev, "euid", "process_user");
        m_w.insertFileEvent(r);
    } else if (kind == "openssh_login" && ev.field("success") == "true") {
        store::LogonRow r;
        r.event = eventRow;
        r.hostId = host;
        r.ts = ts;
        r.origin = "sshd";
        r.accountId = primaryAccount(ev);
        std::string ip = store::normaliseIp(ev.field("ip"));
        if (store::isUninformativeIp(ip))
            ip.clear();
        r.sourceIp = ip;
        r.logonProcess = "eslogger";
        m_w.insertLogon(r);
    }
}

} // namespace tt
