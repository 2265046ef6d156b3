#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "xml/WinXmlParser.h"

int tt::fuzz::winxml(const uint8_t *data, size_t size)
{
    WinXmlParser parser;
    // Small blocks and record limit: records straddle refills; overlong records are reachable.
    parser.setBlockSize(4096);
    parser.setMaxRecordBytes(8192);
    runParser(parser, data, size);
    return 0;
}
