#pragma once

#include "core/FormatParser.h"

#include <string_view>

namespace tt {

// ESXi's own log files (/var/log/shell.log, auth.log, hostd.log, vobd.log, syslog.log... of
// ESXi 6.5 to 8, also inside vm-support bundles): one record per line,
//   2023-06-12T08:43:01.234Z shell[526001]: [root]: ls                 (6.5 / 7)
//   2023-06-12T08:43:01.234Z In(14) shell[526001]: [root]: ls          (8: a level marker first)
//   2021-03-10T10:05:00.123Z info hostd[2099123] [Originator@6876 sub=...] Event ...   (hostd 6.5 / 7)
//   2021-03-10T10:02:11.563Z: [UserLevelCorrelator] ...: [esx.audit.ssh.session.opened] ...  (vobd 6.5 / 7)
// Lines carry no host name: the host is --host NAME (without it the records are kept without a
// host, a warning says so). sshd lines go to "linux:sshd" exactly like a Linux auth.log; shell,
// hostd and vobd to "esxi:shell" / "esxi:hostd" / "esxi:vobd" (esxi/EsxiMessage.h); other
// programs to "esxi:syslog" (event id 0, kept). Continuation lines (hostd's "--> " dumps,
// indented lines) are appended to the record before them. The same lines forwarded by syslog
// (RFC 3164 / 5424 with the host name) are read by the syslog parser.
class EsxiLogParser : public FormatParser {
public:
    std::string_view name() const override { return "esxi"; }
    std::string_view version() const override { return "1"; }
    void setContext(const ParseContext &ctx) override { m_ctx = ctx; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    // Does this first line have the shape of an ESXi log line? (format detection: an ISO time
    // with zone, then "ident[pid]:", a level marker "In(14)" and "ident[pid]:", hostd's "info
    // hostd[pid] [Originator@", or vobd's "TIME: [Correlator]". A Linux syslog line has its host
    // name after the time, never a "tag[pid]:".)
    static bool looksLikeEsxi(std::string_view firstLine);

private:
    ParseContext m_ctx;
};

} // namespace tt
