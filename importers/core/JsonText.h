#pragma once

#include <string>
#include <string_view>

namespace tt::json {

// Appends s as a JSON string literal (with quotes). Invalid UTF-8 bytes become U+FFFD so the
// output is always valid JSON; control characters are escaped.
void appendString(std::string &out, std::string_view s);

} // namespace tt::json
