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
#include "inference/RemoteImageRule.h"
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
#include "store/HostName.h"
#include "store/InferenceRepository.h"
#include "store/NetworkEvidenceRepository.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace tt::inference {

void InferenceEngine::checkCancelled() const
{
    if (m_cancel && m_cancel->load())
        throw Cancelled();
}

InferenceEngine::Result InferenceEngine::run()
{
    return guarded(false);
}

InferenceEngine::Result InferenceEngine::runAfterImport()
{
    return guarded(true);
}

int64_t InferenceEngine::reach(const InferenceConfig &cfg)
{
    const int64_t longest = std::max({cfg.smbLookback, cfg.commandToWrite, cfg.serviceWindow, cfg.execWindow,
        cfg.rdpLookback, cfg.sessionGap, cfg.cloudSyncWindow});
    return longest + 2 * cfg.skew + cfg.sameHostSlack + HostResolver::kAddressToleranceUs
        + 3600 * InferenceConfig::kSec;
}

namespace {

// What an incremental run reads and replaces: rows of readScope (processes of its hosts at any
// time); transfers whose first time is in [fromTs, toTs] with an end in newHosts or a source
// address of theirs.
struct IncrementalPlan {
    store::InferenceScope readScope, processScope;
    std::vector<int64_t> newHosts; // sorted
    std::vector<std::string> newAddresses; // sorted, normalised
    int64_t fromTs = 0, toTs = 0;
    bool holds(const Candidate &t) const
    {
        return t.firstTs >= fromTs && t.firstTs <= toTs
            && (std::binary_search(newHosts.begin(), newHosts.end(), t.dstHost)
                || std::binary_search(newHosts.begin(), newHosts.end(), t.srcHost)
                || (!t.srcIp.empty() && std::binary_search(newAddresses.begin(), newAddresses.end(), t.srcIp)));
    }
};

// Plans an incremental run, or says why a whole run it is (the returned reason).
std::string planIncremental(store::InferenceRepository &repo, store::EntityRepository &entities,
    const InferenceConfig &cfg, IncrementalPlan &plan)
{
    if (repo.serverCase())
        return "server case";
    const store::InferenceRepository::CoveredIds covered = repo.coveredIds();
    if (covered.events < 0 || covered.accounts < 0)
        return "no earlier run of this build recorded what it covered";
    const std::vector<store::NewEventSpan> spans = repo.newEventSpans(covered.events);
    if (spans.empty())
        return "no new events";
    int64_t first = 0, last = 0;
    bool any = false;
    for (const store::NewEventSpan &sp : spans) {
        if (sp.host == 0)
            return "new events without a host";
        if (sp.firstTs == 0 && sp.lastTs == 0)
            continue; // no time: never correlated
        plan.newHosts.push_back(sp.host);
        first = any ? std::min(first, sp.firstTs) : sp.firstTs;
        last = any ? std::max(last, sp.lastTs) : sp.lastTs;
        any = true;
    }
    if (!any)
        return "no new events with a time";
    if (repo.networkRowsAfter(covered.events))
        return "new network sensor logs (read case-wide)";
    const int64_t w = InferenceEngine::reach(cfg);
    plan.fromTs = first - w;
    plan.toTs = last + w;
    std::sort(plan.newHosts.begin(), plan.newHosts.end());
    auto isNew = [&](int64_t h) { return std::binary_search(plan.newHosts.begin(), plan.newHosts.end(), h); };

    // Who holds an address, who goes by a name.
    std::unordered_map<std::string, std::vector<int64_t>> owners;
    std::set<std::string> newAddresses;
    for (const store::AddressBindingRow &b : entities.addressBindings()) {
        const std::string ip = store::normaliseIp(b.address);
        owners[ip].push_back(b.host);
        if (isNew(b.host))
            newAddresses.insert(ip);
    }
    plan.newAddresses.assign(newAddresses.begin(), newAddresses.end());
    std::unordered_map<std::string, int64_t> byName;
    auto named = [&](const std::string &raw) -> int64_t {
        if (raw.empty())
            return 0;
        auto it = byName.find(raw);
        if (it != byName.end())
            return it->second;
        const store::HostName hn = store::normaliseHostName(raw);
        const int64_t id = hn.valid && !hn.isIp ? entities.hostIdByName(hn.key) : 0;
        byName.emplace(raw, id);
        return id;
    };
    // The hosts the new ones reached, or were reached from, within the window.
    std::set<int64_t> read(plan.newHosts.begin(), plan.newHosts.end());
    // Sessions and connections around the new events only (an hour either side): a transfer of a
    // new host whose other end is not among them is found by the run itself (its other end, its
    // evidence hosts, the ends of the old transfers it replaces: read in a further round).
    const int64_t near = 3600 * InferenceConfig::kSec;
    for (const store::PeerLinkRow &l : repo.peerLinks(first - near, last + near)) {
        std::vector<int64_t> ends;
        if (!l.ip.empty()) {
            auto it = owners.find(store::normaliseIp(l.ip));
            if (it != owners.end())
                ends = it->second;
        }
        if (const int64_t n = named(l.name))
            ends.push_back(n);
        const bool fromNew = isNew(l.host);
        bool toNew = false;
        for (int64_t e : ends) {
            toNew = toNew || isNew(e);
            if (fromNew)
                read.insert(e);
        }
        if (toNew)
            read.insert(l.host);
    }
    const int64_t hostCount = repo.hostsWithEvents();
    if (cfg.incrementalHostShare < 1.0 && double(read.size()) > cfg.incrementalHostShare * double(hostCount))
        return "the new events reach most of the case's hosts";

    // Account links are case-wide: new spellings that change the identity of an account already
    // known change transfers anywhere.
    std::unordered_map<int64_t, int64_t> before;
    for (const auto &[account, canonical] : repo.accountLinks())
        before[account] = canonical;
    AccountResolver accounts(entities);
    accounts.load();
    for (int64_t id = 1; id <= covered.accounts; ++id) {
        auto it = before.find(id);
        const int64_t was = it == before.end() ? id : it->second;
        if (accounts.canonical(id) != was)
            return "the new events link accounts already in the case";
    }

    plan.readScope.hosts.assign(read.begin(), read.end());
    plan.readScope.fromTs = plan.fromTs - w;
    plan.readScope.toTs = plan.toTs + w;
    plan.processScope.hosts = plan.readScope.hosts;
    return {};
}

// Which of the run's transfers (kept, computed from the plan's scope) replace which of the case's:
// those in scope, then, until nothing changes, the old transfers sharing evidence with a new one
// and the run's transfers sharing evidence with an old one removed (a new source-side record
// merges into a transfer that had only its destination's evidence, and the other way round).
// missing: hosts of those transfers (ends, evidence) the run did not read.
void selectInScope(const IncrementalPlan &plan, store::InferenceRepository &repo, const std::vector<Candidate> &kept,
    std::vector<size_t> &written, std::vector<int64_t> &removeIds, std::vector<int64_t> &missing)
{
    std::unordered_map<int64_t, std::vector<size_t>> byEvent;
    for (size_t i = 0; i < kept.size(); ++i)
        for (const Evidence &e : kept[i].evidence)
            byEvent[e.event].push_back(i);
    std::vector<char> add(kept.size(), 0);
    std::vector<size_t> pending;
    for (size_t i = 0; i < kept.size(); ++i)
        if (plan.holds(kept[i])) {
            add[i] = 1;
            pending.push_back(i);
        }
    std::set<int64_t> removed;
    std::vector<int64_t> fresh = repo.transfersTouching(plan.newHosts, plan.newAddresses, plan.fromTs, plan.toTs);
    while (!pending.empty() || !fresh.empty()) {
        // Old transfers holding evidence of the new ones to write.
        std::vector<int64_t> events;
        for (size_t i : pending)
            for (const Evidence &e : kept[i].evidence)
                events.push_back(e.event);
        pending.clear();
        std::sort(events.begin(), events.end());
        events.erase(std::unique(events.begin(), events.end()), events.end());
        for (int64_t id : repo.transfersWithEvidence(events))
            fresh.push_back(id);
        std::vector<int64_t> newlyRemoved;
        for (int64_t id : fresh)
            if (removed.insert(id).second)
                newlyRemoved.push_back(id);
        fresh.clear();
        // The run's transfers holding evidence of the old ones removed.
        for (int64_t ev : repo.evidenceEvents(newlyRemoved)) {
            auto it = byEvent.find(ev);
            if (it == byEvent.end())
                continue;
            for (size_t i : it->second)
                if (!add[i]) {
                    add[i] = 1;
                    pending.push_back(i);
                }
        }
    }
    written.clear();
    std::set<int64_t> touched;
    std::vector<int64_t> events;
    for (size_t i = 0; i < kept.size(); ++i)
        if (add[i]) {
            written.push_back(i);
            touched.insert(kept[i].dstHost);
            if (kept[i].srcHost)
                touched.insert(kept[i].srcHost);
            for (const Evidence &e : kept[i].evidence)
                events.push_back(e.event);
        }
    removeIds.assign(removed.begin(), removed.end());
    for (int64_t ev : repo.evidenceEvents(removeIds))
        events.push_back(ev);
    std::sort(events.begin(), events.end());
    events.erase(std::unique(events.begin(), events.end()), events.end());
    for (int64_t h : repo.hostsOfEvents(events))
        touched.insert(h);
    for (int64_t h : repo.transferEnds(removeIds))
        touched.insert(h);
    missing.clear();
    const std::vector<int64_t> &read = plan.readScope.hosts;
    for (int64_t h : touched)
        if (h && !std::binary_search(read.begin(), read.end(), h))
            missing.push_back(h);
}

} // namespace

InferenceEngine::Result InferenceEngine::guarded(bool incremental)
{
    if (!m_cancel)
        return runSteps(incremental);
    const store::InferenceRepository::Interrupter interrupter(m_cs, m_cancel);
    try {
        return runSteps(incremental);
    } catch (const Cancelled &) {
        throw;
    } catch (const std::runtime_error &) {
        checkCancelled(); // an interrupted query: say so
        throw;
    }
}

InferenceEngine::Result InferenceEngine::runSteps(bool incremental)
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

    IncrementalPlan plan;
    if (incremental) {
        r.fullReason = planIncremental(repo, entities, m_config, plan);
        r.incremental = r.fullReason.empty();
        if (r.incremental)
            r.scopeHosts = plan.readScope.hosts.size();
        spdlog::debug("inference after import: {}", r.incremental ? "incremental" : "whole case: " + r.fullReason);
        checkCancelled();
    }

    std::vector<Candidate> kept;
    std::vector<double> scores;
    // One run of the rules over the case, or over the plan's scope.
    auto compute = [&](bool scoped) {
        CaseSnapshot snap;
        const store::InferenceScope rowScope = scoped ? plan.readScope : store::InferenceScope {};
        snap.load(
            repo, rowScope, m_config.processCacheBytes, scoped ? &plan.processScope : nullptr, m_config.rowCacheBytes);
        snap.processes.setMarker(ProcessRows::kMayMoveFiles, &SourceCommandRule::mayMatch);
        snap.processes.setMarker(ProcessRows::kSshServer, &SshTransferRule::mayBeServer);
        snap.processes.setMarker(ProcessRows::kEsxiShell, [](const ProcessInfo &p) { return p.esxiShell; });
        snap.processes.setMarker(ProcessRows::kClientDrive, &RdpRedirectionRule::touchesClientDrive);
        snap.processes.setMarker(ProcessRows::kUncCommand, &SystemWriteRule::namesUncPath);
        snap.processes.setMarker(ProcessRows::kUncImage, &RemoteImageRule::startsFromShare);
        if (m_config.primeProcessMarks)
            snap.processes.primeMarks();
        snap.fileCreates.setMarker(CaseSnapshot::kClientDriveFile, &RdpRedirectionRule::mayCrossDrive);
        snap.fileCreates.setMarker(CaseSnapshot::kSftpServerFile, &SshTransferRule::bySftpServer);
        snap.fileReads.setMarker(CaseSnapshot::kSftpServerFile, &SshTransferRule::bySftpServer);
        snap.fileCreates.setMarker(CaseSnapshot::kWinrmFile, &WinrmWriteRule::byWsmprovhost);
        snap.fileCreates.setMarker(CaseSnapshot::kHostdFile, &EsxiTransferRule::byHostd);
        snap.fileReads.setMarker(CaseSnapshot::kHostdFile, &EsxiTransferRule::byHostd);
        snap.fileCreates.setMarker(CaseSnapshot::kSyncedFile, &CloudSyncRule::inSyncedFolder);
        snap.fileWrites.setMarker(CaseSnapshot::kSyncedFile, &CloudSyncRule::inSyncedFolder);
        HostResolver hosts(entities);
        if (scoped) {
            // Peer names hold over all their sightings: read every connection for them.
            ByHost<NetInfo> connections;
            repo.loadSmbRdpConnections(store::InferenceScope {}, [&](NetInfo &&n) { connections.add(std::move(n)); });
            connections.finish();
            hosts.load(connections);
        } else {
            hosts.load(snap);
        }
        AccountResolver accounts(entities);
        accounts.load();
        SmbSessions smb;
        smb.build(snap, hosts, repo, rowScope, m_config.rowCacheBytes);
        snap.processes.alsoTrim([&smb] { smb.trim(); });
        r.loadSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
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
        rules.push_back(std::make_unique<RemoteImageRule>());
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
            const size_t loadsBefore = snap.processes.hostLoads();
            const auto ruleStart = Clock::now();
            rule->collect(ctx, candidates);
            snap.processes.trim();
            checkCancelled();
            r.candidatesByRule[rule->name()] += candidates.size() - before;
            spdlog::debug("inference: rule {}: {} candidates, {} hosts' processes read, {:.3f} s", rule->name(),
                candidates.size() - before, snap.processes.hostLoads() - loadsBefore,
                std::chrono::duration<double>(Clock::now() - ruleStart).count());
        }
        r.candidates += candidates.size();
        std::vector<Candidate> transfers = TransferMerger(snap, hosts, m_config).merge(std::move(candidates));
        snap.processes.trim();
        for (const auto &rule : rules) {
            const size_t loadsBefore = snap.processes.hostLoads();
            const auto ruleStart = Clock::now();
            rule->refine(ctx, transfers);
            snap.processes.trim();
            spdlog::debug("inference: refine {}: {} hosts' processes read, {:.3f} s", rule->name(),
                snap.processes.hostLoads() - loadsBefore,
                std::chrono::duration<double>(Clock::now() - ruleStart).count());
        }
        checkCancelled();

        // Not transfers after all: a source that is the destination itself, or a System write that
        // nothing tied to another machine or to a service.
        kept.clear();
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
        scores.clear();
        scores.reserve(kept.size());
        for (const Candidate &t : kept)
            scores.push_back(ConfidenceModel::score(t));
        r.processCachePeakBytes = std::max(r.processCachePeakBytes, snap.processes.peakBytes());
        r.processHostLoads += snap.processes.hostLoads();
        r.rowCachePeakBytes = std::max(r.rowCachePeakBytes, snap.rowCachePeakBytes());
        r.rowHostLoads += snap.rowHostLoads();
    };
    std::vector<size_t> written;
    std::vector<int64_t> removeIds;
    // An incremental run reads again with the hosts it found missing (a transfer's other end named
    // in a command line, evidence on a third host) until every transfer it replaces, and every
    // one it writes, lies in what it read; else the whole case.
    for (int round = 0; r.incremental; ++round) {
        compute(true);
        checkCancelled();
        std::vector<int64_t> missing;
        selectInScope(plan, repo, kept, written, removeIds, missing);
        if (missing.empty())
            break;
        plan.readScope.hosts.insert(plan.readScope.hosts.end(), missing.begin(), missing.end());
        std::sort(plan.readScope.hosts.begin(), plan.readScope.hosts.end());
        plan.processScope.hosts = plan.readScope.hosts;
        r.scopeHosts = plan.readScope.hosts.size();
        // (A share of 1 or more: never too many; the hosts read may include address-only ones.)
        if (round == 7
            || (m_config.incrementalHostShare < 1.0
                && double(plan.readScope.hosts.size())
                    > m_config.incrementalHostShare * double(repo.hostsWithEvents()))) {
            r.incremental = false;
            r.fullReason = "the new events' transfers reach most of the case's hosts";
        }
    }
    if (r.incremental) {
        TransferWriter(m_cs).replaceSome(removeIds, kept, scores, written);
        r.transfersRemoved = removeIds.size();
        r.transfersWritten = written.size();
    } else {
        r.candidates = 0;
        r.candidatesByRule.clear();
        compute(false);
        written.resize(kept.size());
        for (size_t i = 0; i < kept.size(); ++i)
            written[i] = i;
        TransferWriter(m_cs).replaceAll(kept, scores);
    }
    for (size_t i : written) {
        const Candidate &t = kept[i];
        for (const std::string &rule : t.rules)
            ++r.transfersByRule[rule];
        ++r.transfersByMethod[methodName(t.method)];
        ++r.transfersByLabel[ConfidenceModel::label(scores[i])];
    }
    // Host entities this run (or an earlier one) created for a source known only by an address
    // or a name in a path, which no transfer uses in the end (e.g. resolved to a named host):
    // they have no events and no address evidence, and would show up as empty hosts.
    repo.removeUnusedHosts();
    repo.markDone();
    repo.setCoveredIds(repo.maxIds());
    checkCancelled();
    tx.commit();
    r.transfers = r.incremental ? size_t(repo.transferCount()) : kept.size();
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    spdlog::debug("inference: {} events, {} candidates, {} transfers in {:.3f} s", r.events, r.candidates, r.transfers,
        r.seconds);
    spdlog::debug("inference caches: processes peak {} KiB, {} host reads; other rows peak {} KiB, {} host reads",
        r.processCachePeakBytes / 1024, r.processHostLoads, r.rowCachePeakBytes / 1024, r.rowHostLoads);
    return r;
}

} // namespace tt::inference
