#include "inference/CaseSnapshot.h"

#include "store/InferenceRepository.h"

#include <algorithm>
#include <iterator>

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

namespace {
size_t heapBytes(const std::string &s)
{
    return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}
size_t heapBytes(const ProcessInfo &p)
{
    return sizeof(ProcessInfo) + heapBytes(p.guid) + heapBytes(p.image) + heapBytes(p.cmd) + heapBytes(p.parentGuid)
        + heapBytes(p.parentImage) + heapBytes(p.logonId) + heapBytes(p.hashes);
}
} // namespace

namespace {
size_t heapBytes(const FileCreateInfo &f)
{
    return sizeof(FileCreateInfo) + heapBytes(f.path) + heapBytes(f.image) + heapBytes(f.guid) + heapBytes(f.hashes);
}
size_t heapBytes(const ShareInfo &s)
{
    return sizeof(ShareInfo) + heapBytes(s.share) + heapBytes(s.sharePath) + heapBytes(s.rel) + heapBytes(s.accessList)
        + heapBytes(s.ip) + heapBytes(s.logonId);
}
size_t heapBytes(const LogonInfo &l)
{
    return sizeof(LogonInfo) + heapBytes(l.origin) + heapBytes(l.logonId) + heapBytes(l.ip) + heapBytes(l.workstation);
}
size_t heapBytes(const NetInfo &n)
{
    return sizeof(NetInfo) + heapBytes(n.srcIp) + heapBytes(n.srcName) + heapBytes(n.dstIp) + heapBytes(n.dstName)
        + heapBytes(n.image) + heapBytes(n.guid) + heapBytes(n.protocol);
}

// A host's rows as the store reads them (id order) into the order ByHost gives: a stable sort by
// (ts, event). They mostly come in time order already: then there is nothing to move.
template<typename T> void sortByTime(std::vector<T> &rows)
{
    auto byTime = [](const T &a, const T &b) { return a.ts != b.ts ? a.ts < b.ts : a.event < b.event; };
    if (!std::is_sorted(rows.begin(), rows.end(), byTime))
        std::stable_sort(rows.begin(), rows.end(), byTime);
}

// Adds to `marks` bit i for each marker i (set, not yet in marks) that holds for row.
template<typename T, size_t N> void addMarks(bool (*const (&markers)[N])(const T &), const T &row, unsigned &marks)
{
    for (unsigned bit = 0; bit < N; ++bit)
        if (markers[bit] && !(marks & (1u << bit)) && markers[bit](row))
            marks |= 1u << bit;
}

// The hosts' rows caches (ProcessRows, HostRows): drops the least recently used hosts until the
// cache is within its budget.
template<typename Cache> void evictLeastRecent(Cache &cache, size_t &bytes, size_t budget)
{
    while (bytes > budget && !cache.empty()) {
        auto oldest = cache.begin();
        for (auto it = cache.begin(); it != cache.end(); ++it)
            if (it->second.lastUse < oldest->second.lastUse)
                oldest = it;
        bytes -= oldest->second.bytes;
        cache.erase(oldest);
    }
}
} // namespace

template<typename T>
void HostRows<T>::attach(Loader loader, const std::vector<std::pair<int64_t, int64_t>> &countsByHost,
    const store::InferenceScope &scope, size_t budgetBytes)
{
    m_loader = std::move(loader);
    m_fromTs = scope.fromTs;
    m_toTs = scope.toTs;
    m_budget = budgetBytes;
    m_cache.clear();
    m_marks.clear();
    m_bytes = m_peakBytes = m_loads = 0;
    m_hosts.clear();
    m_total = 0;
    for (const auto &[host, n] : countsByHost) {
        m_hosts.push_back(host);
        m_total += size_t(n);
    }
}

template<typename T> const std::vector<T> &HostRows<T>::of(int64_t host) const
{
    auto it = m_cache.find(host);
    if (it != m_cache.end()) {
        it->second.lastUse = ++m_clock;
        return it->second.rows;
    }
    std::vector<T> rows;
    if (m_loader && std::binary_search(m_hosts.begin(), m_hosts.end(), host)) {
        store::InferenceScope scope;
        scope.hosts = {host};
        scope.fromTs = m_fromTs;
        scope.toTs = m_toTs;
        m_loader(scope, [&rows](T &&r) { rows.push_back(std::move(r)); });
    }
    return insert(host, std::move(rows)).rows;
}

template<typename T> bool HostRows<T>::mayHave(int64_t host, unsigned bit) const
{
    if (!m_markers[bit])
        return true;
    auto it = m_marks.find(host);
    if (it != m_marks.end())
        return (it->second & (1u << bit)) != 0;
    // Never read: only a host without rows of this kind is known to have none.
    return std::binary_search(m_hosts.begin(), m_hosts.end(), host);
}

template<typename T> void HostRows<T>::adopt(int64_t host, std::vector<T> &&rows) const
{
    if (!m_cache.contains(host) && std::binary_search(m_hosts.begin(), m_hosts.end(), host))
        insert(host, std::move(rows));
}

template<typename T> typename HostRows<T>::Host &HostRows<T>::insert(int64_t host, std::vector<T> &&rows) const
{
    Host &h = m_cache[host];
    h.lastUse = ++m_clock;
    h.rows = std::move(rows);
    if (!h.rows.empty()) {
        h.rows.shrink_to_fit();
        sortByTime(h.rows);
        unsigned marks = 0;
        for (const T &r : h.rows) {
            h.bytes += heapBytes(r);
            addMarks(m_markers, r, marks);
        }
        m_marks[host] = marks;
        ++m_loads;
    }
    m_bytes += h.bytes;
    m_peakBytes = std::max(m_peakBytes, m_bytes);
    return h;
}

template<typename T> std::pair<const T *, const T *> HostRows<T>::range(int64_t host, int64_t lo, int64_t hi) const
{
    const std::vector<T> &v = of(host);
    if (v.empty())
        return {nullptr, nullptr};
    auto b = std::lower_bound(v.begin(), v.end(), lo, [](const T &r, int64_t t) { return r.ts < t; });
    auto e = std::upper_bound(b, v.end(), hi, [](int64_t t, const T &r) { return t < r.ts; });
    return {v.data() + (b - v.begin()), v.data() + (e - v.begin())};
}

template<typename T> void HostRows<T>::trim() const
{
    evictLeastRecent(m_cache, m_bytes, m_budget);
}

template class HostRows<FileCreateInfo>;
template class HostRows<ShareInfo>;
template class HostRows<LogonInfo>;
template class HostRows<NetInfo>;

void ProcessRows::attach(store::InferenceRepository &repo, const store::InferenceScope &scope, size_t budgetBytes)
{
    m_repo = &repo;
    m_scopeHosts = scope.hosts;
    std::sort(m_scopeHosts.begin(), m_scopeHosts.end());
    m_fromTs = scope.fromTs;
    m_toTs = scope.toTs;
    m_budget = budgetBytes;
    m_cache.clear();
    m_single.clear();
    m_marks.clear();
    m_bytes = m_peakBytes = m_loads = 0;
    m_hosts.clear();
    m_total = 0;
    for (const auto &[host, n] : repo.processCountsByHost(scope)) {
        m_hosts.push_back(host);
        m_total += size_t(n);
    }
}

const ProcessRows::Host &ProcessRows::load(int64_t host) const
{
    auto it = m_cache.find(host);
    if (it != m_cache.end()) {
        it->second.lastUse = ++m_clock;
        return it->second;
    }
    Host &h = m_cache[host];
    h.lastUse = ++m_clock;
    if (m_repo && std::binary_search(m_hosts.begin(), m_hosts.end(), host)) {
        store::InferenceScope scope;
        scope.hosts = {host};
        scope.fromTs = m_fromTs;
        scope.toTs = m_toTs;
        scope.processHashes = false; // ExecutionRule reads the few it needs (repo.processHashes)
        // In id order, then a stable sort by (ts, event): the order ByHost gives.
        m_repo->loadProcesses(scope, [&h](ProcessInfo &&p) { h.rows.push_back(std::move(p)); });
        h.rows.shrink_to_fit();
        sortByTime(h.rows);
        h.byId.reserve(h.rows.size());
        unsigned marks = 0;
        for (const ProcessInfo &p : h.rows) {
            addMarks(m_markers, p, marks);
            h.byId.emplace_back(p.id, &p);
            if (!p.guid.empty())
                h.byGuid.emplace_back(p.guid, &p);
            h.bytes += heapBytes(p);
        }
        std::sort(h.byId.begin(), h.byId.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        // Stable: of several processes with one guid, the first in time (the Sysmon one) is found.
        std::stable_sort(
            h.byGuid.begin(), h.byGuid.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        h.bytes += h.byId.capacity() * sizeof(h.byId[0]) + h.byGuid.capacity() * sizeof(h.byGuid[0]);
        m_marks[host] = marks;
        ++m_loads;
    }
    m_bytes += h.bytes;
    m_peakBytes = std::max(m_peakBytes, m_bytes);
    return h;
}

void ProcessRows::primeMarks()
{
    if (!m_repo)
        return;
    store::InferenceScope scope;
    scope.hosts = m_scopeHosts;
    scope.fromTs = m_fromTs;
    scope.toTs = m_toTs;
    std::unordered_map<int64_t, unsigned> marks;
    for (int64_t host : m_hosts)
        marks[host] = 0;
    m_repo->scanProcessText(scope, [&](const ProcessInfo &p) { addMarks(m_markers, p, marks[p.host]); });
    m_marks = std::move(marks);
}

bool ProcessRows::mayHave(int64_t host, MarkerBit bit) const
{
    if (!m_markers[bit])
        return true;
    auto it = m_marks.find(host);
    return it == m_marks.end() || (it->second & (1u << bit)) != 0;
}

void ProcessRows::trim() const
{
    m_single.clear();
    evictLeastRecent(m_cache, m_bytes, m_budget);
    for (const std::function<void()> &hook : m_alsoTrim)
        hook();
}

const std::vector<ProcessInfo> &ProcessRows::of(int64_t host) const
{
    return load(host).rows;
}

std::pair<const ProcessInfo *, const ProcessInfo *> ProcessRows::range(int64_t host, int64_t lo, int64_t hi) const
{
    const std::vector<ProcessInfo> &v = of(host);
    if (v.empty())
        return {nullptr, nullptr};
    auto b = std::lower_bound(v.begin(), v.end(), lo, [](const ProcessInfo &r, int64_t t) { return r.ts < t; });
    auto e = std::upper_bound(b, v.end(), hi, [](int64_t t, const ProcessInfo &r) { return t < r.ts; });
    return {v.data() + (b - v.begin()), v.data() + (e - v.begin())};
}

const ProcessInfo *ProcessRows::byId(int64_t id) const
{
    if (!id || !m_repo)
        return nullptr;
    const int64_t host = m_repo->processHost(id);
    if (!host)
        return nullptr;
    if (!m_cache.count(host)) {
        // One row, not the host's every process (a transfer's process in the refine passes).
        // Held like a cached host's rows: until the next trim().
        if (auto it = m_single.find(id); it != m_single.end())
            return it->second.get();
        auto p = std::make_unique<ProcessInfo>();
        const bool inScope = std::binary_search(m_hosts.begin(), m_hosts.end(), host) && m_repo->loadProcess(id, *p)
            && (m_fromTs == store::kNoValue || p->ts >= m_fromTs) && (m_toTs == store::kNoValue || p->ts <= m_toTs);
        if (!inScope)
            p.reset();
        return m_single.emplace(id, std::move(p)).first->second.get();
    }
    const Host &h = load(host);
    auto it = std::lower_bound(h.byId.begin(), h.byId.end(), id,
        [](const std::pair<int64_t, const ProcessInfo *> &e, int64_t v) { return e.first < v; });
    return it == h.byId.end() || it->first != id ? nullptr : it->second;
}

const ProcessInfo *ProcessRows::byGuid(int64_t host, const std::string &guid) const
{
    if (guid.empty())
        return nullptr;
    const Host &h = load(host);
    const std::string_view g(guid);
    auto it = std::lower_bound(h.byGuid.begin(), h.byGuid.end(), g,
        [](const std::pair<std::string_view, const ProcessInfo *> &e, std::string_view v) { return e.first < v; });
    return it == h.byGuid.end() || it->first != g ? nullptr : it->second;
}

const ProcessInfo *ProcessRows::byPid(int64_t host, int64_t pid, int64_t ts) const
{
    if (pid < 0)
        return nullptr;
    // The latest start of that pid not after ts (pids are reused; the newest holder is the one).
    const std::vector<ProcessInfo> &v = of(host);
    auto e = std::upper_bound(v.begin(), v.end(), ts, [](int64_t t, const ProcessInfo &r) { return t < r.ts; });
    const ProcessInfo *best = nullptr;
    for (auto it = v.begin(); it != e; ++it)
        if (it->pid == pid && (!best || it->ts > best->ts || (it->ts == best->ts && it->sysmon && !best->sysmon)))
            best = &*it;
    return best;
}

const ProcessInfo *ProcessRows::byEvent(int64_t event) const
{
    if (!m_repo)
        return nullptr;
    for (int64_t id : m_repo->processIdsOfEvent(event))
        if (const ProcessInfo *p = byId(id))
            return p;
    return nullptr;
}

namespace {
// Whether a row read case-wide (the remote-execution tables) is inside scope.
template<typename Row> bool inScope(const Row &r, const store::InferenceScope &scope)
{
    if (!scope.hosts.empty() && !std::binary_search(scope.hosts.begin(), scope.hosts.end(), r.host))
        return false;
    if (scope.fromTs != store::kNoValue && r.ts < scope.fromTs)
        return false;
    return scope.toTs == store::kNoValue || r.ts <= scope.toTs;
}
template<typename Row> void addInScope(ByHost<Row> &to, std::vector<Row> rows, const store::InferenceScope &scope)
{
    for (Row &r : rows)
        if (inScope(r, scope))
            to.add(std::move(r));
    to.finish();
}
} // namespace

void CaseSnapshot::load(store::InferenceRepository &repo, const store::InferenceScope &scopeIn,
    size_t processCacheBytes, const store::InferenceScope *processScope, size_t rowCacheBytes)
{
    store::InferenceScope scope = scopeIn;
    std::sort(scope.hosts.begin(), scope.hosts.end());
    processes.attach(repo, processScope ? *processScope : scope, processCacheBytes);
    using FileKind = store::InferenceRepository::FileEventKind;
    const auto fileCounts = repo.fileEventCountsByHost(scope);
    // A host's file events of every kind are read by one query (its rows in file_events, found by
    // (host_id, ts), are visited once); the kinds not asked for go to their own caches.
    auto attachFiles = [&](HostRows<FileCreateInfo> &rows, FileKind kind) {
        rows.attach(
            [this, &repo, kind](const store::InferenceScope &s, const std::function<void(FileCreateInfo &&)> &sink) {
                std::vector<FileCreateInfo> others[store::InferenceRepository::kFileEventKinds];
                repo.loadFileEvents(s, [&](FileCreateInfo &&f, FileKind k) {
                    if (k == kind)
                        sink(std::move(f));
                    else
                        others[size_t(k)].push_back(std::move(f));
                });
                const HostRows<FileCreateInfo> *all[]
                    = {&fileCreates, &fileReads, &fileStreams, &fileWrites, &imageLoads};
                static_assert(std::size(all) == store::InferenceRepository::kFileEventKinds);
                for (size_t k = 0; k < std::size(all); ++k)
                    if (k != size_t(kind))
                        all[k]->adopt(s.hosts.front(), std::move(others[k]));
            },
            fileCounts[size_t(kind)], scope, rowCacheBytes);
    };
    attachFiles(fileCreates, FileKind::Create);
    attachFiles(fileReads, FileKind::Read);
    attachFiles(fileStreams, FileKind::Stream);
    attachFiles(fileWrites, FileKind::Write);
    attachFiles(imageLoads, FileKind::ImageLoad);
    shares.attach([&repo](const store::InferenceScope &s,
                      const std::function<void(ShareInfo &&)> &sink) { repo.loadShareAccesses(s, sink); },
        repo.shareAccessCountsByHost(scope), scope, rowCacheBytes);
    logons.attach([&repo](const store::InferenceScope &s,
                      const std::function<void(LogonInfo &&)> &sink) { repo.loadLogons(s, sink); },
        repo.logonCountsByHost(scope), scope, rowCacheBytes);
    connections.attach([&repo](const store::InferenceScope &s,
                           const std::function<void(NetInfo &&)> &sink) { repo.loadSmbRdpConnections(s, sink); },
        repo.smbRdpConnectionCountsByHost(scope), scope, rowCacheBytes);
    processes.alsoTrim([this] {
        fileCreates.trim();
        fileReads.trim();
        fileStreams.trim();
        fileWrites.trim();
        imageLoads.trim();
        shares.trim();
        logons.trim();
        connections.trim();
    });
    repo.loadServiceInstalls(scope, [this](ServiceInfo &&s) { services.add(std::move(s)); });
    services.finish();
    addInScope(shareReads, repo.shareReads(), scope);
    addInScope(bitsJobs, repo.bitsJobs(), scope);
    addInScope(scriptBlocks, repo.scriptBlocks(), scope);
    addInScope(remoting, repo.remotingRecords(), scope);
    addInScope(mounts, repo.mounts(), scope);
    addInScope(airDrops, repo.airDropAsks(), scope);
    addInScope(scheduledTasks, repo.scheduledTasks(), scope);
}

size_t CaseSnapshot::rowCachePeakBytes() const
{
    return fileCreates.peakBytes() + fileReads.peakBytes() + fileStreams.peakBytes() + fileWrites.peakBytes()
        + imageLoads.peakBytes() + shares.peakBytes() + logons.peakBytes() + connections.peakBytes();
}

size_t CaseSnapshot::rowHostLoads() const
{
    return fileCreates.hostLoads() + fileReads.hostLoads() + fileStreams.hostLoads() + fileWrites.hostLoads()
        + imageLoads.hostLoads() + shares.hostLoads() + logons.hostLoads() + connections.hostLoads();
}

const ProcessInfo *CaseSnapshot::processById(int64_t id) const
{
    return processes.byId(id);
}

const ProcessInfo *CaseSnapshot::processByGuid(int64_t host, const std::string &guid) const
{
    return processes.byGuid(host, guid);
}

const ProcessInfo *CaseSnapshot::processByPid(int64_t host, int64_t pid, int64_t ts) const
{
    return processes.byPid(host, pid, ts);
}

const ProcessInfo *CaseSnapshot::parentOf(const ProcessInfo &p) const
{
    if (const ProcessInfo *g = processByGuid(p.host, p.parentGuid))
        return g;
    return processByPid(p.host, p.parentPid, p.ts - 1);
}

} // namespace tt::inference
