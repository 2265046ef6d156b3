#include "InferenceFixtures.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "inference/TransferQuery.h"
#include "store/CaseStore.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

namespace fixtures {

namespace {
int g_record = 1000;

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

QByteArray line(
    const char *host, int eventId, qint64 ms, const char *channel, const char *provider, Fields fields, bool sysmonTime)
{
    QJsonObject o;
    o.insert(QStringLiteral("EventID"), eventId);
    o.insert(QStringLiteral("Channel"), QString::fromLatin1(channel));
    o.insert(QStringLiteral("SourceName"), QString::fromLatin1(provider));
    o.insert(QStringLiteral("Hostname"), QString::fromLatin1(host));
    o.insert(QStringLiteral("RecordNumber"), ++g_record);
    o.insert(QStringLiteral("EventTime"), utc(ms).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")));
    o.insert(QStringLiteral("@timestamp"), utc(ms + 1000).toString(Qt::ISODateWithMs));
    if (sysmonTime)
        o.insert(QStringLiteral("UtcTime"), utc(ms).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz")));
    for (const auto &[k, v] : fields)
        o.insert(QString::fromLatin1(k), v);
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QString s(const char *v)
{
    return QString::fromLatin1(v);
}
} // namespace

qint64 at(double seconds)
{
    return QDateTime(QDate(2024, 3, 4), QTime(10, 0), QTimeZone::utc()).toMSecsSinceEpoch() + qint64(seconds * 1000);
}

QByteArray security(const char *host, int eventId, qint64 ms, Fields fields)
{
    return line(host, eventId, ms, "Security", "Microsoft-Windows-Security-Auditing", fields, false);
}

QByteArray system(const char *host, int eventId, qint64 ms, Fields fields)
{
    return line(host, eventId, ms, "System", "Service Control Manager", fields, false);
}

QByteArray sysmon(const char *host, int eventId, qint64 ms, Fields fields)
{
    return line(host, eventId, ms, "Microsoft-Windows-Sysmon/Operational", "Microsoft-Windows-Sysmon", fields, true);
}

QByteArray event(const char *host, int eventId, qint64 ms, const char *channel, const char *provider, Fields fields)
{
    return line(host, eventId, ms, channel, provider, fields, false);
}

QByteArray logon(const char *host, qint64 ms, const char *ip, int port, const char *logonId, int type,
    const char *domain, const char *user)
{
    return security(host, 4624, ms,
        {{"TargetUserName", s(user)}, {"TargetDomainName", s(domain)}, {"TargetLogonId", s(logonId)},
            {"LogonType", QString::number(type)}, {"IpAddress", s(ip)}, {"IpPort", QString::number(port)},
            {"AuthenticationPackageName", s("Kerberos")}, {"WorkstationName", s("-")}});
}

QByteArray shareOpen(const char *host, qint64 ms, const char *ip, int port, const char *logonId, const char *share,
    const char *localPath)
{
    return security(host, 5140, ms,
        {{"SubjectUserName", s("admin")}, {"SubjectDomainName", s("CORP")}, {"SubjectLogonId", s(logonId)},
            {"ShareName", s(share)}, {"ShareLocalPath", s(localPath)}, {"IpAddress", s(ip)},
            {"IpPort", QString::number(port)}, {"AccessMask", s("0x1")}});
}

QByteArray shareCheck(const char *host, qint64 ms, const char *ip, int port, const char *logonId, const char *share,
    const char *localPath, const char *relative, const char *mask)
{
    return security(host, 5145, ms,
        {{"SubjectUserName", s("admin")}, {"SubjectDomainName", s("CORP")}, {"SubjectLogonId", s(logonId)},
            {"ShareName", s(share)}, {"ShareLocalPath", s(localPath)}, {"RelativeTargetName", s(relative)},
            {"AccessMask", s(mask)}, {"IpAddress", s(ip)}, {"IpPort", QString::number(port)}});
}

QByteArray netConnect(const char *host, qint64 ms, bool initiated, const char *srcIp, int srcPort, const char *dstIp,
    int dstPort, const char *image)
{
    return sysmon(host, 3, ms,
        {{"Image", s(image)}, {"ProcessId", s("4")}, {"Protocol", s("tcp")},
            {"Initiated", s(initiated ? "true" : "false")}, {"SourceIp", s(srcIp)},
            {"SourcePort", QString::number(srcPort)}, {"DestinationIp", s(dstIp)},
            {"DestinationPort", QString::number(dstPort)}});
}

QByteArray fileCreate(const char *host, qint64 ms, const char *image, const char *path, int pid)
{
    return sysmon(host, 11, ms,
        {{"Image", s(image)}, {"ProcessId", QString::number(pid)}, {"TargetFilename", s(path)},
            {"Hashes", s("SHA256=0123456789ABCDEF")}});
}

QByteArray process(const char *host, qint64 ms, const char *guid, int pid, const char *image, const char *cmd,
    const char *user, const char *logonId, const char *parentImage)
{
    return sysmon(host, 1, ms,
        {{"ProcessGuid", s(guid)}, {"ProcessId", QString::number(pid)}, {"Image", s(image)}, {"CommandLine", s(cmd)},
            {"User", s(user)}, {"LogonId", s(logonId)},
            {"ParentProcessGuid", s("{00000000-0000-0000-0000-000000000001}")}, {"ParentProcessId", s("100")},
            {"ParentImage", s(parentImage)}, {"Hashes", s("SHA256=FEEDFACE")}});
}

QByteArray service(const char *host, qint64 ms, const char *name, const char *imagePath)
{
    return system(host, 7045, ms,
        {{"ServiceName", s(name)}, {"ImagePath", s(imagePath)}, {"ServiceType", s("user mode service")},
            {"StartType", s("demand start")}, {"AccountName", s("LocalSystem")}});
}

std::unique_ptr<tt::store::CaseStore> CaseFactory::fromLines(const QByteArray &lines)
{
    const QString input = m_dir.filePath(QStringLiteral("in%1.json").arg(++m_n));
    QFile f(input);
    if (!f.open(QIODevice::WriteOnly))
        return nullptr;
    f.write(lines);
    f.close();
    return fromFile(input);
}

std::unique_ptr<tt::store::CaseStore> CaseFactory::fromFile(const QString &input)
{
    ++m_n;
    auto cs = tt::store::CaseStore::open(
        m_dir.filePath(QStringLiteral("c%1.ttcase").arg(m_n)).toStdString(), tt::store::CaseStore::Access::Create);
    if (tt::ImportEngine(*cs, {}).run({input.toStdString()}).stored() == 0)
        return nullptr;
    return cs;
}

std::vector<tt::inference::TransferRow> inferTransfers(tt::store::CaseStore &cs)
{
    tt::inference::InferenceEngine(cs).run();
    return tt::inference::listTransfers(cs, {});
}

} // namespace fixtures
