#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "xml/WinXmlParser.h"

int tt::fuzz::winxml(const uint8_t *data, size_t size)
{
    WinXmlParser parser;
    runParser(parser, data, size);
    return 0;
}
