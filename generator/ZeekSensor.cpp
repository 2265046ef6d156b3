#include "ZeekSensor.h"

#include "Rng.h"
#include "TimeFormat.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tt::gen {

namespace {
constexpr int64_t kSec = 1000000;
constexpr int64_t kMs = 1000;

enum Log { Conn, SmbFiles, Files, Kerberos, Dns, LogCount };

struct LogDef {
    const char *path;
    const char *fields;
    const char *types;
};
const LogDef kLogs[LogCount] = {
    {"conn",
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state "
        "local_orig "
        "local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents",
        "time string addr port addr port enum string interval count count string bool bool count string count count "
        "count "
        "count set[string]"},
    {"smb_files",
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p fuid action path name size prev_name times.modified "
        "times.accessed "
        "times.created times.changed",
        "time string addr port addr port string enum string string count string time time time time"},
    {"files",
        "ts fuid tx_hosts rx_hosts conn_uids source depth analyzers mime_type filename duration local_orig is_orig "
        "seen_bytes "
        "total_bytes missing_bytes overflow_bytes timedout parent_fuid md5 sha1 sha256 extracted extracted_cutoff "
        "extracted_size",
        "time string set[addr] set[addr] set[string] string count set[string] string string interval bool bool count "
        "count "
        "count count bool string string string string string bool count"},
    {"kerberos",
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p request_type client service success error_msg from till cipher "
        "forwardable renewable client_cert_subject client_cert_fuid server_cert_subject server_cert_fuid",
        "time string addr port addr port string string string bool string time time string bool bool string string "
        "string "
        "string"},
    {"dns",
        "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto trans_id rtt query qclass qclass_name qtype qtype_name "
        "rcode "
        "rcode_name AA TC RD RA Z answers TTLs rejected",
        "time string addr port addr port enum count interval string count string count string count string bool bool "
        "bool "
        "bool count vector[string] vector[interval] bool"},
};

std::vector<std::string> split(const char *s)
{
    std::vector<std::string> out;
    std::string cur;
    for (const char *p = s; *p; ++p) {
        if (*p == ' ') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(*p);
        }
    }
    out.push_back(cur);
    return out;
}

struct Row {
    int64_t us = 0;
    uint64_t seq = 0;
    std::vector<std::string> v; // "-" unset
    int16_t transfer = -1;
    bool operator<(const Row &o) const { return us != o.us ? us < o.us : seq < o.seq; }
};

std::string ts(int64_t us)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / kSec), static_cast<long long>(us % kSec));
    return buf;
}

std::string interval(int64_t us)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / kSec), static_cast<long long>(us % kSec));
    return buf;
}

// Zeek TSV escaping: tabs, newlines, backslashes and non-printables as \xHH.
std::string tsvEscape(const std::string &s)
{
    std::string o;
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f || c == '\\' || c >= 0x80) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            o += b;
        } else {
            o.push_back(static_cast<char>(c));
        }
    }
    return o.empty() ? std::string("(empty)") : o;
}

void jsonString(std::string &o, const std::string &s)
{
    o.push_back('"');
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            o.push_back('\\');
            o.push_back(static_cast<char>(c));
        } else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else {
            o.push_back(static_cast<char>(c));
        }
    }
    o.push_back('"');
}

class Sensor {
public:
    Sensor(const Topology &t, uint64_t seed)
        : m_t(t)
        , m_r(Rng::derive(seed, 0x2ee4))
    {
    }

    std::string uid(char prefix)
    {
        static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        std::string s(1, prefix);
        for (int i = 0; i < 17; ++i)
            s.push_back(a[m_r.below(62)]);
        return s;
    }
    std::string hexs(int n)
    {
        static const char d[] = "0123456789abcdef";
        std::string s;
        for (int i = 0; i < n; ++i)
            s.push_back(d[m_r.below(16)]);
        return s;
    }
    void add(Log log, int64_t us, std::vector<std::string> v, int tag = -1)
    {
        Row r;
        r.us = us;
        r.seq = m_seq++;
        r.v = std::move(v);
        r.transfer = static_cast<int16_t>(tag);
        m_rows[log].push_back(std::move(r));
    }
    int64_t count() const
    {
        int64_t n = 0;
        for (const auto &v : m_rows)
            n += static_cast<int64_t>(v.size());
        return n;
    }

    void dns(int64_t us, const std::string &client, const std::string &server, const std::string &query,
        const std::string &answer, int tag)
    {
        const std::string port = std::to_string(49152 + m_r.below(16300));
        add(Dns, us,
            {ts(us), uid('C'), client, port, server, "53", "udp", std::to_string(m_r.below(65536)),
                interval(static_cast<int64_t>(m_r.range(200, 3000))), query, "1", "C_INTERNET", "1", "A", "0",
                "NOERROR", "T", "F", "T", "T", "0", answer.empty() ? "-" : answer, answer.empty() ? "-" : "600.000000",
                "F"},
            tag);
    }
    void kerberos(int64_t us, const std::string &client, const std::string &kdc, const std::string &principal,
        const std::string &service, int tag)
    {
        const std::string u = uid('C');
        const std::string port = std::to_string(49152 + m_r.below(16300));
        add(Kerberos, us,
            {ts(us), u, client, port, kdc, "88", "TGS", principal, service, "T", "-", "-", ts(us + 10LL * 3600 * kSec),
                "aes256-cts-hmac-sha1-96", "T", "F", "-", "-", "-", "-"},
            tag);
        add(Conn, us - 1 * kMs,
            {ts(us - 1 * kMs), u, client, port, kdc, "88", "tcp", "krb_tcp", interval(4000), "1610", "1590", "SF", "T",
                "T", "0", "ShADadFf", "6", "1930", "5", "1858", "-"});
    }
    void flow(const NetFlow &f)
    {
        if (!f.dnsQuery.empty())
            dns(f.us - 45 * kMs, f.origIp, f.dnsServer, f.dnsQuery, f.dnsAnswer, -1);
        if (!f.krbService.empty())
            kerberos(f.us - 30 * kMs, f.origIp, f.krbKdc, f.krbClient, f.krbService, f.transfer);
        const std::string u = uid('C');
        const int64_t pkts = f.origBytes / 1400 + 8;
        const int64_t rpkts = f.respBytes / 1400 + 6;
        add(Conn, f.us,
            {ts(f.us), u, f.origIp, std::to_string(f.origPort), f.respIp, std::to_string(f.respPort), f.proto,
                f.service.empty() ? "-" : f.service, interval(f.durationUs), std::to_string(f.origBytes),
                std::to_string(f.respBytes), f.state, "T", "T", "0", "ShADadFf", std::to_string(pkts),
                std::to_string(f.origBytes + pkts * 40), std::to_string(rpkts),
                std::to_string(f.respBytes + rpkts * 40), "-"},
            f.transfer);
        for (const NetFile &file : f.files) {
            const std::string fu = uid('F');
            const std::string mod = ts(file.us - static_cast<int64_t>(m_r.range(1, 400)) * 86400 * kSec);
            add(SmbFiles, file.us,
                {ts(file.us), u, f.origIp, std::to_string(f.origPort), f.respIp, std::to_string(f.respPort), fu,
                    file.read ? "SMB::FILE_READ" : "SMB::FILE_WRITE", file.share, file.name, std::to_string(file.size),
                    "-", mod, ts(file.us), ts(file.us), ts(file.us)},
                file.transfer);
            std::string leaf = file.name;
            if (const auto i = leaf.find_last_of('\\'); i != std::string::npos)
                leaf = leaf.substr(i + 1);
            const bool exe = leaf.size() > 4 && (leaf.compare(leaf.size() - 4, 4, ".exe") == 0);
            add(Files, file.us + 3 * kMs,
                {ts(file.us + 3 * kMs), fu, file.read ? f.respIp : f.origIp, file.read ? f.origIp : f.respIp, u, "SMB",
                    "0", "MD5,SHA1,PE", exe ? "application/x-dosexec" : "application/octet-stream", file.name,
                    interval(120000), "T", file.read ? "F" : "T", std::to_string(file.size), std::to_string(file.size),
                    "0", "0", "F", "-", hexs(32), hexs(40), "-", "-", "-", "-"},
                file.transfer);
        }
    }
    void background(int64_t budget, int64_t startUs, int64_t endUs)
    {
        const int windows = m_t.windowsCount();
        const auto &hs = m_t.hosts();
        const std::string dc = m_t.host(m_t.dc()).ip;
        const std::string dcName = m_t.host(m_t.dc()).name;
        const char *const ext[][2] = {{"login.microsoftonline.com", "20.190.151.7"}, {"www.bing.com", "204.79.197.200"},
            {"ctldl.windowsupdate.com", "93.184.221.240"}, {"deb.debian.org", "151.101.2.132"},
            {"outlook.office365.com", "52.97.146.18"}};
        const int64_t span = std::max<int64_t>(endUs - startUs, 1);
        while (count() < budget) {
            const int64_t us = startUs + static_cast<int64_t>(m_r.below(static_cast<uint64_t>(span)));
            const Host &h = hs[m_r.below(hs.size())];
            const uint64_t x = m_r.below(100);
            if (x < 35) {
                const Host &o = hs[m_r.below(hs.size())];
                dns(us, h.ipAt(us), dc, o.fqdn, o.ipAt(us), -1);
            } else if (x < 50) {
                const auto &e = ext[m_r.below(5)];
                dns(us, h.ipAt(us), dc, e[0], e[1], -1);
                const std::string port = std::to_string(49152 + m_r.below(16300));
                add(Conn, us + 30 * kMs,
                    {ts(us + 30 * kMs), uid('C'), h.ipAt(us), port, e[1], "443", "tcp", "ssl",
                        interval(static_cast<int64_t>(m_r.range(100, 60000)) * kMs),
                        std::to_string(m_r.range(800, 9000)), std::to_string(m_r.range(4000, 400000)), "SF", "T", "F",
                        "0", "ShADadFf", "14", "2200", "40", "90000", "-"});
            } else if (x < 65 && h.index < windows) {
                const Host &o = hs[m_r.below(static_cast<uint64_t>(windows))];
                // The machine's own tickets (its users' tickets come with the flows that use them).
                kerberos(us, h.ipAt(us), dc, Topology::machineAccount(h) + '/' + m_t.dnsUpper(),
                    std::string(m_r.chance(0.5) ? "ldap/" : "host/") + o.fqdn, -1);
            } else if (x < 80 && h.index < windows) {
                const std::string port = std::to_string(49152 + m_r.below(16300));
                add(Conn, us,
                    {ts(us), uid('C'), h.ipAt(us), port, dc, "389", "tcp", "ldap_tcp",
                        interval(static_cast<int64_t>(m_r.range(5, 900)) * kMs), std::to_string(m_r.range(300, 3000)),
                        std::to_string(m_r.range(900, 40000)), "SF", "T", "T", "0", "ShADadFf", "8", "900", "9", "4000",
                        "-"});
            } else if (h.index < windows) {
                // Group Policy: SYSVOL reads over SMB from the domain controller.
                const std::string u = uid('C');
                const std::string port = std::to_string(49152 + m_r.below(16300));
                const int64_t size = static_cast<int64_t>(m_r.range(200, 6000));
                add(Conn, us,
                    {ts(us), u, h.ipAt(us), port, dc, "445", "tcp", "gssapi,smb,krb",
                        interval(static_cast<int64_t>(m_r.range(50, 900)) * kMs), std::to_string(m_r.range(1500, 4000)),
                        std::to_string(size + 3000), "SF", "T", "T", "0", "ShADadFf", "12", "2000", "12", "9000", "-"});
                const std::string name
                    = m_t.dnsDomain() + "\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}\\GPT.INI";
                add(SmbFiles, us + 20 * kMs,
                    {ts(us + 20 * kMs), u, h.ipAt(us), port, dc, "445", "-",
                        m_r.chance(0.5) ? "SMB::FILE_OPEN" : "SMB::FILE_READ", "\\\\" + dcName + "\\SYSVOL", name,
                        std::to_string(size), "-", "-", "-", "-", "-"});
            }
        }
    }

    bool writeAll(const std::string &dir, bool json, HostResult &res)
    {
        for (int l = 0; l < LogCount; ++l) {
            auto &rows = m_rows[l];
            std::sort(rows.begin(), rows.end());
            const std::string name = std::string(kLogs[l].path) + (json ? ".json" : ".log");
            if (l == 0)
                res.file = "zeek/" + name;
            else
                res.moreFiles.push_back("zeek/" + name);
            std::FILE *f = std::fopen((dir + '/' + name).c_str(), "wb");
            if (!f) {
                res.error = "cannot write " + dir + '/' + name + ": " + std::strerror(errno);
                return false;
            }
            const std::vector<std::string> fields = split(kLogs[l].fields);
            const std::vector<std::string> types = split(kLogs[l].types);
            std::string out;
            int64_t line = 0;
            const int64_t open = rows.empty() ? 0 : rows.front().us;
            if (!json) {
                out = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t";
                out += kLogs[l].path;
                out += "\n#open\t";
                TimeFormat::appendDateTime(out, open);
                out += "\n#fields";
                for (const std::string &s : fields)
                    out += '\t' + s;
                out += "\n#types";
                for (const std::string &s : types)
                    out += '\t' + s;
                out += '\n';
                line = 8;
            }
            for (const Row &r : rows) {
                std::string text;
                if (!json) {
                    for (size_t i = 0; i < r.v.size(); ++i) {
                        if (i)
                            text.push_back('\t');
                        text += r.v[i] == "-" ? r.v[i] : tsvEscape(r.v[i]);
                    }
                } else {
                    text = "{\"_path\":\"";
                    text += kLogs[l].path;
                    text += '"';
                    for (size_t i = 0; i < r.v.size() && i < fields.size(); ++i) {
                        if (r.v[i] == "-")
                            continue;
                        text += ",\"" + fields[i] + "\":";
                        const std::string &ty = types[i];
                        if (ty == "time" || ty == "count" || ty == "port" || ty == "interval") {
                            text += r.v[i];
                        } else if (ty == "bool") {
                            text += r.v[i] == "T" ? "true" : "false";
                        } else if (ty.rfind("set[", 0) == 0 || ty.rfind("vector[", 0) == 0) {
                            text.push_back('[');
                            const bool num = ty.find("interval") != std::string::npos;
                            size_t s = 0;
                            bool firstItem = true;
                            while (s <= r.v[i].size()) {
                                const size_t c = r.v[i].find(',', s);
                                const std::string item
                                    = r.v[i].substr(s, c == std::string::npos ? std::string::npos : c - s);
                                if (!firstItem)
                                    text.push_back(',');
                                firstItem = false;
                                if (num)
                                    text += item;
                                else
                                    jsonString(text, item);
                                if (c == std::string::npos)
                                    break;
                                s = c + 1;
                            }
                            text.push_back(']');
                        } else {
                            jsonString(text, r.v[i]);
                        }
                    }
                    text.push_back('}');
                }
                ++line;
                ++res.count;
                ++res.counts[{static_cast<int>(Channel::Zeek), l}];
                if (res.count == 1 || r.us < res.firstUs)
                    res.firstUs = r.us;
                res.lastUs = std::max(res.lastUs, r.us);
                if (r.transfer >= 0) {
                    EvidenceRef e;
                    e.transfer = r.transfer;
                    e.file = "zeek/" + name;
                    e.line = line;
                    e.position = line;
                    e.host = "sensor";
                    e.channel = std::string("zeek:") + kLogs[l].path;
                    e.time = r.v[0];
                    e.summary = text.substr(0, 700);
                    res.evidence.push_back(std::move(e));
                }
                out += text;
                out.push_back('\n');
            }
            if (!json && !rows.empty()) {
                out += "#close\t";
                TimeFormat::appendDateTime(out, rows.back().us + kSec);
                out += '\n';
            }
            const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
            if (std::fclose(f) != 0 || !ok) {
                res.error = "write failed for " + dir + '/' + name;
                return false;
            }
        }
        return true;
    }

private:
    const Topology &m_t;
    Rng m_r;
    uint64_t m_seq = 0;
    std::vector<Row> m_rows[LogCount];
};

} // namespace

void ZeekSensor::write(const Topology &topo, uint64_t seed, const std::vector<NetFlow> &flows, int64_t background,
    int64_t startUs, int64_t endUs, bool json, const std::string &dir, HostResult &res)
{
    Sensor s(topo, seed);
    for (const NetFlow &f : flows)
        s.flow(f);
    s.background(s.count() + std::max<int64_t>(background, 0), startUs, endUs);
    s.writeAll(dir, json, res);
}

} // namespace tt::gen
