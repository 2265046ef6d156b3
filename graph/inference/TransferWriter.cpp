#include "inference/TransferWriter.h"

#include "inference/ConfidenceModel.h"
#include "inference/WinPath.h"
#include "store/TransferRepository.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace tt::inference {

namespace {
constexpr size_t kBatch = 1024;

std::string joinRules(const std::vector<std::string> &rules)
{
    std::vector<std::string> r = rules;
    std::sort(r.begin(), r.end());
    std::string out;
    for (const std::string &s : r) {
        if (!out.empty())
            out.push_back(',');
        out += s;
    }
    return out;
}
store::TransferWriteRow toRow(const Candidate &t, double score)
{
    store::TransferWriteRow w;
    w.srcHost = t.srcHost;
    w.srcIp = t.srcIp;
    w.dstHost = t.dstHost;
    w.fileName = t.fileName;
    w.dstPath = t.dstPath;
    w.srcPath = t.srcPath;
    w.method = methodName(t.method);
    w.direction = directionName(t.direction);
    w.account = t.account;
    w.srcProcess = t.srcProcess;
    w.dstProcess = t.dstProcess;
    w.firstTs = t.firstTs;
    w.lastTs = t.lastTs;
    w.confidence = score;
    w.confidenceLabel = ConfidenceModel::label(score);
    w.executed = t.executed;
    w.hashes = t.hashes;
    w.rules = joinRules(t.rules);
    w.benignTool = t.benignTool;
    w.benignReason = t.benignReason;
    w.evidence.reserve(t.evidence.size());
    for (const Evidence &e : t.evidence)
        w.evidence.push_back({e.event, e.role, e.rule});
    return w;
}
} // namespace

void TransferWriter::replaceSome(const std::vector<int64_t> &removeIds, const std::vector<Candidate> &transfers,
    const std::vector<double> &scores, const std::vector<size_t> &add)
{
    store::TransferRepository repo(m_cs);
    repo.remove(removeIds);
    std::vector<store::TransferWriteRow> batch;
    for (size_t i : add) {
        batch.push_back(toRow(transfers[i], scores[i]));
        if (batch.size() == kBatch) {
            repo.append(batch);
            batch.clear();
        }
    }
    repo.append(batch);
    repo.finish();
    // The order of replaceAll: (first time, destination, file key, source, first evidence event).
    std::vector<store::TransferOrderRow> rows = repo.orderRows();
    std::vector<std::string> fileKeys(rows.size());
    for (size_t i = 0; i < rows.size(); ++i)
        fileKeys[i] = WinPath::key(rows[i].fileName);
    std::vector<size_t> order(rows.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const store::TransferOrderRow &x = rows[a], &y = rows[b];
        return std::tie(x.firstTs, x.dstHost, fileKeys[a], x.srcHost, x.firstEvent, x.id)
            < std::tie(y.firstTs, y.dstHost, fileKeys[b], y.srcHost, y.firstEvent, y.id);
    });
    std::vector<std::pair<int64_t, int64_t>> oldToNew;
    oldToNew.reserve(order.size());
    for (size_t k = 0; k < order.size(); ++k)
        oldToNew.emplace_back(rows[order[k]].id, int64_t(k + 1));
    repo.renumber(oldToNew);
}

void TransferWriter::replaceAll(std::vector<Candidate> &transfers, const std::vector<double> &scores)
{
    store::TransferRepository repo(m_cs);
    repo.clear();
    std::vector<size_t> order(transfers.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::vector<std::string> fileKeys(transfers.size());
    for (size_t i = 0; i < transfers.size(); ++i)
        fileKeys[i] = WinPath::key(transfers[i].fileName);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const Candidate &x = transfers[a], &y = transfers[b];
        const int64_t ex = x.evidence.empty() ? 0 : x.evidence.front().event;
        const int64_t ey = y.evidence.empty() ? 0 : y.evidence.front().event;
        return std::tie(x.firstTs, x.dstHost, fileKeys[a], x.srcHost, ex)
            < std::tie(y.firstTs, y.dstHost, fileKeys[b], y.srcHost, ey);
    });
    std::vector<store::TransferWriteRow> batch;
    batch.reserve(std::min(order.size(), kBatch));
    for (size_t i : order) {
        batch.push_back(toRow(transfers[i], scores[i]));
        if (batch.size() == kBatch) {
            repo.append(batch);
            batch.clear();
        }
    }
    repo.append(batch);
    repo.finish();
}

} // namespace tt::inference
