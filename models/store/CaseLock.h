#pragma once

#include <memory>
#include <string>

namespace tt::store {

// "This case is open in a TransferTrace session": an exclusive flock(2) on a sidecar file
// CASE.ttcase.lock beside the (canonical) case path, holding "pid host" of the owner. The
// kernel drops the lock when the process dies, so a crash never leaves a case locked; the stale
// sidecar is simply reused. When the sidecar cannot be created (folder not writable) the case
// file itself is flocked instead (the owner's pid is then unknown).
//
// flock locks belong to an open file description: take ONE CaseLock per case per session (the
// GUI window or CLI command), never per worker connection. A second CaseLock on the same case,
// in this process or another, fails. flock is independent of SQLite's own fcntl locks on Linux.
class CaseLock {
public:
    // Takes the lock, or returns nullptr and says why in *why ("opened by another TransferTrace
    // (pid 1234 on host X)", or why locking failed).
    static std::unique_ptr<CaseLock> acquire(const std::string &casePath, std::string *why = nullptr);
    ~CaseLock(); // removes the sidecar, releases the lock
    CaseLock(const CaseLock &) = delete;
    CaseLock &operator=(const CaseLock &) = delete;

    // The sidecar path for a case: canonical case path + ".lock".
    static std::string lockPathFor(const std::string &casePath);
    const std::string &lockPath() const { return m_lockPath; } // "" when the case file itself is locked

private:
    CaseLock() = default;
    int m_fd = -1;
    std::string m_lockPath;
};

} // namespace tt::store
