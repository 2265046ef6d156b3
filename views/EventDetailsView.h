#pragma once

#include "workbench/Selection.h"

#include <QWidget>

#include <cstdint>

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace tt {

class EventDetailsModel;
class FilterHistory;

// The details dock: every field of the selected event (or of the event that started the
// selected process) as name / value rows, and the raw stored payload. Everything is plain
// text: log fields are attacker-controlled and never interpreted as markup.
class EventDetailsView : public QWidget {
    Q_OBJECT
public:
    EventDetailsView(FilterHistory *filters, Selection *selection, QWidget *parent = nullptr);
    ~EventDetailsView() override;

    void setCase(const QString &path);
    EventDetailsModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QPlainTextEdit *rawView() const { return m_raw; }
    QString headerText() const;
    qint64 eventShown() const { return m_event; }
    // Shows the current selection again (e.g. after the display time zone changed).
    void refresh();

signals:
    void updated();

private:
    void onSelection(const SelectedEntities &s);
    void clearShown(const QString &why);

    FilterHistory *m_filters; // kept for symmetry with the other docks; details ignore filters
    Selection *m_selection;
    QString m_path;
    uint64_t m_generation = 0;
    qint64 m_event = 0;
    QLabel *m_header;
    QTableView *m_view;
    QPlainTextEdit *m_raw;
    EventDetailsModel *m_model;
};

} // namespace tt
