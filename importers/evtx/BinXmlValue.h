#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tt {

// BinXML value types and their text rendering (docs/record-conventions.md, "Value rendering").
class BinXmlValue {
public:
    enum Type : uint8_t {
        Null = 0x00,
        String = 0x01,
        AnsiString = 0x02,
        Int8 = 0x03,
        UInt8 = 0x04,
        Int16 = 0x05,
        UInt16 = 0x06,
        Int32 = 0x07,
        UInt32 = 0x08,
        Int64 = 0x09,
        UInt64 = 0x0a,
        Real32 = 0x0b,
        Real64 = 0x0c,
        Bool = 0x0d,
        Binary = 0x0e,
        Guid = 0x0f,
        SizeT = 0x10,
        FileTime = 0x11,
        SystemTime = 0x12,
        Sid = 0x13,
        HexInt32 = 0x14,
        HexInt64 = 0x15,
        EvtHandle = 0x20,
        BinXml = 0x21,
        EvtXml = 0x23,
        ArrayFlag = 0x80,
    };

    // Appends the rendering of a value of `type` held in [p, p+size). Unknown types render as
    // upper-case hex. Never reads outside the range.
    static void render(uint8_t type, const uint8_t *p, size_t size, std::string &out);

    // Renders a FILETIME (100 ns ticks since 1601) as YYYY-MM-DDThh:mm:ss.fffffffZ.
    static void renderFileTime(uint64_t ft, std::string &out);

    static void appendHexUpper(const uint8_t *p, size_t size, std::string &out);

    // Splits an array value (type | ArrayFlag) into its items: (offset, size) relative to p.
    // Strings lose their NUL terminators.
    static void arrayItems(
        uint8_t type, const uint8_t *p, size_t size, std::vector<std::pair<uint32_t, uint32_t>> &items);

private:
    static void renderScalar(uint8_t type, const uint8_t *p, size_t size, std::string &out);
    static size_t fixedSize(uint8_t type, size_t total);
    static void renderSid(const uint8_t *p, size_t size, std::string &out, size_t *consumed);
};

} // namespace tt
