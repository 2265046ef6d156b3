#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "timeline/TimelineParser.h"

int tt::fuzz::hayabusa_jsonl(const uint8_t *data, size_t size)
{
    TimelineParser parser(TimelineParser::Kind::HayabusaJsonl);
    runParser(parser, data, size);
    return 0;
}
