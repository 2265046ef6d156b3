#pragma once

// The normalised rows inference reads and the rows it writes, as plain structs: what crosses the
// line between graph/inference (which decides) and the store (which reads and writes them).
// Times are UTC microseconds; 0 ids mean "unknown", -1 ports / pids "not recorded".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::store {

struct ProcessInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    bool sysmon = false;
    bool esxiShell = false; // a line of ESXi's shell.log (origin 'esxi-shell')
    std::string guid, image, cmd, parentGuid, parentImage, logonId, hashes;
    int64_t pid = -1, parentPid = -1, account = 0;
};

struct FileCreateInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    std::string path, image, guid, hashes;
    int64_t pid = -1, account = 0;
};

struct ShareInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    int code = 0;
    std::string share, sharePath, rel, accessList, ip, logonId;
    int64_t mask = 0, port = -1, account = 0;
};

struct LogonInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    int64_t endTs = 0; // 0: no end seen
    std::string origin, logonId, ip, workstation;
    int type = 0;
    int64_t account = 0, port = -1;
};

struct NetInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    int initiated = -1;
    std::string srcIp, srcName, dstIp, dstName, image, guid, protocol;
    int64_t srcPort = -1, dstPort = -1;
};

struct ServiceInfo {
    int64_t id = 0, event = 0, host = 0, source = 0, ts = 0;
    std::string origin, name, imagePath;
    int64_t account = 0;
};

// A host entity (hosts) and one of its address bindings (host_addresses).
struct HostEntityRow {
    int64_t id = 0;
    std::string name;
    bool ipOnly = false;
};

struct AddressBindingRow {
    int64_t host = 0, source = 0, firstTs = 0, lastTs = 0, count = 0;
    std::string address, how;
};

// One spelling of an account as stored (accounts).
struct AccountRow {
    int64_t id = 0;
    std::string domain, nameKey, name, sid;
    bool machine = false;
};

// A link from an account spelling to its canonical account (account_links).
struct AccountLinkRow {
    int64_t account = 0, canonical = 0;
    std::string how; // sid | name-only | dns-domain
};

// Zeek: a conn.log flow, a file movement (smb_files, files, http, ftp), a Kerberos / NTLM login.
struct NetFlowRow {
    int64_t event = 0, source = 0, ts = 0, dur = 0, origBytes = 0, respBytes = 0, origPort = 0;
    std::string uid, orig, resp, service;
};

struct NetFileRow {
    int64_t event = 0, source = 0, ts = 0, size = -1;
    std::string log, uid, orig, resp, src, dst, action, name, path, md5, sha1, sha256;
    std::string mime, status; // mime type(s) Zeek saw, ftp reply / http status code
};

struct NetAuthRow {
    int64_t event = 0, ts = 0, account = 0;
    std::string log, orig, resp, service;
};

// An outbound connection a host logged itself (audit connect(), Sysmon 3).
struct OutboundConnectionRow {
    int64_t event = 0, ts = 0;
    std::string dstIp;
};

// What incremental inference (issue 12) reads to bound a run: the hosts of the events added
// since the last committed run with their time span, and the (host, remote address / name) pairs
// of logons, share accesses and SMB / RDP connections in a window.
struct NewEventSpan {
    int64_t host = 0; // 0: events without a host
    int64_t firstTs = 0, lastTs = 0, events = 0;
};
struct PeerLinkRow {
    int64_t host = 0;
    std::string ip, name;
};
// The columns of a transfer that fix its place in the run's order (TransferWriter), and its
// lowest evidence event.
struct TransferOrderRow {
    int64_t id = 0, firstTs = 0, dstHost = 0, srcHost = 0, firstEvent = 0;
    std::string fileName;
};

// One inferred transfer as written (transfers) with its evidence links (transfer_evidence). As
// in Rows.h, the views must stay valid only for the duration of the write.
struct TransferEvidenceRow {
    int64_t event = 0;
    std::string_view role, rule;
};

struct TransferWriteRow {
    int64_t srcHost = 0, dstHost = 0, account = 0, srcProcess = 0, dstProcess = 0;
    std::string_view srcIp, fileName, dstPath, srcPath, method, direction, confidenceLabel, hashes;
    std::string rules; // comma separated
    std::string_view benignTool, benignReason; // a deployment tool's label, empty: none
    int64_t firstTs = 0, lastTs = 0;
    double confidence = 0;
    bool executed = false;
    std::vector<TransferEvidenceRow> evidence;
};

} // namespace tt::store
