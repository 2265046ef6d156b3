#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

namespace tt {

// One colour per transfer method, shared by every view (graph edges, timeline markers, legends)
// so that a method looks the same everywhere. Colour-blind-safe (Okabe-Ito).
class MethodPalette {
public:
    // The methods of the transfers table, in legend order.
    static const QStringList &methods();
    // The colour of a method; anything unknown gets the colour of "other".
    static QColor color(const QString &method);
    // A short human label: "SMB admin share", "PsExec service", ...
    static QString label(const QString &method);
    // Edges whose transfers are all benign deployment-tool transfers are drawn muted, in this.
    static QColor benignAdmin() { return QColor(0xA8, 0xA8, 0xA8); }
};

} // namespace tt
