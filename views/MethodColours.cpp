#include "MethodColours.h"

namespace tt {

QColor methodColour(const QString &method)
{
    // Colour-blind-safe (Okabe-Ito) hues.
    if (method == QLatin1String("smb-admin-share"))
        return QColor(0xD5, 0x5E, 0x00); // vermillion
    if (method == QLatin1String("smb-share"))
        return QColor(0xE6, 0x9F, 0x00); // orange
    if (method == QLatin1String("psexec-service-binary"))
        return QColor(0xCC, 0x79, 0xA7); // reddish purple
    if (method == QLatin1String("rdp-tsclient"))
        return QColor(0x00, 0x72, 0xB2); // blue
    return QColor(0x55, 0x55, 0x55);
}

} // namespace tt
