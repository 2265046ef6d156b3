#include "inference/InferenceEngine.h"

#include "inference/AccountResolver.h"
#include "inference/AirDropRule.h"
#include "inference/BitsJobRule.h"
#include "inference/CaseSnapshot.h"
#include "inference/CloudSyncRule.h"
#include "inference/ConfidenceModel.h"
#include "inference/DeploymentToolRule.h"
#include "inference/EsxiTransferRule.h"
#include "inference/ExecutionRule.h"
#include "inference/HostResolver.h"
#include "inference/NetworkTransferRule.h"
#include "inference/OutputReadRule.h"
#include "inference/PsRemotingCopyRule.h"
#include "inference/RdpRedirectionRule.h"
#include "inference/RuleContext.h"
#include "inference/ScheduledTaskRule.h"
#include "inference/ServiceBinaryRule.h"
#include "inference/ServiceDropRule.h"
#include "inference/SmbMountRule.h"
#include "inference/SmbReadRule.h"
#include "inference/SmbSessions.h"
#include "inference/SmbShareWriteRule.h"
#include "inference/SourceCommandRule.h"
#include "inference/SshTransferRule.h"
#include "inference/SystemWriteRule.h"
#include "inference/TransferMerger.h"
#include "inference/TransferWriter.h"
#include "inference/WinrmWriteRule.h"
#include "store/EntityRepository.h"
#include "store/InferenceRepository.h"
#include "store/NetworkEvidenceRepository.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <stdexcept>

namespace tt::inference {

void InferenceEngine::checkCancelled() const
{
    if (m_cancel && m_cancel->load())
        throw Cancelled();
}

InferenceEngine::Result InferenceEngine::run()
{
    if (!m_cancel)
        return runSteps();
    const store::InferenceRepository::Interrupter interrupter(m_cs, m_cancel);
    try {
        return runSteps();
    } catch (const Cancelled &) {
        throw;
    } catch (const std::runtime_error &) {
        checkCancelled(); // an interrupted query: say so
        throw;
    }
}

InferenceEngine::Result InferenceEngine::runSteps()
{
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    Result r;
    store::InferenceRepository repo(m_cs);
    store::EntityRepository entities(m_cs);
    store::NetworkEvidenceRepository network(m_cs);
    if (!repo.hasTransferTables())
        throw std::runtime_error("this case has no transfer tables (made by an older development build); "
                                 "import its sources into a new case");
    checkCancelled();
    const store::InferenceRepository::PageCacheLimit cacheLimit(m_cs, 16 * 1024);
    store::InferenceRepository::RunTransaction tx(m_cs);
    r.events = repo.eventCount();

    CaseSnapshot snap;
    snap.load(repo, store::InferenceScope {}, m_config.processCacheBytes);
    snap.processes.setMarker(ProcessRows::kMayMoveFiles, &SourceCommandRule::mayMatch);
    snap.processes.setMarker(ProcessRows::kSshServer, &SshTransferRule::mayBeServer);
    snap.processes.setMarker(ProcessRows::kEsxiShell, [](const ProcessInfo &p) { return p.esxiShell; });
    HostResolver hosts(entities);
    hosts.load(snap);
    AccountResolver accounts(entities);
    accounts.load();
    SmbSessions smb;
    smb.build(snap, hosts);
    r.loadSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.accountLinks = accounts.linkCount();
    checkCancelled();

    RuleContext ctx {repo, network, entities, snap, hosts, accounts, smb, m_config};
    // Order matters only for refine(): execution links the running process before the service
    // rule looks at who started it.
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(std::make_unique<SmbShareWriteRule>());
    rules.push_back(std::make_unique<SystemWriteRule>());
    rules.push_back(std::make_unique<ServiceDropRule>());
    rules.push_back(std::make_unique<SourceCommandRule>());
    rules.push_back(std::make_unique<SshTransferRule>());
    rules.push_back(std::make_unique<EsxiTransferRule>());
    rules.push_back(std::make_unique<RdpRedirectionRule>());
    rules.push_back(std::make_unique<NetworkTransferRule>());
    rules.push_back(std::make_unique<OutputReadRule>());
    rules.push_back(std::make_unique<SmbReadRule>());
    rules.push_back(std::make_unique<BitsJobRule>());
    rules.push_back(std::make_unique<WinrmWriteRule>());
    rules.push_back(std::make_unique<PsRemotingCopyRule>());
    rules.push_back(std::make_unique<SmbMountRule>());
    rules.push_back(std::make_unique<AirDropRule>());
    rules.push_back(std::make_unique<CloudSyncRule>());
    rules.push_back(std::make_unique<ExecutionRule>());
    rules.push_back(std::make_unique<ServiceBinaryRule>());
    rules.push_back(std::make_unique<ScheduledTaskRule>());
    rules.push_back(std::make_unique<DeploymentToolRule>()); // last: sees the service and the run

    std::vector<Candidate> candidates;
    for (const auto &rule : rules) {
        const size_t before = candidates.size();
        rule->collect(ctx, candidates);
        snap.processes.trim();
        checkCancelled();
        r.candidatesByRule[rule->name()] = candidates.size() - before;
    }
    r.candidates = candidates.size();
    std::vector<Candidate> transfers = TransferMerger(snap, hosts, m_config).merge(std::move(candidates));
    snap.processes.trim();
    for (const auto &rule : rules) {
        rule->refine(ctx, transfers);
        snap.processes.trim();
    }
    checkCancelled();

    // Not transfers after all: a source that is the destination itself, or a System write that
    // nothing tied to another machine or to a service.
    std::vector<Candidate> kept;
    kept.reserve(transfers.size());
    for (Candidate &t : transfers) {
        if (t.srcHost && t.srcHost == t.dstHost)
            continue;
        if (t.needsCorroboration && !t.corroborated)
            continue;
        std::sort(t.evidence.begin(), t.evidence.end());
        t.evidence.erase(std::unique(t.evidence.begin(), t.evidence.end()), t.evidence.end());
        kept.push_back(std::move(t));
    }
    std::vector<double> scores;
    scores.reserve(kept.size());
    for (const Candidate &t : kept) {
        scores.push_back(ConfidenceModel::score(t));
        for (const std::string &rule : t.rules)
            ++r.transfersByRule[rule];
        ++r.transfersByMethod[methodName(t.method)];
        ++r.transfersByLabel[ConfidenceModel::label(scores.back())];
    }
    TransferWriter(m_cs).replaceAll(kept, scores);
    // Host entities this run (or an earlier one) created for a source known only by an address
    // or a name in a path, which no transfer uses in the end (e.g. resolved to a named host):
    // they have no events and no address evidence, and would show up as empty hosts.
    repo.removeUnusedHosts();
    repo.markDone();
    checkCancelled();
    tx.commit();
    r.transfers = kept.size();
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.processCachePeakBytes = snap.processes.peakBytes();
    r.processHostLoads = snap.processes.hostLoads();
    spdlog::debug("inference: {} events, {} candidates, {} transfers in {:.3f} s", r.events, r.candidates, r.transfers,
        r.seconds);
    return r;
}

} // namespace tt::inference
