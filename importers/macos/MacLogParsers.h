#pragma once

#include "core/FormatParser.h"

#include <string>
#include <string_view>
#include <unordered_map>

namespace tt {

// macOS Endpoint Security events as `eslogger` writes them (one es_message_t as JSON per line:
// "time", "event_type" (es_event_type_t number), "process" {audit_token {pid, euid, auid...},
// ppid, executable {path}, signing_id, team_id}, "event" {KIND: {...}}). Channel "macos:es",
// event id = event_type, the KIND and what it names as fields (docs/record-conventions.md,
// "macOS"); the JSON line is kept as the payload. eslogger writes no host name: --host NAME.
class EsloggerParser : public FormatParser {
public:
    std::string_view name() const override { return "eslogger"; }
    std::string_view version() const override { return "1"; }
    void setContext(const ParseContext &ctx) override { m_ctx = ctx; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    static bool looksLikeEslogger(std::string_view firstLine);

private:
    ParseContext m_ctx;
};

// macOS unified log exports, `log show --style ndjson` (one entry per line: "timestamp",
// "processImagePath", "processID", "eventMessage", "subsystem", "category", "messageType"...).
// sshd's messages become "linux:sshd" records exactly like a Linux auth.log (OpenSSH), smbd's
// "macos:smbd" (SmbdMessage); every other entry "macos:unifiedlog" (event id 0, kept). No host name in the export:
// --host NAME.
// `--style json` (one array over many lines) is read whole (up to 1 GiB), position = the entry's
// ordinal in the array.
// The macOS SMB server's (/usr/sbin/smbd) unified-log messages: channel "macos:smbd", event id
// the operation, fields from the message's `key=value` / `key="value"` words (session, client,
// user, domain, auth, share, path, file, access, disposition, action, type, status). Apple does not
// document smbd's message wording: the shape read here is an assumption, see
// docs/record-conventions.md "macOS smbd". The session's client address, port and user and the
// share's local path are carried onto the later messages of the session.
struct RawEvent;

struct SmbdMessage {
    enum Op { kOther = 0, kSessionSetup = 1, kTreeConnect = 2, kCreate = 3, kClose = 4, kLogoff = 5 };
    static int operation(std::string_view msg);

    class Tracker {
    public:
        void classify(RawEvent &ev, std::string_view pid, std::string_view msg);

    private:
        struct Session {
            std::string ip, port, user, domain;
        };
        std::unordered_map<std::string, Session> m_sessions; // session id -> who
        std::unordered_map<std::string, std::string> m_sharePaths; // "session|share" -> local path
    };
};

class UnifiedLogParser : public FormatParser {
public:
    std::string_view name() const override { return "unifiedlog"; }
    std::string_view version() const override { return "1"; }
    void setContext(const ParseContext &ctx) override { m_ctx = ctx; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    static bool looksLikeUnifiedLog(std::string_view firstLine);
    // `log show --style json`: an array whose first entry has the unified log's keys.
    static bool looksLikeUnifiedLogDocument(std::string_view head);

private:
    ParseContext m_ctx;
};

} // namespace tt
