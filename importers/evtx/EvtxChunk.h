#pragma once

#include "evtx/BinXmlReader.h"
#include "evtx/BinXmlTemplate.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt {

class EvtxChunkResult;
class EvtxEventBuilder;

// One 64 KiB chunk: header checks, per-chunk template cache and the record walk. The walk trusts
// no header count: it follows record signatures, sizes and size copies until the chunk ends.
class EvtxChunk {
public:
    static constexpr size_t kSize = 65536;
    static constexpr size_t kHeaderSize = 512;

    EvtxChunk();

    uint8_t *buffer() { return m_buf.get(); }
    const uint8_t *data() const { return m_buf.get(); }
    size_t size() const { return m_size; }
    const BinXmlReader &reader() const { return m_reader; }

    // Prepares for a new chunk of validBytes bytes (already in buffer()); clears the cache.
    void load(size_t validBytes, uint64_t index);
    bool hasSignature() const;
    bool isAllZero() const;

    // Parses every record into out (positions chunk-local). Called on a worker thread.
    void parse(EvtxEventBuilder &builder, EvtxChunkResult &out);

    // The compiled template defined at chunk offset defOffset (compiled on first use), or null.
    const BinXmlTemplate *templateAt(uint32_t defOffset, const char *&error);

    static constexpr uint32_t kMaxRecordSize = kSize - kHeaderSize;

private:
    struct CacheEntry {
        std::unique_ptr<BinXmlTemplate> tmpl; // null: compiling failed
        const char *error = nullptr;
    };

    void checkHeader(EvtxChunkResult &out, uint32_t &freeSpace);
    bool validRecordAt(uint32_t pos) const;
    uint32_t findRecord(uint32_t from, uint32_t limit) const;
    uint32_t u32(uint32_t off) const;
    uint64_t u64(uint32_t off) const;

    std::unique_ptr<uint8_t[]> m_buf;
    size_t m_size = 0;
    uint64_t m_index = 0;
    BinXmlReader m_reader;
    std::unordered_map<uint32_t, CacheEntry> m_templates;
    std::vector<std::unique_ptr<BinXmlTemplate>> m_spareTemplates;
};

} // namespace tt
