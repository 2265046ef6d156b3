#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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

// Calls fn(key, value) for each field of obj in order and stops at the first error: simdjson's
// (reading a field or its key) or the one fn returns. fn returns sj::error_code (SUCCESS goes on)
// or std::string (empty goes on; simdjson's errors come back as errText). The key view lives in
// the parser's string buffer, which unescaping the value appends to, so it stays valid in fn.
template<typename Fn>
auto forEachField(od::object &obj, Fn &&fn) -> std::invoke_result_t<Fn &, std::string_view, od::value>
{
    using Result = std::invoke_result_t<Fn &, std::string_view, od::value>;
    static_assert(std::is_same_v<Result, sj::error_code> || std::is_same_v<Result, std::string>);
    for (auto fr : obj) {
        od::field f;
        std::string_view key;
        sj::error_code e = std::move(fr).get(f);
        if (!e)
            e = f.unescaped_key().get(key);
        if (e) {
            if constexpr (std::is_same_v<Result, sj::error_code>)
                return e;
            else
                return errText(e);
        }
        Result r = fn(key, f.value());
        if constexpr (std::is_same_v<Result, sj::error_code>) {
            if (r != sj::SUCCESS)
                return r;
        } else if (!r.empty()) {
            return r;
        }
    }
    return Result {};
}
// An event id (number or string) from 0 to 0xFFFFFFFF: its low 16 bits, as Windows keeps them.
void readEventId(od::json_type t, std::string_view val, int32_t &eventId);
// A record number: set, or (present but not a number from 0 to INT64_MAX) warning set.
void readRecordNumber(od::json_type t, std::string_view name, std::string_view val, RawEvent &ev, std::string &warning);

} // namespace tt::jsonl
