#pragma once

#include "core/FormatParser.h"

#include <string>
#include <string_view>

namespace tt {

struct RawEvent;

// Raw Linux audit logs (/var/log/audit/audit.log, also `ausearch --raw` output): one line per
// record, "[node=HOST ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...". The records of
// one event share the serial and are grouped into one RawEvent (channel "linux:audit", eventId the
// numeric audit type of the event's first record, e.g. 1300 SYSCALL, 1112 USER_LOGIN; see
// docs/record-conventions.md). Records of different events may interleave; an event is complete at
// its EOE record, or when 64 lines have passed without a record of it.
class AuditParser : public FormatParser {
public:
    std::string_view name() const override { return "linux-audit"; }
    std::string_view version() const override { return "1"; }
    void setContext(const ParseContext &ctx) override { m_defaultHost = ctx.defaultHost; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    // Numeric audit record type for a type name ("SYSCALL" -> 1300), -1 when unknown.
    static int typeNumber(std::string_view type);
    // Hex text to bytes ("2F746D70" -> "/tmp"); false when not even-length hex.
    static bool decodeHex(std::string_view hex, std::string &out);
    // argv as one command line: arguments joined by blanks, those holding blanks or quotes put in
    // double quotes (the quoting CommandParser reads).
    static std::string joinArgv(const std::string *args, size_t n);

private:
    std::string m_defaultHost;
};

} // namespace tt
