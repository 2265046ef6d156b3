#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace tt {

class AnnotationController;
class AnnotationListModel;
class FilterHistory;
class Selection;

// The notes dock: lists annotations; activating one selects its item in every view (a host,
// transfer, event or process) or pivots on it (an account).
class NotesPanel : public QWidget {
    Q_OBJECT
public:
    NotesPanel(AnnotationController *c, FilterHistory *filter, Selection *selection, QWidget *parent = nullptr);

    void setCase(const QString &path);
    AnnotationListModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *tagCombo() const { return m_tag; }
    // Navigates to the annotation in `row` (what a double click / Enter does).
    void navigate(int row);
    // A conflict copy in `row` (issue 13: another analyst's edit of the same note won): with
    // useText its note replaces the annotation's (an undoable edit), then the copy is deleted.
    // The row's context menu offers both. False when `row` is no conflict copy or a write failed.
    bool resolveConflictCopy(int row, bool useText);

signals:
    void navigated(); // the selection or filter for the last navigate() was applied

private:
    void fillTags();
    void applyFilter();

    AnnotationController *m_c;
    FilterHistory *m_filter;
    Selection *m_selection;
    QString m_path;
    uint64_t m_generation = 0;
    QComboBox *m_tag;
    QLineEdit *m_search;
    QCheckBox *m_bookmarked;
    QLabel *m_status;
    QTableView *m_view;
    AnnotationListModel *m_model;
};

} // namespace tt
