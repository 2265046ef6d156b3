#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "macos/MacLogParsers.h"

int tt::fuzz::eslogger(const uint8_t *data, size_t size)
{
    EsloggerParser parser;
    runParser(parser, data, size);
    return 0;
}
