#pragma once

#include "evtx/BinXmlTemplate.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tt {

// One substitution value of a template instance: a typed byte range inside the chunk.
struct SubValue {
    uint8_t type = 0;
    uint32_t offset = 0;
    uint32_t size = 0;
};

// Reads BinXML inside one chunk (all offsets are chunk-relative and bounds-checked against the
// chunk and the stream end). Never reads outside [0, chunkSize).
class BinXmlReader {
public:
    BinXmlReader(const uint8_t *chunk, size_t chunkSize)
        : m_data(chunk)
        , m_size(chunkSize)
    {
    }

    // Compiles the token stream [begin, end) into t (cleared first). Stops at end-of-stream.
    // Returns false with a static reason on malformed input (template instances are not
    // allowed inside a compiled stream: the walker handles them).
    bool compile(uint32_t begin, uint32_t end, BinXmlTemplate &t, const char *&error);

    // At pos: a template-instance token (0x0c). Reads it, skips an inline definition, and
    // returns the chunk offset of the template definition. pos ends at the substitution array.
    bool readTemplateInstance(uint32_t &pos, uint32_t end, uint32_t &defOffset, const char *&error) const;

    // Body range of the template definition at defOffset: [bodyBegin, bodyEnd).
    bool templateBody(uint32_t defOffset, uint32_t &bodyBegin, uint32_t &bodyEnd, const char *&error) const;

    // At pos: substitution count, descriptors and values. Fills out; pos ends after the values.
    bool readSubstitutions(uint32_t &pos, uint32_t end, std::vector<SubValue> &out, const char *&error) const;

    static constexpr int kMaxElementDepth = 64;

private:
    bool parseElement(uint32_t &pos, int depth, uint32_t &index);
    bool parseContentToken(uint32_t &pos, std::vector<BinXmlTemplate::Part> &parts, bool &handled);
    bool readName(uint32_t &pos, uint32_t &text, bool attribute, BinXmlTemplate::Name &kind);
    bool plausibleName(uint32_t off, uint32_t pos) const;
    bool readUtf16Counted(uint32_t &pos, uint32_t &text);
    uint32_t addText(std::string s);
    bool fail(const char *why)
    {
        m_error = why;
        return false;
    }
    uint16_t u16(uint32_t off) const { return static_cast<uint16_t>(m_data[off] | (m_data[off + 1] << 8)); }
    uint32_t u32(uint32_t off) const
    {
        return static_cast<uint32_t>(m_data[off]) | (static_cast<uint32_t>(m_data[off + 1]) << 8)
            | (static_cast<uint32_t>(m_data[off + 2]) << 16) | (static_cast<uint32_t>(m_data[off + 3]) << 24);
    }

    const uint8_t *m_data;
    size_t m_size;
    uint32_t m_end = 0;
    BinXmlTemplate *m_t = nullptr;
    const char *m_error = nullptr;
    int m_dependencyIds = -1; // -1 unknown, 1 elements carry a dependency id, 0 they do not
    std::string m_scratch;
};

} // namespace tt
