#include "TransferExport.h"

#include "ExportText.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace tt::exporting {

namespace {
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
std::string iso(int64_t us)
{
    return formatTime(us, QTimeZone::utc()).toStdString();
}
} // namespace

std::string transferCsvHeader()
{
    return "id,first_utc,last_utc,source,source_ip,destination,file,path,source_path,method,direction,account,"
           "confidence,confidence_label,executed,evidence,evidence_source,evidence_destination,rules,hashes,benign_"
           "tool,"
           "benign_reason";
}

std::string transferCsvRow(const inference::TransferRow &r)
{
    char conf[32];
    std::snprintf(conf, sizeof conf, "%.2f", r.confidence);
    std::string s = std::to_string(r.id);
    s += ',' + iso(r.firstTs) + ',' + iso(r.lastTs);
    s += ',' + csvCell(r.source) + ',' + csvCell(r.sourceIp) + ',' + csvCell(r.destination) + ',' + csvCell(r.file)
        + ',' + csvCell(r.path) + ',' + csvCell(r.srcPath) + ',' + csvCell(r.method) + ',' + csvCell(r.direction) + ','
        + csvCell(r.account);
    s += std::string(",") + conf + ',' + r.confidenceLabel + ',' + (r.executed ? "1" : "0") + ','
        + std::to_string(r.evidence) + ',' + std::to_string(r.srcEvidence) + ',' + std::to_string(r.dstEvidence);
    s += ',' + csvCell(r.rules) + ',' + csvCell(r.hashes) + ',' + csvCell(r.benignTool) + ',' + csvCell(r.benignReason);
    return s;
}

QJsonObject transferJson(const inference::TransferRow &r)
{
    QJsonObject o;
    o[QStringLiteral("id")] = static_cast<double>(r.id);
    o[QStringLiteral("source")] = q(r.source);
    o[QStringLiteral("source_ip")] = q(r.sourceIp);
    o[QStringLiteral("destination")] = q(r.destination);
    o[QStringLiteral("file")] = q(r.file);
    o[QStringLiteral("path")] = q(r.path);
    o[QStringLiteral("source_path")] = q(r.srcPath);
    o[QStringLiteral("method")] = q(r.method);
    o[QStringLiteral("direction")] = q(r.direction);
    o[QStringLiteral("account")] = q(r.account);
    o[QStringLiteral("first_utc")] = q(iso(r.firstTs));
    o[QStringLiteral("last_utc")] = q(iso(r.lastTs));
    o[QStringLiteral("confidence")] = r.confidence;
    o[QStringLiteral("confidence_label")] = q(r.confidenceLabel);
    o[QStringLiteral("executed")] = r.executed;
    o[QStringLiteral("hashes")] = q(r.hashes);
    o[QStringLiteral("rules")] = q(r.rules);
    o[QStringLiteral("evidence")] = r.evidence;
    o[QStringLiteral("evidence_source")] = r.srcEvidence;
    o[QStringLiteral("evidence_destination")] = r.dstEvidence;
    QJsonArray reasons;
    for (const std::string &why : inference::confidenceReasons(r))
        reasons.append(q(why));
    o[QStringLiteral("confidence_reasons")] = reasons;
    // A benign-admin candidate: which deployment tool and why (null when not recognised).
    o[QStringLiteral("benign_tool")] = r.benignTool.empty() ? QJsonValue() : QJsonValue(q(r.benignTool));
    o[QStringLiteral("benign_reason")] = r.benignReason.empty() ? QJsonValue() : QJsonValue(q(r.benignReason));
    return o;
}

QString evidenceRefText(const EvidenceRef &e)
{
    QString s = QStringLiteral("event %1 %2 %3/%4").arg(e.event).arg(e.role, e.channel).arg(e.eventId);
    if (e.recordId)
        s += QStringLiteral(" record %1").arg(e.recordId);
    s += QStringLiteral(" in %1 #%2").arg(e.sourceFile).arg(e.position);
    return s;
}

QByteArray transfersCsv(const std::vector<ExportTransfer> &transfers)
{
    std::string out = transferCsvHeader() + ",key,evidence_refs\n";
    for (const ExportTransfer &t : transfers) {
        QStringList refs;
        for (const EvidenceRef &e : t.evidence)
            refs << evidenceRefText(e);
        out += transferCsvRow(t.row) + ',' + csvCell(t.key) + ','
            + csvCell(refs.join(QStringLiteral(" | ")).toStdString()) + '\n';
    }
    return QByteArray::fromStdString(out);
}

QByteArray transfersJson(const std::vector<ExportTransfer> &transfers)
{
    QJsonArray arr;
    for (const ExportTransfer &t : transfers) {
        QJsonObject o = transferJson(t.row);
        o[QStringLiteral("key")] = q(t.key);
        QJsonArray refs;
        for (const EvidenceRef &e : t.evidence) {
            QJsonObject r;
            r[QStringLiteral("event")] = static_cast<double>(e.event);
            r[QStringLiteral("role")] = e.role;
            r[QStringLiteral("rule")] = e.rule;
            r[QStringLiteral("utc")] = q(iso(e.ts));
            r[QStringLiteral("host")] = e.host;
            r[QStringLiteral("channel")] = e.channel;
            r[QStringLiteral("event_id")] = e.eventId;
            r[QStringLiteral("record_id")] = static_cast<double>(e.recordId);
            r[QStringLiteral("source_file")] = e.sourceFile;
            r[QStringLiteral("position")] = static_cast<double>(e.position);
            refs.append(r);
        }
        o[QStringLiteral("evidence_refs")] = refs;
        arr.append(o);
    }
    return QJsonDocument(arr).toJson(QJsonDocument::Indented);
}

} // namespace tt::exporting
