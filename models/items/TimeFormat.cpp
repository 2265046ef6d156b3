#include "items/TimeFormat.h"

#include <QDateTime>

namespace tt {

namespace {
QTimeZone &zoneRef()
{
    static QTimeZone zone = QTimeZone::utc();
    return zone;
}
} // namespace

void setDisplayTimeZone(const QTimeZone &zone)
{
    zoneRef() = zone.isValid() ? zone : QTimeZone::utc();
}

QTimeZone displayTimeZone()
{
    return zoneRef();
}

QString displayTimeZoneName()
{
    const QTimeZone &z = zoneRef();
    if (z == QTimeZone::utc() || z.id() == "UTC")
        return QStringLiteral("UTC");
    return QString::fromLatin1(z.id());
}

int64_t displayZoneOffsetUs(int64_t us)
{
    const QTimeZone &z = zoneRef();
    if (z == QTimeZone::utc())
        return 0;
    return int64_t(z.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc()))) * 1000000;
}

QString formatTime(int64_t us)
{
    if (us == 0)
        return {};
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(us / 1000, zoneRef());
    return dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString formatUtc(int64_t us)
{
    if (us == 0)
        return {};
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc());
    return dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace tt
