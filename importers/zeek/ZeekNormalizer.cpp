#include "zeek/ZeekNormalizer.h"

#include "core/Normalizer.h"
#include "core/RawEvent.h"
#include "store/CaseWriter.h"
#include "store/HostName.h"
#include "store/Rows.h"

#include <string_view>

namespace tt {

using store::kNoValue;

namespace {
std::string_view after(std::string_view s, char c)
{
    auto p = s.find(c);
    return p == std::string_view::npos ? std::string_view() : s.substr(p + 1);
}

int64_t num(const RawEvent &ev, std::string_view name)
{
    return Normalizer::parseInteger(ev.field(name));
}

// "10.740680932998657" seconds -> microseconds.
int64_t durationUs(std::string_view v)
{
    if (v.empty())
        return kNoValue;
    auto dot = v.find('.');
    int64_t secs = Normalizer::parseInteger(v.substr(0, dot));
    if (secs == kNoValue)
        return kNoValue;
    int64_t frac = 0;
    int digits = 0;
    if (dot != std::string_view::npos)
        for (char c : v.substr(dot + 1)) {
            if (c < '0' || c > '9')
                break; // exponent forms are not written by Zeek; keep the integer part
            if (digits == 6)
                break;
            frac = frac * 10 + (c - '0');
            ++digits;
        }
    while (digits++ < 6)
        frac *= 10;
    return secs * 1000000 + frac;
}

// First element of a ','-joined set ("10.0.0.4,10.0.0.5" -> "10.0.0.4").
std::string firstOf(std::string_view v)
{
    return store::normaliseIp(v.substr(0, v.find(',')));
}

// The connection tuple of a record, with its addresses already normalised.
store::NetEndpoints endpoints(const RawEvent &ev, std::string_view orig, std::string_view resp)
{
    return {orig, num(ev, "id.orig_p"), resp, num(ev, "id.resp_p")};
}

bool isAddressRecordType(std::string_view qtype)
{
    return qtype == "A" || qtype == "AAAA";
}
} // namespace

ZeekNormalizer::ZeekNormalizer(store::CaseWriter &writer)
    : m_w(writer)
    , m_net(writer)
{
}

void ZeekNormalizer::store(const RawEvent &ev, int64_t eventRow)
{
    const std::string log(after(ev.channel, ':'));
    const int64_t ts = ev.timeUs == kNoTime ? kNoValue : ev.timeUs;
    if (log == "conn")
        flow(ev, eventRow, ts);
    else if (log == "smb_files" || log == "files" || log == "ftp" || log == "http")
        file(ev, eventRow, ts, log);
    else if (log == "kerberos" || log == "ntlm" || log == "ssh")
        auth(ev, eventRow, ts, log);
    else if (log == "dce_rpc" || log == "smb_mapping" || log == "dns")
        activity(ev, eventRow, ts, log);
}

void ZeekNormalizer::flow(const RawEvent &ev, int64_t eventRow, int64_t ts)
{
    const std::string o = store::normaliseIp(ev.field("id.orig_h")), r = store::normaliseIp(ev.field("id.resp_h"));
    store::NetFlowRow row;
    row.event = eventRow;
    row.ts = ts;
    row.uid = ev.field("uid");
    row.proto = ev.field("proto");
    row.service = ev.field("service");
    row.ends = endpoints(ev, o, r);
    row.durationUs = durationUs(ev.field("duration"));
    row.origBytes = num(ev, "orig_bytes");
    row.respBytes = num(ev, "resp_bytes");
    row.missedBytes = num(ev, "missed_bytes");
    row.connState = ev.field("conn_state");
    row.history = ev.field("history");
    m_net.insertFlow(row);
}

void ZeekNormalizer::file(const RawEvent &ev, int64_t eventRow, int64_t ts, const std::string &log)
{
    std::string orig = store::normaliseIp(ev.field("id.orig_h")), resp = store::normaliseIp(ev.field("id.resp_h"));
    std::string src, dst, action, name, path, status, mime;
    std::string_view uid = ev.field("uid");
    int64_t size = kNoValue;
    if (log == "smb_files") {
        action = std::string(ev.field("action"));
        name = std::string(ev.field("name"));
        path = std::string(ev.field("path"));
        size = num(ev, "size");
        const bool write = action == "SMB::FILE_WRITE";
        const bool read = action == "SMB::FILE_READ";
        if (write) {
            src = orig;
            dst = resp;
        } else if (read) {
            src = resp;
            dst = orig;
        }
    } else if (log == "files") {
        // files.log: tx_hosts sent the bytes to rx_hosts; the connection tuple exists only in
        // newer Zeek (id.*), the conn_uids set links it otherwise.
        src = firstOf(ev.field("tx_hosts"));
        dst = firstOf(ev.field("rx_hosts"));
        if (orig.empty() && ev.hasField("is_orig") && !src.empty()) {
            const bool isOrig = ev.field("is_orig") == "T";
            orig = isOrig ? src : dst;
            resp = isOrig ? dst : src;
        }
        if (src.empty() && !orig.empty() && ev.hasField("is_orig")) {
            const bool isOrig = ev.field("is_orig") == "T";
            src = isOrig ? orig : resp;
            dst = isOrig ? resp : orig;
        }
        if (uid.empty())
            uid = ev.field("conn_uids").substr(0, ev.field("conn_uids").find(','));
        action = std::string(ev.field("source"));
        name = std::string(ev.field("filename"));
        size = num(ev, "total_bytes");
        if (size == kNoValue)
            size = num(ev, "seen_bytes");
        mime = std::string(ev.field("mime_type"));
    } else if (log == "ftp") {
        action = std::string(ev.field("command"));
        name = std::string(ev.field("arg"));
        size = num(ev, "file_size");
        status = std::string(ev.field("reply_code"));
        mime = std::string(ev.field("mime_type"));
        if (action == "STOR" || action == "STOU" || action == "APPE") {
            src = orig;
            dst = resp;
        } else if (action == "RETR") {
            src = resp;
            dst = orig;
        }
    } else { // http
        action = std::string(ev.field("method"));
        name = std::string(ev.field("uri"));
        path = std::string(ev.field("host"));
        status = std::string(ev.field("status_code"));
        const int64_t req = num(ev, "request_body_len"), resp_ = num(ev, "response_body_len");
        if ((action == "PUT" || action == "POST") && req != kNoValue && req > 0) {
            src = orig;
            dst = resp;
            size = req;
            mime = std::string(ev.field("orig_mime_types"));
        } else if (resp_ != kNoValue && resp_ > 0) {
            src = resp;
            dst = orig;
            size = resp_;
            mime = std::string(ev.field("resp_mime_types"));
        }
    }
    store::NetFileRow row;
    row.event = eventRow;
    row.ts = ts;
    row.log = log;
    row.uid = uid;
    row.fuid = ev.field("fuid");
    row.ends = endpoints(ev, orig, resp);
    row.srcIp = src;
    row.dstIp = dst;
    row.action = action;
    row.name = name;
    row.path = path;
    row.size = size;
    row.mime = mime;
    row.md5 = ev.field("md5");
    row.sha1 = ev.field("sha1");
    row.sha256 = ev.field("sha256");
    row.status = status;
    m_net.insertFile(row);
}

void ZeekNormalizer::auth(const RawEvent &ev, int64_t eventRow, int64_t ts, const std::string &log)
{
    const std::string orig = store::normaliseIp(ev.field("id.orig_h")),
                      resp = store::normaliseIp(ev.field("id.resp_h"));
    std::string client, service, workstation, requestType;
    int64_t success = kNoValue;
    int64_t account = 0;
    auto boolOf = [](std::string_view v) -> int64_t {
        if (v == "T" || v == "true")
            return 1;
        if (v == "F" || v == "false")
            return 0;
        return kNoValue;
    };
    if (log == "kerberos") {
        requestType = std::string(ev.field("request_type"));
        client = std::string(ev.field("client"));
        service = std::string(ev.field("service"));
        success = boolOf(ev.field("success"));
        // "pbeesly/DMEVALS.LOCAL": user / realm. The realm's first label is taken as the NetBIOS
        // domain (true for the usual AD naming; the realm itself stays in the row).
        const auto slash = client.find('/');
        if (slash != std::string::npos && slash > 0) {
            const std::string realm = client.substr(slash + 1);
            const std::string_view user = std::string_view(client).substr(0, slash);
            account = m_w.accountId(std::string_view(realm).substr(0, realm.find('.')), user, {});
            // A machine account (SCRANTON$) asking the KDC from this address: that host's address.
            if (user.size() > 1 && user.back() == '$' && success == 1 && !store::isUninformativeIp(orig))
                if (int64_t h = m_w.hostId(user))
                    m_w.noteAddress(h, orig, "zeek-kerberos", ts, eventRow);
        }
    } else if (log == "ntlm") {
        const std::string_view dom = ev.field("domainname"), user = ev.field("username");
        client = dom.empty() ? std::string(user) : std::string(dom) + "\\" + std::string(user);
        service = std::string(ev.field("server_nb_computer_name"));
        if (service.empty())
            service = std::string(ev.field("server_dns_computer_name"));
        workstation = std::string(ev.field("hostname"));
        success = boolOf(ev.field("success"));
        if (!user.empty())
            account = m_w.accountId(dom, user, {});
        // The client named itself from this address: address evidence for that host.
        if (!workstation.empty() && !orig.empty() && !store::isUninformativeIp(orig))
            if (int64_t h = m_w.hostId(workstation))
                m_w.noteAddress(h, orig, "zeek-ntlm", ts, eventRow);
    } else { // ssh
        client = std::string(ev.field("user"));
        service = std::string(ev.field("server"));
        success = boolOf(ev.field("auth_success"));
    }
    store::NetAuthRow row;
    row.event = eventRow;
    row.ts = ts;
    row.log = log;
    row.uid = ev.field("uid");
    row.ends = endpoints(ev, orig, resp);
    row.requestType = requestType;
    row.client = client;
    row.service = service;
    row.workstation = workstation;
    row.success = success;
    row.accountId = account;
    m_net.insertAuth(row);
}

void ZeekNormalizer::activity(const RawEvent &ev, int64_t eventRow, int64_t ts, const std::string &log)
{
    const std::string orig = store::normaliseIp(ev.field("id.orig_h")),
                      resp = store::normaliseIp(ev.field("id.resp_h"));
    std::string_view name, detail;
    if (log == "dce_rpc") {
        name = ev.field("endpoint");
        detail = ev.field("operation");
    } else if (log == "smb_mapping") {
        name = ev.field("path");
        detail = ev.field("share_type");
    } else { // dns
        name = ev.field("query");
        detail = ev.field("answers");
        // A name resolved to a private address: address evidence for that host (DNS only; the
        // NetBIOS and mDNS broadcasts a host sends about itself are not answers).
        if (isAddressRecordType(ev.field("qtype_name")) && ev.field("rcode_name") == "NOERROR" && !name.empty()) {
            std::string_view rest = detail;
            while (!rest.empty()) {
                const size_t comma = rest.find(',');
                const std::string ip = store::normaliseIp(rest.substr(0, comma));
                if (store::isIpAddress(ip) && store::isPrivateIp(ip))
                    if (int64_t h = m_w.hostId(name))
                        m_w.noteAddress(h, ip, "zeek-dns", ts, eventRow);
                if (comma == std::string_view::npos)
                    break;
                rest.remove_prefix(comma + 1);
            }
        }
        // A NetBIOS broadcast from port 137 about a single-label name is the sender speaking for
        // itself (registering / refreshing its name, or a local logon looking its own name up as
        // a domain): weak evidence, used by inference only where nothing stronger names the address.
        if (ev.field("qtype_name") == "NB" && num(ev, "id.orig_p") == 137 && detail.empty()
            && name.find('.') == std::string_view::npos && store::isPrivateIp(orig)
            && (resp.size() > 4 && resp.compare(resp.size() - 4, 4, ".255") == 0))
            if (int64_t h = m_w.hostId(name))
                m_w.noteAddress(h, orig, "zeek-netbios", ts, eventRow);
    }
    store::NetActivityRow row;
    row.event = eventRow;
    row.ts = ts;
    row.log = log;
    row.uid = ev.field("uid");
    row.ends = endpoints(ev, orig, resp);
    row.name = name;
    row.detail = detail;
    m_net.insertActivity(row);
}

} // namespace tt
