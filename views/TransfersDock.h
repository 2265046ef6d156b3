#pragma once

#include "SupersededQueries.h"
#include "query/TransferTableQuery.h"
#include "workbench/Selection.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QItemSelection;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QTimer;

namespace tt {

class AnnotationController;
class FilterHistory;
class TransferTableModel;

// The transfers table (issue 11, item 1): every transfer under the workbench's filter, one row
// each, sorted by a header click (in memory by the case's TransferSortKeys, read once per case
// data in the background after the first list; a column the keys do not hold yet sorts in SQL), narrowed by column
// filters (method, executed, source, destination, account) and a text filter. The list of ids comes from a worker (a
// generation number drops stale lists), rows are revealed and filled a page at a time (TransferTableModel). Selection
// is linked both ways: an edge or transfer picked elsewhere selects its rows (all of an edge's transfers); picking rows
// selects those transfers everywhere (graph edge, timeline marker, evidence, ancestry). Several rows can be tagged,
// bookmarked or exported at once.
class TransfersDock : public QWidget {
    Q_OBJECT
public:
    enum class ExportFormat { Csv, Json };

    TransfersDock(FilterHistory *filter, Selection *selection, QWidget *parent = nullptr);
    ~TransfersDock() override;

    void setCase(const QString &path);
    void setAnnotations(AnnotationController *annotations);

    TransferTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QString statusText() const;
    const TransferTableSpec &spec() const { return m_spec; }
    bool busy() const { return m_busy; }
    // The case's sort keys are in memory: a sort by any column is then a permutation, no query.
    bool sortKeysReady() const { return m_keys != nullptr && !m_keysPending; }

    // The table's own filters (the widgets follow); each re-queries at once.
    void setTextFilter(const QString &text);
    void setColumnFilter(
        TransferColumn column, const QString &value); // Method, Source, Destination, Account, Executed ("1"/"0"/"")
    void sortBy(TransferColumn column, Qt::SortOrder order);

    // Transfers of the selected rows, the current row's first.
    QVector<qint64> selectedTransfers() const;
    // Annotations of every selected row at once (one undo step each call); false when read-only.
    bool tagSelected(int64_t tagId);
    bool bookmarkSelected(bool on);
    // Writes the selected rows (with evidence references) through graph/export's transfer export;
    // finishes with exported().
    void exportSelected(const QString &path, ExportFormat format);

    // The context menu of a row (built for tests too); nullptr outside the rows.
    QMenu *contextMenuForRow(int row, int column, QWidget *parent);

signals:
    void listShown(int count); // a new list is in the model
    void updated(); // a list or a page of rows arrived
    void exported(const QString &path, const QString &error);
    void spreadRequested(qint64 transferId);

private:
    void refresh();
    void loadSortKeys(); // (again) when missing or the Tags / notes column is stale
    // The shown list in the spec's order, in memory; false when the keys cannot do it (yet).
    bool sortInMemory();
    void fetchPage(quint64 modelGeneration, int page, const QVector<qint64> &ids);
    void onSelection(const SelectedEntities &s);
    void applySelection(const QVector<qint64> &transfers);
    void onRowsPicked();
    void readFilterWidgets();
    void chooseExport(ExportFormat format);

    FilterHistory *m_filter;
    Selection *m_selection;
    AnnotationController *m_annotations = nullptr;
    QString m_path;
    TransferTableSpec m_spec;
    quint64 m_generation = 0;
    class IdleWhenHidden *m_idle = nullptr;
    SupersededQueries m_queries; // the running list / choices query, cancelled by the next
    bool m_busy = false;
    bool m_applying = false; // the table follows a selection made elsewhere
    bool m_picking = false; // the table is the one selecting
    QLabel *m_status;
    QLineEdit *m_text;
    QComboBox *m_method;
    QComboBox *m_executed;
    QComboBox *m_benign; // any / hide benign-admin candidates / only them
    QLineEdit *m_source;
    QLineEdit *m_destination;
    QLineEdit *m_account;
    QTimer *m_debounce;
    QTableView *m_view;
    TransferTableModel *m_model;
    int m_hiddenSelected = 0; // of the last selection applied, transfers the table's filters hide
    // Sort keys of every transfer of the case (null until read); m_keysGeneration drops the keys of
    // an older case / data, m_tagsVersion counts annotation changes (the Tags / notes column).
    std::shared_ptr<const TransferSortKeys> m_keys;
    quint64 m_keysGeneration = 0;
    quint64 m_tagsVersion = 0, m_keysTagsVersion = 0;
    bool m_keysPending = false;
    bool m_sortWaiting = false; // a sort waits for the keys on their way
};

} // namespace tt
