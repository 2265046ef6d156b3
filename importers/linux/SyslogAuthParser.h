#pragma once

#include "core/FormatParser.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tt {

struct RawEvent;

// Text syslog files (/var/log/auth.log, /var/log/secure, sshd -E logs written through syslog):
// one record per line in RFC 3164 ("Mmm dd hh:mm:ss host tag[pid]: msg", optionally "<PRI>"
// first), RFC 3339 ("2024-03-04T10:00:00.123456+01:00 host tag[pid]: msg", rsyslog's precise
// format) or RFC 5424 ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG"). sshd / sftp-server lines
// go to channel "linux:sshd" with the event ids of linux/SshdMessage.h, every other line to
// "linux:syslog" (event id 0), so nothing is dropped. RFC 3164 stamps have no year and no zone:
// the year is inferred from the file's mtime (else the import time) and rolls forward when the
// month goes backwards (Dec -> Jan); the time is taken as UTC (TimeSource::AssumedUtc, one
// warning per file).
class SyslogAuthParser : public FormatParser {
public:
    std::string_view name() const override { return "syslog"; }
    std::string_view version() const override { return "1"; }
    void setContext(const ParseContext &ctx) override { m_ctx = ctx; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    // Does this text start like a syslog line of one of the three shapes? (format detection)
    static bool looksLikeSyslog(std::string_view firstLine);

private:
    ParseContext m_ctx;
};

// `journalctl -o json` (and -o json-seq without the RS byte) exports: one JSON object per line
// with __REALTIME_TIMESTAMP (UTC microseconds), _HOSTNAME, SYSLOG_IDENTIFIER, _PID, MESSAGE
// (a string, or an array of byte values when it is not valid UTF-8). Classified like syslog
// lines; the original JSON line is kept as the payload.
class JournaldJsonParser : public FormatParser {
public:
    std::string_view name() const override { return "journald-json"; }
    std::string_view version() const override { return "1"; }
    void setContext(const ParseContext &ctx) override { m_ctx = ctx; }
    bool parse(ByteSource &in, RecordSink &sink) override;

private:
    ParseContext m_ctx;
};

namespace linuxlog {
// Fills channel, provider, eventId and the message fields of ev from a program name, pid and
// message (shared by the syslog and journald readers).
void classifyMessage(RawEvent &ev, std::string_view identifier, std::string_view pid, std::string_view message);
} // namespace linuxlog

} // namespace tt
