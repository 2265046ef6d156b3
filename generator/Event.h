#pragma once

// One generated Windows event before rendering: the channel and id, the true UTC time of the
// occurrence (the writer applies the host's clock skew, zone and collector lag), and the event
// data fields in manifest order. Values live in one string so that an event costs two
// allocations at most.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::gen {

// BitsClient (Microsoft-Windows-Bits-Client/Operational) is last so that the other channels keep
// their numbers (RecordWriter indexes its per-channel counters by them).
enum class Channel : uint8_t { Security, System, Sysmon, LinuxAudit, LinuxSshd, LinuxSyslog, Zeek, BitsClient };

// One Linux log record (audit event or auth.log line) before rendering. Audit text holds the
// event's records one a line without node= and with \x01 where the audit stamp goes; auth text
// is "tag[pid]: message". Times are true UTC (the writer applies the host's skew).
struct LinuxRecord {
    int64_t us = 0;
    uint64_t seq = 0;
    Channel channel = Channel::LinuxAudit; // LinuxAudit -> audit.log, else auth.log
    uint16_t eventId = 0; // audit type of the event / sshd message id (project ids)
    int16_t transfer = -1;
    std::string text;
    bool operator<(const LinuxRecord &o) const { return us != o.us ? us < o.us : seq < o.seq; }
};

// Look-alikes that must not become transfers (counted and sampled into ground_truth fp_traps).
enum class Trap : int8_t { None = -1, IpcPipeWrite, EtlFlush, Loopback, SysvolRead, TaskXml, Count };

struct Event {
    struct Field {
        std::string_view key; // always a string literal
        uint32_t off;
        uint32_t len;
    };

    int64_t us = 0; // true UTC, microseconds
    uint64_t seq = 0; // tie-breaker: keeps ordering total and deterministic
    Channel channel = Channel::Security;
    uint16_t eventId = 0;
    Trap trap = Trap::None;
    int16_t transfer = -1; // index into the scenario's transfer list, -1 when not evidence
    std::string data;
    std::vector<Field> fields;
    std::string userSid; // System channel: the Security UserID of the event (7045: the installer)
    std::string userName; // ... and its account name / domain as NXLog renders them
    std::string userDomain;

    Event() = default;
    Event(int64_t t, Channel ch, uint16_t id)
        : us(t)
        , channel(ch)
        , eventId(id)
    {
        data.reserve(512);
        fields.reserve(24);
    }

    Event &add(std::string_view key, std::string_view value)
    {
        fields.push_back({key, static_cast<uint32_t>(data.size()), static_cast<uint32_t>(value.size())});
        data.append(value);
        return *this;
    }
    Event &addInt(std::string_view key, uint64_t v)
    {
        char buf[24];
        int n = 0;
        do {
            buf[23 - n++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v);
        return add(key, std::string_view(buf + 24 - n, static_cast<size_t>(n)));
    }
    Event &addHex(std::string_view key, uint64_t v)
    {
        static const char digits[] = "0123456789abcdef";
        char buf[20];
        int n = 0;
        do {
            buf[19 - n++] = digits[v & 15];
            v >>= 4;
        } while (v);
        buf[19 - n++] = 'x';
        buf[19 - n++] = '0';
        return add(key, std::string_view(buf + 20 - n, static_cast<size_t>(n)));
    }
    std::string_view value(const Field &f) const { return std::string_view(data).substr(f.off, f.len); }
    std::string_view get(std::string_view key) const
    {
        for (const Field &f : fields)
            if (f.key == key)
                return value(f);
        return {};
    }

    // Min-heap ordering for std::priority_queue (which is a max-heap).
    bool operator<(const Event &o) const { return us != o.us ? us > o.us : seq > o.seq; }
};

} // namespace tt::gen
