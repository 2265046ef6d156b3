#include "macos/MacNormalizer.h"

#include "core/Normalizer.h"
#include "core/RawEvent.h"
#include "linux/LinuxNormalizer.h"
#include "store/CaseWriter.h"
#include "store/HostName.h"

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

int64_t MacNormalizer::primaryAccount(const RawEvent &ev)
{
    if (const std::string_view user = ev.field("user"); !user.empty())
        return m_w.accountId(LinuxNormalizer::accountDomain(ev.computer), user, {});
    return ev.field("event") == "exec" ? uidAccount(ev, "target_euid", "target_user")
                                       : uidAccount(ev, "euid", "process_user");
}

void MacNormalizer::normalise(const RawEvent &ev, int64_t eventRow, int64_t host)
{
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
