#pragma once

#include <atomic>
#include <memory>

namespace tt::store {
class CaseStore;
}

namespace tt::sql {

class Db;

// A flag a newer query sets to stop an older one (STYLE.md: every async job carries a generation;
// a superseded one stops instead of running to completion).
using CancelFlag = std::shared_ptr<std::atomic<bool>>;
inline CancelFlag makeCancelFlag()
{
    return std::make_shared<std::atomic<bool>>(false);
}

// While alive, every statement on `db` checks `flag` every few hundred virtual machine steps and
// fails with SQLITE_INTERRUPT once it is set (an sql::Error with code() == SQLITE_INTERRUPT).
class CancelOnFlag {
public:
    CancelOnFlag(Db &db, CancelFlag flag);
    // The same on a case store's connection (views reach the case only through the store).
    CancelOnFlag(store::CaseStore &cs, CancelFlag flag);
    ~CancelOnFlag();
    CancelOnFlag(const CancelOnFlag &) = delete;
    CancelOnFlag &operator=(const CancelOnFlag &) = delete;

    static bool isInterrupt(int sqliteCode);

private:
    static int check(void *flag);
    Db &m_db;
    CancelFlag m_flag;
};

} // namespace tt::sql
