#include "CliSupport.h"

#include "core/Utf8.h"

#include <QCommandLineParser>

#include <cstdio>
#include <unistd.h>

namespace tt::app {

std::optional<int> parseCommand(QCommandLineParser &p, const QStringList &args, const char *command, const char *usage,
    qsizetype minPositional, qsizetype maxPositional)
{
    p.addHelpOption();
    if (!p.parse(args)) {
        std::fprintf(stderr, "transfertrace %s: %s\n", command, qPrintable(p.errorText()));
        return kUsageError;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return 0;
    }
    const qsizetype n = p.positionalArguments().size();
    if (n < minPositional || n > maxPositional) {
        std::fprintf(stderr, "usage: %s\n", usage);
        return kUsageError;
    }
    return std::nullopt;
}

namespace {
bool isTerminalControl(char32_t cp, bool keepLineBreaks)
{
    if (cp == '\n' || cp == '\t')
        return !keepLineBreaks;
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}
} // namespace

std::string escapeControls(std::string_view s, Escape how, bool keepLineBreaks)
{
    std::string out;
    out.reserve(s.size());
    char buf[16];
    for (size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const size_t n = utf8::decode(s, i, &cp);
        if (n == 0) { // not UTF-8: a lone byte, shown as such
            std::snprintf(
                buf, sizeof buf, how == Escape::Json ? "\\ufffd" : "\\x%02x", static_cast<unsigned char>(s[i]));
            out += buf;
            ++i;
            continue;
        }
        if (isTerminalControl(cp, keepLineBreaks)) {
            if (how == Escape::Json || cp > 0xff)
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
            else
                std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::string printable(const std::string &s, size_t max)
{
    std::string out = escapeControls(s, Escape::Text, false);
    if (max != std::string::npos && out.size() > max && max > 3)
        out = out.substr(0, max - 3) + "...";
    return out;
}

void writeOutput(const std::string &text, std::FILE *out, Escape how)
{
    if (::isatty(fileno(out)))
        std::fputs(escapeControls(text, how, true).c_str(), out);
    else
        std::fwrite(text.data(), 1, text.size(), out);
}

} // namespace tt::app
