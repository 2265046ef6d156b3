#pragma once

#include <QStringList>
#include <QVector>

#include <functional>

class QMenu;
class QObject;

namespace tt {

// "Show Tool Spread" entries for the transfers under a right-click (a graph edge, a table row):
// one entry when they carry one file, else a submenu with one entry per distinct file name (the
// first transfer of each; at most kMaxSpreadEntries). `keys` are transfers.key values, same order
// as `ids` (the file is the last part of the key's path). Object name "showSpread" for tests.
// Returns the number of entries added.
inline constexpr int kMaxSpreadEntries = 25;
int addSpreadActions(QMenu *menu, const QVector<qint64> &ids, const QStringList &keys, QObject *context,
    const std::function<void(qint64)> &show);

// Log text as one line of a label or menu entry: control and format characters (newline, ESC,
// bidi overrides) shown as \xNN instead of acted on; cut to maxChars with an ellipsis.
QString visibleControls(const QString &s, int maxChars = 60);

} // namespace tt
