#include "core/FormatDetector.h"

#include "esxi/EsxiLogParser.h"
#include "linux/SyslogAuthParser.h"
#include "macos/MacLogParsers.h"
#include "timeline/TimelineParser.h"

#include <cstring>
#include <string_view>

namespace tt {

Format formatToRead(Format detected, Format forced)
{
    return forced != Format::Unknown && !isContainer(detected) ? forced : detected;
}

bool isContainer(Format f)
{
    switch (f) {
    case Format::Gzip:
    case Format::Bzip2:
    case Format::Xz:
    case Format::Zstd:
    case Format::Zip:
    case Format::Tar:
    case Format::SevenZip:
        return true;
    default:
        return false;
    }
}

std::string_view formatName(Format f)
{
    switch (f) {
    case Format::Unknown:
        return "unknown";
    case Format::Empty:
        return "empty";
    case Format::Evtx:
        return "evtx";
    case Format::WinXml:
        return "winxml";
    case Format::JsonLines:
        return "jsonl";
    case Format::EvtxECmdCsv:
        return "evtxecmd-csv";
    case Format::EvtxECmdJson:
        return "evtxecmd-json";
    case Format::HayabusaCsv:
        return "hayabusa-csv";
    case Format::HayabusaJsonl:
        return "hayabusa-jsonl";
    case Format::Zeek:
        return "zeek";
    case Format::LinuxAudit:
        return "linux-audit";
    case Format::Syslog:
        return "syslog";
    case Format::Journald:
        return "journald";
    case Format::Esxi:
        return "esxi";
    case Format::Eslogger:
        return "eslogger";
    case Format::UnifiedLog:
        return "unifiedlog";
    case Format::Gzip:
        return "gzip";
    case Format::Bzip2:
        return "bzip2";
    case Format::Xz:
        return "xz";
    case Format::Zstd:
        return "zstd";
    case Format::Zip:
        return "zip";
    case Format::Tar:
        return "tar";
    case Format::SevenZip:
        return "7z";
    }
    return "unknown";
}

Format formatFromName(std::string_view name)
{
    if (name == "evtx")
        return Format::Evtx;
    if (name == "xml" || name == "winxml")
        return Format::WinXml;
    if (name == "json" || name == "jsonl" || name == "ndjson")
        return Format::JsonLines;
    for (Format f : {Format::EvtxECmdCsv, Format::EvtxECmdJson, Format::HayabusaCsv, Format::HayabusaJsonl})
        if (name == formatName(f))
            return f;
    if (name == "zeek")
        return Format::Zeek;
    if (name == "audit" || name == "linux-audit")
        return Format::LinuxAudit;
    if (name == "syslog" || name == "auth.log")
        return Format::Syslog;
    if (name == "journald" || name == "journal-json")
        return Format::Journald;
    if (name == "esxi")
        return Format::Esxi;
    if (name == "eslogger")
        return Format::Eslogger;
    if (name == "unifiedlog" || name == "unified-log")
        return Format::UnifiedLog;
    return Format::Unknown;
}

namespace {
bool startsWith(const char *h, size_t n, const char *magic, size_t m)
{
    return n >= m && std::memcmp(h, magic, m) == 0;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// First non-blank character of text in UTF-8 or UTF-16 (either byte order), 0 if none.
char firstTextChar(const char *h, size_t n)
{
    size_t i = 0;
    int step = 1;
    int lowByte = 0; // offset of the significant byte within a UTF-16 unit
    if (startsWith(h, n, "\xEF\xBB\xBF", 3)) {
        i = 3;
    } else if (startsWith(h, n, "\xFF\xFE", 2)) {
        i = 2;
        step = 2;
    } else if (startsWith(h, n, "\xFE\xFF", 2)) {
        i = 2;
        step = 2;
        lowByte = 1;
    } else if (n >= 4 && h[0] != 0 && h[1] == 0 && h[2] != 0 && h[3] == 0) {
        step = 2; // UTF-16LE without BOM
    } else if (n >= 4 && h[0] == 0 && h[1] != 0 && h[2] == 0 && h[3] != 0) {
        step = 2;
        lowByte = 1;
    }
    for (; i + static_cast<size_t>(step) <= n; i += static_cast<size_t>(step)) {
        char c = h[i + static_cast<size_t>(lowByte)];
        if (step == 2 && h[i + static_cast<size_t>(1 - lowByte)] != 0)
            return '?';
        if (c == 0)
            return '?'; // a NUL in what should be text: binary
        if (!isSpace(c))
            return c;
    }
    return 0;
}

// Zeek: an ASCII log starts with its "#separator " header; a JSON log's first object has
// "@stream" or "_path", or "ts" and a Zeek-only key ("uid", "fuid", "id.orig_h" / "id_orig_h").
bool looksLikeZeek(const char *h, size_t n)
{
    size_t i = 0;
    if (startsWith(h, n, "\xEF\xBB\xBF", 3))
        i = 3;
    if (startsWith(h + i, n - i, "#separator ", 11))
        return true;
    while (i < n && isSpace(h[i]))
        ++i;
    if (i >= n || h[i] != '{')
        return false;
    const std::string_view head(h + i, n - i);
    const std::string_view line = head.substr(0, head.find('\n'));
    // The log name of the "@stream" envelope or of Zeek's own _path is enough (loaded_scripts has no ts).
    if (line.find("\"@stream\":") != std::string_view::npos || line.find("\"_path\":") != std::string_view::npos)
        return true;
    if (line.find("\"ts\"") == std::string_view::npos)
        return false;
    for (const char *key : {"\"uid\":", "\"fuid\":", "\"id.orig_h\":", "\"id_orig_h\":"})
        if (line.find(key) != std::string_view::npos)
            return true;
    return false;
}
// The first line, without white space around it, is a lone "{".
bool startsJsonDocument(const char *h, size_t n)
{
    size_t i = startsWith(h, n, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
        ++i;
    if (i >= n || h[i] != '{')
        return false;
    for (++i; i < n && h[i] != '\n'; ++i)
        if (h[i] != ' ' && h[i] != '\t' && h[i] != '\r')
            return false;
    return i < n;
}
} // namespace

bool isAppleDouble(const char *h, size_t n)
{
    return startsWith(h, n, "\x00\x05\x16\x07", 4);
}

std::string unknownFormatReason(const char *h, size_t n)
{
    if (isAppleDouble(h, n))
        return "macOS AppleDouble metadata (a resource fork), not telemetry";
    if (startsJsonDocument(h, n))
        return "a JSON document spread over several lines, not JSON lines (one record per line)";
    return "no known format";
}

Format detectFormat(const char *h, size_t n)
{
    if (n == 0)
        return Format::Empty;
    if (startsWith(h, n, "ElfFile", 8))
        return Format::Evtx;
    if (startsWith(h, n, "\x1f\x8b", 2))
        return Format::Gzip;
    if (startsWith(h, n, "BZh", 3))
        return Format::Bzip2;
    if (startsWith(h, n,
            "\xFD"
            "7zXZ\0",
            6))
        return Format::Xz;
    if (startsWith(h, n, "\x28\xB5\x2F\xFD", 4))
        return Format::Zstd;
    if (startsWith(h, n, "PK\x03\x04", 4) || startsWith(h, n, "PK\x05\x06", 4) || startsWith(h, n, "PK\x07\x08", 4))
        return Format::Zip;
    if (startsWith(h, n, "7z\xBC\xAF\x27\x1C", 6))
        return Format::SevenZip;
    if (n >= 262 && std::memcmp(h + 257, "ustar", 5) == 0)
        return Format::Tar;
    // EVTX whose file header is damaged but whose first chunk survives.
    if (n >= 4096 + 8 && std::memcmp(h + 4096, "ElfChnk", 8) == 0)
        return Format::Evtx;
    switch (detectTimeline(h, n)) { // EvtxECmd / Hayabusa CSV header or JSON keys
    case 1:
        return Format::EvtxECmdCsv;
    case 2:
        return Format::EvtxECmdJson;
    case 3:
        return Format::HayabusaCsv;
    case 4:
        return Format::HayabusaJsonl;
    default:
        break;
    }
    if (looksLikeZeek(h, n))
        return Format::Zeek;
    // Linux text logs: judged by their first line (UTF-8).
    {
        std::string_view text(h, n);
        if (text.substr(0, 3) == "\xEF\xBB\xBF")
            text.remove_prefix(3);
        while (!text.empty() && (text.front() == '\n' || text.front() == '\r'))
            text.remove_prefix(1);
        const std::string_view first = text.substr(0, text.find('\n'));
        if ((first.substr(0, 5) == "type=" || first.substr(0, 5) == "node=")
            && first.find("msg=audit(") != std::string_view::npos)
            return Format::LinuxAudit;
        if (EsxiLogParser::looksLikeEsxi(first)) // before syslog: its host-less lines would pass as RFC 3339
            return Format::Esxi;
        if (SyslogAuthParser::looksLikeSyslog(first))
            return Format::Syslog;
        if (!first.empty() && first.front() == '{'
            && (first.find("\"__REALTIME_TIMESTAMP\"") != std::string_view::npos
                || first.find("\"__CURSOR\"") != std::string_view::npos))
            return Format::Journald;
        if (EsloggerParser::looksLikeEslogger(first))
            return Format::Eslogger;
        if (UnifiedLogParser::looksLikeUnifiedLog(first) || UnifiedLogParser::looksLikeUnifiedLogDocument(text))
            return Format::UnifiedLog;
    }
    switch (firstTextChar(h, n)) {
    case '<':
        return Format::WinXml;
    case '{':
        // A first line that is only "{" opens a pretty-printed JSON document (a ground truth, a
        // configuration), not JSON lines, which hold one whole object per line.
        return startsJsonDocument(h, n) ? Format::Unknown : Format::JsonLines;
    case 0:
        return Format::Empty; // only white space
    default:
        return Format::Unknown;
    }
}

} // namespace tt
