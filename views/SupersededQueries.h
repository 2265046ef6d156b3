#pragma once

#include "store/QueryCancel.h"

namespace tt {

// One cancel flag per query a view runs (runCaseQuery's cancel): starting the next query sets the
// flag of the one before, whose statement then stops with SQLITE_INTERRUPT within a few hundred
// virtual machine steps and whose result is never applied (issue 12: a superseded query stops
// instead of running to completion).
class SupersededQueries {
public:
    SupersededQueries() = default;
    SupersededQueries(const SupersededQueries &) = delete;
    SupersededQueries &operator=(const SupersededQueries &) = delete;
    ~SupersededQueries() { cancel(); }

    // The flag for a new query; the previous query is cancelled.
    sql::CancelFlag next()
    {
        cancel();
        m_flag = sql::makeCancelFlag();
        return m_flag;
    }
    void cancel()
    {
        if (m_flag)
            m_flag->store(true);
    }

private:
    sql::CancelFlag m_flag;
};

} // namespace tt
