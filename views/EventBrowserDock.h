#pragma once

#include "store/QueryCancel.h"
#include "workbench/FilterState.h"

#include <QThreadPool>
#include <QWidget>

#include <cstdint>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QModelIndex;
class QTableView;

namespace tt {

class EventBrowserModel;
class FilterHistory;
class Selection;
struct EventPage;

// The event browser (issue 11): every event of the case under the current filter (hosts, accounts,
// time window), narrowed by channel, event id, "method-relevant only" and a full-text search,
// in time order, a page at a time as the table scrolls (keyset pages from a worker; a newer query
// cancels the one it supersedes). Picking a row selects the event everywhere (Details shows its
// record). The pivot bar's text is searched here. A case whose search index is behind (events
// imported since, or a case from before schema 5) is indexed in the background when writable.
class EventBrowserDock : public QWidget {
    Q_OBJECT
public:
    EventBrowserDock(FilterHistory *filters, Selection *selection, QWidget *parent = nullptr);
    ~EventBrowserDock() override;

    // writable: the search index may be built into the case (a read-only case searches what it has).
    void setCase(const QString &path, bool writable);
    EventBrowserModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QString statusText() const;

    void setSearch(const QString &text);
    void setChannel(const QString &channel); // "" = all
    void setEventId(int eventId); // -1 = all
    void setMethodRelevant(bool on);
    void addPayloadColumn(const QString &name);
    void removePayloadColumn(const QString &name);
    // The header's context menu: a check per column, add / remove payload fields.
    QMenu *columnMenu(QWidget *parent);

    bool indexing() const { return m_indexing; }
    // Stops a background index build (an import is about to write; the next setCase goes on).
    void stopIndexing();
    int cancelledQueries() const { return m_cancelled; } // superseded queries told to stop
    int interruptedQueries() const { return m_interrupted; } // ... that stopped before finishing

signals:
    void pageShown(); // a page (or an error / an empty result) was applied
    void indexFinished();
    void attentionWanted(); // a time-window pivot or a search: the window should show this dock

private:
    void onFilterChanged(const FilterState &f);
    void reload();
    void fetchNext(quint64 generation);
    void applyPage(quint64 generation, EventPage &page, const QString &error);
    void startIndexing();
    void loadChannels();
    void pickRow(const QModelIndex &index);
    void updateStatus();

    FilterHistory *m_filters;
    Selection *m_selection;
    QString m_path;
    bool m_writable = false;
    FilterState m_filter;
    QLineEdit *m_search;
    QComboBox *m_channel;
    QLineEdit *m_eventId;
    QCheckBox *m_methodRelevant;
    QLabel *m_status;
    QTableView *m_view;
    EventBrowserModel *m_model;
    sql::CancelFlag m_cancel;
    sql::CancelFlag m_indexCancel;
    bool m_indexing = false;
    int64_t m_indexDone = 0, m_indexTotal = 0;
    int m_cancelled = 0, m_interrupted = 0;
    uint64_t m_channelGeneration = 0;
    QString m_pageNote;
    QString m_error;
    int64_t m_unindexed = 0;
    bool m_nothingToSearch = false;
    // Pages run on a thread of their own: on the global pool (2 threads on a 2-core machine) a page
    // asked with a filter change queued behind the graph and timeline queries of that change. The
    // search index build (minutes at millions of events) has its own thread too, so it never
    // holds one of the global pool's threads. Declared last: destroyed (waited for) first.
    QThreadPool m_indexPool;
    QThreadPool m_pagePool;
};

} // namespace tt
