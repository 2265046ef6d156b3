#include "esxi/EsxiMessage.h"

#include "core/Integer.h"
#include "store/HostName.h"

#include <string>

namespace tt::esxi {

namespace {

bool startsWith(std::string_view s, std::string_view p)
{
    return s.substr(0, p.size()) == p;
}

void add(RawEvent &ev, const char *name, std::string_view value)
{
    if (!value.empty())
        ev.fields.push_back({name, std::string(value)});
}

std::string percentDecode(std::string_view s)
{
    std::string o;
    o.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && integer::hexDigit(s[i + 1]) >= 0 && integer::hexDigit(s[i + 2]) >= 0) {
            o.push_back(static_cast<char>(integer::hexDigit(s[i + 1]) * 16 + integer::hexDigit(s[i + 2])));
            i += 2;
        } else {
            o.push_back(s[i] == '+' ? ' ' : s[i]);
        }
    }
    return o;
}

// The value of key in a "k=v&k2=v2" query string, percent-decoded.
std::string queryValue(std::string_view query, std::string_view key)
{
    size_t i = 0;
    while (i < query.size()) {
        size_t amp = query.find('&', i);
        if (amp == std::string_view::npos)
            amp = query.size();
        const std::string_view kv = query.substr(i, amp - i);
        if (kv.size() > key.size() && startsWith(kv, key) && kv[key.size()] == '=')
            return percentDecode(kv.substr(key.size() + 1));
        i = amp + 1;
    }
    return {};
}

// "USER@ADDRESS" -> user and address (split at the last '@': the address holds none).
void splitUserAt(std::string_view s, std::string &user, std::string &ip)
{
    const size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0) {
        user.assign(s);
        ip.clear();
        return;
    }
    user.assign(s.substr(0, at));
    ip.assign(s.substr(at + 1));
    if (!store::isIpAddress(ip))
        ip.clear();
}

std::string_view token(std::string_view s)
{
    const size_t end = s.find_first_of(" '\"");
    return s.substr(0, end);
}

// The client address a hostd / rhttpproxy request line names: "from IP", "client IP",
// "peer=IP", "remote=IP", "TCP:IP:PORT" (the first that is an address).
std::string clientAddress(std::string_view msg)
{
    for (std::string_view key : {"from ", "client ", "client=", "peer=", "remote=", "TCP:"}) {
        size_t at = 0;
        while ((at = msg.find(key, at)) != std::string_view::npos) {
            at += key.size();
            std::string_view t = token(msg.substr(at));
            while (!t.empty() && (t.back() == ',' || t.back() == ']' || t.back() == '>' || t.back() == ')'))
                t.remove_suffix(1);
            if (!t.empty() && t.front() == '[') // [v6]:port
                t = t.substr(1, t.find(']') == std::string_view::npos ? t.size() : t.find(']') - 1);
            std::string ip(t);
            if (!store::isIpAddress(ip) && ip.find('.') != std::string::npos && ip.rfind(':') != std::string::npos)
                ip.resize(ip.rfind(':')); // v4:port
            if (store::isIpAddress(ip))
                return ip;
        }
    }
    return {};
}

// hostd's "[Originator@6876 sub=Vimsvc.ha-eventmgr opID=esxui-1a2b user=root]" prefix: its
// keys become fields; returns the message after it.
std::string_view takeOriginator(RawEvent &ev, std::string_view msg, std::string &user)
{
    if (!startsWith(msg, "[Originator@"))
        return msg;
    const size_t close = msg.find(']');
    if (close == std::string_view::npos)
        return msg;
    std::string_view inner = msg.substr(1, close - 1);
    while (!inner.empty()) {
        const size_t sp = inner.find(' ');
        const std::string_view kv = inner.substr(0, sp);
        inner = sp == std::string_view::npos ? std::string_view() : inner.substr(sp + 1);
        const size_t eq = kv.find('=');
        if (eq == std::string_view::npos)
            continue;
        const std::string_view k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "sub")
            add(ev, "sub", v);
        else if (k == "opID")
            add(ev, "op_id", v);
        else if (k == "user")
            user.assign(v);
    }
    msg.remove_prefix(close + 1);
    while (!msg.empty() && msg.front() == ' ')
        msg.remove_prefix(1);
    return msg;
}

void classifyShell(RawEvent &ev, std::string_view msg)
{
    // "[root]: wget http://..." (the user in brackets, then the line as typed).
    if (msg.size() > 4 && msg.front() == '[') {
        const size_t close = msg.find("]: ");
        if (close != std::string_view::npos && close > 1
            && msg.substr(1, close - 1).find(' ') == std::string_view::npos) {
            add(ev, "user", msg.substr(1, close - 1));
            std::string_view cmd = msg.substr(close + 3);
            while (!cmd.empty() && cmd.front() == ' ')
                cmd.remove_prefix(1);
            if (!cmd.empty()) {
                ev.fields.push_back({"command", std::string(cmd)});
                ev.eventId = shell::kCommand;
                return;
            }
        }
    }
    ev.eventId = shell::kOther;
}

bool isShellLine(std::string_view msg)
{
    return (msg.size() > 4 && msg.front() == '[' && msg.find("]: ") != std::string_view::npos)
        || msg.find("shell session") != std::string_view::npos || msg.find("ESXi Shell") != std::string_view::npos;
}

bool classifyHostd(RawEvent &ev, std::string_view msg, bool strict)
{
    // Forwarded ESXi 6.x / 7 lines repeat the local prefix: "info hostd[2099123] [Originator@...".
    for (std::string_view level : {"info ", "verbose ", "warning ", "error ", "trivia "}) {
        if (startsWith(msg, level)) {
            std::string_view rest = msg.substr(level.size());
            const size_t sp = rest.find(' ');
            if (sp != std::string_view::npos && rest.substr(0, sp).find('[') != std::string_view::npos)
                msg = rest.substr(sp + 1);
            break;
        }
    }
    const bool originator = startsWith(msg, "[Originator@");
    std::string user, ip;
    msg = takeOriginator(ev, msg, user);
    ev.eventId = 0;
    if (startsWith(msg, "Event ")) {
        const size_t colon = msg.find(" : ");
        const std::string_view body = colon == std::string_view::npos ? std::string_view() : msg.substr(colon + 3);
        if (startsWith(body, "User ") && body.find(" logged in") != std::string_view::npos) {
            splitUserAt(token(body.substr(5)), user, ip);
            ev.eventId = hostd::kLogin;
            if (const size_t as = body.find(" logged in as "); as != std::string_view::npos)
                add(ev, "user_agent", body.substr(as + 14));
        } else if (startsWith(body, "User ") && body.find(" logged out") != std::string_view::npos) {
            splitUserAt(token(body.substr(5)), user, ip);
            ev.eventId = hostd::kLogout;
        } else if (startsWith(body, "Cannot login ")) {
            splitUserAt(token(body.substr(13)), user, ip);
            ev.eventId = hostd::kLoginFailed;
        }
    }
    if (!ev.eventId) {
        for (std::string_view verb : {"PUT /folder/", "GET /folder/"}) {
            const size_t at = msg.find(verb);
            if (at == std::string_view::npos)
                continue;
            const std::string_view url = token(msg.substr(at + 4));
            std::string ds, dc;
            const std::string path = datastorePath(url, &ds, &dc);
            if (path.empty())
                continue;
            ev.eventId = verb[0] == 'P' ? hostd::kUpload : hostd::kDownload;
            add(ev, "http_method", verb.substr(0, 3));
            add(ev, "url", url);
            add(ev, "path", path);
            add(ev, "datastore", ds);
            add(ev, "dc_path", dc);
            ip = clientAddress(msg);
            if (user.empty()) {
                // "User root@10.0.0.5" / "user root" in the request line.
                for (std::string_view key : {"User ", "user "}) {
                    const size_t u = msg.find(key);
                    if (u == std::string_view::npos)
                        continue;
                    std::string fromAt;
                    splitUserAt(token(msg.substr(u + key.size())), user, fromAt);
                    if (ip.empty())
                        ip = fromAt;
                    break;
                }
            }
            break;
        }
    }
    if (strict && !originator && !ev.eventId)
        return false;
    add(ev, "user", user);
    add(ev, "ip", ip);
    return true;
}

bool classifyVobd(RawEvent &ev, std::string_view msg, bool strict)
{
    // "[UserLevelCorrelator] 2335437154us: [esx.audit.ssh.session.opened] SSH session was opened for 'root@10.0.0.5'."
    size_t at = msg.find("[esx.");
    if (at == std::string_view::npos)
        at = msg.find("[vob.");
    if (at == std::string_view::npos) {
        if (strict)
            return false;
        ev.eventId = 0;
        return true;
    }
    const size_t close = msg.find(']', at);
    const std::string_view vob = msg.substr(at + 1, close == std::string_view::npos ? 0 : close - at - 1);
    add(ev, "vob", vob);
    ev.eventId = vobd::kOther;
    const bool opened = vob.ends_with("ssh.session.opened"), closed = vob.ends_with("ssh.session.closed");
    if (opened || closed) {
        ev.eventId = opened ? vobd::kSshOpened : vobd::kSshClosed;
        const size_t q = msg.find(" for '", close);
        if (q != std::string_view::npos) {
            const std::string_view who = msg.substr(q + 6, msg.find('\'', q + 6) - (q + 6));
            std::string user, ip;
            splitUserAt(who, user, ip);
            add(ev, "user", user);
            add(ev, "ip", ip);
        }
    }
    return true;
}

} // namespace

bool isEsxiIdentifier(std::string_view id)
{
    return id == "shell" || id == "ESXShell" || id == "hostd" || id == "Hostd" || id == "vobd";
}

std::string datastorePath(std::string_view url, std::string *datastore, std::string *dcPath)
{
    // Absolute URLs (https://esxi/folder/...) as well as the request target.
    if (const size_t scheme = url.find("://"); scheme != std::string_view::npos) {
        const size_t slash = url.find('/', scheme + 3);
        url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    }
    if (!startsWith(url, "/folder/"))
        return {};
    const size_t q = url.find('?');
    if (q == std::string_view::npos)
        return {};
    const std::string ds = queryValue(url.substr(q + 1), "dsName");
    if (ds.empty() || ds.find('/') != std::string::npos)
        return {};
    if (datastore)
        *datastore = ds;
    if (dcPath)
        *dcPath = queryValue(url.substr(q + 1), "dcPath");
    std::string rel = percentDecode(url.substr(8, q - 8));
    while (!rel.empty() && rel.front() == '/')
        rel.erase(0, 1);
    return "/vmfs/volumes/" + ds + (rel.empty() ? "" : "/" + rel);
}

bool classify(RawEvent &ev, std::string_view identifier, std::string_view pid, std::string_view message, bool strict)
{
    const bool isShell = identifier == "shell" || identifier == "ESXShell";
    const bool isHostd = identifier == "hostd" || identifier == "Hostd";
    const bool isVobd = identifier == "vobd";
    if (strict && (!isEsxiIdentifier(identifier) || (isShell && !isShellLine(message))))
        return false;
    // Classify into a scratch list first: a strict miss leaves ev as it was.
    RawEvent scratch;
    scratch.fields.push_back({"identifier", std::string(identifier)});
    if (!pid.empty())
        scratch.fields.push_back({"pid", std::string(pid)});
    scratch.fields.push_back({"message", std::string(message)});
    if (isShell) {
        classifyShell(scratch, message);
    } else if (isHostd) {
        if (!classifyHostd(scratch, message, strict))
            return false;
    } else if (isVobd) {
        if (!classifyVobd(scratch, message, strict))
            return false;
    } else {
        scratch.eventId = 0;
    }
    ev.channel = isShell ? "esxi:shell" : isHostd ? "esxi:hostd" : isVobd ? "esxi:vobd" : "esxi:syslog";
    ev.provider.assign(identifier);
    ev.eventId = scratch.eventId;
    for (Field &f : scratch.fields)
        ev.fields.push_back(std::move(f));
    return true;
}

} // namespace tt::esxi
