#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "linux/SyslogAuthParser.h"

int tt::fuzz::journald(const uint8_t *data, size_t size)
{
    JournaldJsonParser parser;
    runParser(parser, data, size);
    return 0;
}
