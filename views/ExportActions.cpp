#include "ExportActions.h"

#include "AppIcons.h"
#include "ExportText.h"
#include "GraphExport.h"
#include "GraphItems.h"
#include "ReportWriter.h"
#include "SpreadView.h"
#include "TimelineView.h"
#include "TransferExport.h"
#include "TransferGraphView.h"
#include "WorkbenchWindow.h"
#include "WorkerQuery.h"
#include "query/ExportQuery.h"
#include "workbench/FilterHistory.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>
#include <QTimeZone>

namespace tt {

namespace {
struct CaptionResult {
    QString caption;
};

QString captionFor(const QString &casePath, const QString &filterText, qint64 inView, qint64 total)
{
    return QStringLiteral("%1 - %2\n%3 of %4 transfer(s) in view; exported %5")
        .arg(QFileInfo(casePath).fileName(),
            filterText.isEmpty() ? QStringLiteral("no filter (whole case)") : filterText)
        .arg(inView)
        .arg(total)
        .arg(exporting::formatTime(QDateTime::currentMSecsSinceEpoch() * 1000, QTimeZone::utc()));
}

GraphSceneRef liveRef(TransferGraphView *v)
{
    GraphSceneRef g;
    g.scene = v->scene();
    g.data = &v->graph();
    g.node = [v](qint64 id) { return v->nodeItem(id); };
    g.edge = [v](qint64 id) { return v->edgeItem(id); };
    return g;
}
} // namespace

ExportActions::ExportActions(WorkbenchWindow *window, FilterHistory *filter, QMenu *menu)
    : QObject(window)
    , m_window(window)
    , m_filter(filter)
{
    QMenu *m = menu->addMenu(themedIcon(QStringLiteral("document-export")), tr("&Export"));
    m->addAction(tr("Graph (&Current View)..."), this, [this] { exportGraph(false); });
    m->addAction(tr("Graph (&Whole Graph)..."), this, [this] { exportGraph(true); });
    m->addAction(tr("&Timeline..."), this, &ExportActions::exportTimeline);
    m->addAction(tr("T&ransfers..."), this, &ExportActions::exportTransfers);
    // The Tool Spread dock's picture (issue 11): the same PNG / SVG / PDF writer as the graph.
    m->addAction(tr("Tool &Spread Picture..."), m_window, [this] {
        if (!m_window->spreadView()->result().found())
            return report(tr("Show a tool spread first (a transfer's context menu: Show Tool Spread)."), false);
        m_window->spreadView()->chooseExportPicture();
    });
    m->addSeparator();
    m->addAction(tr("Write &Report..."), this, &ExportActions::writeReport);
}

void ExportActions::report(const QString &message, bool ok)
{
    if (ok)
        m_window->statusBar()->showMessage(message, 6000);
    else {
        // Messages can quote case content (paths, names): plain text, never rich text.
        QMessageBox box(QMessageBox::Warning, tr("Export"), message, QMessageBox::Ok, m_window);
        box.setTextFormat(Qt::PlainText);
        box.exec();
    }
}

void ExportActions::exportGraph(bool wholeGraph)
{
    const QString casePath = m_window->casePath();
    TransferGraphView *view = m_window->graphView();
    if (casePath.isEmpty() || view->busy()) {
        report(tr("Open a case and wait for the graph first."), false);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Graph"), QString(), tr("SVG (*.svg);;PNG (*.png);;PDF (*.pdf);;Graphviz DOT (*.dot)"));
    if (path.isEmpty())
        return;
    if (exportFormatFor(path) == ExportFormat::Unknown) {
        report(tr("Unknown file type: use .svg, .png, .pdf or .dot"), false);
        return;
    }
    SnapshotOptions opt;
    if (exportFormatFor(path) == ExportFormat::Png) {
        bool ok = false;
        opt.scale = QInputDialog::getDouble(
            m_window, tr("PNG Scale"), tr("Pixels per graph unit (2 = 192 dpi):"), 2, 0.25, 8, 2, &ok);
        if (!ok)
            return;
    }
    const QRectF source
        = wholeGraph ? wholeGraphRect(view->scene()) : view->mapToScene(view->viewport()->rect()).boundingRect();
    const FilterState filter = m_filter->current();
    const qint64 inView = view->graph().transfersInView, total = view->graph().transfersTotal;
    runCaseQuery<CaptionResult>(
        this, casePath,
        [filter](store::CaseStore &cs) { return CaptionResult {exporting::describeFilter(cs, filter)}; },
        [this, view, source, path, opt, casePath, inView, total](CaptionResult &r, const QString &error) mutable {
            opt.caption = captionFor(casePath, error.isEmpty() ? r.caption : QString(), inView, total);
            QString err;
            const bool ok = tt::exportGraph(liveRef(view), source, path, opt, &err);
            report(ok ? tr("Graph exported to %1").arg(path) : err, ok);
        });
}

void ExportActions::exportTimeline()
{
    const QString casePath = m_window->casePath();
    if (casePath.isEmpty()) {
        report(tr("Open a case first."), false);
        return;
    }
    const QString path
        = QFileDialog::getSaveFileName(m_window, tr("Export Timeline"), QString(), tr("SVG (*.svg);;PNG (*.png)"));
    if (path.isEmpty())
        return;
    const FilterState filter = m_filter->current();
    runCaseQuery<CaptionResult>(
        this, casePath,
        [filter](store::CaseStore &cs) { return CaptionResult {exporting::describeFilter(cs, filter)}; },
        [this, path, casePath](CaptionResult &r, const QString &) {
            SnapshotOptions opt;
            opt.scale = 2;
            opt.caption = QStringLiteral("%1 - %2").arg(
                QFileInfo(casePath).fileName(), r.caption.isEmpty() ? QStringLiteral("no filter") : r.caption);
            QString err;
            const bool ok = tt::exportTimeline(m_window->timelineView(), path, opt, &err);
            report(ok ? tr("Timeline exported to %1").arg(path) : err, ok);
        });
}

void ExportActions::exportTransfers()
{
    const QString casePath = m_window->casePath();
    if (casePath.isEmpty()) {
        report(tr("Open a case first."), false);
        return;
    }
    const QString path
        = QFileDialog::getSaveFileName(m_window, tr("Export Transfers"), QString(), tr("CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    const ExportFormat format = exportFormatFor(path);
    if (format != ExportFormat::Csv && format != ExportFormat::Json) {
        report(tr("Unknown file type: use .csv or .json"), false);
        return;
    }
    const FilterState filter = m_filter->current();
    struct Bytes {
        QByteArray data;
        int count = 0;
    };
    runCaseQuery<Bytes>(
        this, casePath,
        [filter, format](store::CaseStore &cs) {
            const auto rows = exporting::queryExportTransfers(cs, filter, true);
            return Bytes {format == ExportFormat::Csv ? exporting::transfersCsv(rows) : exporting::transfersJson(rows),
                static_cast<int>(rows.size())};
        },
        [this, path](Bytes &b, const QString &error) {
            if (!error.isEmpty()) {
                report(error, false);
                return;
            }
            QSaveFile f(path);
            const bool ok = f.open(QIODevice::WriteOnly) && f.write(b.data) == b.data.size() && f.commit();
            report(
                ok ? tr("%n transfer(s) exported to %1", nullptr, b.count).arg(path) : tr("Cannot write %1").arg(path),
                ok);
        });
}

void ExportActions::writeReport()
{
    const QString casePath = m_window->casePath();
    TransferGraphView *view = m_window->graphView();
    if (casePath.isEmpty() || view->busy()) {
        report(tr("Open a case and wait for the graph first."), false);
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Write Report"), QString(), tr("HTML report (*.html);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    const ExportFormat format = exportFormatFor(path);
    if (format != ExportFormat::Html && format != ExportFormat::Pdf) {
        report(tr("Unknown file type: use .html or .pdf"), false);
        return;
    }
    const FilterState filter = m_filter->current();
    runCaseQuery<exporting::ReportData>(
        this, casePath,
        [filter, casePath](store::CaseStore &cs) { return exporting::queryReportData(cs, filter, casePath); },
        [this, view, path, format](exporting::ReportData &d, const QString &error) {
            if (!error.isEmpty() || !d.error.isEmpty()) {
                report(error.isEmpty() ? d.error : error, false);
                return;
            }
            QString err;
            const bool ok = writeReportFile(d, liveRef(view), wholeGraphRect(view->scene()), path, format, &err);
            report(ok ? tr("Report written to %1").arg(path) : err, ok);
        });
}

} // namespace tt
