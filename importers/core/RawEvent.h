#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace tt {

// Sentinel for "no timestamp known".
inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// One name/value pair of an event. For Windows events the names are the EventData / UserData
// names (e.g. "IpAddress", "TargetFilename"); values are UTF-8 text exactly as rendered.
struct Field {
    std::string name;
    std::string value;
};

// How the record's timestamp was obtained; stored so the analyst can judge it.
enum class TimeSource : uint8_t {
    Unknown = 0,
    SystemTimeUtc = 1, // EVTX FILETIME / <TimeCreated SystemTime=...Z>
    SysmonUtcTime = 2, // Sysmon's own UtcTime field
    LocalPlusOffset = 3, // host-local time corrected by an offset learned from the data
    CollectorTime = 4, // receive time of a collector (@timestamp of NXLog/Logstash): last resort
    ExplicitZone = 5, // an ISO 8601 stamp carrying its own zone
    AssumedUtc = 6, // a stamp without zone, taken as UTC (reported)
};

// A record as a parser hands it to the import engine: format-neutral.
// Parsers reuse one instance (clear() keeps capacity) to avoid allocations in hot loops.
struct RawEvent {
    int64_t timeUs = kNoTime; // UTC microseconds since the Unix epoch
    TimeSource timeSource = TimeSource::Unknown;
    std::string computer; // as written by the event (FQDN or NetBIOS), not normalised
    std::string channel; // e.g. "Security", "Microsoft-Windows-Sysmon/Operational"
    std::string provider; // e.g. "Microsoft-Windows-Security-Auditing"
    int32_t eventId = -1;
    int64_t recordId = -1; // EventRecordID / RecordNumber when present
    int64_t position = 0; // 1-based record ordinal (EVTX, XML) or line number (JSON lines)
    std::vector<Field> system; // System fields other than the above (Level, Task, Keywords,
                               // Execution ProcessID/ThreadID, Security UserID, Correlation...)
    std::vector<Field> fields; // EventData / UserData in document order
    // The original record text when the format has one that is cheaper to keep than to rebuild
    // (a JSON line, an XML <Event> element). Empty: the store renders system+fields as JSON.
    std::string original;
    std::string originalFormat; // "json" or "xml" when original is set
    // Without an original: system+fields rendered as JSON (Normalizer::renderPayload) on the
    // parser's thread by ParsePipeline, so the writer thread (the critical path) only stores it.
    // Empty: the store renders it itself. Set by the pipeline for every event without original.
    std::string rendered;

    void clear()
    {
        timeUs = kNoTime;
        timeSource = TimeSource::Unknown;
        computer.clear();
        channel.clear();
        provider.clear();
        eventId = -1;
        recordId = -1;
        position = 0;
        system.clear();
        fields.clear();
        original.clear();
        originalFormat.clear();
        rendered.clear();
    }

    // First field with that name (case-sensitive), or an empty view.
    std::string_view field(std::string_view name) const
    {
        for (const auto &f : fields)
            if (f.name == name)
                return f.value;
        return {};
    }
    bool hasField(std::string_view name) const
    {
        for (const auto &f : fields)
            if (f.name == name)
                return true;
        return false;
    }
};

} // namespace tt
