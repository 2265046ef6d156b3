#pragma once

#include <cstdint>
#include <string_view>

namespace tt {

struct RawEvent;

// Where a parser delivers what it reads. Implemented by the import engine (and by tests).
class RecordSink {
public:
    virtual ~RecordSink() = default;
    // A good record. The sink may take ev's contents (the pipeline swaps it with an event it has
    // finished with), so after this returns ev holds arbitrary data: the parser resets every
    // member it fills before reusing ev (clearing strings and vectors keeps their capacity).
    virtual void event(RawEvent &ev) = 0;
    // A record the parser could not read. position: 1-based record number or line number
    // (0 when the damage is not tied to a record, e.g. a bad file header); reason: short text.
    virtual void reject(int64_t position, std::string_view reason) = 0;
    // A problem worth reporting that lost no record (e.g. a chunk checksum mismatch whose
    // records still parsed).
    virtual void warning(int64_t position, std::string_view message)
    {
        (void)position;
        (void)message;
    }
    // Polled in hot loops; when true the parser stops promptly and returns.
    virtual bool cancelled() const { return false; }
    // Bytes of the input consumed so far (for progress).
    virtual void progress(uint64_t bytesConsumed) { (void)bytesConsumed; }
};

} // namespace tt
