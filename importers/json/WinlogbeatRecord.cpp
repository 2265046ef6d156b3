#include "json/WinlogbeatRecord.h"

#include "core/RawEvent.h"
#include "json/FieldList.h"
#include "json/HostClock.h"

namespace tt::jsonl {

namespace {

// Names of winlog.* keys (Winlogbeat) with an equivalent in the conventions' system names.
std::string_view winlogSysName(std::string_view path)
{
    if (path == "provider_guid")
        return "Provider.Guid";
    if (path == "version")
        return "Version";
    if (path == "opcode")
        return "RenderingInfo.Opcode";
    if (path == "task")
        return "RenderingInfo.Task";
    if (path == "activity_id")
        return "Correlation.ActivityID";
    if (path == "related_activity_id")
        return "Correlation.RelatedActivityID";
    if (path == "process.pid")
        return "Execution.ProcessID";
    if (path == "process.thread.id")
        return "Execution.ThreadID";
    if (path == "user.identifier")
        return "Security.UserID";
    return {};
}

} // namespace

// Flattens a Winlogbeat object value below prefix into dst (objects -> dotted paths).
sj::error_code WinlogbeatRecord::flatten(od::value v, std::string &path, FieldList &dst, bool skipXmlName, int depth)
{
    if (depth > 64)
        return sj::DEPTH_ERROR;
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::object) {
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        const size_t base = path.size();
        return forEachField(o, [&](std::string_view k, od::value fv) {
            if (skipXmlName && depth == 0 && k == "xml_name") {
                std::string_view ignored;
                od::json_type tt;
                if (auto e = fv.type().get(tt))
                    return e;
                return m_render.scalarText(fv, tt, ignored);
            }
            if (base)
                path.push_back('.');
            path.append(k);
            if (auto e = flatten(fv, path, dst, skipXmlName, depth + 1))
                return e;
            path.resize(base);
            return sj::SUCCESS;
        });
    }
    std::string_view val;
    if (auto e = m_render.scalarText(v, t, val))
        return e;
    dst.add(path, val);
    return sj::SUCCESS;
}

template<typename Fn>
sj::error_code WinlogbeatRecord::flattenBelow(
    od::value v, std::string_view key, std::string &path, FieldList &sys, Fn &&each)
{
    path.assign(key);
    const size_t before = sys.size();
    if (auto e = flatten(v, path, sys, false, 1))
        return e;
    for (size_t i = before; i < sys.size(); ++i)
        each(sys.at(i));
    return sj::SUCCESS;
}

std::string WinlogbeatRecord::read(od::object &obj, PendingRecord &p, FieldList &sys, FieldList &fields)
{
    RawEvent &ev = p.ev;
    std::string hostName, eventCode;
    std::string path;
    if (auto r = forEachField(obj,
            [&](std::string_view key, od::value v) -> std::string {
                od::json_type t;
                if (auto e = v.type().get(t))
                    return errText(e);
                if (key == "winlog" && t == od::json_type::object)
                    return readWinlogObject(v, p, sys, fields);
                if (t == od::json_type::object) {
                    // ECS envelope objects: flatten to dotted names, pick host.name / event.code.
                    const auto e = flattenBelow(v, key, path, sys, [&](Field &fl) {
                        if (fl.name == "host.name")
                            hostName = fl.value;
                        else if (fl.name == "event.code")
                            eventCode = fl.value;
                        else if (fl.name == "log.level")
                            fl.name = "RenderingInfo.Level";
                    });
                    return e ? errText(e) : std::string();
                }
                std::string_view val;
                if (auto e = m_render.scalarText(v, t, val))
                    return errText(e);
                if (key == "message") {
                    sys.add("RenderingInfo.Message", val);
                } else if (key == "@timestamp") {
                    sys.add(key, val);
                    if (t == od::json_type::string)
                        parseStamp(val, p.collector);
                } else if (key == "host.name") { // already-flattened ECS exports
                    hostName.assign(val);
                    sys.add(key, val);
                } else if (key == "event.code") {
                    eventCode.assign(val);
                    sys.add(key, val);
                } else {
                    sys.add(key, val);
                }
                return {};
            });
        !r.empty())
        return r;
    if (ev.computer.empty())
        ev.computer = hostName;
    if (ev.eventId < 0 && !eventCode.empty()) {
        readEventId(od::json_type::string, eventCode, ev.eventId);
    }
    // Winlogbeat's @timestamp is the event's own TimeCreated, in UTC.
    if (p.collector.us != kNoTime) {
        ev.timeUs = p.collector.us;
        if (p.collector.zone) {
            ev.timeSource = TimeSource::SystemTimeUtc;
        } else {
            ev.timeSource = TimeSource::AssumedUtc;
            m_clock.warnAssumedUtc(ev.position);
        }
    }
    p.collector = {};
    p.resolved = true;
    return {};
}

std::string WinlogbeatRecord::readWinlogObject(od::value &wv, PendingRecord &p, FieldList &sys, FieldList &fields)
{
    RawEvent &ev = p.ev;
    od::object w;
    if (auto e = wv.get_object().get(w))
        return errText(e);
    std::string path;
    if (auto r = forEachField(w,
            [&](std::string_view key, od::value v) -> std::string {
                od::json_type t;
                if (auto e = v.type().get(t))
                    return errText(e);
                if ((key == "event_data" || key == "user_data") && t == od::json_type::object) {
                    path.clear();
                    if (auto e = flatten(v, path, fields, key == "user_data", 0))
                        return errText(e);
                    return {};
                }
                if (key == "keywords" && t == od::json_type::array) {
                    od::array a;
                    if (auto e = v.get_array().get(a))
                        return errText(e);
                    m_keywords.clear();
                    for (auto er : a) {
                        od::value ev2;
                        // NOLINTNEXTLINE(performance-move-const-arg): get() is &&-qualified
                        if (auto e = std::move(er).get(ev2))
                            return errText(e);
                        od::json_type et;
                        if (auto e = ev2.type().get(et))
                            return errText(e);
                        std::string_view s;
                        if (auto e = m_render.scalarText(ev2, et, s))
                            return errText(e);
                        if (!m_keywords.empty())
                            m_keywords += "; ";
                        m_keywords.append(s);
                    }
                    sys.add("RenderingInfo.Keywords", m_keywords);
                    return {};
                }
                if (t == od::json_type::object) {
                    const auto e = flattenBelow(v, key, path, sys, [](Field &fl) {
                        std::string_view canon = winlogSysName(fl.name);
                        if (!canon.empty())
                            fl.name.assign(canon);
                        else
                            fl.name.insert(0, "winlog.");
                    });
                    return e ? errText(e) : std::string();
                }
                std::string_view val;
                if (auto e = m_render.scalarText(v, t, val))
                    return errText(e);
                if (key == "computer_name") {
                    ev.computer.assign(val);
                } else if (key == "channel") {
                    ev.channel.assign(val);
                } else if (key == "provider_name") {
                    ev.provider.assign(val);
                } else if (key == "event_id") {
                    readEventId(t, val, ev.eventId);
                } else if (key == "record_id") {
                    readRecordNumber(t, "winlog.record_id", val, ev, m_recordIdWarning);
                } else {
                    std::string_view canon = winlogSysName(key);
                    if (!canon.empty()) {
                        sys.add(canon, val);
                    } else {
                        Field &fl = sys.next();
                        fl.name.assign("winlog.");
                        fl.name.append(key);
                        fl.value.assign(val);
                    }
                }
                return {};
            });
        !r.empty())
        return r;
    return {};
}

} // namespace tt::jsonl
