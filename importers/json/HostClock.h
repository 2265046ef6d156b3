#pragma once

#include "core/RawEvent.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt {
class RecordSink;
} // namespace tt

namespace tt::jsonl {

struct TimeStamp {
    int64_t us = kNoTime;
    bool zone = false; // carries a zone of its own
    bool zulu = false; // ... and that zone is a bare 'Z' (which some exports put on local time)
};

// A parsed line waiting (at most JsonLinesParser::kMaxPendingEvents) for its host's clock.
struct PendingRecord {
    RawEvent ev;
    int host = -1;
    TimeStamp local; // EventTime / TimeCreated (host-local unless explicitly zoned)
    TimeStamp utc; // Sysmon UtcTime
    TimeStamp collector; // @timestamp (NXLog/Logstash)
    bool resolved = false;
    bool waits = false;
};

bool parseStamp(std::string_view s, TimeStamp &out);

// NXLog writes EventTime in the host's local time without a zone. The per-host offset to UTC is
// learned from the same record's Sysmon UtcTime (exact) or, until one is seen, from the collector's
// @timestamp (receive time, rounded to a quarter hour), and applied to the host's records;
// records read before their host's Sysmon-learned offset wait in the parser's look-ahead.
class HostClock {
public:
    void reset(RecordSink &sink);
    // Index of a host name (the records' Computer), added when new.
    int hostOf(const std::string &name);
    // Learns the offset of p's host from p's stamps.
    void learn(PendingRecord &p);
    // p waits for a Sysmon-learned offset of its host (marks it and counts it).
    void wait(PendingRecord &p);
    bool anyWaiting() const { return m_waiting != 0; }
    // The look-ahead was delivered: nothing waits any more.
    void clearWaiting();
    // Sets p's UTC time and time source from its stamps and its host's offset.
    void resolve(PendingRecord &p);
    // Said once per file.
    void warnAssumedUtc(int64_t position);

private:
    struct HostState {
        int64_t offset = 0;
        uint8_t learned = 0; // 0 none, 1 from @timestamp, 2 from Sysmon UtcTime
        size_t waiting = 0; // pending records of this host that wait for a Sysmon-learned offset
    };

    RecordSink *m_sink = nullptr;
    std::unordered_map<std::string, int> m_hostIndex;
    std::vector<HostState> m_hosts;
    std::string m_lastHost;
    int m_lastHostIdx = -1;
    size_t m_waiting = 0;
    bool m_warnedAssumedUtc = false;
};

} // namespace tt::jsonl
