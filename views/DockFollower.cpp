#include "DockFollower.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>

namespace tt {

DockFollower::DockFollower(Selection *selection, QObject *parent)
    : QObject(parent)
{
    connect(selection, &Selection::changed, this, &DockFollower::onSelection);
}

void DockFollower::setDock(SelectedEntities::Kind kind, QDockWidget *dock)
{
    m_docks.insert(static_cast<int>(kind), dock);
}

void DockFollower::onSelection(const SelectedEntities &s)
{
    QDockWidget *dock = m_docks.value(static_cast<int>(s.kind));
    // Closed by the analyst (its View menu entry unchecked), or already in view.
    if (!dock || !dock->toggleViewAction()->isChecked() || !dock->visibleRegion().isEmpty())
        return;
    auto *window = qobject_cast<QMainWindow *>(dock->parentWidget());
    const QWidget *focus = QApplication::focusWidget();
    if (window && focus)
        for (QDockWidget *other : window->tabifiedDockWidgets(dock))
            if (other->isAncestorOf(focus))
                return; // the analyst works in the dock that covers it
    dock->raise();
}

} // namespace tt
