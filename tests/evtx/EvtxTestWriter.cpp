#include "EvtxTestWriter.h"

#include <zlib.h>

#include <cstring>
#include <map>
#include <stdexcept>

namespace tt::test {

namespace {
void put16(std::string &s, uint16_t v)
{
    s.push_back(static_cast<char>(v & 0xFF));
    s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string &s, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put64(std::string &s, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void set32(std::string &s, size_t at, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
void set64(std::string &s, size_t at, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
uint32_t crc(const std::string &s, size_t from, size_t n)
{
    return static_cast<uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef *>(s.data() + from), static_cast<uInt>(n)));
}
EvtxTestWriter::Value fixed(uint8_t type, const void *p, size_t n)
{
    EvtxTestWriter::Value v;
    v.type = type;
    v.bytes.resize(n);
    std::memcpy(v.bytes.data(), p, n);
    return v;
}
} // namespace

EvtxTestWriter::Element &EvtxTestWriter::Element::child(Element e)
{
    content.push_back(elem(std::move(e)));
    return *this;
}

EvtxTestWriter::Content EvtxTestWriter::text(std::string t)
{
    Content c;
    c.kind = Content::Text;
    c.text = std::move(t);
    return c;
}
EvtxTestWriter::Content EvtxTestWriter::sub(uint16_t id, uint8_t type)
{
    Content c;
    c.kind = Content::Sub;
    c.sub = id;
    c.type = type;
    return c;
}
EvtxTestWriter::Content EvtxTestWriter::optSub(uint16_t id, uint8_t type)
{
    Content c = sub(id, type);
    c.kind = Content::OptSub;
    return c;
}
EvtxTestWriter::Content EvtxTestWriter::elem(Element e)
{
    Content c;
    c.kind = Content::Elem;
    c.elem = std::make_shared<Element>(std::move(e));
    return c;
}

std::string EvtxTestWriter::utf16(const std::string &u)
{
    std::string out;
    for (size_t i = 0; i < u.size();) {
        uint32_t c = static_cast<uint8_t>(u[i]);
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (n > 1) {
            c &= (0xFF >> (n + 1));
            for (int k = 1; k < n && i + k < u.size(); ++k)
                c = (c << 6) | (static_cast<uint8_t>(u[i + k]) & 0x3F);
        }
        i += static_cast<size_t>(n);
        if (c >= 0x10000) {
            c -= 0x10000;
            put16(out, static_cast<uint16_t>(0xD800 + (c >> 10)));
            put16(out, static_cast<uint16_t>(0xDC00 + (c & 0x3FF)));
        } else {
            put16(out, static_cast<uint16_t>(c));
        }
    }
    return out;
}

EvtxTestWriter::Value EvtxTestWriter::null()
{
    return Value {};
}
EvtxTestWriter::Value EvtxTestWriter::str(const std::string &utf8)
{
    Value v;
    v.type = 0x01;
    v.bytes = utf16(utf8);
    v.bytes.append(2, '\0');
    return v;
}
EvtxTestWriter::Value EvtxTestWriter::rawString(std::string b)
{
    Value v;
    v.type = 0x01;
    v.bytes = std::move(b);
    return v;
}
EvtxTestWriter::Value EvtxTestWriter::u8(uint8_t x)
{
    return fixed(0x04, &x, 1);
}
EvtxTestWriter::Value EvtxTestWriter::u16(uint16_t x)
{
    return fixed(0x06, &x, 2);
}
EvtxTestWriter::Value EvtxTestWriter::u32(uint32_t x)
{
    return fixed(0x08, &x, 4);
}
EvtxTestWriter::Value EvtxTestWriter::u64(uint64_t x)
{
    return fixed(0x0a, &x, 8);
}
EvtxTestWriter::Value EvtxTestWriter::i32(int32_t x)
{
    return fixed(0x07, &x, 4);
}
EvtxTestWriter::Value EvtxTestWriter::hex32(uint32_t x)
{
    return fixed(0x14, &x, 4);
}
EvtxTestWriter::Value EvtxTestWriter::hex64(uint64_t x)
{
    return fixed(0x15, &x, 8);
}
EvtxTestWriter::Value EvtxTestWriter::boolean(bool b)
{
    uint32_t x = b ? 1 : 0;
    return fixed(0x0d, &x, 4);
}
EvtxTestWriter::Value EvtxTestWriter::real64(double x)
{
    return fixed(0x0c, &x, 8);
}
EvtxTestWriter::Value EvtxTestWriter::fileTime(uint64_t ft)
{
    return fixed(0x11, &ft, 8);
}
EvtxTestWriter::Value EvtxTestWriter::systemTime(
    uint16_t y, uint16_t mo, uint16_t d, uint16_t h, uint16_t mi, uint16_t s, uint16_t ms)
{
    const uint16_t st[8] = {y, mo, 0, d, h, mi, s, ms};
    return fixed(0x12, st, 16);
}
EvtxTestWriter::Value EvtxTestWriter::guid(const uint8_t (&b)[16])
{
    return fixed(0x0f, b, 16);
}
EvtxTestWriter::Value EvtxTestWriter::sid(uint8_t authority, const std::vector<uint32_t> &subs)
{
    std::string b;
    b.push_back(1);
    b.push_back(static_cast<char>(subs.size()));
    b.append(5, '\0');
    b.push_back(static_cast<char>(authority));
    for (uint32_t s : subs)
        put32(b, s);
    Value v;
    v.type = 0x13;
    v.bytes = b;
    return v;
}
EvtxTestWriter::Value EvtxTestWriter::binary(std::string bytes)
{
    Value v;
    v.type = 0x0e;
    v.bytes = std::move(bytes);
    return v;
}
EvtxTestWriter::Value EvtxTestWriter::stringArray(const std::vector<std::string> &items)
{
    Value v;
    v.type = 0x81;
    for (const auto &s : items) {
        v.bytes += utf16(s);
        v.bytes.append(2, '\0');
    }
    return v;
}
EvtxTestWriter::Value EvtxTestWriter::u32Array(const std::vector<uint32_t> &items)
{
    Value v;
    v.type = 0x88;
    for (uint32_t x : items)
        put32(v.bytes, x);
    return v;
}
EvtxTestWriter::Value EvtxTestWriter::binXml(Element e)
{
    Value v;
    v.type = 0x21;
    v.xml = std::make_shared<Element>(std::move(e));
    return v;
}

int EvtxTestWriter::addTemplate(Element root)
{
    m_templates.push_back(std::move(root));
    return static_cast<int>(m_templates.size() - 1);
}

void EvtxTestWriter::addRecord(int tmpl, std::vector<Value> values, uint64_t recordId, uint64_t fileTime)
{
    m_records.push_back({tmpl, std::move(values), recordId, fileTime});
}

// Builds one chunk in memory; all offsets are chunk-relative.
class EvtxTestWriter::ChunkBuilder {
public:
    std::string buf = std::string(512, '\0');
    std::map<std::string, uint32_t> names;
    std::map<int, uint32_t> templates;
    uint32_t lastRecord = 0;
    uint64_t firstId = 0, lastId = 0;
    int records = 0;

    void name(const std::string &n)
    {
        auto it = names.find(n);
        if (it != names.end()) {
            put32(buf, it->second);
            return;
        }
        const uint32_t off = static_cast<uint32_t>(buf.size() + 4);
        put32(buf, off);
        put32(buf, 0);
        put16(buf, 0); // hash (not checked by readers)
        const std::string u = utf16(n);
        put16(buf, static_cast<uint16_t>(u.size() / 2));
        buf += u;
        put16(buf, 0);
        names[n] = off;
    }
    void content(const Content &c)
    {
        switch (c.kind) {
        case Content::Text: {
            const std::string u = utf16(c.text);
            buf.push_back(0x05);
            buf.push_back(0x01);
            put16(buf, static_cast<uint16_t>(u.size() / 2));
            buf += u;
            break;
        }
        case Content::Sub:
        case Content::OptSub:
            buf.push_back(c.kind == Content::Sub ? 0x0d : 0x0e);
            put16(buf, c.sub);
            buf.push_back(static_cast<char>(c.type));
            break;
        case Content::Elem:
            element(*c.elem);
            break;
        }
    }
    void element(const Element &e)
    {
        buf.push_back(e.attrs.empty() ? 0x01 : 0x41);
        put16(buf, 0xFFFF);
        const size_t sizeAt = buf.size();
        put32(buf, 0);
        name(e.name);
        size_t attrSizeAt = 0;
        if (!e.attrs.empty()) {
            attrSizeAt = buf.size();
            put32(buf, 0);
        }
        for (size_t i = 0; i < e.attrs.size(); ++i) {
            buf.push_back(i + 1 < e.attrs.size() ? 0x46 : 0x06);
            name(e.attrs[i].first);
            for (const auto &c : e.attrs[i].second)
                content(c);
        }
        if (attrSizeAt)
            set32(buf, attrSizeAt, static_cast<uint32_t>(buf.size() - attrSizeAt - 4));
        if (e.content.empty()) {
            buf.push_back(0x03);
        } else {
            buf.push_back(0x02);
            for (const auto &c : e.content)
                content(c);
            buf.push_back(0x04);
        }
        set32(buf, sizeAt, static_cast<uint32_t>(buf.size() - sizeAt - 4));
    }
    void fragment(const Element &e)
    {
        buf += std::string("\x0f\x01\x01\x00", 4);
        element(e);
        buf.push_back(0x00);
    }
    void record(const std::vector<Element> &tmpls, const Record &r)
    {
        const size_t start = buf.size();
        put32(buf, 0x2a2a);
        put32(buf, 0);
        put64(buf, r.id);
        put64(buf, r.time);
        buf += std::string("\x0f\x01\x01\x00", 4);
        buf.push_back(0x0c);
        buf.push_back(0x01);
        put32(buf, static_cast<uint32_t>(r.tmpl));
        auto it = templates.find(r.tmpl);
        if (it != templates.end()) {
            put32(buf, it->second);
        } else {
            const uint32_t def = static_cast<uint32_t>(buf.size() + 4);
            put32(buf, def);
            templates[r.tmpl] = def;
            put32(buf, 0);
            for (int i = 0; i < 16; ++i)
                buf.push_back(static_cast<char>(r.tmpl + i));
            const size_t sizeAt = buf.size();
            put32(buf, 0);
            fragment(tmpls[static_cast<size_t>(r.tmpl)]);
            set32(buf, sizeAt, static_cast<uint32_t>(buf.size() - sizeAt - 4));
        }
        put32(buf, static_cast<uint32_t>(r.values.size()));
        const size_t descAt = buf.size();
        for (const auto &v : r.values) {
            put16(buf, 0);
            buf.push_back(static_cast<char>(v.type));
            buf.push_back(0);
        }
        for (size_t i = 0; i < r.values.size(); ++i) {
            const size_t before = buf.size();
            if (r.values[i].xml)
                fragment(*r.values[i].xml);
            else
                buf += r.values[i].bytes;
            const size_t n = buf.size() - before;
            if (n > 0xFFFF)
                throw std::length_error("substitution value larger than 65535 bytes");
            buf[descAt + 4 * i] = static_cast<char>(n & 0xFF);
            buf[descAt + 4 * i + 1] = static_cast<char>(n >> 8);
        }
        buf.push_back(0x00);
        while ((buf.size() + 4 - start) % 8)
            buf.push_back(0);
        const uint32_t size = static_cast<uint32_t>(buf.size() + 4 - start);
        put32(buf, size);
        set32(buf, start + 4, size);
        if (!records++)
            firstId = r.id;
        lastId = r.id;
        lastRecord = static_cast<uint32_t>(start);
    }
    std::string finish(uint64_t firstNumber)
    {
        std::string c = buf;
        const uint32_t freeSpace = static_cast<uint32_t>(c.size());
        c.resize(65536, '\0');
        std::memcpy(c.data(), "ElfChnk", 8);
        set64(c, 8, firstNumber);
        set64(c, 16, firstNumber + static_cast<uint64_t>(records) - 1);
        set64(c, 24, firstId);
        set64(c, 32, lastId);
        set32(c, 40, 128);
        set32(c, 44, lastRecord);
        set32(c, 48, freeSpace);
        set32(c, 52, crc(c, 512, freeSpace - 512));
        return c;
    }
};

void EvtxTestWriter::fixChunkCrcs(std::string &file, size_t chunkIndex)
{
    const size_t base = 4096 + chunkIndex * 65536;
    std::string c = file.substr(base, 65536);
    uint32_t freeSpace;
    std::memcpy(&freeSpace, c.data() + 48, 4);
    if (freeSpace >= 512 && freeSpace <= 65536)
        set32(c, 52, crc(c, 512, freeSpace - 512));
    uLong h = crc32(0L, Z_NULL, 0);
    h = crc32(h, reinterpret_cast<const Bytef *>(c.data()), 120);
    h = crc32(h, reinterpret_cast<const Bytef *>(c.data() + 128), 384);
    set32(c, 124, static_cast<uint32_t>(h));
    file.replace(base, 65536, c);
}

std::string EvtxTestWriter::build()
{
    std::vector<std::string> chunks;
    m_recordOffsets.clear();
    uint64_t number = 1;
    auto cb = std::make_unique<ChunkBuilder>();
    uint64_t nextId = 1;
    for (const Record &r : m_records) {
        ChunkBuilder saved = *cb;
        if (cb->records < m_perChunk) {
            cb->record(m_templates, r);
            if (cb->buf.size() <= 65536) {
                m_recordOffsets.push_back(4096 + chunks.size() * 65536 + cb->lastRecord);
                nextId = r.id + 1;
                continue;
            }
            *cb = saved;
        }
        if (cb->records == 0)
            throw std::length_error("record larger than a chunk");
        chunks.push_back(cb->finish(number));
        number += static_cast<uint64_t>(cb->records);
        cb = std::make_unique<ChunkBuilder>();
        cb->record(m_templates, r);
        if (cb->buf.size() > 65536)
            throw std::length_error("record larger than a chunk");
        m_recordOffsets.push_back(4096 + chunks.size() * 65536 + cb->lastRecord);
        nextId = r.id + 1;
    }
    if (cb->records)
        chunks.push_back(cb->finish(number));

    std::string file(4096, '\0');
    std::memcpy(file.data(), "ElfFile", 8);
    set64(file, 8, 0);
    set64(file, 16, chunks.empty() ? 0 : chunks.size() - 1);
    set64(file, 24, nextId);
    set32(file, 32, 128);
    file[36] = 1; // minor version
    file[38] = 3; // major version
    file[40] = 0x00;
    file[41] = 0x10; // header block size 4096
    file[42] = static_cast<char>(chunks.size() & 0xFF);
    file[43] = static_cast<char>(chunks.size() >> 8);
    set32(file, 124, crc(file, 0, 120));
    for (size_t i = 0; i < chunks.size(); ++i) {
        file += chunks[i];
        fixChunkCrcs(file, i);
    }
    return file;
}

} // namespace tt::test
