#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "timeline/TimelineParser.h"

int tt::fuzz::hayabusa_csv(const uint8_t *data, size_t size)
{
    TimelineParser parser(TimelineParser::Kind::HayabusaCsv);
    parser.setBlockSize(4096); // records straddle refills
    runParser(parser, data, size);
    return 0;
}
