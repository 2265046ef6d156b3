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

QString formatIsoTime(int64_t us, const QTimeZone &zone)
{
    if (us == 0)
        return {};
    const int64_t ms = us / 1000 - (us % 1000 < 0 ? 1 : 0);
    const int micro = static_cast<int>(((us % 1000000) + 1000000) % 1000000);
    const bool utc = !zone.isValid() || zone == QTimeZone::utc();
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(ms, utc ? QTimeZone::utc() : zone);
    QString s = dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('.')
        + QString::number(micro).rightJustified(6, QLatin1Char('0'));
    if (utc)
        return s + QLatin1Char('Z');
    const int off = dt.offsetFromUtc();
    const int a = off < 0 ? -off : off;
    return s + (off < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        + QStringLiteral("%1:%2").arg(a / 3600, 2, 10, QLatin1Char('0')).arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace tt
