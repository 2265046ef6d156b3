#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace tt {

// Imports files into a case off the UI thread, for the workbench. The views know only this; the
// app injects the implementation (the import engine and the post-import inference), so the views
// link neither. Progress and the result arrive as signals on the UI thread; cancel() stops at
// the next record and rolls the current file back.
class CaseImporter : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~CaseImporter() override = default;

    virtual void start(const QString &casePath, const QStringList &paths) = 0;
    virtual void cancel() = 0;
    virtual bool running() const = 0;

signals:
    void progress(int percent, const QString &text);
    void finished(bool ok, const QString &summary);
};

} // namespace tt
