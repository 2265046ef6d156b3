#pragma once

#include "core/ByteSource.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct archive;

namespace tt {

// Reads the members of a zip / tar / 7z archive or a single gzip / bzip2 / xz / zstd stream
// with libarchive, in place: nothing is extracted to disk, members stream through entryData().
class ArchiveReader {
public:
    ArchiveReader();
    ~ArchiveReader();
    ArchiveReader(const ArchiveReader &) = delete;
    ArchiveReader &operator=(const ArchiveReader &) = delete;

    // Over a stream (nested archives). The source must outlive the reader.
    bool open(ByteSource &src);
    // Over a file on disk: seekable, so zips are read through their central directory.
    bool openFile(const std::string &path);

    struct Entry {
        std::string name; // path inside the archive ("data" for a bare compressed stream)
        int64_t size = -1; // uncompressed size when the archive says
        int64_t mtime = -1;
        bool rawStream = false; // a compressed single stream, not an archive member
    };
    // Advances to the next regular-file member. false at the end, or on error (error() set).
    bool next(Entry &entry);
    // The current member's bytes; valid until next().
    ByteSource &entryData();
    std::string error() const { return m_error; }
    // What libarchive read the content as ("POSIX ustar format", "ZIP 2.0 (deflation)", "raw"),
    // empty before the first header was read.
    std::string contentFormat() const;
    // Compressed bytes consumed so far (progress).
    int64_t compressedBytes() const;

private:
    class EntrySource;
    static long long readCallback(struct archive *, void *client, const void **buf);
    bool setup();

    struct archive *m_a = nullptr;
    ByteSource *m_src = nullptr;
    std::vector<char> m_buf;
    std::unique_ptr<EntrySource> m_entry;
    std::string m_error;
    bool m_isRaw = false;
};

} // namespace tt
