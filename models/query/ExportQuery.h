#pragma once

// What the exports and the report show, read from a case under the workbench's filter: the
// transfers in view with their evidence references, process chains, annotations, the case
// summary and display time zone. Plain functions over one connection (callers run them on a
// worker thread with their own connection, or in the CLI); graph/export only formats them.

#include "query/AncestryQuery.h"
#include "query/TransferRecordQuery.h"
#include "workbench/FilterState.h"

#include <QString>
#include <QStringList>
#include <QTimeZone>
#include <QVector>

#include <cstdint>
#include <string>
#include <vector>

namespace tt::sql {
class Db;
}
namespace tt::store {
class CaseStore;
}

namespace tt::exporting {

// Where a piece of evidence came from: the stored record and its place in the original file.
struct EvidenceRef {
    int64_t event = 0; // events.id
    QString role, rule;
    int64_t ts = 0;
    QString host;
    QString channel;
    int eventId = 0; // Windows event id
    int64_t recordId = 0; // EventRecordID, 0 when none
    QString sourceFile;
    int64_t position = 0; // record number / line in the source file
};

struct ExportTransfer {
    TransferRecord row;
    std::string key; // transfers.key (stable across re-inference), may be empty
    std::vector<EvidenceRef> evidence;
    int64_t srcProcessId = 0, dstProcessId = 0;
};

// One annotation as the analyst left it (annotations + tags tables).
struct AnnotationRow {
    QString kind; // host | transfer | event | process | account
    QString key; // hosts.name, transfers.key, or the row id
    QString label; // the item's display text when annotated
    QString note;
    QStringList tags;
    bool bookmarked = false;
    int64_t modifiedUs = 0;
};

struct CaseSummary {
    QString name; // file name of the case
    int64_t events = 0, hosts = 0, sources = 0, rejected = 0;
    int64_t firstTs = 0, lastTs = 0;
    int64_t transfersTotal = 0;
};

struct ReportData {
    CaseSummary summary;
    QTimeZone zone = QTimeZone::utc();
    QString zoneName = QStringLiteral("UTC");
    QString filterText; // the filter in words ("" = whole case)
    std::vector<ExportTransfer> transfers; // in view, chronological
    std::vector<TransferSides> chains; // one per transfer, same order
    std::vector<AnnotationRow> annotations;
    QString error;
};

// Transfers in view under `filter` (the same WHERE as the graph), chronological, with their
// evidence references when `withEvidence`.
std::vector<ExportTransfer> queryExportTransfers(sql::Db &db, const FilterState &filter, bool withEvidence = true);
std::vector<ExportTransfer> queryExportTransfers(
    store::CaseStore &cs, const FilterState &filter, bool withEvidence = true);
// These transfers (the rows an analyst selected), chronological, with evidence when `withEvidence`.
std::vector<ExportTransfer> queryExportTransfersById(
    sql::Db &db, const QVector<qint64> &transferIds, bool withEvidence = true);
std::vector<ExportTransfer> queryExportTransfersById(
    store::CaseStore &cs, const QVector<qint64> &transferIds, bool withEvidence = true);
// Every annotation of the case (empty on a case without the tables).
std::vector<AnnotationRow> readAnnotations(sql::Db &db);
// case_info 'display_tz' when set and known, else UTC.
QTimeZone displayZone(sql::Db &db);
CaseSummary querySummary(sql::Db &db, const QString &casePath);
// The filter in words, with host and account names (for captions and the report).
QString describeFilter(sql::Db &db, const FilterState &filter, const QTimeZone &zone = QTimeZone::utc());
QString describeFilter(store::CaseStore &cs, const FilterState &filter, const QTimeZone &zone = QTimeZone::utc());
// Accounts matching DOMAIN\user, user@domain or user (case-insensitive) and their canonical ids.
std::vector<int64_t> resolveAccounts(sql::Db &db, const std::string &spelling);
std::vector<int64_t> resolveAccounts(store::CaseStore &cs, const std::string &spelling);
ReportData queryReportData(sql::Db &db, const FilterState &filter, const QString &casePath);
ReportData queryReportData(store::CaseStore &cs, const FilterState &filter, const QString &casePath);

} // namespace tt::exporting
