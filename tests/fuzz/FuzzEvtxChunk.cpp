#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "core/RawEvent.h"
#include "evtx/EvtxChunk.h"
#include "evtx/EvtxChunkResult.h"
#include "evtx/EvtxEventBuilder.h"

#include <algorithm>
#include <cstring>

// One 64 KiB chunk (header checks, record walk, template cache): the input is the chunk image;
// a shorter input is a chunk cut short (as at the end of a truncated file).
int tt::fuzz::evtx_chunk(const uint8_t *data, size_t size)
{
    EvtxChunk chunk;
    const size_t n = std::min(size, EvtxChunk::kSize);
    std::memset(chunk.buffer(), 0, EvtxChunk::kSize);
    if (n)
        std::memcpy(chunk.buffer(), data, n);
    chunk.load(n, 0);
    if (!chunk.hasSignature() || chunk.isAllZero())
        return 0;
    EvtxEventBuilder builder;
    EvtxChunkResult result;
    chunk.parse(builder, result);
    DrainSink sink;
    for (size_t i = 0; i < result.m_eventCount; ++i)
        sink.event(result.m_events[i]);
    for (const auto &m : result.m_messages)
        sink.warning(m.localPosition, m.text);
    return 0;
}
