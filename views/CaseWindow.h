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
struct CaseSnapshot;

// The workbench window while the full workbench (graph, timeline, ancestry) is built: it opens
// a case off the UI thread and lists its hosts with event counts and its source files.
class CaseWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit CaseWindow(QWidget *parent = nullptr);
    ~CaseWindow() override;

    // Loads in a worker; the result arrives queued and is dropped if a newer load started.
    void openCase(const QString &path);
    QString casePath() const { return m_path; }
    HostTableModel *hostModel() const { return m_hosts; }

signals:
    void caseLoaded(const QString &path, bool ok);

private:
    void applySnapshot(uint64_t generation, std::shared_ptr<CaseSnapshot> snap);
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
