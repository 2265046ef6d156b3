#include "macos/MacLogParsers.h"

#include "core/Integer.h"
#include "core/LineReader.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"
#include "core/StreamAdapters.h"
#include "core/TimeUtil.h"
#include "linux/SshdMessage.h"
#include "linux/SyslogAuthParser.h"

#include <simdjson.h>

#include <string>
#include <unordered_map>

namespace tt {

namespace dom = simdjson::dom;

namespace {

// The element at a path of object keys, false when one is missing.
bool walk(dom::element &e, std::initializer_list<const char *> path)
{
    for (const char *k : path)
        if (!e.is_object() || dom::object(e).at_key(k).get(e) != simdjson::SUCCESS)
            return false;
    return true;
}

std::string_view str(dom::element e, std::initializer_list<const char *> path)
{
    return walk(e, path) && e.is_string() ? std::string_view(e.get_string().value_unsafe()) : std::string_view();
}

std::string num(dom::element e, std::initializer_list<const char *> path)
{
    if (!walk(e, path))
        return {};
    if (e.is_int64())
        return std::to_string(e.get_int64().value_unsafe());
    if (e.is_uint64())
        return std::to_string(e.get_uint64().value_unsafe());
    if (e.is_bool())
        return e.get_bool().value_unsafe() ? "true" : "false";
    if (e.is_string())
        return std::string(e.get_string().value_unsafe());
    return {};
}

void add(RawEvent &ev, const char *name, std::string_view v)
{
    if (!v.empty())
        ev.fields.push_back({name, std::string(v)});
}

// A file's path in the shapes ES uses: {"path": P}, or a create / rename destination
// {"existing_file": {"path": P}} / {"new_path": {"dir": {"path": D}, "filename": F}}.
std::string pathOf(dom::element e)
{
    if (std::string_view p = str(e, {"path"}); !p.empty())
        return std::string(p);
    if (std::string_view p = str(e, {"existing_file", "path"}); !p.empty())
        return std::string(p);
    const std::string_view dir = str(e, {"new_path", "dir", "path"}), file = str(e, {"new_path", "filename"});
    if (file.empty())
        return {};
    std::string out(dir);
    if (!out.empty() && out.back() != '/')
        out += '/';
    return out + std::string(file);
}

std::string joinArgs(dom::element args)
{
    std::string cmd;
    if (!args.is_array())
        return cmd;
    for (dom::element a : dom::array(args)) {
        if (!a.is_string())
            continue;
        const std::string_view s = a.get_string().value_unsafe();
        if (!cmd.empty())
            cmd += ' ';
        if (s.empty() || s.find_first_of(" \t") != std::string_view::npos)
            cmd += '"' + std::string(s) + '"';
        else
            cmd += s;
    }
    return cmd;
}

// The process fields ES gives every message (the one that acted).
void processFields(RawEvent &ev, dom::element proc, const char *prefix)
{
    const std::string p(prefix);
    auto put = [&](const char *name, std::string v) {
        if (!v.empty())
            ev.fields.push_back({p + name, std::move(v)});
    };
    put("pid", num(proc, {"audit_token", "pid"}));
    put("ppid", num(proc, {"ppid"}));
    put("euid", num(proc, {"audit_token", "euid"}));
    put("auid", num(proc, {"audit_token", "auid"}));
    put("image", std::string(str(proc, {"executable", "path"})));
    put("signing_id", std::string(str(proc, {"signing_id"})));
    put("team_id", std::string(str(proc, {"team_id"})));
}

// Time and host of a record; neither export names its host, so --host, and one warning without it.
void stamp(RawEvent &ev, const timeutil::ParsedTime &t, const std::string &host, bool &warned, RecordSink &sink,
    const char *what)
{
    ev.timeUs = t.us;
    ev.timeSource = t.hasZone ? TimeSource::ExplicitZone : TimeSource::AssumedUtc;
    ev.computer = host;
    if (host.empty() && !warned) {
        warned = true;
        sink.warning(ev.position,
            std::string(what)
                + " name no host: records kept without a host and not normalised (import with --host NAME)");
    }
}

bool firstLineHas(std::string_view line, std::initializer_list<const char *> keys)
{
    if (line.empty() || line.front() != '{')
        return false;
    for (const char *k : keys)
        if (line.find(k) == std::string_view::npos)
            return false;
    return true;
}

// Shared loop of the two JSON-lines readers: one object per line, the original line kept.
template<typename Fill> bool readLines(ByteSource &in, RecordSink &sink, const char *what, Fill fill)
{
    LineReader lines(in, size_t(4) << 20, size_t(256) << 10);
    dom::parser parser;
    RawEvent ev;
    std::string_view line;
    int64_t no = 0, good = 0;
    while (nextLine(lines, sink, line, no)) {
        if (sink.cancelled())
            return true;
        std::string_view s = line;
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == ',' || s.back() == '\r'))
            s.remove_suffix(1);
        if (s.empty() || s == "[" || s == "]")
            continue;
        dom::element doc;
        if (parser.parse(s.data(), s.size()).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
            sink.reject(no, "not a JSON object");
            continue;
        }
        ev.clear();
        ev.position = no;
        std::string why = fill(doc, ev);
        if (!why.empty()) {
            sink.reject(no, why);
            continue;
        }
        ev.original.assign(s);
        ev.originalFormat = "json";
        ++good;
        sink.event(ev);
    }
    if (!good) {
        sink.reject(0, std::string("no ") + what + " found");
        return false;
    }
    return true;
}

// A whole JSON array of entries (log show --style json): read into memory (up to 1 GiB), each
// element one record, position = its 1-based ordinal in the array.
template<typename Fill> bool readDocument(ByteSource &in, RecordSink &sink, Fill fill)
{
    constexpr size_t kMax = size_t(1) << 30;
    std::string text;
    char buf[1 << 16];
    for (;;) {
        const long long r = in.read(buf, sizeof buf);
        if (r < 0) {
            sink.reject(0, "read error: " + in.error());
            return false;
        }
        if (r == 0)
            break;
        text.append(buf, static_cast<size_t>(r));
        if (text.size() > kMax) {
            sink.reject(0, "unified log JSON document larger than 1 GiB: export with --style ndjson");
            return false;
        }
    }
    dom::parser parser;
    dom::element doc;
    if (parser.parse(text).get(doc) != simdjson::SUCCESS || !doc.is_array()) {
        sink.reject(0, "not a JSON array of unified log entries (a truncated --style json export?)");
        return false;
    }
    RawEvent ev;
    int64_t no = 0, good = 0;
    for (dom::element entry : dom::array(doc)) {
        ++no;
        if (sink.cancelled())
            return true;
        if (!entry.is_object()) {
            sink.reject(no, "array element is not a JSON object");
            continue;
        }
        ev.clear();
        ev.position = no;
        if (std::string why = fill(entry, ev); !why.empty()) {
            sink.reject(no, why);
            continue;
        }
        ev.original = simdjson::minify(entry);
        ev.originalFormat = "json";
        ++good;
        sink.event(ev);
    }
    if (!good) {
        sink.reject(0, "no unified log entry found");
        return false;
    }
    return true;
}

// The value of `key=value` / `key="value"` in an smbd message (the key at a word start; quoted
// values with \" and \\ escapes), "" when absent.
std::string smbdValue(std::string_view msg, std::string_view key)
{
    size_t at = 0;
    while ((at = msg.find(key, at)) != std::string_view::npos) {
        const size_t end = at + key.size();
        const bool wordStart = at == 0 || msg[at - 1] == ' ' || msg[at - 1] == ',' || msg[at - 1] == '(';
        at = end;
        if (!wordStart || end >= msg.size() || msg[end] != '=')
            continue;
        size_t i = end + 1;
        std::string v;
        if (i < msg.size() && msg[i] == '"') {
            for (++i; i < msg.size() && msg[i] != '"'; ++i) {
                if (msg[i] == '\\' && i + 1 < msg.size() && (msg[i + 1] == '"' || msg[i + 1] == '\\'))
                    ++i;
                v.push_back(msg[i]);
            }
        } else {
            while (i < msg.size() && msg[i] != ' ' && msg[i] != ',' && msg[i] != ')')
                v.push_back(msg[i++]);
        }
        return v;
    }
    return {};
}

// "10.30.0.40:50122", "[fe80::1]:50122", "10.30.0.40" -> address and port ("" when none).
void splitEndpoint(std::string_view ep, std::string &ip, std::string &port)
{
    ip.clear();
    port.clear();
    if (!ep.empty() && ep.front() == '[') {
        const size_t close = ep.find(']');
        if (close == std::string_view::npos)
            return;
        ip.assign(ep.substr(1, close - 1));
        if (close + 1 < ep.size() && ep[close + 1] == ':')
            port.assign(ep.substr(close + 2));
        return;
    }
    const size_t colon = ep.rfind(':');
    if (colon != std::string_view::npos && ep.find(':') == colon) {
        ip.assign(ep.substr(0, colon));
        port.assign(ep.substr(colon + 1));
    } else {
        ip.assign(ep);
    }
}

} // namespace

// The operation of an smbd message: the words before the first ':' ("SMB2 " dropped).
int SmbdMessage::operation(std::string_view msg)
{
    const size_t colon = msg.find(':');
    if (colon == std::string_view::npos)
        return kOther;
    std::string_view op = msg.substr(0, colon);
    if (op.substr(0, 5) == "SMB2 " || op.substr(0, 5) == "SMB3 ")
        op.remove_prefix(5);
    if (op == "session setup")
        return kSessionSetup;
    if (op == "tree connect")
        return kTreeConnect;
    if (op == "create")
        return kCreate;
    if (op == "close")
        return kClose;
    if (op == "session logoff")
        return kLogoff;
    return kOther;
}

void SmbdMessage::Tracker::classify(RawEvent &ev, std::string_view pid, std::string_view msg)
{
    ev.channel = "macos:smbd";
    ev.provider = "smbd";
    const int op = operation(msg);
    ev.eventId = op;
    ev.fields.push_back({"identifier", "smbd"});
    if (!pid.empty())
        ev.fields.push_back({"pid", std::string(pid)});
    ev.fields.push_back({"message", std::string(msg)});
    if (op == kOther)
        return;
    auto put = [&](const char *name, std::string v) {
        if (!v.empty())
            ev.fields.push_back({name, std::move(v)});
    };
    const std::string session = smbdValue(msg, "session");
    put("session", session);
    std::string status = smbdValue(msg, "status");
    put("status", status);
    const bool ok = status.empty() || status == "STATUS_SUCCESS";
    if (op == kSessionSetup) {
        std::string ip, port;
        splitEndpoint(smbdValue(msg, "client"), ip, port);
        Session s {ip, port, smbdValue(msg, "user"), smbdValue(msg, "domain")};
        put("client_ip", ip);
        put("client_port", port);
        put("user", s.user);
        put("domain", s.domain);
        put("auth", smbdValue(msg, "auth"));
        if (ok && !session.empty())
            m_sessions[session] = std::move(s);
        return;
    }
    const auto it = m_sessions.find(session);
    if (it != m_sessions.end()) {
        put("client_ip", it->second.ip);
        put("client_port", it->second.port);
        put("user", it->second.user);
        put("domain", it->second.domain);
    }
    if (op == kLogoff) {
        if (it != m_sessions.end())
            m_sessions.erase(it);
        return;
    }
    const std::string share = smbdValue(msg, "share");
    put("share", share);
    if (op == kTreeConnect) {
        const std::string path = smbdValue(msg, "path");
        put("share_path", path);
        if (ok && !session.empty() && !share.empty())
            m_sharePaths[session + '|' + share] = path;
        return;
    }
    if (const auto sp = m_sharePaths.find(session + '|' + share); sp != m_sharePaths.end())
        put("share_path", sp->second);
    put("file", smbdValue(msg, "file"));
    put("access", smbdValue(msg, "access"));
    put("disposition", smbdValue(msg, "disposition"));
    put("action", smbdValue(msg, "action"));
    put("type", smbdValue(msg, "type"));
    put("written", smbdValue(msg, "written"));
}

bool EsloggerParser::looksLikeEslogger(std::string_view firstLine)
{
    return firstLineHas(firstLine, {"\"event_type\":", "\"event\":", "\"process\":", "\"audit_token\""});
}

bool UnifiedLogParser::looksLikeUnifiedLog(std::string_view firstLine)
{
    return firstLineHas(firstLine, {"\"eventMessage\"", "\"processImagePath\"", "\"timestamp\""});
}

bool UnifiedLogParser::looksLikeUnifiedLogDocument(std::string_view head)
{
    size_t i = 0;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    if (i >= head.size() || head[i] != '[')
        return false;
    // Within the first entries (a brace inside a value, "%{public}s", ends no entry).
    const std::string_view start = head.substr(i, 4096);
    return start.find("\"eventMessage\"") != std::string_view::npos
        && start.find("\"processImagePath\"") != std::string_view::npos;
}

bool EsloggerParser::parse(ByteSource &in, RecordSink &sink)
{
    bool warnedHost = false;
    // uid -> user name, learnt from openssh_login and login_login events ("uid" of a successful
    // login; login_login is /usr/bin/login, which Terminal.app runs for every new window as
    // `login -pf USER`): names the accounts of the processes that follow, which ES gives only as
    // numbers.
    std::unordered_map<std::string, std::string> userOfUid;
    auto nameUid = [&](RawEvent &ev, const char *uidField, const char *nameField) {
        if (auto it = userOfUid.find(std::string(ev.field(uidField))); it != userOfUid.end())
            ev.fields.push_back({nameField, it->second});
    };
    return readLines(in, sink, "eslogger event", [&](dom::element doc, RawEvent &ev) -> std::string {
        const std::string_view time = str(doc, {"time"});
        const auto t = timeutil::parseIso8601(time);
        if (!t)
            return "eslogger event without a readable \"time\"";
        int64_t type = -1;
        dom::element et;
        if (dom::object(doc).at_key("event_type").get(et) != simdjson::SUCCESS || !et.is_int64())
            return "eslogger event without a numeric \"event_type\"";
        type = et.get_int64().value_unsafe();
        dom::element event;
        if (dom::object(doc).at_key("event").get(event) != simdjson::SUCCESS || !event.is_object()
            || dom::object(event).size() == 0)
            return "eslogger event without an \"event\" object";
        stamp(ev, *t, m_ctx.defaultHost, warnedHost, sink, "eslogger records");
        ev.channel = "macos:es";
        ev.provider = "eslogger";
        ev.eventId = static_cast<int32_t>(type);
        if (int64_t seq = 0; integer::parseInt64(num(doc, {"global_seq_num"}), seq))
            ev.recordId = seq;
        const auto kv = *dom::object(event).begin();
        const std::string_view kind = kv.key;
        const dom::element body = kv.value;
        add(ev, "event", kind);
        dom::element proc;
        if (dom::object(doc).at_key("process").get(proc) == simdjson::SUCCESS)
            processFields(ev, proc, "");
        if (kind != "exec" && kind != "fork")
            nameUid(ev, "euid", "process_user");
        if (kind == "exec") {
            dom::element target, args;
            if (dom::object(body).at_key("target").get(target) == simdjson::SUCCESS)
                processFields(ev, target, "target_");
            if (dom::object(body).at_key("args").get(args) == simdjson::SUCCESS)
                add(ev, "cmdline", joinArgs(args));
            add(ev, "cwd", str(body, {"cwd", "path"}));
            nameUid(ev, "target_euid", "target_user");
        } else if (kind == "fork") {
            dom::element child;
            if (dom::object(body).at_key("child").get(child) == simdjson::SUCCESS)
                processFields(ev, child, "child_");
        } else if (kind == "create") {
            dom::element dst;
            if (dom::object(body).at_key("destination").get(dst) == simdjson::SUCCESS)
                add(ev, "path", pathOf(dst));
        } else if (kind == "rename") {
            dom::element src, dst;
            if (dom::object(body).at_key("source").get(src) == simdjson::SUCCESS)
                add(ev, "source_path", pathOf(src));
            if (dom::object(body).at_key("destination").get(dst) == simdjson::SUCCESS)
                add(ev, "path", pathOf(dst));
        } else if (kind == "write" || kind == "close" || kind == "unlink") {
            dom::element target;
            if (dom::object(body).at_key("target").get(target) == simdjson::SUCCESS)
                add(ev, "path", pathOf(target));
            add(ev, "modified", num(body, {"modified"}));
        } else if (kind == "open") {
            dom::element file;
            if (dom::object(body).at_key("file").get(file) == simdjson::SUCCESS)
                add(ev, "path", pathOf(file));
            add(ev, "fflag", num(body, {"fflag"}));
        } else if (kind == "mount" || kind == "unmount") {
            add(ev, "fstype", str(body, {"statfs", "f_fstypename"}));
            add(ev, "mount_on", str(body, {"statfs", "f_mntonname"}));
            add(ev, "mount_from", str(body, {"statfs", "f_mntfromname"}));
        } else if (kind == "openssh_login" || kind == "openssh_logout" || kind == "login_login") {
            add(ev, "user", str(body, {"username"}));
            add(ev, "ip", str(body, {"source_address"}));
            add(ev, "success", num(body, {"success"}));
            const std::string uid = num(body, {"uid", "uid"});
            if (!uid.empty() && ev.field("success") == "true" && !ev.field("user").empty())
                userOfUid[uid] = std::string(ev.field("user"));
        }
        return {};
    });
}

bool UnifiedLogParser::parse(ByteSource &in, RecordSink &sink)
{
    bool warnedHost = false;
    SmbdMessage::Tracker smbd;
    auto fill = [&](dom::element doc, RawEvent &ev) -> std::string {
        const auto t = timeutil::parseIso8601(str(doc, {"timestamp"}));
        if (!t)
            return "unified log entry without a readable \"timestamp\"";
        dom::element msgEl;
        if (dom::object(doc).at_key("eventMessage").get(msgEl) != simdjson::SUCCESS || !msgEl.is_string())
            return "unified log entry without an \"eventMessage\"";
        stamp(ev, *t, m_ctx.defaultHost, warnedHost, sink, "unified log exports");
        const std::string_view image = str(doc, {"processImagePath"});
        const size_t slash = image.rfind('/');
        const std::string_view program = slash == std::string_view::npos ? image : image.substr(slash + 1);
        const std::string pid = num(doc, {"processID"});
        const std::string_view message = msgEl.get_string().value_unsafe();
        for (const char *k : {"subsystem", "category", "messageType", "eventType", "processImagePath"})
            if (const std::string_view v = str(doc, {k}); !v.empty())
                ev.system.push_back({k, std::string(v)});
        if (sshd::isSshIdentifier(program)) {
            linuxlog::classifyMessage(ev, program, pid, message);
        } else if (program == "smbd") {
            smbd.classify(ev, pid, message);
        } else {
            ev.channel = "macos:unifiedlog";
            ev.provider.assign(program);
            ev.eventId = 0;
            add(ev, "identifier", program);
            add(ev, "pid", pid);
            ev.fields.push_back({"message", std::string(message)});
        }
        return {};
    };
    // `--style json` writes one array over many lines; `--style ndjson` one entry per line.
    PeekSource peek(in, 4096);
    const std::vector<char> &head = peek.head();
    size_t i = 0;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        ++i;
    if (i < head.size() && head[i] == '[')
        return readDocument(peek, sink, fill);
    return readLines(peek, sink, "unified log entry", fill);
}

} // namespace tt
