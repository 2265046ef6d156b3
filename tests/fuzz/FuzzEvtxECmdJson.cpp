#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "timeline/TimelineParser.h"

int tt::fuzz::evtxecmd_json(const uint8_t *data, size_t size)
{
    TimelineParser parser(TimelineParser::Kind::EvtxECmdJson);
    runParser(parser, data, size);
    return 0;
}
