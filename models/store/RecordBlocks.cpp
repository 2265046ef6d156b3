#include "store/RecordBlocks.h"

namespace tt::store::blocks {

namespace {
void putU32(std::string &out, uint32_t v)
{
    const char b[4] = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
        static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 24) & 0xff)};
    out.append(b, 4);
}
uint32_t getU32(std::string_view s, size_t at)
{
    const auto *p = reinterpret_cast<const unsigned char *>(s.data() + at);
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
} // namespace

void pack(const std::vector<std::string_view> &records, std::string &out)
{
    putU32(out, static_cast<uint32_t>(records.size()));
    uint32_t end = 0;
    for (std::string_view r : records) {
        end += static_cast<uint32_t>(r.size());
        putU32(out, end);
    }
    for (std::string_view r : records)
        out.append(r);
}

bool unpack(std::string_view raw, std::vector<std::string_view> &records, std::string &error)
{
    records.clear();
    if (raw.size() < 4) {
        error = "block header truncated";
        return false;
    }
    const uint32_t n = getU32(raw, 0);
    if (n == 0 || n > kMaxRecords || raw.size() < 4 + size_t(n) * 4) {
        error = "block header names " + std::to_string(n) + " records";
        return false;
    }
    const size_t base = 4 + size_t(n) * 4;
    const std::string_view data = raw.substr(base);
    uint32_t begin = 0;
    records.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
        const uint32_t end = getU32(raw, 4 + size_t(i) * 4);
        if (end < begin || end > data.size()) {
            error = "block offsets out of range at record " + std::to_string(i);
            records.clear();
            return false;
        }
        records.push_back(data.substr(begin, end - begin));
        begin = end;
    }
    if (begin != data.size()) {
        error = "block holds " + std::to_string(data.size() - begin) + " bytes after its last record";
        records.clear();
        return false;
    }
    return true;
}

} // namespace tt::store::blocks
