#include "store/CaseLocation.h"

#include <charconv>
#include <stdexcept>

namespace tt::store {

namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};

bool isSecretKey(std::string_view key)
{
    return key == "password" || key == "sslpassword";
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Throws with `what` only: the caller adds the redacted location.
std::string percentDecode(std::string_view s, const char *what)
{
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        const int hi = i + 2 < s.size() ? hexValue(s[i + 1]) : -1;
        const int lo = i + 2 < s.size() ? hexValue(s[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            throw std::invalid_argument(std::string("bad percent-escape in the ") + what);
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// Keeps RFC 3986 unreserved characters and `keep`; escapes the rest.
std::string percentEncode(std::string_view s, std::string_view keep = {})
{
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '.'
            || c == '_' || c == '~' || keep.find(c) != std::string_view::npos) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

size_t schemeLength(std::string_view text)
{
    for (const std::string_view scheme : kSchemes)
        if (text.substr(0, scheme.size()) == scheme)
            return scheme.size();
    return 0;
}

bool isPort(std::string_view p)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    return !p.empty() && ec == std::errc() && end == p.data() + p.size() && value > 0 && value <= 65535;
}

} // namespace

bool CaseLocation::looksLikeUrl(std::string_view text)
{
    return schemeLength(text) > 0;
}

bool CaseLocation::isValidCaseName(std::string_view name)
{
    if (name.empty() || name.size() > 48 || name[0] < 'a' || name[0] > 'z')
        return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

std::string CaseLocation::redactText(std::string_view text)
{
    const size_t start = schemeLength(text);
    if (start == 0)
        return std::string(text);
    std::string out(text);
    // The user part ends at the last '@' (a password may hold an unescaped '/', '?' or '@');
    // cutting too much from a text that does not parse is fine, leaving a password is not.
    const size_t at = out.rfind('@');
    if (at != std::string::npos && at > start) {
        const size_t colon = out.find(':', start);
        if (colon < at)
            out.erase(colon, at - colon);
    }
    for (const std::string_view key : {std::string_view("password="), std::string_view("sslpassword=")}) {
        for (size_t pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + 1)) {
            if (pos == 0 || (out[pos - 1] != '?' && out[pos - 1] != '&'))
                continue;
            const size_t valueStart = pos + key.size();
            const size_t valueEnd = out.find('&', valueStart);
            out.erase(valueStart, valueEnd == std::string::npos ? std::string::npos : valueEnd - valueStart);
        }
    }
    return out;
}

CaseLocation CaseLocation::parse(std::string_view text)
{
    CaseLocation loc;
    const size_t start = schemeLength(text);
    if (start == 0) {
        if (text.empty())
            throw std::invalid_argument("empty case location");
        loc.m_path = std::string(text);
        return loc;
    }
    loc.m_kind = Kind::Postgres;
    auto fail = [&](const std::string &why) -> void {
        throw std::invalid_argument(why + " in case location " + redactText(text));
    };
    try {
        const size_t q = text.find('?', start);
        const std::string_view beforeQuery = text.substr(start, q == std::string_view::npos ? text.npos : q - start);
        const std::string_view query = q == std::string_view::npos ? std::string_view() : text.substr(q + 1);

        std::string_view rest = beforeQuery;
        if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
            const std::string_view userInfo = rest.substr(0, at);
            rest = rest.substr(at + 1);
            const size_t colon = userInfo.find(':');
            loc.m_user = percentDecode(userInfo.substr(0, colon), "user name");
            if (colon != std::string_view::npos) {
                loc.m_password = percentDecode(userInfo.substr(colon + 1), "password");
                if (loc.m_password.empty())
                    fail("empty password");
            }
        }
        const size_t slash = rest.find('/');
        if (slash == std::string_view::npos)
            fail("no database (postgresql://[user@][host][:port]/DATABASE?case=NAME)");
        const std::string_view hostPort = rest.substr(0, slash);
        loc.m_database = percentDecode(rest.substr(slash + 1), "database name");
        if (loc.m_database.empty())
            fail("no database (postgresql://[user@][host][:port]/DATABASE?case=NAME)");

        // host[:port], or [ipv6][:port]; several as a comma-separated list (libpq's failover).
        std::string hosts, ports;
        bool anyPort = false;
        size_t pos = 0;
        while (pos <= hostPort.size() && !hostPort.empty()) {
            size_t comma = hostPort.find(',', pos);
            if (comma == std::string_view::npos)
                comma = hostPort.size();
            const std::string_view one = hostPort.substr(pos, comma - pos);
            std::string_view h = one, p;
            if (!one.empty() && one[0] == '[') {
                const size_t close = one.find(']');
                if (close == std::string_view::npos)
                    fail("unclosed '[' in the host");
                h = one.substr(1, close - 1);
                const std::string_view after = one.substr(close + 1);
                if (!after.empty()) {
                    if (after[0] != ':')
                        fail("unexpected text after ']' in the host");
                    p = after.substr(1);
                }
            } else if (const size_t colon = one.rfind(':'); colon != std::string_view::npos) {
                h = one.substr(0, colon);
                p = one.substr(colon + 1);
            }
            if (!p.empty() && !isPort(p))
                fail("bad port (1 to 65535)"); // not echoed: with an unescaped '?' in a password it is a piece of it
            if (pos > 0) {
                hosts += ',';
                ports += ',';
            }
            hosts += percentDecode(h, "host");
            ports += std::string(p);
            anyPort = anyPort || !p.empty();
            pos = comma + 1;
        }
        loc.m_host = hosts;
        if (anyPort)
            loc.m_port = ports;

        bool haveCase = false;
        pos = 0;
        while (pos < query.size()) {
            size_t amp = query.find('&', pos);
            if (amp == std::string_view::npos)
                amp = query.size();
            const std::string_view pair = query.substr(pos, amp - pos);
            pos = amp + 1;
            if (pair.empty())
                continue;
            const size_t eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0)
                fail("parameter '" + std::string(pair.substr(0, eq)) + "' without a value (key=value)");
            std::string key = percentDecode(pair.substr(0, eq), "parameter name");
            std::string value = percentDecode(pair.substr(eq + 1), "parameter value");
            if (key == "case") {
                if (haveCase)
                    fail("'case' given twice");
                haveCase = true;
                loc.m_case = std::move(value);
            } else {
                loc.m_params.emplace_back(std::move(key), std::move(value));
            }
        }
        if (!haveCase)
            fail("no case=NAME (which case in the database)");
        if (!isValidCaseName(loc.m_case))
            fail("bad case name '" + loc.m_case + "' (1 to 48 of a-z, 0-9 and _, starting with a letter)");
    } catch (const std::invalid_argument &e) {
        const std::string what = e.what();
        if (what.find(" in case location ") != std::string::npos)
            throw;
        fail(what);
    }
    return loc;
}

bool CaseLocation::hasPassword() const
{
    if (!m_password.empty())
        return true;
    for (const auto &[key, value] : m_params)
        if (key == "password")
            return true;
    return false;
}

std::vector<std::pair<std::string, std::string>> CaseLocation::libpqParams() const
{
    std::vector<std::pair<std::string, std::string>> out;
    if (!m_host.empty())
        out.emplace_back("host", m_host);
    if (!m_port.empty())
        out.emplace_back("port", m_port);
    if (!m_user.empty())
        out.emplace_back("user", m_user);
    if (!m_password.empty())
        out.emplace_back("password", m_password);
    out.emplace_back("dbname", m_database);
    // After ours, so host=/socket/dir or dbname= in the query win, as in libpq's own URLs.
    for (const auto &param : m_params)
        out.push_back(param);
    return out;
}

std::string CaseLocation::redacted() const
{
    if (m_kind == Kind::File)
        return m_path;
    std::string out = "postgresql://";
    if (!m_user.empty())
        out += percentEncode(m_user) + '@';
    // Each host of the list with its port; IPv6 addresses in brackets.
    size_t hostPos = 0, portPos = 0;
    bool first = true;
    while (hostPos <= m_host.size() && (!m_host.empty() || !m_port.empty())) {
        size_t hostEnd = m_host.find(',', hostPos);
        if (hostEnd == std::string::npos)
            hostEnd = m_host.size();
        size_t portEnd = m_port.find(',', portPos);
        if (portEnd == std::string::npos)
            portEnd = m_port.size();
        const std::string h = m_host.substr(hostPos, hostEnd - hostPos);
        const std::string p = portPos < m_port.size() ? m_port.substr(portPos, portEnd - portPos) : std::string();
        if (!first)
            out += ',';
        first = false;
        out += h.find(':') != std::string::npos && h[0] != '/' ? '[' + h + ']' : percentEncode(h);
        if (!p.empty())
            out += ':' + p;
        if (hostEnd >= m_host.size())
            break;
        hostPos = hostEnd + 1;
        portPos = portEnd + 1;
    }
    out += '/' + percentEncode(m_database) + "?case=" + m_case;
    for (const auto &[key, value] : m_params)
        if (!isSecretKey(key))
            out += '&' + percentEncode(key) + '=' + percentEncode(value, "/:,");
    return out;
}

} // namespace tt::store
