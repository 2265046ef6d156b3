#include "evtx/EvtxParser.h"

#include "core/ByteSource.h"
#include "core/RecordSink.h"
#include "evtx/EvtxChunk.h"
#include "evtx/EvtxChunkResult.h"
#include "evtx/EvtxChunkWorker.h"
#include "evtx/EvtxEventBuilder.h"

#include <zlib.h>

#include <cstring>
#include <exception>
#include <memory>
#include <string>

namespace tt {

namespace {

constexpr char kFileMagic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};

struct Slot {
    EvtxChunk chunk;
    EvtxChunkResult result;
    size_t bytes = 0;
    uint64_t index = 0;
};

uint32_t le32(const char *p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

void parseSlot(Slot &slot, EvtxEventBuilder &builder)
{
    try {
        slot.chunk.load(slot.bytes, slot.index);
        if (slot.bytes < EvtxChunk::kHeaderSize) {
            slot.result.clear();
            slot.result.reject(0, "chunk " + std::to_string(slot.index) + ": file ends inside the chunk header");
            return;
        }
        if (!slot.chunk.hasSignature()) {
            slot.result.clear();
            if (!slot.chunk.isAllZero())
                slot.result.warning(0, "chunk " + std::to_string(slot.index) + ": bad chunk signature, skipped");
            return;
        }
        slot.chunk.parse(builder, slot.result);
    } catch (const std::exception &e) {
        slot.result.reject(0, "chunk " + std::to_string(slot.index) + ": " + e.what());
    }
}

// Delivers a parsed chunk to the sink, in order. Returns the records (positions) it used.
void deliver(Slot &slot, RecordSink &sink, int64_t &base, uint64_t &consumed)
{
    EvtxChunkResult &r = slot.result;
    size_t m = 0;
    auto message = [&](const EvtxChunkResult::Message &msg) {
        const int64_t pos = msg.localPosition ? base + msg.localPosition : 0;
        if (msg.kind == EvtxChunkResult::Kind::Reject)
            sink.reject(pos, msg.text);
        else
            sink.warning(pos, msg.text);
    };
    for (size_t i = 0; i < r.m_eventCount; ++i) {
        while (m < r.m_messages.size() && r.m_messages[m].eventsBefore <= i)
            message(r.m_messages[m++]);
        RawEvent &ev = r.m_events[i];
        ev.position += base;
        sink.event(ev);
    }
    while (m < r.m_messages.size())
        message(r.m_messages[m++]);
    base += r.m_records;
    consumed += slot.bytes;
    sink.progress(consumed);
}

} // namespace

bool EvtxParser::parse(ByteSource &in, RecordSink &sink)
{
    std::string header(kFileHeaderSize, '\0');
    const long long got = in.readFully(header.data(), header.size());
    if (got < 0) {
        sink.reject(0, "read error: " + in.error());
        return false;
    }
    if (got == 0) {
        sink.reject(0, "empty file");
        return false;
    }
    if (static_cast<size_t>(got) < kFileHeaderSize) {
        sink.reject(0,
            std::memcmp(header.data(), kFileMagic, 8) == 0 && got >= 8 ? "file truncated inside the EVTX file header"
                                                                       : "not an EVTX file (too short)");
        return false;
    }
    const bool headerOk = std::memcmp(header.data(), kFileMagic, 8) == 0;
    if (!headerOk) {
        sink.reject(0, "bad EVTX file header signature");
    } else {
        const uint32_t crc
            = static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef *>(header.data()), 120));
        if (crc != le32(header.data() + 124))
            sink.warning(0, "file header checksum mismatch");
    }

    auto slots = std::make_unique<Slot[]>(2);
    EvtxEventBuilder builder;
    EvtxChunkWorker worker;
    uint64_t consumed = kFileHeaderSize;
    int64_t base = 0;
    uint64_t nextIndex = 0;
    bool anyChunk = false;
    bool readFailed = false;

    auto readSlot = [&](Slot &s) -> bool {
        const long long n = in.readFully(reinterpret_cast<char *>(s.chunk.buffer()), EvtxChunk::kSize);
        if (n < 0) {
            sink.reject(0, "read error: " + in.error());
            readFailed = true;
            return false;
        }
        if (n == 0)
            return false;
        s.bytes = static_cast<size_t>(n);
        s.index = nextIndex++;
        return true;
    };

    int cur = 0;
    if (!readSlot(slots[cur]))
        return headerOk && !readFailed;
    // A damaged file header: go on only when a real chunk follows.
    if (!headerOk) {
        if (slots[cur].bytes < 8 || std::memcmp(slots[cur].chunk.buffer(), "ElfChnk", 8) != 0)
            return false;
        sink.warning(0, "recovering chunks after a damaged file header");
    }
    if (sink.cancelled())
        return true;

    if (!m_threaded) {
        do {
            parseSlot(slots[cur], builder);
            anyChunk |= slots[cur].chunk.hasSignature();
            deliver(slots[cur], sink, base, consumed);
        } while (!sink.cancelled() && readSlot(slots[cur]));
        return headerOk || anyChunk;
    }

    Slot *pending = &slots[cur];
    worker.submit([pending, &builder] { parseSlot(*pending, builder); });
    for (;;) {
        Slot &next = slots[1 - cur];
        const bool haveNext = readSlot(next); // on the calling thread, while the worker parses
        worker.wait();
        if (haveNext) {
            Slot *p = &next;
            worker.submit([p, &builder] { parseSlot(*p, builder); });
        }
        anyChunk |= slots[cur].chunk.hasSignature();
        deliver(slots[cur], sink, base, consumed);
        cur = 1 - cur;
        if (!haveNext)
            break;
        if (sink.cancelled()) {
            worker.wait();
            break;
        }
    }
    return headerOk || anyChunk;
}

} // namespace tt
