#pragma once

#include "json/ValueRenderer.h"

#include <string>
#include <string_view>

namespace tt::jsonl {

class FieldList;
struct PendingRecord;

// One NXLog / Logstash JSON line (the Mordor exports): flat keys, EventData at the top level,
// host-local EventTime (resolved by HostClock), Sysmon UtcTime, the collector's @timestamp.
class FlatRecord {
public:
    // read() returns this when the line has a top-level "winlog" object: a WinlogbeatRecord.
    static constexpr std::string_view kIsWinlogbeat = "\x01winlog";

    FlatRecord(ValueRenderer &render, std::string &recordIdWarning)
        : m_render(render)
        , m_recordIdWarning(recordIdWarning)
    {
    }
    // Fills p from obj. Returns an empty string on success, else the reject reason.
    std::string read(od::object &obj, PendingRecord &p, FieldList &sys, FieldList &fields);

private:
    ValueRenderer &m_render;
    std::string &m_recordIdWarning;
};

} // namespace tt::jsonl
