#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "json/JsonLinesParser.h"

int tt::fuzz::jsonl(const uint8_t *data, size_t size)
{
    JsonLinesParser parser;
    // Small blocks and a small line limit: lines straddle refills and overlong lines are reached
    // with small inputs (the 4 MiB default block would also cost a page-fault storm per input).
    parser.setBlockSize(4096);
    parser.setMaxLineBytes(8192);
    runParser(parser, data, size);
    return 0;
}
