#include "items/TimeFormat.h"

#include <QDateTime>
#include <QTimeZone>

namespace tt {

QString formatUtc(int64_t us)
{
    if (us == 0)
        return {};
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(us / 1000, QTimeZone::utc());
    return dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace tt
