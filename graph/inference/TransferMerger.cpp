#include "inference/TransferMerger.h"

#include "inference/CaseSnapshot.h"
#include "inference/HostResolver.h"
#include "inference/InferenceConfig.h"
#include "inference/WinPath.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace tt::inference {

namespace {
int64_t firstEvent(const Candidate &c)
{
    int64_t e = 0;
    for (const Evidence &ev : c.evidence)
        if (!e || ev.event < e)
            e = ev.event;
    return e;
}
} // namespace

bool TransferMerger::compatible(const Candidate &t, const Candidate &c) const
{
    if (t.direction != c.direction)
        return false;
    // A sensor's \\HOST\SHARE\... and the host's own C:\... name one file in two spellings: only
    // paths of the same kind can contradict each other.
    auto unc = [](const std::string &p) { return p.size() > 1 && (p[0] == '\\' || p[0] == '/') && p[1] == p[0]; };
    if (!t.dstPath.empty() && !c.dstPath.empty() && unc(t.dstPath) == unc(c.dstPath)
        && WinPath::key(t.dstPath) != WinPath::key(c.dstPath))
        return false;
    if (!t.session.empty() && !c.session.empty() && t.session != c.session)
        return false;
    if (t.srcHost && c.srcHost && t.srcHost != c.srcHost) {
        // A source known only by address joins a named one when the other side did not see the
        // address at all (a source-side command names the host, the destination saw its IP).
        const bool tLoose = m_hosts.isIpOnly(t.srcHost) && c.srcIp.empty();
        const bool cLoose = m_hosts.isIpOnly(c.srcHost) && t.srcIp.empty();
        if (!tLoose && !cLoose)
            return false;
    }
    if (!t.srcIp.empty() && !c.srcIp.empty() && t.srcIp != c.srcIp)
        return false;
    const int64_t tol = t.clockHost == c.clockHost ? 0 : m_cfg.skew;
    return c.lo <= t.hi + tol && c.hi + tol >= t.lo;
}

void TransferMerger::absorb(Candidate &t, Candidate &&c) const
{
    if (!t.srcHost || (c.srcHost && m_hosts.isIpOnly(t.srcHost) && !m_hosts.isIpOnly(c.srcHost)))
        t.srcHost = c.srcHost;
    if (t.srcIp.empty())
        t.srcIp = c.srcIp;
    if (t.dstPath.empty() || (t.dstPath.rfind("\\\\", 0) == 0 && !c.dstPath.empty() && c.dstPath.rfind("\\\\", 0) != 0))
        t.dstPath = c.dstPath; // the host's local path rather than the sensor's UNC one
    if (t.srcPath.empty())
        t.srcPath = c.srcPath;
    if (c.methodRank > t.methodRank) {
        t.method = c.method;
        t.methodRank = c.methodRank;
    }
    if (!t.account || (t.accountFromInstaller && c.account && !c.accountFromInstaller)) {
        t.account = c.account;
        t.accountFromInstaller = c.accountFromInstaller;
    }
    // The source process: the innermost one (xcopy.exe rather than the cmd.exe that started it).
    if (c.srcProcess && c.srcProcess != t.srcProcess) {
        const ProcessInfo *a = m_snap.processById(t.srcProcess);
        const ProcessInfo *b = m_snap.processById(c.srcProcess);
        if (!a || (b && (b->ts > a->ts || (b->ts == a->ts && b->sysmon && !a->sysmon))))
            t.srcProcess = c.srcProcess;
    }
    if (!t.dstProcess)
        t.dstProcess = c.dstProcess;
    t.firstTs = std::min(t.firstTs, c.firstTs);
    t.lastTs = std::max(t.lastTs, c.lastTs);
    // The destination's clock says when the write happened; narrow to it.
    if (c.clockHost == t.clockHost) {
        t.lo = std::max(t.lo, c.lo);
        t.hi = std::min(t.hi, c.hi);
    } else if (c.clockHost == t.dstHost) {
        t.lo = c.lo;
        t.hi = c.hi;
        t.clockHost = c.clockHost;
    }
    if (t.session.empty())
        t.session = c.session;
    if (t.hashes.empty())
        t.hashes = c.hashes;
    t.evidence.insert(t.evidence.end(), c.evidence.begin(), c.evidence.end());
    for (const std::string &r : c.rules)
        t.addRule(r);
    t.executed = t.executed || c.executed;
    t.needsCorroboration = t.needsCorroboration && c.needsCorroboration;
    t.corroborated = t.corroborated || c.corroborated;
}

std::vector<Candidate> TransferMerger::merge(std::vector<Candidate> candidates) const
{
    // Destination-clock evidence first within a file, so windows start from the write itself.
    struct Key {
        int64_t dst;
        std::string file;
        int64_t lo;
        int dstClock;
        int64_t event;
    };
    std::vector<Key> keys(candidates.size());
    std::vector<size_t> order(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
        const Candidate &c = candidates[i];
        keys[i] = {c.dstHost, WinPath::key(c.fileName), c.lo, c.clockHost == c.dstHost ? 0 : 1, firstEvent(c)};
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const Key &x = keys[a], &y = keys[b];
        return std::tie(x.dst, x.file, x.dstClock, x.lo, x.event) < std::tie(y.dst, y.file, y.dstClock, y.lo, y.event);
    });
    std::vector<Candidate> out;
    size_t groupStart = 0;
    for (size_t n = 0; n < order.size(); ++n) {
        const size_t i = order[n];
        if (n > 0) {
            const Key &prev = keys[order[n - 1]];
            if (prev.dst != keys[i].dst || prev.file != keys[i].file)
                groupStart = out.size();
        }
        Candidate &c = candidates[i];
        if (c.fileName.empty() || !c.dstHost)
            continue;
        Candidate *target = nullptr;
        for (size_t k = groupStart; k < out.size(); ++k)
            if (compatible(out[k], c)) {
                target = &out[k];
                break;
            }
        if (target)
            absorb(*target, std::move(c));
        else
            out.push_back(std::move(c));
    }
    for (Candidate &t : out) {
        std::sort(t.evidence.begin(), t.evidence.end());
        t.evidence.erase(std::unique(t.evidence.begin(), t.evidence.end()), t.evidence.end());
    }
    return out;
}

} // namespace tt::inference
