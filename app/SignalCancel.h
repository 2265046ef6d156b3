#pragma once

#include <atomic>

namespace tt::app {

// Turns SIGINT, SIGTERM and SIGHUP into a cancel request for the command that is running: the
// handler only sets an atomic flag (the command checks it and ends cleanly: rolls back, prints
// that it was cancelled, releases the case's lock). Handlers are installed without SA_RESTART, so
// a blocking system call returns EINTR, and with SA_RESETHAND, so a second signal of the same
// kind kills as usual. The destructor restores the default dispositions. One at a time.
class SignalCancel {
public:
    SignalCancel();
    ~SignalCancel();
    SignalCancel(const SignalCancel &) = delete;
    SignalCancel &operator=(const SignalCancel &) = delete;

    // The flag a signal sets (besides the own one): e.g. an ImportEngine's. Set at once when a
    // signal already arrived.
    void forward(std::atomic<bool> *flag);
    std::atomic<bool> *flag();
    bool caught() const;
    int signalNumber() const; // 0 when none
    const char *signalName() const; // "SIGINT", ...
    int exitCode() const; // 128 + the signal's number (SIGINT 130, SIGTERM 143, SIGHUP 129)
};

// Test hook: when TT_TEST_PAUSE_AT names `point`, says "paused at POINT" on stderr and waits until
// `cancel` is set (by a signal) or the process is killed. Lets tests interrupt a command at a
// known moment without timing.
void pauseForTest(const char *point, const std::atomic<bool> &cancel);

} // namespace tt::app
