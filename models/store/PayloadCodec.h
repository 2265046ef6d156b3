#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tt::store {

// How schema 5 and older stored each event's payload in its own row: larger than kMinCompressed
// zstd-compressed, otherwise raw. Schema 6 keeps payloads in blocks (store/RecordBlocks.h, read
// through store/RecordReader); decode() is left for the migration that moves old payloads there.
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
