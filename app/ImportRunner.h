#pragma once

#include "workbench/CaseImporter.h"

#include <atomic>
#include <memory>

namespace tt {

// The workbench's CaseImporter: the same import engine as the CLI on a worker thread, then the
// inference when something was added. Progress and the result come back as queued signals.
class ImportRunner : public CaseImporter {
    Q_OBJECT
public:
    explicit ImportRunner(QObject *parent = nullptr);
    ~ImportRunner() override;
    void start(const QString &casePath, const QStringList &paths) override;
    void cancel() override;
    bool running() const override { return m_running; }

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_running = false;
};

} // namespace tt
