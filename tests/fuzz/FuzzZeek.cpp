#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "zeek/ZeekParser.h"

int tt::fuzz::zeek(const uint8_t *data, size_t size)
{
    ZeekParser parser;
    runParser(parser, data, size);
    return 0;
}
