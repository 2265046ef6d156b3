#include "workbench/FilterState.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace tt {

bool FilterState::isEmpty() const
{
    return !hasTimeWindow() && hosts.isEmpty() && accounts.isEmpty() && parentImages.isEmpty() && methods.isEmpty()
        && minConfidence <= 0 && text.isEmpty();
}

bool FilterState::operator==(const FilterState &o) const
{
    return fromUs == o.fromUs && toUs == o.toUs && hosts == o.hosts && accounts == o.accounts
        && parentImages == o.parentImages && methods == o.methods && minConfidence == o.minConfidence && text == o.text;
}

QByteArray FilterState::toJson() const
{
    QJsonObject o;
    if (fromUs)
        o.insert(QStringLiteral("from"), static_cast<qint64>(fromUs));
    if (toUs)
        o.insert(QStringLiteral("to"), static_cast<qint64>(toUs));
    auto ids = [](const QSet<qint64> &set) {
        QList<qint64> sorted(set.begin(), set.end());
        std::sort(sorted.begin(), sorted.end());
        QJsonArray a;
        for (qint64 v : sorted)
            a.append(v);
        return a;
    };
    if (!hosts.isEmpty())
        o.insert(QStringLiteral("hosts"), ids(hosts));
    if (!accounts.isEmpty())
        o.insert(QStringLiteral("accounts"), ids(accounts));
    if (!parentImages.isEmpty())
        o.insert(QStringLiteral("parentImages"), QJsonArray::fromStringList(parentImages));
    if (!methods.isEmpty())
        o.insert(QStringLiteral("methods"), QJsonArray::fromStringList(methods));
    if (minConfidence > 0)
        o.insert(QStringLiteral("minConfidence"), minConfidence);
    if (!text.isEmpty())
        o.insert(QStringLiteral("text"), text);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool FilterState::fromJson(const QByteArray &json, FilterState *out)
{
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    FilterState f;
    f.fromUs = o.value(QStringLiteral("from")).toInteger(0);
    f.toUs = o.value(QStringLiteral("to")).toInteger(0);
    for (const QJsonValue v : o.value(QStringLiteral("hosts")).toArray())
        if (v.isDouble())
            f.hosts.insert(v.toInteger());
    for (const QJsonValue v : o.value(QStringLiteral("accounts")).toArray())
        if (v.isDouble())
            f.accounts.insert(v.toInteger());
    for (const QJsonValue v : o.value(QStringLiteral("parentImages")).toArray())
        if (v.isString())
            f.parentImages << v.toString();
    for (const QJsonValue v : o.value(QStringLiteral("methods")).toArray())
        if (v.isString())
            f.methods << v.toString();
    f.minConfidence = std::clamp(o.value(QStringLiteral("minConfidence")).toDouble(0), 0.0, 1.0);
    f.text = o.value(QStringLiteral("text")).toString();
    *out = f;
    return true;
}

} // namespace tt
