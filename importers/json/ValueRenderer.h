#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tt {
struct RawEvent;
} // namespace tt

// Pieces shared by the JSON-lines readers (NXLog / Logstash flat records, Winlogbeat / ECS).
namespace tt::jsonl {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

// The text of On-Demand values as the records keep them. On-Demand hands over raw tokens without
// validating them: numbers and atoms are checked here.
class ValueRenderer {
public:
    // Strings unescaped, numbers / booleans as their JSON text, null as empty, arrays / objects
    // as compact JSON. The view stays valid until the next call.
    sj::error_code scalarText(od::value &v, od::json_type t, std::string_view &out);
    // Compact JSON text of any value (validating it), appended to out.
    sj::error_code appendCompact(od::value v, std::string &out, int depth);
    static sj::error_code checkAtom(od::json_type t, std::string_view tok);

private:
    std::string m_scratch;
};

std::string_view trimRight(std::string_view s);
// RFC 8259 number grammar.
bool isJsonNumber(std::string_view s);
// "malformed JSON: <simdjson's reason>".
std::string errText(sj::error_code e);
// An event id (number or string) from 0 to 0xFFFFFFFF: its low 16 bits, as Windows keeps them.
void readEventId(od::json_type t, std::string_view val, int32_t &eventId);
// A record number: set, or (present but not a number from 0 to INT64_MAX) warning set.
void readRecordNumber(od::json_type t, std::string_view name, std::string_view val, RawEvent &ev, std::string &warning);

} // namespace tt::jsonl
