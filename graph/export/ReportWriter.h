#pragma once

// The case report: one self-contained HTML5 file (inline CSS, no scripts, nothing fetched from
// the network) written as well-formed XHTML-compatible markup, so XML tools can check it.
// Every string from the case goes through htmlEscape. The graph arrives as an SVG document
// (rendered by the views from the same scene the workbench shows) and is inlined.

#include "query/ExportQuery.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace tt::exporting {

struct ReportOptions {
    QByteArray graphSvg; // an SVG document (UTF-8); empty: no graph section picture
    QString graphImageUrl; // instead of the SVG (for the PDF path: a resource URL of a PNG)
    QDateTime generated = QDateTime::currentDateTimeUtc();
    int maxEvidencePerTransfer = 200; // the rest is counted, not listed
};

QByteArray writeReport(const ReportData &data, const ReportOptions &options);

// The <svg ...>...</svg> element of an SVG document (prolog and DOCTYPE removed), with the
// characters XML cannot carry replaced; empty if there is none.
QByteArray inlineSvg(const QByteArray &svgDocument);

} // namespace tt::exporting
