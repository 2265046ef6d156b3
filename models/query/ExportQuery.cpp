#include "query/ExportQuery.h"

#include "items/TimeFormat.h"
#include "query/GraphQuery.h"
#include "query/UnknownSources.h"
#include "store/CaseStore.h"
#include "store/RowBinding.h"
#include "store/Schema.h"
#include "store/Sqlite.h"

#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>

namespace tt::exporting {

namespace {
QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}
QString colText(const sql::Stmt &st, int c)
{
    return qs(store::columnText(st, c));
}

bool tableExists(sql::Db &db, const char *name)
{
    return store::hasTable(db, name);
}
} // namespace

namespace {
struct Extra {
    std::string key;
    int64_t src = 0, dst = 0;
};

// The rows of the transfer reader that `wanted` names (chronological), with their evidence.
std::vector<ExportTransfer> exportRows(sql::Db &db, const QHash<qint64, Extra> &wanted, bool withEvidence)
{
    std::vector<ExportTransfer> out;
    for (TransferRecord &r : readTransferRecords(db, TransferRecordFilter {})) {
        auto it = wanted.constFind(r.id);
        if (it == wanted.cend())
            continue;
        ExportTransfer t;
        t.row = std::move(r);
        t.key = it->key;
        t.srcProcessId = it->src;
        t.dstProcessId = it->dst;
        out.push_back(std::move(t));
    }
    // A source the logs do not name is printed as the graph names its node.
    std::vector<TransferRecord *> rows;
    rows.reserve(out.size());
    for (ExportTransfer &t : out)
        rows.push_back(&t.row);
    nameUnknownSources(db, rows);
    if (!withEvidence)
        return out;
    auto ev = db.prepare("SELECT e.event, e.role, e.rule, ev.ts, h.name, c.name, ev.event_id, ev.record_id, s.path, "
                         "ev.position FROM transfer_evidence e JOIN events ev ON ev.id = e.event "
                         "LEFT JOIN hosts h ON h.id = ev.host_id LEFT JOIN channels c ON c.id = ev.channel_id "
                         "LEFT JOIN sources s ON s.id = ev.source_id WHERE e.transfer_id = ? "
                         "ORDER BY ev.ts, e.event, e.role");
    for (ExportTransfer &t : out) {
        ev.bind(1, static_cast<int64_t>(t.row.id));
        while (ev.step()) {
            EvidenceRef r;
            r.event = ev.int64(0);
            r.role = colText(ev, 1);
            r.rule = colText(ev, 2);
            r.ts = store::columnInt64(ev, 3);
            r.host = colText(ev, 4);
            r.channel = colText(ev, 5);
            r.eventId = ev.integer(6);
            r.recordId = store::columnInt64(ev, 7);
            r.sourceFile = colText(ev, 8);
            r.position = ev.int64(9);
            t.evidence.push_back(std::move(r));
        }
        ev.reset();
    }
    return out;
}
} // namespace

std::vector<ExportTransfer> queryExportTransfers(sql::Db &db, const FilterState &filter, bool withEvidence)
{
    const TransferFilterSql f = transferFilterSql(filter);
    const QString sql = QStringLiteral("SELECT t.id, coalesce(t.key,''), coalesce(t.src_process_id,0), "
                                       "coalesce(t.dst_process_id,0) FROM transfers t WHERE ")
        + f.where;
    auto ids = db.prepare(sql.toStdString());
    bindTransferFilter(ids, f);
    QHash<qint64, Extra> inView;
    while (ids.step())
        inView.insert(ids.int64(0), Extra {ids.text(1), ids.int64(2), ids.int64(3)});
    return exportRows(db, inView, withEvidence);
}

std::vector<ExportTransfer> queryExportTransfersById(sql::Db &db, const QVector<qint64> &transferIds, bool withEvidence)
{
    auto st = db.prepare("SELECT coalesce(key,''), coalesce(src_process_id,0), coalesce(dst_process_id,0) "
                         "FROM transfers WHERE id = ?");
    QHash<qint64, Extra> wanted;
    for (qint64 id : transferIds) {
        st.bind(1, static_cast<int64_t>(id));
        if (st.step())
            wanted.insert(id, Extra {st.text(0), st.int64(1), st.int64(2)});
        st.reset();
    }
    return exportRows(db, wanted, withEvidence);
}

std::vector<ExportTransfer> queryExportTransfersById(
    store::CaseStore &cs, const QVector<qint64> &transferIds, bool withEvidence)
{
    return queryExportTransfersById(cs.db(), transferIds, withEvidence);
}

// The one place that reads annotations with plain SQL (until models/store/AnnotationStore is
// available here; then this becomes a call to its list()).
std::vector<AnnotationRow> readAnnotations(sql::Db &db)
{
    std::vector<AnnotationRow> out;
    if (!tableExists(db, "annotations"))
        return out;
    auto st = db.prepare("SELECT a.id, a.target_kind, a.target_key, a.label, a.note, a.bookmarked, a.modified_utc, "
                         "(SELECT group_concat(name, char(31)) FROM (SELECT t.name FROM annotation_tags x JOIN tags t "
                         "ON t.id = x.tag_id WHERE x.annotation_id = a.id ORDER BY t.name) d) "
                         "FROM annotations a ORDER BY a.target_kind, a.label, a.target_key");
    while (st.step()) {
        AnnotationRow r;
        r.kind = colText(st, 1);
        r.key = colText(st, 2);
        r.label = colText(st, 3);
        r.note = colText(st, 4);
        r.bookmarked = st.int64(5) != 0;
        r.modifiedUs = st.int64(6);
        const QString tags = colText(st, 7);
        if (!tags.isEmpty())
            r.tags = tags.split(QChar(31));
        out.push_back(std::move(r));
    }
    return out;
}

QTimeZone displayZone(sql::Db &db)
{
    auto st = db.prepare("SELECT value FROM case_info WHERE key = 'display_tz'");
    if (st.step() && !st.isNull(0)) {
        const QByteArray id = QByteArray::fromStdString(st.text(0)).trimmed();
        if (!id.isEmpty() && id != "UTC" && QTimeZone::isTimeZoneIdAvailable(id))
            return QTimeZone(id);
    }
    return QTimeZone::utc();
}

CaseSummary querySummary(sql::Db &db, const QString &casePath)
{
    CaseSummary s;
    s.name = QFileInfo(casePath).fileName();
    s.events = db.queryInt("SELECT count(*) FROM events");
    s.hosts = db.queryInt("SELECT count(*) FROM hosts");
    s.sources = db.queryInt("SELECT count(*) FROM sources");
    s.rejected = db.queryInt("SELECT coalesce(sum(records_rejected),0) FROM sources");
    s.firstTs = db.queryInt("SELECT coalesce(min(first_ts),0) FROM sources");
    s.lastTs = db.queryInt("SELECT coalesce(max(last_ts),0) FROM sources");
    s.transfersTotal = db.queryInt("SELECT count(*) FROM transfers");
    return s;
}

QString describeFilter(sql::Db &db, const FilterState &f, const QTimeZone &zone)
{
    QStringList parts;
    auto names = [&](const char *sql, const QSet<qint64> &ids) {
        QStringList n;
        auto st = db.prepare(sql);
        QList<qint64> sorted = ids.values();
        std::sort(sorted.begin(), sorted.end());
        for (qint64 id : sorted) {
            st.bind(1, static_cast<int64_t>(id));
            n << (st.step() ? colText(st, 0) : QString::number(id));
            st.reset();
        }
        return n.join(QStringLiteral(", "));
    };
    if (!f.hosts.isEmpty())
        parts << QStringLiteral("hosts: ") + names("SELECT name FROM hosts WHERE id = ?", f.hosts);
    if (!f.accounts.isEmpty())
        parts << QStringLiteral("accounts: ")
                + names(
                    "SELECT CASE WHEN domain = '' THEN name ELSE domain || '\\' || name END FROM accounts WHERE id = ?",
                    f.accounts);
    if (!f.parentImages.isEmpty())
        parts << QStringLiteral("parent image: ") + f.parentImages.join(QStringLiteral(", "));
    if (!f.methods.isEmpty())
        parts << QStringLiteral("methods: ") + f.methods.join(QStringLiteral(", "));
    if (f.minConfidence > 0)
        parts << QStringLiteral("confidence >= %1").arg(f.minConfidence, 0, 'f', 2);
    if (!f.text.isEmpty())
        parts << QStringLiteral("text: ") + f.text;
    if (f.hasTimeWindow())
        parts << QStringLiteral("time: %1 .. %2")
                     .arg(f.fromUs ? formatIsoTime(f.fromUs, zone) : QStringLiteral("open"),
                         f.toUs ? formatIsoTime(f.toUs, zone) : QStringLiteral("open"));
    return parts.join(QStringLiteral("; "));
}

std::vector<int64_t> resolveAccounts(sql::Db &db, const std::string &spelling)
{
    const AccountSpelling a = parseAccountSpelling(spelling);
    // Same matching as `transfertrace transfers --account`: a DNS domain matches its NetBIOS
    // prefix and the other way round; linked spellings resolve to their canonical account.
    auto st = db.prepare("SELECT a.id, coalesce(l.canonical_id, a.id) FROM accounts a "
                         "LEFT JOIN account_links l ON l.account_id = a.id "
                         "WHERE a.name_key = ?1 AND (?2 = '' OR a.domain = ?2 "
                         "OR substr(a.domain, 1, length(?2) + 1) = ?2 || '.' "
                         "OR substr(?2, 1, length(a.domain) + 1) = a.domain || '.')");
    st.bind(1, std::string_view(a.name));
    st.bind(2, std::string_view(a.domain));
    std::vector<int64_t> out;
    while (st.step()) {
        out.push_back(st.int64(0));
        out.push_back(st.int64(1));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

ReportData queryReportData(sql::Db &db, const FilterState &filter, const QString &casePath)
{
    ReportData d;
    try {
        d.summary = querySummary(db, casePath);
        d.zone = displayZone(db);
        d.zoneName = d.zone == QTimeZone::utc() ? QStringLiteral("UTC") : QString::fromUtf8(d.zone.id());
        d.filterText = describeFilter(db, filter, d.zone);
        d.transfers = queryExportTransfers(db, filter, true); // unknown sources named as the graph names them
        for (const ExportTransfer &t : d.transfers)
            d.chains.push_back(queryTransferAncestry(db, t.row.id));
        d.annotations = readAnnotations(db);
    } catch (const std::exception &e) {
        d.error = QString::fromUtf8(e.what());
    }
    return d;
}

std::vector<ExportTransfer> queryExportTransfers(store::CaseStore &cs, const FilterState &filter, bool withEvidence)
{
    return queryExportTransfers(cs.db(), filter, withEvidence);
}

QString describeFilter(store::CaseStore &cs, const FilterState &filter, const QTimeZone &zone)
{
    return describeFilter(cs.db(), filter, zone);
}

std::vector<int64_t> resolveAccounts(store::CaseStore &cs, const std::string &spelling)
{
    return resolveAccounts(cs.db(), spelling);
}

ReportData queryReportData(store::CaseStore &cs, const FilterState &filter, const QString &casePath)
{
    return queryReportData(cs.db(), filter, casePath);
}

} // namespace tt::exporting
