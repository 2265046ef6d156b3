#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "timeline/TimelineParser.h"

int tt::fuzz::evtxecmd_json(const uint8_t *data, size_t size)
{
    TimelineParser parser(TimelineParser::Kind::EvtxECmdJson);
    parser.setBlockSize(4096); // records straddle refills
    runParser(parser, data, size);
    return 0;
}
