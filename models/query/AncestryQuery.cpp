#include "query/AncestryQuery.h"

#include "query/GraphQuery.h"
#include "store/CaseStore.h"
#include "store/RecordReader.h"
#include "store/Sqlite.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QXmlStreamReader>

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace tt {

namespace {

// Every process query selects the same columns, read by readProcess().
constexpr std::string_view kProcessSelect
    = "SELECT p.id, p.host_id, coalesce(h.name,''), p.pid, coalesce(p.guid,''), coalesce(p.image,''), "
      "coalesce(p.command_line,''), "
      "coalesce((SELECT l.canonical_id FROM account_links l WHERE l.account_id=p.account_id), p.account_id, 0), "
      "coalesce(CASE WHEN a.domain<>'' THEN a.domain||'\\'||a.name ELSE a.name END,''), coalesce(p.logon_id,''), "
      "coalesce(p.start_ts,0), coalesce(p.end_ts,0), p.origin, p.event, coalesce(p.parent_guid,''), p.parent_pid, "
      "coalesce(p.parent_image,'') FROM processes p LEFT JOIN hosts h ON h.id=p.host_id "
      "LEFT JOIN accounts a ON a.id=p.account_id ";

std::string processSql(std::string_view where)
{
    return std::string(kProcessSelect) + std::string(where);
}

QString qs(const sql::Stmt &st, int col)
{
    const std::string_view v = st.textView(col);
    return QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
}

void readProcess(const sql::Stmt &st, ProcessInfo &p)
{
    p.id = st.int64(0);
    p.hostId = st.int64(1);
    p.host = qs(st, 2);
    p.pid = st.isNull(3) ? -1 : st.int64(3);
    p.guid = qs(st, 4);
    p.image = qs(st, 5);
    p.commandLine = qs(st, 6);
    p.accountId = st.int64(7);
    p.account = qs(st, 8);
    p.logonId = qs(st, 9);
    p.startTs = st.int64(10);
    p.endTs = st.int64(11);
    p.origin = qs(st, 12);
    p.event = st.int64(13);
    p.parentGuid = qs(st, 14);
    p.parentPid = st.isNull(15) ? -1 : st.int64(15);
    p.parentImage = qs(st, 16);
}

std::string toUtf8(const QString &s)
{
    return s.toStdString();
}

// A JSON array of ids, bound as one parameter and read back with json_each(): no limit on the
// number of ids and no SQL built from values.
std::string idArray(const QVector<qint64> &ids)
{
    std::string out = "[";
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            out += ',';
        out += std::to_string(ids[i]);
    }
    out += ']';
    return out;
}

// A stored record's payload (store::RecordReader, columns col / col + 1 = block_id, block_index)
// as text bytes; false and the error text in out when its block is corrupt.
bool readPayload(store::RecordReader &records, const sql::Stmt &st, int col, QByteArray &out)
{
    std::string_view text;
    std::string error;
    const bool ok = records.read(st, col, text, error);
    out = ok ? QByteArray(text.data(), static_cast<qsizetype>(text.size())) : QByteArray::fromStdString(error);
    return ok;
}

QString jsonScalar(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return v.toVariant().toString(); // integers stay exact (qint64)
    default:
        return {};
    }
}

void flattenJson(const QString &prefix, const QJsonValue &v, std::vector<EventField> &out)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flattenJson(prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key(), it.value(), out);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i)
            flattenJson(prefix + QLatin1Char('[') + QString::number(i) + QLatin1Char(']'), a.at(i), out);
    } else {
        out.push_back({prefix, jsonScalar(v)});
    }
}

void parseJson(int format, const QByteArray &payload, std::vector<EventField> &out)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        out.push_back({QStringLiteral("(error)"),
            err.error != QJsonParseError::NoError
                ? QStringLiteral("JSON: %1 at offset %2").arg(err.errorString()).arg(err.offset)
                : QStringLiteral("JSON: not an object")});
        return;
    }
    const QJsonObject root = doc.object();
    if (format == 1) {
        // Rendered by the normaliser: {"System":{...},"EventData":[[name,value],...]}; pairs keep
        // the record's order and duplicate names.
        const QJsonObject sys = root.value(QLatin1String("System")).toObject();
        for (auto it = sys.begin(); it != sys.end(); ++it)
            out.push_back({it.key(), jsonScalar(it.value())});
        const QJsonArray data = root.value(QLatin1String("EventData")).toArray();
        for (const QJsonValue pair : data) { // (QJsonArray hands out QJsonValueConstRef: one copy)
            const QJsonArray p = pair.toArray();
            out.push_back({p.at(0).toString(), jsonScalar(p.at(1))});
        }
        return;
    }
    flattenJson(QString(), root, out);
}

void parseXml(const QByteArray &payload, std::vector<EventField> &out)
{
    struct Open {
        QString name;
        QString text;
        bool hasChildren = false;
    };
    std::vector<Open> stack;
    QXmlStreamReader xml(payload);
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (!stack.empty())
                stack.back().hasChildren = true;
            Open o;
            const QString local = xml.name().toString();
            const auto attrs = xml.attributes();
            // <Data Name="X">v</Data> is the field X; other attributes become Element.attribute.
            if (local == QLatin1String("Data") && attrs.hasAttribute(QLatin1String("Name"))) {
                o.name = attrs.value(QLatin1String("Name")).toString();
            } else {
                o.name = local;
                for (const QXmlStreamAttribute &a : attrs)
                    out.push_back({local + QLatin1Char('.') + a.name().toString(), a.value().toString()});
            }
            stack.push_back(o);
        } else if (token == QXmlStreamReader::Characters && !stack.empty()) {
            stack.back().text += xml.text();
        } else if (token == QXmlStreamReader::EndElement && !stack.empty()) {
            const Open o = stack.back();
            stack.pop_back();
            if (!o.hasChildren && (!o.text.trimmed().isEmpty() || xml.name() == QLatin1String("Data")))
                out.push_back({o.name, o.text});
        }
    }
    if (xml.hasError())
        out.push_back({QStringLiteral("(error)"),
            QStringLiteral("XML: %1 at line %2").arg(xml.errorString()).arg(xml.lineNumber())});
}

bool lookupParentByPid(sql::Db &db, const ProcessInfo &child, ProcessInfo &parent)
{
    if (child.parentPid < 0)
        return false;
    // The latest process with that PID on that host that started before the child and had not
    // ended by then. A candidate with a GUID cannot be the parent of a child naming another GUID.
    auto st = db.prepare(processSql("WHERE p.host_id=?1 AND p.pid=?2 AND p.id<>?3 "
                                    "AND (?4=0 OR p.start_ts IS NULL OR p.start_ts<?4 OR (p.start_ts=?4 AND p.id<?3)) "
                                    "AND (?4=0 OR p.end_ts IS NULL OR p.end_ts>=?4) "
                                    "AND (?5='' OR coalesce(p.guid,'')='') "
                                    "ORDER BY coalesce(p.start_ts,0) DESC, p.id DESC LIMIT 1"));
    st.bind(1, child.hostId)
        .bind(2, child.parentPid)
        .bind(3, child.id)
        .bind(4, child.startTs)
        .bind(5, toUtf8(child.parentGuid));
    if (!st.step())
        return false;
    readProcess(st, parent);
    return true;
}

} // namespace

bool queryProcess(store::CaseStore &store, int64_t processId, ProcessInfo &out)
{
    return queryProcess(store.db(), processId, out);
}

bool queryProcess(sql::Db &db, int64_t processId, ProcessInfo &out)
{
    auto st = db.prepare(processSql("WHERE p.id=?"));
    st.bind(1, processId);
    if (!st.step())
        return false;
    readProcess(st, out);
    return true;
}

bool queryParent(sql::Db &db, const ProcessInfo &child, ProcessInfo &parent)
{
    if (!child.parentGuid.isEmpty()) {
        auto st = db.prepare(
            processSql("WHERE p.host_id=? AND p.guid=? AND p.id<>? ORDER BY p.start_ts DESC, p.id DESC LIMIT 1"));
        st.bind(1, child.hostId).bind(2, toUtf8(child.parentGuid)).bind(3, child.id);
        if (st.step()) {
            readProcess(st, parent);
            return true;
        }
    }
    // No GUID, or a parent GUID never logged (started before the logging): PID + time window.
    return lookupParentByPid(db, child, parent);
}

ProcessChain queryAncestry(store::CaseStore &store, int64_t processId)
{
    return queryAncestry(store.db(), processId);
}

ProcessChain queryAncestry(sql::Db &db, int64_t processId)
{
    ProcessChain out;
    try {
        ProcessInfo cur;
        if (!queryProcess(db, processId, cur))
            return out;
        QSet<qint64> seen {cur.id};
        out.chain.push_back(cur);
        ProcessInfo parent;
        while (queryParent(db, out.chain.back(), parent)) {
            if (seen.contains(parent.id)) {
                out.cycle = true;
                break;
            }
            if (static_cast<int>(out.chain.size()) >= kMaxAncestryDepth) {
                out.truncated = true;
                break;
            }
            seen.insert(parent.id);
            out.chain.push_back(parent);
        }
        std::reverse(out.chain.begin(), out.chain.end());
    } catch (const std::exception &e) {
        out = ProcessChain {};
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

std::vector<ProcessInfo> queryChildren(store::CaseStore &store, int64_t processId)
{
    return queryChildren(store.db(), processId);
}

std::vector<ProcessInfo> queryChildren(sql::Db &db, int64_t processId)
{
    std::vector<ProcessInfo> out;
    ProcessInfo node;
    if (!queryProcess(db, processId, node))
        return out;
    if (!node.guid.isEmpty()) {
        auto st = db.prepare(
            processSql("WHERE p.host_id=? AND p.parent_guid=? AND p.id<>? ORDER BY p.start_ts, p.id LIMIT ?"));
        st.bind(1, node.hostId).bind(2, toUtf8(node.guid)).bind(3, node.id).bind(4, kMaxChildren);
        while (st.step()) {
            ProcessInfo c;
            readProcess(st, c);
            out.push_back(std::move(c));
        }
    }
    if (node.pid >= 0) {
        // The mirror image of lookupParentByPid(): children naming this PID, started while this
        // process ran, with no other process of that PID started in between (PID reuse).
        auto st = db.prepare(
            processSql("WHERE p.host_id=?1 AND p.parent_pid=?2 AND p.id<>?3 "
                       "AND (coalesce(p.parent_guid,'')='' OR (?6='' AND NOT EXISTS(SELECT 1 FROM processes g "
                       "     WHERE g.host_id=p.host_id AND g.guid=p.parent_guid))) "
                       "AND (?4=0 OR p.start_ts IS NULL OR p.start_ts>?4 OR (p.start_ts=?4 AND p.id>?3)) "
                       "AND (?5=0 OR p.start_ts IS NULL OR p.start_ts<=?5) "
                       "AND NOT EXISTS(SELECT 1 FROM processes q WHERE q.host_id=p.host_id AND q.pid=p.parent_pid "
                       "     AND q.id<>?3 AND q.id<>p.id AND (q.start_ts>?4 OR (q.start_ts=?4 AND q.id>?3)) "
                       "     AND (q.start_ts<p.start_ts OR (q.start_ts=p.start_ts AND q.id<p.id)) "
                       "     AND (q.end_ts IS NULL OR q.end_ts>=p.start_ts) "
                       "     AND (coalesce(p.parent_guid,'')='' OR coalesce(q.guid,'')='')) "
                       "ORDER BY p.start_ts, p.id LIMIT ?7"));
        st.bind(1, node.hostId).bind(2, node.pid).bind(3, node.id).bind(4, node.startTs).bind(5, node.endTs);
        st.bind(6, toUtf8(node.guid)).bind(7, kMaxChildren);
        while (st.step()) {
            ProcessInfo c;
            readProcess(st, c);
            out.push_back(std::move(c));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const ProcessInfo &a, const ProcessInfo &b) {
        return a.startTs < b.startTs || (a.startTs == b.startTs && a.id < b.id);
    });
    if (out.size() > static_cast<size_t>(kMaxChildren))
        out.resize(static_cast<size_t>(kMaxChildren));
    return out;
}

TransferSides queryTransferAncestry(store::CaseStore &store, int64_t transferId)
{
    return queryTransferAncestry(store.db(), transferId);
}

TransferSides queryTransferAncestry(sql::Db &db, int64_t transferId)
{
    TransferSides out;
    out.transferId = transferId;
    try {
        auto st = db.prepare(
            "SELECT coalesce(t.src_process_id,0), coalesce(t.dst_process_id,0), "
            "coalesce(hs.name, t.src_ip, ''), coalesce(hd.name,''), t.file_name FROM transfers t "
            "LEFT JOIN hosts hs ON hs.id=t.src_host_id LEFT JOIN hosts hd ON hd.id=t.dst_host_id WHERE t.id=?");
        st.bind(1, transferId);
        if (!st.step()) {
            out.error = QStringLiteral("no transfer %1").arg(transferId);
            return out;
        }
        out.srcProcessId = st.int64(0);
        out.dstProcessId = st.int64(1);
        out.srcHost = qs(st, 2);
        out.dstHost = qs(st, 3);
        out.fileName = qs(st, 4);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
        return out;
    }
    if (out.srcProcessId)
        out.pushedBy = queryAncestry(db, out.srcProcessId);
    if (out.dstProcessId)
        out.executedBy = queryAncestry(db, out.dstProcessId);
    return out;
}

int64_t queryProcessForEvent(store::CaseStore &store, int64_t eventId)
{
    sql::Db &db = store.db();
    try {
        // The normalised tables have no index on `event`; the event's host narrows each look-up
        // to that host's rows through the (host_id, ...) indexes.
        auto own = db.prepare("SELECT id FROM processes WHERE host_id=(SELECT host_id FROM events WHERE id=?1) "
                              "AND (event=?1 OR end_event=?1) ORDER BY event=?1 DESC LIMIT 1");
        own.bind(1, eventId);
        if (own.step())
            return own.int64(0);
        auto actor = db.prepare(
            "SELECT host_id, process_guid FROM file_events WHERE host_id=(SELECT host_id FROM events WHERE id=?1) "
            "  AND event=?1 AND coalesce(process_guid,'')<>'' "
            "UNION ALL SELECT host_id, process_guid FROM net_connections WHERE host_id=(SELECT host_id FROM events "
            "WHERE id=?1) "
            "  AND event=?1 AND coalesce(process_guid,'')<>'' "
            "UNION ALL SELECT host_id, process_guid FROM dns_queries WHERE host_id=(SELECT host_id FROM events WHERE "
            "id=?1) "
            "  AND event=?1 AND coalesce(process_guid,'')<>'' LIMIT 1");
        actor.bind(1, eventId);
        if (!actor.step())
            return 0;
        auto byGuid = db.prepare("SELECT id FROM processes WHERE host_id=? AND guid=? ORDER BY start_ts DESC LIMIT 1");
        byGuid.bind(1, actor.int64(0)).bind(2, actor.textView(1));
        return byGuid.step() ? byGuid.int64(0) : 0;
    } catch (const std::exception &) {
        return 0;
    }
}

EvidenceList queryEvidence(store::CaseStore &store, const EvidenceScope &scope)
{
    sql::Db &db = store.db();
    EvidenceList out;
    auto collect = [&out](sql::Stmt &st) {
        while (st.step()) {
            if (out.rows.size() >= static_cast<size_t>(kMaxEvidenceRows)) {
                out.capped = true;
                return;
            }
            out.rows.push_back({st.int64(0), st.int64(1), st.int64(2), qs(st, 3), qs(st, 4)});
        }
    };
    try {
        constexpr std::string_view kSelect = "SELECT te.event, te.transfer_id, coalesce(e.ts,0), te.role, te.rule "
                                             "FROM transfer_evidence te JOIN events e ON e.id=te.event ";
        constexpr std::string_view kOrder = " ORDER BY e.ts, te.event, te.transfer_id, te.role LIMIT ";
        const std::string limit = std::to_string(kMaxEvidenceRows + 1);
        switch (scope.kind) {
        case EvidenceScope::Kind::None:
            break;
        case EvidenceScope::Kind::Transfers: {
            // Only the transfers the filter keeps: a pivot after the pick drops the others' rows.
            const TransferFilterSql f = transferFilterSql(scope.filter);
            auto st = db.prepare(std::string(kSelect)
                + "WHERE te.transfer_id IN (SELECT t.id FROM transfers t WHERE t.id IN (SELECT value FROM "
                  "json_each(?)) AND "
                + f.where.toStdString() + ")" + std::string(kOrder) + limit);
            st.bind(1, idArray(scope.transfers));
            bindTransferFilter(st, f, 2);
            collect(st);
            break;
        }
        case EvidenceScope::Kind::Host: {
            // One row per event: the transfers of one SMB session (PsExec's service binary and
            // the tool it runs) share its logon, connection and 5140 / 5145 share accesses, and
            // one event may back a transfer in two roles; the row names the first transfer and
            // every role and rule.
            const TransferFilterSql f = transferFilterSql(scope.filter);
            auto st = db.prepare(
                "SELECT te.event, min(te.transfer_id), coalesce(e.ts,0), group_concat(DISTINCT te.role), "
                "group_concat(DISTINCT te.rule) FROM transfer_evidence te JOIN events e ON e.id=te.event "
                "WHERE te.transfer_id IN (SELECT t.id FROM transfers t WHERE (t.src_host_id=? OR t.dst_host_id=?) AND "
                + f.where.toStdString() + ") GROUP BY te.event ORDER BY e.ts, te.event LIMIT " + limit);
            st.bind(1, static_cast<int64_t>(scope.host)).bind(2, static_cast<int64_t>(scope.host));
            bindTransferFilter(st, f, 3);
            collect(st);
            break;
        }
        case EvidenceScope::Kind::Process: {
            // A process's own events: its start and end, what it did by GUID (file, network,
            // DNS) and the start of its children (by GUID or PID, see queryChildren()).
            auto st = db.prepare(
                "SELECT x.event, 0, coalesce(e.ts,0), x.role, '' FROM ("
                " SELECT p.event AS event, 'process-start' AS role FROM processes p WHERE p.id=?1"
                " UNION ALL SELECT p.end_event, 'process-end' FROM processes p WHERE p.id=?1 AND p.end_event IS NOT "
                "NULL"
                " UNION ALL SELECT f.event, 'file-' || f.kind FROM processes p JOIN file_events f ON "
                "f.host_id=p.host_id"
                "   AND f.process_guid=p.guid WHERE p.id=?1 AND coalesce(p.guid,'')<>''"
                " UNION ALL SELECT n.event, 'network' FROM processes p JOIN net_connections n ON n.host_id=p.host_id"
                "   AND n.process_guid=p.guid WHERE p.id=?1 AND coalesce(p.guid,'')<>''"
                " UNION ALL SELECT d.event, 'dns' FROM processes p JOIN dns_queries d ON d.host_id=p.host_id"
                "   AND d.process_guid=p.guid WHERE p.id=?1 AND coalesce(p.guid,'')<>''"
                ") x JOIN events e ON e.id=x.event ORDER BY e.ts, x.event LIMIT ?2");
            st.bind(1, static_cast<int64_t>(scope.process)).bind(2, kMaxEvidenceRows + 1);
            collect(st);
            for (const ProcessInfo &c : queryChildren(db, scope.process))
                out.rows.push_back({c.event, 0, c.startTs, QStringLiteral("child-start"), QString()});
            std::stable_sort(out.rows.begin(), out.rows.end(), [](const EvidenceKey &a, const EvidenceKey &b) {
                return a.ts < b.ts || (a.ts == b.ts && a.event < b.event);
            });
            break;
        }
        }
    } catch (const std::exception &e) {
        out = EvidenceList {};
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

std::vector<EvidenceDetail> queryEvidenceDetails(store::CaseStore &store, const QVector<qint64> &eventIds)
{
    sql::Db &db = store.db();
    std::vector<EvidenceDetail> out;
    try {
        auto st = db.prepare(
            "SELECT e.id, coalesce(e.host_id,0), coalesce(h.name,''), coalesce(c.name,''), e.event_id, "
            "e.payload_format, e.block_id, e.block_index, coalesce(e.account_id,0), "
            "coalesce(CASE WHEN a.domain <> '' THEN a.domain || '\\' ELSE '' END || a.name, ''), "
            // The process an event started (the first, if several): subqueries instead
            // of a join and GROUP BY e.id, which a server refuses for the other columns.
            "coalesce((SELECT p.image FROM processes p WHERE p.event=e.id ORDER BY p.id LIMIT 1),''), "
            "coalesce((SELECT p.parent_image FROM processes p WHERE p.event=e.id ORDER BY p.id LIMIT 1),'') "
            "FROM events e LEFT JOIN hosts h ON h.id=e.host_id LEFT JOIN channels c ON c.id=e.channel_id "
            "LEFT JOIN accounts a ON a.id=e.account_id "
            "WHERE e.id IN (SELECT value FROM json_each(?))");
        st.bind(1, idArray(eventIds));
        store::RecordReader records(db);
        while (st.step()) {
            EvidenceDetail d;
            d.event = st.int64(0);
            d.hostId = st.int64(1);
            d.host = qs(st, 2);
            d.channel = qs(st, 3);
            d.eventId = st.integer(4);
            d.accountId = st.int64(8);
            d.account = qs(st, 9);
            d.image = qs(st, 10);
            d.parentImage = qs(st, 11);
            QByteArray text;
            if (readPayload(records, st, 6, text))
                d.summary = summarizeFields(parsePayloadFields(st.integer(5), text));
            else
                d.summary = QStringLiteral("(corrupt payload)");
            out.push_back(std::move(d));
        }
    } catch (const std::exception &) {
        out.clear();
    }
    return out;
}

EventDetails queryEventDetails(store::CaseStore &store, int64_t eventId)
{
    sql::Db &db = store.db();
    EventDetails out;
    out.id = eventId;
    try {
        auto st
            = db.prepare("SELECT coalesce(e.ts,0), coalesce(h.name,''), coalesce(c.name,''), coalesce(pr.name,''), "
                         "e.event_id, coalesce(s.path,''), e.position, e.payload_format, e.block_id, e.block_index "
                         "FROM events e LEFT JOIN hosts h ON h.id=e.host_id LEFT JOIN channels c ON c.id=e.channel_id "
                         "LEFT JOIN providers pr ON pr.id=e.provider_id LEFT JOIN sources s ON s.id=e.source_id "
                         "WHERE e.id=?");
        st.bind(1, eventId);
        if (!st.step()) {
            out.error = QStringLiteral("no event %1").arg(eventId);
            return out;
        }
        out.ts = st.int64(0);
        out.host = qs(st, 1);
        out.channel = qs(st, 2);
        out.provider = qs(st, 3);
        out.eventId = st.integer(4);
        out.source = qs(st, 5);
        out.position = st.int64(6);
        out.format = st.integer(7);
        store::RecordReader records(db, 1);
        QByteArray text;
        if (!readPayload(records, st, 8, text)) {
            out.error
                = QStringLiteral("cannot read the record of event %1: %2").arg(eventId).arg(QString::fromUtf8(text));
            return out;
        }
        out.raw = QString::fromUtf8(text);
        out.fields = parsePayloadFields(out.format, text);
    } catch (const std::exception &e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

std::vector<EventField> parsePayloadFields(int format, const QByteArray &payload)
{
    std::vector<EventField> out;
    if (format == 3)
        parseXml(payload, out);
    else
        parseJson(format, payload, out);
    return out;
}

QString summarizeFields(const std::vector<EventField> &fields, int maxChars)
{
    // The fields that say what happened, in the order an analyst reads them.
    static const char *const kKeys[]
        = {"Image", "NewProcessName", "CommandLine", "TargetFilename", "ShareName", "RelativeTargetName", "ObjectName",
            "ServiceName", "ImagePath", "TargetUserName", "TargetDomainName", "LogonType", "IpAddress", "SourceIp",
            "DestinationIp", "DestinationPort", "QueryName", "ProcessName", "ParentImage"};
    QStringList parts;
    for (const char *key : kKeys) {
        const QLatin1String k(key);
        for (const EventField &f : fields) {
            // Winlogbeat nests event data (winlog.event_data.Image): match the last segment.
            const qsizetype dot = f.name.lastIndexOf(QLatin1Char('.'));
            const QStringView leaf = dot < 0 ? QStringView(f.name) : QStringView(f.name).mid(dot + 1);
            if (leaf.compare(k, Qt::CaseInsensitive) == 0 && !f.value.isEmpty() && f.value != QLatin1String("-")) {
                parts << QString(k) + QLatin1Char('=') + f.value;
                break;
            }
        }
    }
    if (parts.isEmpty()) {
        // Not a Windows event the keys above know (Zeek, Linux, other tools): the first fields in
        // the record's own order, leaving out bookkeeping ones.
        static const char *const kSkip[] = {"ts", "uid", "fuid", "_path", "_write_ts", "@stream", "@system", "@proc",
            "Line", "type", "msg", "serial", "Channel", "EventID", "Provider", "Computer", "TimeCreated",
            "EventRecordID", "orig_p", "id.orig_p"};
        for (const EventField &f : fields) {
            if (parts.size() >= 6)
                break;
            const qsizetype dot = f.name.lastIndexOf(QLatin1Char('.'));
            const QString leaf = dot < 0 || f.name.startsWith(QLatin1String("id.")) ? f.name : f.name.mid(dot + 1);
            if (f.value.isEmpty() || f.value == QLatin1String("-") || f.name.startsWith(QLatin1String("System."))
                || std::any_of(
                    std::begin(kSkip), std::end(kSkip), [&](const char *k) { return leaf == QLatin1String(k); }))
                continue;
            parts << leaf + QLatin1Char('=') + f.value.left(200);
        }
    }
    QString s = parts.join(QLatin1String("  "));
    for (QChar &c : s)
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t'))
            c = QLatin1Char(' ');
    if (s.size() > maxChars)
        s = s.left(maxChars - 1) + QChar(0x2026);
    return s;
}

} // namespace tt
