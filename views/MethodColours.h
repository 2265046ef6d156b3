#pragma once

#include <QColor>
#include <QString>

namespace tt {

// One colour per transfer method, used by every view (graph, timeline, tables).
QColor methodColour(const QString &method);

} // namespace tt
