#include "inference/TransferWriter.h"

#include "inference/ConfidenceModel.h"
#include "inference/WinPath.h"
#include "store/BenignLabelStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace tt::inference {

namespace {
void bindId(sql::Stmt &st, int idx, int64_t id)
{
    if (id)
        st.bind(idx, id);
    else
        st.bindNull(idx);
}

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
} // namespace

void TransferWriter::replaceAll(std::vector<Candidate> &transfers, const std::vector<double> &scores)
{
    m_db.exec("DELETE FROM transfer_evidence; DELETE FROM transfers;");
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
    auto ins
        = m_db.prepare("INSERT INTO transfers(src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, "
                       "direction, account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, "
                       "confidence_label, executed, hashes, rules) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    auto ev = m_db.prepare("INSERT OR IGNORE INTO transfer_evidence(transfer_id, event, role, rule) VALUES(?,?,?,?)");
    std::vector<store::BenignLabel> benign;
    for (size_t i : order) {
        const Candidate &t = transfers[i];
        bindId(ins, 1, t.srcHost);
        ins.bindOptional(2, t.srcIp);
        ins.bind(3, t.dstHost);
        ins.bind(4, t.fileName);
        ins.bindOptional(5, t.dstPath);
        ins.bindOptional(6, t.srcPath);
        ins.bind(7, std::string_view(methodName(t.method)));
        ins.bind(8, std::string_view(directionName(t.direction)));
        bindId(ins, 9, t.account);
        bindId(ins, 10, t.srcProcess);
        bindId(ins, 11, t.dstProcess);
        ins.bind(12, t.firstTs);
        ins.bind(13, t.lastTs);
        ins.bind(14, scores[i]);
        ins.bind(15, std::string_view(ConfidenceModel::label(scores[i])));
        ins.bind(16, t.executed ? 1 : 0);
        ins.bindOptional(17, t.hashes);
        ins.bind(18, joinRules(t.rules));
        ins.exec();
        const int64_t id = m_db.lastInsertId();
        if (!t.benignTool.empty())
            benign.push_back({id, t.benignTool, t.benignReason});
        for (const Evidence &e : t.evidence) {
            ev.bind(1, id).bind(2, e.event).bind(3, std::string_view(e.role)).bind(4, std::string_view(e.rule));
            ev.exec();
        }
    }
    store::writeBenignLabels(m_db, benign);
    m_db.exec(std::string("UPDATE transfers SET key = ") + store::kTransferKeySql);
}

} // namespace tt::inference
