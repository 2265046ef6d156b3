#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "core/ArchiveReader.h"
#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/StreamAdapters.h"

#include <vector>

namespace {

// Bounds per input, so that a compression bomb costs the fuzzer time, not memory.
constexpr int kMaxDepth = 3;
constexpr long long kMaxBytes = 8 << 20;

// Reads every member as the import engine does: detect, and descend into nested containers.
void readArchive(tt::ByteSource &src, int depth, long long &budget)
{
    tt::ArchiveReader archive;
    if (!archive.open(src))
        return;
    tt::ArchiveReader::Entry entry;
    std::vector<char> buf(64 * 1024);
    while (budget > 0 && archive.next(entry)) {
        tt::PeekSource peek(archive.entryData(), 64 * 1024);
        if (peek.headError())
            continue;
        const tt::Format f = tt::detectFormat(peek.head().data(), peek.head().size());
        if (tt::isContainer(f) && depth + 1 < kMaxDepth) {
            readArchive(peek, depth + 1, budget);
            continue;
        }
        long long r;
        while (budget > 0 && (r = peek.read(buf.data(), buf.size())) > 0)
            budget -= r;
    }
    (void)archive.error();
}

} // namespace

// The archive reader (zip / tar / 7z and gzip / bzip2 / xz / zstd streams, nested) over a
// stream in memory, the way nested members are read.
int tt::fuzz::archive(const uint8_t *data, size_t size)
{
    MemorySource src(reinterpret_cast<const char *>(data), size);
    long long budget = kMaxBytes;
    readArchive(src, 0, budget);
    return 0;
}
