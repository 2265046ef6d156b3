#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tt {

// A BinXML token stream compiled once into a compact tree (element names resolved to UTF-8,
// literal text decoded, substitutions kept as slots). Records of the same template only supply
// substitution values; the tree is walked without rendering XML.
class BinXmlTemplate {
public:
    // Names the event walker cares about, resolved at compile time.
    enum class Name : uint8_t {
        Other,
        Event,
        System,
        Provider,
        EventID,
        TimeCreated,
        EventRecordID,
        Channel,
        Computer,
        EventData,
        Data,
        Binary,
        UserData,
        // attribute names
        NameAttr,
        SystemTimeAttr,
        Xmlns,
    };

    enum class PartKind : uint8_t { Text, Substitution, Element };

    struct Part {
        PartKind kind = PartKind::Text;
        bool optional = false; // optional substitution (0x0e)
        uint16_t subId = 0; // substitution index
        uint32_t index = 0; // text index (Text) or element index (Element)
    };
    struct Attribute {
        uint32_t name = 0; // text index
        Name kind = Name::Other;
        uint32_t firstPart = 0;
        uint32_t partCount = 0;
    };
    struct Element {
        uint32_t name = 0; // text index (local name, prefix dropped)
        Name kind = Name::Other;
        uint32_t firstAttr = 0;
        uint32_t attrCount = 0;
        uint32_t firstPart = 0;
        uint32_t partCount = 0;
    };

    void clear()
    {
        m_texts.clear();
        m_parts.clear();
        m_attrs.clear();
        m_elements.clear();
        m_rootFirst = m_rootCount = 0;
    }

    std::vector<std::string> m_texts;
    std::vector<Part> m_parts;
    std::vector<Attribute> m_attrs;
    std::vector<Element> m_elements;
    uint32_t m_rootFirst = 0; // top-level parts
    uint32_t m_rootCount = 0;
};

} // namespace tt
