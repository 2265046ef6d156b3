#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "core/RawEvent.h"
#include "evtx/BinXmlReader.h"
#include "evtx/BinXmlTemplate.h"
#include "evtx/EvtxChunk.h"
#include "evtx/EvtxEventBuilder.h"

#include <algorithm>
#include <cstring>

// BinXML of one record without the chunk's checks: the input is placed where a chunk's first
// record starts (offset 512, so the chunk-relative offsets of a real record's inline templates
// and names stay valid) and its 24-byte record header is skipped. The token stream is compiled
// on its own and then walked into an event as the chunk parser does.
int tt::fuzz::binxml(const uint8_t *data, size_t size)
{
    constexpr size_t kBegin = EvtxChunk::kHeaderSize;
    constexpr size_t kRecordHeader = 24;
    if (size <= kRecordHeader)
        return 0;
    EvtxChunk chunk;
    const size_t n = std::min(size, EvtxChunk::kSize - kBegin);
    std::memset(chunk.buffer(), 0, EvtxChunk::kSize);
    std::memcpy(chunk.buffer() + kBegin, data, n);
    chunk.load(EvtxChunk::kSize, 0);
    const auto begin = static_cast<uint32_t>(kBegin + kRecordHeader);
    const auto end = static_cast<uint32_t>(kBegin + n);

    BinXmlTemplate compiled;
    const char *error = nullptr;
    BinXmlReader(chunk.data(), chunk.size()).compile(begin, end, compiled, error);

    EvtxEventBuilder builder;
    RawEvent ev;
    if (builder.build(chunk, begin, end, ev, error)) {
        DrainSink sink;
        sink.event(ev);
    }
    return 0;
}
