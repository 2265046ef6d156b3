#pragma once

#include "core/ByteSource.h"

#include <atomic>
#include <cstdio>
#include <string>
#include <string_view>

namespace tt {

// A plain file read sequentially with a large buffer (no mmap: resident memory stays bounded).
// A FIFO (named pipe) is read too, without ever blocking uninterruptibly: it is opened
// non-blocking (opening a FIFO that has no writer would wait for one), then read as data comes,
// waiting in poll() rounds that check `cancel`; a set cancel flag ends the read with an error.
class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::string &path, const std::atomic<bool> *cancel = nullptr);
    ~FileSource() override;
    FileSource(const FileSource &) = delete;
    FileSource &operator=(const FileSource &) = delete;

    bool isOpen() const { return m_file != nullptr || m_fifo >= 0; }
    long long read(char *buf, size_t n) override;
    std::string error() const override { return m_error; }
    long long sizeHint() const override { return m_size; }

private:
    long long readFifo(char *buf, size_t n);
    std::FILE *m_file = nullptr;
    int m_fifo = -1; // a FIFO's descriptor (m_file is null then)
    const std::atomic<bool> *m_cancel = nullptr;
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
