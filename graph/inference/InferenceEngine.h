#pragma once

// Transfer inference over a case: turns the normalised tables into transfers (host-to-host file
// moves) with evidence links, by the rules documented in docs/inference.md. run() recomputes all
// transfers in one transaction; the same case always yields the same rows in the same order.

#include "inference/InferenceConfig.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace tt::store {
class CaseStore;
}

namespace tt::inference {

class InferenceEngine {
public:
    struct Result {
        int64_t events = 0; // events in the case
        size_t candidates = 0; // claims made by the rules before the merge
        size_t transfers = 0; // transfers written
        size_t accountLinks = 0; // account spellings linked to another
        std::map<std::string, size_t> candidatesByRule;
        std::map<std::string, size_t> transfersByRule; // transfers a rule contributed to
        std::map<std::string, size_t> transfersByMethod;
        std::map<std::string, size_t> transfersByLabel; // high / medium / low
        double seconds = 0;
        double loadSeconds = 0; // reading the case into memory
        size_t processCachePeakBytes = 0; // most bytes of process rows held at once
        size_t processHostLoads = 0; // hosts' processes read from the store
        // The same for file events, logons, SMB / RDP connections and share accesses (HostRows;
        // the peak sums each kind's).
        size_t rowCachePeakBytes = 0;
        size_t rowHostLoads = 0;
        // runAfterImport(): whether only the scope of the new events was recomputed, else why not;
        // the hosts read, the transfers removed and written by an incremental run.
        bool incremental = false;
        std::string fullReason;
        size_t scopeHosts = 0;
        size_t transfersRemoved = 0, transfersWritten = 0;
    };

    explicit InferenceEngine(store::CaseStore &cs, InferenceConfig config = {})
        : m_cs(cs)
        , m_config(config)
    {
    }
    // Thrown by run() when the cancel flag was set: the transaction is rolled back, the case keeps
    // its previous transfers and its "inference pending" mark (store/InferenceState.h).
    struct Cancelled : std::runtime_error {
        Cancelled()
            : std::runtime_error("inference cancelled")
        {
        }
    };
    // Checked between the steps of run() and, through the store, inside its queries.
    void setCancelFlag(const std::atomic<bool> *flag) { m_cancel = flag; }

    // Throws the store's errors (std::runtime_error), std::runtime_error when the case predates the transfer tables, or
    // Cancelled. A committed run marks the case's inference done.
    Result run();
    // After an import (issue 12): recomputes only what the events added since the last committed
    // run can change (their hosts and the hosts they reached, within the rules' longest window
    // around their time span) and replaces exactly those transfers, leaving the case as run()
    // would; falls back to run() (Result::fullReason says why) when the case was never inferred
    // by this build, the scope is most of the case, or the new events change something
    // case-wide (account links, network sensor logs, events without a host).
    Result runAfterImport();

    // How far (microseconds) the rules correlate rows around a transfer's first time: the
    // longest window, clock skew and address tolerance, with an hour of margin.
    static int64_t reach(const InferenceConfig &cfg);

private:
    Result runSteps(bool incremental);
    Result guarded(bool incremental);
    void checkCancelled() const;
    store::CaseStore &m_cs;
    InferenceConfig m_config;
    const std::atomic<bool> *m_cancel = nullptr;
};

} // namespace tt::inference
