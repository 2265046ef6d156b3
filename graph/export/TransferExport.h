#pragma once

// Transfers as CSV and JSON, shared by `transfertrace transfers` and the exports (which add
// the evidence references). CSV cells are quoted and formula-neutralised (ExportText csvCell);
// JSON strings carry the text intact (QJsonDocument escapes).

#include "inference/TransferQuery.h"
#include "query/ExportQuery.h"

#include <QByteArray>
#include <QJsonObject>

#include <string>
#include <vector>

namespace tt::exporting {

// The columns of one transfer (no evidence references), header and row without newline.
std::string transferCsvHeader();
std::string transferCsvRow(const inference::TransferRow &r);
QJsonObject transferJson(const inference::TransferRow &r);

// "event 12 dst-write Security/5145 record 456 in C:\x.evtx #17", one per reference.
QString evidenceRefText(const EvidenceRef &e);

// Full exports: the columns above plus key, evidence references (CSV: one cell, references
// separated by " | "; JSON: an array of objects).
QByteArray transfersCsv(const std::vector<ExportTransfer> &transfers);
QByteArray transfersJson(const std::vector<ExportTransfer> &transfers);

} // namespace tt::exporting
