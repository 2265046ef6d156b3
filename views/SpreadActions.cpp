#include "SpreadActions.h"

#include "PivotActions.h"

#include <QMenu>

#include <algorithm>

namespace tt {

QString visibleControls(const QString &s, int maxChars)
{
    QString out;
    for (const QChar c : s)
        out += c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            ? QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'))
            : QString(c);
    return out.size() > maxChars ? out.left(maxChars - 1) + QChar(0x2026) : out;
}

int addSpreadActions(QMenu *menu, const QVector<qint64> &ids, const QStringList &keys, QObject *context,
    const std::function<void(qint64)> &show)
{
    QVector<QPair<QString, qint64>> files; // distinct names (case-folded), first transfer of each
    for (qsizetype i = 0; i < ids.size() && files.size() < kMaxSpreadEntries; ++i) {
        const QString path = i < keys.size() ? keys[i].section(QLatin1Char('|'), 1, 1) : QString();
        const QString name = path.section(QLatin1Char('\\'), -1).section(QLatin1Char('/'), -1);
        if (std::none_of(files.begin(), files.end(),
                [&](const auto &f) { return f.first.compare(name, Qt::CaseInsensitive) == 0; }))
            files.append({name, ids[i]});
    }
    if (files.isEmpty())
        return 0;
    if (files.size() == 1) {
        const qint64 id = files.first().second;
        QAction *a = menu->addAction(
            QObject::tr("Show Tool Spread of %1").arg(menuSafeText(visibleControls(files.first().first, 60), 64)),
            context, [show, id] { show(id); });
        a->setObjectName(QStringLiteral("showSpread"));
        return 1;
    }
    QMenu *sub = menu->addMenu(QObject::tr("Show Tool Spread"));
    sub->setObjectName(QStringLiteral("showSpreadMenu"));
    for (const auto &[name, id] : files) {
        QAction *a
            = sub->addAction(menuSafeText(visibleControls(name, 60), 64), context, [show, id = id] { show(id); });
        a->setObjectName(QStringLiteral("showSpread"));
    }
    return int(files.size());
}

} // namespace tt
