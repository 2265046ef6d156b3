// The libFuzzer entry point of one target, selected at compile time (TT_FUZZ_ENTRY, see
// tests/fuzz.cmake): the same file is compiled once per fuzz executable.
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return tt::fuzz::TT_FUZZ_ENTRY(data, size);
}
