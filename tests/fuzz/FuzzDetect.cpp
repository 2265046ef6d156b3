#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/StreamAdapters.h"

#include <cstring>
#include <vector>

// The format detector on the head of a stream, as the import engine calls it (through a
// PeekSource, whose replay of the head must give back exactly the input).
int tt::fuzz::detect(const uint8_t *data, size_t size)
{
    MemorySource src(reinterpret_cast<const char *>(data), size);
    PeekSource peek(src, 64 * 1024);
    const Format f = detectFormat(peek.head().data(), peek.head().size());
    (void)formatName(f);
    (void)isContainer(f);
    std::vector<char> back(size + 1);
    const long long got = peek.readFully(back.data(), back.size());
    if (got != static_cast<long long>(size) || (size && std::memcmp(back.data(), data, size) != 0))
        __builtin_trap(); // the peeked head was not replayed
    return 0;
}
