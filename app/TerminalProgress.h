#pragma once

#include <cstdio>
#include <string>

namespace tt {
struct ImportProgress;
}

namespace tt::app {

// A one-line progress bar on a terminal (files, records, events/s, ETA); silent otherwise.
class TerminalProgress {
public:
    explicit TerminalProgress(std::FILE *out);
    bool enabled() const { return m_enabled; }
    void update(const ImportProgress &p);
    void clear();

private:
    std::FILE *m_out;
    bool m_enabled;
    size_t m_lastWidth = 0;
};

// "1.2 M", "532 k"
std::string humanCount(double v);
std::string humanBytes(double v);
std::string humanDuration(double seconds);

} // namespace tt::app
