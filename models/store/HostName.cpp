#include "store/HostName.h"

#include <arpa/inet.h>

#include <algorithm>

namespace tt::store {

std::string normaliseGuid(std::string_view v)
{
    if (v.empty() || v == "-")
        return {};
    std::string g = toUpperAscii(v);
    if (g.front() != '{')
        g = '{' + g + '}';
    return g;
}

std::string toUpperAscii(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 32);
    return out;
}

std::string toLowerAscii(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c + 32);
    return out;
}

namespace {
std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (
        !s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n' || s.back() == '\0'))
        s.remove_suffix(1);
    return s;
}
} // namespace

std::string normaliseIp(std::string_view s)
{
    s = trim(s);
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']')
        s = s.substr(1, s.size() - 2);
    if (auto pct = s.find('%'); pct != std::string_view::npos)
        s = s.substr(0, pct);
    std::string low = toLowerAscii(s);
    if (low.find(':') == std::string::npos || low.size() > 64)
        return low;
    // IPv6 in its canonical (RFC 5952) spelling: NXLog writes 0:0:0:0:0:0:0:1 for ::1; an
    // IPv4-mapped address in any spelling is its IPv4 address.
    unsigned char b[16];
    if (inet_pton(AF_INET6, low.c_str(), b) != 1)
        return low;
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const bool mapped = std::equal(kMapped, kMapped + 12, b);
    char buf[INET6_ADDRSTRLEN];
    if (!inet_ntop(mapped ? AF_INET : AF_INET6, mapped ? b + 12 : b, buf, sizeof buf))
        return low;
    return buf;
}

bool isIpAddress(std::string_view s)
{
    std::string ip = normaliseIp(s);
    if (ip.empty() || ip.size() > 64)
        return false;
    unsigned char buf[16];
    return inet_pton(AF_INET, ip.c_str(), buf) == 1 || inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

bool isUninformativeIp(std::string_view s)
{
    std::string ip = normaliseIp(s);
    if (ip.empty() || ip == "-" || ip == "::" || ip == "::1" || ip == "0.0.0.0")
        return true;
    if (ip.compare(0, 4, "127.") == 0)
        return true;
    if (ip.compare(0, 5, "fe80:") == 0 || ip.compare(0, 2, "ff") == 0)
        return true;
    unsigned char b[4];
    if (inet_pton(AF_INET, ip.c_str(), b) == 1)
        return (b[0] == 169 && b[1] == 254) || b[0] >= 224 || b[3] == 255;
    return !isIpAddress(ip);
}

bool isServicePort(long long port)
{
    if (port > 0 && port < 1024)
        return true;
    switch (port) {
    case 1433:
    case 1434:
    case 3268:
    case 3269:
    case 3389:
    case 5353:
    case 5355:
    case 5985:
    case 5986:
    case 1900:
    case 3702:
    case 8080:
    case 8443:
        return true;
    default:
        return false;
    }
}

LocalEnd localEndOfConnection(long long initiated, std::string_view protocol, long long srcPort, long long dstPort)
{
    if (initiated == 1)
        return LocalEnd::Source;
    if (initiated != 0 || toLowerAscii(protocol) == "udp")
        return LocalEnd::Unknown;
    const bool srcService = isServicePort(srcPort), dstService = isServicePort(dstPort);
    if (dstService && !srcService)
        return LocalEnd::Destination;
    if (srcService && !dstService)
        return LocalEnd::Source; // swapped ends
    return LocalEnd::Unknown;
}

bool isPrivateIp(std::string_view s)
{
    const std::string ip = normaliseIp(s);
    unsigned char b[16];
    if (inet_pton(AF_INET, ip.c_str(), b) == 1)
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && (b[1] & 0xC0) == 64);
    if (inet_pton(AF_INET6, ip.c_str(), b) == 1)
        return (b[0] & 0xFE) == 0xFC;
    return false;
}

HostName normaliseHostName(std::string_view raw)
{
    HostName out;
    std::string_view s = trim(raw);
    while (!s.empty() && s.front() == '\\')
        s.remove_prefix(1);
    if (s.empty() || s == "-" || s.size() > 255)
        return out;
    if (isIpAddress(s)) {
        std::string ip = normaliseIp(s);
        if (isUninformativeIp(ip))
            return out;
        out.key = ip;
        out.isIp = true;
        out.valid = true;
        return out;
    }
    std::string lower = toLowerAscii(s);
    if (lower == "localhost" || lower == "localhost.localdomain")
        return out;
    // Reject anything that cannot be a host name (spaces, slashes, control characters).
    for (unsigned char c : lower)
        if (c < 0x21 || c == '/' || c == '\\' || c == '"' || c == '<' || c == '>')
            return out;
    std::string_view lv(lower);
    if (lv.back() == '.')
        lv.remove_suffix(1);
    auto dot = lv.find('.');
    std::string_view shortName = lv.substr(0, dot);
    if (!shortName.empty() && shortName.back() == '$')
        shortName.remove_suffix(1);
    if (shortName.empty())
        return out;
    out.key = toUpperAscii(shortName);
    if (dot != std::string_view::npos)
        out.fqdn = std::string(lv);
    out.valid = true;
    return out;
}

} // namespace tt::store
