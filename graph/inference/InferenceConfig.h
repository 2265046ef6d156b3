#pragma once

#include <cstddef>
#include <cstdint>

namespace tt::inference {

// Correlation windows, in microseconds. Documented with the rules in docs/inference.md.
struct InferenceConfig {
    static constexpr int64_t kSec = 1000000;
    int64_t skew = 10 * kSec; // clock difference tolerated between two hosts
    int64_t sameHostSlack = 3 * kSec; // Security vs Sysmon time of one action on one host
    int64_t smbLookback = 5 * 60 * kSec; // an SMB session may start this long before its write
    int64_t commandToWrite = 120 * kSec; // a copy command to the write it causes
    int64_t serviceWindow = 10 * 60 * kSec; // a binary drop to the service install naming it
    int64_t execWindow = 24 * 3600 * kSec; // a transfer to the first run of the file
    int64_t rdpLookback = 24 * 3600 * kSec; // an RDP session may be this old when its drive is used
    int64_t sessionGap = 60 * kSec; // 5145 writes of one file in one session closer than this are one write
    // A file written into a synced folder to the sync client creating it on another host: the
    // vendors document no upper bound (a client syncs when its machine is on and signed in), so a
    // working day plus a night covers a laptop opened the next morning.
    int64_t cloudSyncWindow = 24 * 3600 * kSec;
    // Processes are read one host at a time; hosts beyond the one being read stay cached up to
    // this many bytes (issue 12: bounded memory). 0 keeps only what a rule is reading.
    size_t processCacheBytes = size_t(64) << 20;
    // The process markers of every host from one scan before the rules (ProcessRows::primeMarks),
    // so rules that need only marked processes never read the other hosts. Off: a host's marks
    // are known once a rule has read it (the same transfers; tst_inference_window compares both).
    bool primeProcessMarks = true;
    // The same for file events, logons, SMB / RDP connections and share accesses, per kind, and
    // for SmbSessions' session starts.
    size_t rowCacheBytes = size_t(16) << 20;
    // InferenceEngine::runAfterImport recomputes the whole case when the hosts it would read are
    // more than this share of the hosts with events (a scoped run would cost as much).
    double incrementalHostShare = 0.5;
};

} // namespace tt::inference
