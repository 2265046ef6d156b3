#pragma once

#include "json/ValueRenderer.h"

#include <string>

namespace tt::jsonl {

class FieldList;
class HostClock;
struct PendingRecord;

// One Winlogbeat / ECS JSON line: the event under "winlog" (event_data / user_data flattened to
// the EventData names, the rest to System names), ECS envelope objects flattened to dotted names,
// @timestamp as the event's own UTC time.
class WinlogbeatRecord {
public:
    WinlogbeatRecord(ValueRenderer &render, HostClock &clock, std::string &recordIdWarning)
        : m_render(render)
        , m_clock(clock)
        , m_recordIdWarning(recordIdWarning)
    {
    }
    // Fills p from obj. Returns an empty string on success, else the reject reason.
    std::string read(od::object &obj, PendingRecord &p, FieldList &sys, FieldList &fields);

private:
    std::string readWinlogObject(od::value &wv, PendingRecord &p, FieldList &sys, FieldList &fields);
    // Flattens an object value below path into dst (objects -> dotted paths).
    sj::error_code flatten(od::value v, std::string &path, FieldList &dst, bool skipXmlName, int depth);
    // Flattens the object value v below key into sys (dotted names; path is scratch), then calls
    // each(field) on every field it added.
    template<typename Fn>
    sj::error_code flattenBelow(od::value v, std::string_view key, std::string &path, FieldList &sys, Fn &&each);

    ValueRenderer &m_render;
    HostClock &m_clock;
    std::string &m_recordIdWarning;
    std::string m_keywords;
};

} // namespace tt::jsonl
