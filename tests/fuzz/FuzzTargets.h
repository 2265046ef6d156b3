#pragma once

#include <cstddef>
#include <cstdint>

// One libFuzzer entry point per parser / reader (issue 15). Each lives in its own .cpp so that a
// fuzz executable links only the code its target reaches; the regression test links them all.
// Every target takes arbitrary bytes, must never crash, leak or read out of bounds, and returns 0.
#define TT_FUZZ_TARGETS(X)                                                                                             \
    X(evtx)                                                                                                            \
    X(evtx_chunk)                                                                                                      \
    X(binxml)                                                                                                          \
    X(winxml)                                                                                                          \
    X(jsonl)                                                                                                           \
    X(zeek)                                                                                                            \
    X(audit)                                                                                                           \
    X(syslog)                                                                                                          \
    X(journald)                                                                                                        \
    X(esxi)                                                                                                            \
    X(eslogger)                                                                                                        \
    X(unifiedlog)                                                                                                      \
    X(evtxecmd_csv)                                                                                                    \
    X(evtxecmd_json)                                                                                                   \
    X(hayabusa_csv)                                                                                                    \
    X(hayabusa_jsonl)                                                                                                  \
    X(archive)                                                                                                         \
    X(detect)                                                                                                          \
    X(case_open)

namespace tt::fuzz {

#define TT_FUZZ_DECLARE(name) int name(const uint8_t *data, size_t size);
TT_FUZZ_TARGETS(TT_FUZZ_DECLARE)
#undef TT_FUZZ_DECLARE

} // namespace tt::fuzz
