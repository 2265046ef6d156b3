#include "FuzzSupport.h"

#include "core/FileSource.h"
#include "core/FormatParser.h"
#include "core/RawEvent.h"

#include <string_view>

namespace tt::fuzz {

namespace {
uint64_t mix(uint64_t h, std::string_view s)
{
    for (unsigned char c : s)
        h = h * 131 + c;
    return h;
}
} // namespace

void DrainSink::event(RawEvent &ev)
{
    ++events;
    uint64_t h = checksum;
    h = mix(h, ev.computer);
    h = mix(h, ev.channel);
    h = mix(h, ev.provider);
    h = mix(h, ev.original);
    h = mix(h, ev.originalFormat);
    for (const auto &list : {&ev.system, &ev.fields})
        for (const Field &f : *list) {
            h = mix(h, f.name);
            h = mix(h, f.value);
        }
    checksum = h + static_cast<uint64_t>(ev.timeUs) + static_cast<uint64_t>(ev.eventId);
}

void DrainSink::reject(int64_t position, std::string_view reason)
{
    ++rejects;
    checksum = mix(checksum + static_cast<uint64_t>(position), reason);
}

void DrainSink::warning(int64_t position, std::string_view message)
{
    checksum = mix(checksum + static_cast<uint64_t>(position), message);
}

void runParser(FormatParser &parser, const uint8_t *data, size_t size)
{
    ParseContext ctx;
    ctx.mtime = 1700000000;
    ctx.defaultHost = "fuzz";
    parser.setContext(ctx);
    MemorySource src(reinterpret_cast<const char *>(data), size);
    DrainSink sink;
    parser.parse(src, sink);
}

} // namespace tt::fuzz
