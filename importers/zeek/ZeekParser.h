#pragma once

#include "core/FormatParser.h"
#include "core/RawEvent.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tt {

// Zeek logs, both writers: ASCII / TSV (with #separator, #set_separator, #empty_field,
// #unset_field, #path, #fields, #types headers; several header blocks per file are allowed, as
// in concatenated rotations) and JSON lines (with or without the "@stream" envelope, "id.orig_h"
// or "id_orig_h" names, numeric or ISO 8601 ts). Decided per file from its first non-blank line.
//
// Every record becomes one RawEvent as docs/record-conventions.md ("Zeek") says: channel
// "zeek:<log type>" (from #path, "@stream" / "_path", else guessed from the fields present),
// provider "zeek", eventId 0, computer empty (a sensor is not a host), fields in column order
// with the TSV escapes decoded; unset values ("-", JSON null) are left out, empty ones
// ("(empty)", "", []) are kept as ""; sets / vectors are joined with ','. The original line is
// kept (JSON: RawEvent.original; TSV: system field "Line").
class ZeekParser final : public FormatParser {
public:
    static constexpr size_t kMaxLineBytes = size_t(16) << 20;

    std::string_view name() const override { return "zeek"; }
    std::string_view version() const override { return "1.0"; }
    bool parse(ByteSource &in, RecordSink &sink) override;

    // Decodes Zeek's ASCII escapes (\xHH); other backslashes stay as they are.
    static std::string unescape(std::string_view v);
    // The log type a record with these field names most likely comes from ("" when unsure).
    static std::string_view guessPath(const std::vector<Field> &fields);
    // "1588206925.606391" or "2020-04-30T00:35:25.606391Z" -> UTC microseconds; false if neither.
    static bool parseTime(std::string_view v, int64_t &us);
};

} // namespace tt
