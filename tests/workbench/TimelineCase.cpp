#include "TimelineCase.h"

#include "core/ImportEngine.h"
#include "store/CaseStore.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTimeZone>

#include <exception>

namespace timelinecase {

namespace {
QByteArray line(const char *host, int record, int64_t us)
{
    const QString stamp = QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc())
                              .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    // A logoff: stored as an event, nothing else the timeline would care about.
    return QStringLiteral("{\"EventID\":4634,\"Channel\":\"Security\",\"SourceName\":"
                          "\"Microsoft-Windows-Security-Auditing\",\"Hostname\":\"%1.corp.local\","
                          "\"RecordNumber\":%2,\"@timestamp\":\"%3\",\"TargetUserName\":\"alice\","
                          "\"TargetDomainName\":\"CORP\",\"TargetLogonId\":\"0x1%2\",\"LogonType\":\"3\"}\n")
        .arg(QLatin1String(host))
        .arg(record)
        .arg(stamp)
        .toUtf8();
}

int64_t insertTransfer(
    tt::sql::Db &db, int64_t src, int64_t dst, const char *method, int64_t first, int64_t last, double conf)
{
    auto st = db.prepare("INSERT INTO transfers(src_host_id, dst_host_id, file_name, method, direction, first_ts, "
                         "last_ts, confidence, confidence_label, rules) VALUES(?,?,?,?,'push',?,?,?,?,'test')");
    if (src)
        st.bind(1, src);
    else
        st.bindNull(1);
    st.bind(2, dst).bind(3, std::string_view("tool.exe")).bind(4, std::string_view(method));
    st.bind(5, first).bind(6, last).bind(7, conf);
    st.bind(8, std::string_view(conf >= 0.75 ? "high" : conf >= 0.5 ? "medium" : "low"));
    st.exec();
    return db.lastInsertId();
}
} // namespace

QString build(const QString &casePath, Ids *ids)
{
    struct Ev {
        const char *host;
        int sec;
    };
    const Ev events[] = {{"WS1", 0}, {"WS1", 5}, {"WS1", 10}, {"WS1", 65}, {"WS1", 120}, {"WS2", 1}, {"WS2", 61},
        {"WS2", 62}, {"DC1", 119}, {"DC1", 3600}};
    QByteArray data;
    int record = 100;
    for (const Ev &e : events)
        data += line(e.host, record++, kT0 + e.sec * kSec);
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
        if (cs->db().queryInt("SELECT count(*) FROM events") != 10)
            return QStringLiteral("expected 10 events");
        auto host = [&](const char *name) {
            auto st = cs->db().prepare("SELECT id FROM hosts WHERE name = ?");
            st.bind(1, std::string_view(name));
            return st.step() ? st.int64(0) : int64_t(0);
        };
        ids->ws1 = host("WS1");
        ids->ws2 = host("WS2");
        ids->dc1 = host("DC1");
        if (!ids->ws1 || !ids->ws2 || !ids->dc1)
            return QStringLiteral("hosts missing");
        tt::sql::Db &db = cs->db();
        ids->t1 = insertTransfer(db, ids->ws1, ids->ws2, "smb-admin-share", kT0 + 5 * kSec, kT0 + 6 * kSec, 0.9);
        ids->t2
            = insertTransfer(db, ids->ws2, ids->dc1, "psexec-service-binary", kT0 + 62 * kSec, kT0 + 62 * kSec, 0.4);
        ids->t3 = insertTransfer(db, 0, ids->ws1, "rdp-tsclient", kT0 + 100 * kSec, kT0 + 100 * kSec, 0.7);
        ids->t4 = insertTransfer(db, ids->ws1, ids->dc1, "smb-share", kT0 + 3600 * kSec, kT0 + 3600 * kSec, 0.8);
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace timelinecase
