#pragma once

#include "core/RawEvent.h"
#include "evtx/BinXmlReader.h"
#include "evtx/BinXmlTemplate.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tt {

class EvtxChunk;

// Turns one record's BinXML (template instance + substitution values) into a RawEvent following
// docs/record-conventions.md, by walking the compiled template: no XML text is produced.
// Buffers are reused between records; not thread-safe (one builder per thread).
class EvtxEventBuilder {
public:
    EvtxEventBuilder();

    // Fills ev from the record's BinXML [begin, end) in chunk. On false, error says why.
    bool build(EvtxChunk &chunk, uint32_t begin, uint32_t end, RawEvent &ev, const char *&error);

    static constexpr int kMaxNesting = 8; // nested BinXML (substitution type 0x21) levels

private:
    enum class Ctx : uint8_t { Root, Event, System, EventData, UserData, Body, Ignore };
    struct Frame {
        const BinXmlTemplate *t;
        const SubValue *subs;
        size_t nSubs;
        int depth;
    };

    bool walkFragment(uint32_t begin, uint32_t end, int depth, Ctx ctx, std::string *text, int &children);
    bool walkParts(const Frame &f, uint32_t first, uint32_t count, Ctx ctx, std::string *text, int &children);
    bool element(const Frame &f, uint32_t index, Ctx ctx);
    bool arrayElement(const Frame &f, uint32_t index, uint16_t subId, Ctx ctx, int &children);
    bool systemElement(const Frame &f, const BinXmlTemplate::Element &e);
    bool dataElement(const Frame &f, const BinXmlTemplate::Element &e);
    bool bodyElement(const Frame &f, const BinXmlTemplate::Element &e);
    bool children(const Frame &f, const BinXmlTemplate::Element &e, Ctx ctx);
    bool attributeValue(const Frame &f, const BinXmlTemplate::Attribute &a, std::string &out);
    std::string &textBuffer();
    Field &addField(std::vector<Field> &list, size_t &count);
    void finish(RawEvent &ev);
    bool fail(const char *why)
    {
        m_error = why;
        return false;
    }

    EvtxChunk *m_chunk = nullptr;
    RawEvent *m_ev = nullptr;
    const char *m_error = nullptr;
    std::vector<std::vector<SubValue>> m_subs; // per nesting depth
    std::vector<std::vector<SubValue>> m_arraySubs; // per nesting depth
    std::vector<std::pair<uint32_t, uint32_t>> m_items;
    std::vector<std::unique_ptr<BinXmlTemplate>> m_adhoc; // streams without a template, per depth
    std::vector<std::string> m_texts; // per element level
    size_t m_level = 0;
    std::string m_attr;
    std::string m_path;
    std::vector<Field> m_spare; // Fields kept for reuse
    size_t m_fieldCount = 0;
    size_t m_systemCount = 0;
    int m_dataIndex = 0;
    bool m_haveFileTime = false;
    uint64_t m_lastFileTime = 0;
};

} // namespace tt
