#pragma once

#include "core/FormatParser.h"

#include <cstdint>

namespace tt {

// Native streaming parser of Windows XML event logs (.evtx, binary). Reads the 4 KiB file header
// and then 64 KiB chunks sequentially (memory bounded); trusts no header count; recovers every
// record the chunks hold. A worker thread parses chunk N+1 while the calling thread delivers
// chunk N; delivery stays in file order on the calling thread.
class EvtxParser final : public FormatParser {
public:
    std::string_view name() const override { return "evtx"; }
    std::string_view version() const override { return "tt-evtx 1"; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    // Parse on the calling thread only (small files; tests, benchmarks of the single-thread path).
    void setThreaded(bool on) override { m_threaded = on; }

    static constexpr size_t kFileHeaderSize = 4096;

private:
    bool m_threaded = true;
};

} // namespace tt
