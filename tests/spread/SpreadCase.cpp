#include "SpreadCase.h"

#include "core/ImportEngine.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTimeZone>

#include <exception>
#include <string>

namespace spreadcase {

namespace {
QByteArray line(const char *host, int record, int64_t us)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc())
                              .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    return QStringLiteral("{\"EventID\":4634,\"Channel\":\"Security\",\"SourceName\":"
                          "\"Microsoft-Windows-Security-Auditing\",\"Hostname\":\"%1.corp.local\","
                          "\"RecordNumber\":%2,\"@timestamp\":\"%3\",\"TargetUserName\":\"alice\","
                          "\"TargetDomainName\":\"CORP\",\"TargetLogonId\":\"0x1%2\",\"LogonType\":\"3\"}\n")
        .arg(QLatin1String(host), QString::number(record), stamp)
        .toUtf8();
}

struct Hop {
    int64_t src;
    const char *srcIp;
    int64_t dst;
    std::string name, path, method;
    int64_t account, srcProcess;
    int sec;
    std::string hashes;
};
} // namespace

QString build(const QString &casePath, Ids *ids)
{
    const char *hosts[] = {"WS1", "WS2", "SRV1", "SRV2"};
    QByteArray data;
    int record = 100;
    for (const char *h : hosts)
        data += line(h, record++, kT0 - 3600 * kSec);
    const QString input = QFileInfo(casePath).absolutePath() + QStringLiteral("/") + QFileInfo(casePath).baseName()
        + QStringLiteral(".json");
    QFile f(input);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return QStringLiteral("cannot write ") + input;
    f.close();
    try {
        auto cs = tt::store::CaseStore::open(casePath.toStdString(), tt::store::CaseStore::Access::Create);
        tt::ImportEngine engine(*cs, {});
        const tt::ImportSummary sum = engine.run({input.toStdString()});
        if (sum.files.size() != 1 || sum.files[0].status != tt::FileReport::Status::Imported)
            return QStringLiteral("import failed");
        tt::sql::Db &db = cs->db();
        auto host = [&](const char *name) {
            auto st = db.prepare("SELECT id FROM hosts WHERE name = ?");
            st.bind(1, std::string_view(name));
            return st.step() ? st.int64(0) : int64_t(0);
        };
        ids->ws1 = host("WS1");
        ids->ws2 = host("WS2");
        ids->srv1 = host("SRV1");
        ids->srv2 = host("SRV2");
        if (!ids->ws1 || !ids->ws2 || !ids->srv1 || !ids->srv2)
            return QStringLiteral("hosts missing");
        const int64_t ev = db.queryInt("SELECT min(id) FROM events");
        auto account = [&](const char *name) {
            auto ins = db.prepare("INSERT OR IGNORE INTO accounts(domain, name, name_key) VALUES('CORP', ?, upper(?))");
            ins.bind(1, std::string_view(name)).bind(2, std::string_view(name));
            ins.exec();
            auto st = db.prepare("SELECT id FROM accounts WHERE domain = 'CORP' AND name_key = upper(?)");
            st.bind(1, std::string_view(name));
            return st.step() ? st.int64(0) : int64_t(0);
        };
        const int64_t alice = account("alice"), bob = account("bob");
        auto process = [&](int64_t h, const char *image, int sec, const std::string &hashes) {
            if (!hashes.empty()) { // stored once per distinct value (schema 11)
                auto ph = db.prepare("INSERT INTO process_hashes(hashes) VALUES(?) ON CONFLICT(hashes) DO NOTHING");
                ph.bind(1, hashes);
                ph.exec();
            }
            auto st
                = db.prepare("INSERT INTO processes(event, host_id, origin, image, start_ts, hashes_id, account_id) "
                             "VALUES(?, ?, 'sysmon1', ?, ?, (SELECT id FROM process_hashes WHERE hashes = ?), ?)");
            st.bind(1, ev).bind(2, h).bind(3, std::string_view(image)).bind(4, kT0 + sec * kSec).bind(5, hashes);
            st.bind(6, alice);
            st.exec();
            return db.lastInsertId();
        };
        const std::string sha = std::string("SHA256=") + kHash;
        process(ids->ws1, "C:\\Tools\\tool.exe", -60, sha);
        const int64_t psexec = process(ids->ws1, "C:\\Tools\\PsExec.exe", 9, {});
        const int64_t cmd = process(ids->ws2, "C:\\Windows\\System32\\cmd.exe", 99, {});
        const int64_t run = process(ids->srv1, "C:\\Windows\\Temp\\tool.exe", 105, sha);
        // A process of the same name elsewhere on a host that never ran the copy it got.
        process(ids->srv2, "C:\\Program Files\\Vendor\\tool.exe", 450, "SHA256=" + std::string(kOtherHash));
        const std::string temp = "C:\\Windows\\Temp\\tool.exe";
        const Hop hops[] = {
            {ids->ws1, "", ids->ws2, "tool.exe", temp, "smb-admin-share", alice, psexec, 10, sha},
            {ids->ws2, "", ids->srv1, "tool.exe", temp, "psexec-service-binary", bob, cmd, 100, sha},
            {ids->ws1, "", ids->srv2, "svc.exe", "C:\\Windows\\svc.exe", "smb-admin-share", alice, 0, 200,
                std::string("MD5=") + kMd5 + ",SHA256=" + kHash},
            {ids->srv1, "", ids->ws2, "tool.exe", temp, "smb-share", bob, 0, 300, sha},
            {ids->ws1, "", ids->srv2, "tool.exe", "C:\\Program Files\\Vendor\\tool.exe", "smb-share", alice, 0, 400,
                "SHA256=" + std::string(kOtherHash)},
            {0, "10.9.9.9", ids->srv1, "notes.txt", "C:\\Users\\Public\\notes.txt", "smb-share", 0, 0, 450, {}},
            {ids->ws1, "", ids->ws2, "TOOL.EXE", "C:\\Users\\Public\\TOOL.EXE", "smb-share", alice, 0, 500, {}},
            {ids->srv2, "", ids->srv1, "Notes.TXT", "D:\\notes.txt", "smb-share", 0, 0, 600, {}},
            {ids->ws1, "", ids->ws2, kHostileName, std::string("C:\\Temp\\") + kHostileName, "smb-share", alice, 0, 700,
                {}},
        };
        auto st = db.prepare("INSERT INTO transfers(src_host_id, src_ip, dst_host_id, file_name, dst_path, method, "
                             "direction, account_id, "
                             "src_process_id, first_ts, last_ts, confidence, confidence_label, hashes, rules) "
                             "VALUES(?,?,?,?,?,?,'push',?,?,?,?,0.9,'high',?,'test')");
        int n = 1;
        for (const Hop &h : hops) {
            st.reset();
            h.src ? st.bind(1, h.src) : st.bindNull(1);
            st.bindOptional(2, h.srcIp);
            st.bind(3, h.dst).bind(4, h.name).bind(5, h.path).bind(6, h.method);
            h.account ? st.bind(7, h.account) : st.bindNull(7);
            h.srcProcess ? st.bind(8, h.srcProcess) : st.bindNull(8);
            st.bind(9, kT0 + h.sec * kSec).bind(10, kT0 + h.sec * kSec);
            st.bindOptional(11, h.hashes);
            st.exec();
            ids->t[n++] = db.lastInsertId();
        }
        // transfers.key as inference writes it (annotations and menus read the file from it).
        db.exec("UPDATE transfers SET key = (SELECT name FROM hosts WHERE id = dst_host_id) || '|' || "
                "lower(coalesce(dst_path, file_name)) || '|' || (first_ts / 1000000)");
        auto ex = db.prepare("UPDATE transfers SET executed = 1, dst_process_id = ? WHERE id = ?");
        ex.bind(1, run).bind(2, ids->t[2]);
        ex.exec();
        auto evi = db.prepare("INSERT INTO transfer_evidence(transfer_id, event, role, rule) VALUES(?, ?, 'dst-exec', "
                              "'execution')");
        evi.bind(1, ids->t[2]).bind(2, ev);
        evi.exec();
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace spreadcase
