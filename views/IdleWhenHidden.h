#pragma once

#include <QObject>

#include <functional>

class QWidget;

namespace tt {

// A dock that is not visible runs no queries (issue 12 item 5; Cutter's hidden docks): a view asks
// `due()` before it queries; while its widget is hidden (the dock closed or tabbed behind another)
// in a shown window the answer is false and the refresh waits, and the latest one runs when the
// widget shows again. A widget outside any shown window (tests, exports) always queries.
class IdleWhenHidden : public QObject {
public:
    IdleWhenHidden(QWidget *widget, std::function<void()> refresh);
    bool due();
    int deferred() const { return m_deferred; } // refreshes skipped while hidden (tests)

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_widget;
    std::function<void()> m_refresh;
    bool m_stale = false;
    int m_deferred = 0;
};

} // namespace tt
