#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "linux/AuditParser.h"

int tt::fuzz::audit(const uint8_t *data, size_t size)
{
    AuditParser parser;
    runParser(parser, data, size);
    return 0;
}
