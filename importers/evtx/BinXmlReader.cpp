#include "evtx/BinXmlReader.h"

#include "evtx/Utf16.h"

#include <string_view>

namespace tt {

namespace {

enum Token : uint8_t {
    EndOfStream = 0x00,
    OpenStartElement = 0x01,
    CloseStartElement = 0x02,
    CloseEmptyElement = 0x03,
    EndElement = 0x04,
    Value = 0x05,
    Attribute = 0x06,
    CData = 0x07,
    CharRef = 0x08,
    EntityRef = 0x09,
    PITarget = 0x0a,
    PIData = 0x0b,
    TemplateInstance = 0x0c,
    NormalSubstitution = 0x0d,
    OptionalSubstitution = 0x0e,
    FragmentHeader = 0x0f,
};

using Name = BinXmlTemplate::Name;

Name classifyElement(std::string_view n)
{
    switch (n.size()) {
    case 4:
        if (n == "Data")
            return Name::Data;
        break;
    case 5:
        if (n == "Event")
            return Name::Event;
        break;
    case 6:
        if (n == "System")
            return Name::System;
        if (n == "Binary")
            return Name::Binary;
        break;
    case 7:
        if (n == "EventID")
            return Name::EventID;
        if (n == "Channel")
            return Name::Channel;
        break;
    case 8:
        if (n == "Provider")
            return Name::Provider;
        if (n == "Computer")
            return Name::Computer;
        if (n == "UserData")
            return Name::UserData;
        break;
    case 9:
        if (n == "EventData")
            return Name::EventData;
        break;
    case 11:
        if (n == "TimeCreated")
            return Name::TimeCreated;
        break;
    case 13:
        if (n == "EventRecordID")
            return Name::EventRecordID;
        break;
    default:
        break;
    }
    return Name::Other;
}

Name classifyAttribute(std::string_view n)
{
    if (n == "Name")
        return Name::NameAttr;
    if (n == "SystemTime")
        return Name::SystemTimeAttr;
    if (n == "xmlns" || n.substr(0, 6) == "xmlns:")
        return Name::Xmlns;
    return Name::Other;
}

std::string_view entityText(std::string_view name)
{
    if (name == "amp")
        return "&";
    if (name == "lt")
        return "<";
    if (name == "gt")
        return ">";
    if (name == "quot")
        return "\"";
    if (name == "apos")
        return "'";
    return {};
}

} // namespace

uint32_t BinXmlReader::addText(std::string s)
{
    m_t->m_texts.push_back(std::move(s));
    return static_cast<uint32_t>(m_t->m_texts.size() - 1);
}

bool BinXmlReader::plausibleName(uint32_t off, uint32_t pos) const
{
    if (off < 512 || off > m_size || m_size - off < 10)
        return false;
    const uint32_t count = u16(off + 6);
    const size_t need = 8 + 2 * static_cast<size_t>(count) + 2;
    if (need > m_size - off || u16(off + 8 + 2 * count) != 0)
        return false;
    return off == pos || off + need <= pos;
}

bool BinXmlReader::readName(uint32_t &pos, uint32_t &text, bool attribute, Name &kind)
{
    if (pos + 4 > m_end)
        return fail("name offset past end of stream");
    const uint32_t off = u32(pos);
    pos += 4;
    if (off > m_size || m_size - off < 10)
        return fail("name offset outside chunk");
    const uint32_t count = u16(off + 6);
    const size_t need = 8 + 2 * static_cast<size_t>(count) + 2;
    if (need > m_size - off)
        return fail("name runs past chunk end");
    if (off == pos) { // defined inline: skip it
        if (pos + need > m_end)
            return fail("inline name past end of stream");
        pos += static_cast<uint32_t>(need);
    }
    m_scratch.clear();
    Utf16::appendUtf8(m_scratch, m_data + off + 8, count);
    std::string_view full = m_scratch;
    if (attribute) {
        kind = classifyAttribute(full);
    } else {
        if (auto colon = full.find(':'); colon != std::string_view::npos)
            full.remove_prefix(colon + 1);
        kind = classifyElement(full);
    }
    if (attribute)
        if (auto colon = full.find(':'); colon != std::string_view::npos && kind != Name::Xmlns)
            full.remove_prefix(colon + 1);
    text = addText(std::string(full));
    return true;
}

bool BinXmlReader::readUtf16Counted(uint32_t &pos, uint32_t &text)
{
    if (pos + 2 > m_end)
        return fail("string length past end of stream");
    const uint32_t count = u16(pos);
    pos += 2;
    if (pos + 2 * static_cast<size_t>(count) > m_end)
        return fail("string past end of stream");
    std::string s;
    Utf16::appendUtf8(s, m_data + pos, count);
    pos += 2 * count;
    text = addText(std::move(s));
    return true;
}

// Handles one token that may appear in element content or an attribute value. Sets handled
// to false (without consuming) for any other token.
bool BinXmlReader::parseContentToken(uint32_t &pos, std::vector<BinXmlTemplate::Part> &parts, bool &handled)
{
    handled = true;
    const uint8_t tok = m_data[pos];
    BinXmlTemplate::Part part;
    switch (tok & 0xbf) {
    case Value: {
        if (pos + 2 > m_end)
            return fail("value token past end of stream");
        const uint8_t type = m_data[pos + 1];
        pos += 2;
        if (type != 0x01)
            return fail("value token with a non-string type");
        if (!readUtf16Counted(pos, part.index))
            return false;
        parts.push_back(part);
        return true;
    }
    case CData: {
        ++pos;
        if (!readUtf16Counted(pos, part.index))
            return false;
        parts.push_back(part);
        return true;
    }
    case CharRef: {
        if (pos + 3 > m_end)
            return fail("character reference past end of stream");
        std::string s;
        Utf16::appendCodePoint(s, u16(pos + 1));
        pos += 3;
        part.index = addText(std::move(s));
        parts.push_back(part);
        return true;
    }
    case EntityRef: {
        ++pos;
        uint32_t nameText;
        Name kind;
        if (!readName(pos, nameText, true, kind))
            return false;
        std::string &n = m_t->m_texts[nameText];
        std::string_view e = entityText(n);
        n = e.empty() ? "&" + n + ";" : std::string(e);
        part.index = nameText;
        parts.push_back(part);
        return true;
    }
    default:
        break;
    }
    if (tok == NormalSubstitution || tok == OptionalSubstitution) {
        if (pos + 4 > m_end)
            return fail("substitution token past end of stream");
        part.kind = BinXmlTemplate::PartKind::Substitution;
        part.optional = tok == OptionalSubstitution;
        part.subId = u16(pos + 1);
        pos += 4;
        parts.push_back(part);
        return true;
    }
    handled = false;
    return true;
}

bool BinXmlReader::parseElement(uint32_t &pos, int depth, uint32_t &index)
{
    if (depth > kMaxElementDepth)
        return fail("elements nested too deeply");
    const bool hasAttrs = m_data[pos] & 0x40;
    const uint32_t start = pos;
    ++pos;
    // Windows writes a 2-byte dependency id after the token; some exporting tools do not. Decide
    // per element by where the name is (inline right after the offset, or a valid earlier name).
    const bool withOk = start + 11 <= m_end && plausibleName(u32(start + 7), start + 11);
    const bool withoutOk = start + 9 <= m_end && plausibleName(u32(start + 5), start + 9);
    bool withDep = m_dependencyIds != 0;
    if (m_dependencyIds == -1 || (withDep ? !withOk && withoutOk : !withoutOk && withOk)) {
        withDep = withOk || !withoutOk;
        m_dependencyIds = withDep ? 1 : 0;
    }
    const uint32_t headerSize = withDep ? 6 : 4; // [dependency id (2)], data size (4)
    if (pos + headerSize > m_end)
        return fail("element header past end of stream");
    pos += headerSize;
    BinXmlTemplate::Element el;
    if (!readName(pos, el.name, false, el.kind))
        return false;
    if (hasAttrs) {
        if (pos + 4 > m_end)
            return fail("attribute list size past end of stream");
        pos += 4;
    }
    index = static_cast<uint32_t>(m_t->m_elements.size());
    m_t->m_elements.push_back(el);

    std::vector<BinXmlTemplate::Attribute> attrs;
    while (hasAttrs && pos < m_end && (m_data[pos] & 0xbf) == Attribute) {
        ++pos;
        BinXmlTemplate::Attribute a;
        if (!readName(pos, a.name, true, a.kind))
            return false;
        a.firstPart = static_cast<uint32_t>(m_t->m_parts.size());
        bool handled = true;
        while (pos < m_end && handled) {
            if (!parseContentToken(pos, m_t->m_parts, handled))
                return false;
        }
        a.partCount = static_cast<uint32_t>(m_t->m_parts.size()) - a.firstPart;
        attrs.push_back(a);
    }
    if (pos >= m_end)
        return fail("element not closed before end of stream");
    std::vector<BinXmlTemplate::Part> content;
    const uint8_t close = m_data[pos++];
    if (close == CloseStartElement) {
        for (;;) {
            if (pos >= m_end)
                return fail("element content past end of stream");
            const uint8_t tok = m_data[pos];
            if (tok == EndElement) {
                ++pos;
                break;
            }
            if ((tok & 0xbf) == OpenStartElement) {
                BinXmlTemplate::Part part;
                part.kind = BinXmlTemplate::PartKind::Element;
                if (!parseElement(pos, depth + 1, part.index))
                    return false;
                content.push_back(part);
                continue;
            }
            if (tok == PITarget) {
                ++pos;
                uint32_t t;
                Name k;
                if (!readName(pos, t, true, k))
                    return false;
                continue;
            }
            if (tok == PIData) {
                ++pos;
                uint32_t t;
                if (!readUtf16Counted(pos, t))
                    return false;
                continue;
            }
            bool handled = false;
            if (!parseContentToken(pos, content, handled))
                return false;
            if (!handled)
                return fail(
                    tok == EndOfStream ? "end of stream inside an element" : "unexpected token in element content");
        }
    } else if (close != CloseEmptyElement) {
        return fail("element start not closed");
    }
    BinXmlTemplate::Element &e = m_t->m_elements[index];
    e.firstAttr = static_cast<uint32_t>(m_t->m_attrs.size());
    e.attrCount = static_cast<uint32_t>(attrs.size());
    m_t->m_attrs.insert(m_t->m_attrs.end(), attrs.begin(), attrs.end());
    e.firstPart = static_cast<uint32_t>(m_t->m_parts.size());
    e.partCount = static_cast<uint32_t>(content.size());
    m_t->m_parts.insert(m_t->m_parts.end(), content.begin(), content.end());
    return true;
}

bool BinXmlReader::compile(uint32_t begin, uint32_t end, BinXmlTemplate &t, const char *&error)
{
    t.clear();
    m_t = &t;
    m_end = static_cast<uint32_t>(end > m_size ? m_size : end);
    m_error = nullptr;
    m_dependencyIds = -1;
    uint32_t pos = begin;
    std::vector<BinXmlTemplate::Part> root;
    bool ok = true;
    while (ok && pos < m_end) {
        const uint8_t tok = m_data[pos];
        if (tok == EndOfStream)
            break;
        if (tok == FragmentHeader) {
            pos += 4;
            continue;
        }
        if ((tok & 0xbf) == OpenStartElement) {
            BinXmlTemplate::Part part;
            part.kind = BinXmlTemplate::PartKind::Element;
            ok = parseElement(pos, 0, part.index);
            if (ok)
                root.push_back(part);
            continue;
        }
        if (tok == TemplateInstance) {
            ok = fail("template instance inside a template definition");
            break;
        }
        if (tok == PITarget || tok == PIData) {
            ++pos;
            uint32_t text;
            Name k;
            ok = tok == PITarget ? readName(pos, text, true, k) : readUtf16Counted(pos, text);
            continue;
        }
        bool handled = false;
        ok = parseContentToken(pos, root, handled);
        if (ok && !handled)
            ok = fail("unknown BinXML token");
    }
    if (ok) {
        t.m_rootFirst = static_cast<uint32_t>(t.m_parts.size());
        t.m_rootCount = static_cast<uint32_t>(root.size());
        t.m_parts.insert(t.m_parts.end(), root.begin(), root.end());
    }
    error = m_error;
    m_t = nullptr;
    return ok;
}

bool BinXmlReader::readTemplateInstance(uint32_t &pos, uint32_t end, uint32_t &defOffset, const char *&error) const
{
    if (end > m_size)
        end = static_cast<uint32_t>(m_size);
    if (pos + 10 > end || m_data[pos] != TemplateInstance) {
        error = "template instance header past end of record";
        return false;
    }
    defOffset = u32(pos + 6);
    pos += 10;
    if (defOffset == pos) {
        if (pos + 24 > end) {
            error = "inline template definition past end of record";
            return false;
        }
        const uint32_t size = u32(pos + 20);
        if (size > end - pos - 24) {
            error = "inline template definition larger than the record";
            return false;
        }
        pos += 24 + size;
    }
    return true;
}

bool BinXmlReader::templateBody(uint32_t defOffset, uint32_t &bodyBegin, uint32_t &bodyEnd, const char *&error) const
{
    if (defOffset < 512 || defOffset > m_size || m_size - defOffset < 24) {
        error = "template offset outside chunk";
        return false;
    }
    const uint32_t size = u32(defOffset + 20);
    if (size > m_size - defOffset - 24) {
        error = "template definition runs past chunk end";
        return false;
    }
    bodyBegin = defOffset + 24;
    bodyEnd = bodyBegin + size;
    return true;
}

bool BinXmlReader::readSubstitutions(uint32_t &pos, uint32_t end, std::vector<SubValue> &out, const char *&error) const
{
    out.clear();
    if (end > m_size)
        end = static_cast<uint32_t>(m_size);
    if (pos + 4 > end) {
        error = "substitution count past end of record";
        return false;
    }
    const uint32_t count = u32(pos);
    pos += 4;
    if (count > 0xFFFF || static_cast<uint64_t>(count) * 4 > end - pos) {
        error = "substitution array larger than the record";
        return false;
    }
    uint32_t valuePos = pos + count * 4;
    out.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
        const uint32_t size = u16(pos + 4 * i);
        if (size > end - valuePos) {
            out.clear();
            error = "substitution value past end of record";
            return false;
        }
        out[i].type = m_data[pos + 4 * i + 2];
        out[i].offset = valuePos;
        out[i].size = size;
        valuePos += size;
    }
    pos = valuePos;
    return true;
}

} // namespace tt
