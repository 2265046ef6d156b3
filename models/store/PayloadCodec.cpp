#include "store/PayloadCodec.h"

#include <zstd.h>

#include <vector>

namespace tt::store {

struct PayloadCodec::Impl {
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    std::vector<char> buf;
    ~Impl()
    {
        ZSTD_freeCCtx(cctx);
        ZSTD_freeDCtx(dctx);
    }
};

PayloadCodec::PayloadCodec()
    : m_d(std::make_unique<Impl>())
{
}
PayloadCodec::~PayloadCodec() = default;

PayloadCodec::Codec PayloadCodec::encode(std::string_view in, std::string_view &out)
{
    // Per-record compression of ~1 KB event lines costs ~10 us and saves under half: only large
    // payloads (long command lines, scripts) are compressed.
    if (in.size() < kMinCompressed) {
        out = in;
        return Raw;
    }
    const size_t bound = ZSTD_compressBound(in.size());
    if (m_d->buf.size() < bound)
        m_d->buf.resize(bound);
    const size_t n = ZSTD_compressCCtx(m_d->cctx, m_d->buf.data(), bound, in.data(), in.size(), kLevel);
    if (ZSTD_isError(n) || n >= in.size()) {
        out = in;
        return Raw;
    }
    out = std::string_view(m_d->buf.data(), n);
    return Zstd;
}

bool PayloadCodec::decode(int codec, std::string_view blob, std::string &out)
{
    if (codec == Raw) {
        out.assign(blob);
        return true;
    }
    if (codec != Zstd) {
        out = "unknown payload codec " + std::to_string(codec);
        return false;
    }
    const unsigned long long size = ZSTD_getFrameContentSize(blob.data(), blob.size());
    // A hostile case file could claim any size: records are bounded by the import limits.
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > 256ULL * 1024 * 1024) {
        out = "corrupt payload";
        return false;
    }
    out.resize(size);
    const size_t n = ZSTD_decompressDCtx(m_d->dctx, out.data(), out.size(), blob.data(), blob.size());
    if (ZSTD_isError(n) || n != size) {
        out = std::string("corrupt payload: ") + (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch");
        return false;
    }
    return true;
}

} // namespace tt::store
