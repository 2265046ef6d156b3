#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "json/JsonLinesParser.h"

int tt::fuzz::jsonl(const uint8_t *data, size_t size)
{
    JsonLinesParser parser;
    runParser(parser, data, size);
    return 0;
}
