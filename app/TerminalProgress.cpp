#include "TerminalProgress.h"

#include "core/ImportEngine.h"

#include <algorithm>
#include <cmath>
#include <sys/ioctl.h>
#include <unistd.h>

namespace tt::app {

std::string humanCount(double v)
{
    char buf[32];
    if (v >= 1e9)
        std::snprintf(buf, sizeof buf, "%.2f G", v / 1e9);
    else if (v >= 1e6)
        std::snprintf(buf, sizeof buf, "%.2f M", v / 1e6);
    else if (v >= 1e4)
        std::snprintf(buf, sizeof buf, "%.1f k", v / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

std::string humanBytes(double v)
{
    char buf[32];
    if (v >= 1024.0 * 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.2f GiB", v / (1024.0 * 1024 * 1024));
    else if (v >= 1024.0 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f MiB", v / (1024.0 * 1024));
    else if (v >= 1024.0)
        std::snprintf(buf, sizeof buf, "%.1f KiB", v / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%.0f B", v);
    return buf;
}

std::string humanDuration(double s)
{
    char buf[32];
    if (!std::isfinite(s) || s < 0)
        return "?";
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    else
        std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, (static_cast<int>(s) / 60) % 60);
    return buf;
}

TerminalProgress::TerminalProgress(std::FILE *out)
    : m_out(out)
    , m_enabled(::isatty(fileno(out)) == 1)
{
}

void TerminalProgress::update(const ImportProgress &p)
{
    if (!m_enabled)
        return;
    winsize ws {};
    int cols = 100;
    if (::ioctl(fileno(m_out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        cols = ws.ws_col;
    const double frac
        = p.bytesTotal ? std::min(1.0, static_cast<double>(p.bytesDone) / static_cast<double>(p.bytesTotal)) : 0.0;
    const double rate = p.elapsed > 0 ? static_cast<double>(p.records) / p.elapsed : 0;
    const double eta = frac > 0.01 ? p.elapsed * (1 - frac) / frac : -1;
    char stats[200];
    std::snprintf(stats, sizeof stats, " %3.0f%% files %zu/%zu  records %s  %s ev/s  ETA %s ", frac * 100, p.filesDone,
        p.filesTotal, humanCount(static_cast<double>(p.records)).c_str(), humanCount(rate).c_str(),
        eta < 0 ? "?" : humanDuration(eta).c_str());
    const int barWidth = std::max(10, std::min(30, cols / 4));
    std::string line = "[";
    const int filled = static_cast<int>(frac * barWidth);
    line += std::string(static_cast<size_t>(filled), '#');
    line += std::string(static_cast<size_t>(barWidth - filled), '.');
    line += "]";
    line += stats;
    // The current file, shortened from the left to fit.
    std::string cur = p.current;
    const size_t room = cols > static_cast<int>(line.size()) + 5 ? static_cast<size_t>(cols) - line.size() - 1 : 0;
    if (cur.size() > room)
        cur = room > 3 ? "..." + cur.substr(cur.size() - (room - 3)) : "";
    line += cur;
    std::fprintf(m_out, "\r%s", line.c_str());
    if (line.size() < m_lastWidth)
        std::fprintf(m_out, "%s", std::string(m_lastWidth - line.size(), ' ').c_str());
    m_lastWidth = line.size();
    std::fflush(m_out);
}

void TerminalProgress::clear()
{
    if (!m_enabled || m_lastWidth == 0)
        return;
    std::fprintf(m_out, "\r%s\r", std::string(m_lastWidth, ' ').c_str());
    std::fflush(m_out);
    m_lastWidth = 0;
}

} // namespace tt::app
