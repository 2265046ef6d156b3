#include "json/FlatRecord.h"

#include "core/Integer.h"
#include "json/FieldList.h"
#include "json/HostClock.h"

namespace tt::jsonl {

namespace {

// Key classification for the NXLog / Logstash flat shape.

enum class Kind : uint8_t {
    Data, // event data -> fields
    Computer, // Hostname
    EventId, // EventID
    Channel, // Channel
    Provider, // SourceName
    Record, // RecordNumber
    Sys, // system field, under sysName
    Keywords, // system "Keywords"; integers rendered as 0x hex
    EventTime, // system + host-local time
    TimeCreated, // system + local-or-zoned time (exports without EventTime)
    Timestamp, // system + collector time
    UserLookup, // Domain / AccountName / AccountType: envelope when UserID is present
};

struct KeyInfo {
    Kind kind = Kind::Data;
    std::string_view sysName;
};

KeyInfo classifyFlat(std::string_view k)
{
    using K = Kind;
    switch (k.size()) {
    case 4:
        if (k == "Task")
            return {K::Sys, "Task"};
        if (k == "host")
            return {K::Sys, "host"};
        if (k == "port")
            return {K::Sys, "port"};
        if (k == "tags")
            return {K::Sys, "tags"};
        if (k == "type")
            return {K::Sys, "type"};
        break;
    case 5:
        if (k == "Level")
            return {K::Sys, "Level"};
        break;
    case 6:
        if (k == "Domain")
            return {K::UserLookup, "Domain"};
        if (k == "UserID")
            return {K::Sys, "Security.UserID"};
        if (k == "Opcode")
            return {K::Sys, "RenderingInfo.Opcode"};
        break;
    case 7:
        if (k == "EventID")
            return {K::EventId, {}};
        if (k == "Channel")
            return {K::Channel, {}};
        if (k == "Version")
            return {K::Sys, "Version"};
        if (k == "Message")
            return {K::Sys, "RenderingInfo.Message"};
        break;
    case 8:
        if (k == "Hostname")
            return {K::Computer, {}};
        if (k == "Keywords")
            return {K::Keywords, "Keywords"};
        if (k == "ThreadID")
            return {K::Sys, "Execution.ThreadID"};
        if (k == "Severity")
            return {K::Sys, "Severity"};
        if (k == "Category")
            return {K::Sys, "RenderingInfo.Task"};
        if (k == "@version")
            return {K::Sys, "@version"};
        break;
    case 9:
        if (k == "EventTime")
            return {K::EventTime, "EventTime"};
        if (k == "EventType")
            return {K::Sys, "EventType"};
        break;
    case 10:
        if (k == "SourceName")
            return {K::Provider, {}};
        if (k == "ActivityID")
            return {K::Sys, "Correlation.ActivityID"};
        if (k == "@timestamp")
            return {K::Timestamp, "@timestamp"};
        break;
    case 11:
        if (k == "OpcodeValue")
            return {K::Sys, "Opcode"};
        if (k == "AccountName")
            return {K::UserLookup, "AccountName"};
        if (k == "AccountType")
            return {K::UserLookup, "AccountType"};
        if (k == "TimeCreated")
            return {K::TimeCreated, "TimeCreated"};
        break;
    case 12:
        if (k == "RecordNumber")
            return {K::Record, {}};
        if (k == "ProviderGuid")
            return {K::Sys, "Provider.Guid"};
        break;
    case 13:
        if (k == "SeverityValue")
            return {K::Sys, "SeverityValue"};
        break;
    case 16:
        if (k == "SourceModuleName")
            return {K::Sys, "SourceModuleName"};
        if (k == "SourceModuleType")
            return {K::Sys, "SourceModuleType"};
        if (k == "EventTypeOrignal")
            return {K::Sys, "EventTypeOrignal"}; // sic, as NXLog/Mordor spell it
        break;
    case 17:
        if (k == "EventReceivedTime")
            return {K::Sys, "EventReceivedTime"};
        if (k == "RelatedActivityID")
            return {K::Sys, "Correlation.RelatedActivityID"};
        if (k == "EventTypeOriginal")
            return {K::Sys, "EventTypeOriginal"};
        break;
    case 18:
        if (k == "ExecutionProcessID")
            return {K::Sys, "Execution.ProcessID"};
        break;
    default:
        break;
    }
    return {};
}

} // namespace

std::string FlatRecord::read(od::object &obj, PendingRecord &p, FieldList &sys, FieldList &fields)
{
    RawEvent &ev = p.ev;
    bool haveUserId = false;
    size_t lookupIdx[3];
    size_t nLookup = 0;
    TimeStamp utcStamp;
    if (auto r = forEachField(obj,
            [&](std::string_view key, od::value v) -> std::string {
                od::json_type t;
                if (auto e = v.type().get(t))
                    return errText(e);
                if (t == od::json_type::object && key == "winlog")
                    return std::string(kIsWinlogbeat);
                const KeyInfo ki = classifyFlat(key);
                std::string_view val;
                if (ki.kind == Kind::Keywords && t == od::json_type::number) {
                    std::string_view tok = trimRight(v.raw_json_token());
                    if (!isJsonNumber(tok))
                        return errText(sj::NUMBER_ERROR);
                    uint64_t k;
                    if (integer::parseBits64(tok, k)) {
                        char buf[20];
                        char *e = buf + sizeof buf, *b = e;
                        do {
                            *--b = "0123456789abcdef"[k & 15];
                            k >>= 4;
                        } while (k);
                        *--b = 'x';
                        *--b = '0';
                        sys.add(ki.sysName, std::string_view(b, size_t(e - b)));
                    } else {
                        sys.add(ki.sysName, tok);
                    }
                    return {};
                }
                if (auto e = m_render.scalarText(v, t, val))
                    return errText(e);
                switch (ki.kind) {
                case Kind::Data:
                    fields.add(key, val);
                    if (key == "UtcTime" && t == od::json_type::string)
                        parseStamp(val, utcStamp);
                    break;
                case Kind::Computer:
                    ev.computer.assign(val);
                    break;
                case Kind::Channel:
                    ev.channel.assign(val);
                    break;
                case Kind::Provider:
                    ev.provider.assign(val);
                    break;
                case Kind::EventId:
                    readEventId(t, val, ev.eventId);
                    break;
                case Kind::Record:
                    readRecordNumber(t, key, val, ev, m_recordIdWarning);
                    break;
                case Kind::Sys:
                case Kind::Keywords:
                    sys.add(ki.sysName, val);
                    if (key == "UserID")
                        haveUserId = true;
                    break;
                case Kind::EventTime:
                    sys.add(ki.sysName, val);
                    if (t == od::json_type::string)
                        parseStamp(val, p.local);
                    break;
                case Kind::TimeCreated:
                    sys.add(ki.sysName, val);
                    if (t == od::json_type::string && p.local.us == kNoTime)
                        parseStamp(val, p.local);
                    break;
                case Kind::Timestamp:
                    sys.add(ki.sysName, val);
                    if (t == od::json_type::string)
                        parseStamp(val, p.collector);
                    break;
                case Kind::UserLookup:
                    if (nLookup < 3)
                        lookupIdx[nLookup++] = fields.size();
                    fields.add(key, val);
                    break;
                }
                return {};
            });
        !r.empty())
        return r;
    // (EventTime wins over TimeCreated whatever the key order: its parseStamp overwrites.)
    if (haveUserId) {
        // NXLog resolves UserID to Domain / AccountName / AccountType: envelope, not data.
        fields.moveTo(lookupIdx, nLookup, sys);
    }
    const bool sysmon
        = ev.channel == "Microsoft-Windows-Sysmon/Operational" || ev.provider == "Microsoft-Windows-Sysmon";
    if (sysmon)
        p.utc = utcStamp;
    if (p.local.us != kNoTime && p.local.zone && !p.local.zulu) {
        // A numeric zone is taken at its word: no learning needed.
        ev.timeUs = p.local.us;
        ev.timeSource = TimeSource::ExplicitZone;
        p.resolved = true;
    }
    return {};
}

} // namespace tt::jsonl
