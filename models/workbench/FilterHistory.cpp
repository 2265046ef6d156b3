#include "workbench/FilterHistory.h"

namespace tt {

FilterHistory::FilterHistory(QObject *parent)
    : QObject(parent)
    , m_states(1)
{
}

void FilterHistory::apply(const FilterState &state)
{
    if (state == current())
        return;
    m_states.resize(m_index + 1);
    m_states.push_back(state);
    if (m_states.size() > kMaxHistory)
        m_states.erase(m_states.begin());
    m_index = m_states.size() - 1;
    emit changed(current());
    emit historyChanged();
}

void FilterHistory::back()
{
    if (!canGoBack())
        return;
    --m_index;
    emit changed(current());
    emit historyChanged();
}

void FilterHistory::forward()
{
    if (!canGoForward())
        return;
    ++m_index;
    emit changed(current());
    emit historyChanged();
}

void FilterHistory::reset()
{
    m_states.assign(1, FilterState {});
    m_index = 0;
    emit changed(current());
    emit historyChanged();
}

} // namespace tt
