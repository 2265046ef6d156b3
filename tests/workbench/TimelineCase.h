#pragma once

#include <QString>

#include <cstdint>

// A small case for the timeline tests, built through the import engine from JSON lines written
// by the test (times from @timestamp, so exactly as written), plus transfers inserted with SQL.
//
// T0 = 2024-03-18 14:00:00 UTC. Events (seconds after T0):
//   WS1: 0, 5, 10, 65, 120     WS2: 1, 61, 62     DC1: 119, 3600
// Transfers:
//   t1 WS1 -> WS2   smb-admin-share        first 5 s, last 6 s, confidence 0.9
//   t2 WS2 -> DC1   psexec-service-binary  first 62 s,          confidence 0.4
//   t3 (unknown) -> WS1 rdp-tsclient       first 100 s,         confidence 0.7
//   t4 WS1 -> DC1   smb-share              first 3600 s,        confidence 0.8
namespace timelinecase {

inline constexpr int64_t kT0 = int64_t(1710770400) * 1000000;
inline constexpr int64_t kSec = 1000000;

struct Ids {
    int64_t ws1 = 0, ws2 = 0, dc1 = 0;
    int64_t t1 = 0, t2 = 0, t3 = 0, t4 = 0;
};

// Builds the case at casePath (inputs written beside it); returns an empty string on success,
// else what went wrong.
QString build(const QString &casePath, Ids *ids);

} // namespace timelinecase
