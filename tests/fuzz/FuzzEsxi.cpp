#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "esxi/EsxiLogParser.h"

int tt::fuzz::esxi(const uint8_t *data, size_t size)
{
    EsxiLogParser parser;
    runParser(parser, data, size);
    return 0;
}
