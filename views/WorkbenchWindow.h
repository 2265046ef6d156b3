#pragma once

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QMenu;
class QTimer;

namespace tt {

class AnnotationController;
class CaseChangeWatcher;
class CaseImporter;
class CaseOverviewDock;
class NotesPanel;
class EventDetailsView;
class EvidenceTableView;
class EventBrowserDock;
class ProcessAncestryPanel;
class SpreadView;
class TimelineView;
class FilterHistory;
class PivotBar;
class Selection;
class TransferGraphView;
class TransfersDock;

// The analyst's main window: the transfer graph in the centre, docks around it, the pivot bar
// on top. Filter and selection are created by the app and shared by every view; so is the
// importer behind File > Import and drag and drop (none: importing is refused with a message).
class WorkbenchWindow : public QMainWindow {
    Q_OBJECT
public:
    WorkbenchWindow(
        FilterHistory *filter, Selection *selection, CaseImporter *importer = nullptr, QWidget *parent = nullptr);
    ~WorkbenchWindow() override;

    void openCase(const QString &path);
    void importPaths(const QStringList &paths);
    QString casePath() const { return m_casePath; }
    TransferGraphView *graphView() const { return m_graph; }
    PivotBar *pivotBar() const { return m_pivots; }
    TimelineView *timelineView() const { return m_timeline; }
    SpreadView *spreadView() const { return m_spread; }
    EventBrowserDock *eventBrowser() const { return m_events; }
    TransfersDock *transfersDock() const { return m_transfers; }
    // Adds a dock (views added by later features call this); hidden docks keep their state.
    QDockWidget *addDock(QWidget *content, const QString &title, Qt::DockWidgetArea area, const QString &objectName);

    // The zone times are shown in: "case" (the case's display time zone, UTC when it has none),
    // "UTC", "system", or an IANA id. Remembered in QSettings; every view re-renders.
    void setTimeZoneChoice(const QString &choice);
    QString timeZoneChoice() const { return m_tzChoice; }
    QString caseTimeZone() const { return m_caseTz; }

    AnnotationController *annotations() const { return m_annotations; }
    // Server cases: what other sessions commit (docs/server.md, "Several analysts at once").
    CaseChangeWatcher *changeWatcher() const { return m_watcher; }
    // Re-reads the graph, timeline, transfers table and case overview of the open case, keeping
    // the filter, the selection and the pinned positions (another session imported into it).
    void refreshCaseData();
    NotesPanel *notesPanel() const { return m_notes; }
    bool caseReadOnly() const { return m_readOnly; }
    QString readOnlyReason() const { return m_readOnlyReason; }
    // Saved views: the filter, node positions and viewport under a name, in the case file.
    bool saveView(const QString &name);
    bool restoreView(const QString &name);
    QStringList savedViewNames() const;
    // Save As: an online-backup copy of the case, which then becomes the open case.
    bool saveCaseAs(const QString &path, QString *error = nullptr);

public slots:
    // The Tool Spread dock, shown and raised, on the file this transfer carried.
    void showSpreadForTransfer(qint64 transferId);
    void showSpreadForFile(const QString &file); // a name, path or hash

signals:
    void caseOpened(const QString &path);
    // Another session's import or inference reached this window (refreshCaseData ran for it).
    void caseDataRefreshed();
    void displayTimeZoneChanged();
    void graphShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // The import job behind importPaths(); with no paths it only re-runs a pending inference.
    void startImport(const QStringList &paths, const QString &label);
    // A case whose last import was killed before its inference committed: re-run it (once per
    // case and session) when writable, or say that the transfers shown are stale.
    void handlePendingInference(const QString &path, const QString &dataPath);
    void buildMenus();
    void chooseCase();
    void chooseServerCase(); // File > Open Server Case...: a postgresql:// location
    void chooseImport(bool folder);
    void newCase();
    void updateStatus();
    void rememberRecent(const QString &path);
    void fillRecentMenu();
    void fillTimeZoneMenu();
    void applyTimeZone();
    void loadCaseTimeZone();
    void fillViewsMenu();
    void editCaseProperties();
    void chooseSaveAs();
    void showReadOnlyBanner();
    void raiseSpreadDock();
    void onCaseChanged(unsigned kinds);

    FilterHistory *m_filter;
    Selection *m_selection;
    QString m_casePath;
    QStringList m_inferenceRetried; // cases whose pending inference this session re-ran
    TransferGraphView *m_graph;
    PivotBar *m_pivots;
    CaseOverviewDock *m_overview;
    EvidenceTableView *m_evidence;
    EventBrowserDock *m_events;
    ProcessAncestryPanel *m_ancestry;
    EventDetailsView *m_details;
    TimelineView *m_timeline;
    TransfersDock *m_transfers;
    CaseImporter *m_import;
    AnnotationController *m_annotations;
    NotesPanel *m_notes;
    CaseChangeWatcher *m_watcher;
    QTimer *m_dataRefresh; // coalesces other sessions' import / inference notices
    unsigned m_pendingKinds = 0;
    SpreadView *m_spread;
    QDockWidget *m_spreadDock = nullptr;
    QLabel *m_banner;
    QLabel *m_statusCase;
    QLabel *m_statusView;
    QLabel *m_statusFilter;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_tzMenu = nullptr;
    QMenu *m_viewsMenu = nullptr;
    bool m_readOnly = false;
    QString m_readOnlyReason;
    QString m_tzChoice;
    QString m_caseTz; // the case's display_tz ("" = none)
    uint64_t m_tzGeneration = 0;
    int m_hosts = 0, m_edges = 0;
    qint64 m_inView = 0, m_total = 0;
};

} // namespace tt
