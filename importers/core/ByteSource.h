#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tt {

// A forward-only stream of bytes: a plain file, a gzip member, a zip/tar entry.
// Parsers read through this so that memory stays bounded whatever the input size.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to n bytes into buf. Returns the count read, 0 at end of stream, -1 on error
    // (error() then says why). Short reads are allowed before the end.
    virtual long long read(char *buf, size_t n) = 0;
    virtual std::string error() const { return {}; }
    // Total size when known (plain files), else -1. Used for progress only.
    virtual long long sizeHint() const { return -1; }

    // Reads exactly n bytes unless the stream ends first; returns the count read (or -1).
    long long readFully(char *buf, size_t n)
    {
        size_t got = 0;
        while (got < n) {
            long long r = read(buf + got, n - got);
            if (r < 0)
                return -1;
            if (r == 0)
                break;
            got += static_cast<size_t>(r);
        }
        return static_cast<long long>(got);
    }
};

} // namespace tt
