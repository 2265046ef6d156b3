#include "linux/AuditParser.h"

#include "core/Integer.h"
#include "core/LineReader.h"
#include "core/RawEvent.h"
#include "core/RecordSink.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt {

namespace {

// Lines after an event's last record before it is taken as complete (records of one event are
// written together; interleaving with another event's records spans a few lines at most).
constexpr int64_t kGroupWindowLines = 64;
constexpr std::string_view kUnsetId = "4294967295"; // (uint32)-1: auid / ses never set

bool isHexDigit(char c)
{
    return integer::hexDigit(c) >= 0;
}

bool allDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Fields whose value the kernel / libaudit writes as hex when it holds blanks, quotes or
// control characters (and in double quotes otherwise): "untrusted strings".
bool isEncodedField(std::string_view type, std::string_view key)
{
    if (type == "EXECVE" && key.size() >= 2 && key[0] == 'a' && key[1] >= '0' && key[1] <= '9')
        return key.find("_len") == std::string_view::npos;
    static const char *const kEncoded[]
        = {"proctitle", "name", "comm", "exe", "cwd", "acct", "cmd", "key", "data", "path"};
    for (const char *k : kEncoded)
        if (key == k)
            return true;
    return false;
}

struct Token {
    std::string_view key, value;
    bool quoted = false;
};

// key=value pairs separated by blanks; values "double quoted", 'single quoted' (the user-space
// msg='...' wrapper), {braced} (enriched SADDR) or bare.
void tokenize(std::string_view s, std::vector<Token> &out)
{
    size_t i = 0;
    const size_t n = s.size();
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        if (i >= n)
            break;
        const size_t ks = i;
        while (i < n && s[i] != '=' && s[i] != ' ')
            ++i;
        if (i >= n || s[i] != '=') {
            // A word without '=' (old kernels' "audit_enabled=1 old=0 ..." never do this; skip it).
            continue;
        }
        Token t;
        t.key = s.substr(ks, i - ks);
        ++i; // '='
        if (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '{')) {
            const char open = s[i];
            const char close = open == '{' ? '}' : open;
            const size_t vs = i + 1;
            size_t e = s.find(close, vs);
            if (e == std::string_view::npos)
                e = n;
            const std::string_view v = s.substr(vs, e - vs);
            i = e < n ? e + 1 : n;
            if (open == '\'') {
                tokenize(v, out); // user-space msg='op=... res=success': flattened into the record
                continue;
            }
            t.value = v;
            t.quoted = open == '"';
        } else {
            const size_t vs = i;
            while (i < n && s[i] != ' ' && s[i] != '\t')
                ++i;
            t.value = s.substr(vs, i - vs);
        }
        out.push_back(t);
    }
}

struct Group {
    std::string node;
    int64_t timeUs = 0;
    int64_t serial = 0;
    std::string key; // "SECONDS.MILLIS:SERIAL" as written
    int64_t firstLine = 0, lastLine = 0;
    std::vector<std::string> types;
    std::vector<Field> fields;
    std::vector<std::string> problems;
};

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// "1364481363.243:24287" -> time and serial.
bool parseStamp(std::string_view s, int64_t &timeUs, int64_t &serial)
{
    const size_t dot = s.find('.');
    const size_t colon = s.find(':');
    if (dot == std::string_view::npos || colon == std::string_view::npos || colon < dot)
        return false;
    const std::string_view sec = s.substr(0, dot), frac = s.substr(dot + 1, colon - dot - 1), ser = s.substr(colon + 1);
    if (!allDigits(sec) || !allDigits(frac) || !allDigits(ser) || sec.size() > 12 || frac.size() > 9 || ser.size() > 19)
        return false;
    int64_t secs = 0, f = 0;
    if (!integer::parseInt64(sec, secs) || !integer::parseInt64(frac, f) || !integer::parseInt64(ser, serial))
        return false; // a serial past INT64_MAX: the event cannot be grouped
    int64_t us = f;
    for (size_t i = frac.size(); i < 6; ++i)
        us *= 10;
    for (size_t i = 6; i < frac.size(); ++i)
        us /= 10;
    timeUs = secs * 1000000 + us;
    return true;
}

// sockaddr as hex (saddr=0200001666...): family, address, port for AF_INET / AF_INET6 / AF_UNIX.
void decodeSockaddr(std::string_view hex, std::vector<Field> &out, const std::string &prefix)
{
    std::string b;
    if (!AuditParser::decodeHex(hex, b) || b.size() < 2)
        return;
    const auto u8 = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(b[i])); };
    const unsigned family = u8(0) | (u8(1) << 8);
    if (family == 2 && b.size() >= 8) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", u8(4), u8(5), u8(6), u8(7));
        out.push_back({prefix + "family", "inet"});
        out.push_back({prefix + "addr", buf});
        out.push_back({prefix + "port", std::to_string((u8(2) << 8) | u8(3))});
    } else if (family == 10 && b.size() >= 24) {
        std::string a;
        char buf[8];
        for (size_t i = 0; i < 16; i += 2) {
            if (i)
                a.push_back(':');
            std::snprintf(buf, sizeof buf, "%x", (u8(8 + i) << 8) | u8(9 + i));
            a += buf;
        }
        out.push_back({prefix + "family", "inet6"});
        out.push_back({prefix + "addr", a});
        out.push_back({prefix + "port", std::to_string((u8(2) << 8) | u8(3))});
    } else if (family == 1) {
        std::string path = b.substr(2);
        if (const auto z = path.find('\0'); z != std::string::npos && z > 0)
            path.resize(z);
        out.push_back({prefix + "family", "local"});
        out.push_back({prefix + "path", path});
    } else {
        out.push_back({prefix + "family", std::to_string(family)});
    }
}

class Parser {
public:
    Parser(RecordSink &sink, std::string defaultHost)
        : m_sink(sink)
        , m_defaultHost(std::move(defaultHost))
    {
    }

    void line(std::string_view text, int64_t lineNo);
    void flushOlderThan(int64_t lineNo);
    void flushAll();
    bool sawRecord() const { return m_records > 0; }
    bool warnedNoHost = false;

private:
    void addRecord(Group &g, std::string_view type, std::string_view body, int64_t lineNo);
    void emit(Group &g);

    RecordSink &m_sink;
    std::string m_defaultHost;
    std::vector<Group> m_pending; // in order of first line
    std::vector<Token> m_tokens;
    std::unordered_map<std::string, std::string> m_auidNames; // learned from USER_* acct=
    RawEvent m_ev;
    int64_t m_records = 0;
};

void Parser::line(std::string_view text, int64_t lineNo)
{
    std::string_view s = trim(text);
    if (s.empty())
        return;
    std::string_view node;
    if (s.substr(0, 5) == "node=") {
        const size_t sp = s.find(' ');
        if (sp == std::string_view::npos) {
            m_sink.reject(lineNo, "audit record without type=");
            return;
        }
        node = s.substr(5, sp - 5);
        s = trim(s.substr(sp + 1));
    }
    if (s.substr(0, 5) != "type=") {
        m_sink.reject(lineNo, "not an audit record (expected 'type=... msg=audit(...)')");
        return;
    }
    const size_t sp = s.find(' ');
    const std::string_view type = s.substr(5, sp == std::string_view::npos ? std::string_view::npos : sp - 5);
    std::string_view rest = sp == std::string_view::npos ? std::string_view() : trim(s.substr(sp + 1));
    if (type.empty() || rest.substr(0, 10) != "msg=audit(") {
        m_sink.reject(lineNo, "audit record without msg=audit(TIME:SERIAL)");
        return;
    }
    const size_t close = rest.find(')');
    int64_t timeUs = 0, serial = 0;
    if (close == std::string_view::npos || !parseStamp(rest.substr(10, close - 10), timeUs, serial)) {
        m_sink.reject(lineNo,
            "audit record with an unreadable msg=audit(TIME:SERIAL) stamp (seconds, fraction and a serial from 0 to "
            "9223372036854775807 expected)");
        return;
    }
    const std::string_view key = rest.substr(10, close - 10);
    std::string_view body = rest.substr(close + 1);
    if (!body.empty() && body.front() == ':')
        body.remove_prefix(1);
    ++m_records;
    Group *g = nullptr;
    for (Group &p : m_pending)
        if (p.key == key && p.node == node) {
            g = &p;
            break;
        }
    if (!g) {
        m_pending.emplace_back();
        g = &m_pending.back();
        g->node = std::string(node);
        g->key = std::string(key);
        g->timeUs = timeUs;
        g->serial = serial;
        g->firstLine = lineNo;
    }
    g->lastLine = lineNo;
    if (type == "EOE") {
        // End of a multi-record event.
        const size_t idx = static_cast<size_t>(g - m_pending.data());
        Group done = std::move(m_pending[idx]);
        m_pending.erase(m_pending.begin() + static_cast<std::ptrdiff_t>(idx));
        emit(done);
        return;
    }
    addRecord(*g, type, body, lineNo);
    // User-space (1100-1199, 2100-2999) and daemon (1200-1299) messages are single records that
    // never get an EOE: complete at once (their order matters: they name login users).
    const int n = AuditParser::typeNumber(type);
    if (g->types.size() == 1 && ((n >= 1100 && n < 1300) || (n >= 2100 && n < 3000))) {
        const size_t idx = static_cast<size_t>(g - m_pending.data());
        Group done = std::move(m_pending[idx]);
        m_pending.erase(m_pending.begin() + static_cast<std::ptrdiff_t>(idx));
        emit(done);
    }
}

void Parser::addRecord(Group &g, std::string_view type, std::string_view body, int64_t lineNo)
{
    g.types.emplace_back(type);
    // Enriched logs (log_format = ENRICHED) append resolved names after a 0x1d separator.
    std::string_view enriched;
    if (const size_t gs = body.find('\x1d'); gs != std::string_view::npos) {
        enriched = body.substr(gs + 1);
        body = body.substr(0, gs);
    }
    const std::string prefix = std::string(type) + '.';
    auto addTokens = [&](std::string_view text) {
        m_tokens.clear();
        tokenize(text, m_tokens);
        for (const Token &t : m_tokens) {
            std::string value;
            if (!t.quoted && isEncodedField(type, t.key) && t.value.size() >= 2 && t.value != "(null)"
                && std::all_of(t.value.begin(), t.value.end(), isHexDigit)) {
                if (!AuditParser::decodeHex(t.value, value))
                    value.assign(t.value);
                if (type == "PROCTITLE") {
                    // argv separated by NULs (and cut at 128 bytes by the kernel).
                    while (!value.empty() && value.back() == '\0')
                        value.pop_back();
                    std::replace(value.begin(), value.end(), '\0', ' ');
                }
            } else {
                value.assign(t.value);
            }
            g.fields.push_back({prefix + std::string(t.key), std::move(value)});
        }
    };
    addTokens(body);
    if (!enriched.empty())
        addTokens(enriched);
    (void)lineNo;
}

std::string_view findField(const std::vector<Field> &fields, std::string_view name)
{
    for (const Field &f : fields)
        if (f.name == name)
            return f.value;
    return {};
}

void Parser::emit(Group &g)
{
    if (g.types.empty())
        return; // an EOE alone
    RawEvent &ev = m_ev;
    ev.clear();
    ev.timeUs = g.timeUs;
    ev.timeSource = TimeSource::SystemTimeUtc;
    ev.computer = g.node.empty() ? m_defaultHost : g.node;
    ev.channel = "linux:audit";
    ev.provider = "auditd";
    const bool hasSyscall = std::find(g.types.begin(), g.types.end(), "SYSCALL") != g.types.end();
    ev.eventId = AuditParser::typeNumber(hasSyscall ? std::string_view("SYSCALL") : std::string_view(g.types.front()));
    if (ev.eventId < 0 && g.types.front().rfind("UNKNOWN[", 0) == 0) {
        // "UNKNOWN[1327]": the record type number, when it is one.
        const std::string_view t = std::string_view(g.types.front()).substr(8);
        int64_t v = -1;
        if (!t.empty() && t.back() == ']' && integer::parseInt64(t.substr(0, t.size() - 1), v) && v >= 0
            && v <= INT32_MAX)
            ev.eventId = int32_t(v);
    }
    ev.recordId = g.serial;
    ev.position = g.firstLine;
    std::string records;
    for (const std::string &t : g.types) {
        if (!records.empty())
            records.push_back(',');
        records += t;
    }
    ev.system.push_back({"Records", records});
    ev.system.push_back({"AuditStamp", g.key});

    // EXECVE: argc, then aN or aN_len with aN[0], aN[1]... (long or split arguments), possibly
    // over several EXECVE records of the event. Rebuild argv and keep one field per argument.
    std::vector<Field> &out = ev.fields;
    int64_t argc = -1;
    std::unordered_map<std::string_view, std::string_view> execve;
    for (const Field &f : g.fields)
        if (f.name.rfind("EXECVE.", 0) == 0) {
            std::string_view k = std::string_view(f.name).substr(7);
            if (k == "argc") {
                if (argc < 0 && !integer::parseInt64(f.value, argc))
                    argc = -1;
            } else {
                execve.emplace(k, f.value);
            }
        }
    std::vector<std::string> argv;
    if (argc >= 0) {
        argc = std::min<int64_t>(argc, 100000);
        for (int64_t i = 0; i < argc; ++i) {
            const std::string a = "a" + std::to_string(i);
            if (auto it = execve.find(a); it != execve.end()) {
                argv.emplace_back(it->second);
                continue;
            }
            auto lenIt = execve.find(a + "_len");
            if (lenIt == execve.end()) {
                m_sink.warning(g.firstLine, "audit event " + g.key + ": EXECVE argument " + a + " missing");
                argv.emplace_back();
                continue;
            }
            std::string joined;
            for (int piece = 0;; ++piece) {
                auto p = execve.find(a + '[' + std::to_string(piece) + ']');
                if (p == execve.end())
                    break;
                joined.append(p->second);
            }
            int64_t want = -1;
            if (!integer::parseInt64(lenIt->second, want))
                want = -1;
            if (want >= 0 && static_cast<int64_t>(joined.size()) != want)
                m_sink.warning(g.firstLine,
                    "audit event " + g.key + ": EXECVE argument " + a + " has " + std::to_string(joined.size()) + " of "
                        + std::to_string(want) + " bytes");
            argv.push_back(std::move(joined));
        }
    }
    for (Field &f : g.fields) {
        if (f.name.rfind("EXECVE.a", 0) == 0 && f.name != "EXECVE.argc")
            continue; // replaced by the rebuilt arguments below
        out.push_back(std::move(f));
    }
    if (argc >= 0) {
        out.push_back({"EXECVE.argc", std::to_string(argc)});
        for (size_t i = 0; i < argv.size(); ++i)
            out.push_back({"EXECVE.a" + std::to_string(i), argv[i]});
    }
    // Derived, format-neutral fields the normaliser reads.
    if (!argv.empty()) {
        out.push_back({"cmdline", AuditParser::joinArgv(argv.data(), argv.size())});
    } else if (std::string_view pt = findField(out, "PROCTITLE.proctitle"); !pt.empty()) {
        out.push_back({"cmdline", std::string(pt)});
    }
    if (std::string_view sa = findField(out, "SOCKADDR.saddr"); !sa.empty())
        decodeSockaddr(sa, out, "SOCKADDR.");
    // Names of login uids, learned from the USER_* records of this file (acct="alice" with
    // auid=1000) or given by enriched logs (AUID="alice").
    for (const char *t : {"USER_LOGIN.", "USER_START.", "CRED_ACQ.", "USER_ACCT.", "USER_AUTH."}) {
        const std::string p(t);
        std::string_view acct = findField(out, p + "acct");
        std::string_view auid = findField(out, p + "auid");
        if (!acct.empty() && acct != "?" && !auid.empty() && auid != kUnsetId && findField(out, p + "res") == "success")
            m_auidNames[std::string(auid)] = std::string(acct);
    }
    std::string_view auid = findField(out, "SYSCALL.auid");
    if (auid.empty())
        for (const Field &f : out)
            if (f.name.size() > 5 && f.name.compare(f.name.size() - 5, 5, ".auid") == 0) {
                auid = f.value;
                break;
            }
    if (!auid.empty() && auid != kUnsetId) {
        std::string_view name;
        for (const Field &f : out)
            if (f.name.size() > 5 && f.name.compare(f.name.size() - 5, 5, ".AUID") == 0) {
                name = f.value;
                break;
            }
        std::string learned;
        if (name.empty() || name == "unset") {
            if (auto it = m_auidNames.find(std::string(auid)); it != m_auidNames.end())
                learned = it->second;
            else if (auid == "0")
                learned = "root";
            name = learned;
        }
        if (!name.empty())
            out.push_back({"auid_name", std::string(name)});
    }
    if (ev.computer.empty() && !warnedNoHost) {
        warnedNoHost = true;
        m_sink.warning(g.firstLine, "audit records name no host (no node=): import with --host NAME to attribute them");
    }
    m_sink.event(ev);
}

void Parser::flushOlderThan(int64_t lineNo)
{
    while (!m_pending.empty()) {
        auto it = std::find_if(m_pending.begin(), m_pending.end(),
            [&](const Group &g) { return g.lastLine + kGroupWindowLines < lineNo; });
        if (it == m_pending.end())
            break;
        Group g = std::move(*it);
        m_pending.erase(it);
        emit(g);
    }
}

void Parser::flushAll()
{
    for (Group &g : m_pending)
        emit(g);
    m_pending.clear();
}

} // namespace

int AuditParser::typeNumber(std::string_view t)
{
    struct T {
        const char *name;
        int number;
    };
    static const T kTypes[] = {
        {"USER_AUTH", 1100},
        {"USER_ACCT", 1101},
        {"USER_MGMT", 1102},
        {"CRED_ACQ", 1103},
        {"CRED_DISP", 1104},
        {"USER_START", 1105},
        {"USER_END", 1106},
        {"USER_AVC", 1107},
        {"USER_CHAUTHTOK", 1108},
        {"USER_ERR", 1109},
        {"CRED_REFR", 1110},
        {"USYS_CONFIG", 1111},
        {"USER_LOGIN", 1112},
        {"USER_LOGOUT", 1113},
        {"ADD_USER", 1114},
        {"DEL_USER", 1115},
        {"ADD_GROUP", 1116},
        {"DEL_GROUP", 1117},
        {"DAC_CHECK", 1118},
        {"CHGRP_ID", 1119},
        {"TEST", 1120},
        {"TRUSTED_APP", 1121},
        {"USER_SELINUX_ERR", 1122},
        {"USER_CMD", 1123},
        {"USER_TTY", 1124},
        {"CHUSER_ID", 1125},
        {"GRP_AUTH", 1126},
        {"SYSTEM_BOOT", 1127},
        {"SYSTEM_SHUTDOWN", 1128},
        {"SYSTEM_RUNLEVEL", 1129},
        {"SERVICE_START", 1130},
        {"SERVICE_STOP", 1131},
        {"GRP_MGMT", 1132},
        {"GRP_CHAUTHTOK", 1133},
        {"DAEMON_START", 1200},
        {"DAEMON_END", 1201},
        {"DAEMON_ABORT", 1202},
        {"DAEMON_CONFIG", 1203},
        {"DAEMON_ROTATE", 1205},
        {"DAEMON_RESUME", 1206},
        {"SYSCALL", 1300},
        {"PATH", 1302},
        {"IPC", 1303},
        {"SOCKETCALL", 1304},
        {"CONFIG_CHANGE", 1305},
        {"SOCKADDR", 1306},
        {"CWD", 1307},
        {"EXECVE", 1309},
        {"IPC_SET_PERM", 1311},
        {"MQ_OPEN", 1312},
        {"MQ_SENDRECV", 1313},
        {"MQ_NOTIFY", 1314},
        {"MQ_GETSETATTR", 1315},
        {"KERNEL_OTHER", 1316},
        {"FD_PAIR", 1317},
        {"OBJ_PID", 1318},
        {"TTY", 1319},
        {"EOE", 1320},
        {"BPRM_FCAPS", 1321},
        {"CAPSET", 1322},
        {"MMAP", 1323},
        {"NETFILTER_PKT", 1324},
        {"NETFILTER_CFG", 1325},
        {"SECCOMP", 1326},
        {"PROCTITLE", 1327},
        {"FEATURE_CHANGE", 1328},
        {"REPLACE", 1329},
        {"KERN_MODULE", 1330},
        {"FANOTIFY", 1331},
        {"TIME_INJOFFSET", 1332},
        {"TIME_ADJNTPVAL", 1333},
        {"BPF", 1334},
        {"EVENT_LISTENER", 1335},
        {"URINGOP", 1336},
        {"OPENAT2", 1337},
        {"AVC", 1400},
        {"SELINUX_ERR", 1401},
        {"MAC_STATUS", 1404},
        {"MAC_CONFIG_CHANGE", 1405},
        {"ANOM_PROMISCUOUS", 1700},
        {"ANOM_ABEND", 1701},
        {"ANOM_LINK", 1702},
        {"ANOM_CREAT", 1703},
        {"INTEGRITY_DATA", 1800},
        {"ANOM_LOGIN_FAILURES", 2100},
        {"ANOM_LOGIN_TIME", 2101},
        {"ANOM_LOGIN_SESSIONS", 2102},
        {"ANOM_LOGIN_ACCT", 2103},
        {"ANOM_LOGIN_LOCATION", 2104},
        {"ANOM_MAX_DAC", 2105},
        {"ANOM_MAX_MAC", 2106},
        {"RESP_ANOMALY", 2200},
        {"USER_ROLE_CHANGE", 2300},
        {"LABEL_LEVEL_CHANGE", 2309},
        {"VIRT_CONTROL", 2500},
    };
    for (const T &x : kTypes)
        if (t == x.name)
            return x.number;
    return -1;
}

bool AuditParser::decodeHex(std::string_view hex, std::string &out)
{
    out.clear();
    if (hex.size() % 2)
        return false;
    out.reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
        const int h = integer::hexDigit(hex[i]), l = integer::hexDigit(hex[i + 1]);
        if (h < 0 || l < 0) {
            out.clear();
            return false;
        }
        out.push_back(static_cast<char>((h << 4) | l));
    }
    return true;
}

std::string AuditParser::joinArgv(const std::string *args, size_t n)
{
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        if (i)
            out.push_back(' ');
        const std::string &a = args[i];
        if (!a.empty() && a.find_first_of(" \t\"") == std::string::npos) {
            out += a;
            continue;
        }
        out.push_back('"');
        for (char c : a) {
            if (c == '"')
                out.push_back('\\');
            out.push_back(c);
        }
        out.push_back('"');
    }
    return out;
}

bool AuditParser::parse(ByteSource &in, RecordSink &sink)
{
    LineReader lines(in, size_t(1) << 20, size_t(256) << 10); // log lines of up to 1 MiB
    Parser p(sink, m_defaultHost);
    std::string_view line;
    int64_t no = 0;
    while (nextLine(lines, sink, line, no)) {
        if (sink.cancelled())
            return true;
        p.line(line, no);
        if ((no & 15) == 0)
            p.flushOlderThan(no);
    }
    p.flushAll();
    if (!p.sawRecord()) {
        sink.reject(0, "no audit record found");
        return false;
    }
    return true;
}

} // namespace tt
