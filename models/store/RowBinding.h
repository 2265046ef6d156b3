#pragma once

// How the writers bind a row's values (the conventions of store/Rows.h): kNoValue and 0 ids as
// NULL; texts as NULL when empty and without a copy, since row texts outlive the statement's
// exec() (which resets and clears the bindings) and SQLite would otherwise malloc + copy each one.

#include "store/Rows.h"
#include "store/Sqlite.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tt::store {

inline void bindValue(sql::Stmt &st, int idx, int64_t v)
{
    if (v == kNoValue)
        st.bindNull(idx);
    else
        st.bind(idx, v);
}

inline void bindId(sql::Stmt &st, int idx, int64_t id)
{
    if (id == 0)
        st.bindNull(idx);
    else
        st.bind(idx, id);
}

inline void bindText(sql::Stmt &st, int idx, std::string_view s)
{
    st.bindOptionalStatic(idx, s);
}

// And how the repositories read them back: NULL as `fallback` / as "".
inline int64_t columnInt64(const sql::Stmt &st, int col, int64_t fallback = 0)
{
    return st.isNull(col) ? fallback : st.int64(col);
}

inline std::string columnText(const sql::Stmt &st, int col)
{
    return st.isNull(col) ? std::string() : st.text(col);
}

} // namespace tt::store
