#include "inference/CaseSnapshot.h"

#include "store/InferenceRepository.h"

#include <algorithm>

namespace tt::inference {

namespace {
constexpr size_t kStageChunk = 4096;
}

template<typename T> void ByHost<T>::add(T row)
{
    if (m_staged.empty() || m_staged.back().size() == kStageChunk) {
        m_staged.emplace_back();
        m_staged.back().reserve(kStageChunk);
    }
    m_staged.back().push_back(std::move(row));
}

template<typename T> void ByHost<T>::finish()
{
    // Hosts enter m_rows in the order of their first row, as when rows were added directly: the
    // iteration order of all() stays what it was.
    std::unordered_map<int64_t, size_t> counts;
    for (const std::vector<T> &chunk : m_staged)
        for (const T &r : chunk) {
            m_rows.try_emplace(r.host);
            ++counts[r.host];
        }
    for (const auto &[host, n] : counts)
        m_rows[host].reserve(m_rows[host].size() + n);
    for (std::vector<T> &chunk : m_staged) {
        for (T &r : chunk) {
            const int64_t host = r.host;
            m_rows[host].push_back(std::move(r));
        }
        std::vector<T>().swap(chunk);
    }
    m_staged.clear();
    m_staged.shrink_to_fit();
    for (auto &[host, rows] : m_rows)
        std::stable_sort(rows.begin(), rows.end(),
            [](const T &a, const T &b) { return a.ts != b.ts ? a.ts < b.ts : a.event < b.event; });
}

template<typename T> std::pair<const T *, const T *> ByHost<T>::range(int64_t host, int64_t lo, int64_t hi) const
{
    auto it = m_rows.find(host);
    if (it == m_rows.end() || it->second.empty())
        return {nullptr, nullptr};
    const std::vector<T> &v = it->second;
    auto b = std::lower_bound(v.begin(), v.end(), lo, [](const T &r, int64_t t) { return r.ts < t; });
    auto e = std::upper_bound(b, v.end(), hi, [](int64_t t, const T &r) { return t < r.ts; });
    return {v.data() + (b - v.begin()), v.data() + (e - v.begin())};
}

template<typename T> const std::vector<T> &ByHost<T>::of(int64_t host) const
{
    static const std::vector<T> kEmpty;
    auto it = m_rows.find(host);
    return it == m_rows.end() ? kEmpty : it->second;
}

template<typename T> std::vector<int64_t> ByHost<T>::hosts() const
{
    std::vector<int64_t> out;
    out.reserve(m_rows.size());
    for (const auto &kv : m_rows)
        out.push_back(kv.first);
    std::sort(out.begin(), out.end());
    return out;
}

template<typename T> size_t ByHost<T>::size() const
{
    size_t n = 0;
    for (const auto &kv : m_rows)
        n += kv.second.size();
    return n;
}

template class ByHost<ProcessInfo>;
template class ByHost<FileCreateInfo>;
template class ByHost<ShareInfo>;
template class ByHost<LogonInfo>;
template class ByHost<NetInfo>;
template class ByHost<ServiceInfo>;
template class ByHost<store::ShareReadRow>;
template class ByHost<store::BitsJobRow>;
template class ByHost<store::ScriptBlockRow>;
template class ByHost<store::RemotingRow>;
template class ByHost<store::MountRow>;
template class ByHost<store::AirDropRow>;
template class ByHost<store::ScheduledTaskRow>;

void CaseSnapshot::load(store::InferenceRepository &repo, const store::InferenceScope &scope)
{
    store::InferenceScope processScope = scope;
    processScope.processHashes = false; // ExecutionRule reads the few it needs (repo.processHashes)
    repo.loadProcesses(processScope, [this](ProcessInfo &&p) { processes.add(std::move(p)); });
    processes.finish();
    using FileKind = store::InferenceRepository::FileEventKind;
    repo.loadFileEvents(scope, [this](FileCreateInfo &&f, FileKind kind) {
        (kind == FileKind::Read            ? fileReads
                : kind == FileKind::Stream ? fileStreams
                : kind == FileKind::Write  ? fileWrites
                                           : fileCreates)
            .add(std::move(f));
    });
    fileCreates.finish();
    fileReads.finish();
    fileStreams.finish();
    fileWrites.finish();
    repo.loadShareAccesses(scope, [this](ShareInfo &&s) { shares.add(std::move(s)); });
    shares.finish();
    repo.loadLogons(scope, [this](LogonInfo &&l) { logons.add(std::move(l)); });
    logons.finish();
    repo.loadSmbRdpConnections(scope, [this](NetInfo &&n) { connections.add(std::move(n)); });
    connections.finish();
    repo.loadServiceInstalls(scope, [this](ServiceInfo &&s) { services.add(std::move(s)); });
    services.finish();
    for (auto &r : repo.shareReads())
        shareReads.add(std::move(r));
    shareReads.finish();
    for (auto &r : repo.bitsJobs())
        bitsJobs.add(std::move(r));
    bitsJobs.finish();
    for (auto &r : repo.scriptBlocks())
        scriptBlocks.add(std::move(r));
    scriptBlocks.finish();
    for (auto &r : repo.remotingRecords())
        remoting.add(std::move(r));
    remoting.finish();
    for (auto &r : repo.mounts())
        mounts.add(std::move(r));
    mounts.finish();
    for (auto &r : repo.airDropAsks())
        airDrops.add(std::move(r));
    airDrops.finish();
    for (auto &r : repo.scheduledTasks())
        scheduledTasks.add(std::move(r));
    scheduledTasks.finish();
    const size_t nProcesses = processes.size();
    m_procById.reserve(nProcesses);
    size_t nGuids = 0;
    for (const auto &[host, rows] : processes.all())
        for (const ProcessInfo &p : rows) {
            m_procById.emplace_back(p.id, &p);
            nGuids += p.guid.empty() ? 0 : 1;
        }
    std::sort(m_procById.begin(), m_procById.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    // Per host in (ts, event) order, then a stable sort: of several processes with one guid, the
    // first (the Sysmon one) is the one found, as before.
    m_procByGuid.reserve(nGuids);
    for (int64_t host : processes.hosts())
        for (const ProcessInfo &p : processes.of(host))
            if (!p.guid.empty())
                m_procByGuid.push_back({host, p.guid, &p});
    std::stable_sort(m_procByGuid.begin(), m_procByGuid.end(),
        [](const GuidEntry &a, const GuidEntry &b) { return a.host != b.host ? a.host < b.host : a.guid < b.guid; });
}

const ProcessInfo *CaseSnapshot::processById(int64_t id) const
{
    auto it = std::lower_bound(m_procById.begin(), m_procById.end(), id,
        [](const std::pair<int64_t, const ProcessInfo *> &e, int64_t v) { return e.first < v; });
    return it == m_procById.end() || it->first != id ? nullptr : it->second;
}

const ProcessInfo *CaseSnapshot::processByGuid(int64_t host, const std::string &guid) const
{
    if (guid.empty())
        return nullptr;
    const std::string_view g(guid);
    auto it = std::lower_bound(m_procByGuid.begin(), m_procByGuid.end(), std::pair<int64_t, std::string_view>(host, g),
        [](const GuidEntry &e, const std::pair<int64_t, std::string_view> &v) {
            return e.host != v.first ? e.host < v.first : e.guid < v.second;
        });
    return it == m_procByGuid.end() || it->host != host || it->guid != g ? nullptr : it->p;
}

const ProcessInfo *CaseSnapshot::processByPid(int64_t host, int64_t pid, int64_t ts) const
{
    if (pid < 0)
        return nullptr;
    // The latest start of that pid not after ts (pids are reused; the newest holder is the one).
    const std::vector<ProcessInfo> &v = processes.of(host);
    auto e = std::upper_bound(v.begin(), v.end(), ts, [](int64_t t, const ProcessInfo &r) { return t < r.ts; });
    const ProcessInfo *best = nullptr;
    for (auto it = v.begin(); it != e; ++it)
        if (it->pid == pid && (!best || it->ts > best->ts || (it->ts == best->ts && it->sysmon && !best->sysmon)))
            best = &*it;
    return best;
}

const ProcessInfo *CaseSnapshot::parentOf(const ProcessInfo &p) const
{
    if (const ProcessInfo *g = processByGuid(p.host, p.parentGuid))
        return g;
    return processByPid(p.host, p.parentPid, p.ts - 1);
}

} // namespace tt::inference
