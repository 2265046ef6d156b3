#include "PivotActions.h"

#include "MethodPalette.h"
#include "workbench/FilterHistory.h"
#include "workbench/FilterState.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>

namespace tt {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PivotActions", text);
}

QString menuText(const QString &value)
{
    return menuSafeText(value);
}

QAction *add(QMenu *menu, const QString &text, const char *objectName, FilterHistory *filter,
    std::function<void(FilterState &)> change)
{
    QAction *a = menu->addAction(text);
    a->setObjectName(QLatin1String(objectName));
    QObject::connect(a, &QAction::triggered, filter, [filter, change = std::move(change)] {
        FilterState f = filter->current();
        change(f);
        filter->apply(f);
    });
    return a;
}

} // namespace

QString menuSafeText(const QString &value, int maxChars)
{
    QString v = value;
    v.replace(QLatin1Char('\n'), QLatin1Char(' '));
    if (v.size() > maxChars)
        v = v.left(maxChars - 3) + QStringLiteral("...");
    v.replace(QLatin1Char('&'), QStringLiteral("&&"));
    return v;
}

int addPivotActions(QMenu *menu, const PivotTarget &t, FilterHistory *filter)
{
    int n = 0;
    for (const auto &[id, name] : t.hosts) {
        if (id <= 0)
            continue;
        const qint64 hostId = id;
        add(menu, tr("Pivot on host %1").arg(menuText(name)), "pivotHost", filter,
            [hostId](FilterState &f) { f.hosts = {hostId}; });
        ++n;
    }
    if (t.accountId > 0) {
        const qint64 account = t.accountId;
        add(menu, tr("Pivot on account %1").arg(menuText(t.account)), "pivotAccount", filter,
            [account](FilterState &f) { f.accounts = {account}; });
        ++n;
    }
    for (const QString &image : t.parentImages) {
        if (image.isEmpty())
            continue;
        add(menu, tr("Pivot on parent image %1").arg(menuText(image)), "pivotParentImage", filter,
            [image](FilterState &f) { f.parentImages = QStringList {image}; });
        ++n;
    }
    if (!t.method.isEmpty()) {
        const QString method = t.method;
        add(menu, tr("Pivot on method %1").arg(menuText(MethodPalette::label(method))), "pivotMethod", filter,
            [method](FilterState &f) { f.methods = QStringList {method}; });
        ++n;
    }
    if (!t.fileName.isEmpty()) {
        const QString file = t.fileName;
        add(menu, tr("Search for file %1").arg(menuText(file)), "pivotFile", filter,
            [file](FilterState &f) { f.text = file; });
        ++n;
    }
    if (t.ts > 0) {
        const int64_t ts = t.ts;
        constexpr int64_t kMinute = 60LL * 1000 * 1000;
        add(menu, tr("Time window: 5 minutes either side"), "pivotWindow5m", filter, [ts](FilterState &f) {
            f.fromUs = ts - 5 * kMinute;
            f.toUs = ts + 5 * kMinute;
        });
        add(menu, tr("Time window: 1 hour either side"), "pivotWindow1h", filter, [ts](FilterState &f) {
            f.fromUs = ts - 60 * kMinute;
            f.toUs = ts + 60 * kMinute;
        });
        n += 2;
    }
    return n;
}

} // namespace tt
