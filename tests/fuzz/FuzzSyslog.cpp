#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "linux/SyslogAuthParser.h"

int tt::fuzz::syslog(const uint8_t *data, size_t size)
{
    SyslogAuthParser parser;
    runParser(parser, data, size);
    return 0;
}
