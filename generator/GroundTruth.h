#pragma once

// Writes ground_truth.json: a list with one object for the recording, in the schema of the
// corpus' ground_truth.json (hosts, transfers with evidence, other_transfers, fp_traps,
// host_ip_map, counts_by_host, counts_by_channel_eventid, time_range_utc ...). Evidence is given
// both as corpus-style strings and as structured refs (file, line, record).

#include "Options.h"
#include "PlatformHost.h"
#include "RecordWriter.h"
#include "Transfer.h"

#include <QString>

#include <map>
#include <string>
#include <vector>

namespace tt::gen {

struct HostResult {
    std::string file;
    std::vector<std::string> moreFiles; // a Linux host's auth.log beside its audit.log; the sensor's logs
    int64_t count = 0;
    int64_t firstUs = 0, lastUs = 0;
    std::map<std::pair<int, int>, int64_t> counts;
    std::vector<EvidenceRef> evidence;
    std::vector<EvidenceRef> trapSamples;
    int64_t trapCounts[static_cast<int>(Trap::Count)] = {};
    std::string error;
};

class GroundTruth {
public:
    GroundTruth(const Topology &topo, const Options &options)
        : m_topo(topo)
        , m_options(options)
    {
    }
    // Returns an error message, empty on success.
    QString write(const QString &path, const std::vector<Transfer> &transfers, const std::vector<std::string> &notes,
        const std::vector<HostResult> &hosts, const HostResult *sensor = nullptr,
        const std::vector<PlatformHost> *platform = nullptr) const;

private:
    const Topology &m_topo;
    const Options &m_options;
};

} // namespace tt::gen
