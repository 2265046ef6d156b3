#include "ImportRunner.h"

#include "core/ImportEngine.h"
#include "inference/InferenceEngine.h"
#include "store/CaseStore.h"
#include "store/InferenceState.h"

#include <QLocale>
#include <QPointer>
#include <QThread>

namespace tt {

ImportRunner::ImportRunner(QObject *parent)
    : CaseImporter(parent)
{
}

ImportRunner::~ImportRunner()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ImportRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ImportRunner::start(const QString &casePath, const QStringList &paths)
{
    if (m_running)
        return;
    m_running = true;
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancelFlag;
    QPointer<ImportRunner> self(this);
    QThread *worker = QThread::create([self, casePath, paths, cancelFlag] {
        QString summary;
        bool ok = false;
        try {
            auto cs = store::CaseStore::open(casePath.toStdString(), store::CaseStore::Access::Create);
            ImportEngine engine(*cs, {});
            std::vector<std::string> inputs;
            for (const QString &p : paths)
                inputs.push_back(p.toStdString());
            ImportSummary sum = engine.run(inputs, [&](const ImportProgress &p) {
                if (cancelFlag->load())
                    engine.cancel();
                const int pct = p.bytesTotal
                    ? static_cast<int>(100.0 * static_cast<double>(p.bytesDone) / static_cast<double>(p.bytesTotal))
                    : 0;
                const QString text = QObject::tr("%1 of %2 files, %3 records\n%4")
                                         .arg(p.filesDone)
                                         .arg(p.filesTotal)
                                         .arg(QLocale().toString(static_cast<qlonglong>(p.records)))
                                         .arg(QString::fromStdString(p.current));
                if (self)
                    QMetaObject::invokeMethod(
                        self.data(),
                        [self, pct, text] {
                            if (self)
                                emit self->progress(pct, text);
                        },
                        Qt::QueuedConnection);
            });
            ok = (paths.isEmpty() && !sum.cancelled) || sum.exitCode() == 0 || sum.exitCode() == 2;
            // The counts the CLI prints, on the first line (the window's status bar shows that one).
            QString skipped;
            if (const size_t n = sum.count(FileReport::Status::Skipped))
                skipped += QObject::tr(", %1 skipped (not telemetry)").arg(n);
            if (sum.appleDoubleSkipped > 0)
                skipped += QObject::tr(", %1 macOS metadata file(s) (__MACOSX/, ._*) skipped")
                               .arg(static_cast<qlonglong>(sum.appleDoubleSkipped));
            summary = QObject::tr(
                "%1 file(s) imported, %2 already in the case, %3 failed%4; %5 events stored, %6 rejected%7")
                          .arg(sum.count(FileReport::Status::Imported))
                          .arg(sum.count(FileReport::Status::Duplicate))
                          .arg(sum.count(FileReport::Status::Failed))
                          .arg(skipped)
                          .arg(QLocale().toString(static_cast<qlonglong>(sum.stored())))
                          .arg(QLocale().toString(static_cast<qlonglong>(sum.rejected())))
                          .arg(sum.cancelled ? QObject::tr(" (cancelled: the interrupted file was rolled back)")
                                             : QString());
            // Transfers are derived: recomputed whenever the case says they are stale (this import
            // added something, or an earlier one was killed before its inference committed).
            if (!sum.cancelled && store::inferencePending(*cs)) {
                if (self)
                    QMetaObject::invokeMethod(
                        self.data(),
                        [self] {
                            if (self)
                                emit self->progress(100, QObject::tr("Inferring transfers..."));
                        },
                        Qt::QueuedConnection);
                inference::InferenceEngine infer(*cs);
                infer.setCancelFlag(cancelFlag.get());
                const auto r = infer.runAfterImport();
                summary += QObject::tr("; %n transfer(s) inferred", nullptr, static_cast<int>(r.transfers));
            }
            for (const FileReport &f : sum.files)
                if (f.status == FileReport::Status::Failed)
                    summary += QStringLiteral("\n%1: %2")
                                   .arg(QString::fromStdString(f.path), QString::fromStdString(f.message));
        } catch (const std::exception &e) {
            summary = QString::fromUtf8(e.what());
        }
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, ok, summary] {
                    if (!self)
                        return;
                    self->m_running = false;
                    emit self->finished(ok, summary);
                },
                Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

} // namespace tt
