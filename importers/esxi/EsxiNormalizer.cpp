#include "esxi/EsxiNormalizer.h"

#include "core/Normalizer.h"
#include "core/RawEvent.h"
#include "esxi/EsxiMessage.h"
#include "linux/LinuxNormalizer.h"
#include "store/CaseWriter.h"
#include "store/HostName.h"

#include <string>

namespace tt {

using store::kNoValue;

int64_t EsxiNormalizer::primaryAccount(const RawEvent &ev)
{
    const std::string_view user = ev.field("user");
    return user.empty() ? 0 : m_w.accountId(LinuxNormalizer::accountDomain(ev.computer), user, {});
}

void EsxiNormalizer::logon(
    const RawEvent &ev, int64_t eventRow, int64_t host, std::string_view origin, std::string_view process, bool success)
{
    store::LogonRow r;
    r.event = eventRow;
    r.hostId = host;
    r.ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    r.origin = origin;
    r.outcome = success ? "success" : "failure";
    r.logonType = origin == "hostd" ? 3 : kNoValue; // the Host Client / API over HTTPS: a network logon
    r.accountId = primaryAccount(ev);
    std::string ip = store::normaliseIp(ev.field("ip"));
    if (store::isUninformativeIp(ip))
        ip.clear();
    r.sourceIp = ip;
    r.logonProcess = process;
    m_w.insertLogon(r);
}

void EsxiNormalizer::normalise(const RawEvent &ev, int64_t eventRow, int64_t host)
{
    const int64_t ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    if (ev.channel == "esxi:shell" && ev.eventId == esxi::shell::kCommand) {
        store::ProcessRow r;
        r.event = eventRow;
        r.hostId = host;
        r.origin = "esxi-shell";
        r.parentPid = Normalizer::parseInteger(ev.field("pid"));
        r.image = ev.field("image");
        r.commandLine = ev.field("command");
        r.currentDirectory = ev.field("cwd");
        r.accountId = primaryAccount(ev);
        r.startTs = ts;
        m_w.insertProcess(r);
        return;
    }
    if (ev.channel == "esxi:hostd") {
        switch (ev.eventId) {
        case esxi::hostd::kLogin:
            logon(ev, eventRow, host, "hostd", "hostd", true);
            break;
        case esxi::hostd::kLoginFailed:
            logon(ev, eventRow, host, "hostd", "hostd", false);
            break;
        case esxi::hostd::kUpload:
        case esxi::hostd::kDownload: {
            store::FileEventRow r;
            r.event = eventRow;
            r.hostId = host;
            r.ts = ts;
            r.kind = ev.eventId == esxi::hostd::kUpload ? "create" : "read";
            r.path = ev.field("path");
            r.image = "hostd";
            r.pid = Normalizer::parseInteger(ev.field("pid"));
            r.accountId = primaryAccount(ev);
            m_w.insertFileEvent(r);
            // The request came from its client under its user: the session that moved the file.
            if (!ev.field("ip").empty())
                logon(ev, eventRow, host, "hostd", "hostd-http", true);
            break;
        }
        default:
            break;
        }
        return;
    }
    if (ev.channel == "esxi:vobd" && ev.eventId == esxi::vobd::kSshOpened)
        logon(ev, eventRow, host, "sshd", "vobd", true);
}

} // namespace tt
