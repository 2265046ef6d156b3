#include "store/QueryCancel.h"

#include "store/CaseStore.h"

#include "store/PgDb.h"
#include "store/Sqlite.h"

#include <sqlite3.h>

namespace tt::sql {

CancelOnFlag::CancelOnFlag(Db &db, CancelFlag flag)
    : m_db(db)
    , m_flag(std::move(flag))
{
    if (!m_flag)
        return;
    if (PgDb *pg = m_db.pg())
        pg->setCancelFlag(m_flag); // PQcancel once the flag is set (PgDb::waitResult)
    else
        sqlite3_progress_handler(m_db.handle(), 500, &CancelOnFlag::check, m_flag.get());
}

CancelOnFlag::CancelOnFlag(store::CaseStore &cs, CancelFlag flag)
    : CancelOnFlag(cs.db(), std::move(flag))
{
}

CancelOnFlag::~CancelOnFlag()
{
    if (!m_flag)
        return;
    if (PgDb *pg = m_db.pg())
        pg->setCancelFlag(nullptr);
    else
        sqlite3_progress_handler(m_db.handle(), 0, nullptr, nullptr);
}

int CancelOnFlag::check(void *flag)
{
    return static_cast<std::atomic<bool> *>(flag)->load(std::memory_order_relaxed) ? 1 : 0;
}

bool CancelOnFlag::isInterrupt(int sqliteCode)
{
    return (sqliteCode & 0xff) == SQLITE_INTERRUPT;
}

} // namespace tt::sql
