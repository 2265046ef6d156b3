#pragma once

#include <QString>
#include <QTimeZone>

#include <cstdint>

namespace tt {

// The zone the workbench shows times in: UTC unless the analyst (View > Time Zone) or the case's
// display time zone chose another. Stored times stay UTC; this is presentation only. Set from the
// UI thread; views re-render on WorkbenchWindow::displayTimeZoneChanged.
void setDisplayTimeZone(const QTimeZone &zone);
QTimeZone displayTimeZone();
// "UTC" or the zone's IANA id ("Europe/Berlin").
QString displayTimeZoneName();
// The display zone's offset from UTC at `us`, in microseconds.
int64_t displayZoneOffsetUs(int64_t us);

// UTC microseconds -> "2020-10-09 22:30:31.633" in the display zone (empty for 0 = unknown).
QString formatTime(int64_t us);
// Always UTC, whatever the display zone (exports, logs).
QString formatUtc(int64_t us);
// ISO 8601 in `zone` (UTC: "...Z"; otherwise with the offset) with microseconds, for exports and
// captions. 0 -> "".
QString formatIsoTime(int64_t us, const QTimeZone &zone);

} // namespace tt
