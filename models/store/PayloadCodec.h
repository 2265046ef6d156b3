#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tt::store {

// Event payloads larger than kMinCompressed are stored zstd-compressed (a 1 MB command line
// stays a few KB); typical ~1 KB records stay raw because compressing them one by one costs more
// time than the bytes it saves. Readers call decode() for the details pane, exports, searches.
class PayloadCodec {
public:
    enum Codec : int { Raw = 0, Zstd = 1 };

    PayloadCodec();
    ~PayloadCodec();
    PayloadCodec(const PayloadCodec &) = delete;
    PayloadCodec &operator=(const PayloadCodec &) = delete;

    // Compresses into an internal buffer valid until the next call; returns the codec used
    // (small payloads stay raw when compression does not pay).
    Codec encode(std::string_view in, std::string_view &out);
    // Decodes a stored blob; false on a corrupt blob (out then holds an error text).
    bool decode(int codec, std::string_view blob, std::string &out);

    static constexpr int kLevel = 1;
    static constexpr size_t kMinCompressed = 4096;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace tt::store
