#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "evtx/EvtxParser.h"

// A whole .evtx file: file header, chunk walk, records. Single-threaded so that a crash points
// at the input, not at a worker.
int tt::fuzz::evtx(const uint8_t *data, size_t size)
{
    EvtxParser parser;
    parser.setThreaded(false);
    runParser(parser, data, size);
    return 0;
}
