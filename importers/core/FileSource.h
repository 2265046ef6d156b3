#pragma once

#include "core/ByteSource.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace tt {

// A plain file read sequentially with a large buffer (no mmap: resident memory stays bounded).
class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::string &path);
    ~FileSource() override;
    FileSource(const FileSource &) = delete;
    FileSource &operator=(const FileSource &) = delete;

    bool isOpen() const { return m_file != nullptr; }
    long long read(char *buf, size_t n) override;
    std::string error() const override { return m_error; }
    long long sizeHint() const override { return m_size; }

private:
    std::FILE *m_file = nullptr;
    long long m_size = -1;
    std::string m_error;
};

// Bytes already in memory (tests, small decompressed members). Does not own the data.
class MemorySource final : public ByteSource {
public:
    MemorySource(const char *data, size_t size)
        : m_data(data)
        , m_size(size)
    {
    }
    explicit MemorySource(std::string_view s)
        : m_data(s.data())
        , m_size(s.size())
    {
    }
    long long read(char *buf, size_t n) override;
    long long sizeHint() const override { return static_cast<long long>(m_size); }

private:
    const char *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

} // namespace tt
