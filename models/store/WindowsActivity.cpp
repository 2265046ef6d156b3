#include "store/WindowsActivity.h"

#include "store/RecordReader.h"
#include "store/RowBinding.h"
#include "store/Sqlite.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

namespace tt::store {

namespace {
// A non-negative decimal field (BITS byte counts); -1 when empty, not a number or past INT64_MAX
// (BITS writes 18446744073709551615, UINT64_MAX, for "size not known yet").
int64_t number(const std::string &v)
{
    if (v.empty())
        return -1;
    int64_t n = 0;
    for (char ch : v) {
        if (ch < '0' || ch > '9')
            return -1;
        if (__builtin_mul_overflow(n, int64_t(10), &n) || __builtin_add_overflow(n, int64_t(ch - '0'), &n))
            return -1;
    }
    return n;
}

std::string jsonField(const QJsonObject &o, const QString &name)
{
    const QJsonValue v = o.value(name);
    if (v.isString())
        return v.toString().toStdString();
    if (v.isDouble())
        return QString::number(v.toInteger()).toStdString();
    return {};
}

// EvtxECmd's Payload column: {"EventData":{"Data":[{"@Name":"X","#text":"v"},...]}}.
std::string evtxEcmdField(const QString &payload, const QString &name)
{
    const QJsonObject data
        = QJsonDocument::fromJson(payload.toUtf8()).object().value(QLatin1String("EventData")).toObject();
    const QJsonValue d = data.value(QLatin1String("Data"));
    const QJsonArray items = d.isArray() ? d.toArray() : QJsonArray {d};
    for (const QJsonValue item : items) {
        const QJsonObject o = item.toObject();
        if (o.value(QLatin1String("@Name")).toString() == name)
            return o.value(QLatin1String("#text")).toString().toStdString();
    }
    return {};
}
} // namespace

std::string payloadField(int format, std::string_view payload, std::string_view name)
{
    const QByteArray bytes(payload.data(), static_cast<qsizetype>(payload.size()));
    const QString key = QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
    if (format == 3) {
        // <Data Name="X">v</Data>, or a UserData leaf element named X.
        QXmlStreamReader xml(bytes);
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const bool data = xml.name() == QLatin1String("Data");
            if ((data && xml.attributes().value(QLatin1String("Name")) == key) || (!data && xml.name() == key))
                return xml.readElementText(QXmlStreamReader::IncludeChildElements).toStdString();
        }
        return {};
    }
    const QJsonObject root = QJsonDocument::fromJson(bytes).object();
    if (format == 1) { // {"System":{...},"EventData":[[name,value],...]}
        for (const QJsonValue pair : root.value(QLatin1String("EventData")).toArray()) {
            const QJsonArray p = pair.toArray();
            if (p.at(0).toString() == key)
                return p.at(1).toString().toStdString();
        }
        return {};
    }
    // NXLog / Logstash flat lines, Winlogbeat / ECS, EvtxECmd JSON.
    if (std::string v = jsonField(root, key); !v.empty())
        return v;
    const QJsonObject winlog = root.value(QLatin1String("winlog")).toObject();
    for (const char *part : {"event_data", "user_data"})
        if (std::string v = jsonField(winlog.value(QLatin1String(part)).toObject(), key); !v.empty())
            return v;
    if (root.value(QLatin1String("Payload")).isString())
        return evtxEcmdField(root.value(QLatin1String("Payload")).toString(), key);
    return {};
}

std::vector<ShareReadRow> loadShareReads(sql::Db &db)
{
    std::vector<ShareReadRow> out;
    auto st = db.prepare(
        "SELECT s.id, s.event, s.host_id, e.source_id, s.ts, s.share_name, s.share_path, s.relative_target, "
        "s.access_mask, s.src_ip, s.src_port, s.account_id, s.logon_id FROM share_accesses s "
        "JOIN events e ON e.id=s.event WHERE s.code=5145 AND s.ts IS NOT NULL AND s.relative_target IS NOT NULL "
        "AND ((s.access_mask & 1) != 0 OR s.access_list LIKE '%4416%') "
        "AND (s.access_mask IS NULL OR (s.access_mask & 6) = 0) "
        "AND (s.access_list IS NULL OR (s.access_list NOT LIKE '%4417%' AND s.access_list NOT LIKE '%4418%')) "
        "ORDER BY s.id");
    while (st.step()) {
        ShareReadRow r;
        r.id = st.int64(0);
        r.event = st.int64(1);
        r.host = st.int64(2);
        r.source = st.int64(3);
        r.ts = st.int64(4);
        r.share = columnText(st, 5);
        r.sharePath = columnText(st, 6);
        r.rel = columnText(st, 7);
        r.mask = columnInt64(st, 8);
        r.ip = columnText(st, 9);
        r.port = columnInt64(st, 10, -1);
        r.account = columnInt64(st, 11);
        r.logonId = columnText(st, 12);
        out.push_back(std::move(r));
    }
    return out;
}

namespace {
// The columns every payload row starts with (eachPayload's SELECT).
template<typename Row> Row eventRow(const sql::Stmt &st)
{
    Row r;
    r.event = st.int64(0);
    r.host = st.int64(1);
    r.source = st.int64(2);
    r.ts = st.int64(3);
    r.account = columnInt64(st, 5);
    return r;
}

// Events of one channel and some ids, with their stored payload (store/RecordReader) handed to `each`.
template<typename F> void eachPayload(sql::Db &db, std::string_view channel, std::string_view ids, F each)
{
    auto st = db.prepare(std::string("SELECT e.id, e.host_id, e.source_id, e.ts, e.event_id, e.account_id, "
                                     "e.payload_format, e.block_id, e.block_index FROM events e "
                                     "JOIN channels c ON c.id=e.channel_id WHERE c.name=?1 COLLATE NOCASE "
                                     "AND e.event_id IN (")
        + std::string(ids) + ") AND e.ts IS NOT NULL AND e.host_id IS NOT NULL ORDER BY e.id");
    st.bind(1, channel);
    RecordReader records(db);
    std::string_view payload;
    std::string error;
    while (st.step()) {
        if (!records.read(st, 7, payload, error))
            continue; // a corrupt block: the event browser says so; nothing to read here
        const std::string text(payload);
        each(st, st.integer(6), text);
    }
}
} // namespace

std::vector<BitsJobRow> loadBitsJobs(sql::Db &db)
{
    std::vector<BitsJobRow> out;
    eachPayload(db, "Microsoft-Windows-Bits-Client/Operational", "3, 59, 60",
        [&](const sql::Stmt &st, int format, const std::string &p) {
            BitsJobRow r = eventRow<BitsJobRow>(st);
            r.eventId = st.integer(4);
            if (r.eventId == 3) {
                r.jobId = payloadField(format, p, "jobId");
                r.title = payloadField(format, p, "jobTitle");
                r.processPath = payloadField(format, p, "processPath");
            } else {
                r.jobId = payloadField(format, p, "Id");
                r.title = payloadField(format, p, "name");
                r.url = payloadField(format, p, "url");
                r.bytesTotal = number(payloadField(format, p, "bytesTotal"));
                r.bytesTransferred = number(payloadField(format, p, "bytesTransferred"));
            }
            out.push_back(std::move(r));
        });
    return out;
}

namespace {
// "0x0000000005a419bc" -> "0x5a419bc" (the spelling of logon ids in the normalised tables).
std::string shortLogonId(const std::string &v)
{
    if (v.size() < 3 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X'))
        return v;
    size_t i = 2;
    while (i + 1 < v.size() && v[i] == '0')
        ++i;
    std::string out = "0x" + v.substr(i);
    for (char &ch : out)
        if (ch >= 'A' && ch <= 'F')
            ch = static_cast<char>(ch + 32);
    return out;
}

// <Actions><Exec><Command>C</Command><Arguments>A</Arguments></Exec>... of a task's XML.
std::vector<std::string> execActions(const std::string &taskXml)
{
    std::vector<std::string> out;
    QXmlStreamReader xml(QString::fromStdString(taskXml));
    QString command, arguments;
    bool inExec = false;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (xml.name() == QLatin1String("Exec")) {
                inExec = true;
                command.clear();
                arguments.clear();
            } else if (inExec && xml.name() == QLatin1String("Command")) {
                command = xml.readElementText().trimmed();
            } else if (inExec && xml.name() == QLatin1String("Arguments")) {
                arguments = xml.readElementText().trimmed();
            }
        } else if (token == QXmlStreamReader::EndElement && xml.name() == QLatin1String("Exec")) {
            inExec = false;
            if (!command.isEmpty())
                out.push_back((arguments.isEmpty() ? command : command + QLatin1Char(' ') + arguments).toStdString());
        }
    }
    return out;
}
} // namespace

std::vector<ScheduledTaskRow> loadScheduledTasks(sql::Db &db)
{
    std::vector<ScheduledTaskRow> out;
    eachPayload(db, "Security", "4698", [&](const sql::Stmt &st, int format, const std::string &p) {
        ScheduledTaskRow r = eventRow<ScheduledTaskRow>(st);
        r.taskName = payloadField(format, p, "TaskName");
        r.logonId = shortLogonId(payloadField(format, p, "SubjectLogonId"));
        r.actions = execActions(payloadField(format, p, "TaskContent"));
        if (!r.actions.empty())
            out.push_back(std::move(r));
    });
    return out;
}

std::vector<ScriptBlockRow> loadScriptBlocks(sql::Db &db)
{
    std::vector<ScriptBlockRow> out;
    // 4104 only: 4103's parameter bindings name a session by its name ("WinRM1"), not its computer.
    eachPayload(db, "Microsoft-Windows-PowerShell/Operational", "4104",
        [&](const sql::Stmt &st, int format, const std::string &p) {
            ScriptBlockRow r = eventRow<ScriptBlockRow>(st);
            r.eventId = st.integer(4);
            r.text = payloadField(format, p, "ScriptBlockText");
            if (!r.text.empty())
                out.push_back(std::move(r));
        });
    return out;
}

std::string contextInfoValue(std::string_view contextInfo, std::string_view key)
{
    size_t pos = 0;
    while (pos < contextInfo.size()) {
        size_t end = contextInfo.find('\n', pos);
        if (end == std::string_view::npos)
            end = contextInfo.size();
        std::string_view line = contextInfo.substr(pos, end - pos);
        pos = end + 1;
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (line.size() > key.size() + 2 && line.substr(0, key.size()) == key && line.substr(key.size(), 3) == " = ")
            return std::string(line.substr(key.size() + 3));
        if (line.size() == key.size() + 2 && line.substr(0, key.size()) == key && line.substr(key.size()) == " =")
            return {};
    }
    return {};
}

std::vector<RemotingRow> loadRemotingRecords(sql::Db &db)
{
    std::vector<RemotingRow> out;
    eachPayload(db, "Microsoft-Windows-PowerShell/Operational", "4103",
        [&](const sql::Stmt &st, int format, const std::string &p) {
            // Cheap test on the raw record first: most 4103s are other commands.
            if (p.find("New-PSSession") == std::string::npos && p.find("Session") == std::string::npos)
                return;
            RemotingRow r = eventRow<RemotingRow>(st);
            r.eventId = 4103;
            r.text = payloadField(format, p, "Payload");
            const bool copy = r.text.find("CommandInvocation(Copy-Item)") != std::string::npos
                && (r.text.find("name=\"ToSession\"") != std::string::npos
                    || r.text.find("name=\"FromSession\"") != std::string::npos);
            if (!copy && r.text.find("CommandInvocation(New-PSSession)") == std::string::npos)
                return;
            const std::string context = payloadField(format, p, "ContextInfo");
            r.runspace = contextInfoValue(context, "Runspace ID");
            r.hostApplication = contextInfoValue(context, "Host Application");
            out.push_back(std::move(r));
        });
    eachPayload(db, "Microsoft-Windows-WinRM/Operational", "6, 91, 142",
        [&](const sql::Stmt &st, int format, const std::string &p) {
            RemotingRow r = eventRow<RemotingRow>(st);
            r.eventId = st.integer(4);
            if (r.eventId == 6)
                r.text = payloadField(format, p, "connection");
            else if (r.eventId == 91)
                r.text = payloadField(format, p, "resourceUri");
            else
                r.text = payloadField(format, p, "operationName");
            out.push_back(std::move(r));
        });
    return out;
}

} // namespace tt::store
