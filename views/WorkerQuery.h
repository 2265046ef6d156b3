#pragma once

#include "store/CaseStore.h"
#include "store/QueryCancel.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <exception>
#include <memory>
#include <utility>

namespace tt {

// Runs `job(store::CaseStore &)` on a pool thread with a read-only store of its own (one connection per thread; jobs
// reach the case only through the store's and models/query's functions), then `apply(Result &, const QString &error)`
// on the UI thread. The hop goes through qApp, alive for the whole run, and the receiver is checked there, on its own
// thread, so a widget destroyed meanwhile is never touched. Callers compare a generation in `apply`. With a `cancel`
// flag (SupersededQueries.h), setting it interrupts the job's statements and its result is dropped: `apply` is not
// called for a cancelled query.
// The same on `pool` (a view whose queries must not queue behind the others' on the global pool).
template<typename Result, typename Job, typename Apply>
void runCaseQueryOn(
    QThreadPool *pool, QObject *receiver, const QString &path, sql::CancelFlag cancel, Job job, Apply apply)
{
    QPointer<QObject> guard(receiver);
    pool->start([guard, path, cancel = std::move(cancel), job = std::move(job), apply = std::move(apply)]() mutable {
        if (cancel && cancel->load())
            return; // superseded before it started
        auto result = std::make_shared<Result>();
        QString error;
        try {
            auto cs = store::CaseStore::open(path.toStdString(), store::CaseStore::Access::ReadOnly);
            sql::CancelOnFlag interrupt(*cs, cancel);
            *result = job(*cs);
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        if (cancel && cancel->load())
            return; // superseded: a newer query's result will show
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, result, error, apply = std::move(apply)]() mutable {
                if (guard)
                    apply(*result, error);
            },
            Qt::QueuedConnection);
    });
}

template<typename Result, typename Job, typename Apply>
void runCaseQuery(QObject *receiver, const QString &path, sql::CancelFlag cancel, Job job, Apply apply)
{
    runCaseQueryOn<Result>(
        QThreadPool::globalInstance(), receiver, path, std::move(cancel), std::move(job), std::move(apply));
}

template<typename Result, typename Job, typename Apply>
void runCaseQuery(QObject *receiver, const QString &path, Job job, Apply apply)
{
    runCaseQuery<Result>(receiver, path, sql::CancelFlag {}, std::move(job), std::move(apply));
}

} // namespace tt
