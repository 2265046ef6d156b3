#pragma once

#include <string>
#include <string_view>

namespace tt::store {

// How a host was named in a record, reduced to the key that identifies the machine.
struct HostName {
    std::string key; // upper-case short name ("WORKSTATION5"), or the address for IP-only hosts
    std::string fqdn; // lower-case FQDN when the spelling had a domain part, else empty
    bool isIp = false;
    bool valid = false;
};

// "WORKSTATION5.theshire.local", "workstation5", "WORKSTATION5$", "\\WS5", "10.0.0.5" -> key.
// Rejects empty, "-", "localhost", loopback and unspecified addresses.
HostName normaliseHostName(std::string_view raw);

// True for an IPv4 or IPv6 literal (IPv4-mapped IPv6 included).
bool isIpAddress(std::string_view s);
// "::ffff:10.0.0.5" -> "10.0.0.5"; strips brackets and zone ids; lower-cases IPv6.
std::string normaliseIp(std::string_view s);
// Loopback, unspecified, link-local (IPv4 and IPv6), multicast, broadcast and empty: addresses
// that never identify one host.
bool isUninformativeIp(std::string_view ip);
// RFC 1918 / shared (100.64/10) IPv4 and unique-local IPv6 (fc00::/7): addresses of a site's own machines.
bool isPrivateIp(std::string_view ip);

// Which end of a Sysmon 3 record is the logging host. Initiated=true: the source. Initiated=false
// over UDP: Unknown; Sysmon guesses the direction of datagrams and gets both the flag and the ends
// wrong (dns.exe answering from port 53 logged with the server as "source", a client's own DNS
// query logged as inbound, NetBIOS 137 -> 137). Initiated=false over TCP: the destination, unless
// the ends are swapped (a service port on the source side only); when both or neither port is a
// service port (RPC dynamic ports) Unknown, never a guess that could be the remote end.
enum class LocalEnd { Unknown, Source, Destination };
LocalEnd localEndOfConnection(long long initiated, std::string_view protocol, long long srcPort, long long dstPort);
// A port a server listens on: below 1024, or a registered service port (RDP, WinRM, SQL, ...).
bool isServicePort(long long port);

std::string toUpperAscii(std::string_view s);
std::string toLowerAscii(std::string_view s);
// A Sysmon ProcessGuid as the tables hold it: upper case, in braces; "" for empty or "-".
std::string normaliseGuid(std::string_view v);

} // namespace tt::store
