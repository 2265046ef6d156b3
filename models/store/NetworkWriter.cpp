#include "store/NetworkWriter.h"

#include "store/CaseWriter.h"
#include "store/RowBinding.h"

namespace tt::store {

namespace {
// Binds the tuple at idx .. idx + 3.
void bindEnds(sql::Stmt &st, int idx, const NetEndpoints &e)
{
    bindText(st, idx, e.origIp);
    bindValue(st, idx + 1, e.origPort);
    bindText(st, idx + 2, e.respIp);
    bindValue(st, idx + 3, e.respPort);
}
} // namespace

NetworkWriter::NetworkWriter(CaseWriter &writer)
{
    sql::Db &db = writer.db();
    m_flow = db.prepare("INSERT INTO net_flows(event, ts, uid, proto, service, orig_ip, orig_port, resp_ip, resp_port, "
                        "duration_us, orig_bytes, resp_bytes, missed_bytes, conn_state, history) "
                        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_file
        = db.prepare("INSERT INTO net_files(event, ts, log, uid, fuid, orig_ip, orig_port, resp_ip, resp_port, src_ip, "
                     "dst_ip, action, name, path, size, mime, md5, sha1, sha256, status) "
                     "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_auth
        = db.prepare("INSERT INTO net_auth(event, ts, log, uid, orig_ip, orig_port, resp_ip, resp_port, request_type, "
                     "client, service, workstation, success, account_id) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_activity = db.prepare("INSERT INTO net_activity(event, ts, log, uid, orig_ip, orig_port, resp_ip, resp_port, "
                            "name, detail) VALUES(?,?,?,?,?,?,?,?,?,?)");
}

void NetworkWriter::insertFlow(const NetFlowRow &r)
{
    sql::Stmt &st = m_flow;
    st.bind(1, r.event);
    bindValue(st, 2, r.ts);
    bindText(st, 3, r.uid);
    bindText(st, 4, r.proto);
    bindText(st, 5, r.service);
    bindEnds(st, 6, r.ends);
    bindValue(st, 10, r.durationUs);
    bindValue(st, 11, r.origBytes);
    bindValue(st, 12, r.respBytes);
    bindValue(st, 13, r.missedBytes);
    bindText(st, 14, r.connState);
    bindText(st, 15, r.history);
    st.exec();
}

void NetworkWriter::insertFile(const NetFileRow &r)
{
    sql::Stmt &st = m_file;
    st.bind(1, r.event);
    bindValue(st, 2, r.ts);
    bindText(st, 3, r.log);
    bindText(st, 4, r.uid);
    bindText(st, 5, r.fuid);
    bindEnds(st, 6, r.ends);
    bindText(st, 10, r.srcIp);
    bindText(st, 11, r.dstIp);
    bindText(st, 12, r.action);
    bindText(st, 13, r.name);
    bindText(st, 14, r.path);
    bindValue(st, 15, r.size);
    bindText(st, 16, r.mime);
    bindText(st, 17, r.md5);
    bindText(st, 18, r.sha1);
    bindText(st, 19, r.sha256);
    bindText(st, 20, r.status);
    st.exec();
}

void NetworkWriter::insertAuth(const NetAuthRow &r)
{
    sql::Stmt &st = m_auth;
    st.bind(1, r.event);
    bindValue(st, 2, r.ts);
    bindText(st, 3, r.log);
    bindText(st, 4, r.uid);
    bindEnds(st, 5, r.ends);
    bindText(st, 9, r.requestType);
    bindText(st, 10, r.client);
    bindText(st, 11, r.service);
    bindText(st, 12, r.workstation);
    bindValue(st, 13, r.success);
    bindId(st, 14, r.accountId);
    st.exec();
}

void NetworkWriter::insertActivity(const NetActivityRow &r)
{
    sql::Stmt &st = m_activity;
    st.bind(1, r.event);
    bindValue(st, 2, r.ts);
    bindText(st, 3, r.log);
    bindText(st, 4, r.uid);
    bindEnds(st, 5, r.ends);
    bindText(st, 9, r.name);
    bindText(st, 10, r.detail);
    st.exec();
}

} // namespace tt::store
