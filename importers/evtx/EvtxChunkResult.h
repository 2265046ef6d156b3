#pragma once

#include "core/RawEvent.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tt {

// What parsing one chunk produced, kept until the calling thread delivers it to the sink in file
// order. Positions are chunk-local (1-based); the parser adds the records of earlier chunks.
class EvtxChunkResult {
public:
    enum class Kind : uint8_t { Reject, Warning };
    struct Message {
        Kind kind;
        size_t eventsBefore; // delivered after this many events of the chunk
        int64_t localPosition; // 0: not tied to a record
        std::string text;
    };

    void clear()
    {
        m_eventCount = 0;
        m_records = 0;
        m_messages.clear();
    }
    RawEvent &nextEvent()
    {
        if (m_eventCount == m_events.size())
            m_events.emplace_back();
        return m_events[m_eventCount];
    }
    void commitEvent() { ++m_eventCount; }
    void reject(int64_t localPosition, std::string text)
    {
        m_messages.push_back({Kind::Reject, m_eventCount, localPosition, std::move(text)});
    }
    void warning(int64_t localPosition, std::string text)
    {
        m_messages.push_back({Kind::Warning, m_eventCount, localPosition, std::move(text)});
    }

    std::vector<RawEvent> m_events; // first m_eventCount are valid
    size_t m_eventCount = 0;
    int64_t m_records = 0; // record positions used by this chunk (events + rejects)
    std::vector<Message> m_messages;
};

} // namespace tt
