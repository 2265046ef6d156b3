#include "TransferTableCase.h"

#include "store/CaseStore.h"
#include "store/Sqlite.h"

std::vector<SyntheticTransfer> buildTransferCase(
    const QString &path, int transfers, int hosts, const QString &hostileFile, QString *error)
{
    static const char *const kMethods[]
        = {"smb-admin-share", "smb-share", "psexec-service-binary", "rdp-tsclient", "scp", "rsync"};
    constexpr int64_t kBase = 1700000000LL * 1000000;
    std::vector<SyntheticTransfer> out;
    try {
        auto cs = tt::store::CaseStore::open(path.toStdString(), tt::store::CaseStore::Access::Create);
        tt::sql::Db &db = cs->db();
        db.exec("BEGIN");
        auto h = db.prepare("INSERT INTO hosts(id, name) VALUES(?, ?)");
        for (int i = 0; i < hosts; ++i) {
            h.bind(1, int64_t(i) + 1).bind(2, QStringLiteral("WS-%1").arg(i, 4, 10, QLatin1Char('0')).toStdString());
            h.exec();
        }
        auto a = db.prepare("INSERT INTO accounts(id, domain, name, name_key) VALUES(?, 'ACME', ?, upper(?))");
        for (int i = 0; i < 13; ++i) {
            const std::string n = "user" + std::to_string(i);
            a.bind(1, int64_t(i) + 1).bind(2, n).bind(3, n);
            a.exec();
        }
        auto t = db.prepare(
            "INSERT INTO transfers(id, src_host_id, dst_host_id, file_name, dst_path, method, direction, account_id, "
            "first_ts, last_ts, confidence, confidence_label, executed, rules, key) "
            "VALUES(?, ?, ?, ?, ?, ?, 'push', ?, ?, ?, ?, ?, ?, 'smb-share-write', ?)");
        for (int i = 0; i < transfers; ++i) {
            SyntheticTransfer s;
            s.id = i + 1;
            s.file = i == 0 && !hostileFile.isEmpty() ? hostileFile
                                                      : QStringLiteral("tool-%1.exe").arg(i, 5, 10, QLatin1Char('0'));
            const int src = i % hosts, dst = (i * 7 + 1) % hosts;
            s.source = QStringLiteral("WS-%1").arg(src, 4, 10, QLatin1Char('0'));
            s.destination = QStringLiteral("WS-%1").arg(dst, 4, 10, QLatin1Char('0'));
            s.method = QString::fromLatin1(kMethods[i % std::size(kMethods)]);
            s.account = QStringLiteral("ACME\\user%1").arg(i % 13);
            s.executed = i % 3 == 0;
            s.confidence = 0.3 + (i % 7) / 10.0;
            s.firstTs = kBase + int64_t(i) * 1000000;
            const std::string file = s.file.toStdString();
            const std::string dstPath = "C:\\Windows\\Temp\\" + file;
            t.bind(1, s.id).bind(2, int64_t(src) + 1).bind(3, int64_t(dst) + 1).bind(4, file).bind(5, dstPath);
            t.bind(6, s.method.toStdString())
                .bind(7, int64_t(i % 13 + 1))
                .bind(8, s.firstTs)
                .bind(9, s.firstTs + 5000000);
            t.bind(10, s.confidence).bind(11, s.confidence >= 0.75 ? "high" : s.confidence >= 0.5 ? "medium" : "low");
            t.bind(12, int64_t(s.executed ? 1 : 0));
            t.bind(13,
                s.destination.toStdString() + "|" + QString::fromStdString(dstPath).toLower().toStdString() + "|"
                    + std::to_string(s.firstTs / 1000000));
            t.exec();
            out.push_back(s);
        }
        db.exec("COMMIT");
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return {};
    }
    return out;
}
