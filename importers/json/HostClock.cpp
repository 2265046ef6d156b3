#include "json/HostClock.h"

#include "core/RecordSink.h"
#include "core/TimeUtil.h"
#include "json/ValueRenderer.h"

namespace tt::jsonl {

namespace {
constexpr int64_t kTwoMinutesUs = 120LL * 1000000;
} // namespace

bool parseStamp(std::string_view s, TimeStamp &out)
{
    auto p = timeutil::parseIso8601(s);
    if (!p)
        return false;
    out.us = p->us;
    out.zone = p->hasZone;
    std::string_view t = trimRight(s);
    out.zulu = p->hasZone && !t.empty() && (t.back() == 'Z' || t.back() == 'z');
    return true;
}

void HostClock::reset(RecordSink &sink)
{
    m_sink = &sink;
    m_hostIndex.clear();
    m_hosts.clear();
    m_lastHost.clear();
    m_lastHostIdx = -1;
    m_waiting = 0;
    m_warnedAssumedUtc = false;
}

int HostClock::hostOf(const std::string &name)
{
    if (m_lastHostIdx >= 0 && name == m_lastHost)
        return m_lastHostIdx;
    auto it = m_hostIndex.find(name);
    int idx;
    if (it == m_hostIndex.end()) {
        idx = int(m_hosts.size());
        m_hosts.emplace_back();
        m_hostIndex.emplace(name, idx);
    } else {
        idx = it->second;
    }
    m_lastHost = name;
    m_lastHostIdx = idx;
    return idx;
}

void HostClock::learn(PendingRecord &p)
{
    if (p.host < 0 || p.local.us == kNoTime || p.resolved)
        return;
    HostState &h = m_hosts[size_t(p.host)];
    if (h.learned < 2 && p.utc.us != kNoTime && p.ev.eventId != 3) {
        // Sysmon 3's UtcTime can be hours before the record was written: not a reference.
        h.offset = timeutil::roundToQuarterHour(p.utc.us - p.local.us);
        h.learned = 2;
        m_waiting -= h.waiting;
        h.waiting = 0;
    } else if (h.learned == 0 && p.collector.us != kNoTime) {
        h.offset = timeutil::roundToQuarterHour(p.collector.us - p.local.us);
        h.learned = 1;
    }
}

void HostClock::wait(PendingRecord &p)
{
    if (!p.resolved && p.local.us != kNoTime && m_hosts[size_t(p.host)].learned < 2) {
        p.waits = true;
        ++m_hosts[size_t(p.host)].waiting;
        ++m_waiting;
    }
}

void HostClock::clearWaiting()
{
    m_waiting = 0;
    for (auto &h : m_hosts)
        h.waiting = 0;
}

void HostClock::resolve(PendingRecord &p)
{
    RawEvent &ev = p.ev;
    if (p.resolved)
        return;
    if (p.local.us != kNoTime) {
        const HostState *h = p.host >= 0 ? &m_hosts[size_t(p.host)] : nullptr;
        if (h && h->learned) {
            const int64_t t = p.local.us + h->offset;
            if (p.utc.us != kNoTime && (p.utc.us - t <= kTwoMinutesUs && t - p.utc.us <= kTwoMinutesUs)) {
                ev.timeUs = p.utc.us;
                ev.timeSource = TimeSource::SysmonUtcTime;
            } else {
                ev.timeUs = t;
                ev.timeSource
                    = (p.local.zone && h->offset == 0) ? TimeSource::ExplicitZone : TimeSource::LocalPlusOffset;
            }
        } else if (p.local.zone) {
            ev.timeUs = p.local.us;
            ev.timeSource = TimeSource::ExplicitZone;
        } else {
            ev.timeUs = p.local.us;
            ev.timeSource = TimeSource::AssumedUtc;
            warnAssumedUtc(ev.position);
        }
    } else if (p.collector.us != kNoTime) {
        ev.timeUs = p.collector.us;
        ev.timeSource = TimeSource::CollectorTime;
    } else if (p.utc.us != kNoTime) {
        ev.timeUs = p.utc.us;
        ev.timeSource = TimeSource::SysmonUtcTime;
    }
}

void HostClock::warnAssumedUtc(int64_t position)
{
    if (m_warnedAssumedUtc)
        return;
    m_warnedAssumedUtc = true;
    m_sink->warning(position, "time stamp without zone and no offset could be learned: taken as UTC");
}

} // namespace tt::jsonl
