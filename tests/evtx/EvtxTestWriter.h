#pragma once

// A small writer of valid EVTX files for the parser tests (no third-party EVTX is committed).
// It writes the file header, chunk headers with correct CRC32s, template definitions (inline at
// first use in a chunk, then referenced by offset), element names (inline at first use in a
// chunk, then by offset) and records holding a template instance with substitution values.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tt::test {

class EvtxTestWriter {
public:
    struct Element;
    struct Content {
        enum Kind { Text, Sub, OptSub, Elem } kind = Text;
        std::string text;
        uint16_t sub = 0;
        uint8_t type = 0;
        std::shared_ptr<Element> elem;
    };
    struct Element {
        std::string name;
        std::vector<std::pair<std::string, std::vector<Content>>> attrs;
        std::vector<Content> content;
        Element &attr(std::string n, Content c)
        {
            std::vector<Content> v;
            v.push_back(std::move(c));
            attrs.emplace_back(std::move(n), std::move(v));
            return *this;
        }
        Element &add(Content c)
        {
            content.push_back(std::move(c));
            return *this;
        }
        Element &child(Element e);
    };
    // A substitution value. type 0x21 (BinXML): xml is serialised where the value lands.
    struct Value {
        uint8_t type = 0;
        std::string bytes;
        std::shared_ptr<Element> xml;
    };

    static Content text(std::string t);
    static Content sub(uint16_t id, uint8_t type);
    static Content optSub(uint16_t id, uint8_t type);
    static Content elem(Element e);

    static std::string utf16(const std::string &utf8); // UTF-16LE bytes, no terminator
    static Value null();
    static Value str(const std::string &utf8); // with a trailing NUL, as Windows writes
    static Value rawString(std::string utf16le); // arbitrary (possibly invalid) UTF-16
    static Value u8(uint8_t v);
    static Value u16(uint16_t v);
    static Value u32(uint32_t v);
    static Value u64(uint64_t v);
    static Value i32(int32_t v);
    static Value hex32(uint32_t v);
    static Value hex64(uint64_t v);
    static Value boolean(bool v);
    static Value real64(double v);
    static Value fileTime(uint64_t ft);
    static Value systemTime(uint16_t y, uint16_t mo, uint16_t d, uint16_t h, uint16_t mi, uint16_t s, uint16_t ms);
    static Value guid(const uint8_t (&b)[16]);
    static Value sid(uint8_t authority, const std::vector<uint32_t> &subAuthorities);
    static Value binary(std::string bytes);
    static Value stringArray(const std::vector<std::string> &items);
    static Value u32Array(const std::vector<uint32_t> &items);
    static Value binXml(Element e);

    int addTemplate(Element root); // returns the template number
    void addRecord(int tmpl, std::vector<Value> values, uint64_t recordId, uint64_t fileTime);
    void setRecordsPerChunk(int n) { m_perChunk = n; }

    // The whole file; recordOffsets() then gives each record's file offset (in order).
    std::string build();
    const std::vector<size_t> &recordOffsets() const { return m_recordOffsets; }
    // Recomputes the CRC32s of the chunk holding file offset off (after a test edited it).
    static void fixChunkCrcs(std::string &file, size_t chunkIndex);

private:
    struct Record {
        int tmpl;
        std::vector<Value> values;
        uint64_t id;
        uint64_t time;
    };
    class ChunkBuilder;

    std::vector<Element> m_templates;
    std::vector<Record> m_records;
    std::vector<size_t> m_recordOffsets;
    int m_perChunk = 1000000;
};

} // namespace tt::test
