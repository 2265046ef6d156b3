#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "macos/MacLogParsers.h"

int tt::fuzz::unifiedlog(const uint8_t *data, size_t size)
{
    UnifiedLogParser parser;
    runParser(parser, data, size);
    return 0;
}
