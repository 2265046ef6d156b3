#include "evtx/EvtxChunk.h"

#include "core/Integer.h"
#include "core/TimeUtil.h"
#include "evtx/EvtxChunkResult.h"
#include "evtx/EvtxEventBuilder.h"
#include "evtx/EvtxParser.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace tt {

namespace {
constexpr uint8_t kChunkMagic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};
constexpr uint32_t kRecordMagic = 0x00002a2a;
constexpr uint32_t kRecordHeader = 24; // magic, size, record id, written time
constexpr uint32_t kMinRecord = kRecordHeader + 4 + 4;

std::string hex(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

// "chunk 3 (file offset 0x34000): what": these messages concern a chunk, not a record.
std::string chunkText(uint64_t index, const std::string &what)
{
    return "chunk " + std::to_string(index) + " (file offset "
        + hex(EvtxParser::kFileHeaderSize + index * uint64_t(EvtxChunk::kSize)) + "): " + what;
}
} // namespace

EvtxChunk::EvtxChunk()
    : m_buf(new uint8_t[kSize])
    , m_reader(m_buf.get(), 0)
{
}

uint32_t EvtxChunk::u32(uint32_t off) const
{
    uint32_t v;
    std::memcpy(&v, m_buf.get() + off, 4);
    return v;
}

uint64_t EvtxChunk::u64(uint32_t off) const
{
    uint64_t v;
    std::memcpy(&v, m_buf.get() + off, 8);
    return v;
}

void EvtxChunk::load(size_t validBytes, uint64_t index)
{
    m_size = validBytes > kSize ? kSize : validBytes;
    m_index = index;
    m_reader = BinXmlReader(m_buf.get(), m_size);
    for (auto &[off, entry] : m_templates)
        if (entry.tmpl)
            m_spareTemplates.push_back(std::move(entry.tmpl));
    m_templates.clear();
}

bool EvtxChunk::hasSignature() const
{
    return m_size >= 8 && std::memcmp(m_buf.get(), kChunkMagic, 8) == 0;
}

bool EvtxChunk::isAllZero() const
{
    // Most chunks of a preallocated log are all zero: OR 64 bytes at a time (the compiler
    // vectorises this loop; a byte loop with an early return it does not).
    const uint8_t *p = m_buf.get();
    size_t i = 0;
    for (; i + 64 <= m_size; i += 64) {
        uint64_t acc = 0;
        for (size_t k = 0; k < 64; k += 8) {
            uint64_t w;
            std::memcpy(&w, p + i + k, 8);
            acc |= w;
        }
        if (acc)
            return false;
    }
    for (; i < m_size; ++i)
        if (p[i])
            return false;
    return true;
}

const BinXmlTemplate *EvtxChunk::templateAt(uint32_t defOffset, const char *&error)
{
    auto it = m_templates.find(defOffset);
    if (it != m_templates.end()) {
        error = it->second.error;
        return it->second.tmpl.get();
    }
    CacheEntry &entry = m_templates[defOffset];
    uint32_t begin = 0, end = 0;
    if (!m_reader.templateBody(defOffset, begin, end, entry.error)) {
        error = entry.error;
        return nullptr;
    }
    std::unique_ptr<BinXmlTemplate> t;
    if (!m_spareTemplates.empty()) {
        t = std::move(m_spareTemplates.back());
        m_spareTemplates.pop_back();
    } else {
        t = std::make_unique<BinXmlTemplate>();
    }
    if (!m_reader.compile(begin, end, *t, entry.error)) {
        error = entry.error;
        m_spareTemplates.push_back(std::move(t));
        return nullptr;
    }
    entry.tmpl = std::move(t);
    return entry.tmpl.get();
}

void EvtxChunk::checkHeader(EvtxChunkResult &out, uint32_t &freeSpace)
{
    freeSpace = static_cast<uint32_t>(m_size);
    if (m_size < kHeaderSize)
        return;
    if (m_size < kSize)
        out.warning(0, chunkText(m_index, "truncated (file ends inside the chunk)"));
    const uint8_t *d = m_buf.get();
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, d, 120);
    crc = crc32(crc, d + 128, kHeaderSize - 128);
    const bool headerOk = static_cast<uint32_t>(crc) == u32(124);
    if (!headerOk)
        out.warning(0, chunkText(m_index, "header checksum mismatch; records are looked for up to the chunk end"));
    const uint32_t free = u32(48);
    if (free < kHeaderSize || free > kSize) {
        out.warning(0, chunkText(m_index, "free space offset out of range"));
        return;
    }
    if (free <= m_size) {
        // With a sound header, the records end at the free space offset: what follows is slack
        // (remnants of older records), not part of the log.
        if (headerOk)
            freeSpace = free;
        const uint32_t dataCrc
            = static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), d + kHeaderSize, free - kHeaderSize));
        if (dataCrc != u32(52))
            out.warning(0, chunkText(m_index, "record data checksum mismatch"));
    }
}

bool EvtxChunk::validRecordAt(uint32_t pos) const
{
    if (pos + kRecordHeader > m_size || u32(pos) != kRecordMagic)
        return false;
    const uint32_t size = u32(pos + 4);
    if (size < kMinRecord || size > m_size - pos)
        return false;
    return u32(pos + size - 4) == size;
}

uint32_t EvtxChunk::findRecord(uint32_t from, uint32_t limit) const
{
    const uint8_t *d = m_buf.get();
    if (limit > m_size)
        limit = static_cast<uint32_t>(m_size);
    for (uint32_t p = from; p + kRecordHeader <= limit;) {
        const void *hit = std::memchr(d + p, 0x2a, limit - p);
        if (!hit)
            break;
        p = static_cast<uint32_t>(static_cast<const uint8_t *>(hit) - d);
        if (validRecordAt(p))
            return p;
        ++p;
    }
    return 0;
}

void EvtxChunk::parse(EvtxEventBuilder &builder, EvtxChunkResult &out)
{
    out.clear();
    if (m_size < kHeaderSize)
        return;
    uint32_t freeSpace = 0;
    checkHeader(out, freeSpace);
    uint32_t pos = kHeaderSize;
    while (pos + 4 <= freeSpace) {
        if (u32(pos) != kRecordMagic) {
            // Nothing more where the header says the records end (or in zeroed space).
            if (pos >= freeSpace)
                break;
            const uint32_t next = findRecord(pos + 1, freeSpace);
            if (!next) {
                bool zero = true;
                for (uint32_t i = pos; zero && i < freeSpace; ++i)
                    zero = m_buf[i] == 0;
                if (!zero)
                    out.warning(0, chunkText(m_index, "unreadable bytes before the end of the records"));
                break;
            }
            out.warning(0, chunkText(m_index, "skipped unreadable bytes between records"));
            pos = next;
            continue;
        }
        const int64_t position = ++out.m_records;
        if (pos + kRecordHeader > m_size) {
            out.reject(position, "record header truncated (file ends inside the record)");
            break;
        }
        const uint32_t size = u32(pos + 4);
        if (size < kMinRecord || size > kSize - pos) {
            out.reject(position, "record size " + std::to_string(size) + " points past the chunk end");
            const uint32_t next = findRecord(pos + 4, static_cast<uint32_t>(m_size));
            if (!next)
                break;
            pos = next;
            continue;
        }
        if (size > m_size - pos) {
            out.reject(position, "record truncated (file ends inside the record)");
            break;
        }
        if (u32(pos + size - 4) != size) {
            out.reject(position, "record size copy mismatch");
            const uint32_t next = findRecord(pos + 4, static_cast<uint32_t>(m_size));
            if (!next)
                break;
            pos = next;
            continue;
        }
        RawEvent &ev = out.nextEvent();
        const char *error = nullptr;
        if (builder.build(*this, pos + kRecordHeader, pos + size - 4, ev, error)) {
            if (ev.timeUs == kNoTime) {
                const uint64_t written = u64(pos + 16);
                ev.timeUs = timeutil::filetimeToUs(written);
                ev.timeSource = TimeSource::SystemTimeUtc;
            }
            if (ev.recordId < 0) {
                const uint64_t headerId = u64(pos + 8);
                if (headerId <= uint64_t(INT64_MAX))
                    ev.recordId = static_cast<int64_t>(headerId);
                else
                    out.warning(position, integer::recordNumberWarning("EventRecordID", std::to_string(headerId)));
            }
            ev.position = position;
            out.commitEvent();
        } else {
            out.reject(position, std::string("record ") + std::to_string(u64(pos + 8)) + ": " + error);
        }
        pos += size;
    }
    if (freeSpace < m_size) {
        int slack = 0;
        for (uint32_t p = findRecord(freeSpace, static_cast<uint32_t>(m_size)); p;
             p = findRecord(p + 4, static_cast<uint32_t>(m_size)))
            ++slack;
        // Windows reuses chunks without zeroing them: past the free-space offset lie remnants of
        // records that were overwritten. They are not part of the log any more.
        if (slack)
            out.warning(0,
                chunkText(m_index,
                    std::to_string(m_size - freeSpace) + " bytes of slack space after the last record (chunk offset "
                        + hex(freeSpace) + ") hold " + std::to_string(slack)
                        + " remnant(s) of overwritten records: not part of the log, not imported"));
    }
}

} // namespace tt
