#pragma once

#include "workbench/FilterState.h"

#include <QObject>

#include <vector>

namespace tt {

// Holds the current filter with back / forward history (Alt+Left / Alt+Right). Created once in
// app/ and handed to every view's constructor.
class FilterHistory : public QObject {
    Q_OBJECT
public:
    explicit FilterHistory(QObject *parent = nullptr);

    const FilterState &current() const { return m_states[m_index]; }
    // Applies a new state (dropping any forward history); no-op when equal to the current one.
    void apply(const FilterState &state);
    bool canGoBack() const { return m_index > 0; }
    bool canGoForward() const { return m_index + 1 < m_states.size(); }
    void back();
    void forward();
    void reset(); // back to "no filter", history cleared (a new case)

    static constexpr size_t kMaxHistory = 200;

signals:
    void changed(const tt::FilterState &state);
    void historyChanged();

private:
    std::vector<FilterState> m_states;
    size_t m_index = 0;
};

} // namespace tt
