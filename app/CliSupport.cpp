#include "CliSupport.h"

#include <QCommandLineParser>

#include <cstdio>

namespace tt::app {

std::optional<int> parseCommand(QCommandLineParser &p, const QStringList &args, const char *command, const char *usage,
    qsizetype minPositional, qsizetype maxPositional)
{
    p.addHelpOption();
    if (!p.parse(args)) {
        std::fprintf(stderr, "transfertrace %s: %s\n", command, qPrintable(p.errorText()));
        return 64;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return 0;
    }
    const qsizetype n = p.positionalArguments().size();
    if (n < minPositional || n > maxPositional) {
        std::fprintf(stderr, "usage: %s\n", usage);
        return 64;
    }
    return std::nullopt;
}

std::string printable(const std::string &s, size_t max)
{
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    if (max != std::string::npos && out.size() > max && max > 3)
        out = out.substr(0, max - 3) + "...";
    return out;
}

} // namespace tt::app
