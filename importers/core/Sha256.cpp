#include "core/Sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace tt {

struct Sha256::Impl {
    EVP_MD_CTX *ctx = nullptr;
};

Sha256::Sha256()
    : m_d(std::make_unique<Impl>())
{
    m_d->ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(m_d->ctx, EVP_sha256(), nullptr);
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_d->ctx);
}

void Sha256::update(const void *data, size_t n)
{
    if (n)
        EVP_DigestUpdate(m_d->ctx, data, n);
}

std::string Sha256::hexDigest()
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_d->ctx, md, &len);
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(kHex[md[i] >> 4]);
        out.push_back(kHex[md[i] & 15]);
    }
    return out;
}

std::string Sha256::ofFile(const std::string &path, std::string *error)
{
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) {
        if (error)
            *error = std::strerror(errno);
        return {};
    }
    Sha256 h;
    std::vector<char> buf(1 << 20);
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0)
        h.update(buf.data(), n);
    const bool bad = std::ferror(f);
    std::fclose(f);
    if (bad) {
        if (error)
            *error = "read error";
        return {};
    }
    return h.hexDigest();
}

} // namespace tt
