#include "evtx/EvtxEventBuilder.h"

#include "core/Integer.h"
#include "core/TimeUtil.h"
#include "evtx/BinXmlValue.h"
#include "evtx/EvtxChunk.h"

#include <charconv>
#include <cstring>

namespace tt {

namespace {
constexpr size_t kMaxLevels = (BinXmlReader::kMaxElementDepth + 2) * (EvtxEventBuilder::kMaxNesting + 2);

} // namespace

EvtxEventBuilder::EvtxEventBuilder()
{
    // Sized once so that references into it stay valid while nested levels are walked.
    m_texts.resize(kMaxLevels + 1);
    m_subs.resize(kMaxNesting + 1);
    m_arraySubs.resize(kMaxNesting + 1);
    m_adhoc.resize(kMaxNesting + 1);
}

std::string &EvtxEventBuilder::textBuffer()
{
    std::string &s = m_texts[m_level < kMaxLevels ? m_level : kMaxLevels];
    s.clear();
    return s;
}

Field &EvtxEventBuilder::addField(std::vector<Field> &list, size_t &count)
{
    if (count == list.size()) {
        if (!m_spare.empty()) {
            list.push_back(std::move(m_spare.back()));
            m_spare.pop_back();
        } else {
            list.emplace_back();
        }
    }
    return list[count++];
}

void EvtxEventBuilder::finish(RawEvent &ev)
{
    while (ev.fields.size() > m_fieldCount) {
        m_spare.push_back(std::move(ev.fields.back()));
        ev.fields.pop_back();
    }
    while (ev.system.size() > m_systemCount) {
        m_spare.push_back(std::move(ev.system.back()));
        ev.system.pop_back();
    }
}

bool EvtxEventBuilder::build(EvtxChunk &chunk, uint32_t begin, uint32_t end, RawEvent &ev, const char *&error)
{
    m_chunk = &chunk;
    m_ev = &ev;
    m_error = nullptr;
    m_level = 0;
    m_path.clear();
    m_fieldCount = m_systemCount = 0;
    m_dataIndex = 0;
    ev.timeUs = kNoTime;
    ev.timeSource = TimeSource::Unknown;
    ev.computer.clear();
    ev.channel.clear();
    ev.provider.clear();
    ev.eventId = -1;
    ev.recordId = -1;
    ev.position = 0;
    ev.original.clear();
    ev.originalFormat.clear();
    int children = 0;
    const bool ok = walkFragment(begin, end, 0, Ctx::Root, nullptr, children);
    finish(ev);
    if (!ok)
        error = m_error ? m_error : "malformed BinXML";
    else if (children == 0) {
        error = "record holds no XML element";
        return false;
    }
    return ok;
}

bool EvtxEventBuilder::walkFragment(uint32_t begin, uint32_t end, int depth, Ctx ctx, std::string *text, int &children)
{
    if (depth > kMaxNesting)
        return fail("nested BinXML too deep");
    const uint8_t *d = m_chunk->data();
    if (end > m_chunk->size())
        return fail("BinXML past chunk end");
    uint32_t pos = begin;
    while (pos + 4 <= end && d[pos] == 0x0f) // fragment header(s)
        pos += 4;
    if (pos >= end)
        return true; // empty fragment
    const char *err = nullptr;
    if (d[pos] == 0x0c) {
        uint32_t defOffset = 0;
        if (!m_chunk->reader().readTemplateInstance(pos, end, defOffset, err))
            return fail(err);
        const BinXmlTemplate *t = m_chunk->templateAt(defOffset, err);
        if (!t)
            return fail(err);
        std::vector<SubValue> &subs = m_subs[static_cast<size_t>(depth)];
        if (!m_chunk->reader().readSubstitutions(pos, end, subs, err))
            return fail(err);
        const Frame f {t, subs.data(), subs.size(), depth};
        return walkParts(f, t->m_rootFirst, t->m_rootCount, ctx, text, children);
    }
    // A stream without a template instance: compile it on the spot.
    auto &adhoc = m_adhoc[static_cast<size_t>(depth)];
    if (!adhoc)
        adhoc = std::make_unique<BinXmlTemplate>();
    BinXmlReader reader(d, m_chunk->size());
    if (!reader.compile(pos, end, *adhoc, err))
        return fail(err);
    const Frame f {adhoc.get(), nullptr, 0, depth};
    return walkParts(f, adhoc->m_rootFirst, adhoc->m_rootCount, ctx, text, children);
}

bool EvtxEventBuilder::walkParts(
    const Frame &f, uint32_t first, uint32_t count, Ctx ctx, std::string *text, int &children)
{
    const BinXmlTemplate &t = *f.t;
    for (uint32_t i = 0; i < count; ++i) {
        const BinXmlTemplate::Part &p = t.m_parts[first + i];
        switch (p.kind) {
        case BinXmlTemplate::PartKind::Text:
            if (text)
                text->append(t.m_texts[p.index]);
            break;
        case BinXmlTemplate::PartKind::Substitution: {
            if (p.subId >= f.nSubs)
                break; // missing value: renders as nothing
            const SubValue &v = f.subs[p.subId];
            if (v.type == BinXmlValue::BinXml) {
                if (!walkFragment(v.offset, v.offset + v.size, f.depth + 1, ctx, text, children))
                    return false;
                break;
            }
            if (v.type == BinXmlValue::FileTime && v.size >= 8) {
                std::memcpy(&m_lastFileTime, m_chunk->data() + v.offset, 8);
                m_haveFileTime = true;
            }
            if (text)
                BinXmlValue::render(v.type, m_chunk->data() + v.offset, v.size, *text);
            break;
        }
        case BinXmlTemplate::PartKind::Element: {
            // An element whose whole content is an array substitution is repeated once per item,
            // as Windows renders it (e.g. classic events' <Data> insertion strings).
            const BinXmlTemplate::Element &e = t.m_elements[p.index];
            if (e.partCount == 1 && ctx != Ctx::Ignore) {
                const BinXmlTemplate::Part &only = t.m_parts[e.firstPart];
                // An element holding only an empty optional substitution is not rendered.
                if (only.kind == BinXmlTemplate::PartKind::Substitution && only.optional
                    && (only.subId >= f.nSubs || f.subs[only.subId].type == BinXmlValue::Null
                        || f.subs[only.subId].size == 0))
                    break;
                if (only.kind == BinXmlTemplate::PartKind::Substitution && only.subId < f.nSubs
                    && (f.subs[only.subId].type & BinXmlValue::ArrayFlag)) {
                    if (!arrayElement(f, p.index, only.subId, ctx, children))
                        return false;
                    break;
                }
            }
            ++children;
            if (ctx != Ctx::Ignore && !element(f, p.index, ctx))
                return false;
            break;
        }
        }
    }
    return true;
}

bool EvtxEventBuilder::arrayElement(const Frame &f, uint32_t index, uint16_t subId, Ctx ctx, int &children)
{
    const SubValue array = f.subs[subId];
    BinXmlValue::arrayItems(array.type, m_chunk->data() + array.offset, array.size, m_items);
    if (m_items.empty())
        return true;
    std::vector<SubValue> &subs = m_arraySubs[static_cast<size_t>(f.depth)];
    subs.assign(f.subs, f.subs + f.nSubs);
    const std::vector<std::pair<uint32_t, uint32_t>> items = m_items; // element() may reuse m_items
    const Frame item {f.t, subs.data(), subs.size(), f.depth};
    for (const auto &[off, size] : items) {
        subs[subId] = SubValue {static_cast<uint8_t>(array.type & 0x7F), array.offset + off, size};
        ++children;
        if (!element(item, index, ctx))
            return false;
    }
    return true;
}

bool EvtxEventBuilder::children(const Frame &f, const BinXmlTemplate::Element &e, Ctx ctx)
{
    int n = 0;
    ++m_level;
    const bool ok = walkParts(f, e.firstPart, e.partCount, ctx, nullptr, n);
    --m_level;
    return ok;
}

bool EvtxEventBuilder::attributeValue(const Frame &f, const BinXmlTemplate::Attribute &a, std::string &out)
{
    out.clear();
    m_haveFileTime = false;
    int n = 0;
    return walkParts(f, a.firstPart, a.partCount, Ctx::Ignore, &out, n);
}

bool EvtxEventBuilder::element(const Frame &f, uint32_t index, Ctx ctx)
{
    using N = BinXmlTemplate::Name;
    const BinXmlTemplate::Element &e = f.t->m_elements[index];
    switch (ctx) {
    case Ctx::Root:
        return children(f, e, Ctx::Event); // <Event> (or whatever the root is called)
    case Ctx::Event:
        switch (e.kind) {
        case N::System:
            return children(f, e, Ctx::System);
        case N::EventData:
            return children(f, e, Ctx::EventData);
        case N::UserData:
            return children(f, e, Ctx::UserData);
        case N::Event:
            return children(f, e, Ctx::Event);
        default:
            return bodyElement(f, e); // ProcessingErrorData, DebugData...: flattened
        }
    case Ctx::System:
        return systemElement(f, e);
    case Ctx::EventData:
        if (e.kind == N::Data)
            return dataElement(f, e);
        if (e.kind == N::EventData) // nested BinXML repeating the wrapper
            return children(f, e, Ctx::EventData);
        return bodyElement(f, e); // <Binary> and anything else
    case Ctx::UserData:
        if (e.kind == N::UserData)
            return children(f, e, Ctx::UserData);
        return children(f, e, Ctx::Body); // the wrapper element: its name is not part of paths
    case Ctx::Body:
        return bodyElement(f, e);
    case Ctx::Ignore:
        return true;
    }
    return true;
}

bool EvtxEventBuilder::systemElement(const Frame &f, const BinXmlTemplate::Element &e)
{
    using N = BinXmlTemplate::Name;
    RawEvent &ev = *m_ev;
    const BinXmlTemplate &t = *f.t;
    const std::string &elName = t.m_texts[e.name];
    for (uint32_t i = 0; i < e.attrCount; ++i) {
        const BinXmlTemplate::Attribute &a = t.m_attrs[e.firstAttr + i];
        if (a.kind == N::Xmlns)
            continue;
        if (!attributeValue(f, a, m_attr))
            return false;
        if (e.kind == N::Provider && a.kind == N::NameAttr) {
            ev.provider = m_attr;
            continue;
        }
        if (m_attr.empty())
            continue;
        if (e.kind == N::TimeCreated && a.kind == N::SystemTimeAttr) {
            if (m_haveFileTime) {
                ev.timeUs = timeutil::filetimeToUs(m_lastFileTime);
                ev.timeSource = TimeSource::SystemTimeUtc;
            } else if (auto pt = timeutil::parseIso8601(m_attr)) {
                ev.timeUs = pt->us;
                ev.timeSource = TimeSource::SystemTimeUtc;
            }
            Field &fl = addField(ev.system, m_systemCount);
            fl.name.assign("TimeCreated");
            fl.value.assign(m_attr);
            continue;
        }
        Field &fl = addField(ev.system, m_systemCount);
        fl.name.assign(elName);
        fl.name.push_back('.');
        fl.name.append(t.m_texts[a.name]);
        fl.value.assign(m_attr);
    }
    ++m_level;
    std::string &text = textBuffer();
    int n = 0;
    const bool ok = walkParts(f, e.firstPart, e.partCount, Ctx::Ignore, &text, n);
    --m_level;
    if (!ok)
        return false;
    uint64_t v = 0;
    switch (e.kind) {
    case N::EventID:
        if (integer::parseUInt64(text, v, integer::Hex::Allowed))
            ev.eventId = static_cast<int32_t>(v & 0xFFFF);
        break;
    case N::EventRecordID:
        if (integer::parseUInt64(text, v, integer::Hex::Allowed) && v <= uint64_t(INT64_MAX))
            ev.recordId = static_cast<int64_t>(v);
        break;
    case N::Channel:
        ev.channel.assign(text);
        break;
    case N::Computer:
        ev.computer.assign(text);
        break;
    default:
        if (!text.empty()) {
            Field &fl = addField(ev.system, m_systemCount);
            fl.name.assign(elName);
            fl.value.assign(text);
        }
        break;
    }
    return true;
}

bool EvtxEventBuilder::dataElement(const Frame &f, const BinXmlTemplate::Element &e)
{
    using N = BinXmlTemplate::Name;
    const BinXmlTemplate &t = *f.t;
    ++m_dataIndex;
    m_attr.clear();
    for (uint32_t i = 0; i < e.attrCount; ++i) {
        const BinXmlTemplate::Attribute &a = t.m_attrs[e.firstAttr + i];
        if (a.kind == N::NameAttr) {
            if (!attributeValue(f, a, m_attr))
                return false;
            break;
        }
    }
    const size_t pathLen = m_path.size();
    if (m_attr.empty()) {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, m_dataIndex);
        m_path.append("Data").append(buf, r.ptr);
    } else {
        m_path.append(m_attr);
    }
    ++m_level;
    std::string &text = textBuffer();
    int n = 0;
    // Elements inside <Data> (only possible through nested BinXML) are flattened below its name.
    const bool ok = walkParts(f, e.firstPart, e.partCount, Ctx::Body, &text, n);
    if (ok && n == 0) {
        Field &fl = addField(m_ev->fields, m_fieldCount);
        fl.name.assign(m_path, pathLen, std::string::npos);
        fl.value.assign(text);
    }
    --m_level;
    m_path.resize(pathLen);
    return ok;
}

bool EvtxEventBuilder::bodyElement(const Frame &f, const BinXmlTemplate::Element &e)
{
    using N = BinXmlTemplate::Name;
    const BinXmlTemplate &t = *f.t;
    const size_t pathLen = m_path.size();
    if (!m_path.empty())
        m_path.push_back('.');
    m_path.append(t.m_texts[e.name]);
    bool ok = true;
    for (uint32_t i = 0; ok && i < e.attrCount; ++i) {
        const BinXmlTemplate::Attribute &a = t.m_attrs[e.firstAttr + i];
        if (a.kind == N::Xmlns)
            continue;
        ok = attributeValue(f, a, m_attr);
        if (ok && !m_attr.empty()) {
            Field &fl = addField(m_ev->fields, m_fieldCount);
            fl.name.assign(m_path);
            fl.name.push_back('.');
            fl.name.append(t.m_texts[a.name]);
            fl.value.assign(m_attr);
        }
    }
    if (ok) {
        ++m_level;
        std::string &text = textBuffer();
        int n = 0;
        ok = walkParts(f, e.firstPart, e.partCount, Ctx::Body, &text, n);
        if (ok && n == 0) {
            Field &fl = addField(m_ev->fields, m_fieldCount);
            fl.name.assign(m_path);
            fl.value.assign(text);
        }
        --m_level;
    }
    m_path.resize(pathLen);
    return ok;
}

} // namespace tt
