#pragma once

#include <QMainWindow>

#include <cstdint>
#include <memory>

class QLabel;
class QTableView;
class QTabWidget;

namespace tt {

class HostTableModel;
class SourceTableModel;
struct CaseOverview;

// The workbench's case overview dock: opens a case off the UI thread and lists its hosts with
// event counts and its source files under a one-line summary. (A QMainWindow for its status bar;
// the workbench hides its menu bar.)
class CaseOverviewDock : public QMainWindow {
    Q_OBJECT
public:
    explicit CaseOverviewDock(QWidget *parent = nullptr);
    ~CaseOverviewDock() override;

    // Loads in a worker; the result arrives queued and is dropped if a newer load started.
    void openCase(const QString &path);
    QString casePath() const { return m_path; }
    HostTableModel *hostModel() const { return m_hosts; }
    QStringList selectedHostNames() const; // of the selected rows of the host table
    QTableView *hostView() const { return m_hostView; }

signals:
    void caseLoaded(const QString &path, bool ok);
    // A host row was double-clicked (or Enter pressed on it): the workbench selects it everywhere.
    void hostActivated(qint64 hostId, const QString &name);
    // "Group N Hosts As..." on the selected host rows (the workbench asks for the name).
    void groupHostsRequested(const QStringList &hostNames);

private:
    void applyOverview(uint64_t generation, const std::shared_ptr<CaseOverview> &overview);
    void chooseCase();

    QString m_path;
    uint64_t m_generation = 0;
    QLabel *m_summary;
    QTabWidget *m_tabs;
    QTableView *m_hostView;
    QTableView *m_sourceView;
    HostTableModel *m_hosts;
    SourceTableModel *m_sources;
};

} // namespace tt
