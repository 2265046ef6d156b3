#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tt {

enum class Format {
    Unknown,
    Empty,
    Evtx,
    WinXml,
    JsonLines,
    EvtxECmdCsv, // timelines of other tools (importers/timeline)
    EvtxECmdJson,
    HayabusaCsv,
    HayabusaJsonl,
    Zeek, // Zeek logs, TSV (#separator header) or JSON lines (ts + uid / id.orig_h / @stream)
    LinuxAudit, // raw audit.log
    Syslog, // auth.log / secure: RFC 3164, RFC 3339, RFC 5424 lines
    Journald, // journalctl -o json
    Esxi, // ESXi's own shell.log / auth.log / hostd.log / vobd.log (no host name in the line)
    Eslogger, // macOS Endpoint Security events as eslogger writes them (NDJSON)
    UnifiedLog, // macOS `log show --style ndjson`
    // Containers, read in place with libarchive:
    Gzip,
    Bzip2,
    Xz,
    Zstd,
    Zip,
    Tar,
    SevenZip,
};

bool isContainer(Format f);
std::string_view formatName(Format f);
// From a --format value ("evtx", "xml"/"winxml", "json"/"jsonl", "zeek", "evtxecmd-csv",
// "evtxecmd-json", "hayabusa-csv", "hayabusa-jsonl", "audit", "syslog", "journald",
// "esxi", "eslogger", "unifiedlog"); Unknown when not recognised.
Format formatFromName(std::string_view name);

// Decides by content, never by file name. `head` is the first bytes of the stream (64 KiB).
Format detectFormat(const char *head, size_t n);
// The format an input is read as: the user's --format (forced, Unknown when none) unless the
// content is a container, which is always opened; otherwise what detectFormat() found.
Format formatToRead(Format detected, Format forced);

// A macOS AppleDouble file (magic 0x00051607): the resource fork / Finder metadata a Mac writes
// as "._NAME" beside a file and under "__MACOSX/" in the zips it makes. Metadata, not telemetry.
bool isAppleDouble(const char *head, size_t n);
// Why content detectFormat() called Unknown is not telemetry, in a few words for messages.
std::string unknownFormatReason(const char *head, size_t n);

} // namespace tt
