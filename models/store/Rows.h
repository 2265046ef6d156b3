#pragma once

// Plain rows the import side hands to CaseWriter. Views into strings stay valid only for the
// duration of the call. 0 ids / kNoValue mean "unknown" and are stored as NULL.

#include <cstdint>
#include <limits>
#include <string_view>

namespace tt::store {

inline constexpr int64_t kNoValue = std::numeric_limits<int64_t>::min();

struct EventRow {
    int64_t ts = kNoValue;
    int tsSource = 0;
    int64_t hostId = 0;
    std::string_view channel;
    std::string_view provider;
    int eventId = -1;
    int64_t recordId = kNoValue;
    int64_t accountId = 0;
    int64_t position = 0;
    int payloadFormat = 1; // 1 rendered JSON, 2 original JSON line, 3 original XML
    std::string_view payload;
};

struct LogonRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    std::string_view outcome = "success", origin;
    std::string_view logonId;
    int64_t logonType = kNoValue;
    int64_t accountId = 0;
    std::string_view sourceIp;
    int64_t sourcePort = kNoValue;
    std::string_view workstation, authPackage, logonProcess;
    int64_t elevated = kNoValue;
    std::string_view sessionId;
};

struct ExplicitLogonRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    int64_t subjectAccountId = 0;
    std::string_view subjectLogonId;
    int64_t targetAccountId = 0;
    std::string_view targetServer, targetInfo, ip;
    int64_t port = kNoValue;
    std::string_view processImage;
    int64_t pid = kNoValue;
};

struct ProcessRow {
    int64_t event = 0, hostId = 0;
    std::string_view origin;
    std::string_view guid;
    int64_t pid = kNoValue;
    std::string_view image, commandLine, currentDirectory;
    std::string_view parentGuid;
    int64_t parentPid = kNoValue;
    std::string_view parentImage;
    int64_t accountId = 0;
    std::string_view logonId, hashes; // hashes: stored once per distinct value (process_hashes)
    int64_t startTs = kNoValue;
};

struct FileEventRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    std::string_view kind, path, image, processGuid;
    int64_t pid = kNoValue;
    int64_t accountId = 0;
    int64_t accessMask = kNoValue;
    std::string_view hashes;
};

struct NetConnRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    std::string_view protocol;
    int64_t initiated = kNoValue;
    std::string_view srcIp;
    int64_t srcPort = kNoValue;
    std::string_view srcName, dstIp;
    int64_t dstPort = kNoValue;
    std::string_view dstName, image, processGuid;
    int64_t pid = kNoValue;
    int64_t accountId = 0;
};

struct ShareAccessRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    int code = 0;
    std::string_view shareName, sharePath, relativeTarget;
    int64_t accessMask = kNoValue;
    std::string_view accessList, srcIp;
    int64_t srcPort = kNoValue;
    int64_t accountId = 0;
    std::string_view logonId;
};

struct ServiceInstallRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    std::string_view origin, serviceName, imagePath, serviceType, startType, serviceAccount;
    int64_t accountId = 0;
};

struct DnsQueryRow {
    int64_t event = 0, hostId = 0, ts = kNoValue;
    std::string_view query, results, status, image, processGuid;
};

struct SourceRow {
    std::string_view path;
    int64_t size = kNoValue, mtime = kNoValue;
    std::string_view format, parser, parserVersion;
};

struct SourceCounts {
    int64_t read = 0, stored = 0, rejected = 0, warnings = 0;
    int64_t firstTs = kNoValue, lastTs = kNoValue;
    int64_t durationMs = 0;
};

} // namespace tt::store
