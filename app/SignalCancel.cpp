#include "SignalCancel.h"

#include <QString>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tt::app {

namespace {
std::atomic<bool> g_flag {false};
std::atomic<std::atomic<bool> *> g_forward {nullptr};
volatile std::sig_atomic_t g_signal = 0;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void onSignal(int sig)
{
    g_signal = sig;
    g_flag.store(true);
    if (std::atomic<bool> *f = g_forward.load())
        f->store(true);
}
} // namespace

SignalCancel::SignalCancel()
{
    g_flag.store(false);
    g_forward.store(nullptr);
    g_signal = 0;
    struct sigaction sa { };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND; // no SA_RESTART: blocking calls return EINTR
    for (int s : kSignals)
        ::sigaction(s, &sa, nullptr);
}

SignalCancel::~SignalCancel()
{
    for (int s : kSignals)
        std::signal(s, SIG_DFL);
    g_forward.store(nullptr);
}

void SignalCancel::forward(std::atomic<bool> *flag)
{
    g_forward.store(flag);
    if (flag && g_flag.load())
        flag->store(true);
}

std::atomic<bool> *SignalCancel::flag()
{
    return &g_flag;
}

bool SignalCancel::caught() const
{
    return g_flag.load();
}

int SignalCancel::signalNumber() const
{
    return g_signal;
}

const char *SignalCancel::signalName() const
{
    switch (g_signal) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    }
    return "a signal";
}

int SignalCancel::exitCode() const
{
    return 128 + (g_signal ? int(g_signal) : SIGINT);
}

void pauseForTest(const char *point, const std::atomic<bool> &cancel)
{
    if (qEnvironmentVariable("TT_TEST_PAUSE_AT") != QLatin1String(point))
        return;
    std::fprintf(stderr, "paused at %s\n", point);
    std::fflush(stderr);
    const struct timespec tick {
        0, 10 * 1000 * 1000
    };
    while (!cancel.load())
        ::nanosleep(&tick, nullptr);
}

} // namespace tt::app
