#pragma once

#include "workbench/Selection.h"

#include <QHash>
#include <QObject>

class QDockWidget;

namespace tt {

// Brings the dock that shows a selection forward when it is tabbed behind another: an edge,
// transfer or host -> Events / Evidence, a process -> Process Ancestry, an event -> Details. A
// dock the analyst is working in (it holds the focus, e.g. Case > Hosts after a double-click)
// is never covered.
class DockFollower : public QObject {
    Q_OBJECT
public:
    DockFollower(Selection *selection, QObject *parent);
    void setDock(SelectedEntities::Kind kind, QDockWidget *dock);

private:
    void onSelection(const SelectedEntities &s);

    QHash<int, QDockWidget *> m_docks;
};

} // namespace tt
