#pragma once

// Folds candidates into transfers: evidence from both ends of one copy (destination 5145 and
// Sysmon 11, source command and connection) becomes one transfer when destination and file agree,
// the sources do not contradict each other, the sessions do not differ and the time windows meet
// (across hosts widened by the tolerated clock skew). Deterministic: candidates are ordered first.

#include "inference/Candidate.h"

#include <vector>

namespace tt::inference {

class CaseSnapshot;
class HostResolver;
struct InferenceConfig;

class TransferMerger {
public:
    TransferMerger(const CaseSnapshot &snap, const HostResolver &hosts, const InferenceConfig &cfg)
        : m_snap(snap)
        , m_hosts(hosts)
        , m_cfg(cfg)
    {
    }
    std::vector<Candidate> merge(std::vector<Candidate> candidates) const;

private:
    bool compatible(const Candidate &t, const Candidate &c) const;
    void absorb(Candidate &t, Candidate &&c) const;

    const CaseSnapshot &m_snap;
    const HostResolver &m_hosts;
    const InferenceConfig &m_cfg;
};

} // namespace tt::inference
