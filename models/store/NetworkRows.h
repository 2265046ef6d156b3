#pragma once

// Rows of the network tables of schema v3 (net_flows, net_files, net_auth, net_activity), what a
// sensor saw on the wire (importers/zeek). As in store/Rows.h: views into strings stay valid only
// for the duration of the call; empty strings, kNoValue and 0 ids are stored as NULL.

#include "store/Rows.h"

#include <cstdint>
#include <string_view>

namespace tt::store {

// The connection tuple every network row carries.
struct NetEndpoints {
    std::string_view origIp;
    int64_t origPort = kNoValue;
    std::string_view respIp;
    int64_t respPort = kNoValue;
};

struct NetFlowRow {
    int64_t event = 0, ts = kNoValue;
    std::string_view uid, proto, service;
    NetEndpoints ends;
    int64_t durationUs = kNoValue, origBytes = kNoValue, respBytes = kNoValue, missedBytes = kNoValue;
    std::string_view connState, history;
};

struct NetFileRow {
    int64_t event = 0, ts = kNoValue;
    std::string_view log, uid, fuid;
    NetEndpoints ends;
    std::string_view srcIp, dstIp, action, name, path;
    int64_t size = kNoValue;
    std::string_view mime, md5, sha1, sha256, status;
};

struct NetAuthRow {
    int64_t event = 0, ts = kNoValue;
    std::string_view log, uid;
    NetEndpoints ends;
    std::string_view requestType, client, service, workstation;
    int64_t success = kNoValue; // 1, 0, kNoValue when not said
    int64_t accountId = 0;
};

struct NetActivityRow {
    int64_t event = 0, ts = kNoValue;
    std::string_view log, uid;
    NetEndpoints ends;
    std::string_view name, detail;
};

} // namespace tt::store
