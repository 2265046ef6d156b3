#include "store/TransferRepository.h"

#include "store/CaseStore.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <string>

namespace tt::store {

struct TransferRepository::Statements {
    sql::Stmt transfer, evidence;
};

namespace {
void bindId(sql::Stmt &st, int idx, int64_t id)
{
    if (id)
        st.bind(idx, id);
    else
        st.bindNull(idx);
}
} // namespace

TransferRepository::TransferRepository(CaseStore &cs)
    : m_cs(cs)
{
}

TransferRepository::~TransferRepository() = default;

void TransferRepository::clear()
{
    m_cs.db().exec("DELETE FROM transfer_evidence; DELETE FROM transfers;");
}

void TransferRepository::append(const std::vector<TransferWriteRow> &batch)
{
    sql::Db &db = m_cs.db();
    if (!m_st) {
        m_st = std::make_unique<Statements>();
        m_st->transfer = db.prepareInsert(
            "INSERT INTO transfers(src_host_id, src_ip, dst_host_id, file_name, dst_path, src_path, method, "
            "direction, account_id, src_process_id, dst_process_id, first_ts, last_ts, confidence, "
            "confidence_label, executed, hashes, rules, benign_tool, benign_reason) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        m_st->evidence = db.prepare(
            "INSERT INTO transfer_evidence(transfer_id, event, role, rule) VALUES(?,?,?,?) ON CONFLICT DO NOTHING");
    }
    sql::Stmt &ins = m_st->transfer;
    sql::Stmt &ev = m_st->evidence;
    for (const TransferWriteRow &t : batch) {
        bindId(ins, 1, t.srcHost);
        ins.bindOptional(2, t.srcIp);
        ins.bind(3, t.dstHost);
        ins.bind(4, t.fileName);
        ins.bindOptional(5, t.dstPath);
        ins.bindOptional(6, t.srcPath);
        ins.bind(7, t.method);
        ins.bind(8, t.direction);
        bindId(ins, 9, t.account);
        bindId(ins, 10, t.srcProcess);
        bindId(ins, 11, t.dstProcess);
        ins.bind(12, t.firstTs);
        ins.bind(13, t.lastTs);
        ins.bind(14, t.confidence);
        ins.bind(15, t.confidenceLabel);
        ins.bind(16, t.executed ? 1 : 0);
        ins.bindOptional(17, t.hashes);
        ins.bind(18, std::string_view(t.rules));
        ins.bindOptional(19, t.benignTool);
        ins.bindOptional(20, t.benignReason);
        const int64_t id = ins.execInsert();
        for (const TransferEvidenceRow &e : t.evidence) {
            ev.bind(1, id).bind(2, e.event).bind(3, e.role).bind(4, e.rule);
            ev.exec();
        }
    }
}

void TransferRepository::finish()
{
    m_cs.db().exec(std::string("UPDATE transfers SET key = ") + kTransferKeySql);
}

void TransferRepository::remove(const std::vector<int64_t> &ids)
{
    sql::Db &db = m_cs.db();
    auto ev = db.prepare("DELETE FROM transfer_evidence WHERE transfer_id = ?");
    auto tr = db.prepare("DELETE FROM transfers WHERE id = ?");
    for (int64_t id : ids) {
        ev.bind(1, id);
        ev.exec();
        tr.bind(1, id);
        tr.exec();
    }
}

std::vector<TransferOrderRow> TransferRepository::orderRows()
{
    auto st = m_cs.db().prepare("SELECT t.id, t.first_ts, t.dst_host_id, coalesce(t.src_host_id, 0), t.file_name, "
                                "(SELECT min(e.event) FROM transfer_evidence e WHERE e.transfer_id = t.id) "
                                "FROM transfers t ORDER BY t.id");
    std::vector<TransferOrderRow> out;
    while (st.step()) {
        TransferOrderRow r;
        r.id = st.int64(0);
        r.firstTs = st.int64(1);
        r.dstHost = st.int64(2);
        r.srcHost = st.int64(3);
        r.fileName = st.isNull(4) ? std::string() : st.text(4);
        r.firstEvent = st.isNull(5) ? 0 : st.int64(5);
        out.push_back(std::move(r));
    }
    return out;
}

void TransferRepository::renumber(const std::vector<std::pair<int64_t, int64_t>> &oldToNew)
{
    // Through negative ids, so that no new id meets a row still holding it.
    sql::Db &db = m_cs.db();
    auto negT = db.prepare("UPDATE transfers SET id = -id WHERE id = ?");
    auto negE = db.prepare("UPDATE transfer_evidence SET transfer_id = -transfer_id WHERE transfer_id = ?");
    for (const auto &[from, to] : oldToNew) {
        if (from == to)
            continue;
        negT.bind(1, from);
        negT.exec();
        negE.bind(1, from);
        negE.exec();
    }
    auto setT = db.prepare("UPDATE transfers SET id = ? WHERE id = ?");
    auto setE = db.prepare("UPDATE transfer_evidence SET transfer_id = ? WHERE transfer_id = ?");
    for (const auto &[from, to] : oldToNew) {
        if (from == to)
            continue;
        setT.bind(1, to).bind(2, -from);
        setT.exec();
        setE.bind(1, to).bind(2, -from);
        setE.exec();
    }
}

} // namespace tt::store
