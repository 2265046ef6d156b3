#include "RecordWriter.h"

#include "TimeFormat.h"

#include <cerrno>
#include <cstring>

namespace tt::gen {

namespace {

struct Meta {
    int task;
    int version;
    const char *category; // NXLog "Category"
    const char *title; // first line of the rendered message
};

Meta meta(Channel ch, int id)
{
    if (ch == Channel::Sysmon) {
        switch (id) {
        case 1:
            return {1, 5, "Process Create (rule: ProcessCreate)", "Process Create:"};
        case 3:
            return {3, 5, "Network connection detected (rule: NetworkConnect)", "Network connection detected:"};
        case 5:
            return {5, 3, "Process terminated (rule: ProcessTerminate)", "Process terminated:"};
        case 11:
            return {11, 2, "File created (rule: FileCreate)", "File created:"};
        case 13:
            return {13, 2, "Registry value set (rule: RegistryEvent)", "Registry value set:"};
        case 22:
            return {22, 5, "Dns query (rule: DnsQuery)", "Dns query:"};
        default:
            return {id, 1, "-", "-"};
        }
    }
    if (ch == Channel::System)
        return {0, 0, nullptr, "A service was installed in the system."};
    if (ch == Channel::BitsClient) {
        switch (id) {
        case 3:
            return {0, 0, nullptr, "The BITS service created a new job."};
        case 59:
            return {0, 1, nullptr, "BITS started a transfer job."};
        case 60:
            return {0, 1, nullptr, "BITS stopped transferring a transfer job."};
        default:
            return {0, 0, nullptr, "-"};
        }
    }
    switch (id) {
    case 4624:
        return {12544, 2, "Logon", "An account was successfully logged on."};
    case 4625:
        return {12544, 0, "Logon", "An account failed to log on."};
    case 4634:
        return {12545, 0, "Logoff", "An account was logged off."};
    case 4648:
        return {12544, 0, "Logon", "A logon was attempted using explicit credentials."};
    case 4672:
        return {12548, 0, "Special Logon", "Special privileges assigned to new logon."};
    case 4688:
        return {13312, 2, "Process Creation", "A new process has been created."};
    case 4689:
        return {13313, 0, "Process Termination", "A process has exited."};
    case 4697:
        return {12289, 1, "Security System Extension", "A service was installed in the system."};
    case 4663:
        return {12800, 1, "File System", "An attempt was made to access an object."};
    case 5140:
        return {12808, 1, "File Share", "A network share object was accessed."};
    case 4698:
        return {12804, 1, "Other Object Access Events", "A scheduled task was created."};
    case 5145:
        return {12811, 0, "Detailed File Share",
            "A network share object was checked to see whether client can be granted desired access."};
    default:
        return {0, 0, "-", "-"};
    }
}

void appendInt(std::string &out, int64_t v)
{
    char buf[24];
    int n = 0;
    const bool neg = v < 0;
    uint64_t u = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
    do {
        buf[23 - n++] = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        buf[23 - n++] = '-';
    out.append(buf + 24 - n, static_cast<size_t>(n));
}

// True when any of the 8 bytes needs escaping in JSON: '"', '\\' or a control character.
inline bool needsEscape8(uint64_t w)
{
    constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const uint64_t quote = w ^ (ones * '"');
    const uint64_t bslash = w ^ (ones * '\\');
    const uint64_t ctrl = (w - ones * 0x20) & ~w & highs; // bytes < 0x20
    return (((quote - ones) & ~quote) | ((bslash - ones) & ~bslash)) & highs || ctrl;
}

void appendJsonEscapedSlow(std::string &out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    for (const char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default:
            if (c < 0x20) {
                const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out.append(u, 6);
            } else {
                out.push_back(ch);
            }
        }
    }
}

// Escapes into space grown once (2 bytes per input byte covers every escape but \u00XX, which
// falls back to the slow path), copying clean 8-byte words at once.
void appendJsonEscaped(std::string &out, std::string_view s)
{
    const size_t n = s.size();
    const size_t old = out.size();
    out.resize(old + 2 * n);
    char *p = out.data() + old;
    const char *in = s.data();
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            std::memcpy(&w, in + i, 8);
            if (!needsEscape8(w)) {
                std::memcpy(p, &w, 8);
                p += 8;
                i += 8;
                continue;
            }
        }
        const unsigned char c = static_cast<unsigned char>(in[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            *p++ = static_cast<char>(c);
        } else if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = static_cast<char>(c);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            *p++ = '\\';
            *p++ = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else {
            out.resize(static_cast<size_t>(p - out.data()));
            appendJsonEscapedSlow(out, s.substr(i));
            return;
        }
        ++i;
    }
    out.resize(static_cast<size_t>(p - out.data()));
}

void appendXmlEscaped(std::string &out, std::string_view s)
{
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const char *rep = nullptr;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\r':
            rep = "&#13;";
            break;
        case '\n':
            rep = "&#10;";
            break;
        case '\t':
            rep = "&#9;";
            break;
        default:
            continue;
        }
        out.append(s.data() + run, i - run);
        out.append(rep);
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
}

void key(std::string &out, const char *k)
{
    out.push_back('"');
    out.append(k);
    out.append("\":", 2);
}
void kv(std::string &out, const char *k, std::string_view v)
{
    key(out, k);
    out.push_back('"');
    appendJsonEscaped(out, v);
    out.append("\",", 2);
}
void kn(std::string &out, const char *k, int64_t v)
{
    key(out, k);
    appendInt(out, v);
    out.push_back(',');
}

const std::string_view kSummaryKeys[]
    = {"TargetUserName", "LogonType", "AuthenticationPackageName", "IpAddress", "IpPort", "ShareName",
        "RelativeTargetName", "AccessMask", "SubjectUserName", "TargetServerName", "Image", "CommandLine",
        "ParentImage", "TargetFilename", "Initiated", "SourceIp", "SourcePort", "DestinationIp", "DestinationPort",
        "NewProcessName", "ParentProcessName", "ServiceName", "ImagePath", "ServiceFileName", "QueryName"};

} // namespace

const char *RecordWriter::channelName(Channel c)
{
    switch (c) {
    case Channel::Security:
        return "Security";
    case Channel::System:
        return "System";
    case Channel::Sysmon:
        return "Microsoft-Windows-Sysmon/Operational";
    case Channel::LinuxAudit:
        return "linux:audit";
    case Channel::LinuxSshd:
        return "linux:sshd";
    case Channel::LinuxSyslog:
        return "linux:syslog";
    case Channel::Zeek:
        return "zeek";
    case Channel::BitsClient:
        return "Microsoft-Windows-Bits-Client/Operational";
    }
    return "";
}

RecordWriter::RecordWriter(const Topology &topo, const Host &host, Format format, uint64_t seed)
    : m_topo(topo)
    , m_host(host)
    , m_format(format)
    , m_rng(Rng::derive(seed, 0x3000 + static_cast<uint64_t>(host.index)))
{
    m_records[static_cast<int>(Channel::Security)] = m_rng.range(80000, 4000000);
    m_records[static_cast<int>(Channel::System)] = m_rng.range(900, 60000);
    m_records[static_cast<int>(Channel::Sysmon)] = m_rng.range(200000, 3000000);
    for (auto &ch : m_threads)
        for (auto &t : ch)
            t = static_cast<uint32_t>(m_rng.range(100, 2500)) * 4;
    m_portText = std::to_string(host.collectorPort);
    m_fileName = host.name + (format == Format::JsonLines ? ".json" : ".xml");
    m_buf.reserve(4 << 20);
    m_msg.reserve(8192);
}

RecordWriter::~RecordWriter()
{
    if (m_file && m_ownsFile)
        std::fclose(m_file);
}

void RecordWriter::openStream(std::FILE *stream)
{
    m_file = stream;
    m_ownsFile = false;
}

bool RecordWriter::open(const std::string &dir)
{
    const std::string path = dir + '/' + m_fileName;
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file) {
        m_error = "cannot create " + path + ": " + std::strerror(errno);
        return false;
    }
    if (m_format == Format::EventXml) {
        m_buf.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n");
        m_line = 2;
    }
    return true;
}

void RecordWriter::write(const Event &e)
{
    // BITS records count apart (no random start: the other channels' draws stay as they were).
    const int64_t record
        = e.channel == Channel::BitsClient ? ++m_bitsRecords : ++m_records[static_cast<int>(e.channel)];
    ++m_count;
    ++m_line;
    if (m_count == 1)
        m_firstUs = e.us + m_host.skewUs;
    m_lastUs = e.us + m_host.skewUs;
    ++m_counts[{static_cast<int>(e.channel), e.eventId}];
    if (m_format == Format::JsonLines)
        writeJson(e, record);
    else
        writeXml(e, record);
    if (e.transfer >= 0 || e.trap != Trap::None)
        note(e, record);
    flushIfFull();
}

void RecordWriter::note(const Event &e, int64_t record)
{
    EvidenceRef r;
    if (e.transfer < 0) {
        int64_t &n = m_trapCounts[static_cast<int>(e.trap)];
        if (n++ >= 2)
            return;
    }
    r.transfer = e.transfer;
    r.trap = e.trap;
    r.file = m_fileName;
    r.line = m_line;
    r.position = m_count;
    r.record = record;
    r.host = m_host.fqdn;
    r.channel = channelName(e.channel);
    r.eventId = e.eventId;
    const int64_t clock = e.us + m_host.skewUs;
    if (e.channel == Channel::Sysmon) {
        r.time = "UtcTime=";
        TimeFormat::appendSysmon(r.time, clock);
    } else {
        r.time = "EventTime(local)=";
        TimeFormat::appendLocal(r.time, clock + m_host.tzMinutes * 60000000LL);
    }
    for (std::string_view k : kSummaryKeys) {
        for (const Event::Field &f : e.fields) {
            if (f.key != k)
                continue;
            if (!r.summary.empty())
                r.summary.push_back(' ');
            r.summary.append(k);
            r.summary.push_back('=');
            r.summary.append(e.value(f));
            break;
        }
    }
    (e.transfer >= 0 ? m_evidence : m_trapSamples).push_back(std::move(r));
}

void RecordWriter::appendMessage(std::string &out, const Event &e) const
{
    const Meta m = meta(e.channel, e.eventId);
    out.append(m.title);
    // Abbreviated rendering (title and the first fields): the full text would double every
    // record and is never parsed; the event data carries every value.
    constexpr size_t kMessageFields = 4;
    size_t shown = 0;
    if (e.channel == Channel::Sysmon) {
        for (const Event::Field &f : e.fields) {
            if (shown++ == kMessageFields)
                break;
            out.append("\r\n", 2);
            out.append(f.key);
            out.append(": ", 2);
            out.append(e.value(f));
        }
        return;
    }
    if (e.channel == Channel::BitsClient) {
        for (const Event::Field &f : e.fields) {
            if (shown++ == kMessageFields)
                break;
            out.append(shown == 1 ? " " : ", ");
            out.append(f.key);
            out.append(": ", 2);
            out.append(e.value(f));
        }
        return;
    }
    if (e.channel == Channel::System) {
        out.append("\r\n\r\nService Name:  ");
        out.append(e.get("ServiceName"));
        out.append("\r\nService File Name:  ");
        out.append(e.get("ImagePath"));
        out.append("\r\nService Type:  user mode service\r\nService Start Type:  demand start\r\nService Account:  "
                   "LocalSystem");
        return;
    }
    out.append("\r\n", 2);
    for (const Event::Field &f : e.fields) {
        if (shown++ == kMessageFields)
            break;
        out.append("\r\n\t", 3);
        out.append(f.key);
        out.append(":\t\t", 3);
        out.append(e.value(f));
    }
}

void RecordWriter::writeJson(const Event &e, int64_t record)
{
    std::string &o = m_buf;
    const Meta m = meta(e.channel, e.eventId);
    const int64_t clock = e.us + m_host.skewUs;
    const int64_t tz = m_host.tzMinutes * 60000000LL;
    // Collector lag: mostly 1-4 s, sometimes up to 30 s.
    const int64_t lag
        = (m_rng.chance(0.85) ? m_rng.range(1000, 4000) : m_rng.range(4000, 30000)) * 1000 + m_rng.range(0, 999);
    const bool failure = e.eventId == 4625;
    const bool bits = e.channel == Channel::BitsClient;
    const int ch = bits ? static_cast<int>(Channel::System) : static_cast<int>(e.channel);

    o.push_back('{');
    kn(o, "Keywords",
        e.channel == Channel::Sysmon       ? INT64_MIN
            : bits                         ? 4611686018427387904LL
            : e.channel == Channel::System ? -9187343239835811840LL
            : failure                      ? -9218868437227405312LL
                                           : -9214364837600034816LL);
    kn(o, "SeverityValue", failure ? 4 : 2);
    key(o, "EventReceivedTime");
    o.push_back('"');
    TimeFormat::appendLocal(o, clock + tz + lag - 300000);
    o.append("\",", 2);
    kn(o, "EventID", e.eventId);
    kv(o, "ProviderGuid",
        e.channel == Channel::Sysmon       ? "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
            : bits                         ? "{EF1CC15B-46C1-414E-BB95-E76B077BD51E}"
            : e.channel == Channel::System ? "{555908D1-A6D7-4695-8E1E-26931D2012F4}"
                                           : "{54849625-5478-4994-A5BA-3E3B0328C30D}");
    const bool lsass = e.channel == Channel::Security && (e.eventId < 4660 || e.eventId == 4697);
    kn(o, "ExecutionProcessID",
        e.channel == Channel::Sysmon       ? m_host.sysmonPid
            : bits                         ? m_host.servicesPid + 412
            : e.channel == Channel::System ? m_host.servicesPid
            : lsass                        ? m_host.lsassPid
                                           : 4);
    kv(o, "Channel", channelName(e.channel));
    kv(o, "host", m_topo.collector());
    if (e.channel == Channel::Sysmon) {
        o.append(R"("AccountType":"User","UserID":"S-1-5-18","AccountName":"SYSTEM","Domain":"NT AUTHORITY",)");
    } else if (e.channel == Channel::System || bits) {
        o.append(R"("AccountType":"User",)");
        kv(o, "UserID", e.userSid);
        kv(o, "AccountName", e.userName);
        kv(o, "Domain", e.userDomain);
    }
    kn(o, "ThreadID", m_threads[ch][m_rng.below(4)]);
    if (e.channel == Channel::Sysmon && e.eventId == 13)
        kv(o, "EventTypeOrignal", "INFO");
    else
        kv(o, "EventType", e.channel != Channel::Security ? "INFO" : failure ? "AUDIT_FAILURE" : "AUDIT_SUCCESS");
    if (e.channel != Channel::System && !bits)
        kv(o, "Opcode", "Info");
    key(o, "EventTime");
    o.push_back('"');
    TimeFormat::appendLocal(o, clock + tz);
    o.append("\",", 2);
    for (const Event::Field &f : e.fields) {
        // NXLog's own keys win over event data of the same name (as in real exports).
        if ((e.channel == Channel::System && f.key == "AccountName")
            || (e.channel == Channel::Sysmon && f.key == "EventType"))
            continue;
        o.push_back('"');
        o.append(f.key);
        o.append("\":\"", 3);
        appendJsonEscaped(o, e.value(f));
        o.append("\",", 2);
    }
    m_msg.clear();
    appendMessage(m_msg, e);
    kv(o, "Message", m_msg);
    key(o, "@timestamp");
    o.push_back('"');
    TimeFormat::appendIsoMs(o, e.us + lag);
    o.append("\",", 2);
    o.append(R"("SourceModuleType":"im_msvistalog","port":)");
    o.append(m_portText);
    o.push_back(',');
    kn(o, "RecordNumber", record);
    kn(o, "Task", m.task);
    o.append(R"("@version":"1","OpcodeValue":0,"SourceModuleName":"eventlog",)");
    kv(o, "Severity", failure ? "ERROR" : "INFO");
    kv(o, "SourceName",
        e.channel == Channel::Sysmon       ? "Microsoft-Windows-Sysmon"
            : bits                         ? "Microsoft-Windows-Bits-Client"
            : e.channel == Channel::System ? "Service Control Manager"
                                           : "Microsoft-Windows-Security-Auditing");
    kn(o, "Version", m.version);
    if (m.category)
        kv(o, "Category", m.category);
    kv(o, "Hostname", m_host.fqdn);
    o.append(R"("tags":["transfertrace-sim"]})");
    o.push_back('\n');
}

void RecordWriter::writeXml(const Event &e, int64_t record)
{
    std::string &o = m_buf;
    const Meta m = meta(e.channel, e.eventId);
    const bool bits = e.channel == Channel::BitsClient;
    const int ch = bits ? static_cast<int>(Channel::System) : static_cast<int>(e.channel);
    o.append("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>");
    if (bits)
        o.append(
            "<Provider Name='Microsoft-Windows-Bits-Client' Guid='{ef1cc15b-46c1-414e-bb95-e76b077bd51e}'/><EventID>");
    else if (e.channel == Channel::Sysmon)
        o.append("<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>");
    else if (e.channel == Channel::System)
        o.append("<Provider Name='Service Control Manager' Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}' "
                 "EventSourceName='Service Control Manager'/><EventID Qualifiers='16384'>");
    else
        o.append("<Provider Name='Microsoft-Windows-Security-Auditing' "
                 "Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>");
    appendInt(o, e.eventId);
    o.append("</EventID><Version>");
    appendInt(o, m.version);
    o.append("</Version><Level>");
    o.append(e.channel == Channel::Security ? "0" : "4");
    o.append("</Level><Task>");
    appendInt(o, m.task);
    o.append("</Task><Opcode>0</Opcode><Keywords>");
    o.append(e.channel == Channel::Sysmon  ? "0x8000000000000000"
            : bits                         ? "0x4000000000000000"
            : e.channel == Channel::System ? "0x8080000000000000"
            : e.eventId == 4625            ? "0x8010000000000000"
                                           : "0x8020000000000000");
    o.append("</Keywords><TimeCreated SystemTime='");
    TimeFormat::appendSystemTime(o, e.us + m_host.skewUs);
    o.append("'/><EventRecordID>");
    appendInt(o, record);
    o.append("</EventRecordID><Correlation/><Execution ProcessID='");
    const bool lsass = e.channel == Channel::Security && (e.eventId < 4660 || e.eventId == 4697);
    appendInt(o,
        e.channel == Channel::Sysmon       ? m_host.sysmonPid
            : bits                         ? m_host.servicesPid + 412
            : e.channel == Channel::System ? m_host.servicesPid
            : lsass                        ? m_host.lsassPid
                                           : 4);
    o.append("' ThreadID='");
    appendInt(o, m_threads[ch][m_rng.below(4)]);
    o.append("'/><Channel>");
    o.append(channelName(e.channel));
    o.append("</Channel><Computer>");
    o.append(m_host.fqdn);
    o.append("</Computer>");
    if (e.channel == Channel::Sysmon)
        o.append("<Security UserID='S-1-5-18'/>");
    else if (e.channel == Channel::System || bits) {
        o.append("<Security UserID='");
        o.append(e.userSid);
        o.append("'/>");
    } else
        o.append("<Security/>");
    o.append("</System><EventData>");
    for (const Event::Field &f : e.fields) {
        o.append("<Data Name='");
        o.append(f.key);
        o.append("'>");
        appendXmlEscaped(o, e.value(f));
        o.append("</Data>");
    }
    o.append("</EventData></Event>\n");
}

void RecordWriter::flushIfFull()
{
    if (m_buf.size() < (2u << 20))
        return;
    if (m_file && std::fwrite(m_buf.data(), 1, m_buf.size(), m_file) != m_buf.size() && m_error.empty())
        m_error = "write failed for " + m_fileName + ": " + std::strerror(errno);
    m_buf.clear();
}

bool RecordWriter::close()
{
    if (!m_file)
        return m_error.empty();
    if (m_format == Format::EventXml) {
        m_buf.append("</Events>\n");
        ++m_line;
    }
    if (!m_buf.empty() && std::fwrite(m_buf.data(), 1, m_buf.size(), m_file) != m_buf.size() && m_error.empty())
        m_error = "write failed for " + m_fileName + ": " + std::strerror(errno);
    m_buf.clear();
    if ((m_ownsFile ? std::fclose(m_file) : std::fflush(m_file)) != 0 && m_error.empty())
        m_error = "close failed for " + m_fileName;
    m_file = nullptr;
    return m_error.empty();
}

} // namespace tt::gen
