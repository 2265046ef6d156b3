#pragma once

#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

namespace tt {

// Runs the same import engine as the CLI on a worker thread for the GUI: progress and the
// result come back as queued signals; cancel() stops at the next record and rolls the current
// file back.
class ImportRunner : public QObject {
    Q_OBJECT
public:
    explicit ImportRunner(QObject *parent = nullptr);
    ~ImportRunner() override;
    void start(const QString &casePath, const QStringList &paths);
    void cancel();
    bool running() const { return m_running; }

signals:
    void progress(int percent, const QString &text);
    void finished(bool ok, const QString &summary);

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_running = false;
};

} // namespace tt
