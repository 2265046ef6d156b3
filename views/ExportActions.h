#pragma once

#include <QObject>

class QMenu;

namespace tt {

class FilterHistory;
class WorkbenchWindow;

// File > Export: graph (current view / whole graph; PNG, SVG, PDF, DOT by suffix; PNG asks for
// a scale), timeline (PNG, SVG), transfers (CSV, JSON with evidence references) and the HTML
// report (or PDF). Case queries run on a worker; pictures come from the live views' own items.
class ExportActions : public QObject {
    Q_OBJECT
public:
    ExportActions(WorkbenchWindow *window, FilterHistory *filter, QMenu *menu);

    void exportGraph(bool wholeGraph);
    void exportTimeline();
    void exportTransfers();
    void writeReport();

private:
    void report(const QString &message, bool ok);
    WorkbenchWindow *m_window;
    FilterHistory *m_filter;
};

} // namespace tt
