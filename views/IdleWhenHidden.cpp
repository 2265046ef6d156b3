#include "IdleWhenHidden.h"

#include <QEvent>
#include <QWidget>

namespace tt {

IdleWhenHidden::IdleWhenHidden(QWidget *widget, std::function<void()> refresh)
    : QObject(widget)
    , m_widget(widget)
    , m_refresh(std::move(refresh))
{
    widget->installEventFilter(this);
}

bool IdleWhenHidden::due()
{
    if (m_widget->isVisible() || !m_widget->window()->isVisible()) {
        m_stale = false;
        return true;
    }
    m_stale = true;
    ++m_deferred;
    return false;
}

bool IdleWhenHidden::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_widget && event->type() == QEvent::Show && m_stale) {
        m_stale = false;
        m_refresh(); // the latest question only: everything asked while hidden collapsed into it
    }
    return QObject::eventFilter(watched, event);
}

} // namespace tt
