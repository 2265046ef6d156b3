#pragma once

#include "store/NetworkWriter.h"

#include <cstdint>
#include <string>

namespace tt {

struct RawEvent;
namespace store {
class CaseWriter;
}

// Zeek records (channel "zeek:<log>") into the network tables of schema v3 (net_flows, net_files,
// net_auth, net_activity): addresses of both ends, never a host of their own (a sensor is not a
// host, events.host_id stays NULL). DNS answers with private addresses and NTLM workstation names
// are address evidence for the named host (host_addresses, how 'zeek-dns' / 'zeek-ntlm').
class ZeekNormalizer {
public:
    explicit ZeekNormalizer(store::CaseWriter &writer);
    void store(const RawEvent &ev, int64_t eventRow);

private:
    void flow(const RawEvent &ev, int64_t eventRow, int64_t ts);
    void file(const RawEvent &ev, int64_t eventRow, int64_t ts, const std::string &log);
    void auth(const RawEvent &ev, int64_t eventRow, int64_t ts, const std::string &log);
    void activity(const RawEvent &ev, int64_t eventRow, int64_t ts, const std::string &log);

    store::CaseWriter &m_w;
    store::NetworkWriter m_net;
};

} // namespace tt
