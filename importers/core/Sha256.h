#pragma once

#include <memory>
#include <string>

namespace tt {

// Incremental SHA-256 (OpenSSL EVP), hex digest.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;
    void update(const void *data, size_t n);
    std::string hexDigest(); // finalises; call once
    static std::string ofFile(const std::string &path, std::string *error = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace tt
